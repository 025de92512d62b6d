"""Import an announcer's take: clean it, check it against the script, cut it into sentences.

Steps: decode anything ffmpeg reads to mono PCM through a high-pass filter (horn speakers and
handheld recorders add rumble and handling noise that eats loudness headroom), refuse silence,
peak-normalise (so the silence threshold means the same for a quiet and a loud take), find the
pauses with ``silencedetect``, trim leading and trailing silence, check the length against the
script at the announcer's reading pace, and cut one clip per sentence. Everything is written
in a staging folder and moved into ``takes/SLUG/LANG/`` at once, so a failed import leaves
nothing behind and a re-import replaces the old take whole.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from broadcast.audio.ffmpeg import run_ffmpeg
from broadcast.errors import EngineError, InputError
from broadcast.store.files import (
    atomic_write_bytes,
    atomic_write_text,
    sha256_file,
    temp_prefix,
)
from broadcast.store.workspace import Workspace
from broadcast.takes.align import Alignment, Silence, align, parse_silences, speech_bounds
from broadcast.takes.lines import TakeLine
from broadcast.voice.base import SpeechClip
from broadcast.voice.decode import SAMPLE_RATE, decode_audio, wav_bytes
from broadcast.voice.recording import MANIFEST

RUMBLE_FILTER = "highpass=f=90,highpass=f=90"  # two 12 dB/oct stages: ~24 dB down at 45 Hz
PEAK_DBFS = -1.0
SILENT_DBFS = -50.0
EDGE_PAD_S = 0.05  # kept before the first and after the last word: soft onsets survive
TOO_SHORT, TOO_LONG = 0.5, 2.0  # outside: refused (a wrong take, or a take of another script)
WARN_SHORT, WARN_LONG = 0.75, 1.35


@dataclass(frozen=True)
class SplitSettings:
    """How pauses are found; ``noise_db`` is relative to the normalised peak."""

    min_silence_s: float = 0.35
    noise_db: float = -40.0


@dataclass(frozen=True)
class TakeImport:
    folder: Path
    original_s: float
    trimmed_start_s: float  # where the kept audio starts in the original file
    duration_s: float  # of the trimmed take
    expected_s: float
    alignment: Alignment
    warnings: tuple[str, ...]

    @property
    def spans(self) -> tuple[tuple[float, float], ...]:
        return self.alignment.spans


def takes_folder(ws: Workspace, slug: str, language: str) -> Path:
    return ws.root / "takes" / slug / language


def _load(path: Path) -> np.ndarray:
    if not path.is_file():
        raise InputError(f"Không có tệp bản thu {path}.")
    try:
        clip = decode_audio(path, filters=RUMBLE_FILTER)
    except EngineError:
        raise InputError(
            f"Tệp {path.name} không phải âm thanh đọc được (hỏng hoặc sai định dạng)."
        ) from None
    samples = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float64)
    if samples.size < SAMPLE_RATE // 2:
        raise InputError(f"Bản thu {path.name} quá ngắn (dưới nửa giây).")
    return samples


def _normalise(samples: np.ndarray, name: str) -> np.ndarray:
    peak = float(np.max(np.abs(samples)))
    if peak <= 32768 * 10 ** (SILENT_DBFS / 20):
        raise InputError(f"Bản thu {name} im lặng (không có tiếng nói); hãy kiểm tra micrô.")
    return samples * (32767 * 10 ** (PEAK_DBFS / 20) / peak)


def _pcm(samples: np.ndarray) -> bytes:
    return np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes()


def _silences(wav: Path, settings: SplitSettings, duration_s: float) -> list[Silence]:
    log = run_ffmpeg(
        [
            "-i",
            str(wav),
            "-af",
            f"silencedetect=noise={settings.noise_db}dB:d={settings.min_silence_s}",
            "-f",
            "null",
            "-",
        ],
        what="dò khoảng lặng trong bản thu",
    )
    return parse_silences(log, duration_s)


def syllables(text: str) -> int:
    """Vietnamese (and Thái, Mông in Latin script) write one syllable per space-separated
    token; Tai Viet text is spaced the same way."""
    return len([t for t in text.split() if any(ch.isalnum() for ch in t)])


def _check_length(speech_s: float, expected_s: float, name: str) -> str | None:
    ratio = speech_s / expected_s if expected_s else 1.0
    if ratio < TOO_SHORT or ratio > TOO_LONG:
        raise InputError(
            f"Bản thu {name} dài {speech_s:.1f} giây tiếng nói nhưng kịch bản cần khoảng "
            f"{expected_s:.0f} giây: có lẽ nhầm bản thu hoặc kịch bản (xem --pace)."
        )
    if ratio < WARN_SHORT:
        return f"Bản thu ngắn hơn dự kiến ({speech_s:.1f} s so với {expected_s:.0f} s): thiếu câu?"
    if ratio > WARN_LONG:
        return f"Bản thu dài hơn dự kiến ({speech_s:.1f} s so với {expected_s:.0f} s): thừa câu?"
    return None


def clean_recording(
    source: Path, out: Path, *, name: str, min_speech_s: float, max_s: float
) -> float:
    """Write ``out`` (WAV) from a whole recording with the take checks but no cutting into
    sentences: decoded, rumble filtered, refused when silent, too short or too long,
    peak-normalised and trimmed to the speech. Returns the kept length in seconds.

    For an emergency recording uploaded as it is (``broadcast.schedule.recording``): it
    must be checked exactly like an announcer's take, and it has one sentence only.
    ``name`` is how messages name the file (an upload's own name, not its staging name)."""
    try:
        samples = _normalise(_load(source), name)
    except InputError as exc:
        raise InputError(exc.message.replace(source.name, name)) from None
    original_s = samples.size / SAMPLE_RATE
    if original_s > max_s:
        raise InputError(
            f"Bản thu {name} dài {original_s / 60:.1f} phút, quá {max_s / 60:g} phút cho một "
            "tin khẩn cấp; hãy cắt bớt rồi tải lên lại."
        )
    full = out.with_name(f".{out.stem}.full.wav")
    try:
        full.write_bytes(wav_bytes(SpeechClip(_pcm(samples), SAMPLE_RATE)))
        silences = _silences(full, SplitSettings(), original_s)
    finally:
        full.unlink(missing_ok=True)
    speech_start, speech_end = speech_bounds(silences, original_s)
    if speech_end - speech_start < min_speech_s:
        raise InputError(
            f"Bản thu {name} gần như không có tiếng nói (dưới {min_speech_s:g} giây); hãy "
            "kiểm tra tệp và micrô."
        )
    keep_from = max(0.0, speech_start - EDGE_PAD_S)
    keep_to = min(original_s, speech_end + EDGE_PAD_S)
    kept = samples[round(keep_from * SAMPLE_RATE) : round(keep_to * SAMPLE_RATE)]
    atomic_write_bytes(out, wav_bytes(SpeechClip(_pcm(kept), SAMPLE_RATE)))
    return kept.size / SAMPLE_RATE


def import_take(
    ws: Workspace,
    source: Path,
    *,
    slug: str,
    language: str,
    lines: Sequence[TakeLine],
    pace_spm: float,
    settings: SplitSettings | None = None,
) -> TakeImport:
    """Import ``source`` as the take of ``slug`` in ``language``; see the module docstring."""
    settings = settings or SplitSettings()
    if not lines:
        raise InputError(f"Kịch bản {slug} không có câu nào để ghép bản thu.")
    samples = _normalise(_load(source), source.name)
    original_s = samples.size / SAMPLE_RATE
    ws.staging_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=temp_prefix("take"), dir=ws.staging_dir))
    try:
        full = stage / "full.wav"
        full.write_bytes(wav_bytes(SpeechClip(_pcm(samples), SAMPLE_RATE)))
        silences = _silences(full, settings, original_s)
        speech_start, speech_end = speech_bounds(silences, original_s)
        if speech_end - speech_start < 0.3:
            raise InputError(f"Bản thu {source.name} gần như không có tiếng nói.")
        keep_from = max(0.0, speech_start - EDGE_PAD_S)
        keep_to = min(original_s, speech_end + EDGE_PAD_S)
        counts = [syllables(line.text) for line in lines]
        alignment = align(
            speech_start - keep_from,
            speech_end - keep_from,
            [Silence(s.start - keep_from, s.end - keep_from) for s in silences],
            counts,
        )
        expected_s = sum(counts) / pace_spm * 60
        speech_s = sum(end - start for start, end in alignment.spans)
        warnings = [w for w in (_check_length(speech_s, expected_s, source.name),) if w]
        if alignment.warning:
            warnings.append(alignment.warning)

        out = stage / "take"
        kept = samples[round(keep_from * SAMPLE_RATE) : round(keep_to * SAMPLE_RATE)]
        atomic_write_bytes(out / "take.wav", wav_bytes(SpeechClip(_pcm(kept), SAMPLE_RATE)))
        entries = []
        for line, (start, end) in zip(lines, alignment.spans, strict=True):
            piece = kept[round(start * SAMPLE_RATE) : round(end * SAMPLE_RATE)]
            clip = f"sentences/{line.number:03d}.wav"
            atomic_write_bytes(out / clip, wav_bytes(SpeechClip(_pcm(piece), SAMPLE_RATE)))
            entries.append(
                {
                    "number": line.number,
                    "text": line.text,
                    "spoken": line.spoken,
                    "start": round(start, 3),
                    "end": round(end, 3),
                    "clip": clip,
                }
            )
        manifest = {
            "script": slug,
            "language": language,
            "source": source.name,
            "source_sha256": sha256_file(source),
            "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sample_rate": SAMPLE_RATE,
            "trimmed_start": round(keep_from, 3),
            "duration": round(kept.size / SAMPLE_RATE, 3),
            "method": alignment.method,
            "split": {"min_silence_s": settings.min_silence_s, "noise_db": settings.noise_db},
            "warnings": warnings,
            "sentences": entries,
        }
        atomic_write_text(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        final = takes_folder(ws, slug, language)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            final.replace(stage / "old")
        out.replace(final)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return TakeImport(
        folder=final,
        original_s=original_s,
        trimmed_start_s=keep_from,
        duration_s=kept.size / SAMPLE_RATE,
        expected_s=expected_s,
        alignment=alignment,
        warnings=tuple(warnings),
    )
