"""Benchmark: `broadcast produce` on the sample article against plain ffmpeg.

Prints wall time and peak memory (max RSS of the process tree) of a full produce run,
beside, in the same run, ffmpeg alone encoding the same audio with a still image looped at
25 fps into a 1080x1920 H.264/AAC MP4 (no speech synthesis, no mixing, no subtitles), and
their ratio. Issue 2 calls that encode a lower bound; produce can beat it because its video
stage encodes only the pictures that change (one per subtitle, variable frame rate).
Nothing is asserted: figures are for the closing notes and for spotting regressions.

    .venv/bin/python bench/produce.py [--minutes 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "articles" / "dich-vu-cong-truc-tuyen.md"
STATION = ROOT / "examples" / "station" / "station.toml"


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB of the child tree, and stdout of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out, _ = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak_kib / 1024, out.decode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    args = parser.parse_args()
    broadcast = str(Path(sys.executable).parent / "broadcast")
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        subprocess.run(
            [broadcast, "init", str(ws), "--station", "x", "--commune", "x", "--province", "x"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        shutil.copy(STATION, ws / "station.toml")
        env = {**os.environ, "BROADCAST_WORKSPACE": str(ws)}
        cmd = [broadcast, "produce", str(ARTICLE), "--minutes", str(args.minutes), "--json"]
        wall, peak, out = timed(cmd, env)
        result = json.loads(out)

        # Lower bound: the same audio and one still picture, straight through ffmpeg.
        from broadcast.audio.ffmpeg import ffmpeg_exe
        from broadcast.video.frames import title_card

        still = Path(tmp) / "still.png"
        title_card("Đài", "Chuyên mục", "Tiêu đề", "01/01/2026").save(still)
        base_cmd = [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-loop",
            "1",
            "-framerate",
            "25",
            "-i",
            str(still),
            "-i",
            result["audio"],
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-tune",
            "stillimage",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-t",
            str(result["duration_s"]),
            str(Path(tmp) / "base.mp4"),
        ]
        # RUSAGE_CHILDREN is a maximum over all children so far: measure the baseline in a
        # fresh interpreter so its peak is its own.
        probe = (
            "import resource,subprocess,sys,time;t=time.perf_counter();"
            "subprocess.run(sys.argv[1:],check=True);"
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        base_out = subprocess.run(
            [sys.executable, "-c", probe, *base_cmd], check=True, capture_output=True, text=True
        ).stdout.split()
        base_wall, base_peak = float(base_out[0]), int(base_out[1]) / 1024

    audio_s = result["duration_s"]
    print(f"segment: {audio_s:.1f} s of audio, {result['sentences']} sentences")
    print(f"produce           wall {wall:7.2f} s   peak RSS {peak:7.1f} MiB")
    print(
        f"naive ffmpeg (still image looped at 25 fps + audio)"
        f"  wall {base_wall:7.2f} s   peak RSS {base_peak:7.1f} MiB"
    )
    print(
        f"ratio produce / naive ffmpeg: wall {wall / base_wall:.2f}x,"
        f" memory {peak / base_peak:.2f}x"
    )
    print(f"real-time factor of produce: {wall / audio_s:.3f}")


if __name__ == "__main__":
    main()
