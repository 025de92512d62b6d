"""Commands of the script stage (filled in by issue 3)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
