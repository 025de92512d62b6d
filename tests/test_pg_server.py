"""The throw-away PostgreSQL server the PostgreSQL store's tests run on (tests/pg_server.py)
and its fixtures: a server that answers over its socket in UTF-8, a fresh empty database per
test, cheap clones of a template, and a stop that leaves no process and no folder behind."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
import pytest
from helpers import make_workspace
from pg_server import PgServer, _alive, database

from broadcast.store.workspace import find_workspace

pytestmark = pytest.mark.postgres

VIETNAMESE = "Thông báo của UBND xã Đắk Pxi: lịch tiêm chủng đợt 2 — “đúng giờ”."


def test_server_answers_over_its_socket_in_utf8(pg_server: PgServer, pg_url: str) -> None:
    assert "host=%2F" in pg_url and pg_url.startswith("postgresql://broadcast_store@/")
    assert (pg_server.socket_dir / ".s.PGSQL.5432").is_socket()
    with psycopg.connect(pg_url) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        assert version is not None and int(version[0].split(".")[0]) >= 15
        assert conn.execute("SHOW server_encoding").fetchone() == ("UTF8",)
        assert conn.execute("SHOW fsync").fetchone() == ("off",)
        assert conn.execute("SELECT current_user").fetchone() == ("broadcast_store",)
        conn.execute("CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL)")
        conn.execute("INSERT INTO notes VALUES (1, %s)", (VIETNAMESE,))
        row = conn.execute("SELECT body, length(body), upper(body) FROM notes").fetchone()
    assert row == (VIETNAMESE, len(VIETNAMESE), VIETNAMESE.upper())


def _tables(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    return sorted(r[0] for r in rows)


def _owner_and_name(url: str) -> tuple[str, str]:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT pg_get_userbyid(datdba), datname FROM pg_database "
            "WHERE datname = current_database()"
        ).fetchone()
    assert row is not None
    return row[0], row[1]


def test_two_pg_urls_are_different_empty_databases(pg_server: PgServer, pg_url: str) -> None:
    # A second database made the way pg_url makes its own (a test can ask for it only once).
    with database(pg_server, "second") as other:
        assert other != pg_url
        assert _owner_and_name(pg_url)[1] != _owner_and_name(other)[1]
        assert _owner_and_name(other)[0] == "broadcast_store"
        assert _tables(pg_url) == [] and _tables(other) == []
        with psycopg.connect(pg_url) as conn:
            conn.execute("CREATE TABLE only_here (x int)")
        assert _tables(pg_url) == ["only_here"] and _tables(other) == []
        other_name = _owner_and_name(other)[1]
    assert other_name not in pg_server.databases()


def test_template_clones_carry_its_table_and_row(pg_server: PgServer, pg_template) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def setup(url: str) -> None:
        calls.append(url)
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE stations (id bigint PRIMARY KEY, name text NOT NULL)")
            conn.execute("INSERT INTO stations VALUES (1, %s)", (VIETNAMESE,))
        # A connection left open, as a kept connection of the store would be: sealing
        # the template must end it, or every clone would fail with ObjectInUse.
        psycopg.connect(url)

    template = pg_template("stations", setup)
    assert pg_template("stations", setup) is template and len(calls) == 1
    with template.clone() as first, template.clone() as second:
        assert first != second
        for url in (first, second):
            with psycopg.connect(url) as conn:
                assert conn.execute("SELECT id, name FROM stations").fetchall() == [(1, VIETNAMESE)]
        with psycopg.connect(first) as conn:
            conn.execute("INSERT INTO stations VALUES (2, 'chỉ ở bản sao đầu')")
        with psycopg.connect(second) as conn:
            assert conn.execute("SELECT count(*) FROM stations").fetchone() == (1,)
        clone_name = _owner_and_name(first)[1]
    assert clone_name not in pg_server.databases()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(calls[0])  # sealed: the template itself takes no connection


def test_stopping_leaves_no_process_and_no_folder() -> None:
    server = PgServer().start()
    folder, pid = server.folder, server.pid
    assert folder is not None and pid is not None
    assert server.running() and _alive(pid)
    conn = psycopg.connect(server.url(), autocommit=True)
    try:
        conn.execute("SELECT 1")
        server.stop()  # an open session does not hold the immediate stop back
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")
    finally:
        conn.close()
    assert not _alive(pid)
    assert not folder.exists() and not server.running()
    server.stop()  # twice is harmless


class TestBackendsMarker:
    """The parametrisation itself, on an empty database (``pg_store_url`` overridden here
    so that these tests check the harness, not the store's migration)."""

    @pytest.fixture
    def pg_store_url(self, pg_url: str) -> str:
        return pg_url

    @pytest.mark.backends
    def test_runs_the_test_once_per_store(self, store_backend: str) -> None:
        url = os.environ.get("BROADCAST_DATABASE_URL")
        if store_backend == "sqlite":
            assert url is None
        else:
            assert store_backend == "postgresql" and url is not None
            assert _tables(url) == []

    @pytest.mark.backends
    def test_the_marker_alone_pulls_the_fixture_in(self, request: pytest.FixtureRequest) -> None:
        backend = request.node.callspec.params["store_backend"]
        assert backend in ("sqlite", "postgresql")
        assert ("BROADCAST_DATABASE_URL" in os.environ) == (backend == "postgresql")
        # The PostgreSQL half is marked ``postgres`` (so ``-m "not postgres"`` leaves it out).
        own = {mark.name for mark in request.node.own_markers}
        assert ("postgres" in own) == (backend == "postgresql")


@pytest.mark.backends
def test_a_workspace_opens_the_store_its_backend_names(tmp_path: Path, store_backend: str) -> None:
    root = make_workspace(tmp_path / "ws")
    db = find_workspace(root).open_db()
    try:
        version = db.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    finally:
        db.close()
    assert version >= 17
    url = os.environ.get("BROADCAST_DATABASE_URL")
    if store_backend == "sqlite":
        assert url is None and (root / "broadcast.db").is_file()
    else:
        assert url is not None and not (root / "broadcast.db").exists()
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        assert row == (version,)


def test_the_store_refuses_a_role_that_row_level_security_does_not_bind(
    pg_server: PgServer, pg_url: str
) -> None:
    # The harness's superuser would see every commune's rows: the store says so and stops.
    from pg_server import as_superuser

    from broadcast.store.db import Database, DatabaseFailure

    with pytest.raises(DatabaseFailure) as refused:
        Database(as_superuser(pg_url))
    assert "broadcast_test" in refused.value.message and "createuser" in refused.value.message
    with pg_server.connect(unquote(urlsplit(pg_url).path.lstrip("/"))) as conn:
        tables = conn.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)  # refused before it created anything
