"""The ``broadcast`` command: a thin layer of options over the stage functions.

Errors from the stages (``BroadcastError``) are turned into one line on stderr and an exit
code here, at a single boundary, so no command repeats that handling.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from broadcast import __version__
from broadcast.cli.context import AppContext
from broadcast.cli.usage import usage_errors_in_vietnamese
from broadcast.errors import BroadcastError


class BroadcastGroup(click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # The group's own options are parsed before invoke, outside its error boundary.
        with usage_errors_in_vietnamese():
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with usage_errors_in_vietnamese():
                return super().invoke(ctx)
        except BroadcastError as exc:
            click.secho(f"Lỗi: {exc.message}", fg="red", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Đã dừng theo yêu cầu; không có gì được ghi dở.", err=True)
            ctx.exit(130)


@click.group(cls=BroadcastGroup)
@click.version_option(__version__, prog_name="broadcast")
@click.option(
    "-w",
    "--workspace",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục làm việc của đài (mặc định: $BROADCAST_WORKSPACE hoặc thư mục hiện tại "
    "và các thư mục cha). / Station workspace.",
)
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None) -> None:
    """Công cụ làm bản tin truyền thanh cải cách hành chính cho xã.

    Turns commune articles on administrative reform into loudspeaker audio, video clips
    and playlists.
    """
    ctx.obj = AppContext(workspace_option=workspace)


# One module per command group; each lists its commands in ``COMMANDS``.
COMMAND_MODULES = (
    "workspace",
    "produce",
    "text",
    "normalize",
    "script",
    "mt",
    "glossary",
    "tm",
    "schedule",
    "asrun",
    "report",
    "translate",
    "review",
    "render",
    "takes",
)


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"broadcast.cli.{name}")
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="broadcast")
