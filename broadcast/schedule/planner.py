"""The planner: fill every zone's slots with approved renders, deterministically.

A pure function of the grid, the campaign items, the set of approved (script, language)
pairs and a date range: no database, no clock, no randomness, so the same inputs always give
the same plan and hypothesis can check its invariants directly.

Zones are planned independently (each has its own languages and audience) and week by week
(ISO weeks, Monday to Sunday, because minimum plays are weekly). For each slot occurrence
the order of choice is:

1. emergency items valid at the slot's start, every slot until they expire: an emergency
   added at 14:05 is in the very next slot of its zones;
2. items that must play now to reach their weekly minimum (fewer eligible slots left this
   week than plays still owed), priority before normal;
3. items of a programme rule's topic (e.g. the CCHC column on Tuesday and Friday mornings);
4. the rest in fair rotation: priority before normal, then fewest plays this week, then the
   longest unheard, then the item number.

An item plays at most once per slot, as one block: its renders in the zone's language
order; and a segment (render) plays at most once per slot even when two items carry it.
Nothing is planned past the slot's end (the opening and closing idents count).
What cannot be satisfied becomes a ``Finding``; nothing is silently dropped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

from broadcast.schedule.grid import ALL_ZONES, Grid, GridSlot, SlotKind, Zone
from broadcast.schedule.model import (
    EntryKind,
    Finding,
    FindingKind,
    Item,
    Plan,
    PlannedEntry,
    PlannedSlot,
    Priority,
    RenderRef,
)

Approved = Collection[tuple[int, str]]


def make_plan(
    grid: Grid, items: Iterable[Item], approved: Approved, first_day: dt.date, days: int
) -> Plan:
    """The whole plan in memory (a workspace: a few zones, weeks to months)."""
    plan = Plan(first_day=first_day, days=days)
    plan.slots.extend(iter_plan(grid, items, approved, first_day, days, plan.findings))
    return plan


def iter_plan(
    grid: Grid,
    items: Iterable[Item],
    approved: Approved,
    first_day: dt.date,
    days: int,
    findings: list[Finding],
) -> Iterator[PlannedSlot]:
    """Planned slots zone by zone, week by week; findings are appended as they arise.

    A generator so a province-wide plan (hundreds of thousands of slots) can be written or
    checked as it is made without holding it all in memory.
    """
    if days < 1:
        return
    last_day = first_day + dt.timedelta(days=days - 1)
    known = set(grid.zone_ids)
    usable: list[tuple[Item, dict[str, RenderRef]]] = []
    for item in sorted(items, key=lambda i: i.id):
        if item.starts.date() > last_day or item.last_day < first_day:
            continue
        day = max(first_day, item.starts.date())
        renders: dict[str, RenderRef] = {}
        for render in item.renders:
            if (item.script_id, render.language) in approved:
                renders.setdefault(render.language, render)
            else:
                findings.append(
                    Finding(
                        FindingKind.UNAPPROVED,
                        day,
                        "",
                        item.id,
                        f"Mục #{item.id} '{item.title}': bản {render.language} chưa được duyệt "
                        "nên không được xếp lịch.",
                    )
                )
        unknown = [z for z in item.zones if z != ALL_ZONES and z not in known]
        if unknown:
            findings.append(
                Finding(
                    FindingKind.UNKNOWN_ZONE,
                    day,
                    ",".join(unknown),
                    item.id,
                    f"Mục #{item.id} '{item.title}' nhắm tới cụm loa {', '.join(unknown)} "
                    "không có trong station.toml.",
                )
            )
        usable.append((item, renders))
    for zone in grid.zones:
        mine = [(i, r) for i, r in usable if zone.id in i.zones or ALL_ZONES in i.zones]
        yield from _ZonePlanner(grid, zone, mine, first_day, last_day, findings).run()


@dataclass(eq=False)
class _Candidate:
    """An item as one zone hears it, with its rotation counters."""

    item: Item
    block: tuple[RenderRef, ...]
    block_s: float
    rank: int
    last_played: int = -1
    plays: int = 0  # this week
    required: int = 0  # this week
    remaining: int = 0  # eligible occurrences left this week, the current one included
    eligible: int = 0  # eligible occurrences this week
    topic: str | None = field(default=None)


def _pace(cand: _Candidate) -> int:
    """Plays an item owes by now to reach its weekly minimum evenly, not all on Sunday."""
    if cand.required <= 0 or cand.eligible <= 0:
        return 0
    seen = cand.eligible - cand.remaining + 1  # eligible occurrences so far, this one included
    return math.ceil(cand.required * seen / cand.eligible)


class _ZonePlanner:
    def __init__(
        self,
        grid: Grid,
        zone: Zone,
        items: list[tuple[Item, dict[str, RenderRef]]],
        first_day: dt.date,
        last_day: dt.date,
        findings: list[Finding],
    ) -> None:
        self.grid = grid
        self.zone = zone
        self.first_day = first_day
        self.last_day = last_day
        self.findings = findings
        self.slots = sorted(grid.slots_for(zone.id), key=lambda s: (s.start, s.id))
        self.ident_s = grid.ident_seconds
        self.week_slots = sum(len(s.weekdays) for s in self.slots if s.kind is SlotKind.LOCAL)
        capacities = [self._capacity(s) for s in self.slots if s.kind is SlotKind.LOCAL]
        self.max_capacity = max(capacities, default=0.0)
        self.candidates = [c for c in (self._candidate(i, r) for i, r in items) if c]
        self.counter = 0

    def _capacity(self, slot: GridSlot) -> float:
        return slot.seconds - 2 * self.ident_s

    def _finding(self, kind: FindingKind, day: dt.date, item: Item | None, message: str) -> None:
        self.findings.append(Finding(kind, day, self.zone.id, item.id if item else None, message))

    def _candidate(self, item: Item, renders: dict[str, RenderRef]) -> _Candidate | None:
        day = max(self.first_day, item.starts.date())
        block = tuple(renders[lang] for lang in self.zone.languages if lang in renders)
        missing = [lang for lang in self.zone.languages if lang not in renders]
        if not block:
            self._finding(
                FindingKind.NO_RENDER,
                day,
                item,
                f"Mục #{item.id} '{item.title}' không có bản thu đã duyệt nào bằng ngôn ngữ "
                f"của cụm loa '{self.zone.id}' ({', '.join(self.zone.languages)}).",
            )
            return None
        if missing:
            self._finding(
                FindingKind.MISSING_LANGUAGE,
                day,
                item,
                f"Mục #{item.id} '{item.title}' chưa có bản thu đã duyệt bằng "
                f"{', '.join(missing)} cho cụm loa '{self.zone.id}'; chỉ phát "
                f"{', '.join(r.language for r in block)}.",
            )
        block_s = sum(r.duration_s for r in block)
        if block_s > self.max_capacity:
            self._finding(
                FindingKind.TOO_LONG,
                day,
                item,
                f"Mục #{item.id} '{item.title}' dài {block_s:.0f} giây, không vừa khung giờ "
                f"nào của cụm loa '{self.zone.id}' (tối đa {self.max_capacity:.0f} giây).",
            )
            return None
        if item.min_plays_per_week > self.week_slots:
            self._finding(
                FindingKind.MIN_IMPOSSIBLE,
                day,
                item,
                f"Mục #{item.id} '{item.title}' cần {item.min_plays_per_week} lần/tuần nhưng "
                f"cụm loa '{self.zone.id}' chỉ có {self.week_slots} khung giờ mỗi tuần.",
            )
        return _Candidate(item, block, block_s, item.priority.rank, topic=item.topic)

    def run(self) -> Iterator[PlannedSlot]:
        monday = self.first_day - dt.timedelta(days=self.first_day.weekday())
        while monday <= self.last_day:
            yield from self._week(monday)
            monday += dt.timedelta(days=7)

    def _occurrences(self, monday: dt.date) -> list[tuple[dt.datetime, GridSlot]]:
        found = []
        for offset in range(7):
            day = monday + dt.timedelta(days=offset)
            if day < self.first_day or day > self.last_day:
                continue
            for slot in self.slots:
                if day.weekday() in slot.weekday_numbers:
                    found.append((dt.datetime.combine(day, slot.start), slot))
        found.sort(key=lambda o: (o[0], o[1].id))
        return found

    def _week(self, monday: dt.date) -> Iterator[PlannedSlot]:
        occurrences = self._occurrences(monday)
        week_start = dt.datetime.combine(monday, dt.time())
        week_end = week_start + dt.timedelta(days=7)
        active = [
            c for c in self.candidates if c.item.starts < week_end and c.item.last_day >= monday
        ]
        local = [(t, s) for t, s in occurrences if s.kind is SlotKind.LOCAL]
        capacity = {s.id: self._capacity(s) for s in self.slots}
        for cand in active:
            valid = [(t, s) for t, s in local if cand.item.valid_at(t)]
            fitting = sum(1 for _, s in valid if cand.block_s <= capacity[s.id])
            cand.plays = 0
            cand.remaining = fitting
            cand.eligible = fitting
            wanted = cand.item.min_plays_per_week
            if wanted and cand.rank > 0 and self.week_slots:
                cand.required = min(math.ceil(wanted * len(valid) / self.week_slots), fitting)
            else:
                cand.required = 0
        for start, slot in occurrences:
            if slot.kind is SlotKind.RELAY:
                yield PlannedSlot(self.zone.id, slot.id, start, slot.seconds, slot.url, ())
                continue
            yield self._fill(start, slot, active)
        if not local:
            return
        for cand in active:
            if cand.plays < cand.required:
                self._finding(
                    FindingKind.MIN_NOT_REACHED,
                    max(monday, self.first_day),
                    cand.item,
                    f"Mục #{cand.item.id} '{cand.item.title}' chỉ phát {cand.plays}/"
                    f"{cand.required} lần trong tuần từ {monday:%d/%m/%Y} ở cụm loa "
                    f"'{self.zone.id}' (khung giờ đã kín).",
                )

    def _fill(self, start: dt.datetime, slot: GridSlot, active: list[_Candidate]) -> PlannedSlot:
        capacity = self._capacity(slot)
        eligible = [c for c in active if c.item.valid_at(start) and c.block_s <= capacity]
        chosen: list[_Candidate] = []
        left_out: list[_Candidate] = []
        used = 0.0
        playing: set[int] = set()  # render ids already in this slot

        def repeated(cand: _Candidate) -> bool:
            """Another item (e.g. added twice) already plays this segment here: once is
            enough in one slot."""
            return any(r.render_id in playing for r in cand.block)

        def take(cand: _Candidate) -> bool:
            nonlocal used
            if repeated(cand):
                return True  # handled: the segment is already in the slot
            if used + cand.block_s > capacity + 1e-9:
                return False
            chosen.append(cand)
            playing.update(r.render_id for r in cand.block)
            used += cand.block_s
            return True

        emergencies = sorted(
            (c for c in eligible if c.rank == 0), key=lambda c: (c.item.starts, c.item.id)
        )
        for cand in emergencies:
            if not take(cand):
                left_out.append(cand)
        urgent = sorted(
            (c for c in eligible if c.rank > 0 and c.plays < _pace(c)),
            key=lambda c: (c.rank, c.remaining - (c.required - c.plays), c.item.id),
        )
        for cand in urgent:
            if not take(cand):
                left_out.append(cand)
        rest = sorted(
            (c for c in eligible if c not in chosen and c.rank > 0),
            key=lambda c: (
                c.rank,
                0 if c.plays < c.required else 1,
                c.plays,
                c.last_played,
                c.item.id,
            ),
        )
        for rule in self.grid.rules:
            if not rule.applies(start):
                continue
            have = sum(1 for c in chosen if c.topic == rule.topic.value)
            for cand in rest:
                if have >= rule.min_items:
                    break
                if (
                    cand.topic == rule.topic.value
                    and cand not in chosen
                    and not repeated(cand)
                    and take(cand)
                ):
                    have += 1
            if have < rule.min_items:
                self._finding(
                    FindingKind.RULE_UNMET,
                    start.date(),
                    None,
                    f"Khung giờ '{slot.id}' {start:%d/%m/%Y %H:%M} ở cụm loa '{self.zone.id}' "
                    f"cần {rule.min_items} mục chủ đề '{rule.topic.value}' nhưng chỉ có {have}.",
                )
        for cand in rest:
            if cand not in chosen:
                take(cand)
        if left_out:
            names = ", ".join(f"#{c.item.id}" for c in left_out)
            self._finding(
                FindingKind.OVERBOOKED,
                start.date(),
                left_out[0].item,
                f"Khung giờ '{slot.id}' {start:%d/%m/%Y %H:%M} ở cụm loa '{self.zone.id}' "
                f"quá tải: không còn chỗ cho mục {names} ({capacity:.0f} giây đã kín).",
            )
        for cand in eligible:
            cand.remaining -= 1
        self.counter += 1
        for cand in chosen:
            cand.plays += 1
            cand.last_played = self.counter
        chosen.sort(key=lambda c: c.rank)  # stable: emergency, priority, normal
        return PlannedSlot(self.zone.id, slot.id, start, slot.seconds, None, self._entries(chosen))

    def _entries(self, chosen: list[_Candidate]) -> tuple[PlannedEntry, ...]:
        entries: list[PlannedEntry] = []
        offset = 0.0
        if self.ident_s > 0:
            entries.append(PlannedEntry(EntryKind.IDENT, 0.0, self.ident_s))
            offset = self.ident_s
        for cand in chosen:
            for render in cand.block:
                entries.append(
                    PlannedEntry(
                        EntryKind.ITEM,
                        offset,
                        render.duration_s,
                        cand.item.id,
                        render.render_id,
                        render.language,
                    )
                )
                offset += render.duration_s
        if self.ident_s > 0:
            entries.append(PlannedEntry(EntryKind.IDENT, offset, self.ident_s))
        return tuple(entries)


__all__ = ["Priority", "make_plan", "iter_plan"]
