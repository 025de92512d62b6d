"""Two stations of one province server (issue 16, item 2) for the station tests.

A province server is one PostgreSQL database and one shared folder with a sub-folder per
station. The tests build it the way a province does: ``broadcast init`` of the first
station's folder on an empty database (its first person becomes the province admin), then
``broadcast station add`` run by that admin, which writes the second station's row, its
folder beside the first and its admin.

What the tests then read past row-level security is read as the harness's superuser
(``pg_server.as_superuser``): the one connection that sees every station's rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from helpers import INIT_ARGS, run
from pg_server import PgTemplate, as_superuser
from schedule_fixtures import GRID, write_grid

from broadcast.store.workspace import DATABASE_URL_VAR

A_SLUG, B_SLUG = "xa-a", "xa-b"
B_NAME = "Đài truyền thanh xã B"
B_ADMIN = "b.admin"
PROVINCE_ADMIN = "quantri"
"""The first admin, named to ``init`` (else it would be the system user, $USER)."""

TemplateFactory = Callable[[str, Callable[[str], None]], PgTemplate]


def _migrate(url: str) -> None:
    """The store's schema by its own migration (conftest's template "store" does the same;
    whichever runs first fills it, the other reuses it)."""
    from broadcast.store.db import open_database

    open_database(url).close()


@contextlib.contextmanager
def province_database(pg_template: TemplateFactory, hint: str) -> Iterator[str]:
    """A fresh migrated database for a whole module (``pg_store_url`` is per test): a copy of
    the session's "store" template, dropped at the end."""
    with pg_template("store", _migrate).clone(hint) as url:
        yield url


def init_station_a(root: Path, *, grid: bool = False) -> Path:
    """Station A by ``broadcast init`` (on an empty province database its first admin is the
    province admin), with the schedule tests' zones and slots when ``grid``."""
    result = run("init", root, *INIT_ARGS, "--admin", PROVINCE_ADMIN)
    assert result.exit_code == 0, result.stderr
    if grid:
        write_grid(root, GRID)
    return root


def add_station_b(a_root: Path) -> Path:
    """Station B beside ``a_root``, added by the province admin, with its own admin."""
    result = run(
        "-w", a_root, "station", "add", B_SLUG, "--ten", B_NAME, "--quan-tri", B_ADMIN
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return a_root.parent / B_SLUG


@contextlib.contextmanager
def database_url(url: str) -> Iterator[None]:
    """``BROADCAST_DATABASE_URL`` set to ``url`` inside the block: for a module-scoped setup,
    which runs outside any test's ``monkeypatch``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATABASE_URL_VAR, url)
        yield


def superuser_rows(url: str, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Rows of every station (the superuser is not subject to row-level security)."""
    with psycopg.connect(as_superuser(url)) as conn:
        return list(conn.execute(sql, args).fetchall())


def station_id(url: str, slug: str) -> int:
    rows = superuser_rows(url, "SELECT id FROM stations WHERE slug = %s", (slug,))
    assert len(rows) == 1, rows
    return int(str(rows[0][0]))


def station_tables(url: str) -> list[str]:
    """Every table of the store that has a ``station_id``."""
    rows = superuser_rows(
        url,
        "SELECT c.table_name FROM information_schema.columns c"
        " JOIN information_schema.tables t"
        "   ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
        " WHERE c.table_schema = current_schema() AND c.column_name = 'station_id'"
        "   AND t.table_type = 'BASE TABLE' ORDER BY c.table_name",
    )
    return [str(r[0]) for r in rows]


def fingerprint(url: str, station: int) -> dict[str, tuple[int, str]]:
    """Per table with ``station_id``: how many rows ``station`` has and a hash of their whole
    text, so any insert, update or delete of that station's rows changes it."""
    out: dict[str, tuple[int, str]] = {}
    with psycopg.connect(as_superuser(url)) as conn:
        for table in station_tables(url):
            row = conn.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                f' FROM "{table}" t WHERE station_id = %s',
                (station,),
            ).fetchone()
            assert row is not None
            out[table] = (int(row[0]), str(row[1]))
    return out
