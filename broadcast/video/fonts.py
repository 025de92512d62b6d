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


# --- faces that cover a script ---------------------------------------------------------------

TAI_VIET = range(0xAA80, 0xAAE0)  # the Tai Viet block (Thái Đen / Thái Trắng script)
TAI_VIET_FAMILY = "Noto Sans Tai Viet"
TAI_VIET_FILE = "NotoSansTaiViet-Regular.ttf"
TAI_VIET_ENV = "BROADCAST_TAI_VIET_FONT"  # an explicit font file, for fonts kept elsewhere
TAI_VIET_PATHS = (
    Path("/usr/share/fonts/truetype/noto") / TAI_VIET_FILE,  # Debian/Ubuntu fonts-noto-core
    Path("/usr/share/fonts/noto") / TAI_VIET_FILE,  # Fedora, Arch
    Path("/usr/local/share/fonts") / TAI_VIET_FILE,
)
MISSING_TAI_VIET = (
    "Thiếu phông chữ Noto Sans Tai Viet để viết chữ Thái (Tai Viet): hãy cài gói "
    "fonts-noto-core (sudo apt-get install fonts-noto-core) rồi chạy lại."
)


def uses_tai_viet(text: str) -> bool:
    return any(ord(ch) in TAI_VIET for ch in text)


def tai_viet_font_path() -> Path | None:
    """Noto Sans Tai Viet, or None; see ``_find_tai_viet``."""
    import os

    return _find_tai_viet(os.environ.get(TAI_VIET_ENV) or None)


@functools.cache
def _find_tai_viet(explicit: str | None) -> Path | None:
    """Noto Sans Tai Viet: asked from fontconfig, then looked for where distributions put it.

    fc-match always answers with *some* font, so its answer counts only if it is the Tai
    Viet face itself (the same trap as libass substituting fonts silently).
    """
    import shutil
    import subprocess

    if explicit:  # the user said where it is: no guessing, and no silent substitute
        return Path(explicit) if Path(explicit).is_file() else None
    if shutil.which("fc-match"):
        proc = subprocess.run(
            ["fc-match", "-f", "%{file}", f"{TAI_VIET_FAMILY}:lang=blt"],
            capture_output=True,
            text=True,
        )
        found = Path(proc.stdout.strip())
        if proc.returncode == 0 and found.name.startswith("NotoSansTaiViet") and found.is_file():
            return found
    return next((p for p in TAI_VIET_PATHS if p.is_file()), None)


@functools.cache
def coverage(path: Path) -> frozenset[int]:
    """Code points a font file has glyphs for, read from its cmap with fontTools."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception as exc:  # fontTools raises many kinds on a broken file
        raise EngineError(f"Không đọc được phông {path.name}: {exc}.") from None


def font_files_for(text: str, weight: Weight = "Regular") -> tuple[Path, ...]:
    """The font files that together draw ``text``: Be Vietnam Pro, plus Tai Viet if needed.

    Raises one sentence when a character has no glyph in any of them, instead of letting
    it be drawn as an empty box.
    """
    files = [font_path(weight)]
    if uses_tai_viet(text):
        tai_viet = tai_viet_font_path()
        if tai_viet is None:
            raise EngineError(MISSING_TAI_VIET)
        files.append(tai_viet)
    covered = frozenset().union(*(coverage(f) for f in files))
    missing = sorted({ch for ch in text if ord(ch) not in covered and not ch.isspace()})
    if missing:
        shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing[:5])
        raise EngineError(f"Không có phông chữ nào vẽ được các ký tự: {shown}.")
    return tuple(files)


class Face:
    """Several fonts used as one: each character is drawn with the first font that has it.

    Pillow has no font fallback, so runs of characters are measured and drawn font by font;
    the interface is the part of ``FreeTypeFont`` the frames use.
    """

    def __init__(self, files: tuple[Path, ...], size: int) -> None:
        from PIL import ImageFont

        self.files = files
        self.size = size
        try:
            self.fonts = [ImageFont.truetype(str(f), size) for f in files]
        except OSError as exc:
            raise EngineError(f"Không mở được phông chữ: {exc}.") from None
        self.cmaps = [coverage(f) for f in files]
        # Fitting a subtitle measures thousands of candidate lines, most of them Vietnamese
        # that the first font draws alone, several times over: those skip the per-letter
        # walk, and every length is remembered (one face per size, so a few thousand).
        self._first = frozenset(chr(c) for c in self.cmaps[0])
        self._lengths: dict[str, float] = {}

    def runs(self, text: str) -> list[tuple[FreeTypeFont, str]]:
        """``text`` cut where the font changes; spaces stay with the run they are in."""
        if self._first.issuperset(text):
            return [(self.fonts[0], text)] if text else []
        runs: list[tuple[FreeTypeFont, str]] = []
        for ch in text:
            index = next(
                (i for i, cmap in enumerate(self.cmaps) if ord(ch) in cmap),
                0,
            )
            font = self.fonts[index]
            if ch.isspace() and runs:
                font = runs[-1][0]
            if runs and runs[-1][0] is font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs

    def getlength(self, text: str) -> float:
        length = self._lengths.get(text)
        if length is None:
            length = sum(font.getlength(part) for font, part in self.runs(text))
            self._lengths[text] = length
        return length

    def getmetrics(self) -> tuple[int, int]:
        metrics = [font.getmetrics() for font in self.fonts]
        return max(m[0] for m in metrics), max(m[1] for m in metrics)

    def draw_centred(
        self, draw: object, x: float, baseline: float, text: str, fill: object
    ) -> None:
        """Draw ``text`` centred on ``x`` with its baseline at ``baseline``."""
        left = x - self.getlength(text) / 2
        for font, part in self.runs(text):
            draw.text((left, baseline), part, font=font, fill=fill, anchor="ls")  # type: ignore[attr-defined]
            left += font.getlength(part)


@functools.lru_cache(maxsize=128)
def _face(files: tuple[Path, ...], size: int) -> Face:
    return Face(files, size)


def face_for(text: str, weight: Weight, size: int) -> Face:
    """A (cached) face that covers ``text`` at ``size`` pixels."""
    return _face(font_files_for(text, weight), size)
