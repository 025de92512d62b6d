"""Stored scripts as people see them: list, show, archive, delete.

Scripts are named everywhere by their name (slug) or their number, both printed by
``broadcast script list``. Sentence numbers shown to people start at 1 (stored positions
start at 0).

Archive or delete: a script that went on air, or that a schedule names, is history the
quarterly report counts, so it can only be archived — hidden from lists, kept with its
renders, and taken off the air from now on (its campaign items are removed as
``schedule remove`` removes them). Anything else may be deleted, with its translations,
render rows and its ``out/`` folder.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from broadcast.model.time import local
from broadcast.store import lifecycle as store
from broadcast.store.db import Database
from broadcast.store.lifecycle import (
    ItemRow,
    RenderRow,
    ScriptRow,
    SentenceRow,
    TranslationRow,
)
from broadcast.store.workspace import Workspace

_NO_STATE = "—"


def local_time(stamp: str | None) -> str:
    """A stored UTC time as the station reads it ('2026-03-02 08:05 +07:00')."""
    return local(stamp)


@dataclass(frozen=True)
class ScriptEntry:
    """One line of ``script list``."""

    script: ScriptRow
    state: str  # vetting state label of the script's own language ('chờ duyệt nội dung')
    state_key: str  # 'draft', 'submitted', 'approved', 'returned' (or '' when unknown)

    def as_json(self) -> dict[str, object]:
        s = self.script
        return {
            "number": s.id,
            "name": s.name,  # what commands take: the newest version of the script
            "slug": s.slug,  # this version exactly ('name.v2')
            "title": s.title,
            "language": s.language,
            "version": s.version,
            "state": self.state_key,
            "state_label": self.state,
            "created_at": local_time(s.created_at),
            "archived": s.archived_at is not None,
        }


def _entry(db: Database, row: ScriptRow) -> ScriptEntry:
    """The script with its vetting state (``broadcast.review.vetting``), if that loads."""
    try:
        from broadcast.review.vetting import script_state
    except ImportError:  # pragma: no cover - vetting not in this tree yet
        return ScriptEntry(row, _NO_STATE, "")
    vetting = script_state(db, row.id)
    return ScriptEntry(row, vetting.label, str(vetting.state.value))


def list_scripts(
    ws: Workspace, *, include_archived: bool = False, all_versions: bool = False
) -> list[ScriptEntry]:
    """The latest version of each script (every version with ``all_versions``)."""
    with ws.open_db() as db:
        rows = store.list_scripts(db, include_archived=include_archived, all_versions=all_versions)
        return [_entry(db, r) for r in rows]


@dataclass(frozen=True)
class ScriptDetail:
    entry: ScriptEntry
    sentences: list[SentenceRow]
    translations: list[TranslationRow]
    renders: list[RenderRow]
    items: list[ItemRow]
    versions: list[ScriptRow]

    def as_json(self) -> dict[str, object]:
        return {
            **self.entry.as_json(),
            "versions": [
                {
                    "number": v.id,
                    "slug": v.slug,
                    "version": v.version,
                    "created_at": local_time(v.created_at),
                }
                for v in self.versions
            ],
            "sentences": [
                {"number": s.position + 1, "role": s.role, "written": s.written, "spoken": s.spoken}
                for s in self.sentences
            ],
            "translations": [
                {
                    "language": t.language,
                    "state": t.state,
                    "segments": t.segments,
                    "approved_segments": t.approved,
                }
                for t in self.translations
            ],
            "renders": [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "language": r.language,
                    "path": r.path,
                    "created_at": local_time(r.created_at),
                }
                for r in self.renders
            ],
            "items": [
                {
                    "number": i.id,
                    "priority": i.priority,
                    "valid_from": i.valid_from,
                    "valid_to": i.valid_to,
                    "zones": list(i.zones),
                    "removed": i.removed_at is not None,
                }
                for i in self.items
            ],
        }


def show_script(ws: Workspace, ref: str) -> ScriptDetail:
    with ws.open_db() as db:
        row = store.script_by_ref(db, ref)
        return ScriptDetail(
            _entry(db, row),
            store.script_sentences(db, row.id),
            store.script_translations(db, row.id),
            store.script_renders(db, row.id),
            store.script_items(db, row.id),
            store.versions_of(db, row.id),
        )


@dataclass(frozen=True)
class Archived:
    script: ScriptRow
    items: list[int]  # campaign items taken off the air
    lines: list[str]  # what happened to the plan, for the user


def archive_script(ws: Workspace, ref: str, *, by: str, now: dt.datetime | None = None) -> Archived:
    """Hide a script from lists and take it off the air from now on (its items removed,
    the plan from today re-made, the exports rewritten); everything aired stays."""
    from broadcast.schedule.items import withdraw_items

    with ws.open_db() as db:
        row = store.script_by_ref(db, ref)
        ids = [v.id for v in store.versions_of(db, row.id)]  # a script is all its versions
        items = [i.id for v in ids for i in store.script_items(db, v) if i.removed_at is None]
        store.archive_scripts(db, ids, by=by)
        store.mark_items_removed(db, items, by=by)
    lines = withdraw_items(ws, items, now=now).lines() if items else []
    return Archived(row, items, lines)


def restore_script(ws: Workspace, ref: str) -> ScriptRow:
    """Show an archived script in lists again (its removed items stay removed)."""
    with ws.open_db() as db:
        row = store.script_by_ref(db, ref)
        ids = [v.id for v in store.versions_of(db, row.id)]
        store.archive_scripts(db, ids, by="", archived=False)
        return row


@dataclass(frozen=True)
class Deleted:
    script: ScriptRow
    files: list[Path]  # removed from out/


def delete_script(ws: Workspace, ref: str) -> Deleted:
    """Delete a script nothing aired and nothing schedules (refused otherwise, with the
    sentence that says to archive it), then its files under ``out/``.

    Files outside the workspace's ``out/`` folder are never touched, whatever a render row
    says."""
    with ws.open_db() as db:
        row = store.script_by_ref(db, ref)
        versions = store.versions_of(db, row.id)  # a script is deleted with all its versions
        paths = store.delete_scripts(db, [v.id for v in versions], slug=row.slug)
    out = ws.out_dir.resolve()
    removed: list[Path] = []
    for text in paths:
        path = Path(text)
        path = (path if path.is_absolute() else ws.root / path).resolve()
        if path.is_relative_to(out) and path.is_file():
            path.unlink()
            removed.append(path)
    for version in versions:
        folder = (ws.out_dir / version.slug).resolve()
        if version.slug and folder.is_relative_to(out) and folder != out and folder.is_dir():
            removed += [p for p in folder.rglob("*") if p.is_file()]
            shutil.rmtree(folder)
    return Deleted(row, sorted(set(removed)))
