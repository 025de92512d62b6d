"""Compressed audio (an online voice's MP3, an announcer's take) to the PCM every stage uses.

Everything downstream (cache, mix, alignment) works on one format: mono 16-bit PCM. ffmpeg
from the imageio-ffmpeg wheel reads any container the user or a server hands us.
"""

from __future__ import annotations

import io
import subprocess
import wave
from pathlib import Path

from broadcast.audio.ffmpeg import ffmpeg_exe
from broadcast.errors import EngineError
from broadcast.lifecycle import bound_to_parent
from broadcast.voice.base import SpeechClip

SAMPLE_RATE = 22050  # espeak-ng's rate, so clips of every engine mix without resampling


def decode_audio(
    data: bytes | Path, *, sample_rate: int = SAMPLE_RATE, filters: str | None = None
) -> SpeechClip:
    """Decode bytes or a file to mono PCM, optionally through an ffmpeg filter chain."""
    source = str(data) if isinstance(data, Path) else "pipe:0"
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin" if isinstance(data, Path) else "-y"]
    cmd += ["-i", source, "-vn"]
    if filters:
        cmd += ["-af", filters]
    cmd += ["-ac", "1", "-ar", str(sample_rate), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1"]
    proc = subprocess.run(
        cmd,
        input=None if isinstance(data, Path) else data,
        capture_output=True,
        check=False,
        preexec_fn=bound_to_parent(),  # ffmpeg must not outlive us
    )
    if proc.returncode != 0 or not proc.stdout:
        tail = " | ".join(proc.stderr.decode("utf-8", "replace").strip().splitlines()[-2:])
        raise EngineError(f"Không giải mã được âm thanh ({tail or 'không có dữ liệu'}).")
    pcm = proc.stdout[: len(proc.stdout) // 2 * 2]
    return SpeechClip(pcm=pcm, sample_rate=sample_rate)


def read_wav(path: Path) -> SpeechClip:
    """A cached sentence or an imported take's clip, as written by ``wav_bytes``."""
    with wave.open(str(path), "rb") as handle:
        return SpeechClip(
            pcm=handle.readframes(handle.getnframes()), sample_rate=handle.getframerate()
        )


def wav_bytes(clip: SpeechClip) -> bytes:
    """``clip`` as a mono 16-bit WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(clip.sample_rate)
        handle.writeframes(clip.pcm)
    return buffer.getvalue()
