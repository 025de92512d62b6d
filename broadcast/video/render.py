"""Render a news clip (vertical or landscape): title card, burned-in subtitles, audio.

The picture only changes when a sentence starts or ends, so instead of encoding 25 identical
frames a second we draw one picture per cue and let ffmpeg's concat demuxer hold each one for its
duration (variable frame rate). A three-minute clip is then a few dozen encoded frames.
Platforms that insist on a constant frame rate get one with ``cfr=True``: the same pictures,
each repeat written as a skipped H.264 picture (``constant_rate``), so it costs seconds, not
an encode of every frame (both measured by ``bench/render.py``).

Subtitles are drawn with Pillow, not burned in by libass: libass silently substitutes
another font when the wanted one is missing, which for Tai Viet means empty boxes on screen.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
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
    Overlay,
    Size,
    background,
    blend_into,
    closing_card,
    header_layer,
    subtitle_frame,
    subtitle_overlay,
    title_card,
    with_overlay,
    with_progress,
)
from broadcast.video.pictures import (
    DEFAULT_MOTION_FPS,
    Picture,
    panned,
    placed,
    plate,
    plate_size,
    step_count,
)
from broadcast.video.screens import Caption, captions
from broadcast.video.subtitles import Cue

MIN_TITLE_S = 2.0  # the title card stays at least this long, even if the voice starts sooner
MIN_SHOT_S = 0.02  # shorter stretches are rounding noise between sentences, not pictures
FRAME_RATE = 1000  # time resolution of the pictures' timestamps: one millisecond
CFR_RATE = 25  # frames per second of the constant-frame-rate option
MIN_CLOSING_S = 1.0  # a closing card shown for less than this would only flash
# for audio that is not AAC already (the web mix's is copied as it is)
AAC_ARGS = ["-c:a", "aac", "-aac_coder", "fast", "-b:a", "128k"]


@dataclass(frozen=True)
class Shot:
    """One still picture and the moment it appears on screen."""

    start: float
    picture: str  # file name inside the work folder


AudioSource = Path | Callable[[], Path]
"""The mixed audio, or a call that waits for it: the picture track is drawn and encoded
while the mix is still being made, and only the last step (muxing) needs the file."""


def render_clip(
    *,
    audio: AudioSource,
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
    pictures: Sequence[Picture] = (),
    motion_fps: float = DEFAULT_MOTION_FPS,
    logo: Image.Image | None = None,
    on_step: Progress = no_progress,
) -> Path:
    """Write ``out_mp4`` (H.264 + AAC, ``size`` pixels) in sync with ``audio``; returns it.

    ``on_step(fraction, message)`` tells the steps (drawing the screens, encoding) with
    the fraction of this clip done; a job scales it into its own.

    The title card shows until the first sentence (at least ``MIN_TITLE_S``) and stays behind
    any sentence that starts before then; each cue's text is burned in from its start to its
    end, and a sentence longer than two lines is shown in successive screens (``captions``).
    ``pictures`` (the article's, placed at their sentences) then replace the plain
    background, each with a slow pan drawn ``motion_fps`` times a second at most.
    ``audio`` may be a call that waits for the file (``AudioSource``).
    """
    if isinstance(audio, Path):
        _check_audio(audio)
    _check_duration(duration_s)
    work_dir.mkdir(parents=True, exist_ok=True)
    on_step(0.0, "Đang vẽ thẻ tiêu đề và các màn phụ đề")
    first = min((c.start for c in cues), default=duration_s)
    title_end = min(duration_s, max(MIN_TITLE_S, first))
    card = title_card(station, programme, title, date_text, size, base, logo)
    extra: list[tuple[Image.Image, Path]] = []
    last_end = max((c.end for c in cues), default=duration_s)
    closing = bool(closing_lines) and duration_s - last_end >= MIN_CLOSING_S
    shown = placed(pictures, len(cues))
    if shown:
        starts = [c.start for c in sorted(cues, key=lambda c: c.index)]
        motion = Motion(shown, starts, last_end if closing else duration_s, motion_fps)
        planned = plan(cues, duration_s, title_end, size, motion)
    else:
        planned = plan(cues, duration_s, title_end, size)
    # moving photos are saved as JPEG (their hundreds of steps would fill the disk as BMP,
    # and the encoder subsamples colour anyway), and then every picture is: the concat
    # demuxer reads one codec
    ext = ".jpg" if shown else ".bmp"
    if closing:
        last_card = closing_card(station, programme, closing_lines, size, base)
        extra.append((last_card, work_dir / f"closing{ext}"))
        planned = Plan(
            [*(s for s in planned.shots if s.start < last_end), Shot(last_end, f"closing{ext}")],
            planned.screens,
        )
    if shown:
        _draw_moving(planned.screens, card, shown, station, programme, work_dir, extra)
    else:
        plain = background(station, programme, size, base)
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
        name = f"progress-{number:04d}{Path(shot.picture).suffix}"
        with Image.open(work_dir / shot.picture) as picture:
            _save(with_progress(picture.convert("RGB"), shot.start / duration_s), work_dir / name)
        return Shot(shot.start, name)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(one, range(len(shots)), shots))


def _check_audio(audio: Path) -> None:
    if not audio.is_file():
        raise InputError(f"Không có tệp âm thanh {audio}: hãy tạo lại bản phát thanh trước.")


def _check_duration(duration_s: float) -> None:
    if not duration_s > 0:
        raise InputError(f"Thời lượng video phải lớn hơn 0 giây (nhận {duration_s}).")


@dataclass(frozen=True)
class Screen:
    """A picture to draw: a sentence (or part of one) over the title card or the plain one,
    or (``step`` set) a step of a moving picture with or without a sentence over it."""

    on_card: bool
    text: str
    step: tuple[int, int, int] | None = None  # (picture number, step number, its steps)


@dataclass(frozen=True)
class Motion:
    """The pictures behind the subtitles: each from its sentence's start (the first from the
    end of the title card) to the next one's, or to ``end``; panned in steps."""

    pictures: Sequence[Picture]
    starts: Sequence[float]  # each sentence's start, by sentence number from 0
    end: float
    fps: float

    def steps(self, title_end: float, size: Size) -> list[tuple[float, int, int, int]]:
        """(time, picture number, step number, steps of that picture), in time order."""
        begins = [max(title_end, self.starts[p.sentence]) for p in self.pictures]
        begins[0] = title_end
        ends = [*begins[1:], self.end]
        result: list[tuple[float, int, int, int]] = []
        for number, (begin, finish) in enumerate(zip(begins, ends, strict=True)):
            if finish <= begin:
                continue
            count = step_count(finish - begin, self.fps, size)
            result += [
                (begin + (finish - begin) * k / count, number, k, count) for k in range(count)
            ]
        return result


@dataclass(frozen=True)
class Plan:
    """What the clip shows when, and the pictures to draw for it (by file name)."""

    shots: list[Shot]
    screens: dict[str, Screen]


def plan(
    cues: Sequence[Cue],
    duration_s: float,
    title_end: float,
    size: Size,
    motion: Motion | None = None,
) -> Plan:
    """The timeline and the pictures it needs, before anything is drawn.

    The screens come from ``captions``, the same function the SRT/WebVTT sidecars use.
    """
    if motion is not None:
        return _plan_moving(cues, duration_s, title_end, size, motion)
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
        name = f"cue-{caption.sentence:04d}-{caption.part}.bmp"
        screens[name] = Screen(on_card=first < title_end, text=caption.text)
        shots.append(Shot(caption.start, name))
        clock = caption.end
    shots += _gap(clock, duration_s, title_end)
    kept = timeline(shots, duration_s)
    used = {s.picture for s in kept}
    return Plan(kept, {name: screen for name, screen in screens.items() if name in used})


def _plan_moving(
    cues: Sequence[Cue], duration_s: float, title_end: float, size: Size, motion: Motion
) -> Plan:
    """The timeline when pictures move: a new picture whenever the subtitle or the pan
    step changes. A sentence that started on the title card keeps it, as without pictures.
    """
    shown = [c for c in captions(cues, size) if c.start < duration_s]
    sentence_start: dict[int, float] = {}
    for screen in shown:
        sentence_start.setdefault(screen.sentence, screen.start)
    steps = motion.steps(title_end, size)
    moments = sorted(
        {0.0, title_end}
        | {step[0] for step in steps}
        | {c.start for c in shown}
        | {c.end for c in shown}
    )
    shots: list[Shot] = []
    screens: dict[str, Screen] = {}
    at_step, at_caption = -1, 0
    for moment in (m for m in moments if m < duration_s):
        while at_step + 1 < len(steps) and steps[at_step + 1][0] <= moment:
            at_step += 1
        while at_caption < len(shown) and shown[at_caption].end <= moment:
            at_caption += 1
        caption: Caption | None = shown[at_caption] if at_caption < len(shown) else None
        if caption is not None and caption.start > moment:
            caption = None
        on_card = sentence_start[caption.sentence] < title_end if caption else moment < title_end
        if on_card or at_step < 0:
            if caption is None:
                name = "title.jpg"
            else:
                name = f"cue-{caption.sentence:04d}-{caption.part}.jpg"
                screens[name] = Screen(on_card=True, text=caption.text)
        else:
            _, number, step, count = steps[at_step]
            words = f"{caption.sentence:04d}-{caption.part}" if caption else "x"
            name = f"pic-{number:03d}-{step:04d}-{words}.jpg"
            screens[name] = Screen(False, caption.text if caption else "", (number, step, count))
        if not shots or shots[-1].picture != name:
            shots.append(Shot(moment, name))
    kept = timeline(shots, duration_s)
    used = {s.picture for s in kept}
    return Plan(kept, {name: screen for name, screen in screens.items() if name in used})


def _draw_moving(
    screens: dict[str, Screen],
    card: Image.Image,
    pictures: Sequence[Picture],
    station: str,
    programme: str,
    work_dir: Path,
    extra: Sequence[tuple[Image.Image, Path]] = (),
) -> None:
    """Draw the title card, the closing card and every step of the moving pictures, in
    threads; a plate and a subtitle's box are prepared once and reused by every step."""
    size = card.size
    header = header_layer(station, programme, size)
    numbers = sorted({s.step[0] for s in screens.values() if s.step is not None})
    overlays: dict[str, Overlay] = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        big = plate_size(size)
        plates = dict(
            zip(numbers, pool.map(lambda n: plate(pictures[n].image, big), numbers), strict=True)
        )
        texts = sorted({s.text for s in screens.values() if s.text})
        overlays = dict(
            zip(texts, pool.map(lambda x: subtitle_overlay(x, size), texts), strict=True)
        )

        def one(name: str, screen: Screen) -> None:
            if screen.step is None:
                _save(with_overlay(card, overlays[screen.text]), work_dir / name)
                return
            number, step, count = screen.step
            # rightwards, then leftwards, in turn
            picture = panned(plates[number], size, step, count, rightwards=number % 2 == 0)
            blend_into(picture, header)  # the crop is a new picture: blended in place
            if screen.text:
                blend_into(picture, overlays[screen.text])
            _save(picture, work_dir / name)

        jobs = [(card, work_dir / "title.jpg"), *extra]
        futures = [pool.submit(_save, image, path) for image, path in jobs]
        futures += [pool.submit(one, name, screen) for name, screen in screens.items()]
        try:
            for future in futures:
                future.result()
        except OSError as exc:
            raise EngineError(f"Không ghi được khung hình vào {work_dir}: {exc}.") from None


def _draw(
    screens: dict[str, Screen],
    card: Image.Image,
    plain: Image.Image,
    work_dir: Path,
    extra: Sequence[tuple[Image.Image, Path]] = (),
) -> None:
    """Draw and save every picture, in threads: Pillow's C code (text, blending, PNG) runs
    outside the GIL, so two cores halve the time."""
    jobs = [(card, work_dir / "title.bmp"), (plain, work_dir / "background.bmp"), *extra]
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
        shots.append(Shot(start, "title.bmp"))
    if max(start, title_end) < end:
        shots.append(Shot(max(start, title_end), "background.bmp"))
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
    """BMP for the few dozen still pictures: these files live for seconds, and writing and
    reading them back uncompressed costs a fraction of PNG's zlib both ways (measured on a
    140-second clip's 32 pictures: 8 ms instead of 38 ms a save, and the encode 0.65 s of
    CPU less); JPEG for the hundreds of steps of moving photos (``.jpg``), at quality 95:
    at 90 the blocking differs from one step of a pan to the next and the encoder spends
    time and bits on it (measured on a 3-minute clip: 17 MB at 90, 10 MB at 95, encoding a
    quarter faster)."""
    if path.suffix == ".jpg":
        image.save(path, format="JPEG", quality=95)
    else:
        image.save(path, format="BMP")


def ffconcat(shots: Sequence[Shot], duration_s: float) -> str:
    """An ffconcat playlist holding each picture until the next one starts.

    Each picture is read at ``FRAME_RATE`` so a cue starts on its millisecond, not on a 1/25 s
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
    audio: AudioSource,
    duration_s: float,
    out_mp4: Path,
    *,
    cfr: bool = False,
    copy_audio: bool = False,
) -> None:
    """Encode the pictures, then (once the audio is there) mux it in; to a temporary name
    beside ``out_mp4``, renamed at the end: never a half-written clip.

    Two steps rather than one ffmpeg reading both inputs, so that the picture track (the
    video's costly part) is encoded while the mix is still being made; the mux copies the
    pictures and costs a fraction of a second."""
    out_mp4.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_mp4.with_name(f".{out_mp4.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    pictures = tmp.with_name(f"{tmp.name}.pictures.mkv")
    vfr = tmp.with_name(f"{tmp.name}.vfr.mp4")
    try:
        run_ffmpeg(_picture_args(playlist, duration_s, pictures), what="dựng video")
        source = audio if isinstance(audio, Path) else audio()
        _check_audio(source)
        mux = _mux_args(pictures, source, duration_s, vfr if cfr else tmp, copy_audio=copy_audio)
        run_ffmpeg(mux, what="ghép tiếng vào video")
        if cfr:
            # The distinct pictures are encoded once more and every repeat is written as a
            # skipped picture (constant_rate): seconds, where encoding every frame took a
            # minute for three minutes of clip.
            from broadcast.video.constant_rate import constant_rate_clip

            constant_rate_clip(vfr, tmp, CFR_RATE, duration_s=duration_s, what="dựng video")
        os.replace(tmp, out_mp4)
    finally:
        tmp.unlink(missing_ok=True)
        pictures.unlink(missing_ok=True)
        vfr.unlink(missing_ok=True)


def _picture_args(playlist: Path, duration_s: float, out: Path) -> list[str]:
    """The picture track alone: each distinct picture once, at its own timestamp; in
    Matroska, whose last frame keeps the duration ``-t`` gave it when copied (an MP4's is
    guessed again from the frame before and lengthened the clip by a fifth of a second)."""
    return [
        "-f", "concat", "-safe", "0", "-i", str(playlist),  # "option" lines need safe 0
        "-map", "0:v:0",
        "-fps_mode", "vfr",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-t", f"{duration_s:.3f}",
        "-f", "matroska", str(out),
    ]  # fmt: skip


def _mux_args(
    pictures: Path, audio: Path, duration_s: float, out: Path, *, copy_audio: bool
) -> list[str]:
    """The picture track copied and the audio added: copied when it is already AAC at its
    loudness target (the web mix), else encoded. apad + -t: a voice a few milliseconds
    short still gives a clip of exactly ``duration_s``; -shortest would instead stop at a
    packet boundary past the end."""
    sound = ["-c:a", "copy"] if copy_audio else ["-af", "apad", *AAC_ARGS]
    return [
        "-i", str(pictures), "-i", str(audio),
        "-map", "0:v:0", "-map", "1:a:0",
        "-c:v", "copy", *sound,
        "-t", f"{duration_s:.3f}",
        "-movflags", "+faststart",
        "-f", "mp4", str(out),
    ]  # fmt: skip
