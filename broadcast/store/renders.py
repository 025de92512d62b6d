"""Renders made by the voice, mix and video commands, and the script data they read.

A render row carries the measured figures (integrated loudness, loudness range, true peak),
the mix profile or video format and the stage key that made it, so a report can show what
went on air and a re-run can tell that nothing changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import InputError
from broadcast.store.db import Connection, Database


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


@dataclass(frozen=True)
class TextHash:
    """What a render voices at one sentence position: the digest of the exact approved text
    (a translation's target; ``sentence_sha256`` of a source sentence) and, for a
    translation, the digest of the source sentence it translates."""

    position: int
    text_sha256: str
    source_sha256: str | None = None


@dataclass(frozen=True)
class RenderBinding:
    """A stored render with the texts it was made from (empty: made before migration 8)."""

    id: int
    script_id: int
    slug: str
    kind: str
    language: str
    path: str
    profile: str | None
    format: str | None
    texts: tuple[TextHash, ...]


@dataclass(frozen=True)
class SourceSentence:
    position: int
    written: str
    spoken: str
    text_sha256: str | None  # None: changed by SQL since the toolkit wrote it


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
        raise InputError(
            f"Không có kịch bản số {script_id} trong cơ sở dữ liệu; xem danh sách bằng "
            "'broadcast script list --all'."
        )
    return dt.date.fromisoformat(str(row[0])[:10])


_COLUMNS = (
    "kind, path, sha256, language, duration_s, loudness_lufs, loudness_range, true_peak_db,"
    " engine, profile, format, stage_key"
)


def source_sentences(db: Database, script_id: int) -> list[SourceSentence]:
    """A script's sentences with the digest the toolkit stored with each."""
    rows = db.conn.execute(
        "SELECT position, written, spoken, text_sha256 FROM sentences WHERE script_id = ?"
        " ORDER BY position",
        (script_id,),
    ).fetchall()
    return [SourceSentence(int(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows]


def write_render_texts(conn: Connection, render_id: int, texts: Sequence[TextHash]) -> bool:
    """Record what a render voices (replacing what was recorded for that row); returns
    whether that changed. Runs inside the caller's transaction, with the render row."""
    old = conn.execute(
        "SELECT position, text_sha256, source_sha256 FROM render_texts WHERE render_id = ?"
        " ORDER BY position",
        (render_id,),
    ).fetchall()
    new = sorted(texts, key=lambda t: t.position)
    if [tuple(r) for r in old] == [(t.position, t.text_sha256, t.source_sha256) for t in new]:
        return False
    conn.execute("DELETE FROM render_texts WHERE render_id = ?", (render_id,))
    conn.executemany(
        "INSERT INTO render_texts (render_id, position, text_sha256, source_sha256)"
        " VALUES (?,?,?,?)",
        [(render_id, t.position, t.text_sha256, t.source_sha256) for t in new],
    )
    return True


def render_binding(db: Database, render_id: int) -> RenderBinding | None:
    row = db.conn.execute(
        "SELECT r.id, r.script_id, s.slug, r.kind, r.language, r.path, r.profile, r.format"
        " FROM renders r JOIN scripts s ON s.id = r.script_id WHERE r.id = ?",
        (render_id,),
    ).fetchone()
    if row is None:
        return None
    texts = db.conn.execute(
        "SELECT position, text_sha256, source_sha256 FROM render_texts WHERE render_id = ?"
        " ORDER BY position",
        (render_id,),
    ).fetchall()
    return RenderBinding(
        id=int(row[0]),
        script_id=int(row[1]),
        slug=str(row[2]),
        kind=str(row[3]),
        language=str(row[4]),
        path=str(row[5]),
        profile=row[6],
        format=row[7],
        texts=tuple(TextHash(int(t[0]), str(t[1]), t[2]) for t in texts),
    )


def save_render(
    db: Database, script_id: int, render: RenderRow, *, texts: Sequence[TextHash]
) -> tuple[int, bool]:
    """Record a render and the approved texts it voices; returns its id and whether
    anything changed.

    The same file at the same path with the same content is the same render: a re-run
    adds no row. A new content at a known path replaces that row's figures. ``texts`` come
    from ``review.gate.approved_text_hashes`` at the time the render's input was read, so a
    text approved while the render ran leaves the render stale, as it should.
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
            return int(row[0]), write_render_texts(conn, int(row[0]), texts)
        if row is not None:
            conn.execute(
                "UPDATE renders SET kind=?, path=?, sha256=?, language=?, duration_s=?,"
                " loudness_lufs=?, loudness_range=?, true_peak_db=?, engine=?, profile=?,"
                " format=?, stage_key=? WHERE id = ?",
                (*values, int(row[0])),
            )
            write_render_texts(conn, int(row[0]), texts)
            return int(row[0]), True
        new_id = int(
            conn.execute(
                f"INSERT INTO renders (script_id, {_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " RETURNING id",
                (script_id, *values),
            ).fetchone()[0]
        )
        write_render_texts(conn, new_id, texts)
        return new_id, True


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


@dataclass(frozen=True)
class ListedRender:
    """A stored render with its script, as the web workspace's *Thành phẩm* lists it."""

    id: int
    script_id: int
    slug: str
    title: str
    kind: str
    path: str  # relative to the workspace, as stored
    language: str
    duration_s: float | None
    loudness_lufs: float | None
    loudness_range: float | None
    true_peak_db: float | None
    profile: str | None
    format: str | None
    engine: str | None
    created_at: str  # UTC, as stored


def list_renders(db: Database, *, scripts: int = 30) -> list[ListedRender]:
    """Every render of the ``scripts`` newest scripts that have renders (archived scripts
    left out), newest script first, then by language, kind and path."""
    rows = db.conn.execute(
        "SELECT r.id, r.script_id, s.slug, s.title, r.kind, r.path, r.language, r.duration_s,"
        " r.loudness_lufs, r.loudness_range, r.true_peak_db, r.profile, r.format, r.engine,"
        " r.created_at FROM renders r JOIN scripts s ON s.id = r.script_id"
        " WHERE s.archived_at IS NULL AND r.script_id IN (SELECT DISTINCT r2.script_id FROM"
        " renders r2 JOIN scripts s2 ON s2.id = r2.script_id WHERE s2.archived_at IS NULL"
        " ORDER BY r2.script_id DESC LIMIT ?)"
        " ORDER BY r.script_id DESC, r.language, r.kind, r.path",
        (scripts,),
    ).fetchall()
    return [
        ListedRender(
            id=int(r[0]),
            script_id=int(r[1]),
            slug=str(r[2]),
            title=str(r[3]),
            kind=str(r[4]),
            path=str(r[5]),
            language=str(r[6]),
            duration_s=r[7],
            loudness_lufs=r[8],
            loudness_range=r[9],
            true_peak_db=r[10],
            profile=r[11],
            format=r[12],
            engine=r[13],
            created_at=str(r[14]),
        )
        for r in rows
    ]
