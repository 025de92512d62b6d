"""Characters before and after the readings: normalising, slashes, dashes, symbols."""

from __future__ import annotations

import re
import unicodedata

from broadcast.script.numbers import DIGITS
from broadcast.script.spoken.common import _Context

# After a slash these words mean "per": 12 người/tháng is "mười hai người một tháng".
PER_WORDS = (
    r"năm|tháng|quý|tuần|ngày|giờ|phút|người|hộ|lượt|hồ sơ|xã|thôn|bản|lần|ki lô mét|ki lô gam"
    r"|héc ta|mét vuông|mét khối|sào|tấn|con|sản phẩm"
)


def _normalise(text: str, _: _Context) -> str:
    """NFC and plain spaces, so every later pattern sees one spelling of each character."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\t\xa0\u2007\u202f]", " ", text)
    text = re.sub(r"(?m)\*+|^[ ]*#+[ ]+", "", text)  # markdown emphasis and headings
    return text.replace("\u2011", "-").replace("\u2212", "-")


def _symbols(text: str, _: _Context) -> str:
    for symbol, words in (("%", " phần trăm"), ("&", " và "), ("+", " cộng "), ("=", " bằng "),
                          ("@", " a còng "), ("~", " khoảng "), ("°", " độ "), ("²", " mũ hai "),
                          ("³", " mũ ba "), ("§", " "),
                          ("<", " "), (">", " "), ("_", " ")):  # fmt: skip
        text = text.replace(symbol, words)
    # Last net for digits no earlier pass knows (², ٣): the voice must never see one.
    return "".join(f" {DIGITS[unicodedata.digit(c, 0)]} " if c.isdigit() else c for c in text)


def _slashes(text: str, _: _Context) -> str:
    """ "./." closes a document; "trang/cổng" offers a choice; any other slash is a pause."""
    text = re.sub(r"\.\s*/\s*\.", ".", text)
    text = re.sub(rf"(?<=[\w%])\s*/\s*(?=(?:{PER_WORDS})\b)", " một ", text)
    text = re.sub(r"(?<=\w)\s*/\s*(?=\w)", " hoặc ", text)
    return text.replace("/", " ")


def _dashes(text: str, _: _Context) -> str:
    """List bullets vanish, a spaced dash between words is a short pause, a hyphen a space."""
    text = re.sub(r"(?m)^(\s*)[-–—•+]\s+", r"\1", text)
    text = re.sub(r"\s*[–—]+\s*|\s+-+\s+", ", ", text)
    return re.sub(r"(?<=\w)[-–—](?=\w)", " ", text).replace("-", " ")


def _tidy(text: str, _: _Context) -> str:
    text = re.sub(r"[ ]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?)…])", r"\1", text)
    text = re.sub(r"\( +", "(", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r",(\s*[.;:])", r"\1", text)
    return "\n".join(line.strip() for line in text.split("\n"))
