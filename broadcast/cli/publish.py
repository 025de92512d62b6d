"""``broadcast publish``: the portal item and platform packs of an approved script, and the
publication log (``publish log``, ``publish list``)."""

from __future__ import annotations

import json
from typing import Any

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.model.people import Role
from broadcast.model.time import local


class _PublishGroup(click.Group):
    """``broadcast publish SCRIPT`` makes the files; ``publish log|list`` are the log's
    commands. A first word that is no subcommand is a script: run ``publish make``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["make", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_PublishGroup)
def publish() -> None:
    """Xuất bản kịch bản đã duyệt: tin bài cổng thông tin, gói video mạng xã hội; nhật ký đăng.

    broadcast publish KỊCH_BẢN [--to portal,...] [--json]: write the files of each channel
    under out/<kịch bản>/publish/<kênh>/. 'publish log' / 'publish list': publication log.
    """


@publish.command("make")
@click.argument("script")
@click.option(
    "--to",
    "channels",
    default=None,
    metavar="KÊNH,...",
    help="Các kênh, cách nhau bằng dấu phẩy (mặc định: mọi kênh), vd. portal. / Channels.",
)
@json_option
@click.pass_obj
def make(app: AppContext, script: str, channels: str | None, as_json: bool) -> None:
    """Viết tin bài / gói đăng của một kịch bản đã duyệt. / Write the publication files."""
    app.require(Role.PRODUCER)
    from broadcast.publish.publish import parse_channels
    from broadcast.publish.publish import publish as run_publish

    ws = app.workspace
    result = run_publish(ws, script, parse_channels(channels))
    if as_json:
        data: dict[str, Any] = {
            "script": result.script.slug,
            "channels": {
                name: [str(p.relative_to(ws.root)) for p in files]
                for name, files in result.files.items()
            },
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for name, files in result.files.items():
        folder = files[0].parent.relative_to(ws.root) if files else "-"
        click.echo(f"Kênh {name}: đã ghi {len(files)} tệp vào {folder}")


@publish.command("log")
@click.argument("script")
@click.option(
    "--channel", required=True, help="Kênh: portal, facebook, youtube, tiktok, zalo, loa."
)
@click.option(
    "--where", required=True, help="Địa chỉ bài đăng (URL) hoặc nơi phát. / URL or place."
)
@click.option(
    "--at",
    default=None,
    help='Thời điểm đăng (giờ đài), vd. "2026-12-03 09:30"; mặc định: bây giờ. / When.',
)
@click.option("--note", default="", help="Ghi chú. / Note.")
@json_option
@click.pass_obj
def log_cmd(
    app: AppContext,
    script: str,
    channel: str,
    where: str,
    at: str | None,
    note: str,
    as_json: bool,
) -> None:
    """Ghi lại một lần đăng tin đã duyệt. / Record that an approved script was published."""
    from broadcast.publish.log import LOG_CHANNELS, log_publication, publication_json

    row = log_publication(
        app.workspace, script, channel=channel, where=where, person=app.person, at=at, note=note
    )
    if as_json:
        click.echo(json.dumps(publication_json(row), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"Đã ghi: {row.script_slug} đăng trên {LOG_CHANNELS[row.channel]} lúc "
        f"{row.published_at:%Y-%m-%d %H:%M}, tại {row.place}."
    )


@publish.command("list")
@click.argument("script", required=False)
@click.option("--channel", default=None, help="Chỉ một kênh. / Only this channel.")
@json_option
@click.pass_obj
def list_cmd(app: AppContext, script: str | None, channel: str | None, as_json: bool) -> None:
    """Nhật ký đăng tin, mới nhất trước. / The publication log, newest first."""
    from broadcast.publish.log import list_publications, publication_json

    rows = list_publications(app.workspace, script, channel)
    if as_json:
        click.echo(json.dumps([publication_json(r) for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Chưa ghi lần đăng nào; ghi bằng 'broadcast publish log'.")
        return
    for r in rows:
        click.echo(
            f"{r.published_at:%Y-%m-%d %H:%M}  {r.channel:<8}  {r.script_slug}  {r.place}  "
            f"({r.entered_by}, ghi lúc {local(r.entered_at)})"
        )


COMMANDS = [publish]
