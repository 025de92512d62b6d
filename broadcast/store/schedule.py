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
from broadcast.model.schedule import (
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
from broadcast.store.db import Database, now_sql

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
                    " min_plays_per_week, topic) VALUES (?,?,?,?,?,?) RETURNING id",
                    (
                        script_id,
                        priority.value,
                        valid_from,
                        last_day.isoformat(),
                        min_plays_per_week,
                        topic,
                    ),
                ).fetchone()[0]
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


@dataclass(frozen=True)
class ItemSpan:
    """A campaign item's number and validity (first and last day)."""

    id: int
    first_day: dt.date
    last_day: dt.date


def family_items(db: Database, script_id: int) -> list[ItemSpan]:
    """The live items of every version of this script (versions share ``scripts.name``):
    after a new version is approved, they play it instead of the old one."""
    rows = db.conn.execute(
        "SELECT i.id, substr(i.valid_from, 1, 10), i.valid_to FROM schedule_items i"
        " JOIN scripts s ON s.id = i.script_id"
        " WHERE COALESCE(s.name, s.slug) = (SELECT COALESCE(name, slug) FROM scripts WHERE id = ?)"
        " AND i.removed_at IS NULL ORDER BY i.id",
        (script_id,),
    ).fetchall()
    return [
        ItemSpan(int(r[0]), dt.date.fromisoformat(str(r[1])), dt.date.fromisoformat(str(r[2])))
        for r in rows
    ]


def point_item_at(db: Database, item_id: int, script_id: int, renders: Sequence[RenderRef]) -> None:
    """Make an item play this script version with these (current) renders."""
    with db.transaction() as conn:
        conn.execute("UPDATE schedule_items SET script_id = ? WHERE id = ?", (script_id, item_id))
        conn.execute("DELETE FROM schedule_item_renders WHERE item_id = ?", (item_id,))
        conn.executemany(
            "INSERT INTO schedule_item_renders (item_id, language, render_id) VALUES (?,?,?)",
            [(item_id, r.language, r.render_id) for r in renders],
        )


@dataclass(frozen=True)
class InterruptRecord:
    id: int
    item_id: int
    zone: str
    starts_at: str
    path: str


def record_interrupt(
    db: Database, item_id: int, zone: str, starts_at: str, path: str, actor: str | None = None
) -> int:
    with db.transaction() as conn:
        return int(
            conn.execute(
                "INSERT INTO interrupts (item_id, zone, starts_at, path, actor) VALUES (?,?,?,?,?)"
                " RETURNING id",
                (item_id, zone, starts_at, path, actor),
            ).fetchone()[0]
        )


@dataclass(frozen=True)
class InterruptEvent:
    """An emergency interrupt as the record of emergencies lists it."""

    id: int
    item_id: int
    zone: str
    starts_at: str
    path: str
    actor: str | None
    title: str
    recorded_at: str  # UTC, as stored


def recent_interrupts(db: Database, limit: int = 20) -> list[InterruptEvent]:
    """The newest emergency interrupts first, with the title of the script they aired."""
    rows = db.conn.execute(
        "SELECT i.id, i.item_id, i.zone, i.starts_at, i.path, i.actor, s.title, i.created_at"
        " FROM interrupts i JOIN schedule_items it ON it.id = i.item_id"
        " JOIN scripts s ON s.id = it.script_id ORDER BY i.id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        InterruptEvent(
            int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), r[5], *map(str, r[6:])
        )
        for r in rows
    ]


def interrupts_between(db: Database, start: str, end: str) -> list[InterruptEvent]:
    """Emergency interrupts that started in [start, end) (station-local ISO times, as
    stored), oldest first: what a period's report lists."""
    rows = db.conn.execute(
        "SELECT i.id, i.item_id, i.zone, i.starts_at, i.path, i.actor, s.title, i.created_at"
        " FROM interrupts i JOIN schedule_items it ON it.id = i.item_id"
        " JOIN scripts s ON s.id = it.script_id"
        " WHERE i.starts_at >= ? AND i.starts_at < ? ORDER BY i.starts_at, i.id",
        (start, end),
    ).fetchall()
    return [
        InterruptEvent(
            int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), r[5], *map(str, r[6:])
        )
        for r in rows
    ]


def interrupt_at(db: Database, paths: Sequence[str]) -> InterruptRecord | None:
    """The emergency interrupt whose playlist file is stored as any of ``paths`` (its
    workspace-relative and older absolute forms; the newest one)."""
    marks = ",".join("?" * len(paths))
    row = db.conn.execute(
        f"SELECT id, item_id, zone, starts_at, path FROM interrupts WHERE path IN ({marks})"
        " ORDER BY id DESC LIMIT 1",
        tuple(paths),
    ).fetchone()
    return None if row is None else InterruptRecord(int(row[0]), int(row[1]), *map(str, row[2:]))


def interrupts_of_item(db: Database, item_id: int) -> list[InterruptRecord]:
    """Every emergency interrupt recorded for an item (one per zone and minute)."""
    rows = db.conn.execute(
        "SELECT id, item_id, zone, starts_at, path FROM interrupts WHERE item_id = ? ORDER BY id",
        (item_id,),
    ).fetchall()
    return [InterruptRecord(int(r[0]), int(r[1]), *map(str, r[2:])) for r in rows]


def item_renders(db: Database, item_id: int) -> list[RenderRef]:
    rows = db.conn.execute(
        "SELECT r.id, x.language, r.duration_s, r.path FROM schedule_item_renders x"
        " JOIN renders r ON r.id = x.render_id WHERE x.item_id = ? ORDER BY x.language",
        (item_id,),
    ).fetchall()
    return [RenderRef(int(r[0]), str(r[1]), float(r[2] or 0), str(r[3])) for r in rows]


def _parse_moment(text: str) -> dt.datetime:
    """'2026-03-02' (midnight) or '2026-03-02T14:05'."""
    return dt.datetime.fromisoformat(text)


# Items whose validity window meets [first_day, last_day]; parameters (last_day, first_day).
# A removed item (``schedule remove``, an archived script; migration 11) is never planned.
_IN_WINDOW = " WHERE substr(i.valid_from, 1, 10) <= ? AND i.valid_to >= ? AND i.removed_at IS NULL"


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
                    " grid_slot) VALUES (?,?,?,?,?,?,?) RETURNING id",
                    (
                        slot.zone,
                        slot.starts_at.date().isoformat(),
                        slot.starts_at.strftime(ISO),
                        slot.ends_at.strftime(ISO),
                        "relay" if slot.relay_url else "local",
                        slot.relay_url,
                        slot.grid_slot,
                    ),
                ).fetchone()[0]
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
    """Renders in the stored plan that are no longer current (approval voided, text or
    source changed since the render was made), by the database's own view."""
    rows = db.conn.execute(
        "SELECT DISTINCT e.render_id FROM plan_entries e JOIN plan_slots s ON s.id = e.plan_slot_id"
        " WHERE s.day BETWEEN ? AND ? AND e.render_id IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM current_renders c WHERE c.render_id = e.render_id)",
        (first_day.isoformat(), last_day.isoformat()),
    ).fetchall()
    return {int(r[0]) for r in rows}


def on_air_render_ids(db: Database) -> set[int]:
    """Every render a stored plan entry, a legacy playlist row or a live export names."""
    rows = db.conn.execute(
        "SELECT render_id FROM plan_entries WHERE render_id IS NOT NULL"
        " UNION SELECT render_id FROM playlist_entries"
        " UNION SELECT x.render_id FROM playlist_export_renders x"
        " JOIN playlist_exports p ON p.id = x.export_id WHERE p.withdrawn_at IS NULL"
    ).fetchall()
    return {int(r[0]) for r in rows}


def remove_entries(db: Database, render_ids: Sequence[int] = ()) -> None:
    """Delete the plan entries and legacy playlist rows of renders that are not current
    (the database's view), and of ``render_ids`` (found stale by the Python gate), logging
    each in onair_withdrawals as the triggers do."""
    from broadcast.store.db import SWEEP_STALE_ENTRIES

    with db.transaction() as conn:
        for statement in SWEEP_STALE_ENTRIES:
            conn.execute(statement)
        for render_id in render_ids:
            for table in ("plan_entries", "playlist_entries"):
                count = conn.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE render_id = ?", (render_id,)
                ).fetchone()[0]
                if count:
                    conn.execute(
                        "INSERT INTO onair_withdrawals (render_id, source, entries)"
                        " VALUES (?, ?, ?)",
                        (render_id, table, count),
                    )
                    conn.execute(f"DELETE FROM {table} WHERE render_id = ?", (render_id,))


def take_withdrawals(db: Database) -> dict[int, int]:
    """Entries taken off the air since a command last said so, per render; the log is
    emptied as it is read (the message is given once)."""
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT render_id, SUM(entries) FROM onair_withdrawals GROUP BY render_id"
        ).fetchall()
        conn.execute("DELETE FROM onair_withdrawals")
    return {int(r[0]): int(r[1]) for r in rows}


@dataclass(frozen=True)
class ExportRecord:
    """A file written by ``schedule export`` or ``produce`` (table of migration 8)."""

    id: int
    path: str
    format: str
    origin: str  # 'plan', or 'produce': written outside the plan (an emergency interrupt)
    inside_workspace: bool
    first_day: str | None
    last_day: str | None
    out_dir: str | None
    slot_start: str | None
    zone: str | None
    render_ids: frozenset[int]


def record_exports(
    db: Database,
    files: Sequence[Sequence[str]],
    render_ids: Sequence[int],
    *,
    fmt: str,
    origin: str,
    inside_workspace: bool,
    first_day: str | None = None,
    last_day: str | None = None,
    out_dir: str | None = None,
    slot_start: str | None = None,
    zone: str | None = None,
) -> None:
    """Remember written files and the renders they name; a rewrite replaces the record
    (and lifts a withdrawal). Each file is given as the forms its path may be stored under
    (``store.paths.stored_forms``): the first is recorded, a row under any replaced."""
    with db.transaction() as conn:
        for forms in files:
            path = forms[0]
            marks = ",".join("?" * len(forms))
            conn.execute(f"DELETE FROM playlist_exports WHERE path IN ({marks})", tuple(forms))
            export_id = conn.execute(
                "INSERT INTO playlist_exports (path, format, origin, inside_workspace, first_day,"
                " last_day, out_dir, slot_start, zone) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                (
                    path,
                    fmt,
                    origin,
                    int(inside_workspace),
                    first_day,
                    last_day,
                    out_dir,
                    slot_start,
                    zone,
                ),
            ).fetchone()[0]
            conn.executemany(
                "INSERT INTO playlist_export_renders (export_id, render_id)"
                " VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(export_id, r) for r in sorted(set(render_ids))],
            )


def live_exports_naming(db: Database, render_ids: Sequence[int]) -> list[ExportRecord]:
    """The exported files not yet withdrawn that name any of ``render_ids``."""
    wanted = sorted(set(render_ids))
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    rows = db.conn.execute(
        "SELECT p.id, p.path, p.format, p.origin, p.inside_workspace, p.first_day, p.last_day,"
        " p.out_dir, p.slot_start, p.zone FROM playlist_exports p WHERE p.withdrawn_at IS NULL"
        f" AND p.id IN (SELECT export_id FROM playlist_export_renders WHERE render_id IN ({marks}))"
        " ORDER BY p.path",
        wanted,
    ).fetchall()
    result = []
    for r in rows:
        ids = db.conn.execute(
            "SELECT render_id FROM playlist_export_renders WHERE export_id = ?", (r[0],)
        ).fetchall()
        result.append(
            ExportRecord(
                id=int(r[0]),
                path=str(r[1]),
                format=str(r[2]),
                origin=str(r[3]),
                inside_workspace=bool(r[4]),
                first_day=r[5],
                last_day=r[6],
                out_dir=r[7],
                slot_start=r[8],
                zone=r[9],
                render_ids=frozenset(int(i[0]) for i in ids),
            )
        )
    return result


def withdraw_export(db: Database, export_id: int) -> None:
    """Mark a file that could not be rewritten (outside the workspace) as withdrawn."""
    with db.transaction() as conn:
        conn.execute(
            f"UPDATE playlist_exports SET withdrawn_at = {now_sql(conn)} WHERE id = ?",
            (export_id,),
        )
