"""The task queue of a workspace: Huey with its SQLite storage in ``<workspace>/.jobs/``, or,
for a station whose store is PostgreSQL, Huey's PostgreSQL storage in that same database
(tables ``huey_*``), so that ``broadcast worker`` on any machine reaching the database takes
the station's jobs.

Huey carries one message per job, "run job N of this workspace"; everything a person sees
(state, progress, message, result) is in the workspace database's ``jobs`` table. A lost
queue file therefore loses no history, and the web workspace reads jobs with the same store
functions as everything else. Huey is configured here, explicitly, when a queue is first
asked for (nothing happens at import time).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.store.workspace import Workspace

if TYPE_CHECKING:
    from huey import Huey
    from huey.api import TaskWrapper

QUEUE_FOLDER = ".jobs"
QUEUE_FILE = "huey.db"
TASK_NAME = "broadcast.run_job"
HUEY_TABLES_LOCK = 0x6875657921  # "huey!": one process at a time creates Huey's tables

_LOCK = threading.Lock()
_QUEUES: dict[str, Huey] = {}
_RUNNERS: dict[str, TaskWrapper] = {}  # the task registered on each queue, by queue key


def queue_path(ws: Workspace) -> Path:
    return ws.root / QUEUE_FOLDER / QUEUE_FILE


def _queue_key(ws: Workspace) -> str:
    target = ws.database
    return target if isinstance(target, str) else str(queue_path(ws).resolve())


def queue_for(ws: Workspace) -> Huey:
    """The workspace's Huey (one per queue and process, shared by its threads), with the
    job runner registered on it."""
    key = _queue_key(ws)
    with _LOCK:
        huey = _QUEUES.get(key)
        if huey is None:
            # results=False: a job's result lives in the jobs table, not in Huey's store.
            target = ws.database
            if isinstance(target, str):
                from huey import PostgresHuey

                # Huey creates its tables with CREATE TABLE IF NOT EXISTS, which two processes
                # starting at once on a new database (the web server and its workers) race
                # on: the loser fails with DuplicateObject. Taken under one lock, the second
                # finds them made.
                with ws.open_db() as db, db.transaction() as conn:
                    conn.execute("SELECT pg_advisory_xact_lock(?)", (HUEY_TABLES_LOCK,))
                    huey = PostgresHuey(name="broadcast", dsn=target, results=False, utc=True)
            else:
                from huey import SqliteHuey

                path = queue_path(ws)
                path.parent.mkdir(parents=True, exist_ok=True)
                huey = SqliteHuey(name="broadcast", filename=str(path), results=False, utc=True)
            _RUNNERS[key] = huey.task(name=TASK_NAME)(_runner(ws))
            _QUEUES[key] = huey
    return huey


def enqueue(ws: Workspace, job_id: int) -> str:
    """Put "run job ``job_id``" on the workspace's queue; Huey's task id."""
    huey = queue_for(ws)
    task = _RUNNERS[_queue_key(ws)].s(ws.station_slug, job_id)
    huey.enqueue(task)
    return str(task.id)


def _runner(ws: Workspace) -> Callable[[str, int], None]:
    """The one Huey task, bound to the workspace of the process running it. A job names its
    station by code, not by folder: the folder where it was queued is another machine's
    path; the worker finds the station's folder beside its own on the shared media, so one
    worker serves every station of a province server. (Messages queued before stations
    carried the queuing folder's path: they are this workspace's.)"""

    def run_job(station: str, job_id: int) -> None:
        from broadcast.jobs.tasks import execute
        from broadcast.province.stations import workspace_of

        target = ws if "/" in station or "\\" in station else workspace_of(ws, station)
        execute(target.root, job_id)

    return run_job
