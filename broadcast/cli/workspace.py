"""``broadcast init``: create a station workspace."""

from __future__ import annotations

from pathlib import Path

import click

from broadcast.languages import parse_languages
from broadcast.store.station import Station, default_slots
from broadcast.store.workspace import init_workspace


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--station", "station_name", required=True, help="Tên đài, vd. 'Đài truyền thanh xã Mường La'."
)
@click.option("--commune", required=True, help="Tên xã/phường.")
@click.option("--province", required=True, help="Tên tỉnh.")
@click.option(
    "--languages",
    default="vi",
    show_default=True,
    help="Mã ngôn ngữ, cách nhau dấu phẩy (vi,blt,hmn).",
)
def init(directory: Path, station_name: str, commune: str, province: str, languages: str) -> None:
    """Tạo không gian làm việc của đài. / Create a station workspace."""
    station = Station(
        name=station_name.strip(),
        commune=commune.strip(),
        province=province.strip(),
        languages=parse_languages(languages),
        slots=default_slots(),
    )
    ws = init_workspace(directory, station)
    click.echo(f"Đã tạo không gian làm việc: {ws.root}")
    click.echo(f"  Cấu hình: {ws.root / 'station.toml'}")
    click.echo(f"  Cơ sở dữ liệu: {ws.db_path}")


COMMANDS = [init]
