"""The on-air gate under attack (issue 9): each bypass path that once put audio of unapproved
or changed text on air, closed in SQL and in the one Python gate.

Renders are rows with short fake paths (the planner and the exports read only their
language, duration and path); translated texts are OBVIOUSLY SYNTHETIC ("‹blt› ZZ ...").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from helpers import run
from schedule_fixtures import add_render, add_script, grid_workspace, open_db, raw, translate

from broadcast.review import gate
from broadcast.schedule.campaign import plan_days
from broadcast.schedule.m3u8 import parse_m3u8
from broadcast.store import translations as tstore
from broadcast.store.workspace import find_workspace

MONDAY = dt.date(2026, 3, 2)
BLT_TAKE = "take-1-blt.mp3"


@pytest.fixture()
def ws_root(tmp_path: Path) -> Path:
    """Script 1 ('mot-cua'): vi and an approved blt, each with an audio render made from the
    approved text; an item airing both in every zone from Monday."""
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        one = add_script(db, "mot-cua", vi_seconds=90.0)
        translate(db, one, "blt", approve=True)
        add_render(db, one, "blt", 100.0)
    result = run("-w", root, "schedule", "add", "mot-cua", "--from", "2026-03-02", "--to",
                 "2026-03-15")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "(vi, blt)" in result.stdout
    return root


def _planned_languages(root: Path) -> set[str]:
    conn = raw(root)
    try:
        return {r[0] for r in conn.execute("SELECT DISTINCT language FROM planned_plays")}
    finally:
        conn.close()


def _exported_paths(folder: Path) -> set[str]:
    return {
        path
        for file in folder.rglob("*.m3u8")
        for _d, _t, path in parse_m3u8(file.read_text(encoding="utf-8"))
    }


def _plan_and_export(root: Path, folder: Path) -> None:
    result = run("-w", root, "schedule", "plan", "--from", "2026-03-02", "--days", "2")
    assert result.exit_code == 0, result.stderr
    result = run("-w", root, "schedule", "export", "--format", "m3u8", "--out", folder)
    assert result.exit_code == 0, result.stderr


@pytest.mark.backends
def test_1_reapproved_edit_does_not_keep_the_old_render_on_air(ws_root: Path) -> None:
    exports = ws_root / "out" / "lich"
    _plan_and_export(ws_root, exports)
    assert "blt" in _planned_languages(ws_root)
    assert any(p.endswith(BLT_TAKE) for p in _exported_paths(exports))

    with open_db(ws_root) as db:  # the editor changes one sentence; a reviewer re-approves
        translation = tstore.load_translation(db, 1, "blt")
        tstore.set_targets(db, translation, {0: "‹blt› ZZ-1-0 (sửa lại)"}, actor="Lò Thị B")
        translation = tstore.load_translation(db, 1, "blt")
        tstore.approve_segments(db, translation, [0], by="Lò Văn A", role="reviewer")
        assert gate.is_approved(db, 1, "blt")  # the new text is approved ...
        render_id = db.conn.execute("SELECT id FROM renders WHERE language = 'blt'").fetchone()[0]
        problem = gate.render_problem(db, render_id)  # ... but the audio voices the old one
    assert problem is not None and "câu 1" in problem and "broadcast mix mot-cua" in problem

    _plan_and_export(ws_root, exports)
    assert _planned_languages(ws_root) == {"vi"}
    assert not any(p.endswith(BLT_TAKE) for p in _exported_paths(exports))
    with open_db(ws_root) as db:
        findings = [r[0] for r in db.conn.execute("SELECT message FROM plan_findings")]
    assert any("broadcast mix mot-cua --lang blt" in m for m in findings), findings

    # A render made from the approved text (the same path, as a re-mix writes it) airs again.
    with open_db(ws_root) as db:
        add_render(db, 1, "blt", 100.0)
    _plan_and_export(ws_root, exports)
    assert "blt" in _planned_languages(ws_root)
    assert any(p.endswith(BLT_TAKE) for p in _exported_paths(exports))


@pytest.mark.backends
def test_2_legacy_playlist_table_is_frozen(ws_root: Path) -> None:
    """produce no longer writes playlists of its own (issue 10, migration 10): nothing can
    be added to the old table, not even an approved render, so only the plan feeds players."""
    with open_db(ws_root) as db:
        hmn = add_render(db, 1, "hmn", 95.0)  # no approved hmn translation at all
        vi = db.conn.execute("SELECT id FROM renders WHERE language = 'vi'").fetchone()[0]
    conn = raw(ws_root)
    insert = (
        "INSERT INTO playlist_entries (render_id, slot_start, zone, position, playlist_path)"
        " VALUES (?, '2026-03-02T06:00', 'all', ?, 'out/playlists/x.m3u8')"
    )
    for render in (vi, hmn):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(insert, (render, 0))
    assert conn.execute("SELECT COUNT(*) FROM playlist_entries").fetchone()[0] == 0
    conn.close()


@pytest.mark.backends
def test_3_an_approval_forged_by_sql_is_not_an_approval(ws_root: Path) -> None:
    with open_db(ws_root) as db:
        translate(db, 1, "hmn", approve=False)
        hmn = add_render(db, 1, "hmn", 95.0)
    forged = "‹hmn› ZZ forged"
    conn = raw(ws_root)
    conn.execute(
        "UPDATE segments SET target = ?, state = 'approved', approved_sha256 = ?"
        " WHERE translation_id = (SELECT id FROM translations WHERE language = 'hmn')",
        (forged, hashlib.sha256(forged.encode()).hexdigest()),
    )
    conn.execute("UPDATE translations SET state = 'approved' WHERE language = 'hmn'")
    conn.commit()
    listed = conn.execute(
        "SELECT COUNT(*) FROM approved_languages WHERE language = 'hmn'"
    ).fetchone()[0]
    assert listed == 0
    with pytest.raises(sqlite3.IntegrityError, match="not approved"):
        conn.execute(
            "INSERT INTO schedule_item_renders (item_id, language, render_id) VALUES (1,'hmn',?)",
            (hmn,),
        )
    conn.close()
    with open_db(ws_root) as db:
        assert not gate.is_approved(db, 1, "hmn")
        # A genuine approval of the same text afterwards is recorded (not skipped as 'already').
        translation = tstore.load_translation(db, 1, "hmn")
        done = tstore.approve_segments(db, translation, [0, 1], by="Giàng A Páo", role="reviewer")
        assert len(done) == 2
        assert gate.is_approved(db, 1, "hmn")


@pytest.mark.backends
def test_3b_an_approval_forged_over_an_approved_text_is_refused(ws_root: Path) -> None:
    """The same forgery over a genuinely approved translation: the Python gate and the view
    both find that the approval record is of another text."""
    changed = "‹blt› ZZ changed by sql"
    conn = raw(ws_root)
    conn.execute("UPDATE segments SET target = ? WHERE position = 1", (changed,))
    conn.execute(
        "UPDATE segments SET state = 'approved', approved_sha256 = ? WHERE position = 1",
        (hashlib.sha256(changed.encode()).hexdigest(),),
    )
    conn.execute("UPDATE translations SET state = 'approved'")
    conn.commit()
    assert (
        conn.execute("SELECT COUNT(*) FROM approved_languages WHERE language = 'blt'").fetchone()[0]
        == 0
    )
    conn.close()
    with open_db(ws_root) as db:
        assert not gate.is_approved(db, 1, "blt")


@pytest.mark.backends
def test_4_a_changed_source_sentence_voids_its_translations(ws_root: Path) -> None:
    plan_days(find_workspace(ws_root), MONDAY, 2)
    assert _planned_languages(ws_root) == {"vi", "blt"}
    conn = raw(ws_root)
    conn.execute(
        "UPDATE sentences SET written = 'Người dân nộp hồ sơ qua bưu điện.',"
        " spoken = 'Người dân nộp hồ sơ qua bưu điện.' WHERE position = 1"
    )
    conn.commit()
    conn.close()
    with open_db(ws_root) as db:
        assert not gate.is_approved(db, 1, "blt")
        state = db.conn.execute(
            "SELECT state, approved_sha256, source FROM segments WHERE position = 1"
        ).fetchone()
        assert tuple(state) == ("in_review", None, "Người dân nộp hồ sơ qua bưu điện.")
        audit = tstore.audit_trail(db, 1, "blt")[-1]
        assert (audit.action, audit.detail) == ("void", "câu nguồn đã đổi")
    # Neither the translation nor the Vietnamese audio (made from the old sentence) airs.
    assert _planned_languages(ws_root) == set()
    plan_days(find_workspace(ws_root), MONDAY, 2)
    assert _planned_languages(ws_root) == set()


@pytest.mark.backends
def test_5_a_void_takes_the_render_off_the_plan_and_the_exports_at_once(
    ws_root: Path, tmp_path: Path
) -> None:
    inside = ws_root / "out" / "lich"
    outside = tmp_path / "usb"
    _plan_and_export(ws_root, inside)
    result = run("-w", ws_root, "schedule", "export", "--format", "m3u8", "--out", outside)
    assert result.exit_code == 0, result.stderr
    assert any(p.endswith(BLT_TAKE) for p in _exported_paths(inside))

    reject = ["reject", "mot-cua", "--lang", "blt", "--segment", "2", "--note", "Sai số liệu"]
    result = run("-w", ws_root, "review", *reject)  # as the workspace's admin
    assert result.exit_code == 0, result.stderr
    # At once, without a re-plan: the plan and the exported files inside the workspace.
    assert _planned_languages(ws_root) == {"vi"}
    assert not any(p.endswith(BLT_TAKE) for p in _exported_paths(inside))
    assert any(p.endswith("mot-cua/audio.mp3") for p in _exported_paths(inside))
    # Files exported outside the workspace cannot be rewritten: they are named to the user.
    assert "đã xuất ra ngoài" in result.stdout + result.stderr
    assert str(outside) in result.stdout + result.stderr
    with open_db(ws_root) as db:
        withdrawn = db.conn.execute(
            "SELECT COUNT(*) FROM playlist_exports WHERE withdrawn_at IS NOT NULL"
        ).fetchone()[0]
    assert withdrawn == len(list(outside.rglob("*.m3u8")))


def test_migration_8_takes_renders_made_before_it_off_the_air(tmp_path: Path) -> None:
    """A workspace database of schema 7 with a planned render: after the upgrade its
    sentences carry their hashes, the source is still approved, and the render (which
    recorded no texts) is stale with the command that re-renders it."""
    from broadcast.store.db import MIGRATIONS, Database
    from broadcast.store.hashes import sentence_sha256

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT 'x')"
    )
    for version, name, func in MIGRATIONS:
        if version <= 7:
            func(conn)
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                         (version, name))  # fmt: skip
    for statement in (
        "INSERT INTO articles VALUES (1, 'a.md', 'x', 'T', 'B', 'md', '2026-03-01T00:00:00Z')",
        "INSERT INTO scripts (id, article_id, slug, title, language, target_minutes)"
        " VALUES (1, 1, 'tin', 'Tin', 'vi', 1)",
        "INSERT INTO sentences (script_id, position, role, written, spoken)"
        " VALUES (1, 0, 'body', 'Câu một.', 'Câu một.')",
        "INSERT INTO approvals (script_id, language, approved_by, role, sha256) VALUES"
        f" (1, 'vi', 'producer', 'producer', '{hashlib.sha256('Câu một.'.encode()).hexdigest()}')",
        "INSERT INTO renders (id, script_id, kind, path, sha256, duration_s)"
        " VALUES (1, 1, 'audio', 'out/tin/audio.mp3', 'x', 30)",
        "INSERT INTO schedule_items (id, script_id, valid_from, valid_to)"
        " VALUES (1, 1, '2026-03-02', '2026-03-08')",
        "INSERT INTO schedule_item_renders VALUES (1, 'vi', 1)",
        "INSERT INTO plan_slots (id, zone, day, starts_at, ends_at, kind) VALUES"
        " (1, 'all', '2026-03-02', '2026-03-02T06:00:00', '2026-03-02T06:15:00', 'local')",
        "INSERT INTO plan_entries (plan_slot_id, position, kind, item_id, render_id, starts_at,"
        " duration_s) VALUES (1, 0, 'item', 1, 1, '2026-03-02T06:00:00', 30)",
        "INSERT INTO playlist_entries (render_id, slot_start, zone, position, playlist_path)"
        " VALUES (1, '2026-03-02T06:00', 'all', 0, 'out/playlists/x.m3u8')",
    ):
        conn.execute(statement)
    conn.close()

    with Database(path) as db:
        assert db.schema_version() >= 8
        digest = db.conn.execute("SELECT text_sha256 FROM sentences").fetchone()[0]
        assert digest == sentence_sha256("Câu một.", "Câu một.")
        assert gate.is_approved(db, 1, "vi")
        problem = gate.render_problem(db, 1)
        assert problem is not None and "'broadcast mix tin'" in problem
        for table in ("plan_entries", "playlist_entries"):
            assert db.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
        logged = db.conn.execute("SELECT SUM(entries) FROM onair_withdrawals").fetchone()[0]
        assert logged == 2  # told to the user by the next schedule or produce command
