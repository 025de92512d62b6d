"""Typed values of the term base and the translation memory, shared by store and stages.

The types now live in ``broadcast.model.translation`` (below both the store and the stages,
so that ``broadcast.store`` imports no stage package); edit them there. This module
re-exports them so that existing imports keep working.
"""

from __future__ import annotations

from broadcast.model.translation import (  # re-exported
    Conflict,
    ImportSummary,
    MatchKind,
    Term,
    TermHit,
    TermStatus,
    TMMatch,
    TMUnit,
    clean_text,
    has_control,
    term_key,
)

__all__ = [
    "clean_text",
    "has_control",
    "term_key",
    "TermStatus",
    "Term",
    "TermHit",
    "Conflict",
    "ImportSummary",
    "MatchKind",
    "TMMatch",
    "TMUnit",
]
