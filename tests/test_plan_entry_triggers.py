"""The plan's approval trigger holds for UPDATEs of an entry too, not only for INSERTs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from broadcast.store.db import Database


def test_swapping_an_entry_to_an_unapproved_render_is_refused(tmp_path: Path) -> None:
    with Database(tmp_path / "b.db") as db:
        conn = db.conn
        conn.execute(
            "INSERT INTO articles (id, source_path, sha256, title, body, format)"
            " VALUES (1, 'a.md', 'x', 'T', 'B', 'md')"
        )
        conn.execute(
            "INSERT INTO scripts (id, article_id, slug, title, language, target_minutes)"
            " VALUES (1, 1, 'tin', 'Tin', 'vi', 3)"
        )
        # 'vi' is the source language (approved by storing); 'hmn' has no translation at all.
        for render_id, language in ((1, "vi"), (2, "hmn")):
            conn.execute(
                "INSERT INTO renders (id, script_id, kind, path, sha256, language)"
                " VALUES (?, 1, 'audio', 'a.mp3', 'x', ?)",
                (render_id, language),
            )
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
