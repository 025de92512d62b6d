"""``broadcast normalize``: the spoken form of Vietnamese text (filled in by issue 3)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
