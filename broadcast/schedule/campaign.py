"""The schedule stage as the CLI calls it: add campaign items, plan and store, read back.

Each function opens the workspace database, gathers typed values, calls the pure planner or
an exporter and stores the result in one transaction; the CLI only formats what they return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from broadcast.errors import InputError
from broadcast.languages import LANGUAGES
from broadcast.schedule.grid import ALL_ZONES, Grid, SlotKind, workspace_grid
from broadcast.schedule.model import Finding, FindingKind, Item, Plan, Priority, RenderRef
from broadcast.schedule.planner import make_plan
from broadcast.script.model import Topic
from broadcast.store import schedule as store
from broadcast.store.db import Database
from broadcast.store.records import find_script
from broadcast.store.workspace import Workspace


@dataclass(frozen=True)
class AddedItem:
    item_id: int
    slug: str
    title: str
    languages: tuple[str, ...]
    skipped: tuple[str, ...]  # languages with a render that is not approved
    zones: tuple[str, ...]
    replanned: Plan | None  # an emergency re-plans the stored days it falls in
    next_slots: tuple[tuple[str, dt.datetime], ...]  # (zone, start) where it airs first


def parse_moment(text: str, what: str) -> dt.datetime:
    """'2026-03-02' or '2026-03-02T14:05' (or with a space) -> datetime."""
    try:
        return dt.datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise InputError(
            f"{what} '{text}' không hợp lệ; dùng dạng NĂM-THÁNG-NGÀY, ví dụ 2026-03-02 "
            "(hoặc 2026-03-02T14:05)."
        ) from None


def parse_day(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{what} '{text}' không hợp lệ; dùng dạng NĂM-THÁNG-NGÀY, ví dụ 2026-03-02."
        ) from None


def add_item(
    ws: Workspace,
    script_ref: str,
    *,
    starts: dt.datetime,
    last_day: dt.date,
    priority: Priority,
    min_plays: int,
    zones: tuple[str, ...],
    languages: tuple[str, ...] | None,
    topic: str | None,
) -> AddedItem:
    """Put an approved script on air; only approved renders are attached."""
    grid = workspace_grid(ws)
    zone_ids = grid.resolve_zones(zones) if zones != (ALL_ZONES,) else (ALL_ZONES,)
    if last_day < starts.date():
        raise InputError("Ngày kết thúc (--to) phải bằng hoặc sau ngày bắt đầu (--from).")
    if min_plays < 0:
        raise InputError("Số lần phát tối thiểu mỗi tuần (--min-plays) không được âm.")
    if topic is not None and topic not in {t.value for t in Topic}:
        raise InputError(
            f"Chủ đề '{topic}' không có; dùng một trong {', '.join(t.value for t in Topic)}."
        )
    with ws.open_db() as db:
        script = find_script(db, script_ref)
        approved = store.approved_pairs(db)
        renders = store.latest_audio_renders(db, script.id)
        if languages is None:
            wanted = tuple(lang for lang in ws.station.languages if lang in renders)
        else:
            wanted = languages
        if "th" in wanted:
            raise InputError(
                "Mã 'th' là tiếng Thái Lan; tiếng Thái ở Tây Bắc dùng mã 'blt' (Thái Đen) "
                "hoặc 'twh' (Thái Trắng)."
            )
        if languages is not None and not wanted:
            raise InputError("Chưa có ngôn ngữ nào để phát (--languages).")
        unknown = [lang for lang in wanted if lang not in ws.station.languages]
        if unknown:
            raise InputError(
                f"Ngôn ngữ {', '.join(unknown)} không có trong 'languages' của đài "
                f"({', '.join(ws.station.languages)})."
            )
        chosen: list[RenderRef] = []
        skipped: list[str] = []
        for lang in wanted:
            if (script.id, lang) not in approved:
                if languages is not None:
                    raise InputError(
                        f"Kịch bản '{script.slug}' bằng {LANGUAGES.get(lang, lang)} chưa được "
                        "duyệt nên không được đưa vào lịch phát; duyệt bằng 'broadcast review'."
                    )
                skipped.append(lang)
                continue
            if lang not in renders:
                raise InputError(
                    f"Kịch bản '{script.slug}' chưa có bản thu âm thanh bằng "
                    f"{LANGUAGES.get(lang, lang)}."
                )
            chosen.append(renders[lang])
        if not chosen:
            raise InputError(
                f"Kịch bản '{script.slug}' chưa có bản thu nào đã duyệt để đưa vào lịch phát."
            )
        item_id = store.add_item(
            db,
            script_id=script.id,
            priority=priority,
            starts=starts,
            last_day=last_day,
            min_plays_per_week=min_plays,
            zones=zone_ids,
            topic=topic or script.topic,
            renders=chosen,
        )
        replanned: Plan | None = None
        stored = store.plan_range(db)
        if priority is Priority.EMERGENCY and stored is not None:
            first = max(stored[0], starts.date())
            if first <= stored[1]:
                replanned = _plan_and_store(db, grid, first, (stored[1] - first).days + 1)
    next_slots = _next_slots(grid, starts, zone_ids) if priority is Priority.EMERGENCY else ()
    return AddedItem(
        item_id=item_id,
        slug=script.slug,
        title=script.title,
        languages=tuple(r.language for r in chosen),
        skipped=tuple(skipped),
        zones=zone_ids,
        replanned=replanned,
        next_slots=next_slots,
    )


def _next_slots(
    grid: Grid, starts: dt.datetime, zones: tuple[str, ...]
) -> tuple[tuple[str, dt.datetime], ...]:
    """The first local slot at or after ``starts`` in each zone: where an emergency airs."""
    result = []
    wanted = grid.zone_ids if ALL_ZONES in zones else zones
    for zone in wanted:
        best: dt.datetime | None = None
        for slot in grid.slots_for(zone):
            if slot.kind is not SlotKind.LOCAL:
                continue
            for offset in range(8):
                day = starts.date() + dt.timedelta(days=offset)
                moment = dt.datetime.combine(day, slot.start)
                if day.weekday() in slot.weekday_numbers and moment >= starts:
                    best = moment if best is None else min(best, moment)
                    break
        if best is not None:
            result.append((zone, best))
    return tuple(result)


def _plan_and_store(db: Database, grid: Grid, first: dt.date, days: int) -> Plan:
    last = first + dt.timedelta(days=days - 1)
    items: list[Item] = store.load_items(db, first, last)
    plan = make_plan(grid, items, store.approved_pairs(db), first, days)
    store.save_plan(db, plan)
    return plan


def plan_days(ws: Workspace, first: dt.date, days: int) -> Plan:
    """Plan ``days`` days from ``first`` and replace the stored plan of those days."""
    if days < 1 or days > 366:
        raise InputError("Số ngày lập lịch (--days) phải từ 1 đến 366.")
    grid = workspace_grid(ws)
    with ws.open_db() as db:
        return _plan_and_store(db, grid, first, days)


@dataclass(frozen=True)
class StoredPlan:
    """A stored plan with what exports and views print about its items and renders."""

    grid: Grid
    plan: Plan
    items: dict[int, store.ItemInfo]
    renders: dict[int, RenderRef]


def read_plan(ws: Workspace, first: dt.date | None, days: int | None) -> StoredPlan:
    """The stored plan of a date range (default: all of it)."""
    grid = workspace_grid(ws)
    with ws.open_db() as db:
        stored = store.plan_range(db)
        if stored is None:
            raise InputError(
                "Chưa có lịch phát nào; lập lịch bằng 'broadcast schedule plan --from NGÀY'."
            )
        start = first or stored[0]
        last = start + dt.timedelta(days=days - 1) if days else stored[1]
        plan = Plan(first_day=start, days=(last - start).days + 1)
        plan.findings.extend(store.load_findings(db, start, last))
        lapsed = store.lapsed_plan_renders(db, start, last)
        for slot in store.load_plan(db, start, last):
            if lapsed and any(e.render_id in lapsed for e in slot.entries):
                # Approval voided since planning: never export it; say so and ask to re-plan.
                slot = replace(
                    slot, entries=tuple(e for e in slot.entries if e.render_id not in lapsed)
                )
            plan.slots.append(slot)
        if lapsed:
            plan.findings.append(
                Finding(
                    FindingKind.UNAPPROVED,
                    start,
                    "",
                    None,
                    f"{len(lapsed)} bản thu trong lịch đã mất phê duyệt (bản dịch bị sửa) nên "
                    "bị bỏ khỏi danh sách phát; hãy chạy lại 'broadcast schedule plan'.",
                )
            )
        return StoredPlan(grid, plan, store.item_catalog(db), store.render_catalog(db))


__all__ = ["Finding", "add_item", "plan_days", "read_plan", "workspace_grid"]
