"""`broadcast produce` killed at every stage: nothing outlives it and the re-run is clean.

The run is a real subprocess in its own session (its process group is ours to watch), with
an article long enough (26 sentences) that the voice stage starts its process pool. It is
killed with SIGKILL and with SIGTERM at each of the six stages, at a moment where the stage
is doing real work (its cache is emptied first; the voice and mix stages are killed while
their worker or ffmpeg processes run). Afterwards no process of its group may be alive, the
re-run must give the same folder name (no ``-2``), reuse the cache (no duplicate entries) and
leave no staging or temporary debris, and SQLite's integrity check must pass.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import make_workspace, run

pytestmark = pytest.mark.slow

AT = "2026-11-24 05:00"
MINUTES = "5"
SLUG = "2026-11-24-tin-ngan-ve-dich-vu-cong-truc-tuyen"

# 23 distinct short facts: distinct enough that the summary keeps them all (26 sentences
# with the framing; the pool starts at 24), short enough that the clip renders in seconds.
FACTS = (
    "Bản Nà Sài nộp mười hồ sơ qua mạng.",
    "Tổ công nghệ số giúp người già cài VNeID.",
    "Bộ phận Một cửa mở cửa cả sáng thứ bảy.",
    "Lệ phí khai sinh được miễn hoàn toàn.",
    "Chủ tịch xã tiếp dân vào thứ hai hằng tuần.",
    "Thanh niên nhập ngũ cần khám sức khỏe trước.",
    "Hộ nghèo được hỗ trợ đóng bảo hiểm y tế.",
    "Trạm y tế tiêm phòng cho trẻ em ngày mười lăm.",
    "Đường liên bản Co Muông đã được trải bê tông.",
    "Hợp tác xã chè thu mua búp tươi giá cao.",
    "Cán bộ địa chính đo đạc lại ruộng bậc thang.",
    "Bà con nên giữ kỹ mật khẩu tài khoản định danh.",
    "Nhà văn hóa Huổi Một có mạng wifi miễn phí.",
    "Phụ nữ mang thai được khám thai định kỳ.",
    "Công an xã làm căn cước gắn chip lưu động.",
    "Mùa mưa lũ cần chằng chống nhà cửa cẩn thận.",
    "Chợ phiên Pá Lau họp vào chủ nhật.",
    "Trường mầm non tuyển sinh từ đầu tháng sáu.",
    "Đội văn nghệ bản Nậm Ty luyện múa xòe.",
    "Ai mất giấy tờ hãy báo ngay cho trưởng bản.",
    "Kết quả giải quyết được trả tận nhà qua bưu điện.",
    "Cổng dịch vụ công hoạt động suốt ngày đêm.",
    "Mọi thắc mắc xin gọi đường dây nóng của xã.",
)
ARTICLE = "# Tin ngắn về dịch vụ công trực tuyến\n\n" + "\n\n".join(FACTS) + "\n"

# What each stage's kill needs emptied from the cache so that the stage really works.
EMPTIED = {3: ("voice",), 4: ("stages/mix",), 5: ("stages/video",)}


def _group(pgid: int) -> list[tuple[int, str]]:
    """Live (not zombie) processes of a process group, with their command name."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found.append((int(stat.parent.name), name))
    return found


def _wait_for_work(pgid: int, stage: int, deadline: float) -> None:
    """Until the stage has children at work: the pool's workers, or ffmpeg."""
    while stage in (3, 4, 5) and time.monotonic() < deadline:
        children = [p for p in _group(pgid) if p[0] != pgid]
        if stage == 3 and len(children) >= 2:
            return
        if stage in (4, 5) and any("ffmpeg" in name for _, name in children):
            return
        time.sleep(0.01)


class _Reader:
    """The run's stderr read on a thread: lines as they come, and when the pipe closes
    (only once every process holding it, children included, has ended)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stderr is not None
        self._pipe = proc.stderr
        self._lines: list[str] = []
        self._new = threading.Condition()
        self.closed = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self._pipe:
            with self._new:
                self._lines.append(raw.decode("utf-8", "replace"))
                self._new.notify_all()
        self._pipe.close()
        self.closed.set()
        with self._new:
            self._new.notify_all()

    def wait_for(self, marker: str, timeout: float) -> bool:
        with self._new:
            return self._new.wait_for(
                lambda: any(marker in line for line in self._lines) or self.closed.is_set(),
                timeout,
            ) and any(marker in line for line in self._lines)

    def text(self) -> str:
        with self._new:
            return "".join(self._lines)


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> tuple[Path, Path]:
    """A cache filled by one complete run; each kill starts from a copy of it."""
    tmp = tmp_path_factory.mktemp("kill")
    article = tmp / "tin-ngan.md"
    article.write_text(ARTICLE, encoding="utf-8")
    root = make_workspace(tmp / "warm")
    result = run("-w", root, "produce", article, "--minutes", MINUTES, "--at", AT, "--json")
    assert result.exit_code == 0, result.output
    assert '"sentences": 26' in result.stdout, "long enough for the voice process pool"
    return root / ".cache", article


def _debris(root: Path) -> list[Path]:
    staging = root / ".staging"
    found = list(staging.iterdir()) if staging.is_dir() else []
    for folder in (root / ".cache" / "stages").iterdir():
        found += [p for p in folder.iterdir() if p.name.startswith(".")]
    found += [p for p in (root / ".cache" / "voice").iterdir() if p.name.startswith(".")]
    found += [p for p in root.rglob(".*.tmp")]
    return found


@pytest.mark.parametrize("stage", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_killed_produce_leaves_nothing_behind(
    tmp_path: Path, warm_cache: tuple[Path, Path], signum: int, stage: int
) -> None:
    cache, article = warm_cache
    root = make_workspace(tmp_path / "ws")
    shutil.copytree(cache, root / ".cache")
    for sub in EMPTIED.get(stage, ()):
        shutil.rmtree(root / ".cache" / sub)

    proc = subprocess.Popen(
        [sys.executable, "-m", "broadcast", "-w", str(root), "produce", str(article)]
        + ["--minutes", MINUTES, "--at", AT],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stderr = _Reader(proc)
        started = stderr.wait_for(f"[{stage}/6]", timeout=60)
        assert started, stderr.text()
        _wait_for_work(proc.pid, stage, time.monotonic() + 10)
        os.kill(proc.pid, signum)
        code = proc.wait(timeout=30)
        # A child still holding the run's stderr would keep the caller waiting for ever.
        assert stderr.closed.wait(5), "a worker or ffmpeg holds the killed run's pipe open"
        rest = stderr.text()

        if signum == signal.SIGTERM:  # unwound like Ctrl-C: clean exit, one sentence
            assert code in (0, 143), rest  # 128 + SIGTERM; 0 if it finished first
            if code != 0:
                assert "Đã dừng theo yêu cầu" in rest
                assert "Traceback" not in rest
        else:
            assert code == -signal.SIGKILL

        deadline = time.monotonic() + 5
        while _group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _group(proc.pid) == [], "a worker or ffmpeg outlived the killed run"
    finally:  # whatever failed above, leave no process of this test behind
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    conn = sqlite3.connect(root / "broadcast.db")
    try:
        committed = conn.execute("SELECT COUNT(*) FROM scripts").fetchone()[0]
    finally:
        conn.close()

    again = run("-w", root, "produce", article, "--minutes", MINUTES, "--at", AT, "--json")
    assert again.exit_code == 0, again.output
    folders = sorted(p.name for p in (root / "out").iterdir() if p.name != "playlists")
    if committed:  # killed after its commit (stage 6 only): a finished segment, kept
        assert stage == 6 and folders == [SLUG], "the same input again: no copy"
        assert '"reused": true' in again.stdout
        assert not (root / "out" / SLUG / ".broadcast-run").exists(), "adopted"
    else:
        assert folders == [SLUG], "the re-run takes the killed run's name, no '-2'"
    assert f'"slug": "{SLUG}' in again.stdout
    assert _debris(root) == []
    if stage != 3:  # reused, not rebuilt beside: one loudspeaker and one web mix, one clip
        # (after a kill in the voice stage the re-run speaks again, and espeak-ng's audio
        # differs slightly from run to run: new mix and clip keys, by design of the cache)
        assert len(list((root / ".cache" / "stages" / "mix").iterdir())) == 2
        assert len(list((root / ".cache" / "stages" / "video").iterdir())) == 1
    conn = sqlite3.connect(root / "broadcast.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
