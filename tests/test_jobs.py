"""Jobs: real Huey on SQLite, real stages (espeak, ffmpeg) on the tiny stored script.

A job submitted by a person runs in a worker thread (or a ``broadcast worker`` process),
reports its progress into the ``jobs`` table and ends done with its result, failed with the
stage's Vietnamese sentence, or cancelled; a job whose process died never stays "running".
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import make_workspace, raw_sql, run, store_url
from render_support import SLUG, samples, store_script

from broadcast.errors import InputError
from broadcast.jobs import cancel, get, list_jobs, submit
from broadcast.jobs.queue import queue_path
from broadcast.jobs.workers import INTERRUPTED, WorkerPool, recover
from broadcast.model.jobs import Job, JobKind, JobState
from broadcast.model.people import Person
from broadcast.store.jobs import database_now
from broadcast.store.people import find_person, first_admin
from broadcast.store.workspace import Workspace, find_workspace


@pytest.fixture()
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A fresh workspace per test (not per module): a test marked ``backends`` gets its store
    chosen per test, so a workspace built once would sit on the wrong one."""
    root = make_workspace(tmp_path_factory.mktemp("jobs") / "ws")
    store_script(root)
    added = run("-w", root, "user", "add", "xem", "--name", "Người Xem", "--role", "viewer")
    assert added.exit_code == 0, added.output
    return find_workspace(root)


def _person(ws: Workspace, login: str | None = None) -> Person:
    with ws.open_db() as db:
        person = first_admin(db) if login is None else find_person(db, login)
    assert person is not None
    return person


def _wait(ws: Workspace, job_id: int, timeout_s: float = 60.0) -> tuple[Job, list[Job]]:
    """Poll the job until it ends; the job and every reading taken on the way."""
    seen: list[Job] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = get(ws, job_id)
        seen.append(job)
        if job.state.finished:
            return job, seen
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not end: {seen[-1]}")


def _set_running(ws: Workspace, job_id: int, *, worker: str, heartbeat: str, attempts: int):
    """What a worker that died mid-run leaves behind (written as the dead process would)."""
    conn = raw_sql(ws.root)
    with conn:
        conn.execute(
            "UPDATE jobs SET state = 'running', worker = ?, heartbeat_at = ?, attempts = ?,"
            " started_at = ? WHERE id = ?",
            (worker, heartbeat, attempts, heartbeat, job_id),
        )
    conn.close()


@pytest.mark.backends
def test_mix_job_runs_in_a_worker_thread_with_rising_progress(ws: Workspace) -> None:
    admin = _person(ws)
    job_id = submit(ws, JobKind.MIX, {"script": SLUG}, admin)
    queued = get(ws, job_id)
    assert queued.state is JobState.QUEUED and queued.huey_id
    assert queued.subject == f"{SLUG} · vi" and queued.created_by == admin.id
    if store_url() is None:
        assert queue_path(ws).is_file()  # Huey's SQLite file lives in the workspace
    else:  # the station's queue is in its PostgreSQL database, for workers anywhere
        assert not queue_path(ws).exists()
        conn = raw_sql(ws.root)
        try:
            assert conn.execute("SELECT COUNT(*) FROM huey_task").fetchone()[0] == 1
        finally:
            conn.close()

    pool = WorkerPool(ws, workers=1)
    pool.start()
    try:
        job, seen = _wait(ws, job_id)
    finally:
        pool.stop()

    assert job.state is JobState.DONE, job
    assert job.progress == 1.0 and job.attempts == 1 and job.error is None
    progress = [j.progress for j in seen]
    assert progress == sorted(progress)  # never goes back
    between = {round(j.progress, 3) for j in seen if j.state is JobState.RUNNING}
    assert any(0 < p < 1 for p in between), seen  # it was seen part-way
    assert any("trộn" in j.message for j in seen)  # the Vietnamese "what now"
    assert job.result is not None
    audio = ws.root / str(job.result["path"])
    assert audio.is_file() and audio.suffix == ".mp3"
    measured = len(samples(audio)) / 16000
    assert measured == pytest.approx(float(str(job.result["duration_s"])), abs=0.15)
    assert measured > 5  # four spoken sentences with idents, not an empty file
    assert [j.id for j in list_jobs(ws, states=(JobState.DONE,))] == [job_id]


@pytest.mark.backends
def test_a_stage_error_fails_the_job_with_its_sentence(ws: Workspace) -> None:
    """The gate still refuses inside the stage: no approved Thái translation, no render."""
    job_id = submit(ws, "voice", {"script": SLUG, "language": "blt"}, _person(ws))
    with WorkerPool(ws, workers=1):
        job, _ = _wait(ws, job_id)
    assert job.state is JobState.FAILED and job.result is None
    assert job.error is not None and "chưa được duyệt" in job.error and "(blt)" in job.error
    assert job.error[0].isupper() and job.error.endswith(".")
    assert not any((ws.out_dir / SLUG).glob("*.blt.*"))


@pytest.mark.backends
def test_translate_job_drafts_through_the_cli_stage(ws: Workspace) -> None:
    """The same ``translate_script`` as 'broadcast translate': a worksheet per language; a
    second draft of the same language is refused by that stage, in its words."""
    admin = _person(ws)
    first = submit(ws, "translate", {"script": SLUG, "to": "hmn", "engine": "none"}, admin)
    second = submit(ws, "translate", {"script": SLUG, "to": "hmn", "engine": "none"}, admin)
    with WorkerPool(ws, workers=1):
        done, _ = _wait(ws, first)
        refused, _ = _wait(ws, second)
    assert done.state is JobState.DONE, done
    assert done.result == {"script": SLUG, "languages": [{"language": "hmn", "segments": 4}]}
    assert refused.state is JobState.FAILED and "đã có bản dịch" in str(refused.error)
    shown = run("-w", ws.root, "review", "show", SLUG, "--lang", "hmn")
    assert shown.exit_code == 0 and "#4" in shown.output


@pytest.mark.backends
def test_a_running_job_cancelled_stops_at_its_next_report(ws: Workspace) -> None:
    from broadcast.jobs.tasks import JobCancelled, Reporter
    from broadcast.store import jobs as store

    job_id = submit(ws, "voice", {"script": SLUG}, _person(ws))
    with ws.open_db() as db:
        attempt = store.claim(db, job_id, "test:1", "Đang bắt đầu")
    assert attempt == 1
    reporter = Reporter(ws, job_id, attempt)
    reporter.start()
    try:
        reporter(0.5, "Đang đọc câu 2/4")
        time.sleep(Reporter.INTERVAL_S * 2)
        assert get(ws, job_id).progress == 0.5
        cancel(ws, job_id, _person(ws))
        deadline = time.monotonic() + 5  # the reporter reads the row at least every second
        while not reporter.cancelled.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)
        with pytest.raises(JobCancelled):
            reporter(0.75, "Đang đọc câu 3/4")
    finally:
        reporter.stop()
    job = get(ws, job_id)
    assert job.state is JobState.CANCELLED and job.progress == 0.5
    with ws.open_db() as db:  # and the run can no longer write "done" over it
        assert not store.finish(db, job_id, attempt, {"x": 1}, "Xong")


@pytest.mark.backends
def test_submit_checks_roles_and_arguments_before_queueing(ws: Workspace) -> None:
    before = len(list_jobs(ws, limit=1000))
    viewer = _person(ws, "xem")
    with pytest.raises(InputError, match="sản xuất"):
        submit(ws, "mix", {"script": SLUG}, viewer)
    with pytest.raises(InputError, match="loại công việc"):
        submit(ws, "podcast", {"script": SLUG}, _person(ws))
    with pytest.raises(InputError, match="không có tham số speed"):
        submit(ws, "mix", {"script": SLUG, "speed": 2}, _person(ws))
    with pytest.raises(InputError, match="cần tham số 'script'"):
        submit(ws, "voice", {}, _person(ws))
    with pytest.raises(InputError, match="dịch"):  # a viewer drafts no translation
        submit(ws, "translate", {"script": SLUG, "to": "blt"}, viewer)
    assert len(list_jobs(ws, limit=1000)) == before  # nothing recorded


@pytest.mark.backends
def test_a_cancelled_job_is_never_run(ws: Workspace) -> None:
    admin = _person(ws)
    job_id = submit(ws, "video", {"script": SLUG}, admin)
    with pytest.raises(InputError, match="quản trị"):  # only its submitter or an admin
        cancel(ws, job_id, _person(ws, "xem"))
    assert cancel(ws, job_id, admin).state is JobState.CANCELLED
    with WorkerPool(ws, workers=1) as pool:
        time.sleep(1.0)  # the worker takes the queue message and finds the job cancelled
        assert pool is not None
    job = get(ws, job_id)
    assert job.state is JobState.CANCELLED and job.attempts == 0
    assert not (ws.out_dir / SLUG / "video.mp4").exists()
    with pytest.raises(InputError, match="đã kết thúc"):
        cancel(ws, job_id, admin)


@pytest.mark.backends
def test_recover_requeues_a_dead_render_once_and_fails_the_rest(ws: Workspace) -> None:
    admin = _person(ws)
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fresh = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    render = submit(ws, "voice", {"script": SLUG}, admin)
    again = submit(ws, "voice", {"script": SLUG}, admin)
    draft = submit(ws, "translate", {"script": SLUG, "to": "blt", "engine": "none"}, admin)
    alive = submit(ws, "voice", {"script": SLUG}, admin)
    _set_running(ws, render, worker="may-khac:4242", heartbeat=old, attempts=1)
    _set_running(ws, again, worker="may-khac:4242", heartbeat=old, attempts=2)
    _set_running(ws, draft, worker="may-khac:4242", heartbeat=old, attempts=1)
    # a live worker elsewhere, beating: left alone
    _set_running(ws, alive, worker="may-khac:4243", heartbeat=fresh, attempts=1)

    fixed = recover(ws)
    assert fixed.requeued == [render]
    assert sorted(fixed.failed) == sorted([again, draft])
    assert get(ws, render).state is JobState.QUEUED
    for job_id in (again, draft):
        job = get(ws, job_id)
        assert job.state is JobState.FAILED and job.error == INTERRUPTED
    assert get(ws, alive).state is JobState.RUNNING
    # a worker process of this machine that is gone is dead at once, whatever its heartbeat
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    _set_running(ws, alive, worker=f"{os.uname().nodename}:{dead.stdout.strip()}",
                 heartbeat=fresh, attempts=1)  # fmt: skip
    assert recover(ws).requeued == [alive]

    with WorkerPool(ws, workers=1):  # the re-queued renders run to the end
        for job_id in (render, alive):
            job, _ = _wait(ws, job_id)
            assert job.state is JobState.DONE and job.attempts == 2, job
    assert not [j for j in list_jobs(ws, limit=1000) if j.state is JobState.RUNNING]


@pytest.mark.backends
def test_broadcast_worker_process_runs_a_job_and_stops_on_sigterm(ws: Workspace) -> None:
    job_id = submit(ws, "mix", {"script": SLUG, "profile": "web"}, _person(ws))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "broadcast", "-w", str(ws.root), "worker", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        job, _ = _wait(ws, job_id, timeout_s=90)
        assert job.state is JobState.DONE, job
        assert job.worker is not None and job.worker.endswith(f":{proc.pid}")
        assert job.result is not None and str(job.result["path"]).endswith("audio-web.m4a")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Đã dừng bộ chạy việc" in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_produce_job_makes_a_segment_awaiting_content_approval(ws: Workspace) -> None:
    """The same ``produce`` as the CLI, article uploaded into the workspace: every stage
    label is reported on the way, and the segment waits for the content approver."""
    from test_produce import ARTICLE

    from broadcast.produce import AWAITING, STAGES

    (ws.root / "articles" / "bai-viet.md").write_text(ARTICLE, encoding="utf-8")
    job_id = submit(ws, "produce", {"article": "articles/bai-viet.md", "minutes": 0.5}, _person(ws))
    with WorkerPool(ws, workers=1):
        job, seen = _wait(ws, job_id, timeout_s=120)
    assert job.state is JobState.DONE, job
    assert job.result is not None and job.result["state"] == AWAITING
    assert Path(str(job.result["audio"])).is_file() and Path(str(job.result["video"])).is_file()
    messages = {j.message for j in seen}
    # "Dựng video có phụ đề" (alone, or with the step it is at) was shown while it ran
    assert any(m.startswith(STAGES[4]) for m in messages), messages
    with pytest.raises(InputError, match="Không tìm thấy bài viết"):
        submit(ws, "produce", {"article": "articles/khong-co.md"}, _person(ws))


@pytest.mark.slow
def test_a_worker_stopped_mid_job_gives_the_job_back(ws: Workspace) -> None:
    """SIGTERM while a render runs: the process exits cleanly and the job is queued again
    (renders are safe to re-run), not left "running" for a worker that is gone."""
    # A production nothing of which is cached yet: several seconds of work to stop in.
    (ws.root / "articles" / "hoi-nghi.md").write_text(
        "# Xã tổ chức hội nghị đối thoại với nhân dân\n\n"
        "Sáng thứ Năm, Ủy ban nhân dân xã tổ chức hội nghị đối thoại với nhân dân về thủ "
        "tục hành chính.\n\nCán bộ một cửa giải đáp các câu hỏi về chứng thực và hộ tịch."
        "\n\nBà con được hướng dẫn cài đặt ứng dụng định danh điện tử trên điện thoại.\n",
        encoding="utf-8",
    )
    job_id = submit(ws, "produce", {"article": "articles/hoi-nghi.md", "minutes": 0.5},
                    _person(ws))  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "broadcast", "-w", str(ws.root), "worker", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while get(ws, job_id).state is JobState.QUEUED and time.monotonic() < deadline:
            time.sleep(0.05)
        assert get(ws, job_id).state is JobState.RUNNING
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    job = get(ws, job_id)
    assert job.state is JobState.QUEUED and job.attempts == 1, job
    assert "trả lại hàng đợi" in err and "Traceback" not in err, err
    with WorkerPool(ws, workers=1):  # another worker finishes it
        job, _ = _wait(ws, job_id, timeout_s=120)
    assert job.state is JobState.DONE and job.attempts == 2, job
    assert job.result is not None and Path(str(job.result["video"])).is_file()


@pytest.mark.backends
def test_progress_writes_are_throttled(ws: Workspace) -> None:
    """A stage may report thousands of times; the database sees at most ~4 writes a second
    (counted by a trigger on the real table), and the last value is the one kept."""
    from broadcast.jobs.tasks import Reporter
    from broadcast.store import jobs as store

    job_id = submit(ws, "voice", {"script": SLUG}, _person(ws))
    with ws.open_db() as db:
        attempt = store.claim(db, job_id, "test:2", "Đang bắt đầu")
    assert attempt is not None
    conn = raw_sql(ws.root)
    with conn:
        conn.execute("CREATE TABLE IF NOT EXISTS test_job_writes (job INTEGER)")
        if store_url() is None:
            conn.execute(
                "CREATE TRIGGER IF NOT EXISTS test_count_job_writes AFTER UPDATE ON jobs"
                " BEGIN INSERT INTO test_job_writes VALUES (NEW.id); END"
            )
        else:  # the same counting trigger in PostgreSQL's form
            conn.execute(
                "CREATE FUNCTION test_count_job_writes() RETURNS trigger LANGUAGE plpgsql"
                " AS $$ BEGIN INSERT INTO test_job_writes VALUES (NEW.id); RETURN NULL; END $$"
            )
            conn.execute(
                "CREATE TRIGGER test_count_job_writes AFTER UPDATE ON jobs"
                " FOR EACH ROW EXECUTE FUNCTION test_count_job_writes()"
            )
    reporter = Reporter(ws, job_id, attempt)
    reporter.start()
    started = time.monotonic()
    calls = 0
    try:
        while time.monotonic() - started < 1.5:
            calls += 1
            reporter(min(calls / 100_000, 0.99), f"Đang đọc câu {calls}")
    finally:
        reporter.stop()
    elapsed = time.monotonic() - started
    with conn:
        writes = conn.execute(
            "SELECT COUNT(*) FROM test_job_writes WHERE job = ?", (job_id,)
        ).fetchone()[0]
        conn.execute(
            "DROP TRIGGER test_count_job_writes"
            if store_url() is None
            else "DROP TRIGGER test_count_job_writes ON jobs"
        )
        conn.execute("DROP TABLE test_job_writes")
    conn.close()
    assert calls > 1000
    assert 2 <= writes <= elapsed / Reporter.INTERVAL_S + 2, (writes, elapsed)
    job = get(ws, job_id)
    assert job.message == f"Đang đọc câu {calls}"  # the final report is flushed on stop
    with ws.open_db() as db:
        store.cancel(db, job_id, "Đã hủy theo yêu cầu")


@pytest.mark.backends
def test_silence_is_judged_by_the_database_clock(ws: Workspace) -> None:
    """Heartbeats are stamped by the database's clock, so the cutoff is read from it too
    (workers on several machines do not trust their own clocks): it is UTC and, on this
    one machine, the machine's time."""
    with ws.open_db() as db:
        now = database_now(db)
    assert now.tzinfo is dt.UTC
    assert abs((now - dt.datetime.now(dt.UTC)).total_seconds()) < 5
