"""A consistent copy of the database while others write to it, and the check of a copy.

SQLite's online backup API copies the pages of one committed state: in WAL mode a reader
never blocks the writers, so a render job may keep committing while the backup is taken, and
the copy is never a file caught half way through a transaction (which a plain file copy of
``broadcast.db`` plus its ``-wal`` could be).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from broadcast.errors import StoreError


def snapshot_database(source: Path, dest: Path, *, busy_timeout_ms: int = 30000) -> None:
    """Copy the database at ``source`` into a new file ``dest`` as one committed state."""
    if dest.exists():
        raise StoreError(f"Tệp {dest} đã có; không ghi đè bản sao cơ sở dữ liệu.")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {source} để sao lưu: {exc}.") from None
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)  # all pages in one step: one read transaction, one state
            # The copy is a single file (no -wal beside it) that any SQLite opens as is.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise StoreError(f"Không sao lưu được cơ sở dữ liệu {source}: {exc}.") from None
    finally:
        src.close()


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` reports (empty: the file is sound)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        return [r for r in rows if r != "ok"]
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        conn.close()
