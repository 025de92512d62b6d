"""Values of the as-run stage: what was planned, what was aired, and how they differ.

The types now live in ``broadcast.model.asrun`` (below both the store and the stages,
so that ``broadcast.store`` imports no stage package); edit them there. This module
re-exports them so that existing imports keep working.
"""

from __future__ import annotations

from broadcast.model.asrun import (  # re-exported
    DayZone,
    Deviation,
    Difference,
    ImportResult,
    NewPlay,
    PlannedPlay,
    Play,
    PlayStatus,
    Reconciliation,
)

__all__ = [
    "PlayStatus",
    "PlannedPlay",
    "NewPlay",
    "Play",
    "Deviation",
    "Difference",
    "Reconciliation",
    "DayZone",
    "ImportResult",
]
