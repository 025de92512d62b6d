"""Rows behind editing a stored script's own (Vietnamese) sentences by hand.

The rules (who may edit, which sentences may be added or removed, what the spoken form
becomes) are in ``broadcast.script.edit``; this module only reads and writes rows, inside
the caller's transaction where it writes. Every change appends an 'edit-source' step to the
review audit (one of ``EDIT_ACTIONS``), so the four-eyes rule sees who last changed the text,
and the triggers of migrations 8 and 9 void the content approval and the translations of a
changed sentence as they do for any writer.
"""

from __future__ import annotations

from dataclasses import dataclass

from broadcast.store.db import Connection, Database
from broadcast.store.hashes import sentence_sha256

EDIT_SOURCE = "edit-source"


@dataclass(frozen=True)
class StoredArticle:
    """The cleaned article a script was made from, as stored with it."""

    source_path: str
    format: str
    title: str
    body: str
    sha256: str


@dataclass(frozen=True)
class ScriptFacts:
    id: int
    slug: str
    title: str
    language: str
    target_minutes: float
    topic: str | None


def script_facts(db: Database, script_id: int) -> ScriptFacts | None:
    row = db.conn.execute(
        "SELECT id, slug, title, language, target_minutes, topic FROM scripts WHERE id = ?",
        (script_id,),
    ).fetchone()
    if row is None:
        return None
    return ScriptFacts(int(row[0]), str(row[1]), str(row[2]), str(row[3]), float(row[4]), row[5])


def script_article(db: Database, script_id: int) -> StoredArticle | None:
    row = db.conn.execute(
        "SELECT a.source_path, a.format, a.title, a.body, a.sha256 FROM articles a"
        " JOIN scripts s ON s.article_id = a.id WHERE s.id = ?",
        (script_id,),
    ).fetchone()
    if row is None:
        return None
    return StoredArticle(str(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]))


def translation_count(db: Database, script_id: int) -> int:
    row = db.conn.execute(
        "SELECT COUNT(*) FROM translations WHERE script_id = ?", (script_id,)
    ).fetchone()
    return int(row[0])


def _audit(
    conn: Connection,
    script_id: int,
    language: str,
    position: int,
    actor: str,
    detail: str,
    digest: str | None,
) -> None:
    conn.execute(
        "INSERT INTO review_audit (script_id, language, position, action, actor, role, detail,"
        " sha256) VALUES (?,?,?,?,?,?,?,?)",
        (script_id, language, position, EDIT_SOURCE, actor, "producer", detail, digest),
    )


def update_sentence(
    conn: Connection,
    script_id: int,
    language: str,
    position: int,
    written: str,
    spoken: str,
    *,
    actor: str,
    detail: str,
) -> bool:
    """New text for one sentence (its digest with it); False when no such sentence."""
    digest = sentence_sha256(written, spoken)
    done = conn.execute(
        "UPDATE sentences SET written = ?, spoken = ?, text_sha256 = ?"
        " WHERE script_id = ? AND position = ?",
        (written, spoken, digest, script_id, position),
    ).rowcount
    if done:
        _audit(conn, script_id, language, position, actor, detail, digest)
    return bool(done)


def _shift(conn: Connection, script_id: int, start: int, by: int) -> None:
    """Move the positions from ``start`` on by ``by``, through negative numbers so the
    UNIQUE (script_id, position) constraint never sees two rows at one place."""
    conn.execute(
        "UPDATE sentences SET position = -(position + ? + 1) WHERE script_id = ? AND position >= ?",
        (by, script_id, start),
    )
    conn.execute(
        "UPDATE sentences SET position = -position - 1 WHERE script_id = ? AND position < 0",
        (script_id,),
    )


def delete_sentence(
    conn: Connection,
    script_id: int,
    language: str,
    position: int,
    *,
    actor: str,
    detail: str,
) -> bool:
    done = conn.execute(
        "DELETE FROM sentences WHERE script_id = ? AND position = ?", (script_id, position)
    ).rowcount
    if done:
        _shift(conn, script_id, position + 1, -1)
        _audit(conn, script_id, language, position, actor, detail, None)
    return bool(done)


def insert_sentences(
    conn: Connection,
    script_id: int,
    language: str,
    position: int,
    sentences: list[tuple[str, str, str]],
    *,
    actor: str,
    detail: str,
) -> None:
    """(role, written, spoken) rows placed from ``position`` on; later sentences move down."""
    _shift(conn, script_id, position, len(sentences))
    for offset, (role, written, spoken) in enumerate(sentences):
        digest = sentence_sha256(written, spoken)
        conn.execute(
            "INSERT INTO sentences (script_id, position, role, written, spoken, text_sha256)"
            " VALUES (?,?,?,?,?,?)",
            (script_id, position + offset, role, written, spoken, digest),
        )
        _audit(conn, script_id, language, position + offset, actor, detail, digest)
