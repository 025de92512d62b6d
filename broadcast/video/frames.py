"""The still pictures of a clip (vertical or landscape), drawn with Pillow.

A news clip on Zalo or TikTok is mostly watched muted, so the sentence on screen carries the
message: it sits in the lower safe area (platform buttons cover the edges), wraps only between
words (a split Vietnamese syllable reads as another word), and never grows past two lines
(a longer sentence is shown in successive screens). Sizes follow the shorter side of the
picture, so a landscape clip has the same type size as a vertical one, on longer lines.
Text is drawn with a face that covers its script (Be Vietnam Pro, plus Noto Sans Tai Viet
for Thái written in Tai Viet).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageOps

from broadcast.video.fonts import Face, Weight, face_for
from broadcast.video.phrasing import best_cuts, compound_gaps

Size = tuple[int, int]
RGB = tuple[int, int, int]

VERTICAL: Size = (1080, 1920)
LANDSCAPE: Size = (1920, 1080)
FORMATS: dict[str, Size] = {"vertical": VERTICAL, "landscape": LANDSCAPE}
SAFE_MARGIN = 0.10  # fraction of the width (sides) and of the height (top, bottom) kept clear
MAX_LINES = 2

TOP_COLOUR: RGB = (27, 86, 148)  # calm blue, light at the top ...
BOTTOM_COLOUR: RGB = (9, 33, 68)  # ... darker at the bottom, where white text sits
WHITE: RGB = (255, 255, 255)
SOFT_BLUE: RGB = (196, 220, 244)
ACCENT: RGB = (120, 190, 255)
BOX_RGBA = (0, 0, 0, 165)  # dark and see-through: readable on any background


@dataclass(frozen=True)
class TextBlock:
    """Wrapped lines and the font size that made them fit."""

    font: Face
    lines: tuple[str, ...]


def nfc(text: str) -> str:
    """Precomposed letters: decomposed marks would be drawn beside, not above, the vowel."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def wrap_words(text: str, font: Face, max_width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line stays whole on its own line."""
    lines: list[str] = []
    current = ""
    for word in nfc(text).split(" "):
        candidate = f"{current} {word}" if current else word
        if current and font.getlength(candidate) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def fit_text(
    text: str,
    weight: Weight,
    max_width: float,
    sizes: Sequence[int],
    max_lines: int,
) -> TextBlock | None:
    """The largest size in ``sizes`` (tried in order) at which ``text`` fits, or None."""
    for size in sizes:
        font = face_for(text, weight, size)
        lines = wrap_words(text, font, max_width)
        if len(lines) <= max_lines and all(font.getlength(x) <= max_width for x in lines):
            return TextBlock(font=font, lines=tuple(lines))
    return None


def _sizes(size: Size, largest: float, smallest: float) -> list[int]:
    """Font sizes from a fraction of the shorter side down to a smaller one, in 4 % steps."""
    width = min(size)
    sizes, current = [], largest * width
    while current >= smallest * width:
        sizes.append(round(current))
        current *= 0.96
    return sizes or [round(smallest * width)]


def gradient(
    size: Size = VERTICAL, top: RGB = TOP_COLOUR, bottom: RGB = BOTTOM_COLOUR
) -> Image.Image:
    """A vertical gradient: one column computed, then stretched, so it costs almost nothing."""
    width, height = size
    column = Image.new("RGB", (1, height))
    span = max(1, height - 1)
    column.putdata(
        [
            tuple(round(a + (b - a) * y / span) for a, b in zip(top, bottom, strict=True))
            for y in range(height)
        ]
    )
    return column.resize(size, Image.Resampling.NEAREST)


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    block: TextBlock,
    centre_x: float,
    top: float,
    fill: RGB,
    spacing: float = 1.18,
) -> float:
    """Centred lines from ``top``; returns the y where the block ends."""
    ascent, descent = block.font.getmetrics()
    step = (ascent + descent) * spacing
    for number, line in enumerate(block.lines):
        block.font.draw_centred(draw, centre_x, top + ascent + number * step, line, fill)
    return top + (len(block.lines) - 1) * step + ascent + descent


def station_picture(size: Size, image: Image.Image | None = None) -> Image.Image:
    """The station's own picture cropped to ``size`` and darkened so white text stays
    readable on it, or the generated gradient when the station has none."""
    if image is None:
        return gradient(size)
    fitted = ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS)
    return ImageEnhance.Brightness(fitted).enhance(0.55)


def _decoded(path: Path, mode: str, what: str, remedy: str) -> Image.Image:
    """A station image fully decoded now, so a broken file fails before anything is
    encoded, with one sentence naming ``what`` it is and the ``remedy``."""
    from broadcast.errors import InputError

    try:
        with Image.open(path) as opened:
            opened.load()
            return opened.convert(mode)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise InputError(
            f"Không đọc được {what} {path.name} (tệp hỏng hoặc không phải ảnh): "
            f"hãy thay bằng ảnh PNG/JPEG khác hoặc {remedy}."
        ) from None


def load_background(path: Path) -> Image.Image:
    """The station's background image (RGB)."""
    return _decoded(path, "RGB", "ảnh nền", "xóa nó để dùng nền mặc định")


LOGO_HEIGHT = 0.11  # of the shorter side: the logo's height on the title card


def _header(
    image: Image.Image, station: str, programme: str, logo: Image.Image | None = None
) -> float:
    """Station and programme at the top of every picture, so a shared clip keeps its source;
    the station's logo (title card only) above them, centred, at a fixed height."""
    width, height = image.size
    unit = min(image.size)
    draw = ImageDraw.Draw(image)
    text_width = width * (1 - 2 * SAFE_MARGIN)
    y = height * SAFE_MARGIN * 0.6
    if logo is not None:
        y = paste_logo(image, logo, y) + unit * 0.02
    station_block = fit_text(station, "SemiBold", text_width, _sizes(image.size, 0.052, 0.034), 2)
    if station_block is not None:
        y = _draw_lines(draw, station_block, width / 2, y, WHITE)
    programme_block = fit_text(programme, "Regular", text_width, _sizes(image.size, 0.04, 0.03), 2)
    if programme_block is not None:
        y = _draw_lines(draw, programme_block, width / 2, y + unit * 0.015, SOFT_BLUE)
    y += unit * 0.035
    rule = unit * 0.12
    draw.rectangle((width / 2 - rule, y, width / 2 + rule, y + max(3, unit // 270)), fill=ACCENT)
    return y + max(3, unit // 270)


def paste_logo(image: Image.Image, logo: Image.Image, top: float) -> float:
    """``logo`` scaled to ``LOGO_HEIGHT`` (never wider than the safe width), centred at
    ``top``, blended by its own transparency; returns the y where it ends."""
    width, _ = image.size
    high = round(min(image.size) * LOGO_HEIGHT)
    wide = max(1, round(logo.width * high / max(1, logo.height)))
    limit = round(width * (1 - 2 * SAFE_MARGIN))
    if wide > limit:
        wide, high = limit, max(1, round(logo.height * limit / max(1, logo.width)))
    scaled = logo.convert("RGBA").resize((wide, high), Image.Resampling.LANCZOS)
    left, y = round(width / 2 - wide / 2), round(top)
    image.paste(scaled, (left, y), scaled)
    return float(y + high)


def load_logo(path: Path) -> Image.Image:
    """The station's logo (RGBA: its transparency is kept on the title card)."""
    return _decoded(path, "RGBA", "logo", "bỏ khóa [video] logo")


def title_card(
    station: str,
    programme: str,
    title: str,
    date_text: str,
    size: Size = VERTICAL,
    base: Image.Image | None = None,
    logo: Image.Image | None = None,
) -> Image.Image:
    """The opening picture: who speaks, in which programme, about what, and when (and the
    station's logo above its name, when it has one)."""
    image = station_picture(size, base)
    header_end = _header(image, station, programme, logo)
    width, height = size
    unit = min(size)
    draw = ImageDraw.Draw(image)
    text_width = width * (1 - 2 * SAFE_MARGIN)
    max_lines = 6 if height > width else 3
    block = fit_text(title, "Bold", text_width, _sizes(size, 0.085, 0.05), max_lines)
    if block is None:  # a very long title: smallest size, every line kept
        font = face_for(title, "Bold", round(0.05 * unit))
        block = TextBlock(font=font, lines=tuple(wrap_words(title, font, text_width)))
    ascent, descent = block.font.getmetrics()
    block_height = (ascent + descent) * (1.18 * (len(block.lines) - 1) + 1)
    top = max(height * 0.24, header_end + unit * 0.06, height * 0.42 - block_height / 2)
    bottom = _draw_lines(draw, block, width / 2, top, WHITE)
    date_block = fit_text(date_text, "Regular", text_width, _sizes(size, 0.042, 0.03), 2)
    if date_block is not None:
        _draw_lines(draw, date_block, width / 2, bottom + unit * 0.05, SOFT_BLUE)
    return image


def background(
    station: str, programme: str, size: Size = VERTICAL, base: Image.Image | None = None
) -> Image.Image:
    """The picture behind the subtitles once the title card is gone: same look, no title."""
    image = station_picture(size, base)
    _header(image, station, programme)
    return image


def header_layer(station: str, programme: str, size: Size) -> Overlay:
    """The station and programme lines as a transparent layer, drawn once and laid over every
    step of a moving picture (the words must not move with the photo)."""
    layer = Image.new("RGBA", size, (255, 255, 255, 0))
    _header(layer, station, programme)
    box = layer.getbbox() or (0, 0, 1, 1)
    return Overlay(layer.crop(box), (box[0], box[1]))


def closing_card(
    station: str,
    programme: str,
    lines: Sequence[str],
    size: Size = VERTICAL,
    base: Image.Image | None = None,
) -> Image.Image:
    """The last picture: where to do it online and whom to call (portal, hotline)."""
    image = station_picture(size, base)
    header_end = _header(image, station, programme)
    width, height = size
    unit = min(size)
    draw = ImageDraw.Draw(image)
    text_width = width * (1 - 2 * SAFE_MARGIN)
    y = max(height * 0.3, header_end + unit * 0.08)
    for number, line in enumerate(lines):
        weight: Weight = "Bold" if number % 2 else "Regular"
        colour = WHITE if number % 2 else SOFT_BLUE
        block = fit_text(line, weight, text_width, _sizes(size, 0.06, 0.035), 2)
        if block is not None:
            y = _draw_lines(draw, block, width / 2, y, colour) + unit * (
                0.015 if number % 2 == 0 else 0.05
            )
    return image


def with_progress(image: Image.Image, fraction: float) -> Image.Image:
    """A thin bar along the bottom edge showing how much of the clip has played.

    The bar advances when the picture changes (at each sentence), which keeps the clip a
    handful of still pictures instead of a frame per 40 ms.
    """
    width, height = image.size
    thickness = max(4, min(image.size) // 120)
    top = round(height * (1 - SAFE_MARGIN / 3))
    framed = image.copy()
    draw = ImageDraw.Draw(framed)
    draw.rectangle((0, top, width, top + thickness), fill=BOTTOM_COLOUR)
    filled = round(width * max(0.0, min(1.0, fraction)))
    if filled > 0:
        draw.rectangle((0, top, filled, top + thickness), fill=ACCENT)
    return framed


@functools.lru_cache(maxsize=1024)
def subtitle_block(text: str, size: Size = VERTICAL) -> TextBlock:
    """Lines of a subtitle at the largest readable size that keeps it within two lines.

    Remembered: the sidecars and the pictures of a clip fit the same screens (a fitting
    tries dozens of phrasings), and so do the clip's other formats and packs.

    Text too long even at the smallest size keeps all its lines (nothing said is dropped);
    ``split_for_screen`` is how callers avoid that case.
    """
    text_width = _subtitle_width(size)
    sizes = _sizes(size, 0.06, 0.042)
    block = fit_text(text, "SemiBold", text_width, sizes, MAX_LINES)
    if block is None:
        font = face_for(text, "SemiBold", sizes[-1])
        block = TextBlock(font=font, lines=tuple(wrap_words(text, font, text_width)))
    elif len(block.lines) == MAX_LINES:
        block = _phrase_lines(text, block, sizes, text_width)
    return block


def _phrase_lines(
    text: str, block: TextBlock, sizes: Sequence[int], text_width: float
) -> TextBlock:
    """Two lines broken at a phrase, not inside a compound word ("Chuyên / mục"): at the
    fitted size if possible, else up to four sizes (15 %) smaller, else as wrapped."""
    words = nfc(text).split(" ")
    inside = compound_gaps(words)
    fitted = round(block.font.size)
    start = sizes.index(fitted) if fitted in sizes else 0
    for size in sizes[start : start + 5]:
        font = face_for(text, "SemiBold", size)

        def one_line(part: str, font: Face = font) -> bool:
            return font.getlength(part) <= text_width

        lines = best_cuts(words, MAX_LINES, one_line)
        if lines is not None and len(lines[0].split(" ")) not in inside:
            return TextBlock(font=font, lines=tuple(lines))
    return block


def subtitle_frame(background: Image.Image, text: str) -> Image.Image:
    """``background`` with ``text`` burned in on a dark box in the lower safe area."""
    return with_overlay(background, subtitle_overlay(text, background.size))


@dataclass(frozen=True)
class Overlay:
    """A layer drawn once (a subtitle's box and text, the station's name) and blended over
    as many pictures as show it."""

    image: Image.Image  # RGBA, the size of the box
    at: tuple[int, int]  # its top-left corner in the picture


def subtitle_overlay(text: str, size: Size) -> Overlay:
    """The box and lines of ``text`` for a picture of ``size``: laid out once per text, so a
    moving picture under one sentence does not pay for the line fitting at every step.

    The box is black at ``BOX_RGBA`` alpha (165/255): over pure white it ends up at grey 90,
    a WCAG contrast of 6.9 with the white text, and any other picture gives a darker box, so
    the 4.5 that WCAG asks of body text holds over any image without darkening the picture.
    """
    width, height = size
    block = subtitle_block(text, size)
    ascent, descent = block.font.getmetrics()
    step = (ascent + descent) * 1.18
    text_height = (len(block.lines) - 1) * step + ascent + descent
    text_width = max(block.font.getlength(line) for line in block.lines)
    pad_x, pad_y = ascent * 0.45, ascent * 0.3
    left = math.floor(width / 2 - text_width / 2 - pad_x)
    top = math.floor(height * (1 - SAFE_MARGIN) - text_height - 2 * pad_y)
    right = math.ceil(width / 2 + text_width / 2 + pad_x)
    bottom = math.ceil(height * (1 - SAFE_MARGIN))
    overlay = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rounded_rectangle(
        (0, 0, overlay.width - 1, overlay.height - 1), radius=round(ascent * 0.35), fill=BOX_RGBA
    )
    _draw_lines(draw, block, overlay.width / 2, pad_y, WHITE)
    return Overlay(overlay, (left, top))


def with_overlay(background: Image.Image, overlay: Overlay) -> Image.Image:
    """A copy of ``background`` with ``overlay`` blended in."""
    framed = background.convert("RGB")  # a copy: the caller's background stays clean
    blend_into(framed, overlay)
    return framed


def blend_into(image: Image.Image, overlay: Overlay) -> None:
    """``overlay`` blended into ``image`` itself (an RGB picture nobody else holds); only the
    box area is blended (a full-frame RGBA pass would triple the drawing time)."""
    left, top = overlay.at
    box = (left, top, left + overlay.image.width, top + overlay.image.height)
    region = image.crop(box).convert("RGBA")
    image.paste(Image.alpha_composite(region, overlay.image).convert("RGB"), box[:2])


def split_for_screen(text: str, size: Size = VERTICAL) -> list[str]:
    """Parts of a long sentence that each fit two lines, balanced by length, words whole."""
    text = nfc(text)
    text_width = _subtitle_width(size)
    smallest = _sizes(size, 0.06, 0.042)[-1]
    font = face_for(text, "SemiBold", smallest)
    lines = wrap_words(text, font, text_width)
    if len(lines) <= MAX_LINES:
        return [text]
    words = text.split(" ")
    # Candidate parts are wrapped from word widths measured once (the cut search tries
    # hundreds); the parts chosen are then checked with the real wrap.
    widths = {w: font.getlength(w) for w in words}
    space = font.getlength(" ")

    def quick_fits(part: str) -> bool:
        count, used = 1, 0.0
        for word in part.split(" "):
            extra = widths[word] if used == 0 else used + space + widths[word]
            if used and extra > text_width:
                count, used = count + 1, widths[word]
            else:
                used = extra
        return count <= MAX_LINES

    def fits(part: str) -> bool:
        return len(wrap_words(part, font, text_width)) <= MAX_LINES

    count = math.ceil(len(lines) / MAX_LINES)
    for screens in (count, count + 1):
        parts = best_cuts(words, screens, quick_fits)
        if parts is not None and all(fits(p) for p in parts):
            return parts
    parts = _balanced(words, count)
    if all(fits(p) for p in parts):
        return parts
    return [" ".join(lines[i : i + MAX_LINES]) for i in range(0, len(lines), MAX_LINES)]


def _balanced(words: list[str], count: int) -> list[str]:
    """``words`` cut into ``count`` runs of about the same number of characters."""
    total = sum(len(w) + 1 for w in words)
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for word in words:
        current.append(word)
        used += len(word) + 1
        if len(parts) < count - 1 and used >= total * (len(parts) + 1) / count:
            parts.append(" ".join(current))
            current = []
    if current:
        parts.append(" ".join(current))
    return parts


def _subtitle_width(size: Size) -> float:
    """Room for subtitle text: the safe width less the padding of the box around it."""
    return size[0] * (1 - 2 * SAFE_MARGIN) * 0.9
