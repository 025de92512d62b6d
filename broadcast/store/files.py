"""Atomic file writes: a reader (a loudspeaker player, a web server) never sees half a file.

Every temporary name carries the process id of its writer (``.audio.mp3.<pid>.<random>.tmp``)
so that the start-up sweep can tell a dead run's debris, safe to remove, from a running
run's work in progress, which it must not touch.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

STALE_UNOWNED_S = 3600  # a temporary name without a process id (older versions): 1 hour
STALE_OWNED_S = 24 * 3600  # past this, a "live" owner is a reused process id, not our run
_OWNER = re.compile(r"\.(\d+)\.[a-z0-9_]{8}(?:\.tmp(?:\.\w+)?)?$")
# What our writers name their temporaries (with or without the process id of older versions):
# ".<name>.<pid>.<random>.tmp[.<ext>]" for files, ".<key>.<pid>.<random>" for stage folders.
_TEMP_FILE = re.compile(r"^\..+\.(?:\d+\.)?[a-z0-9_]{8}\.tmp(?:\.\w+)?$")
_TEMP_STAGE = re.compile(r"^\.[0-9a-f]{32}\.(?:\d+\.)?[a-z0-9_]{8}$")


def temp_prefix(stem: str) -> str:
    """``<stem>.<pid>.``: the prefix for ``mkstemp``/``mkdtemp`` naming this process."""
    return f"{stem}.{os.getpid()}."


def temp_owner(name: str) -> int | None:
    """The process id written into a temporary name by ``temp_prefix``, if any."""
    match = _OWNER.search(name)
    return int(match.group(1)) if match else None


def is_temporary(name: str, *, stage_folder: bool = False) -> bool:
    """Whether ``name`` is one our writers give a temporary: a user's own hidden file that
    merely ends in ``.tmp`` is not."""
    return bool((_TEMP_STAGE if stage_folder else _TEMP_FILE).match(name))


def pid_alive(pid: int) -> bool:
    """True while a process with this id exists on this machine (SQLite in WAL mode keeps
    a workspace on one machine, so a process id is meaningful)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def is_abandoned(path: Path, *, owner: int | None = None, now: float | None = None) -> bool:
    """Whether a temporary file or folder belongs to no running process any more.

    ``owner`` defaults to the process id in the name. Without one (a name written by an
    older version) only age tells, so such debris is kept for an hour.
    """
    pid = owner if owner is not None else temp_owner(path.name)
    try:
        age = (now if now is not None else time.time()) - path.lstat().st_mtime
    except FileNotFoundError:
        return False  # its owner finished (renamed or removed it) meanwhile
    if pid is None:
        return age > STALE_UNOWNED_S
    if pid == os.getpid():
        return False
    return not pid_alive(pid) or age > STALE_OWNED_S


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(f".{path.name}"), suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; outputs are shared with players and editors
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_copy(source: Path, dest: Path) -> None:
    """Copy through a temporary file beside ``dest``, then rename: a killed copy never
    leaves half a file (a model, a render) under the final name."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=temp_prefix(f".{dest.name}"), suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
