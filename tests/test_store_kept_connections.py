"""A server keeps one database connection per thread (``Database.kept``); nothing else does,
and a file replaced on disk is never served from a stale connection."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from helpers import make_workspace, store_url

from broadcast.store.db import Database, keep_connections
from broadcast.store.workspace import find_workspace


@pytest.mark.backends
def test_kept_connections_per_thread_and_replaced_file(tmp_path: Path) -> None:
    ws = find_workspace(make_workspace(tmp_path / "dai"))
    with ws.open_db() as a, ws.open_db() as b:
        assert a is not b  # the CLI's default: a connection per open
    keep_connections()
    try:
        with ws.open_db() as first:
            first.conn.execute("SELECT 1").fetchone()
        with ws.open_db() as again:
            assert again is first
            assert again.conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] >= 1
        other: list[Database] = []
        thread = threading.Thread(target=lambda: other.append(ws.open_db()))
        thread.start()
        thread.join()
        assert other[0] is not first
        if store_url() is None:  # a file replaced on disk: SQLite only (a server has none)
            # Another workspace file put in place (a restore): a new connection sees its rows.
            copy = tmp_path / "copy.db"
            shutil.copy(ws.db_path, copy)
            with Database(copy) as db, db.transaction() as conn:
                conn.execute("DELETE FROM person_roles")
            copy.replace(ws.db_path)
            with ws.open_db() as fresh:
                assert fresh is not first
                assert fresh.conn.execute("SELECT COUNT(*) FROM person_roles").fetchone()[0] == 0
            first = fresh
    finally:
        keep_connections(False)
    with ws.open_db() as plain:
        assert plain is not first
