"""Storing a script without producing its audio, so editors can translate it first."""

from __future__ import annotations

from collections.abc import Sequence

from broadcast.model.article import Article
from broadcast.model.script import Script
from broadcast.store.db import Connection
from broadcast.store.hashes import sentence_sha256
from broadcast.store.vetting import CREATE_ACTION, record_step


def insert_script(
    conn: Connection,
    *,
    article: Article,
    script: Script,
    slug: str,
    timings: Sequence[tuple[float, float]] | None,
    by: str,
) -> int:
    """Article, script and sentences, as a draft awaiting its content approval.

    Shared by ``broadcast script --save`` (no timings: nothing is voiced yet) and ``produce``
    (timings known), so a stored script looks the same whichever way it arrived. Runs inside
    the caller's transaction.
    """
    if timings is not None and len(timings) != len(script.sentences):
        raise ValueError("one timing per sentence")
    article_id = conn.execute(
        "INSERT INTO articles (source_path, sha256, title, body, format) VALUES (?,?,?,?,?)"
        " RETURNING id",
        (str(article.source), article.sha256, article.title, article.body, article.format),
    ).fetchone()[0]
    script_id = int(
        conn.execute(
            "INSERT INTO scripts (article_id, slug, title, language, target_minutes, topic)"
            " VALUES (?,?,?,?,?,?) RETURNING id",
            (
                article_id,
                slug,
                script.title,
                script.language,
                script.target_minutes,
                script.topic.value if script.topic else None,
            ),
        ).fetchone()[0]
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
    # A new script is a draft: its content approver approves it (broadcast.review.vetting);
    # the audit names who made it: for the four-eyes rule its maker is its last changer.
    record_step(conn, script_id, script.language, CREATE_ACTION, by, "producer")
    return script_id
