"""One sentence in the station's voice, at once: what the producer hears while editing.

The same voice stage as every render (station profile, fallbacks, the sentence cache), so a
preview sounds exactly like the segment will; the clip is kept as a WAV under the cache's
``preview/`` folder (safe to delete, like all of the cache) and served from there.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from broadcast.errors import InputError
from broadcast.render.stages import VoiceStage, voice_stage
from broadcast.store.files import atomic_write_bytes
from broadcast.store.workspace import Workspace
from broadcast.voice.decode import wav_bytes

PREVIEW_FOLDER = "preview"


def preview_dir(ws: Workspace) -> Path:
    return ws.cache_dir / PREVIEW_FOLDER


# What *Nghe thử* on the settings page reads: fixed, so two voices are compared on the same
# words; already in spoken form (numbers as words), as the voice stage receives sentences.
VOICE_SAMPLE = (
    "Đây là đài truyền thanh xã. Mời bà con đến bộ phận một cửa trước ngày mười lăm tháng ba "
    "để làm thủ tục."
)


def _kept(ws: Workspace, stage: VoiceStage) -> Path:
    data = wav_bytes(stage.clips[0])
    path = preview_dir(ws) / f"{hashlib.sha256(data).hexdigest()[:32]}.wav"
    if not path.is_file():
        atomic_write_bytes(path, data)
    return path


def sentence_preview(ws: Workspace, spoken: str, *, language: str = "vi") -> Path:
    """The WAV file of ``spoken`` read by the station's voice (made once, then reused)."""
    return _kept(ws, voice_stage(ws, [spoken], language=language))


def voice_sample(ws: Workspace, voice: str) -> Path:
    """The WAV file of ``VOICE_SAMPLE`` read by ``voice``: a voice profile (shipped or the
    workspace's own), or the station's saved ``[audio] voice`` (which may name an espeak-ng
    voice read at ``speech_rate``). Any other name is refused: it could only be heard once
    saved, and the settings check would have to pass first."""
    from broadcast.voice.profiles import profile_names

    if voice in profile_names(ws):
        stage = voice_stage(ws, [VOICE_SAMPLE], profile_name=voice)
    elif voice == ws.station.voice:
        stage = voice_stage(ws, [VOICE_SAMPLE])
    else:
        raise InputError(
            f"Chưa nghe thử được giọng '{voice}': hãy lưu cài đặt trước rồi bấm Nghe thử."
        )
    return _kept(ws, stage)
