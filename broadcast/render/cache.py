"""Stage outputs stored under a key of their inputs, parameters and stage version.

A stage builds into a private temporary folder and renames it into place only when it has
finished, so an interrupted run leaves no entry that looks complete; the next run simply
builds it again. Entries are content-addressed, so two scripts with the same audio share
one entry and nothing ever needs invalidating: a changed input is a different key.

Two runs wanting the same entry at the same time (two jobs on one segment, two worker
processes, two machines on the shared media folder) never both build it: ``lock`` holds an
exclusive ``flock`` on the key while one builds, and the other then finds it finished. The
kernel (or the NFS lock manager) drops the lock when its process dies, even by SIGKILL, so a
killed worker never blocks the one that retries its task.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from broadcast.store.files import atomic_copy, sha256_file, temp_prefix

DONE = ".done"
LOCKS = ".locks"  # a folder beside the stages' folders (a leading dot: not a stage)


def stage_key(stage: str, version: str, params: Mapping[str, Any]) -> str:
    """A stable hash of what decides a stage's output."""
    raw = json.dumps(
        {"stage": stage, "version": version, "params": params},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


class StageCache:
    """``<workspace>/.cache/stages/<stage>/<key>/``: one folder per finished stage output."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, stage: str, key: str) -> Path:
        return self.root / stage / key

    def get(self, stage: str, key: str) -> Path | None:
        """The finished output folder, or None (absent, or left half-built by a crash)."""
        folder = self.folder(stage, key)
        if not (folder / DONE).is_file():
            return None
        # Marks the entry as in use: `cache prune` leaves recently used entries to the run
        # that is about to commit the rows naming them.
        with contextlib.suppress(OSError):
            os.utime(folder / DONE)
        return folder

    def get_or_build(
        self, stage: str, key: str, build: Callable[[Path], None]
    ) -> tuple[Path, bool]:
        """The entry's folder and True when it was there; else ``build(work)`` fills a
        private folder under the key's lock and it is published (False). A run that waited
        for another building the same key gets that one's entry."""
        folder = self.get(stage, key)
        if folder is not None:
            return folder, True
        with self.lock(stage, key):
            folder = self.get(stage, key)
            if folder is not None:
                return folder, True
            with self.build(stage, key) as work:
                build(work)
            return self.folder(stage, key), False

    @contextmanager
    def lock(self, stage: str, key: str) -> Iterator[None]:
        """Hold the key while checking for and building its entry (see the module
        docstring); a run that has to wait finds the entry finished and reuses it. Where
        the system has no ``flock`` (not Linux) runs are not kept apart: the one to finish
        last replaces the entry with an identical one."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        # Lock files live apart from the entries (and stay: removing one another run may
        # be waiting on would let a third take a fresh lock beside it); each is empty.
        locks = self.root / LOCKS
        locks.mkdir(parents=True, exist_ok=True)
        with open(locks / f"{stage}.{key}.lock", "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    @contextmanager
    def build(self, stage: str, key: str) -> Iterator[Path]:
        """A temporary folder to build into; published under ``key`` if the block succeeds."""
        parent = self.root / stage
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(f".{key}"), dir=parent))
        try:
            yield tmp
            (tmp / DONE).write_text("ok\n", encoding="utf-8")
            final = self.folder(stage, key)
            if final.exists():  # a concurrent run finished first, or a crash left debris
                shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def publish(source: Path, dest: Path) -> bool:
    """Copy a cached artifact to ``dest`` atomically; False when ``dest`` already holds it."""
    same_size = dest.is_file() and dest.stat().st_size == source.stat().st_size
    if same_size and sha256_file(dest) == sha256_file(source):
        return False
    atomic_copy(source, dest)
    return True
