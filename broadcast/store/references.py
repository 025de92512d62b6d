"""What stored rows still point at in the workspace cache (for ``broadcast cache prune``).

A render row names the stage output it was copied from (``renders.stage_key``); a stored
sentence or translation is text a voice may be asked to read again. Anything in the cache
that none of these reaches can be removed without losing work: it is rebuilt if needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from broadcast.store.db import Database


@dataclass(frozen=True)
class CacheReferences:
    stage_keys: frozenset[str]
    texts: dict[str, frozenset[str]]  # language -> texts a voice reads (spoken forms)


def cache_references(db: Database) -> CacheReferences:
    """Every stage key a render row names and every stored text, by language."""
    keys = frozenset(
        row[0]
        for row in db.conn.execute(
            "SELECT DISTINCT stage_key FROM renders WHERE stage_key IS NOT NULL"
        )
    )
    texts: dict[str, set[str]] = {}
    for language, spoken in db.conn.execute(
        "SELECT sc.language, se.spoken FROM sentences se JOIN scripts sc ON sc.id = se.script_id"
    ):
        texts.setdefault(language, set()).add(spoken)
    for language, target in db.conn.execute(
        "SELECT t.language, s.target FROM segments s JOIN translations t"
        " ON t.id = s.translation_id WHERE s.target != ''"
    ):
        texts.setdefault(language, set()).add(target)
    return CacheReferences(keys, {k: frozenset(v) for k, v in texts.items()})
