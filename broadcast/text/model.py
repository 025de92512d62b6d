"""Values produced by the text stage.

The types now live in ``broadcast.model.article`` (below both the store and the stages,
so that ``broadcast.store`` imports no stage package); edit them there. This module
re-exports them so that existing imports keep working.
"""

from __future__ import annotations

from broadcast.model.article import (  # re-exported
    Article,
)

__all__ = [
    "Article",
]
