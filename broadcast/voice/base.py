"""The voice interface: an engine turns one sentence into PCM audio.

Engines are chosen by name from a registry so that station settings (and later voice
profiles) can name them; one sentence at a time keeps every sentence's start and end known,
which the subtitles need.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from broadcast.errors import EngineError

if TYPE_CHECKING:
    from broadcast.voice.profiles import VoiceProfile


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
    # How independent sentences run side by side: "process" for libraries that are not
    # thread safe (espeak-ng's global state), "thread" for network engines that wait on I/O.
    parallel: Literal["process", "thread", "none"] = "process"
    # False when the engine's audio is not a pure function of the text (announcer takes can be
    # re-imported), so the sentence cache must not keep it.
    cacheable: bool = True

    def __init__(self, voice: str = "vi", rate: int = 150, pitch: int = 50) -> None:
        # Every engine has a voice, a speaking rate (words per minute) and a pitch (0-100);
        # their values enter the sentence cache key.
        self.voice = voice
        self.rate = rate
        self.pitch = pitch

    @classmethod
    def from_profile(cls, profile: VoiceProfile) -> VoiceEngine:
        """The engine configured by a voice profile; engines with more settings override it."""
        return cls(voice=profile.voice, rate=profile.rate, pitch=profile.pitch)

    @classmethod
    def check_profile(cls, profile: VoiceProfile) -> str | None:
        """Why ``profile`` cannot work with this engine (one sentence), or None. Called when
        profiles are loaded, so a wrong voice name is reported before any rendering."""
        return None

    @abstractmethod
    def synthesize(self, text: str) -> SpeechClip:
        """Speak one sentence of spoken-form text."""


ENGINES: dict[str, type[VoiceEngine]] = {}


def register(cls: type[VoiceEngine]) -> type[VoiceEngine]:
    ENGINES[cls.name] = cls
    return cls


def engine_class(name: str) -> type[VoiceEngine]:
    """The engine class called ``name``; the error lists the valid names."""
    # Each module registers its engine; the online ones import their packages lazily.
    from broadcast.voice import edge, espeak, google, piper, recording  # noqa: F401

    try:
        return ENGINES[name]
    except KeyError:
        valid = ", ".join(sorted(ENGINES))
        raise EngineError(f"Không có bộ đọc '{name}'; các bộ đọc có sẵn: {valid}.") from None
