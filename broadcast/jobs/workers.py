"""Who runs the jobs: worker threads inside ``broadcast web``, or ``broadcast worker``.

Both take jobs from the same Huey queue with Huey's own worker loop, so a job submitted by
the web workspace can run in the server's threads or in a separate worker process, whichever
is free first.

A job never stays "running" after its process died. ``recover`` (run whenever workers start,
every ``RECOVER_EVERY_S`` while they run, and when a worker process stops) finds running jobs
whose process is gone (same machine, no such process) or silent for ``STALE_AFTER_S`` (no
heartbeat: a worker on another machine, or a frozen one), and gives them up: a render
(voice, mix, video, produce) is queued again once, since the stage cache makes a re-run
cheap and its outputs are written whole or not at all; any other job, or a render that was
already re-queued, is marked failed with ``INTERRUPTED``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from broadcast.jobs.queue import enqueue, queue_for
from broadcast.jobs.tasks import worker_id
from broadcast.model.jobs import Job, JobKind
from broadcast.store import jobs as store
from broadcast.store.files import pid_alive
from broadcast.store.jobs import utc_stamp
from broadcast.store.workspace import Workspace

STALE_AFTER_S = 60.0  # twelve missed heartbeats (tasks.HEARTBEAT_S)
RECOVER_EVERY_S = 5.0  # how often running workers look for a dead peer's jobs
MAX_ATTEMPTS = 2  # the first run and one re-run after an interruption
IDEMPOTENT = frozenset({JobKind.VOICE, JobKind.MIX, JobKind.VIDEO, JobKind.PRODUCE})
INTERRUPTED = "Công việc bị gián đoạn khi máy tắt; hãy chạy lại."
REQUEUED = "Đang chờ chạy lại sau khi bị gián đoạn"

_log = logging.getLogger(__name__)


@dataclass
class Recovery:
    """What ``recover`` did: job ids queued again and job ids marked failed."""

    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def add(self, other: Recovery) -> None:
        self.requeued += other.requeued
        self.failed += other.failed


def _process_gone(worker: str | None) -> bool:
    """True when ``worker`` ("host:pid") ran on this machine and that process is gone."""
    if not worker or ":" not in worker:
        return False
    host, _, pid_text = worker.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    return pid != os.getpid() and not pid_alive(pid)


def _give_up(ws: Workspace, jobs: Iterable[Job]) -> Recovery:
    done = Recovery()
    with ws.open_db() as db:
        for job in jobs:
            if job.kind in IDEMPOTENT and job.attempts < MAX_ATTEMPTS:
                if store.requeue(db, job.id, job.attempts, REQUEUED):
                    store.set_huey_id(db, job.id, enqueue(ws, job.id))
                    done.requeued.append(job.id)
            elif store.fail(db, job.id, job.attempts, INTERRUPTED):
                done.failed.append(job.id)
    return done


def recover(
    ws: Workspace, *, stale_after_s: float = STALE_AFTER_S, now: dt.datetime | None = None
) -> Recovery:
    """Re-queue or fail the running jobs whose process died (see the module docstring).
    Silence is measured by the database's clock, the one heartbeats are stamped with."""
    with ws.open_db() as db:
        moment = now or store.database_now(db)
        cutoff = utc_stamp(moment - dt.timedelta(seconds=stale_after_s))
        dead = [
            j
            for j in store.running_jobs(db)
            if (_process_gone(j.worker) or j.heartbeat_at is None or j.heartbeat_at < cutoff)
            and store.job_lock_free(db, j.id)  # a run whose lock is held is alive, if silent
        ]
    return _give_up(ws, dead)


def recover_all(ws: Workspace, *, stale_after_s: float = STALE_AFTER_S) -> Recovery:
    """``recover`` for every station a worker started in ``ws`` serves: ``ws`` alone on
    SQLite; on a province server each station with a running job whose folder is beside
    it."""
    from broadcast.province.stations import busy_workspaces

    total = Recovery()
    for station in busy_workspaces(ws):
        total.add(recover(station, stale_after_s=stale_after_s))
    return total


def abandon_own(ws: Workspace) -> Recovery:
    """The jobs this process still runs, in any station it serves, given up as if it had
    died: for a worker that stops before its jobs end (the process exits and their threads
    with it)."""
    from broadcast.province.stations import busy_workspaces

    me = worker_id()
    total = Recovery()
    for station in busy_workspaces(ws):
        with station.open_db() as db:
            mine = [j for j in store.running_jobs(db) if j.worker == me]
        total.add(_give_up(station, mine))
    return total


def keep_recovering(
    ws: Workspace, stop: threading.Event, every_s: float = RECOVER_EVERY_S
) -> threading.Thread:
    """A thread running ``recover`` every ``every_s`` until ``stop`` is set: a worker
    killed outright (SIGKILL, power cut) cannot give its job back, so the workers still
    alive take it back for it, and the job is finished by one of them instead of waiting
    for the next worker to start."""

    def loop() -> None:
        while not stop.wait(every_s):
            try:
                recover_all(ws)
            except Exception:  # noqa: BLE001 - a busy database now is no reason to stop
                _log.warning("Không kiểm tra được công việc bị bỏ dở", exc_info=True)

    thread = threading.Thread(target=loop, name="broadcast-recover", daemon=True)
    thread.start()
    return thread


JOB_NICENESS = 10
"""How much lower than the web server long work runs (Linux nice, 0-19)."""


def lower_priority(niceness: int = JOB_NICENESS) -> None:
    """Run this thread (and the ffmpeg/espeak-ng processes it starts, which inherit it) at a
    lower CPU priority than the page-serving threads: on a 2-core PC a video render would
    otherwise take the cores from people saving segments. Linux sets niceness per thread;
    where that is not possible (another system, no permission) the job simply runs at the
    normal priority."""
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, max(current, niceness))
    except (AttributeError, OSError):
        pass


class WorkerPool:
    """``workers`` threads of this process running the workspace's jobs (``broadcast web``
    starts one with the server and stops it with the server)."""

    def __init__(
        self,
        ws: Workspace,
        workers: int = 2,
        *,
        max_delay_s: float = 1.0,
        recover_every_s: float = RECOVER_EVERY_S,
    ) -> None:
        self.ws = ws
        self.workers = max(1, workers)
        self.max_delay_s = max_delay_s  # the longest a free worker waits to look again
        self.recover_every_s = recover_every_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> Recovery:
        from huey.consumer import Worker

        recovered = recover_all(self.ws)
        huey = queue_for(self.ws)
        for number in range(1, self.workers + 1):
            worker = Worker(
                huey,
                self._stop,
                default_delay=0.1,
                max_delay=self.max_delay_s,
                backoff=1.15,
            )
            thread = threading.Thread(
                target=self._run, args=(worker,), name=f"broadcast-worker-{number}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        keep_recovering(self.ws, self._stop, self.recover_every_s)
        return recovered

    def _run(self, worker: object) -> None:
        lower_priority()
        loop = getattr(worker, "loop")  # noqa: B009 - huey's Worker is untyped
        getattr(worker, "initialize")()  # noqa: B009
        try:
            while not self._stop.is_set():
                loop()
        finally:
            getattr(worker, "shutdown")()  # noqa: B009

    def stop(self, timeout_s: float = 5.0) -> Recovery:
        """Stop taking jobs and wait up to ``timeout_s`` for the running ones; those still
        running then are given up (re-queued or failed) so none stays "running"."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout_s)
        left = any(t.is_alive() for t in self._threads)
        self._threads = []
        return abandon_own(self.ws) if left else Recovery()

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_consumer(
    ws: Workspace,
    workers: int = 2,
    *,
    started: Callable[[Recovery], None] | None = None,
    recover_every_s: float = RECOVER_EVERY_S,
) -> Recovery:
    """``broadcast worker``: Huey's consumer with ``workers`` threads, in this process, until
    SIGINT or SIGTERM (SIGHUP too: a closed terminal stops it rather than restarting it).

    ``recover`` runs first and ``started`` hears what it did, then every
    ``recover_every_s`` while it runs; jobs still running when the consumer stops are given
    up as ``recover`` would. Returns what was given up then."""
    lower_priority()  # the consumer's threads, made after this, inherit it (Linux)
    recovered = recover_all(ws)
    if started is not None:
        started(recovered)
    huey = queue_for(ws)
    consumer = huey.create_consumer(
        workers=max(1, workers),
        worker_type="thread",
        periodic=False,
        max_delay=1.0,
        check_worker_health=True,
    )
    # Huey restarts itself on SIGHUP (os.execl); a worker started from a terminal that is
    # closed should stop instead, as every other command does.
    if hasattr(signal, "SIGHUP"):
        consumer._signal_actions[signal.SIGHUP] = (False, False)
    stop = threading.Event()
    keep_recovering(ws, stop, recover_every_s)
    try:
        consumer.run()
    finally:
        stop.set()
    return abandon_own(ws)
