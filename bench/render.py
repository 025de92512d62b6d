"""Benchmark: voice, mix and video stages on a 3-minute script, against two baselines.

Prints the wall time and real-time factor (RTF = seconds of work per second of audio) of
each stage run cold (empty caches): voice (espeak-ng), the loudspeaker and web mixes, the
vertical and landscape clips (variable frame rate, the default) and the vertical clip with
``--cfr``, and the four social video packs made from the vertical clip (issue 14);
then, in the same run and on the same audio:

(a) the naive ffmpeg encode: the title card looped at 25 fps, libx264 veryfast, AAC, no
    subtitles, cut at the audio's length with ``-t``;
(b) the same clip (title card, background, one subtitle picture per sentence, same audio)
    composed and encoded with moviepy (bench extra) at 25 fps, libx264 veryfast;

and their ratios to our vertical clip. It also times a warm re-run of ``broadcast video``
(everything cached) and checks the vertical clip decodes fully and seeks. Nothing is
asserted: figures are for the closing notes and for spotting regressions.

    .venv/bin/python bench/render.py [--minutes 3] [--skip-moviepy]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# A real CCHC plan from the shared seeds when present (long enough for three minutes),
# otherwise the shipped sample article.
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("000_*.txt"))
ARTICLE = SEEDS[0] if SEEDS else ROOT / "examples" / "articles" / "dich-vu-cong-truc-tuyen.md"
STATION = ROOT / "examples" / "station" / "station.toml"


def clock(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def make_workspace(tmp: Path, minutes: float) -> tuple[Any, str, list[str]]:
    """A workspace holding one stored script of about ``minutes`` minutes."""
    from broadcast.script.build import build_script
    from broadcast.script.glossary import load_glossary
    from broadcast.store.records import save_production
    from broadcast.store.station import Station
    from broadcast.store.workspace import find_workspace, init_workspace
    from broadcast.text.ingest import read_article

    init_workspace(tmp / "ws", Station(name="x", commune="x", province="x"))
    shutil.copy(STATION, tmp / "ws" / "station.toml")
    ws = find_workspace(tmp / "ws")
    article = read_article(ARTICLE)
    script = build_script(article, ws.station, minutes, load_glossary())
    with ws.open_db() as db:
        save_production(
            db,
            article=article,
            script=script,
            slug="bench",
            timings=[(0.0, 0.0)] * len(script.sentences),
            renders=[],
        )
    return ws, "bench", [s.written for s in script.sentences]


def naive_encode(still: Path, audio: Path, duration: float, out: Path) -> None:
    from broadcast.audio.ffmpeg import run_ffmpeg

    run_ffmpeg(
        ["-loop", "1", "-framerate", "25", "-i", str(still), "-i", str(audio),
         "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "veryfast",
         "-pix_fmt", "yuv420p", "-r", "25", "-c:a", "aac", "-b:a", "128k",
         "-t", f"{duration:.3f}", str(out)],
        what="mã hóa đơn giản",
    )  # fmt: skip


def moviepy_clip(ws: Any, video: Any, audio: Path, size: tuple[int, int], out: Path) -> None:
    """The same pictures at the same times, composed by moviepy and encoded at 25 fps."""
    from moviepy import AudioFileClip, CompositeVideoClip, ImageClip

    from broadcast.video.frames import background, subtitle_frame, title_card

    station = ws.station
    folder = out.parent / "moviepy-frames"
    folder.mkdir(exist_ok=True)
    card = title_card(station.name, station.programme, "Bench", "01/01/2026", size)
    plain = background(station.name, station.programme, size)
    card.save(folder / "title.png")
    plain.save(folder / "plain.png")
    first = video.cues[0].start
    layers = [
        ImageClip(str(folder / "plain.png")).with_duration(video.duration_s),
        ImageClip(str(folder / "title.png")).with_duration(max(2.0, first)),
    ]
    for cue in video.cues:
        path = folder / f"cue-{cue.index:03d}.png"
        subtitle_frame(plain, cue.text).save(path)
        layers.append(ImageClip(str(path)).with_start(cue.start).with_duration(cue.end - cue.start))
    sound = AudioFileClip(str(audio))
    clip = CompositeVideoClip(layers, size=size).with_duration(video.duration_s)
    clip = clip.with_audio(sound)
    clip.write_videofile(
        str(out), fps=25, codec="libx264", preset="veryfast", audio_codec="aac", logger=None
    )
    sound.close()
    clip.close()


def time_packs(ws: Any, slug: str, vert: Any, written: list[str]) -> float:
    """Seconds to make the four platform packs (issue 14) cold from the vertical clip: the
    same code as ``broadcast publish``, minus the approval gate (the bench script is not
    approved), with ``publish/.encoded/`` empty."""
    from broadcast.publish.packs import SourceClip, load_platforms, packs_from_clip

    clip = SourceClip(
        video=vert.video,
        srt=vert.srt,
        title="Bench",
        sapo=written[0],
        written=tuple(written),
        duration_s=vert.duration_s,
    )
    shutil.rmtree(ws.out_dir / slug / "publish", ignore_errors=True)
    seconds, _ = clock(lambda: packs_from_clip(ws, slug, clip, list(load_platforms().values())))
    return seconds


def decodes_and_seeks(path: Path, duration: float) -> str:
    from broadcast.audio.ffmpeg import ffmpeg_exe

    full = subprocess.run(
        # demux time base: with the null muxer's default one, ffmpeg's CLI itself complains
        # about equal timestamps on any sparse VFR stream (copying the packets is clean).
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(path),
            "-enc_time_base:v",
            "demux",
            "-f",
            "null",
            "-",
        ],  # fmt: skip
        capture_output=True,
        text=True,
    )
    if full.returncode != 0 or full.stderr.strip():
        return f"decode errors: {full.stderr.strip()[:200]}"
    for at in (0.0, duration * 0.25, duration * 0.5, duration * 0.75, duration - 1.0):
        proc = subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-ss", f"{at:.2f}", "-i", str(path),
             "-frames:v", "1", "-f", "null", "-"],
            capture_output=True,
            text=True,
        )  # fmt: skip
        if proc.returncode != 0:
            return f"seek to {at:.1f} s failed"
    return "ok (full decode, 5 seeks)"


def frame_count(path: Path) -> int:
    from broadcast.audio.ffmpeg import ffmpeg_exe

    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path), "-map", "0:v", "-c", "copy",
         "-f", "null", "-"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    found = re.findall(r"frame=\s*(\d+)", proc.stderr)
    return int(found[-1]) if found else -1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--skip-moviepy", action="store_true")
    args = parser.parse_args()

    from broadcast.render.stages import mix_profile, mix_stage, video_stage, voice_stage
    from broadcast.video.frames import title_card

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ws, slug, written = make_workspace(tmp, args.minutes)
        from broadcast.store.renders import stored_sentences

        with ws.open_db() as db:
            rows = stored_sentences(db, 1)
        spoken = [r.spoken for r in rows]
        breaks = {i for i, r in enumerate(rows) if r.role != "body"}

        t_voice, voice = clock(lambda: voice_stage(ws, spoken))
        t_loud, loud = clock(
            lambda: mix_stage(ws, voice, mix_profile(ws, "loudspeaker"), breaks_after=breaks)
        )
        t_web, web = clock(
            lambda: mix_stage(ws, voice, mix_profile(ws, "web"), breaks_after=breaks)
        )
        duration = web.duration_s
        common = {"title": "Bench", "date_text": "01/01/2026"}
        t_vert, vert = clock(lambda: video_stage(ws, web, written, **common))
        t_packs = time_packs(ws, slug, vert, written)
        t_land, _land = clock(
            lambda: video_stage(ws, web, written, video_format="landscape", **common)
        )
        t_cfr, cfr = clock(lambda: video_stage(ws, web, written, cfr=True, **common))

        broadcast = str(Path(sys.executable).parent / "broadcast")
        env = {**os.environ, "BROADCAST_WORKSPACE": str(ws.root)}
        warm_cmd = [broadcast, "video", slug, "--json"]
        subprocess.run(warm_cmd, env=env, check=True, capture_output=True)  # publish once
        t_warm, _ = clock(
            lambda: subprocess.run(warm_cmd, env=env, check=True, capture_output=True)
        )

        still = tmp / "still.png"
        title_card(ws.station.name, ws.station.programme, "Bench", "01/01/2026").save(still)
        t_naive, _ = clock(lambda: naive_encode(still, loud.audio, duration, tmp / "naive.mp4"))
        t_movie = None
        if not args.skip_moviepy:
            t_movie, _ = clock(
                lambda: moviepy_clip(ws, vert, web.audio, (1080, 1920), tmp / "moviepy.mp4")
            )

        def line(label: str, seconds: float) -> None:
            print(f"  {label:<34}{seconds:7.2f} s   RTF {seconds / duration:.3f}")

        print(f"{ARTICLE.name}, {args.minutes:g}-minute script: {len(spoken)} sentences, "
              f"{duration:.1f} s of audio, {os.cpu_count()} cores, load "
              f"{os.getloadavg()[0]:.1f}")  # fmt: skip
        line("voice (espeak-ng, cold cache)", t_voice)
        line("mix loudspeaker (MP3)", t_loud)
        line("mix web (AAC)", t_web)
        line("video vertical 1080x1920 (VFR)", t_vert)
        line("video landscape 1920x1080 (VFR)", t_land)
        line("video vertical --cfr (25 fps)", t_cfr)
        line("packs (4 platforms, from vertical)", t_packs)
        line("warm re-run `broadcast video`", t_warm)
        line("(a) naive ffmpeg, still @25 fps", t_naive)
        if t_movie is not None:
            line("(b) moviepy 25 fps", t_movie)
        print("ratios:")
        print(f"  naive ffmpeg / our vertical clip   {t_naive / t_vert:6.1f}x")
        if t_movie is not None:
            print(f"  moviepy / our vertical clip        {t_movie / t_vert:6.1f}x")
        print(f"  --cfr / default VFR                {t_cfr / t_vert:6.1f}x")
        print(f"  packs / vertical clip              {t_packs / t_vert:6.1f}x")
        print(f"  frames encoded: VFR {frame_count(vert.video)}, CFR {frame_count(cfr.video)}")
        print(f"  vertical clip: {decodes_and_seeks(vert.video, duration)}")


if __name__ == "__main__":
    main()
