"""Benchmark: `broadcast produce` on the sample article, cold and warm, beside its floors.

Prints wall time and peak memory (max RSS of the process tree) of a full produce run (cold:
empty cache) and of the same command again (warm: the stored production handed back), each
stage's wall time from ``produce --timings``, and, in the same run on the same machine:

* the floor issue 15 names: the same audio encoded once to MP3 (the loudspeaker profile's
  encoder settings) and once to AAC (the web profile's) by the bundled ffmpeg, from a WAV
  decoded beforehand (not timed); a produce cannot be faster than the two encodes it must
  make, less what it overlaps;
* ffmpeg alone encoding the same audio with a still image looped at 25 fps into a 1080x1920
  H.264/AAC MP4 (no speech synthesis, no mixing, no subtitles), which issue 2 called a
  lower bound; produce can beat it because its video stage encodes only the pictures that
  change (one per subtitle, variable frame rate).

Issue 15's targets on this machine: cold at most 8 s, warm at most 0.5 s. Nothing is
asserted: figures are for the closing notes and for spotting regressions.

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

from installed_bytecode import compile_package

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


def encode_floor(audio: Path, ws: Path, tmp: Path) -> tuple[float, float]:
    """Seconds for the bundled ffmpeg to encode the same audio once as the loudspeaker MP3
    and once as the web AAC (each profile's own encoder arguments), from a decoded WAV."""
    from broadcast.audio.ffmpeg import ffmpeg_exe
    from broadcast.render.stages import mix_profile
    from broadcast.store.workspace import find_workspace

    workspace = find_workspace(ws)
    wav = tmp / "floor.wav"
    quiet = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    subprocess.run([*quiet, "-i", str(audio), str(wav)], check=True)
    seconds = []
    for name in ("loudspeaker", "web"):
        profile = mix_profile(workspace, name)
        out = tmp / f"floor.{profile.extension}"
        start = time.perf_counter()
        subprocess.run([*quiet, "-i", str(wav), *profile.encode_args(), str(out)], check=True)
        seconds.append(time.perf_counter() - start)
    return seconds[0], seconds[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    args = parser.parse_args()
    compile_package()
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
        cmd.append("--timings")
        wall, peak, out = timed(cmd, env)
        result = json.loads(out)
        warm_wall, _, warm_out = timed(cmd, env)  # RSS is a maximum so far: not its own
        warm = json.loads(warm_out)
        mp3_s, aac_s = encode_floor(Path(result["audio"]), ws, Path(tmp))

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
    floor = mp3_s + aac_s
    print(f"segment: {audio_s:.1f} s of audio, {result['sentences']} sentences")
    print("(bytecode compiled beforehand, as an installed copy has it)")
    print(f"produce cold      wall {wall:7.2f} s   peak RSS {peak:7.1f} MiB   (target 8 s)")
    print(f"produce warm      wall {warm_wall:7.2f} s   (target 0.5 s)")
    print(
        f"floor: same audio to MP3 {mp3_s:.2f} s + to AAC {aac_s:.2f} s = {floor:.2f} s"
        f"   cold / floor {wall / floor:.2f}x"
    )
    for name, run in (("cold", result), ("warm", warm)):
        together = " (mixes and video overlapped)" if run["parallel"] else ""
        print(f"stages, {name} (inside the command, {run['wall_s']:.2f} s{together}):")
        for t in run["timings"]:
            note = "  reused" if t["reused"] else ""
            print(f"  {t['stage']:<12} {t['seconds']:7.2f} s{note}")
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
