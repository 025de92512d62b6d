"""A station's workspace: station.toml, its folders and its database.

Found the way git finds a repository (explicit option, environment, then the current folder
and its parents) so that an editor can run commands from anywhere inside it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path

from broadcast.errors import BroadcastError, WorkspaceError
from broadcast.store.db import Database
from broadcast.store.files import atomic_write_text, is_abandoned, is_temporary
from broadcast.store.naming import slugify
from broadcast.store.station import Station, load_station, station_to_toml

STATION_FILE = "station.toml"
DB_FILE = "broadcast.db"
FOLDERS = ("articles", "glossary", "voices", "out")
ENV_VAR = "BROADCAST_WORKSPACE"
DATABASE_URL_VAR = "BROADCAST_DATABASE_URL"  # a PostgreSQL database instead of broadcast.db
RUN_MARKER = ".broadcast-run"  # in an out/ folder moved into place but not yet committed


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

    @property
    def database(self) -> Path | str:
        """What the database is: ``$BROADCAST_DATABASE_URL``, else ``[database] url`` of
        station.toml (a PostgreSQL server), else the SQLite file ``broadcast.db``."""
        return database_target(self.root, self.station)

    @property
    def database_label(self) -> str:
        """The database as people may read it: the file, or the PostgreSQL server and
        database name (never the URL itself, which may carry a password)."""
        target = self.database
        if isinstance(target, Path):
            return str(target)
        from broadcast.store.postgres import server_name

        return f"PostgreSQL {server_name(target)}"

    @property
    def station_slug(self) -> str:
        """This workspace's station code on a province server: ``[database] station`` of
        station.toml, else the folder's name (the stations are sibling folders of the shared
        media folder, each named by its code)."""
        table = self.station.raw.get("database")
        code = str(table.get("station") or "").strip() if isinstance(table, dict) else ""
        return code or slugify(self.root.name, max_words=12)

    def open_db(self) -> Database:
        """The database, working for this workspace's station; a server process that keeps
        connections gets this thread's (switched to this station if it served another)."""
        db = Database.kept(self.database)
        if db.dialect != "sqlite":
            from broadcast.store.stations import station_id_for

            try:
                db.use_station(station_id_for(db, self.station_slug, self.station.name))
            except BaseException:
                db.close()
                raise
        return db


def database_target(root: Path, station: Station) -> Path | str:
    """The database of a workspace (see ``Workspace.database``): the environment wins, so
    one station.toml serves a test run or a second server without being edited."""
    url = os.environ.get(DATABASE_URL_VAR, "").strip()
    if not url:
        table = station.raw.get("database")
        url = str(table.get("url") or "").strip() if isinstance(table, dict) else ""
    return url or root / DB_FILE


def init_workspace(root: Path, station: Station) -> Workspace:
    """Create a workspace; refuses to overwrite an existing station."""
    if (root / STATION_FILE).exists():
        raise WorkspaceError(f"{root} đã là một không gian làm việc (có {STATION_FILE}).")
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} không phải là thư mục.")
    ws = Workspace(root=root.resolve(), station=station)
    if not isinstance(ws.database, Path):
        # On a province server the station's code is written down, so that the folder can be
        # moved or mounted under another name without losing its station.
        table = station.raw.get("database")
        table = dict(table) if isinstance(table, dict) else {}
        table.setdefault("station", ws.station_slug)
        station = replace(station, raw={**station.raw, "database": table})
        ws = Workspace(root=ws.root, station=station)
        # The server first: a station it refuses (unknown code) leaves no folder behind.
        ws.open_db().close()
    root.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    if isinstance(ws.database, Path):
        ws.open_db().close()  # the SQLite file, migrated
    atomic_write_text(root / STATION_FILE, station_to_toml(station))
    return ws


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


# --- Nothing left behind: what an interrupted run leaves, found and removed at start-up -----


def mark_run(folder: Path) -> None:
    """Mark ``folder`` (about to be moved into ``out/``) as this process's, uncommitted."""
    atomic_write_text(folder / RUN_MARKER, f"{os.getpid()}\n")


def unmark_run(folder: Path) -> None:
    """The rows are committed: the folder is a stored segment's, no longer a run's."""
    with contextlib.suppress(OSError):
        (folder / RUN_MARKER).unlink(missing_ok=True)


def _marker_owner(folder: Path) -> int | None:
    try:
        return int((folder / RUN_MARKER).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


@dataclass
class Sweep:
    """What the start-up sweep found: removed debris and adopted output folders."""

    removed: list[Path] = field(default_factory=list)
    adopted: list[Path] = field(default_factory=list)


def _remove(path: Path, sweep: Sweep) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return
    except OSError:  # not ours to remove (permissions): leave it, never fail a command
        return
    sweep.removed.append(path)


def _subfolders(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        return [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]


def _scan(ws: Workspace) -> tuple[list[Path], list[Path]]:
    """Every temporary name the toolkit writes, wherever it writes them, and every ``out/``
    folder still marked as a run's; one directory listing per folder (this runs before
    every command, on workspaces with thousands of segments)."""
    temporaries = _subfolders(ws.staging_dir)  # only runs' staging folders live here
    stages = _subfolders(ws.cache_dir / "stages")
    segments = [p for p in _subfolders(ws.out_dir) if not p.name.startswith(".")]
    marked: list[Path] = []
    folders = [ws.root, ws.cache_dir / "voice", ws.out_dir, *stages, *segments]
    for index, folder in enumerate(folders):
        in_stages = 3 <= index < 3 + len(stages)
        try:
            entries = os.scandir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                if not entry.name.startswith("."):
                    continue
                if entry.name == RUN_MARKER:
                    marked.append(folder)
                elif is_temporary(entry.name, stage_folder=in_stages):
                    temporaries.append(Path(entry.path))
    return temporaries, [p for p in marked if p.parent == ws.out_dir]


def sweep_leftovers(ws: Workspace) -> Sweep:
    """Remove what interrupted runs left behind; run at start-up, before anything else.

    * staging folders and temporary files or cache folders whose owning process is dead
      (the process id is in their name; a running run's are never touched);
    * output folders moved into ``out/`` by a run killed before it committed its rows: with
      no stored script they are removed, so the re-run gets the same name without ``-2``;
      with one (killed right after the commit) they are adopted.

    Never fails a command: what cannot be removed now is left for the next start.
    """
    sweep = Sweep()
    try:
        temporaries, marked = _scan(ws)
        for path in temporaries:
            if is_abandoned(path):
                _remove(path, sweep)
        orphans = [p for p in marked if is_abandoned(p / RUN_MARKER, owner=_marker_owner(p))]
    except OSError:
        return sweep
    if not orphans:
        return sweep
    try:
        with ws.open_db() as db:
            stored = {p for p in orphans if _slug_stored(db, p.name)}
    except (BroadcastError, sqlite3.Error):  # the command itself reports a bad database
        return sweep
    for folder in orphans:
        if folder in stored:
            unmark_run(folder)
            sweep.adopted.append(folder)
        else:
            _remove(folder, sweep)
    return sweep


def _slug_stored(db: Database, slug: str) -> bool:
    row = db.conn.execute("SELECT 1 FROM scripts WHERE slug = ?", (slug,)).fetchone()
    return row is not None
