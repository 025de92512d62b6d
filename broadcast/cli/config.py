"""``broadcast config show|check``: the station's settings, effective and checked."""

from __future__ import annotations

import json
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option


@click.group()
def config() -> None:
    """Cấu hình đài (station.toml). / Station settings."""


@config.command()
@json_option
@click.pass_obj
def show(app: AppContext, as_json: bool) -> None:
    """Giá trị đang dùng của mọi thiết lập và nguồn của nó. / Effective settings."""
    from broadcast.config.show import effective_settings

    entries = effective_settings(app.workspace)
    if as_json:
        data = [e.as_dict() for e in entries]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    for entry in entries:
        value = entry.value
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        shown = "(không có)" if shown is None else shown
        shown = str(shown).lower() if isinstance(shown, bool) else shown
        click.echo(f"{entry.path} = {shown}  ← {entry.origin}")


@config.command()
@click.argument(
    "file", required=False, type=click.Path(path_type=Path, dir_okay=False, exists=True)
)
@json_option
@click.pass_obj
def check(app: AppContext, file: Path | None, as_json: bool) -> None:
    """Kiểm tra station.toml, báo mọi lỗi kèm vị trí; không ghi gì. / Check station.toml."""
    from broadcast.config.check import check_station_file, station_file

    path = file or station_file(app.workspace_option)
    result = check_station_file(path)
    if as_json:
        data = {"file": str(path), "problems": result.problems, "notices": result.notices}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for notice in result.notices:
            click.echo(f"Lưu ý: {notice}", err=True)
        for problem in result.problems:
            click.echo(f"Lỗi: {problem}", err=True)
        if result.ok:
            click.echo(f"{path}: không có lỗi.")
        else:
            click.echo(f"{path}: {len(result.problems)} lỗi; chưa ghi gì.", err=True)
    if not result.ok:
        raise click.exceptions.Exit(2)


COMMANDS = [config]
