"""The article's pictures behind the subtitles, each with a slow pan drawn at a low rate.

A news photo is landscape (4:3 or 16:9) and the clip is mostly vertical (9:16): covering the
frame would keep a third of its width, cutting off the people and the sign the story is
about. So the whole photo is shown, fitted to the width a little above the middle, over a
blurred, darkened copy of itself that fills the rest of the frame (the look viewers know from
news clips on Zalo and TikTok); the subtitles then mostly sit over the dark fill.

The motion is a slow pan (8 % of the width over the photo's time, rightwards and leftwards in
turn), not a zoom: a pan is a crop at whole pixels of one prepared plate, so a step costs a
copy to draw, and the encoder sees each step as a plain shift of the one before (a zoom
needs a resample per step and gives the encoder no motion it can follow; measured, the pan
halves the drawing time). A new picture is drawn only a few times a second (``[video]
motion_fps``, default 4; 0 = still) and only once the picture has moved ``MIN_STEP_PX``:
a three-minute clip is a few hundred distinct pictures, encoded as variable frame rate.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageEnhance, ImageFilter, ImageOps

from broadcast.video.frames import Size

PAN = 0.08  # of the frame's width: how far a picture slides over its time on screen
MIN_STEP_PX = 2  # a new step only once the picture has moved this far
DEFAULT_MOTION_FPS = 4.0
PHOTO_SENTENCES = 3  # photo-folder pictures: a new one every this many sentences
MAX_PHOTOS = 200  # of a photo folder; more is a mistake (a whole archive), not a clip
PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
FILL_BRIGHTNESS = 0.45  # the blurred fill, dark enough that it reads as background
PHOTO_CENTRE = 0.45  # of the height: the photo's centre, a little above the middle
HEADER_BAND = 0.22  # of the height: the top band shaded under the station's name ...
HEADER_SHADE = 150  # ... from this much black (of 255) at the top edge to none


@dataclass(frozen=True)
class Picture:
    """A decoded picture and the script sentence (from 0) from which it is on screen."""

    image: Image.Image
    sentence: int


def decode(data: bytes, size: Size) -> Image.Image | None:
    """``data`` as an upright RGB picture no larger than needed (twice the frame), or None
    when it is not an image Pillow can read (that picture is then skipped, not fatal)."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", (size[0] * 2, size[1] * 2))  # JPEG: decode at a lower scale
            opened.load()
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return None
    image.thumbnail((size[0] * 2, size[1] * 2), Image.Resampling.LANCZOS)
    return image


def photo_folder_files(folder: Path) -> list[Path]:
    """The station's photos in name order (``[video] photo_folder``)."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PHOTO_SUFFIXES
    )[:MAX_PHOTOS]


def photo_slots(photos: int, sentences: int) -> list[tuple[int, int]]:
    """(photo number, first sentence) of the photo-folder pictures: a new photo every
    ``PHOTO_SENTENCES`` sentences, the photos taken in name order and cycled."""
    if photos <= 0:
        return []
    starts = range(0, max(1, sentences), PHOTO_SENTENCES)
    return [(number % photos, start) for number, start in enumerate(starts)]


def plate(image: Image.Image, size: Size) -> Image.Image:
    """The whole photo over a blurred, darkened copy of itself filling ``size``, with the
    top band shaded so the station's name stays readable over a bright sky."""
    width, height = size
    small = ImageOps.fit(image, (max(1, width // 10), max(1, height // 10)))
    fill = small.filter(ImageFilter.GaussianBlur(5)).resize(size, Image.Resampling.BILINEAR)
    fill = ImageEnhance.Brightness(fill).enhance(FILL_BRIGHTNESS)
    fitted = ImageOps.contain(image, size, Image.Resampling.LANCZOS)
    top = round(height * PHOTO_CENTRE - fitted.height / 2)
    top = max(0, min(height - fitted.height, top))
    fill.paste(fitted, ((width - fitted.width) // 2, top))
    band = round(height * HEADER_BAND)
    shade = (
        Image.linear_gradient("L").resize((width, band)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    )
    shade = shade.point(lambda v: v * HEADER_SHADE // 255)
    fill.paste((0, 0, 0), (0, 0, width, band), shade)
    return fill


def step_count(seconds: float, fps: float, size: Size) -> int:
    """Distinct pictures of a pan lasting ``seconds``: at most ``fps`` a second, and no more
    than the travel in ``MIN_STEP_PX`` steps (a long shot moves slowly, not more often)."""
    if fps <= 0 or seconds <= 0:
        return 1
    return max(1, min(math.ceil(seconds * fps), math.ceil(travel(size) / MIN_STEP_PX)))


def travel(size: Size) -> int:
    """How far (pixels) a picture slides over its time on screen."""
    return round(size[0] * PAN)


def plate_size(size: Size) -> Size:
    """The prepared plate: larger than the frame by the pan's travel (and as much in height,
    so the photo keeps its shape), the frame a window sliding across it."""
    return (size[0] + travel(size), round(size[1] * (1 + PAN)))


def panned(
    prepared: Image.Image, size: Size, step: int, steps: int, rightwards: bool
) -> Image.Image:
    """The window of ``size`` at ``step`` of ``steps`` across ``prepared``: a crop at whole
    pixels, no resampling, so drawing it costs a copy and the encoder finds the motion as a
    plain shift of the previous frame (small, cheap P-frames)."""
    share = step / (steps - 1) if steps > 1 else 0.5
    left = round(travel(size) * (share if rightwards else 1 - share))
    top = (prepared.height - size[1]) // 2
    return prepared.crop((left, top, left + size[0], top + size[1]))


def placed(pictures: Sequence[Picture], sentences: int) -> list[Picture]:
    """Pictures in sentence order, one per sentence (a later one on a taken sentence moves to
    the next free one; none left: dropped), within the script."""
    result: list[Picture] = []
    taken = -1
    for picture in sorted(pictures, key=lambda p: p.sentence):
        sentence = max(picture.sentence, taken + 1)
        if sentence >= sentences:
            break
        result.append(Picture(picture.image, sentence))
        taken = sentence
    return result
