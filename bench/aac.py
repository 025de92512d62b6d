"""Benchmark: ffmpeg's native AAC encoder settings for the web mix, time beside quality.

The web profile's file is speech (plus a quiet music bed) for phones and social platforms.
This measures, on the same 3-minute web mix (mastered to the web profile, kept as WAV), each
candidate setting's encode time and how far the decoded AAC is from that WAV:

* segmental SNR over speech frames (20 ms frames louder than -45 dBFS, per-frame SNR
  clipped to [-10, 40] dB, averaged): the waveform error a listener hears as noise;
* log-spectral distance (dB, 0-8 kHz and 8-16 kHz, speech frames): how much the spectrum
  is smeared or cut, which SNR alone does not separate from a small delay.

Wall and CPU time are both printed (CPU time, and the RTF computed from it, stays
comparable when other work shares the cores). The
loudspeaker's MP3 encode is measured the same way (default and faster LAME search).
Nothing is asserted; the figures go into ``broadcast/audio/profiles.py``'s web comment.

    .venv/bin/python bench/aac.py [--minutes 3] [--mixes]

``--mixes`` instead times the voice and the two mix stages as bench/render.py does (its first
three rows), with CPU seconds beside wall time.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

T = TypeVar("T")
RATE = 44100
FRAME = RATE // 50  # 20 ms

# (label, channels, bit rate, extra encoder options)
# The loudspeaker's MP3 (mono 128k) at LAME's default search and at level 7 (lame -q 7).
MP3_SETTINGS: list[tuple[str, list[str]]] = [
    ("MP3 mono 128k, LAME default", []),
    ("MP3 mono 128k, -compression_level 7", ["-compression_level", "7"]),
]
FAST_TOOLS = ["-aac_coder", "fast", "-aac_tns", "0", "-aac_pns", "0"]
SETTINGS: list[tuple[str, int, str, list[str]]] = [
    ("stereo 160k twoloop (ffmpeg default)", 2, "160k", ["-aac_coder", "twoloop"]),
    ("stereo 160k fast", 2, "160k", ["-aac_coder", "fast"]),
    ("stereo 160k fast, no TNS/PNS", 2, "160k", FAST_TOOLS),
    ("stereo 160k fast, no TNS/PNS/M-S", 2, "160k", [*FAST_TOOLS, "-aac_is", "0", "-aac_ms", "0"]),
    ("stereo 128k fast", 2, "128k", ["-aac_coder", "fast"]),
    ("stereo 128k fast, no TNS/PNS", 2, "128k", FAST_TOOLS),
    ("stereo 96k fast", 2, "96k", ["-aac_coder", "fast"]),
    ("mono 128k fast", 1, "128k", ["-aac_coder", "fast"]),
    ("mono 128k fast, no TNS/PNS", 1, "128k", FAST_TOOLS),
    ("mono 128k fast, no PNS", 1, "128k", ["-aac_coder", "fast", "-aac_pns", "0"]),
    ("mono 96k fast", 1, "96k", ["-aac_coder", "fast"]),
    ("mono 96k fast, no TNS/PNS", 1, "96k", FAST_TOOLS),
    ("mono 64k fast", 1, "64k", ["-aac_coder", "fast"]),
]


def source_wav(tmp: Path, minutes: float) -> Path:
    """The web mix of a ``minutes``-minute script, mastered exactly as the web profile is but
    written as FLAC instead of AAC: the reference every encode is compared with. (FLAC is
    lossless but not PCM, so the limiter aims at the same ceiling as for AAC.)"""
    from render import make_workspace

    from broadcast.render.stages import mix_profile, mix_stage, voice_stage
    from broadcast.store.renders import stored_sentences

    ws, _slug, _written = make_workspace(tmp, minutes)
    with ws.open_db() as db:
        rows = stored_sentences(db, 1)
    voice = voice_stage(ws, [r.spoken for r in rows])
    web = dataclasses.replace(mix_profile(ws, "web"), codec="flac", extension="flac", bitrate=None)
    breaks = {i for i, r in enumerate(rows) if r.role != "body"}
    return mix_stage(ws, voice, web, breaks_after=breaks).audio


def decoded(path: Path) -> np.ndarray:
    """Mono float samples at 44.1 kHz (channels averaged), as a player would sum them."""
    from broadcast.audio.ffmpeg import ffmpeg_exe

    proc = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(RATE),
         "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    )  # fmt: skip
    return np.frombuffer(proc.stdout, dtype="<f4").astype(np.float64)


def aligned(ref: np.ndarray, test: np.ndarray) -> np.ndarray:
    """``test`` shifted by the lag (within ±4096 samples) that best matches ``ref``."""
    span = slice(RATE * 5, RATE * 25)
    size = 1 << (span.stop - span.start + 8192).bit_length()
    window = test[span.start - 4096 : span.stop + 4096]
    corr = np.fft.irfft(np.fft.rfft(window, size) * np.conj(np.fft.rfft(ref[span], size)), size)
    lag = int(np.argmax(corr[:8193])) - 4096
    out = np.zeros_like(ref)
    src = test[max(0, lag) :]
    out[max(0, -lag) : max(0, -lag) + len(src)] = src[: len(out) - max(0, -lag)]
    return out


def quality(ref: np.ndarray, test: np.ndarray) -> tuple[float, float, float]:
    """(segmental SNR dB, LSD 0-8 kHz dB, LSD 8-16 kHz dB) over speech frames."""
    test = aligned(ref, test)
    n = len(ref) // FRAME
    r = ref[: n * FRAME].reshape(n, FRAME)
    t = test[: n * FRAME].reshape(n, FRAME)
    power = np.mean(r**2, axis=1)
    speech = power > 10 ** (-45 / 10)
    noise = np.mean((r - t) ** 2, axis=1) + 1e-12
    snr = np.clip(10 * np.log10(power[speech] / noise[speech]), -10, 40)
    window = np.hanning(FRAME)
    spec_r = np.abs(np.fft.rfft(r[speech] * window, axis=1)) ** 2 + 1e-10
    spec_t = np.abs(np.fft.rfft(t[speech] * window, axis=1)) ** 2 + 1e-10
    hz = np.fft.rfftfreq(FRAME, 1 / RATE)
    diff = 10 * np.log10(spec_r / spec_t)

    def lsd(low: float, high: float) -> float:
        band = (hz >= low) & (hz < high)
        return float(np.mean(np.sqrt(np.mean(diff[:, band] ** 2, axis=1))))

    return float(np.mean(snr)), lsd(50, 8000), lsd(8000, 16000)


def encode(src: Path, out: Path, args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of ffmpeg): CPU time stays comparable when other work
    shares the cores, wall time does not."""
    from broadcast.audio.ffmpeg import run_ffmpeg

    start, used = time.perf_counter(), _child_cpu()
    run_ffmpeg(["-i", str(src), *args, str(out)], what="mã hóa thử")
    return time.perf_counter() - start, _child_cpu() - used


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument(
        "--mixes",
        action="store_true",
        help="only time bench/render.py's voice and mix rows (cold), with CPU seconds",
    )
    args = parser.parse_args()
    if args.mixes:
        mix_rows(args.minutes)
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = source_wav(tmp, args.minutes)
        ref = decoded(src)
        seconds = len(ref) / RATE
        print(f"web mix {seconds:.1f} s, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        print(f"  {'setting':<38}{'wall':>7}{'CPU':>7}{'RTF':>7}{'segSNR':>8}{'LSD<8k':>8}"
              f"{'LSD>8k':>8}")  # fmt: skip
        for label, extra in MP3_SETTINGS:
            out = tmp / f"{label.split()[-1]}.mp3"
            wall, cpu = encode(src, out, ["-c:a", "libmp3lame", "-b:a", "128k", "-ac", "1", *extra])
            row(label, wall, cpu, seconds, quality(ref, decoded(out)))
        for number, (label, channels, rate, extra) in enumerate(SETTINGS):
            out = tmp / f"setting-{number}.m4a"
            wall, cpu = encode(
                src, out, ["-c:a", "aac", "-ac", str(channels), "-b:a", rate, *extra]
            )
            row(label, wall, cpu, seconds, quality(ref, decoded(out)))


def mix_rows(minutes: float) -> None:
    """bench/render.py's first three rows (voice, loudspeaker mix, web mix; cold caches, one
    after the other) without its video rows, with the CPU seconds of each (ours and
    ffmpeg's): under load the CPU figure is the comparable one."""
    from render import make_workspace

    from broadcast.render.stages import mix_profile, mix_stage, voice_stage
    from broadcast.store.renders import stored_sentences

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    def timed(label: str, step: Callable[[], T]) -> T:
        start, used = time.perf_counter(), cpu()
        made = step()
        figures.append((label, time.perf_counter() - start, cpu() - used))
        return made

    figures: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        ws, _slug, _written = make_workspace(Path(tmp_name), minutes)
        with ws.open_db() as db:
            rows = stored_sentences(db, 1)
        breaks = {i for i, r in enumerate(rows) if r.role != "body"}
        spoken = [r.spoken for r in rows]
        loud, web = mix_profile(ws, "loudspeaker"), mix_profile(ws, "web")
        voice = timed("voice (espeak-ng, cold cache)", lambda: voice_stage(ws, spoken))
        timed("mix loudspeaker (MP3)", lambda: mix_stage(ws, voice, loud, breaks_after=breaks))
        timed("mix web (AAC)", lambda: mix_stage(ws, voice, web, breaks_after=breaks))
    print(f"{minutes:g}-minute script, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for label, wall, used in figures:
        print(f"  {label:<34}{wall:7.2f} s   CPU {used:5.2f} s")


def row(label: str, wall: float, cpu: float, seconds: float, q: tuple[float, ...]) -> None:
    snr, low, high = q
    print(
        f"  {label:<38}{wall:6.2f}s{cpu:6.2f}s{cpu / seconds:7.3f}{snr:8.1f}{low:8.2f}{high:8.2f}"
    )


if __name__ == "__main__":
    main()
