"""Announcer takes as a voice: the per-sentence clips ``broadcast takes import`` cut.

Thái and Mông have no TTS, so their audio is a recorded announcer. Once a take is imported,
this engine serves its sentence clips by text, so the mix and video stages use a take exactly
like a synthetic voice. Takes live in the workspace (``takes/SLUG/LANG/``), not in the cache:
a recording cannot be regenerated if someone clears the cache.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.errors import EngineError
from broadcast.voice.base import SpeechClip, VoiceEngine, register
from broadcast.voice.decode import read_wav

if TYPE_CHECKING:
    from broadcast.voice.profiles import VoiceProfile

MANIFEST = "take.json"


@register
class RecordingEngine(VoiceEngine):
    """``voice`` is the folder of takes (all scripts, or one script's); ``language`` picks
    the takes of one language."""

    name = "recording"
    version = "take-1"
    parallel = "none"
    cacheable = False

    def __init__(
        self, voice: str = "takes", rate: int = 125, pitch: int = 50, *, language: str = "vi"
    ) -> None:
        super().__init__(voice=voice, rate=rate, pitch=pitch)
        self.language = language

    @classmethod
    def from_profile(cls, profile: VoiceProfile) -> VoiceEngine:
        return cls(voice=profile.voice, language=profile.language)

    def _manifests(self) -> list[Path]:
        folder = Path(self.voice)
        found = [
            *folder.glob(f"{self.language}/{MANIFEST}"),
            *folder.glob(f"*/{self.language}/{MANIFEST}"),
        ]
        return sorted(found, key=lambda p: p.stat().st_mtime_ns, reverse=True)

    def synthesize(self, text: str) -> SpeechClip:
        for manifest in self._manifests():
            data = json.loads(manifest.read_text(encoding="utf-8"))
            for sentence in data["sentences"]:
                # Vietnamese takes are asked for by spoken form, translations by their text.
                if text in (sentence["text"], sentence.get("spoken")):
                    return read_wav(manifest.parent / sentence["clip"])
        raise EngineError(
            f"Chưa có bản thu ({self.language}) cho câu: «{text[:60]}»; "
            "hãy nhập bản thu bằng 'broadcast takes import'."
        )
