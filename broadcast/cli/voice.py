"""``broadcast voice``: voice a script (``voice SCRIPT``), install a Piper voice
(``voice install``) and list the voices (``voice list``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from broadcast.cli import render
from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.model.people import Role


class _VoiceGroup(click.Group):
    """``broadcast voice SCRIPT`` voices a script as it always did; ``voice install|list``
    manage the voices. A first word that is no subcommand is a script: run ``voice make``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["make", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_VoiceGroup)
def voice() -> None:
    """Đọc kịch bản thành giọng nói; cài và liệt kê giọng đọc.

    broadcast voice KỊCH_BẢN [--voice HỒ_SƠ] [--lang vi]: voice a stored script.
    'voice install TỆP.onnx [TỆP.onnx.json]': install a downloaded Piper voice.
    'voice list': every voice, its engine, language, offline or not, usable here or not.
    """


voice.add_command(render.voice, name="make")


@voice.command("install")
@click.argument("model", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("config", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--name", default=None, help="Tên hồ sơ giọng (mặc định piper-<tên tệp>). / Name.")
@click.option("--replace", is_flag=True, help="Thay giọng cùng tên đã cài. / Replace.")
@json_option
@click.pass_obj
def install(
    app: AppContext,
    model: Path,
    config: Path | None,
    name: str | None,
    replace: bool,
    as_json: bool,
) -> None:
    """Cài giọng Piper đã tải về (TỆP.onnx và TỆP.onnx.json). / Install a Piper voice.

    Kiểm tra cặp tệp (bảng âm vị, tần số lấy mẫu, ngôn ngữ, đầu vào của mô hình), chép vào
    voices/piper/ của không gian làm việc và viết hồ sơ giọng voices/piper-<tên>.toml.
    """
    app.require(Role.ADMIN)
    from broadcast.voice.install import install_voice

    done = install_voice(app.workspace, model, config, name=name, replace=replace)
    if as_json:
        data = {
            "profile": done.profile,
            "profile_path": str(done.profile_path),
            "model": str(done.model),
            "config": str(done.config),
            "language": done.language,
            "sample_rate": done.sample_rate,
            "unchanged": done.unchanged,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    verb = "Đã có sẵn" if done.unchanged else "Đã cài"
    click.echo(
        f"{verb} giọng '{done.profile}' ({done.language}, {done.sample_rate} Hz): {done.model}"
    )
    click.echo(f"  Thử: broadcast voice KỊCH_BẢN --voice {done.profile}")
    click.echo(f'  Dùng mặc định: đặt voice = "{done.profile}" trong [audio] của station.toml.')


@voice.command("list")
@json_option
@click.pass_obj
def list_cmd(app: AppContext, as_json: bool) -> None:
    """Mọi giọng đọc: bộ đọc, ngôn ngữ, ngoại tuyến, dùng được không. / List the voices."""
    from broadcast.voice.catalog import list_voices

    entries = list_voices(app.workspace)
    if as_json:
        click.echo(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    width = max((len(e.name) for e in entries), default=0)
    for e in entries:
        mark = "*" if e.default else " "
        where = "ngoại tuyến" if e.offline else "cần mạng"
        state = "dùng được" if e.usable else f"chưa dùng được: {e.problem}"
        click.echo(f"{mark} {e.name:<{width}}  {e.engine:<9} {e.language:<4} {where:<11} {state}")
        if e.usable:
            click.echo(f"  {'':<{width}}  {e.sample}")
    click.echo("(* giọng mặc định của đài: [audio] voice trong station.toml)")


COMMANDS = [voice]
