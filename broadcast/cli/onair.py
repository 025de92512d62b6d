"""Not a command group: the one call the voiding and scheduling commands make so that what
is on air follows the approvals (see ``broadcast.schedule.onair``), and its printing."""

from __future__ import annotations

import click

from broadcast.store.workspace import Workspace


def refresh_on_air(ws: Workspace) -> None:
    """Take stale renders off the plan and the playlists; say what changed, on stderr."""
    from broadcast.schedule.onair import refresh

    result = refresh(ws)
    for line in result.lines():
        click.echo(line, err=True)
