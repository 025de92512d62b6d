"""A store that holds under concurrent use (issue 10): write transactions take the write
lock before they read, wait (bounded) for another writer, refuse a change based on a text
someone else changed meanwhile, and turn SQLite's failures into one Vietnamese sentence.

Target strings are OBVIOUSLY SYNTHETIC ("‹blt› XX …"): nothing here is Thái or Mông.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import open_db, run
from review_fixtures import save, synthetic_target, workspace

from broadcast.errors import ChangedMeanwhile, InputError, StoreError
from broadcast.model.review import ReviewState, text_sha256
from broadcast.store import translations as tstore
from broadcast.store.db import Database, DatabaseFailure, DatabaseRefusal, explain
from broadcast.store.workspace import Workspace


@pytest.fixture
def drafted(tmp_path: Path) -> tuple[Workspace, int]:
    """A blt translation of the review fixture script, every segment with a synthetic text."""
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    result = run("-w", ws.root, "translate", saved.slug, "--to", "blt")
    assert result.exit_code == 0, result.stderr
    with ws.open_db() as db:
        translation = tstore.load_translation(db, saved.id, "blt")
        targets = {s.position: synthetic_target(s.position) for s in translation.segments}
        tstore.set_targets(db, translation, targets, actor="Lò Thị B")
    return ws, saved.id


def _other(path: Path, timeout: float = 0.1) -> sqlite3.Connection:
    """Another writer (a plain connection, usable from a timer thread)."""
    return sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)


def test_outer_transaction_is_immediate_and_inner_ones_are_savepoints(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Database(path) as db:
        db.conn.execute("CREATE TABLE t (a INTEGER)")
        other = _other(path)
        try:
            with db.transaction() as conn:
                # No write yet, and still nobody else may write: the lock came with BEGIN.
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("INSERT INTO t VALUES (0)")
                conn.execute("INSERT INTO t VALUES (1)")
                with pytest.raises(ValueError), db.transaction() as inner:
                    inner.execute("INSERT INTO t VALUES (2)")
                    raise ValueError("undo only the inner step")
                with db.transaction() as inner:
                    inner.execute("INSERT INTO t VALUES (3)")
            other.execute("INSERT INTO t VALUES (4)")  # released at COMMIT
        finally:
            other.close()
        assert [r[0] for r in db.conn.execute("SELECT a FROM t ORDER BY a")] == [1, 3, 4]
        with pytest.raises(KeyError), db.transaction() as conn:
            conn.execute("INSERT INTO t VALUES (5)")
            raise KeyError("all of it or nothing")
        assert not db.conn.in_transaction
        assert db.conn.execute("SELECT COUNT(*) FROM t WHERE a = 5").fetchone()[0] == 0


def test_a_writer_waits_for_another_then_writes(tmp_path: Path) -> None:
    """The busy timeout is short here; the bounded retry still outlasts the other writer."""
    path = tmp_path / "t.db"
    with Database(path) as setup:
        setup.conn.execute("CREATE TABLE t (a INTEGER)")
    other = _other(path)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    timer = threading.Timer(0.6, lambda: other.execute("COMMIT"))
    timer.start()
    try:
        with Database(path, busy_timeout_ms=50) as db:
            started = time.monotonic()
            with db.transaction() as conn:
                seen = conn.execute("SELECT COUNT(*) FROM t").fetchone()[0]
                conn.execute("INSERT INTO t VALUES (2)")
            waited = time.monotonic() - started
    finally:
        timer.join()
        other.close()
    assert seen == 1  # it read after the other writer committed, not a stale snapshot
    assert 0.4 < waited < 5


def test_a_writer_that_waits_too_long_gets_one_vietnamese_sentence(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Database(path) as setup:
        setup.conn.execute("CREATE TABLE t (a INTEGER)")
    other = _other(path)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Database(path, busy_timeout_ms=50) as db:
            db.write_wait_s = 0.3
            with pytest.raises(StoreError) as err, db.transaction() as conn:
                conn.execute("INSERT INTO t VALUES (1)")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert isinstance(err.value, sqlite3.OperationalError)  # old handlers still catch it
    assert err.value.exit_code == 3
    assert "đang bận" in err.value.message and "chạy lại" in err.value.message
    assert "\n" not in err.value.message


@pytest.mark.backends
def test_trigger_refusals_become_input_errors_with_their_text(
    drafted: tuple[Workspace, int],
) -> None:
    ws, script_id = drafted
    with ws.open_db() as db:
        with pytest.raises(DatabaseRefusal) as err, db.transaction() as conn:
            conn.execute("DELETE FROM review_audit")
        assert isinstance(err.value, InputError) and isinstance(err.value, sqlite3.IntegrityError)
        assert err.value.message.startswith("Cơ sở dữ liệu từ chối thay đổi này")
        assert "append-only" in err.value.message
        # Our own rule violations that are not triggers stay programming errors.
        with pytest.raises(sqlite3.IntegrityError) as unique, db.transaction() as conn:
            conn.execute("INSERT INTO translations (script_id, language) VALUES (?, 'blt')",
                         (script_id,))  # fmt: skip
        assert not isinstance(unique.value, InputError)
        assert explain(unique.value) is None


def test_a_damaged_database_file_is_one_sentence(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    db_path = ws.root / "broadcast.db"
    db_path.write_bytes(b"this is not a database at all " * 200)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(StoreError) as err:
        Database(db_path)
    assert "không phải cơ sở dữ liệu" in err.value.message or "bị hỏng" in err.value.message
    result = run("-w", ws.root, "review", "list")
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr + result.output
    assert result.stderr.count("Lỗi:") == 1


def test_explain_maps_each_failure_to_a_sentence() -> None:
    cases = {
        "database is locked": "đang bận",
        "disk I/O error": "lỗi ổ đĩa",
        "database disk image is malformed": "bị hỏng",
        "attempt to write a readonly database": "Không được phép ghi",
        "database or disk is full": "Ổ đĩa đã đầy",
    }
    for text, words in cases.items():
        known = explain(sqlite3.OperationalError(text), "/x/broadcast.db")
        assert isinstance(known, DatabaseFailure), text
        assert words in known.message and "/x/broadcast.db" in known.message
    assert explain(sqlite3.OperationalError("no such table: nope")) is None


@pytest.mark.backends
def test_an_edit_based_on_a_stale_text_is_refused(drafted: tuple[Workspace, int]) -> None:
    ws, script_id = drafted
    with ws.open_db() as db:
        seen = tstore.load_translation(db, script_id, "blt")  # Lan opens the translation
        theirs = tstore.load_translation(db, script_id, "blt")
        tstore.set_targets(db, theirs, {2: "‹blt› XX người khác sửa 239/QĐ-UBND 27/01/2026 15."},
                           actor="Lò Thị B")  # fmt: skip
        with pytest.raises(ChangedMeanwhile) as err:
            tstore.set_targets(db, seen, {1: "‹blt› XX của Lan", 2: "‹blt› XX cũng của Lan"},
                               actor="Lan")  # fmt: skip
        assert "Đoạn 3" in err.value.message and "vừa được người khác sửa" in err.value.message
        now = tstore.load_translation(db, script_id, "blt")
        assert now.segment_at(1).target == seen.segment_at(1).target  # type: ignore[union-attr]
        assert "người khác sửa" in now.segment_at(2).target  # type: ignore[union-attr]
        assert not [e for e in tstore.audit_trail(db, script_id, "blt") if e.actor == "Lan"]


@pytest.mark.backends
def test_an_approval_of_a_text_changed_meanwhile_is_refused(
    drafted: tuple[Workspace, int],
) -> None:
    ws, script_id = drafted
    with ws.open_db() as db:
        seen = tstore.load_translation(db, script_id, "blt")  # the reviewer reads and checks
        edited = "‹blt› XX sửa lúc đang duyệt 239/QĐ-UBND 27/01/2026 15."
        tstore.set_targets(db, tstore.load_translation(db, script_id, "blt"), {2: edited},
                           actor="Lò Thị B")  # fmt: skip
        with pytest.raises(ChangedMeanwhile):
            tstore.approve_segments(db, seen, [0, 1, 2], by="Lò Văn A", role="reviewer")
        with pytest.raises(ChangedMeanwhile):
            tstore.reject_segments(db, seen, [2], by="Lò Văn A", role="reviewer", note="x")
        now = tstore.load_translation(db, script_id, "blt")
        assert all(s.state is not ReviewState.APPROVED for s in now.segments)
        # Approving what is there now records the hash of that text, read under the lock.
        done = tstore.approve_segments(db, now, [2], by="Lò Văn A", role="reviewer")
        assert [s.position for s in done] == [2]
        row = db.conn.execute(
            "SELECT a.sha256, g.target FROM approvals a JOIN segments g ON g.id = a.segment_id"
            " ORDER BY a.id DESC LIMIT 1"
        ).fetchone()
        assert row[0] == text_sha256(edited) and row[1] == edited


def test_processes_opening_one_fresh_database_at_once_all_succeed(tmp_path: Path) -> None:
    """Each migration checks under the lock that no other process applied it meanwhile."""
    path = tmp_path / "fresh.db"
    code = (
        "import sys; from pathlib import Path; from broadcast.store.db import Database;"
        "db = Database(Path(sys.argv[1])); print(db.schema_version())"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [e.decode() for _, e in outputs]
    with Database(path) as db:
        version = db.schema_version()
        applied = db.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    assert {int(o) for o, _ in outputs} == {version} and applied == version


@pytest.mark.backends
def test_a_second_connection_writing_inside_a_transaction_is_a_bug_said_at_once(
    tmp_path: Path,
) -> None:
    """It would otherwise wait for its own process's lock and blame another writer."""
    path = tmp_path / "t.db"
    with open_db(path) as db, open_db(path) as second:
        db.conn.execute("CREATE TABLE t (a INTEGER)")
        started = time.monotonic()
        with pytest.raises(RuntimeError, match="second connection"), db.transaction() as conn:
            conn.execute("INSERT INTO t VALUES (1)")
            with second.transaction():
                pass
        assert time.monotonic() - started < 1
        assert db.conn.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0
        with second.transaction() as conn:  # once the first one is done, all is well
            conn.execute("INSERT INTO t VALUES (2)")


def test_a_damaged_table_read_outside_a_transaction_is_one_sentence(tmp_path: Path) -> None:
    """The file opens, but a read meets a ruined page: the CLI's boundary says it plainly."""
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    db_path = ws.root / "broadcast.db"
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'scripts'").fetchone()[0]
    conn.close()
    with db_path.open("r+b") as raw:
        raw.seek((root - 1) * page_size)
        raw.write(b"\xff" * page_size)
    result = run("-w", ws.root, "review", "history", saved.slug)
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr + result.output
    assert "bị hỏng" in result.stderr and "bản sao lưu" in result.stderr
