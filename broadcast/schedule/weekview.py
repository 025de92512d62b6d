"""The week and the day of a stored plan as the *Lịch phát* page draws them.

A pure function from the stored plan to plain values: per zone, per grid slot, per day, the
slot's fill (planned seconds against its length, so dead air and overrun are visible), its
items with title, language and priority class, relay slots marked; where "now" falls; the
planner's findings of those days, each with the zone and day it is about (the page links
there). The page only lays these values out, so the same numbers could feed a print view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from broadcast.schedule.campaign import StoredPlan
from broadcast.schedule.grid import WEEKDAY_NAMES
from broadcast.schedule.model import EntryKind, Finding, FindingKind, PlannedSlot, Priority


@dataclass(frozen=True)
class CellItem:
    item_id: int
    title: str
    language: str
    priority: Priority
    seconds: float


@dataclass(frozen=True)
class Cell:
    """One slot on one day in one zone (``planned`` False: the slot is not planned yet)."""

    day: dt.date
    planned: bool
    relay_url: str | None = None
    seconds: int = 0
    used_s: float = 0.0
    items: tuple[CellItem, ...] = ()
    overbooked: bool = False  # the planner left something out of this zone that day

    @property
    def fill_percent(self) -> int:
        """Planned time as a share of the slot's length, capped at 100 for the bar."""
        if not self.seconds:
            return 0
        return min(100, round(100 * self.used_s / self.seconds))

    @property
    def overrun_s(self) -> float:
        return max(0.0, self.used_s - self.seconds) if not self.relay_url else 0.0

    @property
    def dead_air_s(self) -> float:
        return max(0.0, self.seconds - self.used_s) if self.planned and not self.relay_url else 0.0


@dataclass(frozen=True)
class Row:
    slot_id: str
    start: dt.time
    end: dt.time
    relay: bool
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class ZoneWeek:
    zone_id: str
    name: str
    languages: tuple[str, ...]
    rows: tuple[Row, ...]
    now_after_row: int | None  # index of the last row starting before now (now's line)


@dataclass(frozen=True)
class Day:
    day: dt.date
    name: str
    today: bool


@dataclass
class WeekView:
    first: dt.date
    days: tuple[Day, ...]
    zones: list[ZoneWeek] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    now: dt.datetime | None = None  # when it falls in the days shown


def _overbooked(slot: PlannedSlot, findings: list[Finding]) -> bool:
    """Whether one of the zone's overbooked findings that day is about this very slot: the
    planner names it as "'<slot>' <dd/mm/yyyy HH:MM>" (a finding carries no slot field)."""
    mark = f"'{slot.grid_slot}' {slot.starts_at:%d/%m/%Y %H:%M}"
    return any(mark in f.message for f in findings)


def _cell(sp: StoredPlan, day: dt.date, slot: PlannedSlot | None, crowded: list[Finding]) -> Cell:
    if slot is None:
        return Cell(day, planned=False)
    items = []
    for entry in slot.entries:
        if entry.kind is not EntryKind.ITEM:
            continue
        info = sp.items.get(entry.item_id or -1)
        items.append(
            CellItem(
                item_id=entry.item_id or 0,
                title=info.title if info else f"Mục #{entry.item_id}",
                language=entry.language or "",
                priority=info.priority if info else Priority.NORMAL,
                seconds=entry.duration_s,
            )
        )
    return Cell(
        day,
        planned=True,
        relay_url=slot.relay_url,
        seconds=slot.seconds,
        used_s=0.0 if slot.relay_url else slot.used_s,
        items=tuple(items),
        overbooked=bool(crowded) and _overbooked(slot, crowded),
    )


def week_view(
    sp: StoredPlan,
    first: dt.date,
    days: int,
    *,
    zone_id: str | None = None,
    now: dt.datetime | None = None,
) -> WeekView:
    """``days`` days from ``first`` (7 for the week, 1 for the day), one zone or all."""
    shown = tuple(first + dt.timedelta(days=i) for i in range(days))
    today = now.date() if now else None
    view = WeekView(
        first,
        tuple(Day(d, WEEKDAY_NAMES[d.weekday()], d == today) for d in shown),
        now=now if now and now.date() in shown else None,
    )
    cells = {(s.zone, s.grid_slot, s.starts_at.date()): s for s in sp.plan.slots}
    view.findings = [
        f
        for f in sp.plan.findings
        if first <= f.day <= shown[-1] and (zone_id is None or f.zone in ("", zone_id))
    ]
    crowded: dict[tuple[str, dt.date], list[Finding]] = {}
    for finding in view.findings:
        if finding.kind is FindingKind.OVERBOOKED:
            crowded.setdefault((finding.zone, finding.day), []).append(finding)
    for zone in sp.grid.zones:
        if zone_id is not None and zone.id != zone_id:
            continue
        rows: list[Row] = []
        now_after: int | None = None
        for grid_slot in sorted(sp.grid.slots_for(zone.id), key=lambda s: (s.start, s.id)):
            if not any(d.weekday() in grid_slot.weekday_numbers for d in shown):
                continue
            end = (
                dt.datetime.combine(first, grid_slot.start)
                + dt.timedelta(minutes=grid_slot.minutes)
            ).time()
            row_cells = tuple(
                _cell(
                    sp,
                    d,
                    cells.get((zone.id, grid_slot.id, d)),
                    crowded.get((zone.id, d), []),
                )
                for d in shown
            )
            if view.now is not None and grid_slot.start <= view.now.time():
                now_after = len(rows)
            rows.append(
                Row(grid_slot.id, grid_slot.start, end, grid_slot.url is not None, row_cells)
            )
        view.zones.append(ZoneWeek(zone.id, zone.name, zone.languages, tuple(rows), now_after))
    return view


__all__ = ["Cell", "CellItem", "WeekView", "week_view"]
