"""Render workers that die: a stage is never built twice at once, and a worker killed with
SIGKILL in the middle of a video leaves its job to another worker, which finishes it.

Real ``broadcast worker`` processes on one workspace, on each store (Huey on SQLite beside
``broadcast.db``, or Huey's PostgreSQL storage in the station's PostgreSQL database; real
espeak-ng and ffmpeg); the killed one gets no chance to say anything, so the job can only be
taken back by the survivor's periodic recovery (``jobs.workers.keep_recovering``).
Afterwards there is one job result, one render row and one file of each kind, and no
half-written file in sight.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import make_workspace, raw_sql
from render_support import samples, store_script

from broadcast.jobs import get, submit
from broadcast.model.jobs import Job, JobState
from broadcast.model.script import Role
from broadcast.render.cache import DONE, StageCache
from broadcast.store.people import first_admin
from broadcast.store.workspace import find_workspace

SLUG = "2026-11-24-lich-lam-viec-bo-phan-mot-cua"
# Long enough that the clip takes a few seconds to draw and encode (a window to kill in).
SENTENCES = (
    (Role.OPENING, "Đây là Đài truyền thanh xã Mường La."),
    *(
        (Role.BODY, text)
        for text in (
            "Bộ phận Một cửa mở cửa cả sáng thứ bảy.",
            "Lệ phí khai sinh được miễn hoàn toàn.",
            "Chủ tịch xã tiếp dân vào thứ hai hằng tuần.",
            "Hộ nghèo được hỗ trợ đóng bảo hiểm y tế.",
            "Trạm y tế tiêm phòng cho trẻ em ngày mười lăm.",
            "Đường liên bản Co Muông đã được trải bê tông.",
            "Công an xã làm căn cước gắn chip lưu động.",
            "Cổng dịch vụ công hoạt động suốt ngày đêm.",
        )
    ),
    (Role.CLOSING, "Cảm ơn bà con đã lắng nghe."),
)


def _worker(root: Path) -> subprocess.Popen[str]:
    """A ``broadcast worker`` in its own process group (its ffmpeg children with it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "broadcast", "-w", str(root), "worker", "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _until(check, timeout_s: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
@pytest.mark.backends
def test_a_worker_killed_mid_video_leaves_the_job_to_the_other(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    store_script(root, SLUG, sentences=SENTENCES)
    ws = find_workspace(root)
    with ws.open_db() as db:
        admin = first_admin(db)
    assert admin is not None
    workers = [_worker(root), _worker(root)]
    try:
        job_id = submit(ws, "video", {"script": SLUG}, admin)

        def encoding() -> Job | None:
            job = get(ws, job_id)
            return job if job.state is JobState.RUNNING and "mã hóa" in job.message else None

        running = _until(encoding, 120, "the video being encoded")
        assert running.worker is not None
        pid = int(running.worker.rpartition(":")[2])
        victim = next(p for p in workers if p.pid == pid)
        survivor = next(p for p in workers if p.pid != pid)
        os.killpg(victim.pid, signal.SIGKILL)  # the worker and its ffmpeg, no goodbye
        victim.wait(timeout=30)
        assert victim.returncode == -signal.SIGKILL

        video_cache = root / ".cache" / "stages" / "video"
        builds = [p for p in video_cache.iterdir() if p.is_dir() and p.name.startswith(".")]
        assert builds, "killed while building: its private folder is left behind"
        assert not any(p for p in video_cache.iterdir() if (p / DONE).is_file())
        assert get(ws, job_id).state is JobState.RUNNING  # nobody told the database

        def finished() -> Job | None:
            job = get(ws, job_id)
            return job if job.state.finished else None

        job = _until(finished, 120, "the survivor to finish the job")
        assert job.state is JobState.DONE, job
        assert job.attempts == 2 and job.worker is not None
        assert job.worker.endswith(f":{survivor.pid}"), job.worker

        # one finished video entry in the cache, one file of each kind, one row of each
        assert len([p for p in video_cache.iterdir() if (p / DONE).is_file()]) == 1
        folder = root / "out" / SLUG
        assert sorted(p.name for p in folder.iterdir()) == [
            "subtitles.srt",
            "subtitles.vtt",
            "thumbnail.png",
            "video.mp4",
        ], "no temporary or half-written file beside the outputs"
        audio_s = len(samples(folder / "video.mp4")) / 16000
        assert audio_s > 20  # ten spoken sentences with idents: the whole clip
        conn = raw_sql(root)
        try:
            rows = conn.execute(
                "SELECT kind, path, COUNT(*) FROM renders GROUP BY kind, path ORDER BY path"
            ).fetchall()
        finally:
            conn.close()
        assert [(kind, Path(path).name, n) for kind, path, n in rows] == [
            ("subtitles", "subtitles.srt", 1),
            ("subtitles", "subtitles.vtt", 1),
            ("thumbnail", "thumbnail.png", 1),
            ("video", "video.mp4", 1),
        ]
        survivor.send_signal(signal.SIGTERM)
        _, err = survivor.communicate(timeout=30)
        assert survivor.returncode == 0 and "Traceback" not in err, err
    finally:
        for proc in workers:
            _stop(proc)


def test_two_runs_wanting_one_stage_build_it_once(tmp_path: Path) -> None:
    cache = StageCache(tmp_path / "stages")
    calls: list[str] = []
    results: list[tuple[Path, bool]] = []

    def build(work: Path) -> None:
        calls.append(threading.current_thread().name)
        time.sleep(0.3)  # the other run arrives while this one builds
        (work / "out.txt").write_text("made once\n", encoding="utf-8")

    def run() -> None:
        results.append(cache.get_or_build("video", "k" * 32, build))

    threads = [threading.Thread(target=run, name=f"run-{n}") for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1, "the second run waited and took the first one's entry"
    assert sorted(reused for _, reused in results) == [False, True]
    assert {folder for folder, _ in results} == {tmp_path / "stages" / "video" / ("k" * 32)}
    assert (tmp_path / "stages" / "video" / ("k" * 32) / "out.txt").read_text() == "made once\n"


def test_a_lock_held_by_a_killed_process_is_free_at_once(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from broadcast.render.cache import StageCache; "
            "c = StageCache(Path(sys.argv[1]));\n"
            "with c.lock('mix', 'k'):\n"
            "    print('held', flush=True); time.sleep(60)",
            str(tmp_path / "stages"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        cache = StageCache(tmp_path / "stages")
        waited: list[float] = []

        def take() -> None:
            started = time.monotonic()
            with cache.lock("mix", "k"):
                waited.append(time.monotonic() - started)

        taker = threading.Thread(target=take)
        taker.start()
        taker.join(0.5)
        assert taker.is_alive(), "the lock is really held by the other process"
        holder.kill()
        holder.wait(10)
        taker.join(10)
        assert waited and waited[0] < 5, "released by its process dying, not by a timeout"
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
