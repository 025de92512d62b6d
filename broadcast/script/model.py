"""Values of the script stage: what the voice reads and what the subtitles show.

The types now live in ``broadcast.model.script`` (below both the store and the stages,
so that ``broadcast.store`` imports no stage package); edit them there. This module
re-exports them so that existing imports keep working.
"""

from __future__ import annotations

from broadcast.model.script import (  # re-exported
    TOPIC_LABELS,
    Role,
    Script,
    ScriptSentence,
    Topic,
)

__all__ = [
    "Role",
    "Topic",
    "TOPIC_LABELS",
    "ScriptSentence",
    "Script",
]
