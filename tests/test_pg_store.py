"""The PostgreSQL store (issue 16): the adapter makes the store's SQLite-flavoured SQL, rows,
transactions and errors behave on PostgreSQL as they do on SQLite.

Each test gets a fresh empty database of the session's throw-away server (``pg_url``,
tests/conftest.py); opening it loads the baseline schema (= SQLite version 17) and the
later migrations.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from helpers import INIT_ARGS, make_workspace, run

from broadcast.errors import InputError
from broadcast.store.db import Database, DatabaseFailure, DatabaseRefusal, SqliteDatabase
from broadcast.store.postgres import LATEST_VERSION as LATEST
from broadcast.store.postgres import PostgresDatabase, pg_sql
from broadcast.store.workspace import DATABASE_URL_VAR, find_workspace

pytestmark = pytest.mark.postgres

_ARTICLE = "INSERT INTO articles (source_path, sha256, title, body, format) VALUES (?,?,?,?,?)"


def _article(conn: object, title: str) -> None:
    conn.execute(_ARTICLE, (f"{title}.txt", title, title, "body", "txt"))  # type: ignore[attr-defined]


def _titles(db: Database) -> list[str]:
    return [str(r[0]) for r in db.conn.execute("SELECT title FROM articles ORDER BY id")]


@pytest.fixture
def pg(pg_url: str) -> Database:
    db = Database(pg_url)
    yield db  # type: ignore[misc]
    db.close()


def test_placeholders_become_psycopg_ones_outside_quotes_only() -> None:
    assert pg_sql("SELECT a FROM t WHERE b = ? AND c = ?") == (
        "SELECT a FROM t WHERE b = %s AND c = %s"
    )
    assert pg_sql("SELECT '?', \"?\" FROM t WHERE x = ?") == "SELECT '?', \"?\" FROM t WHERE x = %s"
    assert pg_sql("SELECT 'it''s ?' || ?") == "SELECT 'it''s ?' || %s"
    assert pg_sql("SELECT x LIKE 'mt:%' AND y LIKE ?") == "SELECT x LIKE 'mt:%%' AND y LIKE %s"
    assert pg_sql("SELECT 5 % ?") == "SELECT 5 %% %s"


def test_rewritten_sql_runs_with_quotes_percent_and_question_marks(pg: Database) -> None:
    row = pg.conn.execute("SELECT ?, '?', 'a%b', ? || '%', 7 % 4, 'it''s ?'", ("x", "y")).fetchone()
    assert tuple(row) == ("x", "?", "a%b", "y%", 3, "it's ?")
    with pg.transaction() as conn:
        _article(conn, "100% thật? có")
        _article(conn, "khác")
    found = pg.conn.execute(
        "SELECT title FROM articles WHERE title LIKE ? ESCAPE '!'", ("100!%%",)
    ).fetchall()
    assert [r[0] for r in found] == ["100% thật? có"]
    # Without parameters too (psycopg then still reads %%), and through executemany.
    assert pg.conn.execute("SELECT 'a%b', 'c?'").fetchone() == ("a%b", "c?")
    with pg.transaction() as conn:
        added = conn.executemany(
            "INSERT INTO articles (source_path, sha256, title, body, format) VALUES (?,?,?,?,'%')",
            [("p1", "s1", "t1", "b"), ("p2", "s2", "t2", "b")],
        )
        assert added.rowcount == 2
    assert pg.conn.execute("SELECT COUNT(*) FROM articles WHERE format = '%'").fetchone()[0] == 2


def test_rows_are_read_by_position_and_by_name(pg: Database) -> None:
    with pg.transaction() as conn:
        _article(conn, "Tin một")
    row = pg.conn.execute("SELECT id, title AS Title, format FROM articles").fetchone()
    assert row[1] == row["title"] == row["TITLE"] == "Tin một"
    assert row[0] == row["id"] and isinstance(row[0], int)
    assert list(row.keys()) == ["id", "title", "format"]
    with pytest.raises(IndexError):
        row["missing"]


def test_booleans_are_stored_as_the_schema_s_integer_flags(pg: Database) -> None:
    with pg.transaction() as conn:
        conn.execute(
            "INSERT INTO people (login, display_name, active) VALUES (?, ?, ?)",
            ("an", "An", False),
        )
    assert pg.conn.execute("SELECT active FROM people").fetchone()[0] == 0


def test_lastrowid_free_inserts_return_their_id(pg: Database) -> None:
    with pg.transaction() as conn:
        first = conn.execute(_ARTICLE + " RETURNING id", ("a", "a", "a", "b", "txt")).fetchone()
        second = conn.execute(_ARTICLE + " RETURNING id", ("b", "b", "b", "b", "txt")).fetchone()
    assert second[0] == first[0] + 1


def _refusals(db: Database) -> list[str]:
    """The sentences of two trigger refusals (an English rule, a Vietnamese one)."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO tm_segments (language, source, target) VALUES (?, ?, ?)",
            ("blt", "câu nguồn", "[blt] câu 1 thử nghiệm"),
        )
    out = []
    with pytest.raises(DatabaseRefusal) as refused, db.transaction() as conn:
        conn.execute("UPDATE tm_segments SET target = ?", ("[blt] câu 2 thử nghiệm",))
    out.append(refused.value.message)
    with pytest.raises(DatabaseRefusal) as refused, db.transaction() as conn:
        conn.execute(
            "INSERT INTO playlist_entries (render_id, slot_start, zone, position,"
            " playlist_path) VALUES (?, ?, ?, ?, ?)",
            (1, "2026-12-06T06:00", "all", 1, "x.m3u"),
        )
    out.append(refused.value.message)
    return out


def test_a_trigger_refusal_reads_as_on_sqlite(pg: Database, tmp_path: Path) -> None:
    with Database(tmp_path / "broadcast.db") as lite:
        assert isinstance(lite, SqliteDatabase)
        expected = _refusals(lite)
    assert expected[0] == "Cơ sở dữ liệu từ chối thay đổi này (tm_segments rows are never updated)"
    assert expected[1].startswith("danh sách phát riêng của produce đã bỏ")
    got = _refusals(pg)
    assert got == expected
    assert "CONTEXT" not in " ".join(got)
    # Raw SQL outside a transaction: the sqlite3-compatible error with the trigger's text.
    with pytest.raises(sqlite3.IntegrityError, match="^tm_segments rows are never updated$"):
        pg.conn.execute("UPDATE tm_segments SET previous = 'x'")


def test_a_unique_violation_is_an_sqlite3_integrity_error(pg: Database) -> None:
    with pg.transaction() as conn:
        conn.execute("INSERT INTO people (login, display_name) VALUES (?, ?)", ("an", "An"))
    with pytest.raises(sqlite3.IntegrityError), pg.transaction() as conn:
        conn.execute("INSERT INTO people (login, display_name) VALUES (?, ?)", ("AN", "An"))
    assert pg.conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1


def test_a_nested_transaction_rolls_back_to_its_savepoint(pg: Database) -> None:
    with pg.transaction() as conn:
        _article(conn, "ngoài")
        with pytest.raises(RuntimeError), pg.transaction() as inner:
            _article(inner, "trong")
            raise RuntimeError("bước trong hỏng")
        # A refused statement aborts a PostgreSQL transaction; the savepoint undoes only it.
        with pytest.raises(DatabaseRefusal), pg.transaction() as inner:
            inner.execute(
                "INSERT INTO tm_segments (language, source, target) VALUES ('blt', 'a', 'b')"
            )
            inner.execute("UPDATE tm_segments SET target = 'c'")
        _article(conn, "sau")
    assert _titles(pg) == ["ngoài", "sau"]
    assert pg.conn.execute("SELECT COUNT(*) FROM tm_segments").fetchone()[0] == 0
    assert not pg.conn.in_transaction


def test_two_writers_on_two_connections_are_serialised(pg_url: str) -> None:
    """Read, decide, write: without the advisory lock both threads would read 0 and the
    counter would end at 1 (READ COMMITTED lets them interleave)."""
    with Database(pg_url) as db, db.transaction() as conn:
        conn.execute("UPDATE term_changes SET changes = 0")
    inside = threading.Event()
    spans: dict[str, tuple[float, float]] = {}
    errors: list[BaseException] = []

    def bump(name: str, hold_s: float) -> None:
        try:
            with Database(pg_url) as db:
                with db.transaction() as conn:
                    began = time.monotonic()
                    inside.set()
                    seen = conn.execute("SELECT changes FROM term_changes").fetchone()[0]
                    time.sleep(hold_s)
                    conn.execute("UPDATE term_changes SET changes = ?", (seen + 1,))
                spans[name] = (began, time.monotonic())
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    first = threading.Thread(target=bump, args=("first", 0.4))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=bump, args=("second", 0.0))
    second.start()
    first.join(20)
    second.join(20)
    assert not errors
    assert spans["second"][0] >= spans["first"][1] - 0.05  # it began when the first committed
    with Database(pg_url) as db:
        assert db.conn.execute("SELECT changes FROM term_changes").fetchone()[0] == 2


def test_a_second_connection_of_one_thread_writing_is_a_bug_said_at_once(pg_url: str) -> None:
    with (
        Database(pg_url) as one,
        Database(pg_url) as two,
        one.transaction(),
        pytest.raises(RuntimeError, match="second connection"),
        two.transaction(),
    ):
        pass


def test_server_down_is_one_vietnamese_sentence_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://tram:matkhau-bi-mat@/broadcast?host={tmp_path}"
    with pytest.raises(DatabaseFailure) as failed:
        Database(url)
    message = failed.value.message
    assert message.startswith("Không kết nối được tới máy chủ PostgreSQL")
    assert f"{tmp_path}/broadcast" in message
    assert "matkhau" not in message and "\n" not in message


def test_an_unreadable_url_is_an_input_error() -> None:
    with pytest.raises(InputError) as bad:
        Database("postgresql://tram:matkhau@/db?khong_co_tuy_chon=1")
    assert "BROADCAST_DATABASE_URL" in bad.value.message
    assert "matkhau" not in bad.value.message


def test_opening_twice_keeps_the_schema(pg_url: str) -> None:
    with Database(pg_url) as db:
        assert db.schema_version() == LATEST
        with db.transaction() as conn:
            _article(conn, "giữ lại")
    with Database(pg_url) as again:
        assert again.schema_version() == LATEST and _titles(again) == ["giữ lại"]


def test_the_environment_selects_postgresql_for_the_workspace(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATABASE_URL_VAR, pg_url)
    root = make_workspace(tmp_path / "ws")
    assert not (root / "broadcast.db").exists()  # init made the schema on the server
    ws = find_workspace(root)
    with ws.open_db() as db:
        assert isinstance(db, PostgresDatabase)
        assert db.schema_version() == LATEST
        # init wrote its first person to the server, not to a file
        assert db.conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1
    monkeypatch.delenv(DATABASE_URL_VAR)
    with ws.open_db() as db:
        assert isinstance(db, SqliteDatabase)


def test_station_toml_database_url_selects_postgresql(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL_VAR, raising=False)
    root = make_workspace(tmp_path / "ws")
    station = root / "station.toml"
    station.write_text(
        station.read_text(encoding="utf-8") + f'\n[database]\nurl = "{pg_url}"\n',
        encoding="utf-8",
    )
    with find_workspace(root).open_db() as db:
        assert isinstance(db, PostgresDatabase)
        assert db.schema_version() == LATEST


def test_a_writer_waiting_too_long_reads_the_busy_sentence(pg_url: str) -> None:
    with Database(pg_url) as holder, Database(pg_url) as waiter:
        assert isinstance(waiter, PostgresDatabase)
        waiter.raw.execute("SET lock_timeout = '200ms'")  # instead of waiting 10 s
        with holder.transaction() as conn:
            _article(conn, "giữ khóa")
            started = time.monotonic()
            done = threading.Event()
            failures: list[BaseException] = []

            def write() -> None:
                try:
                    with waiter.transaction() as other:
                        _article(other, "không kịp")
                except BaseException as exc:  # inspected below
                    failures.append(exc)
                done.set()

            thread = threading.Thread(target=write)
            thread.start()
            assert done.wait(10)
            thread.join()
        assert time.monotonic() - started >= 0.2
        assert len(failures) == 1 and isinstance(failures[0], DatabaseFailure)
        assert "đang bận vì người khác đang ghi" in failures[0].message
        assert not waiter.conn.in_transaction
        assert _titles(waiter) == ["giữ khóa"]


def test_kept_connections_are_per_thread_and_replaced_when_closed(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from broadcast.store import db as store_db

    monkeypatch.setattr(store_db._KEEP, "enabled", True)
    monkeypatch.setattr(store_db._KEEP, "local", threading.local())
    first = Database.kept(pg_url)
    assert Database.kept(pg_url) is first
    first.close()  # a kept connection stays open
    assert first.usable()
    other: list[Database] = []
    thread = threading.Thread(target=lambda: other.append(Database.kept(pg_url)))
    thread.start()
    thread.join()
    assert other[0] is not first
    other[0].conn.close()
    assert isinstance(first, PostgresDatabase)
    first.raw.close()  # the server went away, say
    again = Database.kept(pg_url)
    assert again is not first and again.usable()
    again.conn.close()


def test_memory_change_counter_is_exact_after_a_large_transaction(pg: Database) -> None:
    """The counter is written once at commit on PostgreSQL (a per-row update of one row made
    large imports quadratic): still exact, a rolled-back savepoint's rows not counted, and a
    delete counted as on SQLite. Targets are synthetic test strings, not translations."""
    insert = "INSERT INTO tm_segments (language, source, target, origin) VALUES (?, ?, ?, ?)"
    with pg.transaction() as conn:
        conn.executemany(
            insert, [("blt", f"câu nguồn {i}", f"[blt] câu {i}", "thử") for i in range(300)]
        )
        with pytest.raises(RuntimeError), pg.transaction() as inner:  # a savepoint, undone
            inner.executemany(
                insert, [("hmn", f"câu bỏ {i}", f"[hmn] câu {i}", "thử") for i in range(50)]
            )
            raise RuntimeError("bỏ")
        conn.executemany(
            insert, [("hmn", f"câu giữ {i}", f"[hmn] câu {i}", "thử") for i in range(2)]
        )
    counts = {r[0]: r[1] for r in pg.conn.execute("SELECT language, changes FROM tm_changes")}
    assert counts == {"blt": 300, "hmn": 2}
    with pg.transaction() as conn:
        conn.execute("DELETE FROM tm_segments WHERE language = 'hmn'")
    counts = {r[0]: r[1] for r in pg.conn.execute("SELECT language, changes FROM tm_changes")}
    assert counts == {"blt": 300, "hmn": 4}


def test_the_latest_postgresql_version_is_sqlites(tmp_path: Path) -> None:
    # Every migration exists in both forms: a store is at the same version on both backends.
    with Database(tmp_path / "x.db") as lite:
        assert lite.schema_version() == LATEST


def test_init_of_a_second_station_without_station_add_is_refused_and_leaves_no_folder(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database's first station is claimed by the first workspace; another folder name
    # is another station, which only the province admin creates (broadcast station add).
    monkeypatch.setenv(DATABASE_URL_VAR, pg_url)
    first = make_workspace(tmp_path / "xa-a")
    toml = (first / "station.toml").read_text(encoding="utf-8")
    assert 'station = "xa-a"' in toml  # the code is written down: the folder may move
    second = run("init", tmp_path / "xa-b", *INIT_ARGS)
    assert second.exit_code == 2
    assert "Trạm 'xa-b' chưa có trên máy chủ của tỉnh" in second.stderr
    assert "broadcast station add xa-b" in second.stderr
    assert not (tmp_path / "xa-b").exists()
