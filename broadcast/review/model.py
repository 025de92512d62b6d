"""Values of the review stage: segment states, where a draft text came from, audit entries.

The types now live in ``broadcast.model.review`` (below both the store and the stages,
so that ``broadcast.store`` imports no stage package); edit them there. This module
re-exports them so that existing imports keep working.
"""

from __future__ import annotations

from broadcast.model.review import (  # re-exported
    STATE_LABELS,
    AuditEntry,
    DraftSegment,
    ReviewState,
    Segment,
    SegmentTerm,
    Translation,
    TranslationSummary,
    origin_label,
    text_sha256,
)

__all__ = [
    "ReviewState",
    "STATE_LABELS",
    "text_sha256",
    "SegmentTerm",
    "DraftSegment",
    "Segment",
    "origin_label",
    "Translation",
    "TranslationSummary",
    "AuditEntry",
]
