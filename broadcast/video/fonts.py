"""Be Vietnam Pro from the fontpkg wheel: a font drawn for Vietnamese stacked diacritics.

System fonts vary between commune machines and many miss ``Ủ`` or ``ặ``; the wheel makes every
rendered frame look the same everywhere. Nothing is opened at import time.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from broadcast.errors import EngineError

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

Weight = Literal["Regular", "SemiBold", "Bold"]
WEIGHTS: tuple[Weight, ...] = ("Regular", "SemiBold", "Bold")


def font_path(weight: Weight = "Regular") -> Path:
    """Path of the Be Vietnam Pro face of ``weight``, or one sentence on how to get it."""
    if weight not in WEIGHTS:
        raise EngineError(f"Không có kiểu chữ {weight!r}; chọn một trong: {', '.join(WEIGHTS)}.")
    try:
        import fontpkg_be_vietnam_pro
    except ImportError:
        raise EngineError(
            "Thiếu phông chữ Be Vietnam Pro: hãy cài gói fontpkg-be-vietnam-pro."
        ) from None
    path = Path(fontpkg_be_vietnam_pro.__file__).parent / "files" / f"BeVietnamPro-{weight}.ttf"
    if not path.is_file():
        raise EngineError(
            f"Không thấy tệp phông {path.name}: hãy cài lại gói fontpkg-be-vietnam-pro."
        )
    return path


@functools.lru_cache(maxsize=64)
def load_font(weight: Weight, size: int) -> FreeTypeFont:
    """Cached FreeType face: fitting text tries many sizes, and opening a TTF is not free."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(font_path(weight)), size)
    except OSError as exc:
        raise EngineError(f"Không mở được phông Be Vietnam Pro {weight}: {exc}.") from None
