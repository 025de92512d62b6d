"""Commands of the text stage: ``broadcast ingest``."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Dạng kết quả. / Output format.",
)
def ingest(file: Path, output_format: str) -> None:
    """Đọc và làm sạch một bài viết, in văn bản và báo cáo. / Show the cleaned text and a report.

    Luôn thoát với mã 0 khi đọc được tệp, kể cả khi chất lượng văn bản không đạt: đây là báo
    cáo, không phải bước làm bản tin.
    """
    from broadcast.text.report import ingest_report

    report = ingest_report(file)
    if output_format == "json":
        click.echo(report.to_json())
        return
    colour = "green" if report.quality.ok else "red"
    click.secho(report.verdict(), fg=colour, bold=True)
    click.echo()
    click.echo(report.cleaned_text())
    click.echo()
    click.echo("--- Báo cáo ---")
    click.echo(report.summary())
    click.secho(report.verdict(), fg=colour, bold=True)


COMMANDS: list[click.Command] = [ingest]
