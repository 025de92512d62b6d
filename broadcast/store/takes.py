"""Reads the announcer-take stage needs from the database (its files live in ``takes/``)."""

from __future__ import annotations

from dataclasses import dataclass

from broadcast.store.db import Database


@dataclass(frozen=True)
class ScriptLine:
    position: int
    role: str
    written: str
    spoken: str


def script_lines(db: Database, script_id: int) -> list[ScriptLine]:
    """Every sentence of a stored script, in order, with both its written and spoken form."""
    rows = db.conn.execute(
        "SELECT position, role, written, spoken FROM sentences WHERE script_id = ?"
        " ORDER BY position",
        (script_id,),
    ).fetchall()
    return [ScriptLine(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]
