"""Values of the script stage: what the voice reads and what the subtitles show."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from broadcast.model.spoken import Rewrite


class Role(StrEnum):
    OPENING = "opening"
    HEADLINE = "headline"
    BODY = "body"
    CLOSING = "closing"


class Topic(StrEnum):
    """The six areas of the state administrative reform programme (CCHC).

    Quarterly reports count what was broadcast per area, so every script is filed under one.
    The value is a stable ASCII key stored in the database; ``label`` is what users read.
    """

    INSTITUTIONS = "the-che"
    PROCEDURES = "thu-tuc"
    ORGANISATION = "bo-may"
    CIVIL_SERVICE = "cong-vu"
    PUBLIC_FINANCE = "tai-chinh"
    DIGITAL_GOVERNMENT = "chinh-quyen-so"

    @property
    def label(self) -> str:
        return TOPIC_LABELS[self]


TOPIC_LABELS: dict[Topic, str] = {
    Topic.INSTITUTIONS: "cải cách thể chế",
    Topic.PROCEDURES: "cải cách thủ tục hành chính",
    Topic.ORGANISATION: "cải cách tổ chức bộ máy",
    Topic.CIVIL_SERVICE: "cải cách chế độ công vụ",
    Topic.PUBLIC_FINANCE: "cải cách tài chính công",
    Topic.DIGITAL_GOVERNMENT: "xây dựng chính quyền điện tử, chính quyền số",
}


@dataclass(frozen=True)
class ScriptSentence:
    """One sentence, in written form (subtitles) and spoken form (the voice)."""

    role: Role
    written: str
    spoken: str
    # What the spoken form changed and why, for the editor (not part of the text: two
    # sentences with the same forms are the same sentence).
    rewrites: tuple[Rewrite, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Script:
    """A radio script; ``topic`` and ``source`` default so older callers still build one."""

    title: str
    language: str
    sentences: tuple[ScriptSentence, ...]
    target_minutes: float
    estimated_seconds: float
    topic: Topic | None = None
    source: Path | None = None
    # Full web addresses said on air only by their site name, kept for the description.
    links: tuple[str, ...] = field(default=())
    # What the script stage did to the article as a whole: furniture dropped, sentences
    # split, the headline not read twice. Per-sentence readings are on each sentence.
    rewrites: tuple[Rewrite, ...] = field(default=(), compare=False)
