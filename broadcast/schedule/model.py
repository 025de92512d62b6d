"""Typed values of the planner: campaign items in, planned slots and findings out.

The types now live in ``broadcast.model.schedule`` (below both the store and the stages,
so that ``broadcast.store`` imports no stage package); edit them there. This module
re-exports them so that existing imports keep working.
"""

from __future__ import annotations

from broadcast.model.schedule import (  # re-exported
    VIETNAM,
    EntryKind,
    Finding,
    FindingKind,
    Item,
    Plan,
    PlannedEntry,
    PlannedSlot,
    Priority,
    RenderRef,
)

__all__ = [
    "VIETNAM",
    "Priority",
    "RenderRef",
    "Item",
    "EntryKind",
    "PlannedEntry",
    "PlannedSlot",
    "FindingKind",
    "Finding",
    "Plan",
]
