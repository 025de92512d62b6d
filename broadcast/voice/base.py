"""The voice interface: an engine turns one sentence into PCM audio.

Engines are chosen by name from a registry so that station settings (and later voice
profiles) can name them; one sentence at a time keeps every sentence's start and end known,
which the subtitles need.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from broadcast.errors import EngineError


@dataclass(frozen=True)
class SpeechClip:
    """Mono 16-bit little-endian PCM of one sentence."""

    pcm: bytes
    sample_rate: int

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


class VoiceEngine(ABC):
    """A text-to-speech engine. ``version`` enters cache keys so an upgrade re-synthesises."""

    name: str = ""
    version: str = "1"

    def __init__(self, voice: str = "vi", rate: int = 150, pitch: int = 50) -> None:
        # Every engine has a voice, a speaking rate (words per minute) and a pitch (0-100);
        # their values enter the sentence cache key.
        self.voice = voice
        self.rate = rate
        self.pitch = pitch

    @abstractmethod
    def synthesize(self, text: str) -> SpeechClip:
        """Speak one sentence of spoken-form text."""


ENGINES: dict[str, type[VoiceEngine]] = {}


def register(cls: type[VoiceEngine]) -> type[VoiceEngine]:
    ENGINES[cls.name] = cls
    return cls


def engine_class(name: str) -> type[VoiceEngine]:
    """The engine class called ``name``; the error lists the valid names."""
    from broadcast.voice import espeak  # noqa: F401  (registers itself)

    try:
        return ENGINES[name]
    except KeyError:
        valid = ", ".join(sorted(ENGINES))
        raise EngineError(f"Không có bộ đọc '{name}'; các bộ đọc có sẵn: {valid}.") from None
