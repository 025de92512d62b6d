"""What the announcer reads: the approved text of each sentence, with its pause after it.

The text comes from the approval gate (``broadcast.review.gate``), so a take is only ever
recorded and imported for a translation that may go on air. Pauses follow the mix: a long
break after the opening and the headline, a short one between body sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

from broadcast.store.db import Database
from broadcast.store.records import StoredScript
from broadcast.store.renders import stored_sentences

LONG_PAUSE_ROLES = frozenset({"opening", "headline"})


@dataclass(frozen=True)
class TakeLine:
    """One sentence to record. ``text`` is what the announcer reads (and the subtitles
    show); ``spoken`` is the voice stage's text for it, which the recording engine matches."""

    number: int
    role: str
    text: str
    spoken: str
    long_pause: bool


def take_lines(db: Database, script: StoredScript, language: str) -> list[TakeLine]:
    """The lines of ``script`` in ``language``; raises the gate's InputError when that
    language is not approved."""
    from broadcast.review.gate import renderable_sentences

    texts = renderable_sentences(db, script.id, language)
    lines = stored_sentences(db, script.id)
    source = language == script.language
    return [
        TakeLine(
            number=i + 1,
            role=line.role,
            text=text,
            spoken=line.spoken if source else text,
            long_pause=line.role in LONG_PAUSE_ROLES,
        )
        for i, (line, text) in enumerate(zip(lines, texts, strict=True))
    ]
