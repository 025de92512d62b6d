"""The translation memory in the store (migration 3): approved segment pairs with context.

Rows are only inserted or deleted, never updated, and ids are never reused
(AUTOINCREMENT); triggers count the changes per language, which the in-process fuzzy index
reads to know whether to extend itself (new ids only) or start again (a deletion).

Issue 16: a row belongs to a station (``station_id``) or to the whole province (NULL) on a
province server, and keeps the station it came from and the person (migration 19). Reads
see what row-level security shows the connection (its station's rows and the province's);
every read ranks the station's own pairs first: those of its own layer and those it gave
the province (its editors approved them), before the pairs of other stations.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from broadcast.model.translation import OWN, Provenance, TMUnit
from broadcast.store.db import Connection, Database, Row


@dataclass(frozen=True)
class StoredUnit:
    id: int
    source: str
    target: str
    previous: str
    origin: str
    created_at: str
    provenance: Provenance = OWN


@dataclass(frozen=True)
class Scope:
    """Where new pairs go: ``station_id`` None = the province's memory, else that
    station's own; ``from_station`` and ``created_by`` are recorded with every pair."""

    station_id: int | None
    from_station: int | None = None
    created_by: str = ""


# The columns every read returns: the pair, whether it is the province's, and who made it
# (the stations table is read by every station: names are not a commune's secret).
_COLUMNS = (
    "t.id, t.source, t.target, t.previous, t.origin, t.created_at, t.created_by,"
    " coalesce(nullif(s.name, ''), s.slug, '') AS from_name,"
    " CASE WHEN t.station_id = ? OR t.from_station = ? THEN 1 ELSE 0 END AS own"
)
_FROM = " FROM tm_segments t LEFT JOIN stations s ON s.id = t.from_station"
_INSERT = (
    "INSERT INTO tm_segments (language, source, target, previous, origin, station_id,"
    " from_station, created_by{dated}) VALUES (?, ?, ?, ?, ?, ?, ?, ?{mark})"
    " ON CONFLICT DO NOTHING"
)
_INSERT_NOW = _INSERT.format(dated="", mark="")
_INSERT_DATED = _INSERT.format(dated=", created_at", mark=", ?")


def _row(unit: TMUnit, scope: Scope) -> tuple[object, ...]:
    values: tuple[object, ...] = (
        unit.language,
        unit.source,
        unit.target,
        unit.previous,
        unit.origin,
        scope.station_id,
        scope.from_station,
        scope.created_by,
    )
    return values if unit.created_at is None else (*values, unit.created_at)


def insert_unit(conn: Connection, unit: TMUnit, scope: Scope) -> bool:
    """Store one pair; False when the same pair in the same context is already stored in
    the same memory (the station's own or the province's)."""
    sql = _INSERT_NOW if unit.created_at is None else _INSERT_DATED
    cursor = conn.execute(sql, _row(unit, scope))
    return cursor.rowcount > 0


def insert_units(conn: Connection, units: Sequence[TMUnit], scope: Scope) -> int:
    """Store many pairs, in their order, one statement run over each stretch of them (with
    or without their own date) instead of one round trip each: a 100,000-pair import on
    PostgreSQL spent most of its time waiting on the server per pair. The number newly
    stored (pairs already there in the same context are skipped, as by ``insert_unit``)."""
    added = 0
    for dated, stretch in groupby(units, key=lambda u: u.created_at is not None):
        sql = _INSERT_DATED if dated else _INSERT_NOW
        added += conn.executemany(sql, [_row(u, scope) for u in stretch]).rowcount
    return added


def exact_units(db: Database, language: str, source: str) -> list[StoredUnit]:
    """Stored pairs whose source is exactly ``source``: the station's own first, then the
    province's, newest first within each."""
    me = db.station_id
    rows = db.conn.execute(
        f"SELECT {_COLUMNS}{_FROM} WHERE t.language = ? AND t.source = ?"
        " ORDER BY own DESC, t.id DESC",
        (me, me, language, source),
    ).fetchall()
    return [_unit(row) for row in rows]


def units_by_id(db: Database, ids: Sequence[int]) -> dict[int, StoredUnit]:
    found: dict[int, StoredUnit] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            f"SELECT {_COLUMNS}{_FROM} WHERE t.id IN ({marks})",
            [db.station_id, db.station_id, *chunk],
        ):
            found[row["id"]] = _unit(row)
    return found


def database_identity(db: Database) -> tuple[str, int]:
    """What tells this database apart from any other for the in-process caches (fuzzy
    index, term base): the SQLite file by path and inode (a restored backup is another
    file); a PostgreSQL database by server, name and OID (a database dropped and made again
    under its name is another one). The station is not part of it: callers add it."""
    if db.dialect == "sqlite":
        path = os.path.abspath(db.path)
        try:
            return path, os.stat(path).st_ino
        except OSError:
            return path, 0
    row = db.conn.execute(
        "SELECT oid FROM pg_database WHERE datname = current_database()"
    ).fetchone()
    return f"{db.dialect}:{db.path}", int(row[0]) if row else 0


def change_count(db: Database, language: str) -> int:
    """Inserts plus deletes ever made in a language's pairs (kept by triggers, migration 3).

    One counter per language for the whole database: on a province server a change in any
    station moves it, so every station's fuzzy index looks again (see ``tmindex``)."""
    row = db.conn.execute(
        "SELECT changes FROM tm_changes WHERE language = ?", (language,)
    ).fetchone()
    return int(row[0]) if row else 0


LAYERS = ("province", "station")
"""The two parts of the memory a station sees: the province's pairs (station_id NULL), the
same for every station, and the station's own (a SQLite file: all of them)."""

_LAYER_SQL = {"province": "station_id IS NULL", "station": "station_id IS NOT NULL"}


def sources_after(
    db: Database, language: str, after_id: int, layer: str = "station"
) -> Iterator[tuple[int, str, int]]:
    """(id, source, the station it came from or 0) of one layer's pairs of a language that
    the connection sees, with ids above ``after_id``, in id order."""
    for row in db.conn.execute(
        "SELECT id, source, coalesce(from_station, station_id, 0) FROM tm_segments"
        f" WHERE language = ? AND id > ? AND {_LAYER_SQL[layer]} ORDER BY id",
        (language, after_id),
    ):
        yield int(row[0]), str(row[1]), int(row[2])


def count_through(db: Database, language: str, last_id: int, layer: str = "station") -> int:
    """How many pairs of one layer of a language the connection sees, ids up to ``last_id``."""
    row = db.conn.execute(
        "SELECT count(*) FROM tm_segments WHERE language = ? AND id <= ?"
        f" AND {_LAYER_SQL[layer]}",
        (language, last_id),
    ).fetchone()
    return int(row[0])


def all_units(db: Database, language: str | None = None) -> Iterator[TMUnit]:
    sql = "SELECT language, source, target, previous, origin, created_at FROM tm_segments"
    args: tuple[str, ...] = ()
    if language is not None:
        sql += " WHERE language = ?"
        args = (language,)
    for row in db.conn.execute(sql + " ORDER BY id", args):
        yield TMUnit(
            source=row["source"],
            target=row["target"],
            language=row["language"],
            previous=row["previous"],
            origin=row["origin"],
            created_at=row["created_at"],
        )


def _unit(row: Row) -> StoredUnit:
    own = bool(row["own"])
    return StoredUnit(
        id=row["id"],
        source=row["source"],
        target=row["target"],
        previous=row["previous"],
        origin=row["origin"],
        created_at=row["created_at"],
        provenance=OWN
        if own
        else Provenance(province=True, station=row["from_name"] or "", login=row["created_by"]),
    )
