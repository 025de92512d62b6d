"""Renders made by the voice, mix and video commands, and the script data they read.

A render row carries the measured figures (integrated loudness, loudness range, true peak),
the mix profile or video format and the stage key that made it, so a report can show what
went on air and a re-run can tell that nothing changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import InputError
from broadcast.store.db import Database


@dataclass(frozen=True)
class StoredSentence:
    position: int
    role: str
    written: str
    spoken: str


@dataclass(frozen=True)
class RenderRow:
    kind: str  # "audio", "video", "subtitles", "thumbnail"
    path: Path  # relative to the workspace
    sha256: str
    language: str = "vi"
    duration_s: float | None = None
    loudness_lufs: float | None = None
    loudness_range: float | None = None
    true_peak_db: float | None = None
    engine: str | None = None
    profile: str | None = None
    format: str | None = None
    stage_key: str | None = None


def stored_sentences(db: Database, script_id: int) -> list[StoredSentence]:
    rows = db.conn.execute(
        "SELECT position, role, written, spoken FROM sentences WHERE script_id = ?"
        " ORDER BY position",
        (script_id,),
    ).fetchall()
    if not rows:
        raise InputError(f"Kịch bản số {script_id} không có câu nào để đọc.")
    return [StoredSentence(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


def script_date(db: Database, script_id: int) -> dt.date:
    """The day a script was made: the date its title card shows, stable across re-runs."""
    row = db.conn.execute("SELECT created_at FROM scripts WHERE id = ?", (script_id,)).fetchone()
    if row is None:
        raise InputError(f"Không có kịch bản số {script_id} trong cơ sở dữ liệu.")
    return dt.date.fromisoformat(str(row[0])[:10])


_COLUMNS = (
    "kind, path, sha256, language, duration_s, loudness_lufs, loudness_range, true_peak_db,"
    " engine, profile, format, stage_key"
)


def save_render(db: Database, script_id: int, render: RenderRow) -> tuple[int, bool]:
    """Record a render; returns its id and whether anything changed.

    The same file at the same path with the same content is the same render: a re-run
    adds no row. A new content at a known path replaces that row's figures.
    """
    values = (
        render.kind,
        str(render.path),
        render.sha256,
        render.language,
        render.duration_s,
        render.loudness_lufs,
        render.loudness_range,
        render.true_peak_db,
        render.engine,
        render.profile,
        render.format,
        render.stage_key,
    )
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT id, sha256 FROM renders WHERE script_id = ? AND path = ? ORDER BY id DESC",
            (script_id, str(render.path)),
        ).fetchone()
        if row is not None and row[1] == render.sha256:
            return int(row[0]), False
        if row is not None:
            conn.execute(
                "UPDATE renders SET kind=?, path=?, sha256=?, language=?, duration_s=?,"
                " loudness_lufs=?, loudness_range=?, true_peak_db=?, engine=?, profile=?,"
                " format=?, stage_key=? WHERE id = ?",
                (*values, int(row[0])),
            )
            return int(row[0]), True
        new_id = conn.execute(
            f"INSERT INTO renders (script_id, {_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (script_id, *values),
        ).lastrowid
        return int(new_id or 0), True


def set_render_details(
    db: Database,
    render_id: int,
    *,
    profile: str | None = None,
    video_format: str | None = None,
    loudness_range: float | None = None,
    stage_key: str | None = None,
) -> None:
    """Fill the columns of migration 7 on a row written by ``records.save_production``."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE renders SET profile = ?, format = ?, loudness_range = ?, stage_key = ?"
            " WHERE id = ?",
            (profile, video_format, loudness_range, stage_key, render_id),
        )
