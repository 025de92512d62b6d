"""Benchmark: how long the everyday commands take to start and answer, beside their floor.

Each command runs as a fresh process (as a producer types it), several times; the median
wall time is printed beside the floor measured in the same run on the same machine: a
Python that only imports click (``python -c "import click"``), which no click program can
beat. Targets (issue 15): ``--help`` and ``normalize`` at most 0.3 s, ``summarize`` and
``script build --no-save``-style work at most 1 s. Nothing is asserted: the figures are for
the closing notes and for spotting a heavy import creeping back (``-X importtime`` on the
slow one says which).

    .venv/bin/python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from installed_bytecode import compile_package

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "articles" / "dich-vu-cong-truc-tuyen.md"
BIN = Path(sys.executable).parent / "broadcast"


def wall(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "BROADCAST_WORKSPACE": str(work / "ws")}
        subprocess.run(
            [str(BIN), "init", str(work / "ws"), "--station", "Đài xã", "--commune", "Mường La",
             "--province", "Sơn La"],
            env=env, capture_output=True, check=True,
        )  # fmt: skip
        commands = {
            "floor: python -c 'import click'": [sys.executable, "-c", "import click"],
            "broadcast --help": [str(BIN), "--help"],
            "broadcast normalize '…'": [
                str(BIN), "normalize", "UBND xã tiếp nhận 1.234 hồ sơ ngày 15/3/2026.",
            ],
            "broadcast summarize ARTICLE": [str(BIN), "summarize", str(ARTICLE)],
            "broadcast script ARTICLE (stored)": [str(BIN), "script", "build", str(ARTICLE)],
        }  # fmt: skip
        load = os.getloadavg()[0]
        print(f"startup, median of {args.runs} runs, {os.cpu_count()} cores, load {load:.1f}")
        print("  (bytecode compiled beforehand, as an installed copy has it)")
        floor = None
        for label, argv in commands.items():
            times = [wall(argv, env, work) for _ in range(args.runs)]
            median = statistics.median(times)
            floor = floor if floor is not None else median
            ratio = "" if median is floor else f"   {median / floor:4.1f}x floor"
            print(f"  {label:38s} {median:6.3f} s  (min {min(times):.3f}){ratio}")


if __name__ == "__main__":
    main()
