"""The station's spoken-form dictionary in SQLite (migration 13): written form -> reading.

Rows only; validation and the role check live in ``broadcast.script.spoken.station``. The
writes run inside one transaction each, so a reading is either saved whole or not at all.
"""

from __future__ import annotations

import datetime as dt

from broadcast.model.spoken import StationReading
from broadcast.store.db import Database


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def list_readings(db: Database) -> list[StationReading]:
    """Every saved reading, by written form (case-insensitively, then exactly)."""
    rows = db.conn.execute(
        "SELECT written, spoken, saved_by, saved_at FROM spoken_forms"
        " ORDER BY lower(written), written"
    ).fetchall()
    return [StationReading(r[0], r[1], r[2], _at(r[3])) for r in rows]


def save_reading(db: Database, reading: StationReading) -> StationReading | None:
    """Save (or replace) the reading of ``reading.written``; the one it replaced, if any."""
    at = reading.saved_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT written, spoken, saved_by, saved_at FROM spoken_forms WHERE written = ?",
            (reading.written,),
        ).fetchone()
        # Update, else insert, under the writer lock: no ON CONFLICT target, because the
        # unique key is (written) in a SQLite file and (station, written) on a province server.
        if row:
            conn.execute(
                "UPDATE spoken_forms SET spoken = ?, saved_by = ?, saved_at = ? WHERE written = ?",
                (reading.spoken, reading.saved_by, at, reading.written),
            )
        else:
            conn.execute(
                "INSERT INTO spoken_forms (written, spoken, saved_by, saved_at)"
                " VALUES (?, ?, ?, ?)",
                (reading.written, reading.spoken, reading.saved_by, at),
            )
    return StationReading(row[0], row[1], row[2], _at(row[3])) if row else None


def remove_reading(db: Database, written: str) -> StationReading | None:
    """Delete the reading of ``written``; the one deleted, or None when there was none."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT written, spoken, saved_by, saved_at FROM spoken_forms WHERE written = ?",
            (written,),
        ).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM spoken_forms WHERE written = ?", (written,))
    return StationReading(row[0], row[1], row[2], _at(row[3]))
