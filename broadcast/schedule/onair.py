"""Keeping what is on air equal to what is approved: after any void, the plan, the
emergency interrupts and every exported file stop naming renders that are no longer current.

The database removes plan entries itself when a void happens through a write it sees
(triggers of migration 8). This module does the rest, which needs Python: it re-checks every
render on air with the gate (hashes recomputed, approval records read), removes what fails,
rewrites the exported files inside the workspace from the current plan, and marks the files
exported outside the workspace as withdrawn so the user can be told to take them down. The
commands that void (review edit, reject, import) and the commands that schedule (schedule,
produce) call ``refresh`` so that a change made by raw SQL is caught at the next command.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from broadcast.errors import InputError
from broadcast.model.schedule import RenderRef
from broadcast.store import schedule as store
from broadcast.store.db import Database
from broadcast.store.files import atomic_write_text
from broadcast.store.paths import from_stored, stored_forms, to_stored
from broadcast.store.workspace import Workspace


@dataclass
class OnAirRefresh:
    """What a refresh changed, for the command to print."""

    removed_entries: int = 0
    stale: dict[int, str] = field(default_factory=dict)  # render id -> the gate's sentence
    rewritten: list[Path] = field(default_factory=list)
    withdrawn: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # old produce playlists deleted

    @property
    def changed(self) -> bool:
        return bool(self.removed_entries or self.rewritten or self.withdrawn or self.removed)

    def lines(self) -> list[str]:
        """Vietnamese lines for the user, one per fact."""
        out = []
        if self.removed_entries:
            out.append(
                f"Đã gỡ {self.removed_entries} lượt phát khỏi lịch phát vì bản thu đã mất phê "
                "duyệt hoặc không còn khớp văn bản đang được duyệt."
            )
        out += list(self.stale.values())[:5]
        if len(self.stale) > 5:
            out.append(f"... và {len(self.stale) - 5} bản thu khác.")
        if self.rewritten:
            folder = os.path.commonpath([str(p.parent) for p in self.rewritten])
            out.append(
                f"Đã ghi lại {len(self.rewritten)} tệp danh sách phát trong {folder} theo lịch "
                "hiện tại (không còn bản thu đã mất phê duyệt)."
            )
        for path in self.removed:
            out.append(
                f"Đã xóa danh sách phát cũ {path} (do 'produce' ghi trước khi có lịch phát chung) "
                "vì nó có bản thu đã mất phê duyệt; danh sách phát nay lấy từ 'broadcast schedule "
                "export'."
            )
        for path in self.withdrawn:
            out.append(
                f"Danh sách phát {path} đã xuất ra ngoài thư mục làm việc, cần gỡ bản thu đã "
                "mất phê duyệt: xuất lại bằng 'broadcast schedule export' hoặc xóa tệp này."
            )
        return out


def _inside(ws: Workspace, path: Path) -> bool:
    try:
        path.resolve().relative_to(ws.root.resolve())
    except ValueError:
        return False
    return True


def refresh(ws: Workspace) -> OnAirRefresh:
    """Remove stale renders from the plan and playlists, rewrite or withdraw the exports
    that name them; returns what changed (nothing, usually)."""
    result = OnAirRefresh()
    with ws.open_db() as db:
        from broadcast.review.gate import stale_renders

        named = store.on_air_render_ids(db)
        result.stale = stale_renders(db, named)
        store.remove_entries(db, sorted(result.stale))
        withdrawn = store.take_withdrawals(db)
        result.removed_entries = sum(withdrawn.values())
        # Renders a trigger already took off the plan are told about too, once.
        result.stale |= stale_renders(db, set(withdrawn) - set(result.stale))
        affected = store.live_exports_naming(db, sorted(result.stale))
    plan_files = []
    for export in affected:
        path = from_stored(ws.root, export.path)
        if not (export.inside_workspace and export.origin == "produce"):
            plan_files.append(export)
            continue
        # Written outside the plan inside the workspace: an emergency interrupt, or a
        # playlist of the old produce (before migration 10) that nothing rebuilds, which
        # goes rather than keep a voided render.
        with ws.open_db() as db:
            if rewrite_interrupt(ws, db, path, set(result.stale)):
                result.rewritten.append(path)
                continue
            store.withdraw_export(db, export.id)
        path.unlink(missing_ok=True)
        result.removed.append(path)
    rewritten, gone = rewrite_plan_exports(ws, plan_files)
    result.rewritten += rewritten
    result.withdrawn += gone
    return result


class PlanFile(Protocol):
    """What rewriting an exported file needs to know of its record."""

    @property
    def id(self) -> int: ...
    @property
    def path(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def inside_workspace(self) -> bool: ...
    @property
    def first_day(self) -> str | None: ...
    @property
    def last_day(self) -> str | None: ...
    @property
    def out_dir(self) -> str | None: ...


def rewrite_plan_exports(
    ws: Workspace, exports: Iterable[PlanFile]
) -> tuple[list[Path], list[Path]]:
    """Write the plan's exported files again from the plan as it is now (each set of days,
    folder and format once); files outside the workspace, or whose days are no longer
    planned, are marked withdrawn instead. Returns (rewritten, withdrawn)."""
    rewritten: list[Path] = []
    withdrawn: list[Path] = []
    done: set[tuple[str | None, str | None, str | None, str]] = set()
    for export in exports:
        if export.inside_workspace:
            key = (export.out_dir, export.first_day, export.last_day, export.format)
            if key in done:
                continue
            done.add(key)
            try:
                rewritten += _export_again(ws, export)
                continue
            except InputError:  # that part of the plan is gone: the file can only be withdrawn
                pass
        with ws.open_db() as db:
            store.withdraw_export(db, export.id)
        withdrawn.append(from_stored(ws.root, export.path))
    return rewritten, withdrawn


def _export_again(ws: Workspace, export: PlanFile) -> list[Path]:
    """Write a plan export again, from the plan as it is now, to where it was written."""
    from broadcast.schedule.campaign import export_schedule
    from broadcast.schedule.exports import ExportFormat

    first = dt.date.fromisoformat(export.first_day) if export.first_day else None
    last = dt.date.fromisoformat(export.last_day) if export.last_day else None
    days = (last - first).days + 1 if first and last else None
    out_dir = from_stored(ws.root, export.out_dir) if export.out_dir else Path(".")
    return export_schedule(ws, first, days, ExportFormat(export.format), out_dir)


def record_written(
    ws: Workspace,
    db: Database,
    files: Iterable[Path],
    render_ids: Iterable[int],
    *,
    fmt: str,
    origin: str,
    first_day: str | None = None,
    last_day: str | None = None,
    out_dir: Path | None = None,
    slot_start: str | None = None,
    zone: str | None = None,
) -> None:
    """Record written files with the renders they name (so a void can find them); a file
    inside the workspace is recorded relative to it (``store.paths``), replacing a record
    of the same file under its absolute path (rows written before that rule)."""
    paths = [p.resolve() for p in files]
    inside = {p for p in paths if _inside(ws, p)}
    ids = sorted(set(render_ids))
    for group, flag in ((sorted(inside), True), (sorted(set(paths) - inside), False)):
        if group:
            store.record_exports(
                db,
                [stored_forms(ws.root, p) for p in group],
                ids,
                fmt=fmt,
                origin=origin,
                inside_workspace=flag,
                first_day=first_day,
                last_day=last_day,
                out_dir=to_stored(ws.root, out_dir) if out_dir else None,
                slot_start=slot_start,
                zone=zone,
            )


def rewrite_interrupt(ws: Workspace, db: Database, path: Path, stale: set[int]) -> bool:
    """Write an emergency interrupt's playlist again without the renders no longer current;
    False when ``path`` is not an interrupt's playlist."""
    interrupt = store.interrupt_at(db, stored_forms(ws.root, path))
    if interrupt is None:
        return False
    catalog = store.item_catalog(db)
    title = catalog[interrupt.item_id].title if interrupt.item_id in catalog else ""
    from broadcast.review.gate import stale_renders
    from broadcast.schedule.grid import workspace_grid

    renders = {r.language: r for r in store.item_renders(db, interrupt.item_id)}
    stale = stale | set(stale_renders(db, [r.render_id for r in renders.values()]))
    languages = workspace_grid(ws).zone(interrupt.zone).languages
    block = [
        renders[lang]
        for lang in languages
        if lang in renders and renders[lang].render_id not in stale
    ]
    write_interrupt(ws, db, path, block, title, starts_at=interrupt.starts_at, zone=interrupt.zone)
    return True


def write_interrupt(
    ws: Workspace,
    db: Database,
    path: Path,
    block: list[RenderRef],
    title: str,
    *,
    starts_at: str,
    zone: str,
) -> None:
    """Write an emergency interrupt's playlist and record what it names, so that a later
    void or removal finds it: the one writer for first writes and rewrites alike."""
    from broadcast.schedule.campaign import interrupt_m3u8

    atomic_write_text(path, interrupt_m3u8(ws, block, title, path))
    record_written(
        ws,
        db,
        [path],
        [r.render_id for r in block],
        fmt="m3u8",
        origin="produce",
        slot_start=starts_at,
        zone=zone,
    )
