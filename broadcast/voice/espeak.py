"""espeak-ng, the offline default voice, loaded from the espeakng-loader wheel via ctypes.

No system package is needed. The library keeps global state and is not thread safe, so one
process-wide instance is guarded by a lock; ``0x8000`` (espeakINITIALIZE_DONT_EXIT) stops it
from calling ``exit()`` when its data path is wrong, which would kill the whole toolkit.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from broadcast.errors import EngineError
from broadcast.voice.base import SpeechClip, VoiceEngine, register

if TYPE_CHECKING:
    from broadcast.voice.profiles import VoiceProfile

AUDIO_OUTPUT_SYNCHRONOUS = 2  # no background thread: survives fork() into worker processes
DONT_EXIT = 0x8000
POS_CHARACTER = 1
CHARS_UTF8 = 1
PARAM_RATE = 1
PARAM_PITCH = 3

_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Library:
    """The loaded shared library, initialised once per process."""

    def __init__(self) -> None:
        import espeakng_loader

        try:
            self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        except OSError as exc:
            raise EngineError(f"Không nạp được thư viện espeak-ng: {exc}.") from None
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        data_path = espeakng_loader.get_data_path().encode()
        self.sample_rate = self.lib.espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, DONT_EXIT
        )
        if self.sample_rate <= 0:
            raise EngineError("Không khởi tạo được espeak-ng (thiếu dữ liệu giọng đọc).")
        self.chunks: list[bytes] = []
        self.callback: Any = _CALLBACK(self._collect)
        self.lib.espeak_SetSynthCallback(self.callback)

    def _collect(self, wav: Any, count: int, _events: Any) -> int:
        if wav and count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0


@functools.cache
def installed_voices() -> frozenset[str]:
    """Voice names in the wheel's espeak-ng data (``lang/<family>/<name>``), lower-cased."""
    import espeakng_loader

    root = Path(espeakng_loader.get_data_path()) / "lang"
    return frozenset(p.name.lower() for p in root.rglob("*") if p.is_file())


_LOCK = threading.Lock()
_LIBRARY: _Library | None = None


def _library() -> _Library:
    global _LIBRARY
    if _LIBRARY is None:
        _LIBRARY = _Library()
    return _LIBRARY


@register
class EspeakEngine(VoiceEngine):
    """Vietnamese espeak-ng voices: 'vi' (Northern), 'vi-VN-x-central', 'vi-VN-x-south'."""

    name = "espeak"
    version = "espeak-ng-1"

    @classmethod
    def check_profile(cls, profile: VoiceProfile) -> str | None:
        voices = installed_voices()
        if profile.voice.split("+")[0].lower() in voices:
            return None
        vietnamese = ", ".join(sorted(v for v in voices if v.startswith("vi")))
        return f"espeak-ng không có giọng '{profile.voice}' (giọng tiếng Việt: {vietnamese})."

    def synthesize(self, text: str) -> SpeechClip:
        data = text.encode("utf-8")
        with _LOCK:
            lib = _library()
            if lib.lib.espeak_SetVoiceByName(self.voice.encode()) != 0:
                raise EngineError(f"espeak-ng không có giọng '{self.voice}'.")
            lib.lib.espeak_SetParameter(PARAM_RATE, self.rate, 0)
            lib.lib.espeak_SetParameter(PARAM_PITCH, self.pitch, 0)
            lib.chunks = []
            status = lib.lib.espeak_Synth(
                data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None
            )
            lib.lib.espeak_Synchronize()
            pcm = b"".join(lib.chunks)
            lib.chunks = []
        if status != 0:
            raise EngineError(f"espeak-ng không đọc được câu (mã lỗi {status}).")
        return SpeechClip(pcm=pcm, sample_rate=lib.sample_rate)
