"""Microsoft Edge's online neural voices (vi-VN-HoaiMyNeural, vi-VN-NamMinhNeural).

edge-tts is an optional extra (``broadcast[edge]``) because it pulls in aiohttp and the voices
need the internet. Two connection settings: the service endpoint (profile ``url`` or
``BROADCAST_EDGE_URL``; default edge-tts's own ``wss://speech.platform.bing.com/...``), so a
station can use a relay and the tests a local server on 127.0.0.1, and an HTTP proxy (profile
``proxy`` or ``BROADCAST_EDGE_PROXY``).

edge-tts has no endpoint parameter: ``Communicate`` reads the module global
``edge_tts.communicate.WSS_URL`` each time it opens a websocket and appends
``&ConnectionId=...&Sec-MS-GEC=...`` to it. ``_EndpointGate`` sets that global only while our
calls run and restores it after; calls for the same endpoint share it, a call for another
endpoint waits until they finish, so concurrent threads never mix endpoints. edge-tts passes
its certifi ``ssl`` context to aiohttp on every connection; aiohttp uses it only for wss://, so
a plain ws:// endpoint works and a wss:// one is still verified against certifi's roots.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from broadcast.errors import EngineError
from broadcast.voice.base import SpeechClip, register
from broadcast.voice.online import OnlineEngine, RetryableError, decode_answer, with_retries

if TYPE_CHECKING:
    from broadcast.voice.profiles import VoiceProfile

MISSING = (
    "Giọng Edge cần gói bổ sung edge-tts: cài bằng pip install 'broadcast[edge]'. / "
    "The edge voices need the 'broadcast[edge]' extra."
)
REFERENCE_RATE = 125  # words per minute that edge-tts speaks at "+0%"


def endpoint_problem(url: str) -> str | None:
    """Why ``url`` cannot be an Edge endpoint (one Vietnamese sentence), or None."""
    if not url.startswith(("ws://", "wss://")):
        return (
            f"'url' của giọng Edge phải là địa chỉ ws:// hoặc wss:// (đang là '{url}'); "
            "proxy HTTP đặt ở khóa 'proxy'."
        )
    return None


class _EndpointGate:
    """Points edge-tts at one endpoint for as long as any call using it runs (see the module
    docstring for why a module global and not a parameter)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._url: str | None = None
        self._users = 0
        self._saved: str | None = None

    @contextmanager
    def use(self, url: str) -> Iterator[None]:
        from edge_tts import communicate

        with self._cond:
            self._cond.wait_for(lambda: self._users == 0 or self._url == url)
            if self._users == 0:
                self._saved = getattr(communicate, "WSS_URL", None)
                communicate.WSS_URL = url
                self._url = url
            self._users += 1
        try:
            yield
        finally:
            with self._cond:
                self._users -= 1
                if self._users == 0:
                    if self._saved is not None:
                        communicate.WSS_URL = self._saved
                    self._url = None
                    self._cond.notify_all()


_GATE = _EndpointGate()


def _query_ready(url: str) -> str:
    """edge-tts appends ``&ConnectionId=...``, so the endpoint must already hold a query."""
    return url if "?" in url else url + "?"


@register
class EdgeEngine(OnlineEngine):
    """edge-tts; ``voice`` is the neural voice name, ``url`` the endpoint (None: Microsoft's)."""

    name = "edge"
    version = "edge-tts-1"
    parallel = "thread"

    default_timeout_s = 15.0

    def __init__(
        self, voice: str = "vi-VN-HoaiMyNeural", rate: int = 125, pitch: int = 50, **online: Any
    ) -> None:
        super().__init__(voice, rate, pitch, **online)

    @classmethod
    def check_profile(cls, profile: VoiceProfile) -> str | None:
        return endpoint_problem(profile.url) if profile.url else None

    def _settings(self) -> tuple[str, str]:
        """Profile rate (words/min) and pitch (0-100) as edge-tts's relative strings."""
        percent = round((self.rate / REFERENCE_RATE - 1) * 100)
        return f"{percent:+d}%", f"{self.pitch - 50:+d}Hz"

    def _attempt(self, text: str) -> SpeechClip:
        import edge_tts
        from edge_tts.constants import WSS_URL

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
            with _GATE.use(_query_ready(self.url or WSS_URL)):
                mp3 = asyncio.run(asyncio.wait_for(collect(), timeout=self.timeout_s * 2))
        except (edge_tts.exceptions.EdgeTTSException, OSError, TimeoutError) as exc:
            raise RetryableError(f"{type(exc).__name__}: {exc}") from None
        except Exception as exc:  # aiohttp's errors are not all OSError subclasses
            if type(exc).__module__.startswith("aiohttp"):
                raise RetryableError(f"{type(exc).__name__}: {exc}") from None
            raise
        return decode_answer(mp3)

    def synthesize(self, text: str) -> SpeechClip:
        try:
            from edge_tts import communicate
        except ImportError:
            raise EngineError(MISSING) from None
        problem = endpoint_problem(self.url) if self.url else None
        if self.url and problem is None and not hasattr(communicate, "WSS_URL"):
            problem = (  # a future edge-tts that moved it: say so rather than call Microsoft
                "Bản edge-tts này không cho đổi địa chỉ dịch vụ (thiếu communicate.WSS_URL). / "
                "This edge-tts version has no communicate.WSS_URL to point at an endpoint."
            )
        if problem:
            raise EngineError(problem)
        return with_retries(
            lambda: self._attempt(text),
            retries=self.retries,
            backoff_s=self.backoff_s,
            what=f"Dịch vụ Edge ({self.voice}, {self.url or 'Microsoft'})",
        )
