"""PostgreSQL's baseline schema and triggers (issue 16) hold the same rules as SQLite's v17.

The files under test are ``broadcast/store/postgres_schema/baseline.sql`` and
``triggers.sql``, loaded by raw SQL (psycopg), not through the store: this checks the schema
itself. Three kinds of check:

* the schema loads into an empty database as one transaction;
* both catalogues, read independently (SQLite's ``pragma_table_info`` of a fresh v17
  database, PostgreSQL's ``information_schema``), list the same tables, columns, views,
  indexes and triggers, so the two schemas cannot drift apart unnoticed;
* the gate's refusals and state changes by raw SQL, modelled on test_gate_bypass.py and
  test_plan_entry_triggers.py: one state is built once through the store on SQLite, copied
  row for row into PostgreSQL, then the SAME statements run on both. Refusals must carry
  SQLSTATE BR001 and SQLite's exact message; after every scenario the two databases must
  hold the same rows (timestamps written by column defaults aside).

Translated texts are OBVIOUSLY SYNTHETIC ("‹blt› ZZ ...").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.resources
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from helpers import run
from pg_server import as_superuser
from psycopg import sql
from schedule_fixtures import add_render, add_script, grid_workspace, open_db, translate

from broadcast.schedule.campaign import plan_days
from broadcast.store.db import Database
from broadcast.store.workspace import find_workspace

if TYPE_CHECKING:
    from pg_server import PgTemplate

pytestmark = pytest.mark.postgres

MONDAY = dt.date(2026, 3, 2)
REFUSED = "BR001"
NOT_APPROVED = "bản thu chưa được duyệt, không được vào lịch phát (not approved)"
STALE = (
    "bản thu được làm từ văn bản khác với văn bản đang được duyệt, không được vào lịch phát; "
    "hãy dựng lại (stale render)"
)
OVERRUN = "mục phát vượt quá khung giờ (overrun)"
ROWID_TABLES = {"schedule_item_zones", "person_roles", "terms", "term_forbidden"}
"""Tables whose queries read insertion order through SQLite's rowid: PostgreSQL has a real
column of that name there (and nowhere else)."""


def schema_files() -> tuple[str, str]:
    package = importlib.resources.files("broadcast.store.postgres_schema")
    return (
        package.joinpath("baseline.sql").read_text(encoding="utf-8"),
        package.joinpath("triggers.sql").read_text(encoding="utf-8"),
    )


def load_schema(url: str) -> None:
    """Both files in one transaction (psycopg's default: autocommit off, commit on exit)."""
    baseline, triggers = schema_files()
    with psycopg.connect(url) as conn:
        conn.execute(baseline)
        conn.execute(triggers)


# -- the schema loads -------------------------------------------------------------------------


def test_the_schema_loads_into_an_empty_database_in_one_transaction(pg_url: str) -> None:
    baseline, triggers = schema_files()
    with psycopg.connect(pg_url) as conn, psycopg.connect(pg_url, autocommit=True) as other:
        conn.execute(baseline)
        conn.execute(triggers)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        seen = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        assert other.execute(seen).fetchone() == (0,)  # nothing visible before the commit
        conn.commit()
        assert other.execute(seen).fetchone() == (40,)  # 36 tables and 4 views
        # The term base's counter row is there: its triggers update it in place.
        assert conn.execute("SELECT id, changes FROM term_changes").fetchall() == [(1, 0)]


# -- the catalogues match ---------------------------------------------------------------------

Columns = dict[str, list[tuple[str, bool, bool]]]
"""table or view -> [(column, NOT NULL, has a default)] in column order."""


def sqlite_catalogue(path: Path) -> tuple[Columns, set[str], set[str], set[str]]:
    """Tables' and views' columns, view names, explicit index names, trigger names of a
    fresh SQLite database at the current version."""
    with Database(path) as db:
        conn = db.conn
        objects = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        columns: Columns = {}
        for kind, name in objects:
            if kind in ("table", "view"):
                columns[name] = [
                    # a PRIMARY KEY column is never NULL on PostgreSQL; on SQLite only an
                    # INTEGER PRIMARY KEY (the rowid) is, a TEXT one would take a NULL
                    (col, bool(notnull or pk), default is not None)
                    for col, notnull, default, pk in conn.execute(
                        'SELECT name, "notnull", dflt_value, pk FROM pragma_table_info(?)'
                        " ORDER BY cid",
                        (name,),
                    )
                ]
        views = {name for kind, name in objects if kind == "view"}
        indexes = {name for kind, name in objects if kind == "index"}
        triggers = {name for kind, name in objects if kind == "trigger"}
    return columns, views, indexes, triggers


def pg_catalogue(url: str) -> tuple[Columns, set[str], set[str], set[str]]:
    with psycopg.connect(url, autocommit=True) as conn:
        columns: Columns = {}
        for table, column, nullable, default, identity in conn.execute(
            "SELECT table_name, column_name, is_nullable, column_default, is_identity"
            " FROM information_schema.columns WHERE table_schema = 'public'"
            " ORDER BY table_name, ordinal_position"
        ):
            # an identity column has no default in the catalogue: SQLite's rowid has none
            has_default = default is not None and identity == "NO"
            columns.setdefault(table, []).append((column, nullable == "NO", has_default))
        views = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.views WHERE table_schema = 'public'"
            )
        }
        indexes = {
            r[0]
            for r in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
        }
        triggers = {
            r[0] for r in conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        }
    return columns, views, indexes, triggers


def test_postgres_has_the_tables_columns_views_and_triggers_of_sqlite_v17(
    pg_url: str, tmp_path: Path
) -> None:
    load_schema(pg_url)
    lite_columns, lite_views, lite_indexes, lite_triggers = sqlite_catalogue(tmp_path / "x.db")
    pg_columns, pg_views, pg_indexes, pg_triggers = pg_catalogue(pg_url)
    # SQLite is at the latest version; the baseline is v17: take migrations 19 and 18 back
    # out (19: where each memory pair, term and drafted segment came from).
    for table in ("tm_segments", "terms"):
        assert lite_columns[table][-2:] == [("from_station", False, False),
                                            ("created_by", True, True)], table  # fmt: skip
        del lite_columns[table][-2:]
    assert lite_columns["segments"][-1] == ("origin_from", True, True)
    del lite_columns["segments"][-1]
    del lite_columns["stations"]
    for table in SHARED_TABLES:
        assert lite_columns[table][-1] == ("station_id", False, True), table
        del lite_columns[table][-1]

    for table in ROWID_TABLES:  # the one addition: a rowid column, last, never NULL
        assert pg_columns[table][-1] == ("rowid", True, False), table
        del pg_columns[table][-1]
    assert sorted(pg_columns) == sorted(lite_columns)
    for table, columns in lite_columns.items():
        assert pg_columns[table] == columns, table
    assert (
        pg_views
        == lite_views
        == {
            "approved_segments",
            "approved_languages",
            "current_renders",
            "planned_plays",
        }
    )
    assert len(lite_triggers) == 39
    # Each SQLite trigger under its rank-prefixed name (brNN_: SQLite's firing order), plus
    # the AFTER halves of the two self-updates that became BEFORE triggers, and the deferred
    # flush of the memory's change counter (counted once per transaction on PostgreSQL).
    assert {name[5:] for name in pg_triggers} == lite_triggers | {
        "segments_void_approval_after",
        "sentences_text_changed_after",
        "tm_segments_count_flush",
    }
    assert len(pg_triggers) == 42
    # Every index SQLite was given by name exists by that name (UNIQUE/PRIMARY KEY ones are
    # constraints on both sides); the NOCASE login index is PostgreSQL's own.
    assert lite_indexes - pg_indexes == {
        name for name in lite_indexes if name.startswith("sqlite_autoindex_")
    }
    assert "people_login_nocase" in pg_indexes


SHARED_TABLES = {"people", "person_roles", "terms", "term_forbidden", "tm_segments"}
"""Tables whose rows may belong to the whole province (station_id NULL), on both stores."""

UNSTATIONED = {"schema_migrations", "stations", "tm_changes", "term_changes"}
"""PostgreSQL tables without a station: bookkeeping, the stations themselves, counters."""


def test_migration_18_gives_every_record_a_station_on_postgres_and_the_shared_ones_on_sqlite(
    pg_url: str, tmp_path: Path
) -> None:
    Database(pg_url).close()  # baseline + migration 18, as a station's first open does
    lite_columns, lite_views, _, _ = sqlite_catalogue(tmp_path / "x.db")
    pg_columns, _, pg_indexes, _ = pg_catalogue(pg_url)
    assert pg_columns["stations"] == lite_columns["stations"]
    lite_tables = set(lite_columns) - lite_views
    for table in lite_tables - UNSTATIONED:
        on_pg = dict((c, (n, d)) for c, n, d in pg_columns[table])
        # NOT NULL on station tables; NULL allowed (= the province) on the shared ones
        assert on_pg["station_id"] == (table not in SHARED_TABLES, True), table
        on_lite = {c for c, _, _ in lite_columns[table]}
        assert ("station_id" in on_lite) == (table in SHARED_TABLES), table
    for table in UNSTATIONED:
        assert "station_id" not in {c for c, _, _ in pg_columns[table]}, table
    with psycopg.connect(pg_url, autocommit=True) as conn:
        guarded = {
            r[0]
            for r in conn.execute(
                "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
                " AND relnamespace = 'public'::regnamespace"
            )
        }
        assert conn.execute("SELECT slug FROM stations").fetchall() == [("",)]
    assert guarded == lite_tables - UNSTATIONED
    assert {"person_roles_key", "terms_key", "tm_segments_key"} <= pg_indexes


# -- the same statements on both stores -------------------------------------------------------

STAMPED = ("strftime(",)
"""Columns whose default writes the clock: their values differ between two runs."""


@dataclass
class Stores:
    """The same state in a SQLite file and a PostgreSQL database, both in autocommit (one
    statement = one transaction, so a refused statement leaves nothing behind on either)."""

    lite: sqlite3.Connection
    pg: psycopg.Connection

    def both(self, statement: str, params: Sequence[object] = ()) -> str | None:
        """Run ``statement`` on both; None when both accept it, else the refusal's message,
        after checking that PostgreSQL refused it with BR001 and SQLite's exact words."""
        assert "%" not in statement
        lite_message = None
        try:
            self.lite.execute(statement, params)
        except sqlite3.IntegrityError as exc:
            lite_message = str(exc)
        try:
            self.pg.execute(statement.replace("?", "%s"), params)
        except psycopg.Error as exc:
            assert (exc.sqlstate, exc.diag.message_primary) == (REFUSED, lite_message)
            return lite_message
        assert lite_message is None, f"PostgreSQL accepted what SQLite refused: {lite_message}"
        return None

    def pg_one(self, query: str, params: Sequence[object] = ()) -> tuple[object, ...]:
        row = self.pg.execute(query.replace("?", "%s"), params).fetchone()
        assert row is not None
        return tuple(row)

    def pg_all(self, query: str) -> list[tuple[object, ...]]:
        return [tuple(r) for r in self.pg.execute(query)]

    def assert_same_rows(self) -> None:
        pg, lite = pg_rows(self.pg, self.lite), lite_rows(self.lite)
        differing = {
            table: {
                "only on PostgreSQL": [r for r in pg[table] if r not in rows],
                "only on SQLite": [r for r in rows if r not in pg[table]],
            }
            for table, rows in lite.items()
            if pg[table] != rows
        }
        assert not differing


# Migration 19's columns (where each memory pair, term and drafted segment came from): not
# in the baseline either.
MIGRATION_19 = {
    ("tm_segments", "from_station"),
    ("tm_segments", "created_by"),
    ("terms", "from_station"),
    ("terms", "created_by"),
    ("segments", "origin_from"),
}


def _columns(lite: sqlite3.Connection) -> dict[str, list[str]]:
    """Every table's columns but those stamped by the clock."""
    tables = [
        r[0]
        for r in lite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'stations'"  # migration 18: these stores are at the baseline, v17
        )
    ]
    return {
        table: [
            name
            for name, default in lite.execute(
                "SELECT name, dflt_value FROM pragma_table_info(?) ORDER BY cid", (table,)
            )
            if not (default and any(mark in default for mark in STAMPED))
            and name != "station_id"
            and (table, name) not in MIGRATION_19
        ]
        for table in tables
    }


def _normal(rows: Iterable[Sequence[object]]) -> list[tuple[object, ...]]:
    return sorted((tuple(r) for r in rows), key=repr)


def lite_rows(lite: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: _normal(lite.execute(f"SELECT {', '.join(cols)} FROM {table}"))
        for table, cols in _columns(lite).items()
    }


def pg_rows(
    pg: psycopg.Connection, lite: sqlite3.Connection
) -> dict[str, list[tuple[object, ...]]]:
    select = "SELECT {} FROM {}"
    return {
        table: _normal(
            pg.execute(
                sql.SQL(select).format(
                    sql.SQL(", ").join(map(sql.Identifier, cols)), sql.Identifier(table)
                )
            )
        )
        for table, cols in _columns(lite).items()
    }


def copy_into_postgres(source: Path, url: str) -> None:
    """Every row of the SQLite file into the (schema-loaded) PostgreSQL database, ids
    included, with triggers and foreign-key checks off while copying (session replication
    role); then every identity continues after the highest id, as SQLite's would."""
    lite = sqlite3.connect(source)
    try:
        # session_replication_role is the superuser's: the harness's own role copies
        with psycopg.connect(as_superuser(url)) as pg:
            pg.execute("SET session_replication_role = replica")
            for table, cols in _all_columns(lite).items():
                pg.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
                rows = lite.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid")
                insert = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                    sql.Identifier(table),
                    sql.SQL(", ").join(map(sql.Identifier, cols)),
                    sql.SQL(", ").join(sql.Placeholder() * len(cols)),
                )
                with pg.cursor() as cur:
                    cur.executemany(insert, rows.fetchall())
            sequences = dict(lite.execute("SELECT name, seq FROM sqlite_sequence").fetchall())
            for table, column in pg.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND is_identity = 'YES'"
                " AND identity_generation = 'BY DEFAULT'"
            ).fetchall():
                top = pg.execute(
                    sql.SQL("SELECT MAX({}) FROM {}").format(
                        sql.Identifier(column), sql.Identifier(table)
                    )
                ).fetchone()
                last = max(top[0] if top and top[0] else 0, sequences.get(table, 0))
                if last:
                    pg.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, %s), %s)", (table, column, last)
                    )
            pg.execute("SET session_replication_role = DEFAULT")
    finally:
        lite.close()


def _all_columns(lite: sqlite3.Connection) -> dict[str, list[str]]:
    """Every column of every table of the SQLite file, but migration 18's (the PostgreSQL
    side of these comparisons is the baseline, v17)."""
    return {
        table: [
            r[0]
            for r in lite.execute("SELECT name FROM pragma_table_info(?)", (table,))
            if r[0] != "station_id" and (table, r[0]) not in MIGRATION_19
        ]
        for (table,) in lite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'stations' ORDER BY rowid"
        )
    }


@pytest.fixture(scope="module")
def gate_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The state of test_gate_bypass.py's workspace, built through the store on SQLite:
    script 1 ('mot-cua') in vi (content approved) and blt (approved), each with an audio
    render made from the approved text; hmn translated but not approved, with a render; an
    item airing script 1 from Monday, and Monday planned."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("BROADCAST_DATABASE_URL", raising=False)  # this state is built on SQLite
        root = grid_workspace(tmp_path_factory.mktemp("pg_gate") / "ws")
        with open_db(root) as db:
            one = add_script(db, "mot-cua", vi_seconds=90.0)
            translate(db, one, "blt", approve=True)
            add_render(db, one, "blt", 100.0)
            translate(db, one, "hmn", approve=False)
            add_render(db, one, "hmn", 95.0)
        result = run("-w", root, "schedule", "add", "mot-cua", "--from", "2026-03-02", "--to",
                     "2026-03-15")  # fmt: skip
        assert result.exit_code == 0, result.stderr
        plan_days(find_workspace(root), MONDAY, 1)
    return root / "broadcast.db"


@pytest.fixture
def stores(
    gate_source: Path,
    pg_template: Callable[[str, Callable[[str], None]], PgTemplate],
    tmp_path: Path,
) -> Iterator[Stores]:
    def fill(url: str) -> None:
        load_schema(url)
        copy_into_postgres(gate_source, url)

    template = pg_template("pg_schema_gate", fill)
    copy = tmp_path / "b.db"
    shutil.copy(gate_source, copy)
    lite = sqlite3.connect(copy, isolation_level=None)
    lite.execute("PRAGMA foreign_keys = ON")
    try:
        with template.clone("gate") as url, psycopg.connect(url, autocommit=True) as pg:
            found = Stores(lite, pg)
            found.assert_same_rows()  # the copy is faithful before anything runs
            yield found
    finally:
        lite.close()


def _render(stores: Stores, language: str) -> int:
    return int(stores.pg_one("SELECT id FROM renders WHERE language = ?", (language,))[0])


def test_append_only_and_never_updated_rows_are_refused(stores: Stores) -> None:
    counts = "SELECT (SELECT COUNT(*) FROM approvals), (SELECT COUNT(*) FROM review_audit)"
    before = stores.pg_one(counts)
    assert min(before) > 0  # the approvals and the audit trail of the translations are there
    stores.both(
        "INSERT INTO tm_segments (language, source, target) VALUES ('blt', 'Tin.', '‹blt› ZZ')"
    )
    assert stores.pg_one("SELECT changes FROM tm_changes WHERE language = 'blt'") == (1,)
    refusals = [
        ("UPDATE approvals SET role = 'admin'", "approvals is append-only"),
        ("DELETE FROM approvals", "approvals is append-only"),
        ("UPDATE review_audit SET detail = 'xoá dấu vết'", "review_audit is append-only"),
        ("DELETE FROM review_audit", "review_audit is append-only"),
        ("UPDATE tm_segments SET target = '‹blt› ZZ khác'", "tm_segments rows are never updated"),
        ("UPDATE render_texts SET text_sha256 = 'x'", "render_texts rows are never updated"),
        (
            "UPDATE translations SET state = 'approved' WHERE language = 'hmn'",
            "translation has segments that are not approved",
        ),
        (  # hmn's render is not approved either: SQLite's order says 'frozen' first
            "INSERT INTO playlist_entries (render_id, slot_start, zone, position, playlist_path)"
            f" VALUES ({_render(stores, 'hmn')}, '2026-03-02T06:00', 'all', 0, 'x.m3u8')",
            "danh sách phát riêng của produce đã bỏ: lịch phát chỉ lập từ mục phát "
            "(broadcast schedule add, broadcast schedule plan)",
        ),
    ]
    for statement, message in refusals:
        assert stores.both(statement) == message, statement
    assert stores.pg_one(counts) == before
    stores.assert_same_rows()


def test_an_unapproved_render_is_refused_from_items_and_plans(stores: Stores) -> None:
    """test_gate_bypass test_3 and test_plan_entry_triggers: hmn's segments and translation
    marked approved by SQL (a forgery: no approvals rows) do not make its render airable."""
    hmn = _render(stores, "hmn")
    forged = "‹hmn› ZZ forged"
    assert (
        stores.both(
            "UPDATE segments SET target = ?, state = 'approved', approved_sha256 = ?"
            " WHERE translation_id = (SELECT id FROM translations WHERE language = 'hmn')",
            (forged, hashlib.sha256(forged.encode()).hexdigest()),
        )
        is None
    )
    assert stores.both("UPDATE translations SET state = 'approved' WHERE language = 'hmn'") is None
    assert stores.pg_one("SELECT COUNT(*) FROM approved_languages WHERE language = 'hmn'") == (0,)
    assert (
        stores.both(
            "INSERT INTO schedule_item_renders (item_id, language, render_id) VALUES (1, 'hmn', ?)",
            (hmn,),
        )
        == NOT_APPROVED
    )
    slot = stores.pg_one("SELECT id, starts_at FROM plan_slots ORDER BY id LIMIT 1")
    assert (
        stores.both(
            "INSERT INTO plan_entries (plan_slot_id, position, kind, item_id, render_id,"
            " starts_at, duration_s) VALUES (?, 99, 'item', 1, ?, ?, 10)",
            (slot[0], hmn, slot[1]),
        )
        == NOT_APPROVED
    )
    planned = stores.pg_one("SELECT COUNT(*) FROM plan_entries WHERE kind = 'item'")[0]
    assert isinstance(planned, int) and planned > 0
    assert stores.both("UPDATE plan_entries SET render_id = ? WHERE kind = 'item'", (hmn,)) == (
        NOT_APPROVED
    )
    assert stores.pg_one("SELECT COUNT(*) FROM plan_entries WHERE render_id = ?", (hmn,)) == (0,)
    stores.assert_same_rows()


def test_a_plan_entry_past_its_slot_is_refused(stores: Stores) -> None:
    blt, hmn = _render(stores, "blt"), _render(stores, "hmn")  # blt: 100 s, approved
    stores.both(
        "INSERT INTO plan_slots (id, zone, day, starts_at, ends_at, kind) VALUES (900, 'x',"
        " '2026-03-20', '2026-03-20T06:00:00', '2026-03-20T06:15:00', 'local')"
    )
    entry = (
        "INSERT INTO plan_entries (plan_slot_id, position, kind, item_id, render_id,"
        " starts_at, duration_s) VALUES (900, ?, 'item', 1, ?, ?, 100)"
    )
    # (the accepted entry first: a refused INSERT still uses up a number of PostgreSQL's
    # identity, SQLite would hand the same id out again)
    assert stores.both(entry, (0, blt, "2026-03-20T06:13:20")) is None  # ends on the dot
    assert stores.both(entry, (1, blt, "2026-03-20T06:14:00")) == OVERRUN  # ends 06:15:40
    assert stores.both(entry, (1, blt, "2026-03-20T05:59:59")) == OVERRUN  # starts before
    # Unapproved AND past the slot: SQLite's firing order says 'not approved' first.
    assert stores.both(entry, (1, hmn, "2026-03-20T06:14:00")) == NOT_APPROVED
    assert stores.pg_one("SELECT COUNT(*) FROM plan_entries WHERE plan_slot_id = 900") == (1,)
    stores.assert_same_rows()


def test_changing_an_approved_segment_voids_it(stores: Stores) -> None:
    blt = _render(stores, "blt")
    segment, old_sha = stores.pg_one(
        "SELECT g.id, g.approved_sha256 FROM segments g JOIN translations t"
        " ON t.id = g.translation_id WHERE t.language = 'blt' AND g.position = 1"
    )
    assert stores.pg_one("SELECT COUNT(*) FROM plan_entries WHERE render_id = ?", (blt,))[0] != 0
    changed = "‹blt› ZZ changed by sql"
    assert stores.both("UPDATE segments SET target = ? WHERE id = ?", (changed, segment)) is None

    assert stores.pg_one(
        "SELECT state, approved_sha256 FROM segments WHERE id = ?", (segment,)
    ) == (
        "in_review",
        None,
    )
    assert stores.pg_one("SELECT state FROM translations WHERE language = 'blt'") == ("in_review",)
    assert stores.pg_one(
        "SELECT segment_id, kind, approved_by, sha256 FROM approvals ORDER BY id DESC LIMIT 1"
    ) == (segment, "void", "database", old_sha)
    assert stores.pg_one(
        "SELECT position, action, actor, detail, sha256 FROM review_audit ORDER BY id DESC LIMIT 1"
    ) == (1, "void", "database", "approved text changed", old_sha)
    # The render voicing the old text left the plan at once, and that was logged.
    assert stores.pg_one("SELECT COUNT(*) FROM plan_entries WHERE render_id = ?", (blt,)) == (0,)
    assert stores.pg_one(
        "SELECT COUNT(*) FROM onair_withdrawals WHERE render_id = ? AND source = 'plan_entries'",
        (blt,),
    ) == (1,)
    stores.assert_same_rows()

    # Re-approved genuinely (an approvals row of the new text, then the states), the old
    # render is approved in language but voices the old text: 'stale render'.
    new_sha = hashlib.sha256(changed.encode()).hexdigest()
    stores.both(
        "INSERT INTO approvals (script_id, language, segment_id, approved_by, role, sha256)"
        " VALUES (1, 'blt', ?, 'Lò Văn A', 'reviewer', ?)",
        (segment, new_sha),
    )
    stores.both(
        "UPDATE segments SET state = 'approved', approved_sha256 = ? WHERE id = ?",
        (new_sha, segment),
    )
    stores.both("UPDATE translations SET state = 'approved' WHERE language = 'blt'")
    assert stores.pg_one("SELECT COUNT(*) FROM approved_languages WHERE language = 'blt'") == (1,)
    stores.both("DELETE FROM schedule_item_renders WHERE language = 'blt'")
    assert (
        stores.both(
            "INSERT INTO schedule_item_renders (item_id, language, render_id) VALUES (1, 'blt', ?)",
            (blt,),
        )
        == STALE
    )
    stores.assert_same_rows()


def test_changing_a_sentence_voids_its_approvals(stores: Stores) -> None:
    """test_gate_bypass test_4: the source sentence 1 rewritten by SQL."""
    assert {r[0] for r in stores.pg_all("SELECT DISTINCT language FROM planned_plays")} == {
        "vi",
        "blt",
    }
    content_sha = stores.pg_one(
        "SELECT sha256 FROM approvals WHERE segment_id IS NULL AND language = 'vi'"
        " ORDER BY id DESC LIMIT 1"
    )[0]
    new = "Người dân nộp hồ sơ qua bưu điện."
    assert (
        stores.both("UPDATE sentences SET written = ?, spoken = ? WHERE position = 1", (new, new))
        is None
    )
    assert stores.pg_one("SELECT text_sha256 FROM sentences WHERE position = 1") == (None,)
    assert stores.pg_all(
        "SELECT t.language, g.state, g.approved_sha256, g.source FROM segments g"
        " JOIN translations t ON t.id = g.translation_id WHERE g.position = 1 ORDER BY 1"
    ) == [("blt", "in_review", None, new), ("hmn", "draft", None, new)]
    # The content approval is void (a row copying its hash), and the audit says why.
    assert stores.pg_one(
        "SELECT kind, approved_by, sha256 FROM approvals WHERE segment_id IS NULL"
        " ORDER BY id DESC LIMIT 1"
    ) == ("void", "database", content_sha)
    details = {
        r[0] for r in stores.pg_all("SELECT detail FROM review_audit WHERE actor = 'database'")
    }
    assert details == {"câu nguồn đã đổi", "nội dung kịch bản đã đổi sau khi duyệt"}
    # Neither the translation nor the Vietnamese audio (made from the old sentence) airs.
    assert stores.pg_all("SELECT language FROM planned_plays") == []
    assert stores.pg_all("SELECT * FROM current_renders") == []
    stores.assert_same_rows()


def test_multi_row_changes_end_in_the_same_state(stores: Stores) -> None:
    """PostgreSQL runs AFTER ROW triggers at the end of the statement, SQLite after each
    row: statements touching several rows must still leave the same rows behind."""
    assert stores.both("UPDATE segments SET target = target || ' (sửa)'") is None
    stores.assert_same_rows()
    assert (
        stores.both("UPDATE sentences SET written = written || ' ', spoken = spoken || ' '") is None
    )
    stores.assert_same_rows()
    assert stores.both("DELETE FROM sentences WHERE position = 0") is None
    stores.assert_same_rows()


_SUBMISSION = (
    "INSERT INTO department_submissions (department, month, article, title, sha256, due_date,"
    " on_time, submitted_by) VALUES ('d', '{}', 'a.md', 'T', 's', '2026-03-05', 1, 'u')"
)
_PERSON = "INSERT INTO people (login, display_name) VALUES ('{}', 'Lò Văn B')"
MORE_STATEMENTS = {
    # segments: the self-update of segments_void_approval and what SQLite fires from it
    "target-and-new-hash": [
        "UPDATE segments SET target = 'x', approved_sha256 = 'y' WHERE state = 'approved'"
    ],
    "target-state-kept": [
        "UPDATE segments SET target = 'x', state = 'approved' WHERE state = 'approved'"
    ],
    "target-unapproved": [
        "UPDATE segments SET target = 'x', state = 'in_review', approved_sha256 = NULL"
    ],
    "positions": [
        "UPDATE sentences SET position = position + 10",
        "UPDATE segments SET position = position + 5",
    ],
    "segment-deleted": ["DELETE FROM segments WHERE position = 0"],
    "segment-added-mt": [  # SQLite's LIKE 'mt:%' ignores ASCII case: so does ILIKE
        "INSERT INTO segments (translation_id, position, source, target, origin)"
        " SELECT id, 7, 's', 't', 'MT:argos' FROM translations WHERE language = 'blt'"
    ],
    "translation-unapproved": [
        "UPDATE translations SET state = 'in_review' WHERE language = 'blt'"
    ],
    "translation-deleted": ["DELETE FROM translations WHERE language = 'blt'"],
    # sentences: the self-update of sentences_text_changed and the sweeps around it
    "hash-cleared": ["UPDATE sentences SET text_sha256 = NULL WHERE position = 0"],
    "text-with-new-hash": ["UPDATE sentences SET written = 'Mới.', text_sha256 = 'abc'"],
    "text-with-null-hash": [
        "UPDATE sentences SET written = 'Mới.', spoken = 'Mới.', text_sha256 = NULL"
    ],
    "spoken-then-hash": [
        "UPDATE sentences SET spoken = spoken || '.' WHERE position = 0",
        "UPDATE sentences SET text_sha256 = 'h' WHERE position = 0",
    ],
    "same-text": ["UPDATE sentences SET written = written"],
    "two-translations": [
        "INSERT INTO approvals (script_id, language, segment_id, approved_by, role, sha256)"
        " SELECT 1, 'hmn', g.id, 'Giàng A Páo', 'reviewer', 'h' || g.position FROM segments g"
        " JOIN translations t ON t.id = g.translation_id WHERE t.language = 'hmn'",
        "UPDATE segments SET state = 'approved', approved_sha256 = 'h' || position"
        " WHERE translation_id = (SELECT id FROM translations WHERE language = 'hmn')",
        "UPDATE translations SET state = 'approved' WHERE language = 'hmn'",
        "UPDATE sentences SET written = 'Z', spoken = 'Z' WHERE position = 1",
        "UPDATE sentences SET written = 'Y', spoken = 'Y'",
    ],
    "sentence-added": [
        "INSERT INTO sentences (script_id, position, role, written, spoken)"
        " VALUES (1, 5, 'body', 'Thêm.', 'Thêm.')"
    ],
    "sentences-deleted": ["DELETE FROM sentences"],
    "render-deleted": ["DELETE FROM renders WHERE language = 'hmn'"],
    # counters, defaults, CHECKs
    "script-named-by-slug": [
        "INSERT INTO scripts (article_id, slug, title, language, target_minutes)"
        " VALUES (1, 'moi', 'Mới', 'vi', 1)"
    ],
    "term-counters": [
        "INSERT INTO terms (term, term_key, language, target, status)"
        " VALUES ('a', 'a', 'blt', 'b', 'proposed')",
        "UPDATE terms SET note = 'n'",
        "INSERT INTO term_forbidden (term_key, language, variant) VALUES ('a', 'blt', 'c')",
        "DELETE FROM term_forbidden",
        "DELETE FROM terms",
    ],
    "month-pattern": [_SUBMISSION.format("2026-13"), _SUBMISSION.format("2026-1x")],
    "login-case": [_PERSON.format("lo.van.b"), _PERSON.format("LO.VAN.B")],
}


@pytest.mark.parametrize("name", sorted(MORE_STATEMENTS))
def test_more_raw_statements_end_in_the_same_state(stores: Stores, name: str) -> None:
    """Statements that make the triggers call each other (or meet a CHECK): both stores
    accept or refuse each one alike and hold the same rows after each (ids included)."""
    for statement in MORE_STATEMENTS[name]:
        lite_error = pg_error = None
        try:
            stores.lite.execute(statement)
        except sqlite3.Error as exc:
            lite_error = str(exc)
        try:
            stores.pg.execute(statement)
        except psycopg.Error as exc:
            pg_error = exc.diag.message_primary
        assert (lite_error is None) == (pg_error is None), (statement, lite_error, pg_error)
        stores.assert_same_rows()
