"""Values of the script stage: what the voice reads and what the subtitles show."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    OPENING = "opening"
    HEADLINE = "headline"
    BODY = "body"
    CLOSING = "closing"


@dataclass(frozen=True)
class ScriptSentence:
    """One sentence, in written form (subtitles) and spoken form (the voice)."""

    role: Role
    written: str
    spoken: str


@dataclass(frozen=True)
class Script:
    title: str
    language: str
    sentences: tuple[ScriptSentence, ...]
    target_minutes: float
    estimated_seconds: float
