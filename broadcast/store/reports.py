"""SQL of the periodic reports' versions and narrative sections (migration 15).

A report of a period is never overwritten: each one made is a new row, numbered per period
inside the write transaction that adds it, so two people saving at once get 2 and 3, never
two 2s. The narrative sections belong to their version and are read back with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from broadcast.store.db import Database


@dataclass(frozen=True)
class ReportVersion:
    id: int
    period: str
    version: int
    report_date: str  # 'YYYY-MM-DD', the date printed on the report
    provisional: bool
    folder: str  # relative to the workspace when inside it (POSIX), else absolute
    made_by: str
    made_at: str  # UTC, 'YYYY-MM-DDTHH:MM:SSZ'
    sections: Mapping[str, str] = field(default_factory=dict)


_SELECT = (
    "SELECT id, period, version, report_date, provisional, folder, made_by, made_at "
    "FROM report_versions"
)


def _version(db: Database, row: Sequence[object]) -> ReportVersion:
    report_id = int(str(row[0]))
    sections = {
        str(s): str(b)
        for s, b in db.conn.execute(
            "SELECT section, body FROM report_sections WHERE report_id = ?", (report_id,)
        )
    }
    return ReportVersion(
        id=report_id,
        period=str(row[1]),
        version=int(str(row[2])),
        report_date=str(row[3]),
        provisional=bool(row[4]),
        folder=str(row[5]),
        made_by=str(row[6]),
        made_at=str(row[7]),
        sections=sections,
    )


def next_version(db: Database, period: str) -> int:
    row = db.conn.execute(
        "SELECT COALESCE(MAX(version), 0) FROM report_versions WHERE period = ?", (period,)
    ).fetchone()
    return int(row[0]) + 1


def add_version(
    db: Database,
    period: str,
    *,
    report_date: str,
    provisional: bool,
    folder_for: Callable[[int], str],
    made_by: str,
    sections: Mapping[str, str],
) -> ReportVersion:
    """Add the next version of ``period``; ``folder_for(version) -> str`` names its folder
    (the number is only known inside the transaction)."""
    with db.transaction() as conn:
        version = next_version(db, period)
        folder = folder_for(version)
        cursor = conn.execute(
            "INSERT INTO report_versions "
            "(period, version, report_date, provisional, folder, made_by) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (period, version, report_date, int(provisional), folder, made_by),
        )
        report_id = int(cursor.fetchone()[0])
        conn.executemany(
            "INSERT INTO report_sections (report_id, section, body) VALUES (?, ?, ?)",
            [(report_id, key, body) for key, body in sections.items()],
        )
    found = get_version(db, report_id)
    assert found is not None
    return found


def remove_version(db: Database, report_id: int) -> None:
    """Undo an ``add_version`` whose files could not be written (no version without files)."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM report_sections WHERE report_id = ?", (report_id,))
        conn.execute("DELETE FROM report_versions WHERE id = ?", (report_id,))


def get_version(db: Database, report_id: int) -> ReportVersion | None:
    row = db.conn.execute(f"{_SELECT} WHERE id = ?", (report_id,)).fetchone()
    return _version(db, row) if row else None


def versions(db: Database, period: str) -> list[ReportVersion]:
    """Every version of a period, the newest first."""
    rows = db.conn.execute(
        f"{_SELECT} WHERE period = ? ORDER BY version DESC", (period,)
    ).fetchall()
    return [_version(db, r) for r in rows]
