"""What station.toml says about rendering, read and checked in one place.

``[station] portal`` and ``hotline`` (optional) go on the closing card; ``[video]
background`` names the station's picture (default: ``video/background.*`` in the
workspace); ``[video] progress_bar`` switches the bar on by default; ``[mix.<profile>]``
tables override mix profiles (``broadcast.audio.profiles``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.errors import WorkspaceError
from broadcast.safeparse import read_toml
from broadcast.store.workspace import STATION_FILE, Workspace

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class RenderSettings:
    portal: str | None = None
    hotline: str | None = None
    background: Path | None = None
    progress_bar: bool = False

    def closing_lines(self) -> tuple[str, ...]:
        """Label and value pairs for the closing card, only those the station gave."""
        lines: list[str] = []
        if self.portal:
            lines += ["Nộp hồ sơ trực tuyến tại", self.portal]
        if self.hotline:
            lines += ["Đường dây nóng", self.hotline]
        return tuple(lines)


def _optional_str(table: dict[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise WorkspaceError(f"station.toml: khóa '{key}' trong [{where}] phải là chuỗi.")
    return value.strip() or None


def render_settings(ws: Workspace) -> RenderSettings:
    data = read_toml(ws.root / STATION_FILE, WorkspaceError)
    station = data.get("station", {})
    video = data.get("video", {})
    if not isinstance(station, dict) or not isinstance(video, dict):
        raise WorkspaceError("station.toml: [station] và [video] phải là bảng.")
    named = _optional_str(video, "background", "video")
    background: Path | None
    if named:
        background = (ws.root / named).resolve()
        if not background.is_file():
            raise WorkspaceError(f"station.toml: không có ảnh nền '{named}' ([video] background).")
    else:
        folder = ws.root / "video"
        found = sorted(
            p
            for p in (folder.iterdir() if folder.is_dir() else [])
            if p.stem == "background" and p.suffix.lower() in IMAGE_SUFFIXES
        )
        background = found[0] if found else None
    progress = video.get("progress_bar", False)
    if not isinstance(progress, bool):
        raise WorkspaceError("station.toml: 'progress_bar' trong [video] phải là true/false.")
    return RenderSettings(
        portal=_optional_str(station, "portal", "station"),
        hotline=_optional_str(station, "hotline", "station"),
        background=background,
        progress_bar=progress,
    )
