"""gTTS, Google Translate's online voice, behind the engine interface.

gTTS chunks the text itself (its tokenizer splits at punctuation into requests of at most 100
characters) and its answer is MP3, decoded here to PCM. The server address is configurable
(profile ``url`` or ``BROADCAST_GTTS_URL``) so tests talk to a local server and a station can
use a mirror; by default gTTS's own Google address is used. Failures are retried with
backoff; a failure that survives the retries is an ``EngineError`` the synthesis stage answers
with the profile's fallback voice.
"""

from __future__ import annotations

import binascii
import functools
from typing import TYPE_CHECKING, Any

from broadcast.errors import EngineError
from broadcast.voice.base import SpeechClip, register
from broadcast.voice.online import OnlineEngine, RetryableError, decode_answer, with_retries

if TYPE_CHECKING:
    from broadcast.voice.profiles import VoiceProfile

BATCHEXECUTE_PATH = "/_/TranslateWebserverUi/data/batchexecute"


@functools.cache
def _client_class() -> Any:
    """A gTTS subclass whose requests go to ``base_url`` when one is set; built lazily so
    that importing the toolkit does not import requests."""
    from gtts import gTTS

    class Client(gTTS):  # type: ignore[misc]
        base_url: str | None = None

        def _prepare_requests(self) -> list[Any]:
            prepared: list[Any] = super()._prepare_requests()
            if self.base_url:
                for request in prepared:
                    request.prepare_url(self.base_url.rstrip("/") + BATCHEXECUTE_PATH, None)
            return prepared

    return Client


@register
class GttsEngine(OnlineEngine):
    """Google Translate TTS; ``voice`` is the gTTS language code ('vi')."""

    name = "gtts"
    version = "gtts-1"
    parallel = "thread"

    default_timeout_s = 10.0

    def __init__(self, voice: str = "vi", rate: int = 125, pitch: int = 50, **online: Any) -> None:
        super().__init__(voice, rate, pitch, **online)

    @classmethod
    def check_profile(cls, profile: VoiceProfile) -> str | None:
        from gtts.lang import tts_langs

        if profile.voice in tts_langs():
            return None
        return f"gTTS không có ngôn ngữ '{profile.voice}' (tiếng Việt là 'vi')."

    def _client(self, text: str) -> Any:
        client = _client_class()(
            text, lang=self.voice, slow=self.rate < 100, timeout=self.timeout_s
        )
        client.base_url = self.url
        return client

    def _attempt(self, client: Any) -> SpeechClip:
        from gtts import gTTSError

        try:
            mp3 = b"".join(client.stream())
        except gTTSError as exc:
            raise RetryableError(str(exc)) from None
        except (binascii.Error, ValueError) as exc:  # a 200 answer with broken base64
            raise RetryableError(f"câu trả lời hỏng: {exc}") from None
        if not mp3:
            raise RetryableError("câu trả lời không có âm thanh")
        return decode_answer(mp3)

    def synthesize(self, text: str) -> SpeechClip:
        try:
            client = self._client(text)
            client.get_bodies()  # tokenise now: text with nothing to speak is not retryable
        except (AssertionError, ValueError) as exc:
            raise EngineError(f"gTTS không đọc được câu này ({exc}).") from None
        return with_retries(
            lambda: self._attempt(client),
            retries=self.retries,
            backoff_s=self.backoff_s,
            what=f"Máy chủ gTTS ({self.url or 'Google'})",
        )
