"""``broadcast cache prune``: remove cached stage outputs that nothing stored needs.

The cache only grows: every edit, voice or profile change makes new keys, and the old
entries stay. An entry is kept when

* a render row names it (``renders.stage_key``: the mix or video the row's file came from);
* it is the audio of a stored sentence or translation in a voice the workspace has (a
  re-render would read it instead of speaking again);
* it was built or reused in the last ``GRACE_S`` seconds: a run in progress may be about to
  commit the rows that name it.

Everything else is removed; a later run that needs it builds it again. Temporary debris of
killed runs is not counted here: the start-up sweep (``store.workspace``) removes it.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.errors import BroadcastError
from broadcast.render.cache import DONE
from broadcast.store.references import CacheReferences, cache_references
from broadcast.store.workspace import Workspace

if TYPE_CHECKING:
    from broadcast.voice.profiles import VoiceProfile

GRACE_S = 15 * 60


@dataclass(frozen=True)
class PrunedEntry:
    path: Path
    size: int  # bytes


@dataclass(frozen=True)
class PruneResult:
    removed: tuple[PrunedEntry, ...]  # or, with ``dry_run``, what would be removed
    kept: int
    recent: int  # unreferenced but too recent to remove (see ``GRACE_S``)
    dry_run: bool

    @property
    def freed(self) -> int:
        return sum(e.size for e in self.removed)


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _last_used(path: Path) -> float:
    """A stage folder's ``.done`` is touched on every cache hit; a file's own mtime."""
    done = path / DONE
    try:
        return max(path.stat().st_mtime, done.stat().st_mtime if done.exists() else 0.0)
    except FileNotFoundError:
        return time.time()  # removed meanwhile: count as in use, leave it


def _profiles(ws: Workspace) -> list[VoiceProfile]:
    """Every voice profile the workspace can read with, and their fallbacks."""
    from broadcast.voice.profiles import load_profile, profile_names, station_profile

    loaders: list[Callable[[], VoiceProfile]] = [functools.partial(station_profile, ws)]
    with contextlib.suppress(BroadcastError):  # unreadable profiles: the station's still counts
        loaders += [functools.partial(load_profile, name, ws) for name in profile_names(ws)]
    found: list[VoiceProfile] = []
    for load in loaders:
        try:
            profile: VoiceProfile | None = load()
        except BroadcastError:  # a broken profile reads nothing, so it keeps nothing
            continue
        while profile is not None:
            found.append(profile)
            profile = profile.fallback_to
    return found


def _sentence_names(ws: Workspace, refs: CacheReferences) -> set[str]:
    """File names in the sentence cache that a stored text, read by some profile, maps to."""
    from broadcast.voice.base import engine_class
    from broadcast.voice.synth import profile_cache_key

    names: set[str] = set()
    for profile in _profiles(ws):
        try:
            if not engine_class(profile.engine).cacheable:
                continue
        except BroadcastError:  # an engine this installation lacks made no entries
            continue
        for language, texts in refs.texts.items():
            voiced = profile if profile.language == language else profile.for_language(language)
            names.update(f"{profile_cache_key(voiced, text)}.wav" for text in texts)
    return names


def _entries(ws: Workspace) -> Iterable[tuple[Path, str]]:
    """(entry, kind) for every finished entry; temporary names (leading dot) are skipped."""
    stages = ws.cache_dir / "stages"
    for folder in sorted(stages.iterdir()) if stages.is_dir() else []:
        if folder.is_dir() and not folder.name.startswith("."):  # not the lock files
            for entry in sorted(folder.iterdir()):
                if not entry.name.startswith("."):
                    yield entry, "stage"
    voice = ws.cache_dir / "voice"
    for entry in sorted(voice.iterdir()) if voice.is_dir() else []:
        if entry.is_file() and entry.suffix == ".wav" and not entry.name.startswith("."):
            yield entry, "voice"


def prune_cache(ws: Workspace, *, dry_run: bool = False, now: float | None = None) -> PruneResult:
    """Remove (or, with ``dry_run``, list) cache entries nothing stored needs."""
    with ws.open_db() as db:
        refs = cache_references(db)
    sentences = _sentence_names(ws, refs)
    moment = time.time() if now is None else now
    removed: list[PrunedEntry] = []
    kept = recent = 0
    for entry, kind in _entries(ws):
        needed = entry.name in refs.stage_keys if kind == "stage" else entry.name in sentences
        if needed:
            kept += 1
            continue
        if moment - _last_used(entry) < GRACE_S:
            recent += 1
            continue
        size = _size(entry)
        if not dry_run:
            try:
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            except FileNotFoundError:
                continue
        removed.append(PrunedEntry(entry, size))
    return PruneResult(tuple(removed), kept, recent, dry_run)
