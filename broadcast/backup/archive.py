"""One ``.tar.gz`` holding everything a station would miss after a disk failure.

What goes in: a snapshot of the database taken with SQLite's backup API (one committed
state, even while a render job writes), ``station.toml``, and the folders people fill —
``articles/``, ``glossary/``, ``voices/``, ``takes/`` and the media under ``out/``. What stays
out: caches and staging (rebuilt), the job queue (work in flight belongs to this machine),
the session key (a restored workspace signs people in afresh), and temporary names.

The database is copied first and the files after it: every render a snapshot row names was
moved into ``out/`` before its row was committed, so it is in the archive; a file written
later is merely extra. ``manifest.json`` (the last member) lists every file with its size and
SHA-256, and restore refuses an archive whose members do not match it, whose names leave the
target folder (absolute, ``..``) or that holds anything but plain files (links, devices).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import stat
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from broadcast.errors import InputError, StoreError, WorkspaceError
from broadcast.store.files import is_temporary
from broadcast.store.snapshot import integrity_problems, snapshot_database
from broadcast.store.workspace import DB_FILE, RUN_MARKER, STATION_FILE, Workspace

MANIFEST = "manifest.json"
FORMAT = 1
FOLDERS = ("articles", "glossary", "voices", "takes", "out")
CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    bytes: int


@dataclass(frozen=True)
class Restored:
    """A restored workspace and what its checks found."""

    workspace: Workspace
    files: int
    plan_days: tuple[dt.date, dt.date] | None  # the stored plan's range, if any
    plan_slots: int
    plan_differences: list[str] = field(default_factory=list)
    jobs_closed: int = 0  # jobs queued or running when the backup was taken

    @property
    def plan_same(self) -> bool:
        return not self.plan_differences


def backup_name(ws: Workspace, now: dt.datetime | None = None) -> str:
    """``sao-luu-<folder>-<YYYYmmdd-HHMMSS>.tar.gz``: sorts by time, names the station."""
    moment = now or dt.datetime.now()
    folder = "".join(c if c.isalnum() or c in "-_" else "-" for c in ws.root.name) or "dai"
    return f"sao-luu-{folder}-{moment:%Y%m%d-%H%M%S}.tar.gz"


def _files(ws: Workspace) -> Iterator[tuple[str, Path]]:
    """(name in the archive, path) of every file to keep, in a stable order."""
    station = ws.root / STATION_FILE
    if station.is_file():
        yield STATION_FILE, station
    for folder in FOLDERS:
        base = ws.root / folder
        if not base.is_dir() or base.is_symlink():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not is_temporary(d, stage_folder=True))
            for name in sorted(filenames):
                if name == RUN_MARKER or is_temporary(name):
                    continue
                path = Path(dirpath) / name
                if path.is_symlink() or not path.is_file():
                    continue
                yield path.relative_to(ws.root).as_posix(), path


class _Hashing(io.RawIOBase):
    """Reads a file for tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any] | None:
    """Add one file; None when it vanished meanwhile (a render replaced by a newer one)."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return None
    with fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None
        member = tarfile.TarInfo(name)
        member.size = info.st_size
        member.mtime = int(info.st_mtime)
        member.mode = 0o644
        reader = _Hashing(fh)
        tar.addfile(member, reader)  # type: ignore[arg-type]
        return {"sha256": reader.digest.hexdigest(), "size": info.st_size}


def backup_workspace(ws: Workspace, dest: Path, *, now: dt.datetime | None = None) -> BackupResult:
    """Write the workspace's backup to ``dest`` (a new file, or a folder to put one in).

    Only a station on its own ``broadcast.db`` is backed up here: a station on the
    province's PostgreSQL server shares that database with others, which its server's
    administrator backs up as a whole (``pg_dump``), so this refuses rather than write an
    archive without the station's records."""
    if not isinstance(ws.database, Path):
        raise InputError(
            f"Đài này dùng cơ sở dữ liệu {ws.database_label} chung của tỉnh: bản sao lưu này "
            "chỉ dành cho đài dùng tệp broadcast.db. Hãy nhờ người quản trị máy chủ tỉnh sao "
            "lưu cơ sở dữ liệu (pg_dump) và thư mục tệp âm thanh, video dùng chung."
        )
    target = dest / backup_name(ws, now) if dest.is_dir() else dest
    if target.exists():
        raise InputError(f"Tệp {target} đã có; chọn tên khác để không ghi đè bản sao lưu cũ.")
    if not target.parent.is_dir():
        raise InputError(f"Không có thư mục {target.parent}; hãy tạo trước hoặc chọn nơi khác.")
    resolved = target.resolve()
    if resolved.is_relative_to(ws.root):
        raise InputError(
            "Hãy lưu bản sao lưu ra ngoài thư mục làm việc của đài (nếu ổ đĩa hỏng, bản sao "
            "lưu cũng mất theo)."
        )
    moment = now or dt.datetime.now()
    partial = target.with_name(f".{target.name}.tmp")
    files: dict[str, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="broadcast-backup-") as scratch:
            snapshot = Path(scratch) / DB_FILE
            snapshot_database(ws.db_path, snapshot)
            with tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) as tar:
                added = _add(tar, DB_FILE, snapshot)
                assert added is not None
                files[DB_FILE] = added
                for name, path in _files(ws):
                    entry = _add(tar, name, path)
                    if entry is not None:
                        files[name] = entry
                manifest = {
                    "format": FORMAT,
                    "created_at": moment.isoformat(timespec="seconds"),
                    "station": ws.station.name,
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(moment.timestamp())
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(target, len(files), sum(int(f["size"]) for f in files.values()))


# --- restore --------------------------------------------------------------------------------


def _safe_name(name: str) -> PurePosixPath:
    """The member's relative path, or InputError when it could leave the target folder."""
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in ("..", "") for part in name.split("/"))
        or ":" in path.parts[0]
    ):
        raise InputError(f"Bản sao lưu có tên tệp không an toàn '{name}'; không khôi phục.")
    return path


def _read_manifest(tar: tarfile.TarFile) -> dict[str, dict[str, Any]]:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise InputError(
            "Tệp này không phải bản sao lưu của đài (thiếu manifest.json); không khôi phục."
        ) from None
    fh = tar.extractfile(member) if member.isreg() else None
    if fh is None:
        raise InputError("manifest.json của bản sao lưu không đọc được; không khôi phục.")
    try:
        manifest = json.loads(fh.read().decode("utf-8"))
        files = manifest["files"]
        if manifest.get("format") != FORMAT or not isinstance(files, dict):
            raise ValueError
        for entry in files.values():
            if not isinstance(entry["sha256"], str) or not isinstance(entry["size"], int):
                raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InputError(
            "manifest.json của bản sao lưu sai định dạng hoặc của phiên bản khác; không khôi phục."
        ) from None
    if DB_FILE not in files or STATION_FILE not in files:
        raise InputError("Bản sao lưu thiếu cơ sở dữ liệu hoặc station.toml; không khôi phục.")
    return files


def _extract(tar: tarfile.TarFile, root: Path) -> int:
    files = _read_manifest(tar)
    seen: set[str] = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        relative = _safe_name(member.name)
        if not member.isreg():
            raise InputError(
                f"Bản sao lưu có '{member.name}' không phải tệp thường (liên kết, thiết bị...); "
                "không khôi phục."
            )
        expected = files.get(member.name)
        if expected is None or member.name in seen:
            raise InputError(
                f"Tệp '{member.name}' trong bản sao lưu không có (hoặc lặp lại) trong "
                "manifest.json; không khôi phục."
            )
        if member.size != expected["size"]:
            raise InputError(f"Tệp '{member.name}' có cỡ khác manifest.json; không khôi phục.")
        seen.add(member.name)
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        assert source is not None
        digest = hashlib.sha256()
        with target.open("xb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected["sha256"]:
            raise InputError(
                f"Tệp '{member.name}' trong bản sao lưu bị hỏng (SHA-256 khác manifest.json); "
                "không khôi phục."
            )
    missing = sorted(set(files) - seen)
    if missing:
        raise InputError(
            f"Bản sao lưu thiếu {len(missing)} tệp ghi trong manifest.json (ví dụ "
            f"'{missing[0]}'); không khôi phục."
        )
    return len(seen)


def _describe(slot: Any) -> str:
    return f"{slot.zone} {slot.starts_at:%d/%m/%Y %H:%M}"


def _compare_plan(ws: Workspace) -> tuple[tuple[dt.date, dt.date] | None, int, list[str]]:
    """Re-plan the stored plan's days from the restored items and approvals; what differs."""
    from broadcast.schedule import campaign
    from broadcast.schedule.grid import workspace_grid
    from broadcast.store import schedule as store

    grid = workspace_grid(ws)
    with ws.open_db() as db:
        days = store.plan_range(db)
        if days is None:
            return None, 0, []
        first, last = days
        stored = store.load_plan(db, first, last)
        fresh = campaign.compute_plan(db, grid, first, (last - first).days + 1)

    def key(slot: Any) -> tuple[dt.datetime, str]:
        return (slot.starts_at, slot.zone)

    old = {key(s): s for s in stored}
    new = {key(s): s for s in fresh.slots}
    differences = [
        f"khung {_describe(old.get(k) or new[k])}"
        for k in sorted(set(old) | set(new))
        if old.get(k) != new.get(k)
    ]
    return days, len(stored), differences


UNFINISHED = (
    "Công việc đang dở lúc sao lưu; không gian làm việc đã được khôi phục, hãy chạy lại việc này."
)


def _close_unfinished_jobs(ws: Workspace) -> int:
    """Jobs queued or running in the snapshot belong to the old machine's queue (not in the
    archive): marked failed with a sentence, so none waits forever in the restored copy."""
    from broadcast.model.jobs import JobState
    from broadcast.store import jobs as job_store

    closed = 0
    with ws.open_db() as db:
        while True:
            open_jobs = job_store.list_jobs(
                db, states=(JobState.QUEUED, JobState.RUNNING), limit=500
            )
            failed = sum(job_store.fail(db, job.id, None, UNFINISHED) for job in open_jobs)
            closed += failed
            if not failed:
                return closed


def restore_workspace(archive: Path, new_dir: Path) -> Restored:
    """Restore a backup into a new folder, check it, and compare a re-plan with its plan.

    Refuses an existing workspace or a non-empty folder; on any refusal the folder is left
    as it was found (removed if this call made it)."""
    if not archive.is_file():
        raise InputError(f"Không có tệp sao lưu {archive}.")
    if (new_dir / STATION_FILE).exists():
        raise WorkspaceError(
            f"{new_dir} đã là một không gian làm việc; hãy khôi phục vào một thư mục mới."
        )
    if new_dir.exists() and (not new_dir.is_dir() or any(new_dir.iterdir())):
        raise WorkspaceError(f"{new_dir} đã có nội dung; hãy khôi phục vào một thư mục mới, trống.")
    made = not new_dir.exists()
    new_dir.mkdir(parents=True, exist_ok=True)
    try:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                count = _extract(tar, new_dir)
        except (tarfile.TarError, EOFError, OSError) as exc:
            if isinstance(exc, FileExistsError):
                raise InputError("Bản sao lưu ghi cùng một tệp hai lần; không khôi phục.") from None
            raise InputError(
                f"Không đọc được tệp sao lưu {archive} ({exc}); tệp hỏng hoặc không phải "
                ".tar.gz của 'broadcast backup'."
            ) from None
        for folder in ("articles", "glossary", "voices", "out"):
            (new_dir / folder).mkdir(exist_ok=True)
        problems = integrity_problems(new_dir / DB_FILE)
        if problems:
            raise StoreError(
                "Cơ sở dữ liệu trong bản sao lưu không toàn vẹn ("
                + "; ".join(problems[:3])
                + "); không khôi phục."
            )
        from broadcast.store.db import Database
        from broadcast.store.workspace import find_workspace

        Database(new_dir / DB_FILE).close()  # a backup of an older version is migrated
        ws = find_workspace(new_dir)
        closed = _close_unfinished_jobs(ws)
        days, slots, differences = _compare_plan(ws)
    except BaseException:
        if made:
            shutil.rmtree(new_dir, ignore_errors=True)
        else:
            for child in new_dir.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise
    return Restored(ws, count, days, slots, differences, closed)
