"""Storing a script without producing its audio, so editors can translate it first."""

from __future__ import annotations

from broadcast.script.model import Script
from broadcast.store.db import Database
from broadcast.store.translations import record_source_approval
from broadcast.text.model import Article


def save_script(db: Database, *, article: Article, script: Script, slug: str, by: str) -> int:
    """Article, script and sentences (no timings: nothing is voiced yet) in one transaction;
    the producer's approval of the source text is recorded with it."""
    with db.transaction() as conn:
        article_id = conn.execute(
            "INSERT INTO articles (source_path, sha256, title, body, format) VALUES (?,?,?,?,?)",
            (str(article.source), article.sha256, article.title, article.body, article.format),
        ).lastrowid
        script_id = int(
            conn.execute(
                "INSERT INTO scripts (article_id, slug, title, language, target_minutes, topic)"
                " VALUES (?,?,?,?,?,?)",
                (
                    article_id,
                    slug,
                    script.title,
                    script.language,
                    script.target_minutes,
                    script.topic.value if script.topic else None,
                ),
            ).lastrowid
            or 0
        )
        for position, sentence in enumerate(script.sentences):
            conn.execute(
                "INSERT INTO sentences (script_id, position, role, written, spoken)"
                " VALUES (?,?,?,?,?)",
                (script_id, position, sentence.role.value, sentence.written, sentence.spoken),
            )
        record_source_approval(
            conn, script_id, script.language, [s.written for s in script.sentences], by
        )
    return script_id
