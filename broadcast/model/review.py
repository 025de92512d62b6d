"""Values of the review stage: segment states, where a draft text came from, audit entries.

Kept apart from the store so that drafts, QA, exchange formats and the CLI speak about one
set of typed values instead of database rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum


class ReviewState(StrEnum):
    """States of a segment and of a whole translation (a translation follows its segments)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[ReviewState, str] = {
    ReviewState.DRAFT: "bản nháp",
    ReviewState.IN_REVIEW: "chờ duyệt",
    ReviewState.APPROVED: "đã duyệt",
    ReviewState.CHANGES_REQUESTED: "cần sửa",
}


def text_sha256(text: str) -> str:
    """The hash recorded with an approval: of the exact text, byte for byte (no normalising,
    so that even an invisible change voids the approval)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SegmentTerm:
    """A glossary term found in a segment's source, with its approved target (or None)."""

    source: str
    target: str | None
    forbidden: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftSegment:
    """A segment as the draft stage proposes it, before it is stored.

    ``origin`` is one of: tm-exact, tm-in-context, tm-fuzzy (with ``score``), mt:<engine>,
    glossary, empty.
    """

    position: int
    source: str
    target: str
    origin: str
    score: float | None = None
    terms: tuple[SegmentTerm, ...] = ()
    # A memory pair of another station (issue 16): its ``Provenance.label``; else ''.
    origin_from: str = ""


@dataclass(frozen=True)
class Segment:
    id: int
    position: int
    role: str
    source: str
    target: str
    origin: str
    score: float | None
    terms: tuple[SegmentTerm, ...]
    state: ReviewState
    approved_sha256: str | None
    note: str = ""
    origin_from: str = ""  # the station and person of a province memory pair (issue 16)

    @property
    def origin_label(self) -> str:
        """'bộ nhớ 87%' rather than 'tm-fuzzy', for editors; a pair of another station
        says whose it is ('bộ nhớ: khớp hoàn toàn (tỉnh — Xã A, lan)')."""
        label = origin_label(self.origin, self.score)
        return f"{label} ({self.origin_from})" if self.origin_from else label

    @property
    def approval_valid(self) -> bool:
        return (
            self.state is ReviewState.APPROVED
            and self.approved_sha256 is not None
            and self.approved_sha256 == text_sha256(self.target)
        )


def origin_label(origin: str, score: float | None) -> str:
    if origin == "tm-exact":
        return "bộ nhớ: khớp hoàn toàn"
    if origin == "tm-in-context":
        return "bộ nhớ: khớp cả ngữ cảnh"
    if origin == "tm-fuzzy":
        return f"bộ nhớ: gần đúng {score or 0:.0f}%"
    if origin.startswith("mt:"):
        return f"máy dịch {origin[3:]}"
    if origin == "glossary":
        return "chỉ thuật ngữ"
    if origin == "editor":
        return "biên tập viên"
    return "trống, chờ người dịch"


@dataclass(frozen=True)
class Translation:
    id: int
    script_id: int
    slug: str
    title: str
    language: str
    state: ReviewState
    engine: str | None
    segments: tuple[Segment, ...] = field(default=())

    def segment_at(self, position: int) -> Segment | None:
        for segment in self.segments:
            if segment.position == position:
                return segment
        return None


@dataclass(frozen=True)
class TranslationSummary:
    script_id: int
    slug: str
    title: str
    language: str
    state: ReviewState
    segments: int
    approved: int


@dataclass(frozen=True)
class AuditEntry:
    at: str
    language: str
    position: int | None
    action: str
    actor: str
    role: str
    detail: str
    sha256: str | None
