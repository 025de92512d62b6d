"""The plan's approval trigger holds for UPDATEs of an entry too, not only for INSERTs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import open_db
from schedule_fixtures import add_render, add_script


@pytest.mark.backends
def test_swapping_an_entry_to_an_unapproved_render_is_refused(tmp_path: Path) -> None:
    with open_db(tmp_path / "b.db") as db:
        conn = db.conn
        # Through the store (issue 9: a render airs only bound to the approved texts): 'vi'
        # is the source language, approved by storing; 'hmn' has no translation at all.
        add_script(db, "tin")
        assert add_render(db, 1, "hmn", 60.0) == 2
        conn.execute(
            "INSERT INTO schedule_items (id, script_id, valid_from, valid_to)"
            " VALUES (1, 1, '2026-03-02', '2026-03-08')"
        )
        conn.execute(
            "INSERT INTO plan_slots (id, zone, day, starts_at, ends_at, kind)"
            " VALUES (1, 'all', '2026-03-02', '2026-03-02T06:00:00', '2026-03-02T06:15:00',"
            " 'local')"
        )
        conn.execute(
            "INSERT INTO plan_entries (plan_slot_id, position, kind, item_id, render_id,"
            " starts_at, duration_s) VALUES (1, 0, 'item', 1, 1, '2026-03-02T06:00:00', 60)"
        )
        with pytest.raises(sqlite3.IntegrityError, match="not approved"):
            conn.execute("UPDATE plan_entries SET render_id = 2")
        assert conn.execute("SELECT render_id FROM plan_entries").fetchone()[0] == 1
