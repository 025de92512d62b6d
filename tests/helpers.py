"""Helpers shared by tests: a workspace built in code, a CliRunner invocation, and the
workspace's store on the backend the test runs on (SQLite, or PostgreSQL for tests marked
``backends``)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from broadcast.cli import cli
from broadcast.store.db import Database
from broadcast.store.workspace import DATABASE_URL_VAR, DB_FILE, find_workspace

INIT_ARGS = [
    "--station",
    "Đài truyền thanh xã Mường La",
    "--commune",
    "Mường La",
    "--province",
    "Sơn La",
    "--languages",
    "vi,blt,hmn",
]


def runner() -> CliRunner:
    """Keep stderr apart from stdout (gTTS pins click < 8.2, where that is not the default)."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always separates them
        return CliRunner()


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return runner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


def make_workspace(root: Path) -> Path:
    result = run("init", root, *INIT_ARGS)
    assert result.exit_code == 0, result.output
    return root


def store_url() -> str | None:
    """The PostgreSQL database this test runs on (``BROADCAST_DATABASE_URL``, set by the
    ``store_backend`` fixture for tests marked ``backends``), or None: the SQLite file."""
    return os.environ.get(DATABASE_URL_VAR, "").strip() or None


def _file_of(where: Path) -> Path:
    """A workspace folder or its database file → the SQLite file of that workspace."""
    return where if where.suffix == ".db" else where / DB_FILE


def open_db(where: Path) -> Database:
    """The store of the workspace ``where`` (its folder or its ``broadcast.db``) on whichever
    backend the test runs: what ``Database(root / "broadcast.db")`` was before PostgreSQL.
    On PostgreSQL a workspace folder's connection works for that workspace's station (a
    province database holds several)."""
    url = store_url()
    folder = where.parent if where.suffix == ".db" else where
    if url is not None and (folder / "station.toml").is_file():
        return find_workspace(folder).open_db()
    return Database(url or _file_of(where))


_DML = ("INSERT", "UPDATE", "DELETE")  # the statements sqlite3 begins a transaction for


class PgRaw:
    """``sqlite3.connect(path)`` for a test on PostgreSQL: a second, raw connection that
    writes around the store (no writer lock) with the same ``?`` SQL, to prove that the
    database itself refuses what the application would never send.

    It keeps sqlite3's transaction behaviour that the tests rely on: a transaction begins
    at the first INSERT/UPDATE/DELETE and lasts until ``commit``/``rollback`` (or the end of
    a ``with conn:`` block), and a refused statement undoes only itself (SQLite's ABORT),
    which PostgreSQL gives only inside a savepoint."""

    def __init__(self, url: str, station_id: int = 1) -> None:
        self._db = Database(url)
        self._db.use_station(station_id)  # the workspace's station (row-level security)
        self._conn = self._db.conn

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        if not self._conn.in_transaction and sql.lstrip()[:6].upper() in _DML:
            self._conn.execute("BEGIN")
        if not self._conn.in_transaction:
            return self._conn.execute(sql, parameters)
        self._conn.execute("SAVEPOINT raw_statement")
        try:
            cursor = self._conn.execute(sql, parameters)
        except BaseException:
            self._conn.execute("ROLLBACK TO raw_statement")
            self._conn.execute("RELEASE raw_statement")
            raise
        self._conn.execute("RELEASE raw_statement")
        return cursor

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        last = None
        for row in parameters:
            last = self.execute(sql, row)
        return last

    def commit(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")

    def rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self.rollback()
        self._db.close()

    def __enter__(self) -> PgRaw:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        # As sqlite3's connection: commit or roll back, and stay open.
        if exc_type is None:
            self.commit()
        else:
            self.rollback()


def raw_sql(where: Path | Database) -> Any:
    """A raw connection to the workspace's store (its folder, its ``broadcast.db`` or an open
    ``Database``) that takes the same ``?`` SQL on both backends: ``sqlite3.connect`` of the
    file, as the tests always did, or ``PgRaw`` of the test's PostgreSQL database."""
    url = store_url()
    if url is None:
        return sqlite3.connect(Path(where.path) if isinstance(where, Database) else _file_of(where))
    if isinstance(where, Database):
        return PgRaw(url, where.station_id)
    with open_db(where) as db:
        return PgRaw(url, db.station_id)


def table_counts(db_path: Path) -> dict[str, int]:
    conn = raw_sql(db_path)
    try:
        names = ("articles", "scripts", "sentences", "renders", "playlist_entries")
        return {n: conn.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in names}
    finally:
        conn.close()


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def approve_content(db_path: Path | Database, script_id: int, login: str | None = None) -> None:
    """Approve a stored Vietnamese script's content as a content approver (by default the
    workspace's first admin, made if the workspace has nobody yet), as 'broadcast script
    approve' does. The fixtures' scripts are stored in code under the name 'producer', so
    the four-eyes rule does not refuse the admin; a script its approver made (a CLI run as
    that person) needs ``login`` of someone else."""
    from broadcast.people.acting import resolve_person
    from broadcast.review.vetting import approve_script

    if isinstance(db_path, Database):
        approve_script(db_path, script_id, resolve_person(db_path, login, environ={}).person)
        return
    with open_db(db_path) as db:
        approve_script(db, script_id, resolve_person(db, login, environ={}).person)
