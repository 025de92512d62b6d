"""The PostgreSQL backend of the store: ``PostgresDatabase`` over psycopg 3.

The store's SQL is written once, with ``?`` placeholders, for SQLite; this module makes a
psycopg connection accept it unchanged, so that no store function branches on the backend:

* ``?`` becomes ``%s`` and a literal ``%`` becomes ``%%`` outside quoted strings (cached per
  statement text): psycopg's placeholder syntax;
* values are bound on the client (``ClientCursor``), as literals PostgreSQL types from their
  context, like SQLite's loose typing does (``? IS NULL`` would otherwise need a type);
* a row answers both ``r[0]`` and ``r["name"]`` like ``sqlite3.Row``; ``bool`` is bound as
  0/1 (the schema keeps SQLite's integer flags) and ``numeric`` results are read as float;
* errors become sqlite3-compatible exceptions carrying the SQLSTATE (``sqlstate``) and the
  server's primary message (never ``str(exc)``, which adds a CONTEXT line), so the existing
  ``except sqlite3.IntegrityError`` keep working and ``db.explain`` gives the same
  Vietnamese sentences as on SQLite (a trigger refusal: SQLSTATE BR001, same text).

Writers are serialised like SQLite's ``BEGIN IMMEDIATE`` does: the outermost write
transaction is ``BEGIN`` followed by ``pg_advisory_xact_lock`` (released at COMMIT or
ROLLBACK), because the store reads, decides and writes ("the latest approval is the row with
the highest id") and PostgreSQL's READ COMMITTED alone would let two writers interleave.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Any

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.numeric import FloatLoader, Int4Dumper

from broadcast.errors import InputError
from broadcast.store.db import (
    WRITE_WAIT_S,
    Cursor,
    Database,
    DatabaseFailure,
    explain,
)

# The schema version the PostgreSQL baseline (postgres_schema/baseline.sql + triggers.sql)
# equals: SQLite's migrations 1..17. Later migrations will exist in two forms.
BASELINE_VERSION = 17
SCHEMA_PACKAGE = "broadcast.store.postgres_schema"
SCHEMA_FILES = ("baseline.sql", "triggers.sql")
# Migrations after the baseline, each the PostgreSQL form of SQLite's migration of the same
# number in broadcast/store/db.py.
MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (18, "stations: every record belongs to a station", "m18_stations.sql"),
    (
        19,
        "shared memory and term base: the station and person each entry came from",
        "m19_shared_language.sql",
    ),
)
LATEST_VERSION = MIGRATIONS[-1][0]

# Advisory lock keys. The writer lock is a pair (class, station): one writer at a time per
# station, as SQLite's BEGIN IMMEDIATE gives one file; one migrator for the database.
WRITER_LOCK = 0x62726F61  # "broa" (an int4: the two-key form takes two int4)
MIGRATE_LOCK = 0x6D69677261  # "migra"
FIRST_STATION = 1  # the database's first station (migration 18), a connection's default


class PgIntegrityError(sqlite3.IntegrityError):
    """A constraint (SQLSTATE 23xxx) or a trigger refusal (BR001) on PostgreSQL."""

    sqlstate: str


class PgOperationalError(sqlite3.OperationalError):
    """Any other PostgreSQL error (busy, connection lost, or a bug of ours)."""

    sqlstate: str


@lru_cache(maxsize=4096)
def pg_sql(sql: str) -> str:
    """The statement with psycopg's placeholders: ``?`` → ``%s`` outside quotes, and every
    literal ``%`` doubled (psycopg reads ``%`` inside quotes too)."""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if ch == "%":
            out.append("%%")
        elif quote:
            out.append(ch)
            if ch == quote:
                quote = ""  # a doubled quote ('it''s') closes and reopens: still right
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


class PgRow(tuple[Any, ...]):
    """A result row read by position or by column name (case ignored), like sqlite3.Row."""

    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                key = self._index[key.lower()]
            except KeyError:
                raise IndexError(f"No item with that key: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], PgRow]:
    index: dict[str, int] = {}
    for i, column in enumerate(cursor.description or ()):
        index.setdefault(str(column.name).lower(), i)  # the first of equal names, as sqlite3

    def make(values: Sequence[Any]) -> PgRow:
        row = PgRow(values)
        row._index = index
        return row

    return make


def _converted(exc: psycopg.Error) -> sqlite3.Error:
    """The sqlite3-compatible exception for a psycopg error (message without CONTEXT)."""
    sqlstate = exc.sqlstate or ("08006" if isinstance(exc, psycopg.OperationalError) else "")
    primary = exc.diag.message_primary or str(exc).split("\n", 1)[0]
    new: PgIntegrityError | PgOperationalError
    if sqlstate.startswith("23") or sqlstate == "BR001":
        new = PgIntegrityError(primary)
    else:
        new = PgOperationalError(primary)
    new.sqlstate = sqlstate
    return new


class PgConnection:
    """A psycopg connection that speaks the store's SQLite-flavoured DB-API (see module)."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def execute(self, sql: str, parameters: Any = (), /) -> Cursor:
        try:
            return self.raw.execute(pg_sql(sql), tuple(parameters))
        except psycopg.Error as exc:
            raise _converted(exc) from exc

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Cursor:
        cursor = self.raw.cursor()
        try:
            cursor.executemany(pg_sql(sql), [tuple(p) for p in parameters])
        except psycopg.Error as exc:
            raise _converted(exc) from exc
        return cursor

    def close(self) -> None:
        self.raw.close()


def server_name(url: str) -> str:
    """Where ``url`` points, for messages: host (or socket folder), port and database —
    never the user's password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return "(địa chỉ không đọc được)"
    host = str(parts.get("host") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    dbname = str(parts.get("dbname") or parts.get("user") or "")
    return f"{host}{port}/{dbname}"


def schema_sql() -> str:
    """The PostgreSQL baseline (tables, views, then triggers) as one script."""
    folder = resources.files(SCHEMA_PACKAGE)
    return "\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in SCHEMA_FILES)


class PostgresDatabase(Database):
    """A station's database on a PostgreSQL server, named by a ``postgresql://`` URL.

    Same contract as the SQLite file (see ``Database``): one connection, autocommit reads,
    ``transaction()`` for every write. The connection is in autocommit mode and the
    transactions are ours (``BEGIN`` / ``SAVEPOINT``), so nesting works exactly as on SQLite.
    """

    dialect = "postgresql"

    def __init__(self, url: str, *, busy_timeout_ms: int = 5000) -> None:
        self.url = url
        self.path = server_name(url)
        self._key = f"postgresql:{self.path}"
        self.write_wait_s = max(WRITE_WAIT_S, busy_timeout_ms / 1000)
        self._savepoints = 0
        try:
            conninfo_to_dict(url)
        except psycopg.Error:
            raise InputError(
                "Địa chỉ cơ sở dữ liệu PostgreSQL không đọc được; hãy sửa BROADCAST_DATABASE_URL "
                "hoặc mục [database] url trong station.toml (dạng "
                "postgresql://người_dùng@máy_chủ/tên_cơ_sở_dữ_liệu)."
            ) from None
        try:
            raw: psycopg.Connection[Any] = psycopg.connect(
                url,
                autocommit=True,
                cursor_factory=psycopg.ClientCursor,
                row_factory=_row_factory,
                connect_timeout=10,
            )
        except psycopg.Error:
            raise DatabaseFailure(
                f"Không kết nối được tới máy chủ PostgreSQL {self.path}; hãy kiểm tra máy chủ "
                "đang chạy, tên cơ sở dữ liệu và quyền đăng nhập trong BROADCAST_DATABASE_URL "
                "hoặc mục [database] url của station.toml."
            ) from None
        raw.adapters.register_dumper(bool, Int4Dumper)  # flags are integer 0/1 columns
        raw.adapters.register_loader("numeric", FloatLoader)  # SUM/AVG/extract as float
        self.conn = PgConnection(raw)
        self.station_id = FIRST_STATION
        try:
            self._refuse_bypassing_role()
            # A writer waits this long for another one (SQLite: the busy timeout + retries).
            self.conn.execute(f"SET lock_timeout = '{int(self.write_wait_s * 1000)}ms'")
            self.conn.execute(
                "SELECT set_config('broadcast.station', ?, false)", (str(FIRST_STATION),)
            ).fetchall()
            self.migrate()
        except sqlite3.Error as exc:
            raw.close()
            known = explain(exc, self.path)
            if known is not None:
                raise known from None
            raise
        except BaseException:
            raw.close()
            raise

    @property
    def raw(self) -> psycopg.Connection[Any]:
        """The psycopg connection itself (DDL scripts, tests)."""
        conn = self.conn
        assert isinstance(conn, PgConnection)
        return conn.raw

    def usable(self) -> bool:
        return not self.raw.closed and not self.raw.broken

    def _refuse_bypassing_role(self) -> None:
        """Row-level security keeps each commune's rows from the others, and it does not
        apply to a superuser or a role with BYPASSRLS: such a connection would show every
        commune everything, so the store refuses it, saying how to make the right role."""
        row = self.conn.execute(
            "SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles"
            " WHERE rolname = current_user"
        ).fetchone()
        if row is not None and row[1]:
            raise DatabaseFailure(
                f"Tài khoản PostgreSQL '{row[0]}' là tài khoản quản trị máy chủ (superuser hoặc "
                "BYPASSRLS), với nó dữ liệu các xã không được tách riêng; hãy tạo một tài khoản "
                "thường sở hữu cơ sở dữ liệu (createuser broadcast; createdb -O broadcast "
                "broadcast) và ghi nó vào BROADCAST_DATABASE_URL hoặc mục [database] url."
            )

    def use_station(self, station_id: int) -> None:
        """Work for station ``station_id`` from now on: row-level security shows and lets
        write only its rows (and the province's shared ones). Set between transactions; a
        server process's kept connection is switched for each request's station."""
        if station_id == self.station_id:
            return
        if self.conn.in_transaction:
            raise RuntimeError("use_station inside a transaction")
        self.conn.execute(
            "SELECT set_config('broadcast.station', ?, false)", (str(station_id),)
        ).fetchall()
        self.station_id = station_id

    @contextmanager
    def province_wide(self) -> Iterator[None]:
        """Read every station's rows inside the block (which stations a login belongs to,
        the province's lists); writes stay bound to the active station by the policies'
        WITH CHECK."""
        self.conn.execute("SELECT set_config('broadcast.province', 'on', false)").fetchall()
        try:
            yield
        finally:
            if self.usable():
                self.conn.execute(
                    "SELECT set_config('broadcast.province', '', false)"
                ).fetchall()

    def _begin(self) -> None:
        self.conn.execute("BEGIN")
        try:
            self.conn.execute(
                "SELECT pg_advisory_xact_lock(?, ?)", (WRITER_LOCK, self.station_id)
            ).fetchall()
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def migrate(self) -> None:
        """An empty database gets the baseline (= SQLite version 17), then every later
        migration, in one transaction, each recorded in ``schema_migrations``; a database
        already at the latest version is left alone.

        Two processes opening a fresh database at once: the migration lock makes the second
        wait, and it then finds the version recorded.
        """
        if self._version_or_none() == LATEST_VERSION:
            return
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATE_LOCK,)).fetchall()
            version = self._version_or_none()
            if version is None:
                self._run_sql(schema_sql())
                conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                    (BASELINE_VERSION, "PostgreSQL baseline (= SQLite migrations 1-17)"),
                )
                version = BASELINE_VERSION
            if version > LATEST_VERSION:
                raise DatabaseFailure(
                    f"Cơ sở dữ liệu {self.path} thuộc phiên bản mới hơn bộ công cụ này "
                    f"(lược đồ {version}); hãy cập nhật bộ công cụ rồi chạy lại lệnh."
                )
            elif version < BASELINE_VERSION:
                raise DatabaseFailure(
                    f"Cơ sở dữ liệu {self.path} có lược đồ {version} không rõ nguồn gốc; hãy "
                    "dùng một cơ sở dữ liệu PostgreSQL trống cho trạm."
                )
            folder = resources.files(SCHEMA_PACKAGE)
            for number, name, file in MIGRATIONS:
                if number > version:
                    self._run_sql(folder.joinpath(file).read_text(encoding="utf-8"))
                    conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        (number, name),
                    )

    def _run_sql(self, script: str) -> None:
        """A schema script, sent as written (no parameters, so no placeholder rewriting)."""
        try:
            self.raw.execute(script)  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise _converted(exc) from exc

    def _version_or_none(self) -> int | None:
        """The recorded schema version, None when the database has no schema yet."""
        found = self.conn.execute("SELECT to_regclass('schema_migrations')").fetchone()
        if found is None or found[0] is None:
            return None
        return self.schema_version()
