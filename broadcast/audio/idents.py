"""Station idents, outros and music beds taken from the workspace.

A station drops its own jingle into ``<workspace>/audio/`` (``ident.*`` before the segment,
``outro.*`` after it, ``bed.*`` under the speech) in any format ffmpeg reads; without one
the generated chime is used, so a new commune station still sounds like a station.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio.chime import SAMPLE_RATE
from broadcast.audio.ffmpeg import ffmpeg_exe
from broadcast.errors import InputError
from broadcast.lifecycle import bound_to_parent
from broadcast.store.files import sha256_file

AUDIO_FOLDER = "audio"
MAX_IDENT_S = 30.0  # an ident longer than this is a programme, not a jingle


@dataclass(frozen=True)
class StationSounds:
    """The files a mix uses; ``None`` means the generated chime (idents) or no bed."""

    ident: Path | None
    outro: Path | None
    bed: Path | None

    def fingerprint(self) -> dict[str, str | None]:
        """Content hashes for cache keys: replacing a jingle re-mixes, renaming does not."""
        return {
            name: sha256_file(path) if path else None
            for name, path in (("ident", self.ident), ("outro", self.outro), ("bed", self.bed))
        }


def _find(folder: Path, stem: str) -> Path | None:
    if not folder.is_dir():
        return None
    found = sorted(
        p for p in folder.glob(f"{stem}.*") if p.is_file() and not p.name.startswith(".")
    )
    return found[0] if found else None


def station_sounds(workspace_root: Path, *, with_bed: bool = True) -> StationSounds:
    folder = workspace_root / AUDIO_FOLDER
    ident = _find(folder, "ident")
    return StationSounds(
        ident=ident,
        outro=_find(folder, "outro") or ident,
        bed=_find(folder, "bed") if with_bed else None,
    )


def decode_pcm(path: Path, *, what: str, max_s: float | None = MAX_IDENT_S) -> bytes:
    """Mono 16-bit 44.1 kHz PCM of any file ffmpeg reads, or one sentence saying why not."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(path)]
    if max_s is not None:
        cmd += ["-t", f"{max_s}"]
    cmd += ["-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"]
    proc = subprocess.run(cmd, capture_output=True, preexec_fn=bound_to_parent())
    if proc.returncode != 0 or len(proc.stdout) < SAMPLE_RATE // 10 * 2:
        raise InputError(
            f"Không đọc được {what} {path.name} (tệp hỏng hoặc quá ngắn): "
            "hãy thay bằng tệp âm thanh khác hoặc xóa nó để dùng tiếng chuông mặc định."
        )
    return proc.stdout


def ident_pcm(path: Path | None, what: str = "nhạc hiệu") -> bytes | None:
    """The jingle's PCM, or ``None`` for the generated chime (``assemble`` draws it)."""
    return None if path is None else decode_pcm(path, what=what)
