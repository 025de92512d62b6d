"""The ``jobs`` table (migration 12): rows in, ``broadcast.model.jobs.Job`` values out.

Every write that belongs to one run of a job names the run (``attempt``) and changes the row
only while that run still owns it (state 'running', same attempt). A run given up by
``recover`` (its worker presumed dead) or cancelled by a person can therefore never write
"done" over what happened since.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence

from broadcast.model.jobs import Job, JobKind, JobState
from broadcast.store.db import Database, Row, now_sql

_COLUMNS = (
    "id, kind, args, subject, state, progress, message, error, result, created_by, "
    "created_at, started_at, finished_at, heartbeat_at, huey_id, attempts, worker"
)


def utc_stamp(moment: dt.datetime) -> str:
    """A moment as the table stores it (UTC, seconds): comparable as text."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def database_now(db: Database) -> dt.datetime:
    """The time by the database's clock, the one heartbeats are stamped with: workers on
    several machines judge each other's silence by it, not by their own clocks (a PC a
    minute fast would otherwise give up a healthy worker's job)."""
    stamp = str(db.conn.execute(f"SELECT {now_sql(db.conn)}").fetchone()[0])
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def _load(text: str | None) -> Mapping[str, object] | None:
    if text is None:
        return None
    value = json.loads(text)
    return value if isinstance(value, dict) else {"value": value}


def _job(row: Row) -> Job:
    return Job(
        id=int(row["id"]),
        kind=JobKind(row["kind"]),
        args=_load(row["args"]) or {},
        subject=str(row["subject"]),
        state=JobState(row["state"]),
        progress=float(row["progress"]),
        message=str(row["message"]),
        error=row["error"],
        result=_load(row["result"]),
        created_by=row["created_by"],
        created_at=str(row["created_at"]),
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        heartbeat_at=row["heartbeat_at"],
        huey_id=row["huey_id"],
        attempts=int(row["attempts"]),
        worker=row["worker"],
    )


def _dumps(value: Mapping[str, object]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def insert_job(
    db: Database,
    kind: JobKind,
    args: Mapping[str, object],
    *,
    subject: str,
    created_by: int | None,
    message: str,
) -> int:
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO jobs (kind, args, subject, created_by, message) VALUES (?, ?, ?, ?, ?)"
            " RETURNING id",
            (kind.value, _dumps(args), subject, created_by, message),
        )
        job_id = int(cur.fetchone()[0])
    return job_id


def set_huey_id(db: Database, job_id: int, huey_id: str) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE jobs SET huey_id = ? WHERE id = ?", (huey_id, job_id))


def get_job(db: Database, job_id: int) -> Job | None:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return None if row is None else _job(row)


def list_jobs(
    db: Database,
    *,
    states: Sequence[JobState] = (),
    kinds: Sequence[JobKind] = (),
    created_by: int | None = None,
    limit: int = 50,
) -> list[Job]:
    """Newest first, filtered by state, kind and person when given."""
    where: list[str] = []
    params: list[object] = []
    if states:
        where.append(f"state IN ({', '.join('?' for _ in states)})")
        params += [s.value for s in states]
    if kinds:
        where.append(f"kind IN ({', '.join('?' for _ in kinds)})")
        params += [k.value for k in kinds]
    if created_by is not None:
        where.append("created_by = ?")
        params.append(created_by)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM jobs{clause} ORDER BY id DESC LIMIT ?", (*params, limit)
    ).fetchall()
    return [_job(r) for r in rows]


def claim(db: Database, job_id: int, worker: str, message: str) -> int | None:
    """Start a queued job: the run's attempt number, or None when it is not queued any more
    (cancelled, or already taken by another worker)."""
    with db.transaction() as conn:
        now = now_sql(conn)
        cur = conn.execute(
            f"UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = ?, "
            f"started_at = {now}, heartbeat_at = {now}, message = ?, progress = 0, "
            "error = NULL WHERE id = ? AND state = 'queued'",
            (worker, message, job_id),
        )
        if cur.rowcount == 0:
            return None
        row = conn.execute("SELECT attempts FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return int(row[0])


def report(db: Database, job_id: int, attempt: int, progress: float, message: str) -> bool:
    """Progress and heartbeat of a running job; False when the run no longer owns the row
    (cancelled, or given up): the worker then stops the stage."""
    bounded = min(max(progress, 0.0), 1.0)
    with db.transaction() as conn:
        cur = conn.execute(
            "UPDATE jobs SET progress = CASE WHEN progress > ? THEN progress ELSE ? END,"
            f" message = ?, heartbeat_at = {now_sql(conn)}"
            " WHERE id = ? AND attempts = ? AND state = 'running'",
            (bounded, bounded, message, job_id, attempt),
        )
    return cur.rowcount == 1


def finish(
    db: Database, job_id: int, attempt: int, result: Mapping[str, object], message: str
) -> bool:
    with db.transaction() as conn:
        cur = conn.execute(
            f"UPDATE jobs SET state = 'done', progress = 1, result = ?, message = ?, "
            f"finished_at = {now_sql(conn)}, heartbeat_at = {now_sql(conn)} "
            "WHERE id = ? AND attempts = ? AND state = 'running'",
            (_dumps(result), message, job_id, attempt),
        )
    return cur.rowcount == 1


def fail(db: Database, job_id: int, attempt: int | None, error: str) -> bool:
    """Mark a job failed with its Vietnamese sentence; ``attempt`` None fails a job that is
    queued or running whatever its run (recovery, a queue that refused it)."""
    run = (
        "attempts = ? AND state = 'running'"
        if attempt is not None
        else ("state IN ('queued', 'running')")
    )
    params: tuple[object, ...] = (error, job_id) + ((attempt,) if attempt is not None else ())
    with db.transaction() as conn:
        cur = conn.execute(
            f"UPDATE jobs SET state = 'failed', error = ?, finished_at = {now_sql(conn)} "
            f"WHERE id = ? AND {run}",
            params,
        )
    return cur.rowcount == 1


def cancel(db: Database, job_id: int, message: str) -> bool:
    """Cancel a queued or running job; False when it had already finished."""
    with db.transaction() as conn:
        cur = conn.execute(
            f"UPDATE jobs SET state = 'cancelled', message = ?, finished_at = {now_sql(conn)} "
            "WHERE id = ? AND state IN ('queued', 'running')",
            (message, job_id),
        )
    return cur.rowcount == 1


def running_jobs(db: Database) -> list[Job]:
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM jobs WHERE state = 'running' ORDER BY id"
    ).fetchall()
    return [_job(r) for r in rows]


def requeue(db: Database, job_id: int, attempt: int, message: str) -> bool:
    """Put a run that was given up back in the queue (the caller enqueues it again)."""
    with db.transaction() as conn:
        cur = conn.execute(
            "UPDATE jobs SET state = 'queued', progress = 0, message = ?, heartbeat_at = NULL "
            "WHERE id = ? AND attempts = ? AND state = 'running'",
            (message, job_id, attempt),
        )
    return cur.rowcount == 1


def stations_with_running_jobs(db: Database) -> list[str]:
    """Codes of a province server's stations that have a running job, read across the
    province in one query (only called on PostgreSQL, where jobs carry their station): the
    recovery of an idle worker then opens no station at all."""
    with db.province_wide():
        rows = db.conn.execute(
            "SELECT DISTINCT s.slug FROM jobs j JOIN stations s ON s.id = j.station_id"
            " WHERE j.state = 'running' ORDER BY s.slug"
        ).fetchall()
    return [str(r[0]) for r in rows]


JOB_LOCK = 0x6A6F62  # "job": with the job id, the pair of a running job's session lock


def hold_job_lock(db: Database, job_id: int) -> bool:
    """On a province server, take job ``job_id``'s session lock on ``db``'s connection (kept
    until the connection ends: the server drops it when the worker's process or machine
    dies); False when another worker holds it. A SQLite file has one machine: the process
    check of the recovery is enough there, so this is always True."""
    if db.dialect == "sqlite":
        return True
    row = db.conn.execute("SELECT pg_try_advisory_lock(?, ?)", (JOB_LOCK, job_id)).fetchone()
    return bool(row[0])


def job_lock_free(db: Database, job_id: int) -> bool:
    """Whether no live worker holds job ``job_id``'s session lock (taken and let go at once
    to ask): a job whose heartbeat went silent but whose lock is held still runs somewhere
    (a slow network, a frozen clock), and is not given up."""
    if db.dialect == "sqlite":
        return True
    if not db.conn.execute("SELECT pg_try_advisory_lock(?, ?)", (JOB_LOCK, job_id)).fetchone()[0]:
        return False
    db.conn.execute("SELECT pg_advisory_unlock(?, ?)", (JOB_LOCK, job_id)).fetchall()
    return True
