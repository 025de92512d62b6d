"""SQL of the departments' monthly article submissions (migration 17).

The departments themselves are declared in station.toml ([[departments]]); the database only
records what each one handed in, for which month, when, and whether it was on time as
decided at that moment (``broadcast.publish.departments`` decides it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from broadcast.store.db import Database


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    department: str
    month: str  # 'YYYY-MM'
    article: str  # file name in the workspace's articles/ folder
    title: str
    sha256: str
    due_date: str  # 'YYYY-MM-DD', station time zone
    on_time: bool
    submitted_by: str
    submitted_at: str  # UTC, 'YYYY-MM-DDTHH:MM:SSZ'


_SELECT = (
    "SELECT id, department, month, article, title, sha256, due_date, on_time, submitted_by, "
    "submitted_at FROM department_submissions"
)


def _row(row: Sequence[object]) -> SubmissionRow:
    return SubmissionRow(
        id=int(str(row[0])),
        department=str(row[1]),
        month=str(row[2]),
        article=str(row[3]),
        title=str(row[4]),
        sha256=str(row[5]),
        due_date=str(row[6]),
        on_time=bool(row[7]),
        submitted_by=str(row[8]),
        submitted_at=str(row[9]),
    )


def add_submission(
    db: Database,
    *,
    department: str,
    month: str,
    article: str,
    title: str,
    sha256: str,
    due_date: str,
    on_time: bool,
    submitted_by: str,
    submitted_at: str,
) -> SubmissionRow:
    with db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO department_submissions (department, month, article, title, sha256, "
            "due_date, on_time, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            (
                department,
                month,
                article,
                title,
                sha256,
                due_date,
                int(on_time),
                submitted_by,
                submitted_at,
            ),
        )
        row = conn.execute(f"{_SELECT} WHERE id = ?", (cursor.fetchone()[0],)).fetchone()
    return _row(row)


def find_submission(db: Database, department: str, month: str, sha256: str) -> SubmissionRow | None:
    """The same file already recorded for that department and month (a second upload of it
    is not a second article)."""
    row = db.conn.execute(
        f"{_SELECT} WHERE department = ? AND month = ? AND sha256 = ?",
        (department, month, sha256),
    ).fetchone()
    return _row(row) if row else None


def submissions_between(db: Database, first_month: str, last_month: str) -> list[SubmissionRow]:
    """Submissions for the months ``first_month``..``last_month`` (inclusive, 'YYYY-MM')."""
    rows = db.conn.execute(
        f"{_SELECT} WHERE month >= ? AND month <= ? ORDER BY month, department, submitted_at, id",
        (first_month, last_month),
    ).fetchall()
    return [_row(r) for r in rows]
