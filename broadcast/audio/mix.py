"""Mix a voiced script into loudspeaker audio: ident, sentences, pauses, loudness.

Sentence timings are decided here, while the timeline is assembled, so subtitles and the
database get exact starts and ends without any later alignment step. Loudness is
normalised with ffmpeg's two-pass loudnorm, then measured again on the final file.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.audio.chime import SAMPLE_RATE, chime_pcm
from broadcast.audio.ffmpeg import ffmpeg_exe, run_ffmpeg
from broadcast.audio.loudness import Loudness, loudnorm_filter, loudnorm_first_pass, measure
from broadcast.voice.base import SpeechClip


@dataclass(frozen=True)
class MixSettings:
    pause_ms: int = 450
    section_pause_ms: int = 900
    loudness_lufs: float = -16.0
    true_peak_db: float = -1.5
    mp3_bitrate: str = "128k"
    # Speech from a TTS engine peaks near full scale 18 dB above its loudness; horn
    # loudspeakers need it denser. Gentle compression and a limiter leave loudnorm enough
    # headroom to reach the target with a plain gain (its linear mode) instead of pumping.
    dynamics: str = (
        "highpass=f=80,"
        "acompressor=threshold=-24dB:ratio=4:attack=3:release=100:makeup=4,"
        "alimiter=limit=0.7:level=false"
    )


@dataclass(frozen=True)
class MixResult:
    mp3: Path
    wav: Path
    timings: tuple[tuple[float, float], ...]
    duration_s: float
    loudness: Loudness


def _audio_segment_class() -> Any:
    """pydub, pointed at the wheel's ffmpeg when it is used, not when imported."""
    with warnings.catch_warnings():
        # pydub warns when ffmpeg is not on PATH and when it imports audioop (Python 3.12+).
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        from pydub import AudioSegment
    AudioSegment.converter = ffmpeg_exe()
    return AudioSegment


SILENCE_LEVEL = 64  # |sample| at or below this (about -54 dBFS) counts as silence
EDGE_KEEP_S = 0.005  # a few milliseconds kept so a soft onset is not clipped


def trim_silence(clip: SpeechClip) -> SpeechClip:
    """The clip without the silence an engine leaves before and after the words.

    espeak-ng starts some sentences (those opening with "Ch", "Tr", ...) with ~50 ms of
    silence; trimmed, a sentence's timing is its sound, so subtitles appear with the voice.
    """
    from array import array

    samples = array("h", clip.pcm)
    loud = [i for i in (0, len(samples) - 1) if samples and abs(samples[i]) > SILENCE_LEVEL]
    if len(loud) == 2:  # sound right at both edges: nothing to trim
        return clip
    first = next((i for i, v in enumerate(samples) if abs(v) > SILENCE_LEVEL), None)
    if first is None:  # a silent clip stays as it is; the engine's check reports it
        return clip
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > SILENCE_LEVEL)
    keep = int(EDGE_KEEP_S * clip.sample_rate)
    start, end = max(0, first - keep), min(len(samples), last + 1 + keep)
    return SpeechClip(pcm=samples[start:end].tobytes(), sample_rate=clip.sample_rate)


def _ms(frames: int) -> float:
    """Seconds at a frame count, rounded to the millisecond as pydub's ``len`` is."""
    return round(1000 * frames / SAMPLE_RATE) / 1000


def assemble(
    clips: Sequence[SpeechClip],
    breaks_after: set[int],
    settings: MixSettings,
    *,
    ident: bytes | None = None,
    outro: bytes | None = None,
) -> tuple[Any, list[tuple[float, float]]]:
    """Ident, sentences and pauses on one 44.1 kHz mono timeline, with sentence timings.

    ``ident`` and ``outro`` are mono 16-bit 44.1 kHz PCM (a station's jingle); the
    generated chime stands in for either when it is ``None``.
    """
    segment = _audio_segment_class()

    def mono(pcm: bytes) -> Any:
        return segment(data=pcm, sample_width=2, frame_rate=SAMPLE_RATE, channels=1)

    def silence(ms: int) -> Any:
        return segment.silent(duration=ms, frame_rate=SAMPLE_RATE)

    # The pieces are collected and joined once: pydub's ``+`` copies the whole timeline at
    # every step, which on three minutes of audio cost a third of a second per mix.
    parts = [mono(chime_pcm() if ident is None else ident), silence(500)]
    frames = sum(int(p.frame_count()) for p in parts)
    timings = []
    for index, clip in enumerate(clips):
        clip = trim_silence(clip)
        speech = segment(data=clip.pcm, sample_width=2, frame_rate=clip.sample_rate, channels=1)
        speech = speech.set_frame_rate(SAMPLE_RATE)
        start = _ms(frames)
        frames += int(speech.frame_count())
        timings.append((start, _ms(frames)))
        pause = settings.section_pause_ms if index in breaks_after else settings.pause_ms
        parts += [speech, silence(pause)]
        frames += int(parts[-1].frame_count())
    parts += [mono(chime_pcm() if outro is None else outro), silence(300)]
    timeline = mono(b"".join(p.raw_data for p in parts))
    return timeline, timings


def mix_segment(
    clips: Sequence[SpeechClip],
    work_dir: Path,
    settings: MixSettings,
    breaks_after: set[int] | None = None,
) -> MixResult:
    """Assemble, normalise (two passes) and encode; files are written into ``work_dir``."""
    work_dir.mkdir(parents=True, exist_ok=True)
    timeline, timings = assemble(clips, breaks_after or set(), settings)
    raw = work_dir / "raw.wav"
    timeline.export(raw, format="wav")
    # Aim the normaliser a dB under the ceiling: MP3 encoding adds inter-sample peaks.
    peak_target = settings.true_peak_db - 1.0
    measured = loudnorm_first_pass(raw, settings.loudness_lufs, peak_target, settings.dynamics)
    wav = work_dir / "master.wav"
    run_ffmpeg(
        [
            "-i",
            str(raw),
            "-af",
            f"{settings.dynamics},"
            + loudnorm_filter(measured, settings.loudness_lufs, peak_target),
            "-ar",
            str(SAMPLE_RATE),
            "-ac",
            "1",
            "-c:a",
            "pcm_s16le",
            str(wav),
        ],
        what="chuẩn hóa độ lớn",
    )
    raw.unlink()
    mp3 = work_dir / "audio.mp3"
    run_ffmpeg(
        [
            "-i",
            str(wav),
            "-c:a",
            "libmp3lame",
            "-b:a",
            settings.mp3_bitrate,
            "-ar",
            str(SAMPLE_RATE),
            "-ac",
            "1",
            str(mp3),
        ],
        what="mã hóa MP3",
    )
    duration = len(timeline) / 1000
    return MixResult(
        mp3=mp3, wav=wav, timings=tuple(timings), duration_s=duration, loudness=measure(mp3)
    )
