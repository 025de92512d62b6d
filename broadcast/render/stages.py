"""The voice, mix and video stages as plain functions from inputs to cached artifacts.

``produce`` and the ``voice``/``mix``/``video`` commands call these same functions, so a
clip made by ``produce`` and one made by ``broadcast video`` come out of one code path.
Every stage returns ``reused=True`` when its output came from the cache untouched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio.idents import StationSounds, ident_pcm, station_sounds
from broadcast.audio.loudness import Loudness
from broadcast.audio.master import master
from broadcast.audio.mix import MixSettings, assemble
from broadcast.audio.profiles import MixProfile, get_profile, mix_overrides, station_overrides
from broadcast.model.jobs import Progress, no_progress
from broadcast.render.cache import StageCache, stage_key
from broadcast.render.settings import render_settings
from broadcast.store.files import atomic_write_text, sha256_file
from broadcast.store.workspace import STATION_FILE, Workspace
from broadcast.text.images import PlacedImage
from broadcast.video.fonts import font_files_for
from broadcast.video.frames import FORMATS, Size, load_background, load_logo
from broadcast.video.pictures import Picture, decode, photo_folder_files, photo_slots
from broadcast.video.render import render_clip
from broadcast.video.screens import sidecar_cues
from broadcast.video.subtitles import Cue, cues_from_timings, parse_srt, write_srt, write_vtt
from broadcast.voice.base import SpeechClip

# 4: encoder options (mono web AAC, faster LAME search) are not profile fields
MIX_VERSION = "mix-4"
# 3: sidecars cut into screens; 7: screens and lines cut at phrases; 8: pictures, logo
VIDEO_VERSION = "video-8"


def stage_cache(ws: Workspace) -> StageCache:
    return StageCache(ws.cache_dir / "stages")


# --- voice ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceStage:
    """Sentence audio of a script; ``key`` hashes the audio itself, so a re-imported take
    with other sound (not cacheable by text) still gives a new key downstream."""

    key: str
    clips: tuple[SpeechClip, ...]
    engine_label: str
    notice: str | None
    synthesized: int  # sentences spoken now (0 when everything came from the cache)

    @property
    def reused(self) -> bool:
        return self.synthesized == 0

    @property
    def seconds(self) -> float:
        return sum(c.duration_s for c in self.clips)


def voice_stage(
    ws: Workspace,
    texts: Sequence[str],
    *,
    language: str = "vi",
    profile_name: str | None = None,
    on_sentence: Callable[[int], None] | None = None,
) -> VoiceStage:
    """Voice every sentence with the named profile, else the station's voice for
    Vietnamese and the announcer's imported take (``recording``) for other languages."""
    from broadcast.voice.profiles import load_profile, station_profile
    from broadcast.voice.synth import synthesize_profile

    if profile_name:
        profile = load_profile(profile_name, ws)
    elif language != "vi":  # no TTS for Thái or Mông: the announcer's imported take reads
        profile = load_profile("recording", ws)
    else:
        profile = station_profile(ws)
    if language != profile.language:
        profile = profile.for_language(language)
    result = synthesize_profile(profile, texts, ws.cache_dir / "voice", on_sentence=on_sentence)
    digest = hashlib.sha256()
    for clip in result.clips:
        digest.update(f"{clip.sample_rate}:{len(clip.pcm)}:".encode())
        digest.update(clip.pcm)
    return VoiceStage(
        key=digest.hexdigest()[:32],
        clips=tuple(result.clips),
        engine_label=result.engine_label,
        notice=result.notice,
        synthesized=sum(1 for s in result.sentences if not s.cached),
    )


# --- mix ------------------------------------------------------------------------------------


def mix_profile(ws: Workspace, name: str) -> MixProfile:
    """A profile as this station wants it: ``[audio]`` pause (and, for the loudspeaker, the
    loudness target and true peak it always had), then ``[mix.<name>]`` overrides."""
    station = ws.station
    base: dict[str, object] = {"pause_ms": station.pause_ms}
    if name == "loudspeaker":
        base |= {"loudness_lufs": station.loudness_lufs, "true_peak_db": station.true_peak_db}
    raw = station.raw or None  # loaded with the workspace; a Station built in code has none
    mixes = mix_overrides(raw) if raw else station_overrides(ws.root / STATION_FILE)
    overrides = mixes.get(name, {})
    return get_profile(name, base | overrides)


@dataclass(frozen=True)
class MixPlan:
    """What a mix will be, known before its encoders run (its key, sentence times and
    length): the video draws and encodes its pictures from this while the mix is encoded."""

    key: str
    profile: MixProfile
    timings: tuple[tuple[float, float], ...]
    duration_s: float


@dataclass(frozen=True)
class MixStage:
    key: str
    profile: MixProfile
    audio: Path
    timings: tuple[tuple[float, float], ...]
    duration_s: float
    loudness: Loudness
    reused: bool

    @property
    def plan(self) -> MixPlan:
        return MixPlan(self.key, self.profile, self.timings, self.duration_s)


def mix_stage(
    ws: Workspace,
    voice: VoiceStage,
    profile: MixProfile,
    *,
    breaks_after: set[int] | None = None,
    with_bed: bool = True,
    on_plan: Callable[[MixPlan], None] | None = None,
) -> MixStage:
    """Idents, sentences, pauses and the (ducked) bed, mastered to ``profile``.

    ``on_plan`` hears the mix's plan as soon as the sentences are placed, before the slow
    part (mastering and encoding), or at once when the mix is in the cache."""
    sounds = station_sounds(ws.root, with_bed=with_bed)
    breaks = sorted(breaks_after or set())
    key = stage_key(
        "mix",
        MIX_VERSION,
        {
            "voice": voice.key,
            "profile": profile.cache_params(),
            "breaks": breaks,
            "sounds": sounds.fingerprint(),
        },
    )
    cache = stage_cache(ws)
    name = f"audio.{profile.extension}"

    def build(work: Path) -> None:
        _build_mix(work, key, name, voice, profile, breaks, sounds, on_plan)

    folder, reused = cache.get_or_build("mix", key, build)
    data = json.loads((folder / "mix.json").read_text(encoding="utf-8"))
    made = MixStage(
        key=key,
        profile=profile,
        audio=folder / name,
        timings=tuple((float(a), float(b)) for a, b in data["timings"]),
        duration_s=float(data["duration_s"]),
        loudness=Loudness(**data["loudness"]),
        reused=reused,
    )
    if reused and on_plan is not None:
        on_plan(made.plan)
    return made


def _build_mix(
    work: Path,
    key: str,
    name: str,
    voice: VoiceStage,
    profile: MixProfile,
    breaks: list[int],
    sounds: StationSounds,
    on_plan: Callable[[MixPlan], None] | None,
) -> None:
    """Assemble and master one mix into ``work`` (the cache publishes it under ``key``)."""
    settings = MixSettings(pause_ms=profile.pause_ms, section_pause_ms=profile.section_pause_ms)
    ident = ident_pcm(sounds.ident, "nhạc hiệu")
    outro = ident if sounds.outro == sounds.ident else ident_pcm(sounds.outro, "nhạc kết")
    timeline, timings = assemble(
        voice.clips,
        set(breaks),
        settings,
        ident=ident,
        outro=outro,
    )
    duration = len(timeline) / 1000
    if on_plan is not None:
        on_plan(MixPlan(key, profile, tuple(timings), duration))
    raw = work / "timeline.wav"
    timeline.export(raw, format="wav")
    mastered = master(
        raw,
        duration_s=duration,
        timings=timings,
        profile=profile,
        out=work / name,
        bed=sounds.bed,
    )
    raw.unlink()
    manifest = {
        "timings": timings,
        "duration_s": duration,
        "loudness": dataclasses.asdict(mastered.loudness),
    }
    atomic_write_text(work / "mix.json", json.dumps(manifest))


# --- video ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VideoStage:
    key: str
    format: str
    video: Path
    srt: Path
    vtt: Path
    thumbnail: Path
    cues: tuple[Cue, ...]  # as in the sidecars: one per screen the picture shows
    duration_s: float
    reused: bool


def video_stage(
    ws: Workspace,
    mix: MixStage | MixPlan,
    texts: Sequence[str],
    *,
    title: str,
    date_text: str,
    video_format: str = "vertical",
    cfr: bool = False,
    progress_bar: bool | None = None,
    images: Sequence[PlacedImage] = (),
    on_step: Progress = no_progress,
    audio: Callable[[], MixStage] | None = None,
) -> VideoStage:
    """The clip, its SRT and WebVTT sidecars and a thumbnail, in sync with ``mix``;
    ``on_step`` hears the clip's steps (fractions of this stage) when it is drawn.

    ``mix`` may be only the mix's plan, with ``audio`` a call that waits for the finished
    mix: the pictures are then drawn and encoded while the mix is still being encoded.

    ``images`` are the article's pictures, placed at their sentences by the caller (which
    read the article: this stage parses no file it was not given); without them the
    station's ``[video] photo_folder`` is used, and without that the plain background."""
    from broadcast.errors import InputError

    if video_format not in FORMATS:
        raise InputError(
            f"Không có khổ video '{video_format}'; chọn một trong: {', '.join(FORMATS)}."
        )
    sound = _audio_source(mix, audio)
    size = FORMATS[video_format]
    settings = render_settings(ws)
    progress = settings.progress_bar if progress_bar is None else progress_bar
    station = ws.station
    texts = [unicodedata.normalize("NFC", t) for t in texts]
    cues = cues_from_timings(texts, mix.timings)
    closing = settings.closing_lines()
    everything = "\n".join([*texts, title, date_text, station.name, station.programme, *closing])
    fonts = [str(p) for p in font_files_for(everything)]  # a missing font fails here, early
    if not images and settings.photo_folder is not None:
        images = _photo_folder_images(settings.photo_folder, len(texts))
    key = stage_key(
        "video",
        VIDEO_VERSION,
        {
            "mix": mix.key,
            "texts": texts,
            "format": video_format,
            "station": [station.name, station.programme],
            "title": title,
            "date": date_text,
            "background": sha256_file(settings.background) if settings.background else None,
            "closing": closing,
            "fonts": [Path(f).name for f in fonts],
            "cfr": cfr,
            "progress": progress,
            "pictures": [[hashlib.sha256(i.data).hexdigest(), i.sentence] for i in images],
            "motion_fps": settings.motion_fps if images else None,
            "logo": sha256_file(settings.logo) if settings.logo else None,
        },
    )
    cache = stage_cache(ws)
    made: list[Cue] = []

    def build(work: Path) -> None:
        base = load_background(settings.background) if settings.background else None
        logo = load_logo(settings.logo) if settings.logo else None
        pictures = _decoded(images, size)
        # one cue per screen the picture shows (a long sentence is several), same times
        made.extend(sidecar_cues(cues, size))
        atomic_write_text(work / "subtitles.srt", write_srt(made))
        atomic_write_text(work / "subtitles.vtt", write_vtt(made))
        render_clip(
            audio=sound,
            cues=cues,
            duration_s=mix.duration_s,
            station=station.name,
            programme=station.programme,
            title=title,
            date_text=date_text,
            out_mp4=work / "video.mp4",
            work_dir=work / "frames",
            size=size,
            base=base,
            closing_lines=closing,
            progress_bar=progress,
            cfr=cfr,
            thumbnail=work / "thumbnail.png",
            copy_audio=mix.profile.codec == "aac",
            pictures=pictures,
            motion_fps=settings.motion_fps,
            logo=logo,
            on_step=on_step,
        )
        shutil.rmtree(work / "frames", ignore_errors=True)

    folder, reused = cache.get_or_build("video", key, build)
    # reading the screens back spares the word segmenter's start-up on a re-run
    screens = made or parse_srt((folder / "subtitles.srt").read_text(encoding="utf-8"))
    return VideoStage(
        key=key,
        format=video_format,
        video=folder / "video.mp4",
        srt=folder / "subtitles.srt",
        vtt=folder / "subtitles.vtt",
        thumbnail=folder / "thumbnail.png",
        cues=tuple(screens),
        duration_s=mix.duration_s,
        reused=reused,
    )


def _audio_source(
    mix: MixStage | MixPlan, audio: Callable[[], MixStage] | None
) -> Path | Callable[[], Path]:
    """The finished mix's file, or a call that waits for it (``render_clip`` muxes last)."""
    if isinstance(mix, MixStage):
        return mix.audio
    if audio is None:
        raise ValueError("video_stage: a mix plan needs the call that waits for its audio")
    wait = audio
    return lambda: wait().audio


def _photo_folder_images(folder: Path, sentences: int) -> list[PlacedImage]:
    """The station's photos for an article without any: a new one every few sentences, in
    name order, cycled (only the photos the clip shows are read)."""
    files = photo_folder_files(folder)
    return [
        PlacedImage(files[number].read_bytes(), sentence)
        for number, sentence in photo_slots(len(files), sentences)
    ]


def _decoded(images: Sequence[PlacedImage], size: Size) -> list[Picture]:
    """The pictures Pillow can read, decoded once (a broken one is skipped, not fatal)."""
    pictures = []
    for image in images:
        decoded = decode(image.data, size)
        if decoded is not None:
            pictures.append(Picture(decoded, image.sentence))
    return pictures
