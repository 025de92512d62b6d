"""`scripts/demo` end to end on a copy of the repository's entry points: it produces,
approves and schedules the sample article (audio, video and a playlist)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from broadcast.schedule.m3u8 import parse_m3u8

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_demo_produces_approves_and_schedules(tmp_path: Path) -> None:
    root = tmp_path / "clone"
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(REPO / "scripts" / "demo", root / "scripts" / "demo")
    # The real _venv.sh installs the project with pip (network); here the installed venv
    # stands in for it, so the demo's own commands are what runs.
    (root / "scripts" / "_venv.sh").write_text(
        'ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"\n', encoding="utf-8"
    )
    shutil.copytree(REPO / "examples", root / "examples")
    (root / ".venv").symlink_to(Path(sys.prefix))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BROADCAST_")}
    proc = subprocess.run(
        ["bash", str(root / "scripts" / "demo"), "--minutes", "0.5", "--at", "2026-11-24 05:00"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    out = root / "demo-workspace" / "out"
    assert "đã duyệt" in proc.stdout and "Danh sách phát" in proc.stdout
    audio = sorted(out.glob("*/audio.mp3"))
    assert len(audio) == 1 and (audio[0].parent / "video.mp4").is_file()
    playlists = sorted((out / "playlists").rglob("2026-11-24_*.m3u8"))
    entries = [
        (p.parent / rel).resolve()
        for p in playlists
        for _, _, rel in parse_m3u8(p.read_text(encoding="utf-8"))
    ]
    assert audio[0].resolve() in entries
