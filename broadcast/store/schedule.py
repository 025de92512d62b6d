"""Campaign items and stored plans (migration 5): the SQL of the schedule stage.

The planner works on dataclasses; this module maps them to rows and back. The approval gate
is enforced twice: here (only approved renders are offered) and by the triggers of
migration 5, so even a direct INSERT cannot put an unapproved render on air.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from broadcast.errors import InputError
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
from broadcast.store.db import Database

ISO = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class ItemInfo:
    """What exports print about an item."""

    id: int
    title: str
    slug: str
    priority: Priority
    topic: str | None


def approved_pairs(db: Database) -> frozenset[tuple[int, str]]:
    """Every (script_id, language) that may go on air, from the view of migration 4."""
    rows = db.conn.execute("SELECT script_id, language FROM approved_languages").fetchall()
    return frozenset((int(r[0]), str(r[1])) for r in rows)


def latest_audio_renders(db: Database, script_id: int) -> dict[str, RenderRef]:
    """The newest audio render of a script per language."""
    rows = db.conn.execute(
        "SELECT id, language, duration_s, path FROM renders"
        " WHERE script_id = ? AND kind = 'audio' AND duration_s > 0 ORDER BY id",
        (script_id,),
    ).fetchall()
    return {r[1]: RenderRef(int(r[0]), str(r[1]), float(r[2]), str(r[3])) for r in rows}


def add_item(
    db: Database,
    *,
    script_id: int,
    priority: Priority,
    starts: dt.datetime,
    last_day: dt.date,
    min_plays_per_week: int,
    zones: Sequence[str],
    topic: str | None,
    renders: Sequence[RenderRef],
) -> int:
    """Store a campaign item with its zones and renders in one transaction."""
    valid_from = (
        starts.strftime("%Y-%m-%dT%H:%M")
        if starts.time() != dt.time()
        else (starts.date().isoformat())
    )
    try:
        with db.transaction() as conn:
            item_id = int(
                conn.execute(
                    "INSERT INTO schedule_items (script_id, priority, valid_from, valid_to,"
                    " min_plays_per_week, topic) VALUES (?,?,?,?,?,?)",
                    (
                        script_id,
                        priority.value,
                        valid_from,
                        last_day.isoformat(),
                        min_plays_per_week,
                        topic,
                    ),
                ).lastrowid
                or 0
            )
            conn.executemany(
                "INSERT INTO schedule_item_zones (item_id, zone) VALUES (?, ?)",
                [(item_id, z) for z in zones],
            )
            conn.executemany(
                "INSERT INTO schedule_item_renders (item_id, language, render_id) VALUES (?,?,?)",
                [(item_id, r.language, r.render_id) for r in renders],
            )
    except sqlite3.IntegrityError as exc:
        raise InputError(f"Không thêm được mục vào lịch phát: {exc}.") from None
    return item_id


def _parse_moment(text: str) -> dt.datetime:
    """'2026-03-02' (midnight) or '2026-03-02T14:05'."""
    return dt.datetime.fromisoformat(text)


# Items whose validity window meets [first_day, last_day]; parameters (last_day, first_day).
_IN_WINDOW = " WHERE substr(i.valid_from, 1, 10) <= ? AND i.valid_to >= ?"


def load_items(db: Database, first_day: dt.date, last_day: dt.date) -> list[Item]:
    """Items whose validity window meets [first_day, last_day], with zones and renders."""
    window = (last_day.isoformat(), first_day.isoformat())
    rows = db.conn.execute(
        "SELECT i.id, i.script_id, s.title, i.priority, i.valid_from, i.valid_to,"
        " i.min_plays_per_week, i.topic FROM schedule_items i JOIN scripts s ON s.id = i.script_id"
        + _IN_WINDOW
        + " ORDER BY i.id",
        window,
    ).fetchall()
    zones: dict[int, list[str]] = {}
    for item_id, zone in db.conn.execute(
        "SELECT z.item_id, z.zone FROM schedule_item_zones z"
        " JOIN schedule_items i ON i.id = z.item_id" + _IN_WINDOW + " ORDER BY z.item_id, z.rowid",
        window,
    ):
        zones.setdefault(int(item_id), []).append(str(zone))
    renders: dict[int, list[RenderRef]] = {}
    for item_id, render_id, language, duration, path in db.conn.execute(
        "SELECT x.item_id, r.id, x.language, r.duration_s, r.path FROM schedule_item_renders x"
        " JOIN renders r ON r.id = x.render_id JOIN schedule_items i ON i.id = x.item_id"
        + _IN_WINDOW
        + " ORDER BY x.item_id, x.language",
        window,
    ):
        renders.setdefault(int(item_id), []).append(
            RenderRef(int(render_id), str(language), float(duration or 0), str(path))
        )
    return [
        Item(
            id=int(r[0]),
            script_id=int(r[1]),
            title=str(r[2]),
            priority=Priority(r[3]),
            starts=_parse_moment(str(r[4])),
            last_day=dt.date.fromisoformat(str(r[5])),
            min_plays_per_week=int(r[6]),
            zones=tuple(zones.get(int(r[0]), ())),
            topic=r[7],
            renders=tuple(renders.get(int(r[0]), ())),
        )
        for r in rows
    ]


def save_plan(db: Database, plan: Plan) -> None:
    """Replace the stored plan of the plan's days, and their findings, in one transaction."""
    first, last = plan.first_day.isoformat(), plan.last_day.isoformat()
    try:
        with db.transaction() as conn:
            conn.execute(
                "DELETE FROM plan_entries WHERE plan_slot_id IN"
                " (SELECT id FROM plan_slots WHERE day BETWEEN ? AND ?)",
                (first, last),
            )
            conn.execute("DELETE FROM plan_slots WHERE day BETWEEN ? AND ?", (first, last))
            conn.execute("DELETE FROM plan_findings WHERE day BETWEEN ? AND ?", (first, last))
            for slot in plan.slots:
                slot_id = conn.execute(
                    "INSERT INTO plan_slots (zone, day, starts_at, ends_at, kind, relay_url,"
                    " grid_slot) VALUES (?,?,?,?,?,?,?)",
                    (
                        slot.zone,
                        slot.starts_at.date().isoformat(),
                        slot.starts_at.strftime(ISO),
                        slot.ends_at.strftime(ISO),
                        "relay" if slot.relay_url else "local",
                        slot.relay_url,
                        slot.grid_slot,
                    ),
                ).lastrowid
                conn.executemany(
                    "INSERT INTO plan_entries (plan_slot_id, position, kind, item_id, render_id,"
                    " starts_at, duration_s) VALUES (?,?,?,?,?,?,?)",
                    [
                        (
                            slot_id,
                            position,
                            entry.kind.value,
                            entry.item_id,
                            entry.render_id,
                            (slot.starts_at + dt.timedelta(seconds=entry.offset_s)).strftime(ISO),
                            entry.duration_s,
                        )
                        for position, entry in enumerate(slot.entries)
                    ],
                )
            conn.executemany(
                "INSERT INTO plan_findings (day, zone, kind, item_id, message) VALUES (?,?,?,?,?)",
                [
                    (f.day.isoformat(), f.zone, f.kind.value, f.item_id, f.message)
                    for f in plan.findings
                ],
            )
    except sqlite3.IntegrityError as exc:
        raise InputError(f"Không lưu được lịch phát: {exc}.") from None


def load_plan(db: Database, first_day: dt.date, last_day: dt.date) -> list[PlannedSlot]:
    """The stored plan of these days, slot by slot in time order then zone."""
    slots = db.conn.execute(
        "SELECT id, zone, grid_slot, starts_at, ends_at, relay_url FROM plan_slots"
        " WHERE day BETWEEN ? AND ? ORDER BY starts_at, zone",
        (first_day.isoformat(), last_day.isoformat()),
    ).fetchall()
    entries: dict[int, list[PlannedEntry]] = {}
    starts: dict[int, dt.datetime] = {}
    for row in slots:
        starts[int(row[0])] = dt.datetime.fromisoformat(row[3])
    for slot_id, kind, item_id, render_id, language, entry_start, duration in db.conn.execute(
        "SELECT e.plan_slot_id, e.kind, e.item_id, e.render_id, r.language, e.starts_at,"
        " e.duration_s FROM plan_entries e JOIN plan_slots s ON s.id = e.plan_slot_id"
        " LEFT JOIN renders r ON r.id = e.render_id"
        " WHERE s.day BETWEEN ? AND ? ORDER BY e.plan_slot_id, e.position",
        (first_day.isoformat(), last_day.isoformat()),
    ):
        offset = (dt.datetime.fromisoformat(entry_start) - starts[int(slot_id)]).total_seconds()
        entries.setdefault(int(slot_id), []).append(
            PlannedEntry(EntryKind(kind), offset, float(duration), item_id, render_id, language)
        )
    return [
        PlannedSlot(
            zone=row[1],
            grid_slot=row[2],
            starts_at=starts[int(row[0])],
            seconds=round(
                (dt.datetime.fromisoformat(row[4]) - starts[int(row[0])]).total_seconds()
            ),
            relay_url=row[5],
            entries=tuple(entries.get(int(row[0]), ())),
        )
        for row in slots
    ]


def load_findings(db: Database, first_day: dt.date, last_day: dt.date) -> list[Finding]:
    rows = db.conn.execute(
        "SELECT day, zone, kind, item_id, message FROM plan_findings"
        " WHERE day BETWEEN ? AND ? ORDER BY id",
        (first_day.isoformat(), last_day.isoformat()),
    ).fetchall()
    return [Finding(FindingKind(r[2]), dt.date.fromisoformat(r[0]), r[1], r[3], r[4]) for r in rows]


def plan_range(db: Database) -> tuple[dt.date, dt.date] | None:
    """First and last day of the stored plan, if any."""
    row = db.conn.execute("SELECT MIN(day), MAX(day) FROM plan_slots").fetchone()
    if row is None or row[0] is None:
        return None
    return dt.date.fromisoformat(row[0]), dt.date.fromisoformat(row[1])


def item_catalog(db: Database) -> dict[int, ItemInfo]:
    rows = db.conn.execute(
        "SELECT i.id, s.title, s.slug, i.priority, i.topic FROM schedule_items i"
        " JOIN scripts s ON s.id = i.script_id"
    ).fetchall()
    return {int(r[0]): ItemInfo(int(r[0]), r[1], r[2], Priority(r[3]), r[4]) for r in rows}


def render_catalog(db: Database) -> dict[int, RenderRef]:
    rows = db.conn.execute(
        "SELECT id, language, duration_s, path FROM renders WHERE id IN"
        " (SELECT render_id FROM plan_entries WHERE render_id IS NOT NULL)"
    ).fetchall()
    return {int(r[0]): RenderRef(int(r[0]), r[1], float(r[2] or 0), r[3]) for r in rows}


def lapsed_plan_renders(db: Database, first_day: dt.date, last_day: dt.date) -> set[int]:
    """Renders in the stored plan whose approval was voided after planning (text edited)."""
    rows = db.conn.execute(
        "SELECT DISTINCT r.id FROM plan_entries e JOIN plan_slots s ON s.id = e.plan_slot_id"
        " JOIN renders r ON r.id = e.render_id"
        " WHERE s.day BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM approved_languages a"
        " WHERE a.script_id = r.script_id AND a.language = r.language)",
        (first_day.isoformat(), last_day.isoformat()),
    ).fetchall()
    return {int(r[0]) for r in rows}
