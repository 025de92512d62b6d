"""Migration 10: the old produce playlist rows of a workspace become campaign items and
plan entries of the one schedule, nothing lost; the legacy table is frozen afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from broadcast.store.db import MIGRATIONS, Database
from broadcast.store.hashes import script_sha256, sentence_sha256

SENTENCES = [("Câu một của bản tin.", "Câu một của bản tin."), ("Câu hai.", "Câu hai.")]


def _schema_8(path: Path) -> sqlite3.Connection:
    """A database as issue 9 left it: migrations 1 to 8 only, applied as Database does."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
    )
    for version, name, func in MIGRATIONS:
        if version > 8:
            break
        conn.execute("SAVEPOINT m")
        func(conn)
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name))
        conn.execute("RELEASE m")
    return conn


def _approved_script(conn: sqlite3.Connection, slug: str, seconds: float) -> int:
    """A produced Vietnamese script of schema 8: approved source, one bound audio render."""
    article = conn.execute(
        "INSERT INTO articles (source_path, sha256, title, body, format) VALUES (?,?,?,?,?)",
        (f"{slug}.md", "0" * 64, slug, "thân bài", "md"),
    ).lastrowid
    script = conn.execute(
        "INSERT INTO scripts (article_id, slug, title, language, target_minutes, topic)"
        " VALUES (?, ?, ?, 'vi', 1, 'thu-tuc')",
        (article, slug, f"Bản tin {slug}"),
    ).lastrowid
    for position, (written, spoken) in enumerate(SENTENCES):
        conn.execute(
            "INSERT INTO sentences (script_id, position, role, written, spoken, text_sha256)"
            " VALUES (?, ?, 'body', ?, ?, ?)",
            (script, position, written, spoken, sentence_sha256(written, spoken)),
        )
    conn.execute(
        "INSERT INTO approvals (script_id, language, segment_id, approved_by, role, sha256)"
        " VALUES (?, 'vi', NULL, 'bien-tap', 'producer', ?)",
        (script, script_sha256(SENTENCES)),
    )
    render = conn.execute(
        "INSERT INTO renders (script_id, kind, path, sha256, duration_s, language)"
        " VALUES (?, 'audio', ?, ?, ?, 'vi')",
        (script, f"out/{slug}/audio.mp3", "1" * 64, seconds),
    ).lastrowid
    for position, (written, spoken) in enumerate(SENTENCES):
        conn.execute(
            "INSERT INTO render_texts (render_id, position, text_sha256) VALUES (?, ?, ?)",
            (render, position, sentence_sha256(written, spoken)),
        )
    return int(render or 0)


@pytest.fixture
def migrated(tmp_path: Path):
    path = tmp_path / "broadcast.db"
    conn = _schema_8(path)
    a = _approved_script(conn, "ban-tin-a", 40.0)
    b = _approved_script(conn, "ban-tin-b", 25.0)
    rows = [  # what produce wrote: slot start, zone, position, render
        ("2026-03-02T06:00:00", "all", 0, a),
        ("2026-03-02T06:00:00", "all", 1, b),
        ("2026-03-03T17:30:00", "ban-hin", 0, a),
    ]
    for start, zone, position, render in rows:
        conn.execute(
            "INSERT INTO playlist_entries (render_id, slot_start, zone, position, playlist_path)"
            " VALUES (?, ?, ?, ?, 'out/playlists/x.m3u8')",
            (render, start, zone, position),
        )
    # A slot the planner already stored at the third row's moment, too short for it.
    conn.execute(
        "INSERT INTO plan_slots (zone, day, starts_at, ends_at, kind, grid_slot)"
        " VALUES ('ban-hin', '2026-03-03', '2026-03-03T17:30:00', '2026-03-03T17:30:10',"
        " 'local', 'chieu')"
    )
    conn.close()
    db = Database(path)
    yield db, rows, {a: "ban-tin-a", b: "ban-tin-b"}
    db.close()


def test_every_playlist_row_becomes_an_item(migrated) -> None:
    db, rows, slugs = migrated
    assert db.schema_version() >= 10
    items = db.conn.execute(
        "SELECT s.slug, i.valid_from, i.valid_to, z.zone, i.priority FROM schedule_items i"
        " JOIN scripts s ON s.id = i.script_id JOIN schedule_item_zones z ON z.item_id = i.id"
        " ORDER BY i.id"
    ).fetchall()
    assert [tuple(r) for r in items] == [
        (slugs[render], start[:10], start[:10], zone, "normal") for start, zone, _, render in rows
    ]
    assert db.conn.execute("SELECT COUNT(*) FROM playlist_entries").fetchone()[0] == 0


def test_current_renders_are_planned_at_their_moment(migrated) -> None:
    db, rows, _ = migrated
    current = {r[0] for r in db.conn.execute("SELECT render_id FROM current_renders")}
    assert current == {rows[0][3], rows[1][3]}, "approved renders stay on air after the upgrade"
    plays = db.conn.execute(
        "SELECT slot_starts_at, zone, position, render_id, starts_at FROM planned_plays"
        " ORDER BY slot_starts_at, zone, position"
    ).fetchall()
    assert [tuple(p) for p in plays] == [
        ("2026-03-02T06:00:00", "all", 0, rows[0][3], "2026-03-02T06:00:00"),
        ("2026-03-02T06:00:00", "all", 1, rows[1][3], "2026-03-02T06:00:40"),
    ]
    # The third row did not fit the slot already planned there: said, not dropped.
    finding = db.conn.execute("SELECT zone, item_id, message FROM plan_findings").fetchall()
    assert len(finding) == 1 and finding[0][0] == "ban-hin"
    assert "không còn chỗ" in finding[0][2]


def test_the_legacy_table_is_frozen(migrated) -> None:
    db, rows, _ = migrated
    with pytest.raises(sqlite3.DatabaseError, match="produce đã bỏ"):
        db.conn.execute(
            "INSERT INTO playlist_entries (render_id, slot_start, zone, position, playlist_path)"
            " VALUES (?, '2026-03-04T06:00:00', 'all', 0, 'x.m3u8')",
            (rows[0][3],),
        )
    # The triggers of migration 8 that sweep the legacy table still run (an edit voids).
    db.conn.execute("UPDATE sentences SET written = 'Câu đã sửa.' WHERE position = 0")
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
