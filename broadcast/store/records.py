"""Domain writes and reads over the database; the only module with SQL besides db.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import InputError
from broadcast.script.model import Script, Topic
from broadcast.store.db import Database
from broadcast.store.hashes import sentence_sha256
from broadcast.store.renders import TextHash, write_render_texts
from broadcast.store.scripts import insert_script
from broadcast.text.model import Article


@dataclass(frozen=True)
class RenderRecord:
    kind: str
    path: Path
    sha256: str
    duration_s: float | None = None
    loudness_lufs: float | None = None
    true_peak_db: float | None = None
    engine: str | None = None


@dataclass(frozen=True)
class StoredRender:
    id: int
    script_slug: str
    title: str
    path: Path
    duration_s: float


def slug_taken(db: Database, slug: str) -> bool:
    return db.conn.execute("SELECT 1 FROM scripts WHERE slug = ?", (slug,)).fetchone() is not None


def save_production(
    db: Database,
    *,
    article: Article,
    script: Script,
    slug: str,
    timings: Sequence[tuple[float, float]],
    renders: Sequence[RenderRecord],
) -> dict[str, int]:
    """Store one produced segment in one transaction; returns the new ids by render kind.

    Every render is recorded with the digests of the sentences it voices (render_texts), so
    the gate can tell later whether it still voices the approved text."""
    ids: dict[str, int] = {}
    with db.transaction() as conn:
        # Produce voices Vietnamese straight away: its producer approves the source text.
        script_id = insert_script(
            conn, article=article, script=script, slug=slug, timings=timings, by="producer"
        )
        ids["script"] = script_id
        texts = [
            TextHash(position, sentence_sha256(sentence.written, sentence.spoken))
            for position, sentence in enumerate(script.sentences)
        ]
        for render in renders:
            render_id = conn.execute(
                "INSERT INTO renders (script_id, kind, path, sha256, duration_s, loudness_lufs,"
                " true_peak_db, engine) VALUES (?,?,?,?,?,?,?,?)",
                (
                    script_id,
                    render.kind,
                    str(render.path),
                    render.sha256,
                    render.duration_s,
                    render.loudness_lufs,
                    render.true_peak_db,
                    render.engine,
                ),
            ).lastrowid
            ids[render.kind] = int(render_id or 0)
            # Produce voices the script it stores: each render is bound to those sentences.
            write_render_texts(conn, ids[render.kind], texts)
    return ids


def script_topic(db: Database, slug: str) -> Topic | None:
    """The CCHC area stored with a script; None for scripts made before topics existed."""
    row = db.conn.execute("SELECT topic FROM scripts WHERE slug = ?", (slug,)).fetchone()
    return Topic(row[0]) if row is not None and row[0] else None


def set_script_topic(db: Database, slug: str, topic: Topic) -> None:
    """Correct the area of a stored script (the guess is editable after production too)."""
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE scripts SET topic = ? WHERE slug = ?", (topic.value, slug)
        ).rowcount
    if updated == 0:
        raise InputError(f"Không có kịch bản '{slug}' trong cơ sở dữ liệu.")


def add_playlist_entry(
    db: Database, *, render_id: int, slot_start: str, zone: str, playlist_path: Path
) -> None:
    """Append a render to a slot's playlist, after what is already there."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM playlist_entries"
            " WHERE slot_start = ? AND zone = ?",
            (slot_start, zone),
        ).fetchone()
        conn.execute(
            "INSERT INTO playlist_entries (render_id, slot_start, zone, position, playlist_path)"
            " VALUES (?,?,?,?,?)",
            (render_id, slot_start, zone, int(row[0]), str(playlist_path)),
        )


def slot_renders(db: Database, slot_start: str, zone: str) -> list[StoredRender]:
    """The renders planned for one slot and zone, in playing order."""
    rows = db.conn.execute(
        "SELECT r.id, s.slug, s.title, r.path, r.duration_s FROM playlist_entries p"
        " JOIN renders r ON r.id = p.render_id JOIN scripts s ON s.id = r.script_id"
        " WHERE p.slot_start = ? AND p.zone = ? ORDER BY p.position",
        (slot_start, zone),
    ).fetchall()
    return [
        StoredRender(
            id=r[0], script_slug=r[1], title=r[2], path=Path(r[3]), duration_s=float(r[4] or 0)
        )
        for r in rows
    ]


@dataclass(frozen=True)
class StoredScript:
    id: int
    slug: str
    title: str
    language: str
    topic: str | None


def find_script(db: Database, ref: str) -> StoredScript:
    """A stored script named the way users name it: by slug, or by its number."""
    row = db.conn.execute(
        "SELECT id, slug, title, language, topic FROM scripts WHERE slug = ?", (ref,)
    ).fetchone()
    if row is None and ref.isdigit():
        row = db.conn.execute(
            "SELECT id, slug, title, language, topic FROM scripts WHERE id = ?", (int(ref),)
        ).fetchone()
    if row is None:
        raise InputError(
            f"Không có kịch bản '{ref}' trong cơ sở dữ liệu; "
            "xem tên các kịch bản trong thư mục out/ hoặc tạo bằng 'broadcast produce'."
        )
    return StoredScript(id=row[0], slug=row[1], title=row[2], language=row[3], topic=row[4])
