"""Taking SQLite's write lock at the start of a transaction that reads before it writes.

``Database.transaction`` opens a savepoint, which starts a *deferred* transaction: it reads
from a snapshot and asks for the write lock only at its first write. A transaction that
compares what it read with what it is about to write (an import checking that no one edited
a text since the file was exported) must hold the lock before it reads; otherwise another
process could commit in between, and SQLite would then refuse the write ("database is
locked", the snapshot being stale) rather than wait for it.
"""

from __future__ import annotations

from broadcast.store.db import Database


def hold_write_lock(db: Database) -> None:
    """Inside ``db.transaction()``: take the write lock now, as ``BEGIN IMMEDIATE`` would
    (waiting up to the busy timeout). A write that matches no row still takes the lock;
    ``schema_migrations`` exists in every database and has no triggers."""
    db.conn.execute("UPDATE schema_migrations SET version = version WHERE 1 = 0")
