"""Adding and listing the province's stations: the rules behind ``broadcast station`` and the
web workspace's station switcher.

A station is two things that must exist together: its row in the province's database
(``broadcast.store.stations``) and its folder, a sibling of the other stations' folders on
the shared media, named by its code and holding its station.toml, media and cache. Adding
one writes the row, then the folder through ``init_workspace`` (which finds the row), and
removes the row again if the folder cannot be made, so neither exists without the other.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from broadcast.errors import BroadcastError, InputError
from broadcast.model.people import ALL_GRANTS, Person
from broadcast.model.stations import StationEntry, check_slug
from broadcast.store import stations as store
from broadcast.store.db import Database
from broadcast.store.station import Station, default_slots
from broadcast.store.workspace import STATION_FILE, Workspace, init_workspace


def station_folder(ws: Workspace, slug: str) -> Path:
    """The folder of station ``slug``: a sibling of this workspace's folder."""
    return ws.root.parent / slug


def _require_province(db: Database, actor: Person) -> None:
    if db.dialect == "sqlite":
        raise InputError(
            "Không gian làm việc này dùng tệp SQLite của một trạm; nhiều trạm chỉ có trên máy "
            "chủ PostgreSQL của tỉnh (BROADCAST_DATABASE_URL)."
        )
    if not actor.is_province_admin:
        raise InputError(
            f"{actor.label} không phải người quản trị của tỉnh nên không thêm được trạm; hãy "
            "nhờ người quản trị tỉnh."
        )


def list_stations(db: Database) -> list[StationEntry]:
    """Every station of the database (a SQLite file: its one station, once named)."""
    return store.list_stations(db)


def stations_of(db: Database, person: Person, ws: Workspace) -> list[StationEntry]:
    """The stations ``person`` may work in: every one for a holder of a province role, else
    their own station and those where they hold a role (what the web switcher offers). A
    SQLite workspace is its one station."""
    if db.dialect == "sqlite":
        return [StationEntry(db.station_id, ws.station_slug, ws.station.name, "", "")]
    everyone = store.list_stations(db)
    if any(g.province for g in person.grants):
        return everyone
    with db.province_wide():
        mine = store.stations_of_person(db, person.id)
    return [s for s in everyone if s.id in mine or s.id == person.station_id]


def add_station(
    ws: Workspace,
    db: Database,
    actor: Person,
    slug: str,
    name: str,
    *,
    commune: str | None = None,
    admin_login: str | None = None,
    admin_name: str | None = None,
) -> tuple[StationEntry, Workspace, Person | None]:
    """A new station: its row, its folder beside ``ws`` with a station.toml from the
    embedded defaults (same province and languages as ``ws``), and optionally its first
    admin, a person of the new station holding every role there."""
    from broadcast.people.accounts import check_login

    _require_province(db, actor)
    try:
        slug = check_slug(slug)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    name = name.strip()
    if not name:
        raise InputError("Hãy ghi tên đài của trạm mới (--ten), vd. 'Đài truyền thanh xã …'.")
    if admin_login is not None:
        admin_login = check_login(admin_login)
        from broadcast.store.people import find_person

        with db.province_wide():
            taken = find_person(db, admin_login)
        if taken is not None and taken.login.lower() == admin_login.lower():
            raise InputError(
                f"Đã có người dùng '{admin_login}' trên máy chủ của tỉnh; chọn tên đăng nhập "
                "khác cho người quản trị của trạm mới."
            )
    folder = station_folder(ws, slug)
    # A file of that name (not a folder) is in the way as much as a folder with files.
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError(f"Thư mục {folder} đã có dữ liệu; hãy chọn mã trạm khác.")
    entry = store.add_station(db, slug, name, by=actor.login)
    database = ws.station.raw.get("database")
    table = {"station": slug}
    if isinstance(database, dict) and database.get("url"):
        table["url"] = str(database["url"])
    station = Station(
        name=name,
        commune=(commune or name).strip(),
        province=ws.station.province,
        languages=ws.station.languages,
        slots=default_slots(),
        raw={"database": table},
    )
    made = not folder.exists() and not folder.is_symlink()
    try:
        new = init_workspace(folder, station)
    except BaseException as exc:
        store.remove_station(db, entry.id)
        if made:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):  # the shared folder refused (a dangling link, no room …)
            raise InputError(
                f"Không tạo được thư mục {folder} ({exc.strerror or exc}); trạm chưa được "
                "thêm: hãy kiểm tra thư mục dùng chung rồi chạy lại."
            ) from exc
        raise
    admin = None
    if admin_login is not None:
        from broadcast.store import people

        with new.open_db() as there:
            admin = people.add_person(
                there, admin_login, (admin_name or admin_login).strip(), ALL_GRANTS,
                by=actor.login,
            )  # fmt: skip
    return entry, new, admin


def workspace_of(ws: Workspace, slug: str) -> Workspace:
    """The workspace of station ``slug`` seen from ``ws`` (itself, or its sibling folder);
    one sentence when the folder is not on this machine's copy of the shared media."""
    from broadcast.errors import WorkspaceError
    from broadcast.store.workspace import find_workspace

    if slug == ws.station_slug:
        return ws
    folder = station_folder(ws, slug)
    if not (folder / STATION_FILE).is_file():
        raise WorkspaceError(
            f"Không thấy thư mục của trạm '{slug}' ({folder}); hãy gắn (mount) thư mục dùng "
            "chung của tỉnh ở cùng chỗ với thư mục của trạm này."
        )
    return find_workspace(folder)


def busy_workspaces(ws: Workspace) -> list[Workspace]:
    """The workspaces, reachable from ``ws``, of the stations that have a running job (what
    a worker's recovery looks at): ``ws`` itself on SQLite; on a province server those of
    the stations found by one province-wide query whose folders are beside ``ws``."""
    from broadcast.store.jobs import stations_with_running_jobs

    with ws.open_db() as db:
        if db.dialect == "sqlite":
            return [ws]
        codes = stations_with_running_jobs(db)
    found = []
    for code in codes:
        try:
            found.append(workspace_of(ws, code))
        except BroadcastError:
            continue  # a station whose folder this machine does not see (or cannot read)
    return found
