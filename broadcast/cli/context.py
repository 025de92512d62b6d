"""What travels on ``ctx.obj``: the workspace is found lazily, once, per invocation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from broadcast.store.workspace import Workspace, find_workspace, sweep_leftovers


@dataclass
class AppContext:
    workspace_option: Path | None = None
    _workspace: Workspace | None = field(default=None, repr=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = find_workspace(self.workspace_option)
            sweep_leftovers(self._workspace)  # what killed runs left: see the function
        return self._workspace
