"""Campaign items after they are added: list, remove, edit — and what that does to the plan.

A removed item stops playing from now on: its plan entries from this moment are deleted,
the stored days from today are planned again whole (the planner plans days, so today's
earlier slots are re-made too; other items fill the gaps), and the exported playlists that
cover those days are written again where they were written (files exported outside the
workspace are marked withdrawn and named to the user, as a void does). Days before today
stay as they were planned: what aired is in the as-run log, which does not depend on items,
and the plan of a past day is what the as-run comparison reads. An item that no plan entry
(nor emergency interrupt) names any more is deleted outright; one that past plans name is
kept, marked removed (migration 11), never planned again, and hidden from
``schedule list`` (shown by ``--all``). An edit re-plans the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from broadcast.errors import InputError
from broadcast.model.time import station_now
from broadcast.schedule.grid import ALL_ZONES, workspace_grid
from broadcast.schedule.model import Priority
from broadcast.store import lifecycle as store
from broadcast.store.lifecycle import ItemRow
from broadcast.store.workspace import Workspace


@dataclass
class PlanChange:
    """What a removal or an edit did to the plan and its exported files."""

    removed_entries_renders: list[int] = field(default_factory=list)
    replanned: tuple[dt.date, dt.date] | None = None
    rewritten: list[Path] = field(default_factory=list)
    withdrawn: list[Path] = field(default_factory=list)  # exported outside the workspace
    deleted_items: list[int] = field(default_factory=list)  # rows gone (no plan named them)

    def lines(self) -> list[str]:
        """Vietnamese lines for the user, one per fact."""
        out = []
        if self.replanned is not None:
            first, last = self.replanned
            out.append(f"Đã lập lại lịch từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}.")
        if self.rewritten:
            out.append(f"Đã ghi lại {len(self.rewritten)} tệp lịch phát đã xuất.")
        for path in self.withdrawn:
            out.append(
                f"Tệp {path} đã xuất ra ngoài thư mục làm việc và không còn đúng lịch: "
                "xuất lại bằng 'broadcast schedule export' hoặc xoá tệp này."
            )
        return out


def list_items(ws: Workspace, *, include_removed: bool = False) -> list[ItemRow]:
    with ws.open_db() as db:
        return store.list_items(db, include_removed=include_removed)


def remove_item(
    ws: Workspace, ref: str, *, by: str, now: dt.datetime | None = None
) -> tuple[ItemRow, PlanChange]:
    """Take an item off the air from now on (see the module docstring)."""
    from broadcast.schedule.onair import rewrite_interrupt
    from broadcast.store import schedule as schedule_store
    from broadcast.store.paths import from_stored

    with ws.open_db() as db:
        item = store.item_by_number(db, ref)
        store.mark_items_removed(db, [item.id], by=by)
        # An emergency interrupt playlist of the item is written again without it (empty),
        # so a loudspeaker box reading that file stops playing what the scheduler removed.
        interrupts = schedule_store.interrupts_of_item(db, item.id)
        ids = {r.render_id for r in schedule_store.item_renders(db, item.id)}
        files = [from_stored(ws.root, record.path) for record in interrupts]
        emptied = [
            path for path in files if path.is_file() and rewrite_interrupt(ws, db, path, ids)
        ]
    change = withdraw_items(ws, [item.id], now=now)
    change.rewritten += emptied
    return item, change


def withdraw_items(
    ws: Workspace, item_ids: list[int], *, now: dt.datetime | None = None
) -> PlanChange:
    """After items were marked removed or changed: drop their plan entries from ``now``,
    re-plan the stored days from today, delete the removed items no plan names, rewrite
    the exports."""
    moment = now or station_now()
    change = PlanChange()
    with ws.open_db() as db:
        change.removed_entries_renders = store.delete_future_entries(
            db, item_ids, moment.isoformat(timespec="seconds")
        )
    change.replanned = _replan_from(ws, moment.date())
    with ws.open_db() as db:
        change.deleted_items = store.drop_unplanned_items(db, item_ids)
    if change.replanned is not None or change.removed_entries_renders:
        _export_again(ws, moment.date(), change)
    return change


def _replan_from(ws: Workspace, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """Plan again the stored days from today, if the stored plan reaches today."""
    from broadcast.schedule.campaign import plan_days
    from broadcast.store import schedule as schedule_store

    with ws.open_db() as db:
        stored = schedule_store.plan_range(db)
    if stored is None or stored[1] < today:
        return None
    first = max(stored[0], today)
    plan_days(ws, first, (stored[1] - first).days + 1)
    return first, stored[1]


def _export_again(ws: Workspace, today: dt.date, change: PlanChange) -> None:
    """Write again every plan export that covers today or later, where it was written."""
    from broadcast.schedule.onair import rewrite_plan_exports

    with ws.open_db() as db:
        exports = store.plan_exports_from(db, today.isoformat())
    rewritten, withdrawn = rewrite_plan_exports(ws, exports)
    change.rewritten += rewritten
    change.withdrawn += withdrawn


def edit_item(
    ws: Workspace,
    ref: str,
    *,
    until: dt.date | None = None,
    zones: tuple[str, ...] | None = None,
    priority: Priority | None = None,
    min_plays: int | None = None,
    now: dt.datetime | None = None,
) -> tuple[ItemRow, PlanChange]:
    """Change an item's last day, zones, priority or minimum plays, validated as
    ``schedule add`` validates them; the stored days from today are planned again."""
    if until is None and zones is None and priority is None and min_plays is None:
        raise InputError("Chưa có gì để sửa; dùng --until, --zones, --priority hoặc --min-plays.")
    if min_plays is not None and min_plays < 0:
        raise InputError("Số lần phát tối thiểu mỗi tuần (--min-plays) không được âm.")
    zone_ids: tuple[str, ...] | None = None
    if zones is not None:
        grid = workspace_grid(ws)
        zone_ids = grid.resolve_zones(zones) if zones != (ALL_ZONES,) else (ALL_ZONES,)
    with ws.open_db() as db:
        item = store.item_by_number(db, ref)
        if until is not None and until.isoformat() < item.valid_from[:10]:
            raise InputError(
                f"Ngày cuối (--until) phải bằng hoặc sau ngày bắt đầu của mục #{item.id} "
                f"({item.valid_from[:10]})."
            )
        store.update_item(
            db,
            item.id,
            valid_to=until.isoformat() if until else None,
            zones=zone_ids,
            priority=priority.value if priority else None,
            min_plays_per_week=min_plays,
        )
        updated = store.item_by_number(db, str(item.id))
    return updated, withdraw_items(ws, [item.id], now=now)
