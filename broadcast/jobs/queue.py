"""The task queue of a workspace: Huey with its SQLite storage in ``<workspace>/.jobs/``.

Huey carries one message per job, "run job N of this workspace"; everything a person sees
(state, progress, message, result) is in the workspace database's ``jobs`` table. A lost
queue file therefore loses no history, and the web workspace reads jobs with the same store
functions as everything else. Huey is configured here, explicitly, when a queue is first
asked for (nothing happens at import time).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.store.workspace import Workspace

if TYPE_CHECKING:
    from huey import SqliteHuey
    from huey.api import TaskWrapper

QUEUE_FOLDER = ".jobs"
QUEUE_FILE = "huey.db"
TASK_NAME = "broadcast.run_job"

_LOCK = threading.Lock()
_QUEUES: dict[str, SqliteHuey] = {}
_RUNNERS: dict[str, TaskWrapper] = {}  # the task registered on each queue, by queue file


def queue_path(ws: Workspace) -> Path:
    return ws.root / QUEUE_FOLDER / QUEUE_FILE


def queue_for(ws: Workspace) -> SqliteHuey:
    """The workspace's Huey (one per queue file and process, shared by its threads), with
    the job runner registered on it."""
    from huey import SqliteHuey

    path = queue_path(ws)
    key = str(path.resolve())
    with _LOCK:
        huey = _QUEUES.get(key)
        if huey is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            # results=False: a job's result lives in the jobs table, not in Huey's store.
            huey = SqliteHuey(name="broadcast", filename=str(path), results=False, utc=True)
            _RUNNERS[key] = huey.task(name=TASK_NAME)(_run_job)
            _QUEUES[key] = huey
    return huey


def enqueue(ws: Workspace, job_id: int) -> str:
    """Put "run job ``job_id``" on the workspace's queue; Huey's task id."""
    huey = queue_for(ws)
    task = _RUNNERS[str(queue_path(ws).resolve())].s(str(ws.root), job_id)
    huey.enqueue(task)
    return str(task.id)


def _run_job(root: str, job_id: int) -> None:
    """The one Huey task: run a job by id (``broadcast.jobs.tasks.execute``)."""
    from broadcast.jobs.tasks import execute

    execute(Path(root), job_id)
