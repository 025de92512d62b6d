"""Storing a script without producing its audio, so editors can translate it first."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from broadcast.script.model import Script
from broadcast.store.db import Database
from broadcast.store.hashes import sentence_sha256
from broadcast.store.translations import record_source_approval
from broadcast.text.model import Article


def insert_script(
    conn: sqlite3.Connection,
    *,
    article: Article,
    script: Script,
    slug: str,
    timings: Sequence[tuple[float, float]] | None,
    by: str,
) -> int:
    """Article, script and sentences, with the author's approval of the source text.

    Shared by ``broadcast script --save`` (no timings: nothing is voiced yet) and ``produce``
    (timings known), so a stored script looks the same whichever way it arrived. Runs inside
    the caller's transaction.
    """
    if timings is not None and len(timings) != len(script.sentences):
        raise ValueError("one timing per sentence")
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
        start_ms = end_ms = None
        if timings is not None:
            start_ms, end_ms = (
                round(timings[position][0] * 1000),
                round(timings[position][1] * 1000),
            )
        conn.execute(
            "INSERT INTO sentences (script_id, position, role, written, spoken, start_ms, end_ms,"
            " text_sha256) VALUES (?,?,?,?,?,?,?,?)",
            (
                script_id,
                position,
                sentence.role.value,
                sentence.written,
                sentence.spoken,
                start_ms,
                end_ms,
                sentence_sha256(sentence.written, sentence.spoken),
            ),
        )
    record_source_approval(
        conn, script_id, script.language, [s.written for s in script.sentences], by
    )
    return script_id


def save_script(db: Database, *, article: Article, script: Script, slug: str, by: str) -> int:
    """Store a script before it is voiced, in one transaction."""
    with db.transaction() as conn:
        return insert_script(conn, article=article, script=script, slug=slug, timings=None, by=by)
