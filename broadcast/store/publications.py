"""Publication: what the portal item reads from the store, and the publication log.

The log (migration 16) is entered by the person who posted an item by hand (the portal, a
platform, the loudspeakers) or imported; reports count its rows per channel and period.
Times in ``published_at`` are station time, naive ISO seconds, as the plan stores slots.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from broadcast.errors import InputError
from broadcast.store.db import Database


@dataclass(frozen=True)
class ArticleSource:
    """The stored article behind a script: its written text (never the spoken form)."""

    script_id: int
    source_path: str
    title: str
    body: str
    format: str
    sha256: str  # of the original file's bytes when it was read
    script_title: str
    topic: str | None
    language: str


def article_source(db: Database, script_id: int) -> ArticleSource:
    row = db.conn.execute(
        "SELECT s.id, a.source_path, a.title, a.body, a.format, a.sha256, s.title, s.topic,"
        " s.language"
        " FROM scripts s JOIN articles a ON a.id = s.article_id WHERE s.id = ?",
        (script_id,),
    ).fetchone()
    if row is None:
        raise InputError(
            f"Không có kịch bản số {script_id} trong cơ sở dữ liệu; xem danh sách bằng "
            "'broadcast script list --all'."
        )
    return ArticleSource(
        int(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        str(row[5]),
        str(row[6]),
        row[7],
        str(row[8]),
    )


def written_sentences(db: Database, script_id: int) -> list[tuple[str, str]]:
    """(role, written form) of each script sentence, in order: the sapo's fallback."""
    rows = db.conn.execute(
        "SELECT role, written FROM sentences WHERE script_id = ? ORDER BY position",
        (script_id,),
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def latest_render_path(db: Database, script_id: int, kind: str, language: str) -> str | None:
    """The newest render of this kind and language (path relative to the workspace)."""
    row = db.conn.execute(
        "SELECT path FROM renders WHERE script_id = ? AND kind = ? AND language = ?"
        " ORDER BY id DESC LIMIT 1",
        (script_id, kind, language),
    ).fetchone()
    return str(row[0]) if row is not None else None


@dataclass(frozen=True)
class Publication:
    id: int
    script_id: int
    script_slug: str
    script_title: str
    channel: str
    place: str
    published_at: dt.datetime  # station time
    entered_by: str
    note: str
    entered_at: str  # UTC, as stored


def record_publication(
    db: Database,
    *,
    script_id: int,
    channel: str,
    place: str,
    published_at: dt.datetime,
    entered_by: str,
    note: str = "",
) -> int:
    """Insert one log row (the caller has checked channel, place, time and the person)."""
    with db.transaction() as conn:
        try:
            cursor = conn.execute(
                "INSERT INTO publications (script_id, channel, place, published_at, entered_by,"
                " note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    script_id,
                    channel,
                    place,
                    published_at.replace(microsecond=0, tzinfo=None).isoformat(),
                    entered_by,
                    note,
                ),
            )
            publication_id = int(cursor.fetchone()[0])
        except sqlite3.IntegrityError as exc:
            raise InputError(
                "Không ghi được lần đăng này (kênh, nơi đăng hoặc ghi chú quá dài hay trống); "
                "hãy kiểm tra lại rồi ghi lại."
            ) from exc
    return publication_id


def list_publications(
    db: Database, *, script_id: int | None = None, channel: str | None = None
) -> list[Publication]:
    """Log rows, newest publication first, optionally for one script and/or channel."""
    where: list[str] = []
    params: list[object] = []
    if script_id is not None:
        where.append("p.script_id = ?")
        params.append(script_id)
    if channel is not None:
        where.append("p.channel = ?")
        params.append(channel)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = db.conn.execute(
        "SELECT p.id, p.script_id, s.slug, s.title, p.channel, p.place, p.published_at,"
        " p.entered_by, p.note, p.entered_at FROM publications p"
        f" JOIN scripts s ON s.id = p.script_id{clause}"
        " ORDER BY p.published_at DESC, p.id DESC",
        params,
    ).fetchall()
    return [
        Publication(
            int(r[0]),
            int(r[1]),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]),
            dt.datetime.fromisoformat(str(r[6])),
            str(r[7]),
            str(r[8]),
            str(r[9]),
        )
        for r in rows
    ]


def counts_per_channel(db: Database, start: dt.date, end: dt.date) -> dict[str, int]:
    """Publications per channel whose station-time day is in [start, end] (both included):
    what a period's report counts ("tin bài đăng trên Trang thông tin điện tử" = 'portal')."""
    rows = db.conn.execute(
        "SELECT channel, COUNT(*) FROM publications"
        " WHERE substr(published_at, 1, 10) BETWEEN ? AND ? GROUP BY channel ORDER BY channel",
        (start.isoformat(), end.isoformat()),
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}
