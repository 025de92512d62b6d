"""Options shared by several commands."""

from __future__ import annotations

import click

json_option = click.option(
    "--json", "as_json", is_flag=True, help="In kết quả dạng JSON. / Print results as JSON."
)


_YES = {"c", "có", "co", "y", "yes"}
_NO = {"k", "không", "khong", "n", "no", ""}


def ask_yes_no(question: str) -> bool:
    """A yes/no question in Vietnamese ('c' có / 'k' không, Enter = không); click's own
    confirm prints an English '[y/N]'. English answers are accepted too."""
    while True:
        answer = click.prompt(
            f"{question} [c/K]", default="", show_default=False, prompt_suffix=" "
        )
        word = answer.strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        click.echo("Hãy gõ c (có) hoặc k (không).", err=True)
