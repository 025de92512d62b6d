"""Extended M3U8 playlists, the format loudspeaker players and IP systems read."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PlaylistItem:
    path: Path
    duration_s: float
    title: str


def render_m3u8(items: Sequence[PlaylistItem], playlist_path: Path) -> str:
    """Paths are written relative to the playlist so a workspace can be moved or copied."""
    lines = ["#EXTM3U"]
    for item in items:
        relative = os.path.relpath(item.path, playlist_path.parent)
        title = " ".join(item.title.split())  # the title runs to the end of the line
        lines.append(f"#EXTINF:{round(item.duration_s)},{title}")
        lines.append(Path(relative).as_posix())
    return "\n".join(lines) + "\n"


def parse_m3u8(text: str) -> list[tuple[float, str, str]]:
    """(duration, title, path) per entry; used by tests and by later playlist edits."""
    entries = []
    pending: tuple[float, str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXTINF:"):
            duration, _, title = line[len("#EXTINF:") :].partition(",")
            pending = (float(duration), title)
        elif line and not line.startswith("#"):
            duration_s, title = pending or (-1.0, "")
            entries.append((duration_s, title, line))
            pending = None
    return entries
