"""``broadcast mt``: machine-translation packages installed in the workspace."""

from __future__ import annotations

import json
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.translate.argos import ArgosModel, install_model, list_models, require_argos


@click.group()
def mt() -> None:
    """Gói dịch máy (argostranslate) của đài. / Machine-translation packages."""


@mt.command("install")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def install(app: AppContext, file: Path) -> None:
    """Cài một gói .argosmodel vào không gian làm việc (không tải gì từ mạng).

    Installs an .argosmodel file into the workspace's models/argos/, replacing a package for
    the same language pair; a bad file is refused and nothing is installed.
    """
    require_argos()
    model = install_model(app.workspace, file)
    click.echo(
        f"Đã cài gói dịch {model.from_code} → {model.to_code} "
        f"({model.from_name} → {model.to_name}, phiên bản {model.version or '?'}) "
        f"vào {model.folder}."
    )


@mt.command("list")
@json_option
@click.pass_obj
def list_command(app: AppContext, as_json: bool) -> None:
    """Liệt kê các gói dịch máy đã cài. / List installed MT packages."""
    require_argos()
    models = list_models(app.workspace)
    if as_json:
        click.echo(json.dumps([_as_dict(m) for m in models], ensure_ascii=False, indent=2))
        return
    if not models:
        click.echo("Chưa cài gói dịch máy nào; dùng 'broadcast mt install TỆP.argosmodel'.")
        return
    for m in models:
        click.echo(
            f"argos\t{m.from_code} → {m.to_code}\t{m.from_name} → {m.to_name}\t"
            f"{m.version or '?'}\t{m.folder.name}"
        )


def _as_dict(model: ArgosModel) -> dict[str, str]:
    return {
        "engine": "argos",
        "from_code": model.from_code,
        "to_code": model.to_code,
        "from_name": model.from_name,
        "to_name": model.to_name,
        "version": model.version,
        "folder": str(model.folder),
    }


COMMANDS = [mt]
