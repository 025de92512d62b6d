"""Retries with exponential backoff, shared by the online engines.

A commune's connection drops for seconds at a time; retrying a sentence a few times with
growing pauses rides that out, while a dead link still fails within a bounded time so the
profile's fallback voice can take over.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from broadcast.errors import EngineError
from broadcast.voice.base import SpeechClip, VoiceEngine

if TYPE_CHECKING:
    from broadcast.voice.profiles import VoiceProfile

T = TypeVar("T")


class RetryableError(Exception):
    """A failure worth another attempt (network, server error, unreadable answer)."""


def with_retries(attempt: Callable[[], T], *, retries: int, backoff_s: float, what: str) -> T:
    """Call ``attempt`` up to ``retries + 1`` times, sleeping backoff_s, 2x, 4x... between."""
    last = ""
    for number in range(retries + 1):
        if number:
            time.sleep(backoff_s * 2 ** (number - 1))
        try:
            return attempt()
        except RetryableError as exc:
            last = str(exc)
    raise EngineError(f"{what} không trả lời được sau {retries + 1} lần thử ({last}).")


def decode_answer(mp3: bytes) -> SpeechClip:
    """A server's audio as PCM; audio ffmpeg cannot read is worth asking for again."""
    from broadcast.voice.decode import decode_audio

    try:
        return decode_audio(mp3)
    except EngineError as exc:
        raise RetryableError(exc.message) from None


class OnlineEngine(VoiceEngine):
    """What every online engine takes from its profile: an endpoint (None: the service's own),
    an optional HTTP proxy, a timeout per request and the retry schedule."""

    default_timeout_s = 10.0

    def __init__(
        self,
        voice: str,
        rate: int = 125,
        pitch: int = 50,
        *,
        url: str | None = None,
        proxy: str | None = None,
        timeout_s: float | None = None,
        retries: int = 2,
        backoff_s: float = 0.5,
    ) -> None:
        super().__init__(voice=voice, rate=rate, pitch=pitch)
        self.url = url
        self.proxy = proxy
        self.timeout_s = self.default_timeout_s if timeout_s is None else timeout_s
        self.retries = retries
        self.backoff_s = backoff_s

    @classmethod
    def from_profile(cls, profile: VoiceProfile) -> VoiceEngine:
        return cls(
            voice=profile.voice,
            rate=profile.rate,
            pitch=profile.pitch,
            url=profile.url,
            proxy=profile.proxy,
            timeout_s=profile.timeout_s,
            retries=profile.retries,
            backoff_s=profile.backoff_s,
        )
