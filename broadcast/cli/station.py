"""``broadcast station``: the province server's stations (issue 16)."""

from __future__ import annotations

import json

import click

from broadcast.cli.context import AppContext


@click.group()
def station() -> None:
    """Các trạm (xã, phường) trên máy chủ của tỉnh: thêm, liệt kê. / Stations."""


@station.command("add")
@click.argument("slug", metavar="MÃ_TRẠM")
@click.option("--ten", "name", required=True, help="Tên đài của trạm. / Station name.")
@click.option("--xa", "commune", default=None, help="Tên xã/phường (mặc định: tên đài).")
@click.option(
    "--quan-tri",
    "admin",
    default=None,
    metavar="TÊN_ĐĂNG_NHẬP",
    help="Người quản trị đầu tiên của trạm (giữ mọi vai trò ở trạm). / First admin.",
)
@click.option("--ten-quan-tri", "admin_name", default=None, help="Họ tên người quản trị đó.")
@click.pass_obj
def add(
    app: AppContext,
    slug: str,
    name: str,
    commune: str | None,
    admin: str | None,
    admin_name: str | None,
) -> None:
    """Thêm một trạm: dòng trong cơ sở dữ liệu và thư mục bên cạnh (chỉ người quản trị
    tỉnh). / Add a station (province admins only)."""
    from broadcast.province.stations import add_station

    ws = app.workspace
    with ws.open_db() as db:
        entry, new, first = add_station(
            ws, db, app.person, slug, name, commune=commune, admin_login=admin,
            admin_name=admin_name,
        )  # fmt: skip
    click.echo(f"Đã thêm trạm {entry.slug}: {entry.label}")
    click.echo(f"  Thư mục: {new.root}")
    if first is not None:
        click.echo(f"  Người quản trị: {first.label} (giữ mọi vai trò ở trạm này)")


@station.command("list")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON. / JSON output.")
@click.pass_obj
def list_(app: AppContext, as_json: bool) -> None:
    """Liệt kê các trạm mà người dùng làm việc được. / List the stations you may work in."""
    from broadcast.province.stations import stations_of

    ws = app.workspace
    person = app.person
    with ws.open_db() as db:
        found = stations_of(db, person, ws)
    if as_json:
        click.echo(
            json.dumps(
                [{"slug": s.slug, "name": s.name, "current": s.id == db.station_id} for s in found],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for s in found:
        mark = "*" if s.id == db.station_id else " "
        click.echo(f"{mark} {s.slug:<24} {s.label}")


COMMANDS = [station]
