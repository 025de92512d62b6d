"""Options shared by several commands."""

from __future__ import annotations

import click

json_option = click.option(
    "--json", "as_json", is_flag=True, help="In kết quả dạng JSON. / Print results as JSON."
)
