"""The schedule stage as the CLI calls it: add campaign items, plan and store, read back.

Each function opens the workspace database, gathers typed values, calls the pure planner or
an exporter and stores the result in one transaction; the CLI only formats what they return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.errors import InputError
from broadcast.languages import LANGUAGES
from broadcast.model.time import station_now
from broadcast.schedule.grid import ALL_ZONES, Grid, SlotKind, workspace_grid
from broadcast.schedule.model import Finding, FindingKind, Item, Plan, Priority, RenderRef
from broadcast.schedule.planner import make_plan
from broadcast.script.model import Topic
from broadcast.store import schedule as store
from broadcast.store.db import Database
from broadcast.store.paths import to_stored
from broadcast.store.records import find_script
from broadcast.store.workspace import Workspace

if TYPE_CHECKING:
    from broadcast.schedule.exports import ExportFormat


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
    from broadcast.review.gate import require_current_render

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
            require_current_render(db, renders[lang].render_id)
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


def current_renders_of(db: Database, script_id: int) -> list[RenderRef]:
    """The script's newest audio render per language that may go on air now: its language
    approved and the render voicing exactly the approved text (the gate)."""
    from broadcast.review.gate import stale_renders

    approved = store.approved_pairs(db)
    renders = store.latest_audio_renders(db, script_id)
    usable = [r for lang, r in renders.items() if (script_id, lang) in approved]
    stale = stale_renders(db, [r.render_id for r in usable])
    return [r for r in usable if r.render_id not in stale]


def add_pending_item(
    db: Database,
    script_id: int,
    *,
    first_day: dt.date,
    days: int,
    zones: tuple[str, ...],
    priority: Priority,
    topic: str | None,
) -> int | None:
    """The campaign item a produced script will air as, made at once (without renders
    while the script awaits approval: ``replan_for_script`` attaches them on approval).

    Returns None when some version of the script already has an item valid on or after
    ``first_day``: producing again (or a new version) never adds a second item; that item
    plays the newest approved version."""
    if days < 1 or days > 366:
        raise InputError("Số ngày phát (--days) phải từ 1 đến 366.")
    if any(i.last_day >= first_day for i in store.family_items(db, script_id)):
        return None
    return store.add_item(
        db,
        script_id=script_id,
        priority=priority,
        starts=dt.datetime.combine(first_day, dt.time()),
        last_day=first_day + dt.timedelta(days=days - 1),
        min_plays_per_week=0,
        zones=zones,
        topic=topic,
        renders=current_renders_of(db, script_id),
    )


def replan_for_script(ws: Workspace, script_id: int, *, today: dt.date | None = None) -> list[Path]:
    """After a script version is approved: its items (those of every version of the script)
    play its current approved renders, the days they cover from ``today`` on are planned
    again and exported as M3U8 to ``out/playlists``; returns the playlists the script is in.

    Called by ``produce --approve`` and ``script approve``. Nothing happens (empty list)
    while the script has no render that may go on air or no item."""
    from broadcast.schedule.exports import ExportFormat, slot_playlist_name

    today = today or station_now().date()
    grid = workspace_grid(ws)
    with ws.open_db() as db, db.transaction():
        renders = current_renders_of(db, script_id)
        # Items that ended before today keep what they played (reports read them).
        items = [i for i in store.family_items(db, script_id) if i.last_day >= today]
        if not renders or not items:
            return []
        for item in items:
            # An item keeps the languages its scheduler chose; one made by produce (no
            # render yet) takes every approved language.
            chosen = {r.language for r in store.item_renders(db, item.id)}
            mine = [r for r in renders if not chosen or r.language in chosen] or renders
            store.point_item_at(db, item.id, script_id, mine)
        first = max(today, min(i.first_day for i in items))
        last = max(i.last_day for i in items)
        if last < first:
            return []
        days = min((last - first).days + 1, 366)
        plan = _plan_and_store(db, grid, first, days)
    out_dir = ws.out_dir / "playlists"
    export_schedule(ws, first, days, ExportFormat.M3U8, out_dir)
    ids = {i.id for i in items}
    return sorted(
        out_dir / slot_playlist_name(slot)
        for slot in plan.slots
        if any(e.item_id in ids for e in slot.entries)
    )


@dataclass(frozen=True)
class Interrupt:
    """An emergency started now in one zone: its playlist and what it plays."""

    zone: str
    starts_at: dt.datetime
    playlist: Path
    render_ids: tuple[int, ...]


def start_emergency_now(
    ws: Workspace,
    item_id: int,
    zones: tuple[str, ...],
    now: dt.datetime,
    *,
    actor: str | None = None,
) -> list[Interrupt]:
    """Interrupt every zone concerned NOW (not at the next slot, hours away): one M3U8 per
    zone in ``out/playlists``, named with "khan-cap" and the minute, playing the item's
    renders in the zone's language order; each recorded (table ``interrupts`` and the
    export records, so a void rewrites it)."""
    from broadcast.schedule.onair import write_interrupt
    from broadcast.store.naming import slugify

    grid = workspace_grid(ws)
    minute = now.replace(second=0, microsecond=0)
    wanted = grid.zone_ids if ALL_ZONES in zones else zones
    result: list[Interrupt] = []
    with ws.open_db() as db:
        catalog = store.item_catalog(db)
        renders = {r.language: r for r in store.item_renders(db, item_id)}
        title = catalog[item_id].title if item_id in catalog else ""
        for zone_id in wanted:
            zone = grid.zone(zone_id)
            block = [renders[lang] for lang in zone.languages if lang in renders]
            if not block:
                continue
            name = f"khan-cap_{minute:%Y-%m-%d_%H%M}_{slugify(zone_id)}.m3u8"
            path = ws.out_dir / "playlists" / name
            starts_at = minute.strftime("%Y-%m-%dT%H:%M:%S")
            with db.transaction():
                store.record_interrupt(
                    db, item_id, zone_id, starts_at, to_stored(ws.root, path), actor=actor
                )
                write_interrupt(ws, db, path, block, title, starts_at=starts_at, zone=zone_id)
            result.append(Interrupt(zone_id, minute, path, tuple(r.render_id for r in block)))
    if not result:
        raise InputError(
            "Không cụm loa nào được chọn có ngôn ngữ của bản thu khẩn cấp; kiểm tra --zones "
            "và --languages."
        )
    return result


def add_emergency_now(
    ws: Workspace,
    script_ref: str,
    *,
    now: dt.datetime,
    last_day: dt.date | None,
    zones: tuple[str, ...],
    languages: tuple[str, ...] | None,
    topic: str | None,
    actor: str | None = None,
) -> tuple[AddedItem, list[Interrupt]]:
    """An emergency item valid from this minute, and an interrupt playlist for every zone
    concerned for this very minute (the next slot may be hours away). Refused, like any
    item, for a script without an approved current render. ``actor`` (a login) is recorded
    with each interrupt: who started an emergency is part of its record."""
    minute = now.replace(second=0, microsecond=0)
    added = add_item(
        ws,
        script_ref,
        starts=minute,
        last_day=last_day or minute.date(),
        priority=Priority.EMERGENCY,
        min_plays=0,
        zones=zones,
        languages=languages,
        topic=topic,
    )
    return added, start_emergency_now(ws, added.item_id, added.zones, minute, actor=actor)


def emergency_history(ws: Workspace, limit: int = 20) -> list[store.InterruptEvent]:
    """The emergencies started, newest first (the ``interrupts`` record, with who)."""
    with ws.open_db() as db:
        return store.recent_interrupts(db, limit)


@dataclass(frozen=True)
class EmergencyChoice:
    """A script that may be aired as an emergency now: approved, with current renders."""

    number: int
    name: str  # what commands take (the newest version)
    title: str
    languages: tuple[str, ...]  # in the station's order


@dataclass(frozen=True)
class EmergencyPlan:
    """What an emergency will air where, shown before anyone confirms it."""

    number: int
    slug: str
    title: str
    zones: tuple[tuple[str, str, tuple[str, ...]], ...]  # (zone id, zone name, languages)


def _airable(ws: Workspace, db: Database, script_id: int) -> tuple[str, ...]:
    """The languages of a script that would go on air now (approved, render current), in the
    station's order: the renders ``add_item`` attaches when no language is chosen."""
    from broadcast.review.gate import render_problem

    approved = store.approved_pairs(db)
    renders = store.latest_audio_renders(db, script_id)
    return tuple(
        lang
        for lang in ws.station.languages
        if lang in renders
        and (script_id, lang) in approved
        and render_problem(db, renders[lang].render_id) is None
    )


def emergency_choices(ws: Workspace) -> list[EmergencyChoice]:
    """The scripts an emergency can air now (latest versions, not archived)."""
    from broadcast.store.lifecycle import list_scripts

    with ws.open_db() as db:
        found = []
        for row in list_scripts(db):
            languages = _airable(ws, db, row.id)
            if languages:
                found.append(EmergencyChoice(row.id, row.name, row.title, languages))
    return found


def emergency_preview(ws: Workspace, script_ref: str, zones: tuple[str, ...]) -> EmergencyPlan:
    """What ``add_emergency_now`` would air in each zone, without changing anything: each
    zone plays the script's airable renders in the zone's language order."""
    grid = workspace_grid(ws)
    if not zones:
        raise InputError("Hãy chọn ít nhất một cụm loa để phát khẩn cấp.")
    zone_ids = grid.resolve_zones(zones)
    with ws.open_db() as db:
        script = find_script(db, script_ref)
        languages = _airable(ws, db, script.id)
    if not languages:
        raise InputError(f"Kịch bản '{script.slug}' chưa có bản thu nào đã duyệt để phát khẩn cấp.")
    where = []
    for zone_id in zone_ids:
        zone = grid.zone(zone_id)
        block = tuple(lang for lang in zone.languages if lang in languages)
        if block:
            where.append((zone_id, zone.name, block))
    if not where:
        raise InputError(
            "Không cụm loa nào được chọn có ngôn ngữ của bản thu khẩn cấp; hãy chọn cụm loa khác."
        )
    return EmergencyPlan(script.id, script.slug, script.title, tuple(where))


def interrupt_m3u8(ws: Workspace, block: list[RenderRef], title: str, path: Path) -> str:
    """The M3U8 of an interrupt: its renders, paths relative to the playlist."""
    from broadcast.schedule.m3u8 import PlaylistItem, render_m3u8

    items = [
        PlaylistItem(path=ws.root / r.path, duration_s=r.duration_s, title=title) for r in block
    ]
    return render_m3u8(items, path)


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
    plan = compute_plan(db, grid, first, days)
    store.save_plan(db, plan)
    return plan


def compute_plan(db: Database, grid: Grid, first: dt.date, days: int) -> Plan:
    """The plan of these days from the stored items and approvals, not stored (a restored
    backup is checked by re-planning and comparing with the plan it holds)."""
    from broadcast.review.gate import stale_renders

    last = first + dt.timedelta(days=days - 1)
    items: list[Item] = store.load_items(db, first, last)
    approved = store.approved_pairs(db)
    # A render of an approved language that no longer voices the approved text (edited and
    # re-approved, source sentence changed, made before renders were bound to text) is left
    # out with the gate's sentence naming the command that re-renders it.
    stale = stale_renders(
        db, [r.render_id for i in items for r in i.renders if (i.script_id, r.language) in approved]
    )
    usable = [
        replace(i, renders=tuple(r for r in i.renders if r.render_id not in stale)) for i in items
    ]
    plan = make_plan(grid, usable, approved, first, days)
    for item in items:
        for render in item.renders:
            if render.render_id in stale:
                plan.findings.append(
                    Finding(
                        FindingKind.UNAPPROVED,
                        max(first, item.starts.date()),
                        "",
                        item.id,
                        f"Mục #{item.id} '{item.title}': {stale[render.render_id]}",
                    )
                )
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
        from broadcast.review.gate import stale_renders

        lapsed = store.lapsed_plan_renders(db, start, last)
        lapsed |= set(stale_renders(db, store.on_air_render_ids(db)))
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
                    f"{len(lapsed)} bản thu trong lịch không còn khớp văn bản đã duyệt (bản dịch "
                    "hoặc câu gốc bị sửa) nên bị bỏ khỏi danh sách phát; hãy chạy lại "
                    "'broadcast schedule plan'.",
                )
            )
        return StoredPlan(grid, plan, store.item_catalog(db), store.render_catalog(db))


def export_schedule(
    ws: Workspace, first: dt.date | None, days: int | None, fmt: ExportFormat, out_dir: Path
) -> list[Path]:
    """Export the stored plan and record every file written with the renders it names, so
    a later void rewrites it (inside the workspace) or lists it as withdrawn (outside)."""
    from broadcast.schedule.exports import export_plan
    from broadcast.schedule.onair import record_written

    stored = read_plan(ws, first, days)
    # The live playlists are read in place; any other folder is carried away whole.
    live = out_dir.resolve() == (ws.out_dir / "playlists").resolve()
    written = export_plan(stored, ws.station, ws.root, fmt, out_dir, bundle_media=not live)
    render_ids = [
        e.render_id for s in stored.plan.slots for e in s.entries if e.render_id is not None
    ]
    with ws.open_db() as db:
        record_written(
            ws,
            db,
            written,
            render_ids,
            fmt=fmt.value,
            origin="plan",
            first_day=stored.plan.first_day.isoformat(),
            last_day=stored.plan.last_day.isoformat(),
            out_dir=out_dir,
        )
    return written


__all__ = ["Finding", "add_item", "export_schedule", "plan_days", "read_plan", "workspace_grid"]
