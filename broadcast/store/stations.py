"""The province's stations (issue 16, migration 18): rows in, ``StationEntry`` values out,
and the one place a workspace's connection is pointed at its station.

On PostgreSQL a connection works for one station at a time (``Database.use_station``) and
row-level security hides every other station's rows; a SQLite file is one station, id 1.
"""

from __future__ import annotations

import sqlite3
import threading

from broadcast.errors import InputError
from broadcast.model.stations import StationEntry
from broadcast.store.db import Database

_STATION = "SELECT id, slug, name, created_by, created_at FROM stations"
FIRST_STATION = 1
"""The station migration 18 creates; it has no code until a workspace claims it."""

_IDS: dict[tuple[str, str], int] = {}  # (database, code) -> id: codes are never renamed
_IDS_LOCK = threading.Lock()


def _entry(row: sqlite3.Row | tuple[object, ...]) -> StationEntry:
    return StationEntry(int(str(row[0])), str(row[1]), str(row[2]), str(row[3]), str(row[4]))


def list_stations(db: Database) -> list[StationEntry]:
    """Every station of the database, by code (the first one while unclaimed is left out)."""
    rows = db.conn.execute(f"{_STATION} WHERE slug != '' ORDER BY slug").fetchall()
    return [_entry(r) for r in rows]


def station_by_slug(db: Database, slug: str) -> StationEntry | None:
    row = db.conn.execute(f"{_STATION} WHERE slug = ?", (slug,)).fetchone()
    return None if row is None else _entry(row)


def station_by_id(db: Database, station_id: int) -> StationEntry | None:
    row = db.conn.execute(f"{_STATION} WHERE id = ?", (station_id,)).fetchone()
    return None if row is None else _entry(row)


def add_station(db: Database, slug: str, name: str, *, by: str) -> StationEntry:
    """A new station row; a code already taken is refused inside the transaction."""
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM stations WHERE slug = ?", (slug,)).fetchone():
            raise InputError(f"Đã có trạm mã '{slug}'; hãy chọn mã khác.")
        row = conn.execute(
            "INSERT INTO stations (slug, name, created_by) VALUES (?, ?, ?)"
            " RETURNING id, slug, name, created_by, created_at",
            (slug, name, by),
        ).fetchone()
    return _entry(row)


def station_id_for(db: Database, slug: str, name: str) -> int:
    """The id of the station coded ``slug``. The database's first station, still without a
    code, is claimed by the first workspace that asks (a single commune on PostgreSQL needs
    no ``station add``); any other unknown code is one sentence saying who creates it."""
    key = (str(getattr(db, "_key", db.path)), slug)
    with _IDS_LOCK:
        known = _IDS.get(key)
    if known is not None:
        return known
    found = station_by_slug(db, slug)
    if found is None:
        with db.transaction() as conn:
            claimed = conn.execute(
                "UPDATE stations SET slug = ?, name = ? WHERE id = ? AND slug = ''",
                (slug, name, FIRST_STATION),
            ).rowcount
        found = station_by_slug(db, slug) if claimed else None
        if found is None:
            raise InputError(
                f"Trạm '{slug}' chưa có trên máy chủ của tỉnh; người quản trị tỉnh tạo trạm "
                f"bằng lệnh: broadcast station add {slug}."
            )
    with _IDS_LOCK:
        _IDS[key] = found.id
    return found.id


def remove_station(db: Database, station_id: int) -> None:
    """Undo ``add_station`` when its folder could not be made (nothing refers to it yet)."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM stations WHERE id = ?", (station_id,))
    with _IDS_LOCK:
        for key in [k for k, v in _IDS.items() if v == station_id]:
            del _IDS[key]


def stations_of_person(db: Database, person_id: int) -> set[int]:
    """The stations where ``person_id`` holds a station role (read province-wide)."""
    rows = db.conn.execute(
        "SELECT DISTINCT station_id FROM person_roles WHERE person_id = ?"
        " AND station_id IS NOT NULL",
        (person_id,),
    ).fetchall()
    return {int(r[0]) for r in rows}
