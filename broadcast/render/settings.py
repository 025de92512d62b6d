"""What station.toml says about rendering, read and checked in one place.

``[station] portal`` and ``hotline`` (optional) go on the closing card; ``[video]
background`` names the station's picture (default: ``video/background.*`` in the
workspace); ``[video] progress_bar`` switches the bar on by default; ``[video]
photo_folder`` names the station's photos (used when an article has none), ``motion_fps``
the rate of their slow zoom, ``logo`` the picture on the title card; ``[mix.<profile>]``
tables override mix profiles (``broadcast.audio.profiles``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.errors import WorkspaceError
from broadcast.safeparse import read_toml
from broadcast.store.station import declared
from broadcast.store.workspace import STATION_FILE, Workspace

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class RenderSettings:
    portal: str | None = None
    hotline: str | None = None
    background: Path | None = None
    progress_bar: bool = False
    photo_folder: Path | None = None
    motion_fps: float = 4.0
    logo: Path | None = None

    def closing_lines(self) -> tuple[str, ...]:
        """Label and value pairs for the closing card, only those the station gave."""
        lines: list[str] = []
        if self.portal:
            lines += ["Nộp hồ sơ trực tuyến tại", self.portal]
        if self.hotline:
            lines += ["Đường dây nóng", self.hotline]
        return tuple(lines)


def _setting(data: dict[str, Any], table: str, key: str) -> Any:
    """A value of station.toml checked by its one declaration, or its declared default."""
    values = data.get(table, {})
    if not isinstance(values, dict):
        raise WorkspaceError(f"station.toml: [{table}] phải là một bảng.")
    setting = declared(table)[key]
    if key not in values:
        return setting.default
    value = setting.check(values[key], f"[{table}].{key}")
    return value.strip() or None if isinstance(value, str) else value


def render_settings(ws: Workspace) -> RenderSettings:
    # The settings loaded once with the workspace; the file only for a Station built in code.
    data = ws.station.raw or read_toml(ws.root / STATION_FILE, WorkspaceError)
    named = _setting(data, "video", "background")
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
    return RenderSettings(
        portal=_setting(data, "station", "portal"),
        hotline=_setting(data, "station", "hotline"),
        background=background,
        progress_bar=bool(_setting(data, "video", "progress_bar")),
        photo_folder=_photo_folder(ws, _setting(data, "video", "photo_folder")),
        motion_fps=float(_setting(data, "video", "motion_fps")),
        logo=_logo(ws, _setting(data, "video", "logo")),
    )


def _photo_folder(ws: Workspace, named: str | None) -> Path | None:
    if not named:
        return None
    folder = (ws.root / named).resolve()
    if not folder.is_dir():
        raise WorkspaceError(
            f"station.toml: không có thư mục ảnh '{named}' ([video] photo_folder): hãy tạo "
            "thư mục đó và chép ảnh vào, hoặc bỏ khóa này."
        )
    return folder


def _logo(ws: Workspace, named: str | None) -> Path | None:
    """The logo's path, checked now: a missing or broken logo is one sentence at load, not
    a failed render later."""
    if not named:
        return None
    from PIL import Image

    path = (ws.root / named).resolve()
    if not path.is_file():
        raise WorkspaceError(
            f"station.toml: không có tệp logo '{named}' ([video] logo): hãy chép logo "
            "(PNG/JPEG) vào đó hoặc bỏ khóa này."
        )
    try:
        with Image.open(path) as opened:
            opened.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise WorkspaceError(
            f"station.toml: tệp logo '{named}' ([video] logo) không phải ảnh đọc được: "
            "hãy thay bằng tệp PNG hoặc JPEG."
        ) from None
    return path
