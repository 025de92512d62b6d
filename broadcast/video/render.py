"""Render a news clip (vertical or landscape): title card, burned-in subtitles, audio.

The picture only changes when a sentence starts or ends, so instead of encoding 25 identical
frames a second we draw one PNG per cue and let ffmpeg's concat demuxer hold each one for its
duration (variable frame rate). A three-minute clip is then a few dozen encoded frames.
Platforms that insist on a constant frame rate get one with ``cfr=True`` (every frame is then
encoded, at a cost measured by ``bench/render.py``).

Subtitles are drawn with Pillow, not burned in by libass: libass silently substitutes
another font when the wanted one is missing, which for Tai Viet means empty boxes on screen.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from broadcast.audio.ffmpeg import run_ffmpeg
from broadcast.errors import EngineError, InputError
from broadcast.model.jobs import Progress, no_progress
from broadcast.store.files import atomic_write_text
from broadcast.video.frames import (
    VERTICAL,
    Size,
    background,
    closing_card,
    subtitle_frame,
    title_card,
    with_progress,
)
from broadcast.video.screens import captions
from broadcast.video.subtitles import Cue

MIN_TITLE_S = 2.0  # the title card stays at least this long, even if the voice starts sooner
MIN_SHOT_S = 0.02  # shorter stretches are rounding noise between sentences, not pictures
FRAME_RATE = 1000  # time resolution of the pictures' timestamps: one millisecond
CFR_RATE = 25  # frames per second of the constant-frame-rate option
MIN_CLOSING_S = 1.0  # a closing card shown for less than this would only flash


@dataclass(frozen=True)
class Shot:
    """One still picture and the moment it appears on screen."""

    start: float
    picture: str  # file name inside the work folder


def render_clip(
    *,
    audio: Path,
    cues: list[Cue],
    duration_s: float,
    station: str,
    programme: str,
    title: str,
    date_text: str,
    out_mp4: Path,
    work_dir: Path,
    size: Size = VERTICAL,
    base: Image.Image | None = None,
    closing_lines: Sequence[str] = (),
    progress_bar: bool = False,
    cfr: bool = False,
    thumbnail: Path | None = None,
    copy_audio: bool = False,
    on_step: Progress = no_progress,
) -> Path:
    """Write ``out_mp4`` (H.264 + AAC, ``size`` pixels) in sync with ``audio``; returns it.

    ``on_step(fraction, message)`` tells the steps (drawing the screens, encoding) with
    the fraction of this clip done; a job scales it into its own.

    The title card shows until the first sentence (at least ``MIN_TITLE_S``) and stays behind
    any sentence that starts before then; each cue's text is burned in from its start to its
    end, and a sentence longer than two lines is shown in successive screens (``captions``).
    """
    _check_inputs(audio, duration_s)
    work_dir.mkdir(parents=True, exist_ok=True)
    on_step(0.0, "Đang vẽ thẻ tiêu đề và các màn phụ đề")
    first = min((c.start for c in cues), default=duration_s)
    title_end = min(duration_s, max(MIN_TITLE_S, first))
    card = title_card(station, programme, title, date_text, size, base)
    plain = background(station, programme, size, base)
    planned = plan(cues, duration_s, title_end, size)
    extra: list[tuple[Image.Image, Path]] = []
    last_end = max((c.end for c in cues), default=duration_s)
    if closing_lines and duration_s - last_end >= MIN_CLOSING_S:
        extra.append(
            (closing_card(station, programme, closing_lines, size, base), work_dir / "closing.png")
        )
        planned = Plan(
            [*(s for s in planned.shots if s.start < last_end), Shot(last_end, "closing.png")],
            planned.screens,
        )
    _draw(planned.screens, card, plain, work_dir, extra)
    shots = planned.shots
    if progress_bar:
        shots = _add_progress(shots, duration_s, work_dir)
    if thumbnail is not None:
        _write_png(ImageOps.contain(card, (size[0] // 2, size[1] // 2)), thumbnail)
    playlist = work_dir / "frames.ffconcat"
    atomic_write_text(playlist, ffconcat(shots, duration_s))
    on_step(0.3, "Đang mã hóa video")
    _encode(playlist, audio, duration_s, out_mp4, cfr=cfr, copy_audio=copy_audio)
    return out_mp4


def _write_png(image: Image.Image, path: Path) -> None:
    """A PNG written to a temporary name and renamed: never half a thumbnail."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        image.save(tmp, format="PNG", optimize=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _add_progress(shots: Sequence[Shot], duration_s: float, work_dir: Path) -> list[Shot]:
    """Each shot's picture with the progress bar at the shot's start, drawn in threads."""

    def one(number: int, shot: Shot) -> Shot:
        name = f"progress-{number:04d}.png"
        with Image.open(work_dir / shot.picture) as picture:
            _save(with_progress(picture.convert("RGB"), shot.start / duration_s), work_dir / name)
        return Shot(shot.start, name)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(one, range(len(shots)), shots))


def _check_inputs(audio: Path, duration_s: float) -> None:
    if not audio.is_file():
        raise InputError(f"Không có tệp âm thanh {audio}: hãy tạo lại bản phát thanh trước.")
    if not duration_s > 0:
        raise InputError(f"Thời lượng video phải lớn hơn 0 giây (nhận {duration_s}).")


@dataclass(frozen=True)
class Screen:
    """A picture to draw: a sentence (or part of one) over the title card or the plain one."""

    on_card: bool
    text: str


@dataclass(frozen=True)
class Plan:
    """What the clip shows when, and the pictures to draw for it (by file name)."""

    shots: list[Shot]
    screens: dict[str, Screen]


def plan(cues: Sequence[Cue], duration_s: float, title_end: float, size: Size) -> Plan:
    """The timeline and the pictures it needs, before anything is drawn.

    The screens come from ``captions``, the same function the SRT/WebVTT sidecars use.
    """
    shots: list[Shot] = []
    screens: dict[str, Screen] = {}
    sentence_start: dict[int, float] = {}
    clock = 0.0
    for caption in captions(cues, size):
        if caption.start >= duration_s:
            continue
        # every screen of a sentence keeps the card the sentence started on
        first = sentence_start.setdefault(caption.sentence, caption.start)
        shots += _gap(clock, caption.start, title_end)
        name = f"cue-{caption.sentence:04d}-{caption.part}.png"
        screens[name] = Screen(on_card=first < title_end, text=caption.text)
        shots.append(Shot(caption.start, name))
        clock = caption.end
    shots += _gap(clock, duration_s, title_end)
    kept = timeline(shots, duration_s)
    used = {s.picture for s in kept}
    return Plan(kept, {name: screen for name, screen in screens.items() if name in used})


def _draw(
    screens: dict[str, Screen],
    card: Image.Image,
    plain: Image.Image,
    work_dir: Path,
    extra: Sequence[tuple[Image.Image, Path]] = (),
) -> None:
    """Draw and save every picture, in threads: Pillow's C code (text, blending, PNG) runs
    outside the GIL, so two cores halve the time."""
    jobs = [(card, work_dir / "title.png"), (plain, work_dir / "background.png"), *extra]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        futures = [pool.submit(_save, image, path) for image, path in jobs]
        futures += [
            pool.submit(_draw_one, card if screen.on_card else plain, screen.text, work_dir / name)
            for name, screen in screens.items()
        ]
        try:
            for future in futures:
                future.result()
        except OSError as exc:
            raise EngineError(f"Không ghi được khung hình vào {work_dir}: {exc}.") from None


def _draw_one(behind: Image.Image, text: str, path: Path) -> None:
    _save(subtitle_frame(behind, text), path)


def _gap(start: float, end: float, title_end: float) -> list[Shot]:
    """Pictures between sentences: the title card until ``title_end``, then the plain one."""
    shots = []
    if start < min(end, title_end):
        shots.append(Shot(start, "title.png"))
    if max(start, title_end) < end:
        shots.append(Shot(max(start, title_end), "background.png"))
    return shots


def timeline(shots: Sequence[Shot], duration_s: float) -> list[Shot]:
    """Shots clipped to the clip, in order, with a later change winning a tie.

    A picture on screen for less than ``MIN_SHOT_S`` is rounding noise between two sentences;
    dropping it lets the picture before it run on, so no time is lost from the timeline.
    """
    kept: list[Shot] = []
    for shot in (s for s in shots if s.start < duration_s - MIN_SHOT_S):
        while kept and shot.start - kept[-1].start < MIN_SHOT_S:
            kept.pop()
        kept.append(shot)
    if kept:
        kept[0] = Shot(0.0, kept[0].picture)
    return kept


def _save(image: Image.Image, path: Path) -> None:
    """PNG at low compression: these files live for seconds, drawing speed matters more."""
    image.save(path, format="PNG", compress_level=1)


def ffconcat(shots: Sequence[Shot], duration_s: float) -> str:
    """An ffconcat playlist holding each picture until the next one starts.

    Each PNG is read at ``FRAME_RATE`` so a cue starts on its millisecond, not on a 1/25 s
    grid; the last picture is listed again one tick before the end, or the video track would
    stop where that picture starts instead of at ``duration_s``.
    """
    tick = 1 / FRAME_RATE
    ends = [s.start for s in shots[1:]] + [duration_s - tick]
    lines = ["ffconcat version 1.0"]
    for shot, end in zip(shots, ends, strict=True):
        lines += _entry(shot.picture) + [f"duration {end - shot.start:.6f}"]
    lines += _entry(shots[-1].picture)
    return "\n".join(lines) + "\n"


def _entry(picture: str) -> list[str]:
    return [f"file '{_quote(picture)}'", f"option framerate {FRAME_RATE}"]


def _quote(name: str) -> str:
    return name.replace("'", "'\\''")


def _encode(
    playlist: Path,
    audio: Path,
    duration_s: float,
    out_mp4: Path,
    *,
    cfr: bool = False,
    copy_audio: bool = False,
) -> None:
    """Encode to a temporary name beside ``out_mp4`` and rename: never a half-written clip."""
    out_mp4.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_mp4.with_name(f".{out_mp4.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        args = _encode_args(playlist, audio, duration_s, tmp)
        if cfr:
            at = args.index("-fps_mode")
            args[at : at + 2] = ["-fps_mode", "cfr", "-r", str(CFR_RATE)]
        if copy_audio:  # already AAC at its loudness target (the web mix): no re-encode
            at = args.index("-af")
            args[at : at + 8] = ["-c:a", "copy"]
        run_ffmpeg(args, what="dựng video")
        os.replace(tmp, out_mp4)
    finally:
        tmp.unlink(missing_ok=True)


def _encode_args(playlist: Path, audio: Path, duration_s: float, out: Path) -> list[str]:
    # apad + -t: a voice a few milliseconds short still gives a clip of exactly duration_s;
    # -shortest would instead stop at a packet boundary past the end.
    return [
        "-f", "concat", "-safe", "0", "-i", str(playlist),  # "option" lines need safe 0
        "-i", str(audio),
        "-map", "0:v:0", "-map", "1:a:0",
        "-fps_mode", "vfr",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-af", "apad",
        "-c:a", "aac", "-aac_coder", "fast", "-b:a", "128k",
        "-t", f"{duration_s:.3f}",
        "-movflags", "+faststart",
        "-f", "mp4", str(out),
    ]  # fmt: skip
