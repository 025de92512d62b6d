"""What travels on ``ctx.obj``: the workspace is found lazily, once, per invocation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from broadcast.store.workspace import Workspace, find_workspace


@dataclass
class AppContext:
    workspace_option: Path | None = None
    _workspace: Workspace | None = field(default=None, repr=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = find_workspace(self.workspace_option)
        return self._workspace
