"""One sentence in the station's voice, at once: what the producer hears while editing.

The same voice stage as every render (station profile, fallbacks, the sentence cache), so a
preview sounds exactly like the segment will; the clip is kept as a WAV under the cache's
``preview/`` folder (safe to delete, like all of the cache) and served from there.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from broadcast.render.stages import voice_stage
from broadcast.store.files import atomic_write_bytes
from broadcast.store.workspace import Workspace
from broadcast.voice.decode import wav_bytes

PREVIEW_FOLDER = "preview"


def preview_dir(ws: Workspace) -> Path:
    return ws.cache_dir / PREVIEW_FOLDER


def sentence_preview(ws: Workspace, spoken: str, *, language: str = "vi") -> Path:
    """The WAV file of ``spoken`` read by the station's voice (made once, then reused)."""
    stage = voice_stage(ws, [spoken], language=language)
    data = wav_bytes(stage.clips[0])
    path = preview_dir(ws) / f"{hashlib.sha256(data).hexdigest()[:32]}.wav"
    if not path.is_file():
        atomic_write_bytes(path, data)
    return path
