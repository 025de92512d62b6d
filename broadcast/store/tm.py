"""The translation memory in SQLite (migration 3): approved segment pairs with context.

Rows are only inserted or deleted, never updated, and ids are never reused
(AUTOINCREMENT); triggers count the changes per language, which the in-process fuzzy index
reads to know whether to extend itself (new ids only) or start again (a deletion).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from broadcast.model.translation import TMUnit
from broadcast.store.db import Connection, Database, Row


@dataclass(frozen=True)
class StoredUnit:
    id: int
    source: str
    target: str
    previous: str
    origin: str
    created_at: str


def insert_unit(conn: Connection, unit: TMUnit) -> bool:
    """Store one pair; False when the same pair in the same context is already stored."""
    if unit.created_at is None:
        cursor = conn.execute(
            "INSERT INTO tm_segments (language, source, target, previous, origin)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (unit.language, unit.source, unit.target, unit.previous, unit.origin),
        )
    else:
        cursor = conn.execute(
            "INSERT INTO tm_segments"
            " (language, source, target, previous, origin, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (unit.language, unit.source, unit.target, unit.previous, unit.origin, unit.created_at),
        )
    return cursor.rowcount > 0


def insert_units(conn: Connection, units: Sequence[TMUnit]) -> int:
    """Store many pairs, in their order, one statement run over each stretch of them (with
    or without their own date) instead of one round trip each: a 100,000-pair import on
    PostgreSQL spent most of its time waiting on the server per pair. The number newly
    stored (pairs already there in the same context are skipped, as by ``insert_unit``)."""
    added = 0
    for dated, stretch in groupby(units, key=lambda u: u.created_at is not None):
        if dated:
            added += conn.executemany(
                "INSERT INTO tm_segments"
                " (language, source, target, previous, origin, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    (u.language, u.source, u.target, u.previous, u.origin, u.created_at)
                    for u in stretch
                ],
            ).rowcount
        else:
            added += conn.executemany(
                "INSERT INTO tm_segments (language, source, target, previous, origin)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(u.language, u.source, u.target, u.previous, u.origin) for u in stretch],
            ).rowcount
    return added


def exact_units(db: Database, language: str, source: str) -> list[StoredUnit]:
    """Stored pairs whose source is exactly ``source``, newest first."""
    rows = db.conn.execute(
        "SELECT id, source, target, previous, origin, created_at FROM tm_segments"
        " WHERE language = ? AND source = ? ORDER BY id DESC",
        (language, source),
    ).fetchall()
    return [_unit(row) for row in rows]


def units_by_id(db: Database, ids: Sequence[int]) -> dict[int, StoredUnit]:
    found: dict[int, StoredUnit] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            "SELECT id, source, target, previous, origin, created_at FROM tm_segments"
            f" WHERE id IN ({marks})",
            chunk,
        ):
            found[row["id"]] = _unit(row)
    return found


def change_count(db: Database, language: str) -> int:
    """Inserts plus deletes ever made in a language's pairs (kept by triggers, migration 3)."""
    row = db.conn.execute(
        "SELECT changes FROM tm_changes WHERE language = ?", (language,)
    ).fetchone()
    return int(row[0]) if row else 0


def sources_after(db: Database, language: str, after_id: int) -> Iterator[tuple[int, str]]:
    """(id, source) of a language's pairs with ids above ``after_id``, in id order."""
    yield from db.conn.execute(
        "SELECT id, source FROM tm_segments WHERE language = ? AND id > ? ORDER BY id",
        (language, after_id),
    )


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
    return StoredUnit(
        id=row["id"],
        source=row["source"],
        target=row["target"],
        previous=row["previous"],
        origin=row["origin"],
        created_at=row["created_at"],
    )
