"""The SQLite database, the single source of truth of a workspace.

One class owns the connection so that pragmas (WAL, busy timeout, foreign keys), migrations
and transactions are set up in exactly one place; stages call the domain functions in
``broadcast.store.records`` and never write SQL of their own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from broadcast.errors import StoreError

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, name: str) -> Callable[[Migration], Migration]:
    """Register a schema migration; versions must be applied in order, exactly once."""

    def register(func: Migration) -> Migration:
        MIGRATIONS.append((version, name, func))
        MIGRATIONS.sort(key=lambda item: item[0])
        return func

    return register


@migration(1, "articles, scripts, sentences, renders, playlist entries")
def _initial(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            source_path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            format TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE scripts (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            slug TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            language TEXT NOT NULL,
            target_minutes REAL NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            script_id INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('opening', 'headline', 'body', 'closing')),
            written TEXT NOT NULL,
            spoken TEXT NOT NULL,
            start_ms INTEGER,
            end_ms INTEGER,
            UNIQUE (script_id, position)
        );
        CREATE TABLE renders (
            id INTEGER PRIMARY KEY,
            script_id INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            duration_s REAL,
            loudness_lufs REAL,
            true_peak_db REAL,
            engine TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE playlist_entries (
            id INTEGER PRIMARY KEY,
            render_id INTEGER NOT NULL REFERENCES renders(id) ON DELETE CASCADE,
            slot_start TEXT NOT NULL,
            zone TEXT NOT NULL,
            position INTEGER NOT NULL,
            playlist_path TEXT NOT NULL,
            UNIQUE (slot_start, zone, position)
        );
        """,
    )


@migration(2, "scripts.topic: the CCHC area of each script")
def _script_topic(conn: sqlite3.Connection) -> None:
    # Nullable: scripts stored before topics existed have none, and none is guessed for them.
    conn.execute("ALTER TABLE scripts ADD COLUMN topic TEXT")


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement: ``executescript`` would COMMIT our savepoint."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


class Database:
    """A workspace database: opened with WAL and a busy timeout, migrated on open."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5000) -> None:
        self.path = path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A savepoint: nested calls are fine, and a failure leaves no partial rows."""
        name = f"sp{id(self)}_{self.conn.in_transaction}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> None:
        """Apply the registered migrations that this file has not seen yet."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        current = self.schema_version()
        for version, name, func in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction() as conn:
                func(conn)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name)
                )
