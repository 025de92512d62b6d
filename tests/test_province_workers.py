"""Render workers of a province server (issue 16, item 4): one PostgreSQL database holding
several stations, each a folder of the shared media.

* A job names its station by code; one ``broadcast worker`` started in any station's folder
  runs every station's jobs, each in that station's folder and rows.
* A running job holds a session lock on the server for as long as its worker lives: a
  second message for it leaves it alone, and no machine gives up a job whose lock is held,
  however silent its heartbeat; when the worker's connection dies, the lock goes with it.
* A job running past the station's ``[jobs] timeout_minutes`` stops at its next progress
  report.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import make_workspace, raw_sql, run
from render_support import SLUG, store_script

from broadcast.jobs import get, list_jobs, submit
from broadcast.jobs.tasks import JobTimedOut, Reporter, execute, timed_out, timeout_s
from broadcast.jobs.workers import recover, recover_all
from broadcast.model.jobs import JobState
from broadcast.model.people import Person
from broadcast.store.db import Database
from broadcast.store.jobs import hold_job_lock
from broadcast.store.people import first_admin
from broadcast.store.workspace import DATABASE_URL_VAR, Workspace, find_workspace

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture()
def province(
    pg_store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Workspace, Workspace]:
    """Station A (its init made the province admin) and station B beside it."""
    monkeypatch.setenv(DATABASE_URL_VAR, pg_store_url)
    shared = tmp_path / "chung"
    a = make_workspace(shared / "xa-a")
    added = run("-w", a, "station", "add", "xa-b", "--ten", "Đài truyền thanh xã B",
                "--quan-tri", "b.quantri")  # fmt: skip
    assert added.exit_code == 0, added.output
    store_script(shared / "xa-b")
    return find_workspace(a), find_workspace(shared / "xa-b")


def _admin(ws: Workspace) -> Person:
    with ws.open_db() as db:
        person = first_admin(db)
    assert person is not None
    return person


def _wait(ws: Workspace, job_id: int, timeout_s: float = 90.0) -> JobState:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = get(ws, job_id)
        if job.state.finished:
            return job.state
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not end: {get(ws, job_id)}")


def test_one_worker_in_a_station_folder_runs_another_stations_job(
    province: tuple[Workspace, Workspace],
) -> None:
    a, b = province
    job_id = submit(b, "mix", {"script": SLUG, "profile": "web"}, _admin(b))
    assert list_jobs(a) == []  # B's job is not A's to see
    proc = subprocess.Popen(
        [sys.executable, "-m", "broadcast", "-w", str(a.root), "worker", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert _wait(b, job_id) is JobState.DONE, get(b, job_id)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    job = get(b, job_id)
    assert job.worker is not None and job.worker.endswith(f":{proc.pid}")
    assert job.result is not None
    made = b.root / str(job.result["path"])  # relative to B's folder, and inside it
    assert made.is_file() and made.stat().st_size > 1000
    assert not list((a.root / "out").rglob("*.m4a"))  # nothing was written in A's folder
    assert "Traceback" not in err


def _stale(ws: Workspace, job_id: int) -> None:
    """What a worker on another machine that went silent ten minutes ago leaves behind."""
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    conn = raw_sql(ws.root)
    with conn:
        conn.execute(
            "UPDATE jobs SET state = 'running', worker = 'may-khac:4242', heartbeat_at = ?,"
            " attempts = 1, started_at = ? WHERE id = ?",
            (old, old, job_id),
        )
    conn.close()


def test_a_silent_job_whose_worker_still_holds_its_lock_is_not_given_up(
    province: tuple[Workspace, Workspace],
) -> None:
    a, b = province
    job_id = submit(b, "voice", {"script": SLUG}, _admin(b))
    _stale(b, job_id)
    worker = Database(str(b.database))  # the silent worker's own connection, still alive
    try:
        assert hold_job_lock(worker, job_id)
        assert recover(b).requeued == [] and get(b, job_id).state is JobState.RUNNING
        assert recover_all(a).requeued == []
    finally:
        worker.close()  # the worker's connection ends (its machine died): the lock goes too
    assert recover(a).requeued == []  # A's own recovery does not see B's jobs
    assert recover_all(a).requeued == [job_id]  # a worker in A's folder serves B too
    assert get(b, job_id).state is JobState.QUEUED


def test_a_second_message_for_a_job_being_run_leaves_it_alone(
    province: tuple[Workspace, Workspace],
) -> None:
    _, b = province
    job_id = submit(b, "voice", {"script": SLUG}, _admin(b))
    running = Database(str(b.database))
    try:
        assert hold_job_lock(running, job_id)
        execute(b.root, job_id)  # a duplicate delivery: returns without claiming
        job = get(b, job_id)
        assert job.state is JobState.QUEUED and job.attempts == 0 and job.worker is None
    finally:
        running.close()


def test_a_job_past_its_time_stops_at_its_next_progress_report(
    province: tuple[Workspace, Workspace],
) -> None:
    a, _ = province
    assert timeout_s(a) == 60 * 60  # the default: an hour
    toml = a.root / "station.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[jobs]\ntimeout_minutes = 2\n",
                    encoding="utf-8")  # fmt: skip
    assert timeout_s(find_workspace(a.root)) == 120
    reporter = Reporter(a, 1, 1, limit_s=0.05)
    reporter(0.1, "đang chạy")  # in time
    time.sleep(0.1)
    with pytest.raises(JobTimedOut):
        reporter(0.2, "vẫn chạy")
    assert "quá 2 phút" in timed_out(2)
    bad = toml.read_text(encoding="utf-8").replace("timeout_minutes = 2", "timeout_minutes = 0")
    toml.write_text(bad, encoding="utf-8")
    refused = run("-w", a.root, "config", "check")
    assert refused.exit_code != 0 and "timeout_minutes" in refused.output + refused.stderr
