"""Piper, the offline neural voice: an ONNX model and its ``.onnx.json`` read by piper-tts.

A station downloads a voice once (``vi_VN-vais1000-medium`` and the like) on a machine with
internet and installs it with ``broadcast voice install``; after that it speaks with no network,
unlike gTTS and Edge. piper-tts and onnxruntime are about 60 MB, hence the ``broadcast[piper]``
extra: they are imported only when a Piper voice actually speaks, and their absence is an
``EngineError`` (so a profile's fallback, espeak-ng, reads the script instead).

Loading a model costs far more than one sentence, so each process keeps the voices it loaded.
The cache is keyed by process id too: ``synth.py`` forks worker processes, and an onnxruntime
session created before a fork must be neither used nor freed in the child (its thread pool did
not follow).

The pause between sentences is not the engine's business: every engine returns one sentence
with no trailing silence and the mix inserts the station's ``pause_ms``, so timings and pauses
behave exactly as with espeak-ng.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from broadcast.errors import EngineError
from broadcast.voice.base import SpeechClip, VoiceEngine, register

if TYPE_CHECKING:
    from broadcast.voice.profiles import VoiceProfile

INSTALL_HINT = "cài thêm: pip install 'broadcast[piper]'"
# The profile rate (words per minute) at which a voice speaks at its own trained pace; a
# faster rate shortens every phoneme proportionally (Piper's length_scale).
NEUTRAL_RATE = 125
# Headroom under full scale: piper-tts scales each sentence to its peak.
VOLUME = 0.9
_EMPTY_S = 0.1  # a "sentence" with no phonemes (only punctuation) is a short silence

_LOCK = threading.Lock()
_VOICES: dict[tuple[int, str], Any] = {}
_INHERITED: list[Any] = []  # see ``load_voice``


def packages_missing() -> str | None:
    """Why Piper cannot run on this machine (one sentence), or None when it can; checked
    without importing onnxruntime, which takes a noticeable fraction of a second."""
    import importlib.util

    missing = [m for m in ("piper", "onnxruntime") if importlib.util.find_spec(m) is None]
    if not missing:
        return None
    names = " và ".join("piper-tts" if m == "piper" else m for m in missing)
    return f"Giọng Piper cần gói {names} chưa được cài; {INSTALL_HINT}."


def config_path(model: Path) -> Path:
    """Where piper-tts looks for a model's config: ``FILE.onnx.json`` beside ``FILE.onnx``."""
    return model.with_name(model.name + ".json")


def load_voice(model: Path) -> Any:
    """The ``PiperVoice`` for ``model``, loaded once per process."""
    key = (os.getpid(), str(model))
    with _LOCK:
        voice = _VOICES.get(key)
        if voice is not None:
            return voice
        problem = packages_missing()
        if problem:
            raise EngineError(problem)
        if not model.is_file() or not config_path(model).is_file():
            raise EngineError(
                f"Không thấy mô hình giọng {model} (hoặc tệp .onnx.json của nó); cài lại bằng "
                "'broadcast voice install TỆP.onnx'."
            )
        from piper import PiperVoice

        try:
            voice = PiperVoice.load(model, config_path(model))
        except Exception as exc:  # onnxruntime raises its own exception types
            raise EngineError(f"Không nạp được giọng Piper {model.name}: {exc}.") from None
        # Sessions a parent created before fork() are never used here, and never freed
        # either: their destructor joins the parent's threads, which do not exist in this
        # process, and hung when a new thread reused a dead one's address (seen in tests).
        for stale in [k for k in _VOICES if k[0] != os.getpid()]:
            _INHERITED.append(_VOICES.pop(stale))
        _VOICES[key] = voice
        return voice


@register
class PiperEngine(VoiceEngine):
    """A Piper voice; the profile's ``voice`` is the path of its ``.onnx`` file (relative
    paths are inside the workspace), ``rate`` its speed (125 = the voice's own pace).
    ``pitch`` has no effect: a neural voice has the pitch it was trained with."""

    name = "piper"
    version = "piper-1"
    parallel = "process"

    @classmethod
    def check_profile(cls, profile: VoiceProfile) -> str | None:
        if not profile.voice.endswith(".onnx"):
            return (
                f"giọng Piper phải là đường dẫn tới tệp .onnx (đang là '{profile.voice}'); "
                "cài giọng bằng 'broadcast voice install TỆP.onnx'."
            )
        return None

    def length_scale(self, configured: float) -> float:
        """Piper's length scale for this rate: the voice's own scale at ``NEUTRAL_RATE``."""
        return configured * NEUTRAL_RATE / self.rate

    def synthesize(self, text: str) -> SpeechClip:
        voice = load_voice(Path(self.voice))
        from piper import SynthesisConfig

        settings = SynthesisConfig(
            length_scale=self.length_scale(voice.config.length_scale), volume=VOLUME
        )
        rate = int(voice.config.sample_rate)
        try:
            chunks = list(voice.synthesize(text, syn_config=settings))
        except Exception as exc:  # phonemizer or onnxruntime failure inside piper-tts
            raise EngineError(f"Giọng Piper không đọc được câu: {exc}.") from None
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        if not pcm:
            pcm = bytes(2 * int(rate * _EMPTY_S))
        return SpeechClip(pcm=pcm, sample_rate=rate)
