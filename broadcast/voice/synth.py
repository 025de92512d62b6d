"""Voice a whole script sentence by sentence, reusing cached sentence audio.

Sentence audio is keyed by text, engine, its version and parameters: a re-run after an
edit re-synthesises only the sentences that changed.
"""

from __future__ import annotations

import hashlib
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

from broadcast.store.files import atomic_write_bytes
from broadcast.voice.base import SpeechClip, VoiceEngine


def cache_key(engine: VoiceEngine, text: str) -> str:
    params = "|".join(f"{k}={v}" for k, v in sorted(vars(engine).items()))
    raw = f"{engine.name}|{engine.version}|{params}|{text}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _read_wav(path: Path) -> SpeechClip:
    with wave.open(str(path), "rb") as handle:
        return SpeechClip(
            pcm=handle.readframes(handle.getnframes()), sample_rate=handle.getframerate()
        )


def _wav_bytes(clip: SpeechClip) -> bytes:
    import io

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(clip.sample_rate)
        handle.writeframes(clip.pcm)
    return buffer.getvalue()


def synthesize_all(
    engine: VoiceEngine,
    texts: Sequence[str],
    cache_dir: Path | None = None,
    on_sentence: Callable[[int], None] | None = None,
) -> list[SpeechClip]:
    """One clip per text, in order; ``on_sentence`` reports progress."""
    clips = []
    for index, text in enumerate(texts):
        cached = cache_dir / f"{cache_key(engine, text)}.wav" if cache_dir else None
        if cached is not None and cached.is_file():
            clip = _read_wav(cached)
        else:
            clip = engine.synthesize(text)
            if cached is not None:
                atomic_write_bytes(cached, _wav_bytes(clip))
        clips.append(clip)
        if on_sentence is not None:
            on_sentence(index + 1)
    return clips
