"""The pure planner on hand-made grids, and its invariants under hypothesis."""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from schedule_fixtures import GRID

from broadcast.schedule.grid import Grid, parse_grid
from broadcast.schedule.model import (
    EntryKind,
    FindingKind,
    Item,
    Plan,
    PlannedSlot,
    Priority,
    RenderRef,
)
from broadcast.schedule.planner import make_plan

LANGS = ("vi", "blt", "hmn")
MONDAY = dt.date(2026, 3, 2)


def grid(**changes: Any) -> Grid:
    data = copy.deepcopy(GRID)
    data.update(changes)
    return parse_grid(data, LANGS)


def item(
    number: int,
    *,
    priority: str = "normal",
    min_plays: int = 0,
    seconds: float = 60.0,
    languages: tuple[str, ...] = ("vi", "blt", "hmn"),
    zones: tuple[str, ...] = ("all",),
    topic: str | None = None,
    starts: dt.datetime = dt.datetime(2026, 3, 2),
    last_day: dt.date = dt.date(2026, 3, 31),
) -> Item:
    renders = tuple(RenderRef(number * 10 + i, lang, seconds) for i, lang in enumerate(languages))
    return Item(
        number,
        100 + number,
        f"Bài {number}",
        Priority(priority),
        starts,
        last_day,
        min_plays,
        zones,
        topic,
        renders,
    )


def approve_all(items: list[Item]) -> set[tuple[int, str]]:
    return {(i.script_id, r.language) for i in items for r in i.renders}


def slots_of(plan: Plan, zone: str, slot_id: str | None = None) -> list[PlannedSlot]:
    return [s for s in plan.slots if s.zone == zone and (slot_id is None or s.grid_slot == slot_id)]


def item_order(slot: PlannedSlot) -> list[int]:
    return list(dict.fromkeys(e.item_id for e in slot.entries if e.item_id is not None))


def test_slots_are_filled_without_overrun_idents_included() -> None:
    items = [item(n, seconds=50.0) for n in range(1, 15)]
    plan = make_plan(grid(), items, approve_all(items), MONDAY, 7)
    local = [s for s in plan.slots if not s.relay_url]
    assert len(local) == 7 * 3 + 3 * 2  # sang in 3 zones daily, chieu in 2 zones 3 days
    for slot in local:
        assert slot.entries[0].kind is EntryKind.IDENT and slot.entries[-1].kind is EntryKind.IDENT
        assert slot.used_s <= slot.seconds
        # Back to back, starting at 0.
        offset = 0.0
        for entry in slot.entries:
            assert entry.offset_s == offset
            offset += entry.duration_s
        # Full: no item left out would still fit (14 items are more than a slot holds).
        room = slot.seconds - slot.used_s
        played = set(item_order(slot))
        zone_langs = {"ban-muong": 2, "trung-tam": 1, "ban-mong": 2}[slot.zone]
        assert len(played) == len(items) or room < 50.0 * zone_langs


def test_language_order_follows_the_zone() -> None:
    items = [item(1), item(2, languages=("hmn", "vi"))]
    plan = make_plan(grid(), items, approve_all(items), MONDAY, 1)
    muong = slots_of(plan, "ban-muong", "sang")[0]
    assert [(e.item_id, e.language) for e in muong.entries if e.item_id] == [
        (1, "blt"),
        (1, "vi"),
        (2, "vi"),
    ]
    mong = slots_of(plan, "ban-mong", "sang")[0]
    assert [(e.item_id, e.language) for e in mong.entries if e.item_id] == [
        (1, "hmn"),
        (1, "vi"),
        (2, "hmn"),
        (2, "vi"),
    ]
    centre = slots_of(plan, "trung-tam", "sang")[0]
    assert {e.language for e in centre.entries if e.item_id} == {"vi"}
    missing = [f for f in plan.findings if f.kind is FindingKind.MISSING_LANGUAGE]
    assert [(f.item_id, f.zone) for f in missing] == [(2, "ban-muong")]


def test_priority_items_play_first_and_emergency_before_them() -> None:
    items = [
        item(1),
        item(2, priority="priority"),
        item(3, priority="emergency", starts=dt.datetime(2026, 3, 3, 14, 5)),
    ]
    plan = make_plan(grid(), items, approve_all(items), MONDAY, 3)
    centre = slots_of(plan, "trung-tam")
    assert item_order(centre[0])[0] == 2  # Monday 06:00: priority before normal
    # The emergency starts Tuesday 14:05: not in Tuesday morning, first in the next slot of
    # each zone (Wednesday 06:00 for every zone: chieu is Mon/Wed/Fri only).
    tuesday = [s for s in plan.slots if s.starts_at == dt.datetime(2026, 3, 3, 6, 0)]
    assert all(3 not in item_order(s) for s in tuesday)
    wednesday = [s for s in plan.slots if s.starts_at == dt.datetime(2026, 3, 4, 6, 0)]
    assert len(wednesday) == 3
    assert all(item_order(s)[:2] == [3, 2] for s in wednesday)


def test_emergency_goes_into_a_full_slot_and_the_bumped_item_is_reported() -> None:
    long = [
        item(n, seconds=200.0, languages=("vi",), zones=("trung-tam",), min_plays=7)
        for n in (1, 2, 3, 4)
    ]
    alarm = item(
        9,
        priority="emergency",
        seconds=300.0,
        languages=("vi",),
        starts=dt.datetime(2026, 3, 2, 6, 0),
    )
    items = [*long, alarm]
    plan = make_plan(grid(), items, approve_all(items), MONDAY, 1)
    morning = slots_of(plan, "trung-tam", "sang")[0]
    assert item_order(morning)[0] == 9
    assert morning.used_s <= morning.seconds
    kinds = {f.kind for f in plan.findings}
    assert FindingKind.OVERBOOKED in kinds


def test_rotation_reaches_every_minimum() -> None:
    # 15-minute morning slot in a vi-only zone: 880 s for items of 100 s, 8 per slot.
    items = [
        item(n, seconds=100.0, languages=("vi",), zones=("trung-tam",), min_plays=3)
        for n in range(1, 21)
    ]
    plan = make_plan(grid(), items, approve_all(items), MONDAY, 7)
    plays = Counter(
        e.item_id for s in slots_of(plan, "trung-tam") for e in s.entries if e.item_id is not None
    )
    assert len(plays) == 20 and min(plays.values()) >= 3
    assert max(plays.values()) - min(plays.values()) <= 1  # fair
    assert not [f for f in plan.findings if f.kind is FindingKind.MIN_NOT_REACHED]


def test_minimums_that_cannot_be_met_are_reported() -> None:
    items = [
        item(1, languages=("vi",), zones=("ban-mong",), min_plays=9),  # 7 slots a week
        item(2, languages=("vi",), seconds=2000.0),  # longer than any slot
    ]
    plan = make_plan(grid(), items, approve_all(items), MONDAY, 7)
    kinds = {(f.kind, f.item_id) for f in plan.findings}
    assert (FindingKind.MIN_IMPOSSIBLE, 1) in kinds
    assert (FindingKind.TOO_LONG, 2) in kinds
    overbooked = [
        item(n, seconds=400.0, languages=("vi",), zones=("trung-tam",), min_plays=7)
        for n in (3, 4, 5)
    ]
    plan = make_plan(grid(), overbooked, approve_all(overbooked), MONDAY, 7)
    assert any(f.kind is FindingKind.MIN_NOT_REACHED for f in plan.findings)
    assert any(f.kind is FindingKind.OVERBOOKED for f in plan.findings)


def test_items_start_and_expire_on_their_dates() -> None:
    items = [
        item(1, starts=dt.datetime(2026, 3, 4), last_day=dt.date(2026, 3, 5), languages=("vi",)),
    ]
    plan = make_plan(grid(), items, approve_all(items), MONDAY, 7)
    days = {s.starts_at.date() for s in plan.slots if 1 in item_order(s)}
    assert days == {dt.date(2026, 3, 4), dt.date(2026, 3, 5)}


def test_relay_slots_are_not_filled() -> None:
    items = [item(1)]
    plan = make_plan(grid(), items, approve_all(items), MONDAY, 7)
    relays = [s for s in plan.slots if s.relay_url]
    assert len(relays) == 1 and relays[0].entries == ()
    assert relays[0].starts_at == dt.datetime(2026, 3, 8, 19, 0)


def test_programme_rule_puts_the_cchc_column_on_tuesday_morning() -> None:
    items = [item(n, seconds=150.0, languages=("vi",), zones=("trung-tam",)) for n in range(1, 9)]
    items.append(item(20, seconds=150.0, languages=("vi",), zones=("trung-tam",), topic="thu-tuc"))
    plan = make_plan(grid(), items, approve_all(items), MONDAY, 7)
    for slot in slots_of(plan, "trung-tam", "sang"):
        if slot.starts_at.weekday() in (1, 4):
            assert 20 in item_order(slot)
    unmet = make_plan(grid(), items[:3], approve_all(items[:3]), MONDAY, 7)
    assert (
        sum(f.kind is FindingKind.RULE_UNMET for f in unmet.findings) == 2 * 3
    )  # 2 days x 3 zones


def test_unapproved_renders_never_enter_and_are_reported() -> None:
    items = [item(1), item(2, languages=("blt",))]
    approved = {(101, "vi"), (101, "hmn")}  # item 1's blt and all of item 2 unapproved
    plan = make_plan(grid(), items, approved, MONDAY, 2)
    played = {(e.item_id, e.language) for s in plan.slots for e in s.entries if e.item_id}
    assert (1, "blt") not in played and all(i != 2 for i, _ in played)
    assert (1, "vi") in played
    kinds = Counter(f.kind for f in plan.findings)
    assert kinds[FindingKind.UNAPPROVED] == 2
    assert kinds[FindingKind.NO_RENDER] == 3  # item 2 has nothing to play in any zone


def test_plan_is_deterministic() -> None:
    items = [
        item(n, seconds=40.0 + n, min_plays=n % 3, priority=("normal", "priority")[n % 2])
        for n in range(1, 25)
    ]
    first = make_plan(grid(), items, approve_all(items), MONDAY, 14)
    second = make_plan(grid(), list(reversed(items)), approve_all(items), MONDAY, 14)
    assert first.slots == second.slots and first.findings == second.findings


# --- property-based ---------------------------------------------------------------------

item_strategy = st.builds(
    lambda n, pr, mp, secs, langs, zones, start, length: item(
        n,
        priority=pr,
        min_plays=mp,
        seconds=secs,
        languages=tuple(sorted(langs)),
        zones=tuple(sorted(zones)),
        starts=dt.datetime.combine(MONDAY, dt.time()) + dt.timedelta(hours=start),
        last_day=MONDAY + dt.timedelta(days=start // 24 + length),
    ),
    st.integers(1, 10_000),
    st.sampled_from(["normal", "priority", "emergency"]),
    st.integers(0, 9),
    st.floats(5.0, 1200.0, allow_nan=False),
    st.sets(st.sampled_from(LANGS), min_size=1),
    st.sets(st.sampled_from(["all", "ban-muong", "trung-tam", "ban-mong", "ban-xa"]), min_size=1),
    st.integers(0, 24 * 10),
    st.integers(0, 10),
)


@settings(max_examples=60, deadline=None)
@given(
    items=st.lists(item_strategy, max_size=25, unique_by=lambda i: i.id),
    approved_mask=st.lists(st.booleans(), min_size=75, max_size=75),
    ident=st.sampled_from([0, 5, 30]),
    days=st.integers(1, 16),
)
def test_no_unapproved_render_and_no_overrun_ever(
    items: list[Item], approved_mask: list[bool], ident: int, days: int
) -> None:
    pairs = sorted({(i.script_id, r.language) for i in items for r in i.renders})
    approved = {p for p, ok in zip(pairs, approved_mask, strict=False) if ok}
    g = grid(schedule={"ident_seconds": ident, "slot_end": "cut"})
    plan = make_plan(g, items, approved, MONDAY, days)
    by_id = {i.id: i for i in items}
    for slot in plan.slots:
        assert slot.used_s <= slot.seconds + 1e-6
        assert slot.starts_at.date() <= MONDAY + dt.timedelta(days=days - 1)
        if slot.relay_url:
            assert slot.entries == ()
        zone = g.zone(slot.zone)
        seen: list[int] = []
        for entry in slot.entries:
            assert entry.offset_s >= 0
            if entry.kind is EntryKind.ITEM:
                it = by_id[entry.item_id or -1]
                assert (it.script_id, entry.language) in approved
                assert it.valid_at(slot.starts_at)
                assert slot.zone in it.zones or "all" in it.zones
                assert entry.language in zone.languages
                if not seen or seen[-1] != it.id:
                    assert it.id not in seen  # one block per item per slot
                    seen.append(it.id)
        # Each block in the zone's language order.
        for item_id in seen:
            langs = [e.language for e in slot.entries if e.item_id == item_id]
            assert langs == [lang for lang in zone.languages if lang in langs]
        # Emergency items before the others.
        ranks = [by_id[i].priority.rank for i in seen]
        assert ranks == sorted(ranks)
