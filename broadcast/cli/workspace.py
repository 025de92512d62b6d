"""``broadcast init``: create a station workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from broadcast.errors import InputError
from broadcast.languages import parse_languages
from broadcast.model.people import Person
from broadcast.store.station import Station, default_slots, zone_option
from broadcast.store.workspace import Workspace, init_workspace


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
@click.option(
    "--zone",
    "zones",
    multiple=True,
    help='Cụm loa "MÃ:Tên", lặp lại cho mỗi cụm (mặc định: cả xã là một cụm). / Zone.',
)
@click.option("--portal", default=None, help="Cổng dịch vụ công, in ở cuối video. / Portal URL.")
@click.option("--hotline", default=None, help="Đường dây nóng, in ở cuối video. / Hotline.")
@click.option("--signer", default=None, help="Họ tên người ký báo cáo. / Report signer.")
@click.option(
    "--signer-title", default=None, help="Chức danh người ký (mặc định GIÁM ĐỐC). / Title."
)
@click.option(
    "--admin",
    default=None,
    metavar="TÊN",
    help="Tên đăng nhập của người quản trị đầu tiên (giữ mọi vai trò; mặc định $USER). / "
    "Login of the first admin.",
)
@click.option(
    "--admin-name", default=None, help="Họ tên người quản trị đầu tiên. / Their full name."
)
def init(
    directory: Path,
    station_name: str,
    commune: str,
    province: str,
    languages: str,
    zones: tuple[str, ...],
    portal: str | None,
    hotline: str | None,
    signer: str | None,
    signer_title: str | None,
    admin: str | None,
    admin_name: str | None,
) -> None:
    """Tạo không gian làm việc của đài. / Create a station workspace."""
    from broadcast.config.check import check_new_station

    tables: dict[str, Any] = {}
    if zones:
        tables["zones"] = [zone_option(z) for z in zones]
    report = {"signer": signer, "signer_title": signer_title}
    if any(report.values()):
        tables["report"] = {k: v.strip() for k, v in report.items() if v}
    station = Station(
        name=station_name.strip(),
        commune=commune.strip(),
        province=province.strip(),
        languages=parse_languages(languages),
        slots=default_slots(),
        portal=(portal or "").strip() or None,
        hotline=(hotline or "").strip() or None,
        raw=tables,
    )
    check_new_station(station, directory)
    if admin is not None:
        from broadcast.people.accounts import check_login

        check_login(admin)  # refused before anything is written
    ws = init_workspace(directory, station)
    first = _first_admin(ws, admin, admin_name)
    click.echo(f"Đã tạo không gian làm việc: {ws.root}")
    province = ", quản trị cả tỉnh" if first.is_province_admin else ""
    click.echo(f"  Người quản trị: {first.label} (giữ mọi vai trò{province})")
    click.echo(f"  Cấu hình: {ws.root / 'station.toml'}")
    click.echo(f"  Cơ sở dữ liệu: {ws.database_label}")


def _first_admin(ws: Workspace, login: str | None, name: str | None) -> Person:
    """The first person of the workspace, from --admin or the system user: the CLI then
    acts as them unless told otherwise (--as, BROADCAST_USER)."""
    import os

    from broadcast.people.accounts import check_login, create_first_admin
    from broadcast.store.naming import slugify

    chosen = login or os.environ.get("USER") or os.environ.get("LOGNAME") or "quantri"
    if login is None:
        try:
            chosen = check_login(chosen)
        except InputError:
            chosen = slugify(chosen).replace("-", ".")
    with ws.open_db() as db:
        return create_first_admin(db, chosen, name)


COMMANDS = [init]
