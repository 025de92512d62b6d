"""Microsoft Edge's online neural voices (vi-VN-HoaiMyNeural, vi-VN-NamMinhNeural).

edge-tts is an optional extra (``broadcast[edge]``) because it pulls in aiohttp and the voices
need the internet. The service address is fixed inside edge-tts (TLS to Microsoft, pinned to
certifi's roots), so the only connection setting it offers, and the only one exposed here, is
an HTTP proxy (profile ``url`` or ``BROADCAST_EDGE_PROXY``).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from broadcast.errors import EngineError
from broadcast.voice.base import SpeechClip, VoiceEngine, register
from broadcast.voice.online import RetryableError, with_retries

if TYPE_CHECKING:
    from broadcast.voice.profiles import VoiceProfile

MISSING = (
    "Giọng Edge cần gói bổ sung edge-tts: cài bằng pip install 'broadcast[edge]'. / "
    "The edge voices need the 'broadcast[edge]' extra."
)
REFERENCE_RATE = 125  # words per minute that edge-tts speaks at "+0%"


@register
class EdgeEngine(VoiceEngine):
    """edge-tts; ``voice`` is the neural voice name."""

    name = "edge"
    version = "edge-tts-1"
    parallel = "thread"

    def __init__(
        self,
        voice: str = "vi-VN-HoaiMyNeural",
        rate: int = 125,
        pitch: int = 50,
        *,
        proxy: str | None = None,
        timeout_s: float = 15.0,
        retries: int = 2,
        backoff_s: float = 0.5,
    ) -> None:
        super().__init__(voice=voice, rate=rate, pitch=pitch)
        self.proxy = proxy
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s

    @classmethod
    def from_profile(cls, profile: VoiceProfile) -> VoiceEngine:
        return cls(
            voice=profile.voice,
            rate=profile.rate,
            pitch=profile.pitch,
            proxy=profile.url,
            timeout_s=profile.timeout_s,
            retries=profile.retries,
            backoff_s=profile.backoff_s,
        )

    def _settings(self) -> tuple[str, str]:
        """Profile rate (words/min) and pitch (0-100) as edge-tts's relative strings."""
        percent = round((self.rate / REFERENCE_RATE - 1) * 100)
        return f"{percent:+d}%", f"{self.pitch - 50:+d}Hz"

    def _attempt(self, text: str) -> SpeechClip:
        import edge_tts

        from broadcast.voice.decode import decode_audio

        rate, pitch = self._settings()
        timeout = max(1, round(self.timeout_s))
        communicate = edge_tts.Communicate(
            text,
            self.voice,
            rate=rate,
            pitch=pitch,
            proxy=self.proxy,
            connect_timeout=timeout,
            receive_timeout=timeout,
        )

        async def collect() -> bytes:
            parts = []
            async for chunk in communicate.stream():
                if chunk["type"] == "audio":
                    parts.append(chunk.get("data", b""))
            return b"".join(parts)

        try:
            # asyncio.run, not edge-tts's stream_sync: that one waits forever when the
            # connection fails, because its worker never posts the end marker.
            mp3 = asyncio.run(asyncio.wait_for(collect(), timeout=self.timeout_s * 2))
        except (edge_tts.exceptions.EdgeTTSException, OSError, TimeoutError) as exc:
            raise RetryableError(f"{type(exc).__name__}: {exc}") from None
        except Exception as exc:  # aiohttp's errors are not all OSError subclasses
            if type(exc).__module__.startswith("aiohttp"):
                raise RetryableError(f"{type(exc).__name__}: {exc}") from None
            raise
        try:
            return decode_audio(mp3)
        except EngineError as exc:
            raise RetryableError(exc.message) from None

    def synthesize(self, text: str) -> SpeechClip:
        try:
            import edge_tts  # noqa: F401
        except ImportError:
            raise EngineError(MISSING) from None
        return with_retries(
            lambda: self._attempt(text),
            retries=self.retries,
            backoff_s=self.backoff_s,
            what=f"Dịch vụ Edge ({self.voice})",
        )
