"""Nothing left behind: the start-up sweep and ``broadcast cache prune``.

Debris is made the way a killed run makes it (names carrying a process id that no longer
exists); the sweep runs through the CLI the way every command starts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import make_workspace, run
from render_support import SLUG, store_script

from broadcast.store.workspace import RUN_MARKER, find_workspace, sweep_leftovers

HOUR = 3600


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(p, (then, then))


def _folder(path: Path, content: bytes = b"x" * 1000) -> Path:
    path.mkdir(parents=True)
    (path / "audio.mp3").write_bytes(content)
    return path


# --- the start-up sweep ---------------------------------------------------------------------


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    store_script(root)  # a stored segment whose folder is out/<SLUG>
    return root


def test_sweep_removes_dead_runs_debris_and_keeps_live_work(workspace: Path) -> None:
    dead, live = _dead_pid(), os.getpid()
    stages = workspace / ".cache" / "stages" / "mix"
    debris = [
        _folder(workspace / ".staging" / f"produce.{dead}.abcd1234"),
        _folder(stages / f".{'a' * 32}.{dead}.k2j3h4g5"),
        _folder(workspace / ".staging" / "produce-oldname1"),  # no pid, two hours old
    ]
    _age(debris[2], 2 * HOUR)
    for name in (f".x.wav.{dead}.abcdefgh.tmp", f".y.wav.{dead}.abcdefgh.tmp"):
        (workspace / ".cache" / "voice").mkdir(parents=True, exist_ok=True)
        debris.append(workspace / ".cache" / "voice" / name)
        debris[-1].write_bytes(b"RIFF")
    (workspace / "out" / "playlists").mkdir(parents=True)
    debris.append(workspace / "out" / "playlists" / f".a.m3u8.{dead}.abcdefgh.tmp")
    debris[-1].write_text("#EXTM3U\n")
    alive = [
        _folder(workspace / ".staging" / f"produce.{live}.abcd1234"),  # a concurrent run
        _folder(stages / f".{'b' * 32}.{live}.k2j3h4g5"),
        _folder(workspace / ".staging" / "produce-newname1"),  # no pid, but recent
        _folder(stages / ("c" * 32)),  # a finished entry: prune's business, not the sweep's
    ]
    notes = workspace / ".ghi-chu.tmp"  # the user's own file, not a name we write
    notes.write_text("việc cần làm\n", encoding="utf-8")
    _age(notes, 2 * HOUR)
    alive.append(notes)

    # Every command starts by sweeping; this one reads nothing else.
    result = run("-w", workspace, "cache", "prune", "--dry-run")
    assert result.exit_code == 0, result.output

    assert [p for p in debris if p.exists()] == []
    assert all(p.exists() for p in alive)


def test_sweep_removes_an_uncommitted_out_folder_and_adopts_a_committed_one(
    workspace: Path,
) -> None:
    dead = _dead_pid()
    orphan = _folder(workspace / "out" / "2026-11-24-ban-tin-bi-ngat")
    (orphan / RUN_MARKER).write_text(f"{dead}\n")
    committed = _folder(workspace / "out" / SLUG)  # its script row exists
    (committed / RUN_MARKER).write_text(f"{dead}\n")
    running = _folder(workspace / "out" / "2026-11-24-dang-chay")
    (running / RUN_MARKER).write_text(f"{os.getpid()}\n")
    untouched = _folder(workspace / "out" / "2026-11-24-khong-danh-dau")  # not a run's

    sweep = sweep_leftovers(find_workspace(workspace))

    assert not orphan.exists()
    assert orphan in sweep.removed
    assert sweep.adopted == [committed]
    assert (committed / "audio.mp3").is_file() and not (committed / RUN_MARKER).exists()
    assert (running / RUN_MARKER).is_file()
    assert (untouched / "audio.mp3").is_file()


@pytest.mark.slow
def test_produce_after_a_kill_before_its_commit_reuses_the_name(tmp_path: Path) -> None:
    """What a kill between the move into out/ and the commit leaves: the next run takes the
    same name instead of writing '-2' beside the orphan."""
    root = make_workspace(tmp_path / "ws")
    article = tmp_path / "thong-bao.md"
    article.write_text(
        "# Thông báo lịch tiếp công dân\n\nUBND xã tiếp công dân vào sáng thứ Hai.\n",
        encoding="utf-8",
    )
    slug = "2026-11-24-thong-bao-lich-tiep-cong-dan"
    orphan = _folder(root / "out" / slug)
    (orphan / RUN_MARKER).write_text(f"{_dead_pid()}\n")

    result = run("-w", root, "produce", article, "--minutes", "0.25", "--at", "2026-11-24 05:00")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "out").iterdir()) == [slug]  # awaits approval
    assert (root / "out" / slug / "video.mp4").is_file()
    assert not (root / "out" / slug / RUN_MARKER).exists()
    assert list((root / ".staging").iterdir()) == []


# --- cache prune ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A stored script voiced and mixed: its render row names one mix entry."""
    root = make_workspace(tmp_path_factory.mktemp("prune") / "ws")
    store_script(root)
    result = run("-w", root, "mix", SLUG, "--no-bed")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture()
def cached(mixed: Path, tmp_path: Path) -> tuple[Path, list[Path], list[Path]]:
    """A copy with unreferenced entries added; returns (root, unreferenced, referenced)."""
    root = tmp_path / "ws"
    shutil.copytree(mixed, root)
    cache = root / ".cache"
    referenced = sorted((cache / "stages" / "mix").iterdir()) + sorted((cache / "voice").iterdir())
    assert len(referenced) == 1 + 4, "one mix, four sentences"
    unreferenced = [
        _folder(cache / "stages" / "mix" / ("d" * 32)),
        _folder(cache / "stages" / "video" / ("e" * 32), b"v" * 5000),
        cache / "voice" / f"{'f' * 32}.wav",
    ]
    unreferenced[2].write_bytes(b"w" * 2000)
    for path in [*referenced, *unreferenced]:
        _age(path, 2 * HOUR)
    return root, unreferenced, referenced


def test_prune_dry_run_lists_and_removes_nothing(cached) -> None:
    root, unreferenced, referenced = cached
    result = run("-w", root, "cache", "prune", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(data["removed"]) == sorted(str(p.relative_to(root)) for p in unreferenced)
    assert data["bytes"] == 1000 + 5000 + 2000
    assert data["kept"] == len(referenced)
    assert all(p.exists() for p in [*unreferenced, *referenced])


def test_prune_removes_only_what_nothing_references(cached) -> None:
    root, unreferenced, referenced = cached
    fresh = _folder(root / ".cache" / "stages" / "mix" / ("9" * 32))  # just built: a run's

    result = run("-w", root, "cache", "prune")
    assert result.exit_code == 0, result.output
    assert "Đã xóa 3 mục" in result.stdout
    assert "8.0 kB" in result.stdout
    assert [p for p in unreferenced if p.exists()] == []
    assert all(p.exists() for p in referenced)
    assert fresh.exists() and "Giữ thêm 1 mục" in result.stdout

    # What the render needs is still there: the same mix again comes from the cache.
    again = run("-w", root, "mix", SLUG, "--no-bed", "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["reused"] == {"voice": True, "mix": True}


# --- processes that end with the run -------------------------------------------------------

PARENT = """
import subprocess, sys, time
from broadcast.lifecycle import bound_to_parent, install_signal_handlers
install_signal_handlers()
child = subprocess.Popen(["sleep", "60"], preexec_fn=bound_to_parent())
try:
    print(child.pid, flush=True)  # inside try: the signal may arrive as soon as it is read
    time.sleep(60)
except KeyboardInterrupt as exc:
    print("dọn dẹp", type(exc).__name__, getattr(exc, "exit_code", None), flush=True)
    child.kill()
    raise SystemExit(3)
"""


def _gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state in ("Z", "X"):  # dead, waiting for a reaper
            return True
        time.sleep(0.02)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_a_child_dies_with_its_parent_even_by_sigkill() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()  # SIGKILL: nothing runs in the parent
    parent.wait()
    assert _gone(child), "the child outlived its SIGKILLed parent"


def test_sigterm_unwinds_like_ctrl_c() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.terminate()
    out, _ = parent.communicate(timeout=10)
    assert out.strip() == "dọn dẹp Stopped 143", "the except/finally blocks ran"
    assert parent.returncode == 3
    assert _gone(child)
