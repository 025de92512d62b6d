"""Campaign items and plans in the store (SQLite and PostgreSQL): the approval triggers,
overrun trigger, replacement."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from helpers import raw_sql, store_url
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schedule_fixtures import add_render, add_script, grid_workspace, open_db, translate

from broadcast.errors import InputError
from broadcast.schedule.campaign import plan_days, workspace_grid
from broadcast.schedule.model import EntryKind, Plan, PlannedEntry, PlannedSlot, Priority, RenderRef
from broadcast.store import schedule as store
from broadcast.store.workspace import find_workspace

pytestmark = pytest.mark.backends

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture()
def ws_root(tmp_path: Path) -> Path:
    """Script 1: vi + approved blt + hmn in review; script 2: vi only."""
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        one = add_script(db, "mot-cua", vi_seconds=90.0)
        # Approved first: a render records the approved texts it voices (issue 9).
        translate(db, one, "blt", approve=True)
        translate(db, one, "hmn", approve=False)
        add_render(db, one, "blt", 100.0)
        add_render(db, one, "hmn", 95.0)
        add_script(db, "dich-vu-cong", vi_seconds=60.0)
    return root


def _item(db: store.Database, script_id: int, renders: list[RenderRef]) -> int:
    return store.add_item(
        db,
        script_id=script_id,
        priority=Priority.NORMAL,
        starts=dt.datetime(2026, 3, 2),
        last_day=dt.date(2026, 3, 15),
        min_plays_per_week=2,
        zones=["all"],
        topic="thu-tuc",
        renders=renders,
    )


def test_approved_pairs_come_from_the_review_view(ws_root: Path) -> None:
    with open_db(ws_root) as db:
        assert store.approved_pairs(db) == {(1, "vi"), (1, "blt"), (2, "vi")}
        renders = store.latest_audio_renders(db, 1)
        assert sorted(renders) == ["blt", "hmn", "vi"]


def test_trigger_refuses_unapproved_item_render(ws_root: Path) -> None:
    with open_db(ws_root) as db:
        renders = store.latest_audio_renders(db, 1)
        with pytest.raises(InputError) as err:
            _item(db, 1, [renders["vi"], renders["hmn"]])
        assert "chưa được duyệt" in err.value.message
        # Nothing half written: the item row went with the failed transaction.
        assert db.conn.execute("SELECT COUNT(*) FROM schedule_items").fetchone()[0] == 0
        item_id = _item(db, 1, [renders["vi"], renders["blt"]])
        # SQLite gives the rolled-back row's id again; a PostgreSQL sequence never gives a
        # number back (documented: nextval is not undone by ROLLBACK).
        assert item_id == (1 if store_url() is None else 2)
    # The trigger holds for raw SQL too, bypassing every Python check.
    conn = raw_sql(ws_root)
    with pytest.raises(sqlite3.IntegrityError, match="not approved"):
        conn.execute(
            "INSERT INTO schedule_item_renders (item_id, language, render_id) VALUES (?,'hmn',?)",
            (item_id, renders["hmn"].render_id),
        )
    # A render of another script cannot be attached either.
    other = conn.execute("SELECT id FROM renders WHERE script_id = 2").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match="not approved"):
        conn.execute(
            "INSERT INTO schedule_item_renders (item_id, language, render_id) VALUES (?,'vi',?)",
            (item_id, other),
        )
    conn.close()


def _stored_slot(db: store.Database) -> int:
    plan = Plan(MONDAY, 1)
    plan.slots.append(
        PlannedSlot("trung-tam", "sang", dt.datetime(2026, 3, 2, 6, 0), 900, None, ())
    )
    store.save_plan(db, plan)
    return int(db.conn.execute("SELECT id FROM plan_slots").fetchone()[0])


def test_trigger_refuses_unapproved_or_overrunning_plan_entries(ws_root: Path) -> None:
    with open_db(ws_root) as db:
        renders = store.latest_audio_renders(db, 1)
        _item(db, 1, [renders["vi"], renders["blt"]])
        slot_id = _stored_slot(db)
    conn = raw_sql(ws_root)
    insert = (
        "INSERT INTO plan_entries (plan_slot_id, position, kind, item_id, render_id, starts_at,"
        " duration_s) VALUES (?,?,?,?,?,?,?)"
    )
    with pytest.raises(sqlite3.IntegrityError, match="not approved"):
        conn.execute(
            insert, (slot_id, 0, "item", 1, renders["hmn"].render_id, "2026-03-02T06:00:00", 95.0)
        )
    with pytest.raises(sqlite3.IntegrityError, match="overrun"):
        conn.execute(
            insert, (slot_id, 0, "item", 1, renders["vi"].render_id, "2026-03-02T06:14:00", 90.0)
        )
    conn.execute(
        insert, (slot_id, 0, "item", 1, renders["vi"].render_id, "2026-03-02T06:13:30", 90.0)
    )  # ends exactly at 06:15
    # Revoking an approval afterwards: a new entry with that render is refused again.
    conn.execute("UPDATE segments SET target = target || ' (sửa)' WHERE position = 0")
    with pytest.raises(sqlite3.IntegrityError, match="not approved"):
        conn.execute(
            insert, (slot_id, 1, "item", 1, renders["blt"].render_id, "2026-03-02T06:00:00", 100.0)
        )
    conn.close()


def test_plan_days_stores_and_replaces_the_range_in_one_go(ws_root: Path) -> None:
    ws = find_workspace(ws_root)
    with open_db(ws_root) as db:
        renders = store.latest_audio_renders(db, 1)
        _item(db, 1, [renders["vi"], renders["blt"]])
    plan = plan_days(ws, MONDAY, 7)
    with open_db(ws_root) as db:
        count = db.conn.execute("SELECT COUNT(*) FROM plan_slots").fetchone()[0]
        assert count == len(plan.slots) == 7 * 3 + 3 * 2 + 1
        loaded = store.load_plan(db, MONDAY, MONDAY + dt.timedelta(days=6))
        assert sorted(loaded, key=lambda s: (s.starts_at, s.zone)) == sorted(
            plan.slots, key=lambda s: (s.starts_at, s.zone)
        )
        plays = db.conn.execute(
            "SELECT zone, language, topic, priority FROM planned_plays ORDER BY entry_id"
        ).fetchall()
        assert {tuple(p) for p in plays} >= {("ban-muong", "blt", "thu-tuc", "normal")}
        assert not {p[1] for p in plays if p[0] == "trung-tam"} - {"vi"}
    # Re-planning three days in the middle replaces only those days.
    plan_days(ws, dt.date(2026, 3, 4), 3)
    with open_db(ws_root) as db:
        assert db.conn.execute("SELECT COUNT(*) FROM plan_slots").fetchone()[0] == count
        days = db.conn.execute("SELECT COUNT(DISTINCT day) FROM plan_slots").fetchone()[0]
        assert days == 7


def test_a_failed_save_leaves_the_previous_plan(ws_root: Path) -> None:
    ws = find_workspace(ws_root)
    with open_db(ws_root) as db:
        renders = store.latest_audio_renders(db, 1)
        _item(db, 1, [renders["vi"], renders["blt"]])
    plan_days(ws, MONDAY, 2)
    with open_db(ws_root) as db:
        before = db.conn.execute("SELECT COUNT(*) FROM plan_entries").fetchone()[0]
        bad = Plan(MONDAY, 2)
        bad.slots.append(
            PlannedSlot(
                "trung-tam",
                "sang",
                dt.datetime(2026, 3, 2, 6, 0),
                900,
                None,
                (PlannedEntry(EntryKind.ITEM, 0.0, 95.0, 1, renders["hmn"].render_id, "hmn"),),
            )
        )
        with pytest.raises(InputError):
            store.save_plan(db, bad)
        assert db.conn.execute("SELECT COUNT(*) FROM plan_entries").fetchone()[0] == before


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(
        st.tuples(st.sampled_from(["vi", "blt", "hmn"]), st.integers(0, 1000), st.floats(1, 400)),
        min_size=1,
        max_size=8,
    )
)
def test_database_never_holds_an_unapproved_or_overrunning_entry(
    ws_root: Path, picks: list[tuple[str, int, float]]
) -> None:
    """Random direct inserts: whatever is accepted is approved and inside its slot."""
    with open_db(ws_root) as db:
        if not db.conn.execute("SELECT 1 FROM schedule_items").fetchone():
            renders = store.latest_audio_renders(db, 1)
            _item(db, 1, [renders["vi"], renders["blt"]])
            _stored_slot(db)
        renders = store.latest_audio_renders(db, 1)
        slot_id = db.conn.execute("SELECT id FROM plan_slots").fetchone()[0]
        db.conn.execute("DELETE FROM plan_entries")
        for position, (lang, offset, seconds) in enumerate(picks):
            start = dt.datetime(2026, 3, 2, 6, 0) + dt.timedelta(seconds=offset)
            with contextlib.suppress(sqlite3.IntegrityError):
                db.conn.execute(
                    "INSERT INTO plan_entries (plan_slot_id, position, kind, item_id, render_id,"
                    " starts_at, duration_s) VALUES (?,?,?,?,?,?,?)",
                    (
                        slot_id,
                        position,
                        "item",
                        1,
                        renders[lang].render_id,
                        start.isoformat(),
                        seconds,
                    ),
                )
        offset_s = (  # seconds from the slot's start to the entry's, on each backend
            "(julianday(starts_at) - julianday(slot_starts_at)) * 86400"
            if store_url() is None
            else "extract(epoch FROM starts_at::timestamp - slot_starts_at::timestamp)"
        )
        rows = db.conn.execute(
            f"SELECT language, {offset_s} + duration_s FROM planned_plays"
        ).fetchall()
        approved = store.approved_pairs(db)
        for lang, end_s in rows:
            assert (1, lang) in approved
            assert end_s <= 900 + 0.01


def test_grid_from_workspace(ws_root: Path) -> None:
    assert workspace_grid(find_workspace(ws_root)).zone_ids == (
        "ban-muong",
        "trung-tam",
        "ban-mong",
    )
