"""A station's workspace: station.toml, its folders and its database.

Found the way git finds a repository (explicit option, environment, then the current folder
and its parents) so that an editor can run commands from anywhere inside it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import WorkspaceError
from broadcast.store.db import Database
from broadcast.store.files import atomic_write_text
from broadcast.store.station import Station, load_station, station_to_toml

STATION_FILE = "station.toml"
DB_FILE = "broadcast.db"
FOLDERS = ("articles", "glossary", "voices", "out")
ENV_VAR = "BROADCAST_WORKSPACE"


@dataclass(frozen=True)
class Workspace:
    root: Path
    station: Station

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILE

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    @property
    def cache_dir(self) -> Path:
        """Reusable intermediate artifacts (sentence audio); safe to delete."""
        return self.root / ".cache"

    @property
    def staging_dir(self) -> Path:
        """Where a run builds its outputs before they are moved into ``out/`` at once."""
        return self.root / ".staging"

    def open_db(self) -> Database:
        return Database(self.db_path)


def init_workspace(root: Path, station: Station) -> Workspace:
    """Create a workspace; refuses to overwrite an existing station."""
    if (root / STATION_FILE).exists():
        raise WorkspaceError(f"{root} đã là một không gian làm việc (có {STATION_FILE}).")
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} không phải là thư mục.")
    root.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    Database(root / DB_FILE).close()
    atomic_write_text(root / STATION_FILE, station_to_toml(station))
    return Workspace(root=root.resolve(), station=station)


def _search_upwards(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / STATION_FILE).is_file():
            return folder
    return None


def find_workspace(explicit: Path | None = None, cwd: Path | None = None) -> Workspace:
    """Locate the workspace from ``--workspace``, ``$BROADCAST_WORKSPACE`` or the cwd upwards."""
    if explicit is None and os.environ.get(ENV_VAR):
        explicit = Path(os.environ[ENV_VAR])
    if explicit is not None:
        root = explicit.expanduser()
        if not (root / STATION_FILE).is_file():
            raise WorkspaceError(
                f"{root} không phải là không gian làm việc: thiếu {STATION_FILE}. "
                "Tạo bằng 'broadcast init THƯ_MỤC'."
            )
    else:
        found = _search_upwards((cwd or Path.cwd()).resolve())
        if found is None:
            raise WorkspaceError(
                "Không tìm thấy không gian làm việc (station.toml) ở thư mục này "
                "hay thư mục cha. Dùng --workspace, biến BROADCAST_WORKSPACE, "
                "hoặc tạo bằng 'broadcast init THƯ_MỤC'."
            )
        root = found
    return Workspace(root=root.resolve(), station=load_station(root / STATION_FILE))
