"""``broadcast web`` itself, as a Center runs it: a process serving the pages, printing the
first-run address, running jobs in its child ``broadcast worker`` process, and leaving no
process behind when it is stopped."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from helpers import make_workspace
from render_support import SLUG, samples, store_script

from broadcast.jobs import get, submit
from broadcast.model.jobs import JobKind
from broadcast.store.people import first_admin
from broadcast.store.workspace import find_workspace

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found |= {int(t) for t in text}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_web_serves_runs_jobs_in_its_worker_process_and_stops_cleanly(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "dai")
    store_script(root)
    ws = find_workspace(root)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "broadcast", "-w", str(root), "web", "--port", str(port)],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        page = None
        while page is None:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/dang-nhap", timeout=2)
            except httpx.HTTPError:
                assert server.poll() is None and time.monotonic() < deadline, "did not start"
                time.sleep(0.2)
        assert page.status_code == 200 and "Cài đặt lần đầu" in page.text
        workers = _children(server.pid)
        assert len(workers) == 1, workers  # the job worker process
        with ws.open_db() as db:
            admin = first_admin(db)
        assert admin is not None
        job_id = submit(ws, JobKind.MIX, {"script": SLUG}, admin)
        while not (job := get(ws, job_id)).state.finished:
            assert time.monotonic() < deadline + 90, job
            time.sleep(0.2)
        assert job.state.value == "done", job
        mixed = root / str(job.result["path"])
        assert len(samples(mixed)) > 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
    err = server.stderr.read() if server.stderr else ""
    assert f"http://127.0.0.1:{port}/bat-dau?ma=" in err  # the first-run address
    time.sleep(0.5)
    assert not any(_alive(pid) for pid in workers), "the worker outlived the server"
