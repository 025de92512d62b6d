"""Bytes to NFC text, refusing what is not text.

Commune staff hand us whatever their office PC saved: UTF-8 from the web, UTF-16 from old
Word "Unicode text" exports, cp1258 from Windows machines configured for Vietnamese, and
TCVN3 or VNI from files typed with the .VnTime and VNI-Times fonts of the 1990s. A
wrong guess turns every diacritic into mojibake that a TTS engine then reads aloud, so the
order of guesses is strict and the result is always NFC (decomposed tones from macOS or PDF
extraction would otherwise defeat every later string comparison).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import InputError
from broadcast.text.legacy import decode_tcvn3, decode_vni
from broadcast.text.syllable import syllable_score

# Control characters other than these are never in a text file a person typed.
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Above this share of control characters the file is binary, whatever its extension says.
_MAX_CONTROL_SHARE = 0.02

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bom_encoding(raw: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding
    return None


def _binary_error(path: Path) -> InputError:
    return InputError(
        f"Tệp {path} không phải văn bản (có vẻ là tệp nhị phân): "
        "hãy lưu bài viết dưới dạng .txt, .md hoặc .docx rồi thử lại."
    )


def looks_binary(text: str) -> bool:
    """True when decoded text holds NULs or too many control characters to be prose."""
    if "\x00" in text:
        return True
    if not text:
        return False
    controls = sum(
        1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS
    )
    return controls / len(text) > _MAX_CONTROL_SHARE


_UTF16_NUL_SHARE = 0.3  # ASCII letters and spaces give a NUL in every other byte
_UTF16_OTHER_NUL_SHARE = 0.05
# A character no legacy font byte could have become in Word: the text is real Unicode.
_NOT_FONT_BYTE = re.compile(
    "[^\x00-\xff" + bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore") + "]"
)
_SCORE_SAMPLE = 200_000  # characters scored per candidate decoding; enough to decide


@dataclass(frozen=True)
class Decoded:
    """Text and the encoding it was read with, so a report can say what was detected."""

    text: str
    encoding: str


def _utf16_without_bom(raw: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when NULs sit in every other byte, as in a BOM-less export."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    half = len(raw) // 2
    even = raw[0::2].count(0) / half
    odd = raw[1::2].count(0) / half
    if odd >= _UTF16_NUL_SHARE and even <= _UTF16_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even >= _UTF16_NUL_SHARE and odd <= _UTF16_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


_RAW_CONTROLS = bytes(b for b in range(0x20) if chr(b) not in _ALLOWED_CONTROLS)


def _raw_controls_share(raw: bytes) -> float:
    """Control bytes per byte; TCVN3 uses a few (Ụ, Ự) but never this many."""
    controls = len(raw) - len(raw.translate(None, _RAW_CONTROLS))
    return controls / len(raw) if raw else 0.0


def _score(text: str) -> int:
    return syllable_score(unicodedata.normalize("NFC", text[:_SCORE_SAMPLE]))


def _cp1258(raw: bytes) -> str:
    return raw.decode("cp1258")


def _tcvn3(raw: bytes) -> str:
    return decode_tcvn3(raw, _score)


# The 8-bit readings, in order of preference on a tie.
_LEGACY: tuple[tuple[str, Callable[[bytes], str]], ...] = (
    ("cp1258", _cp1258),
    ("tcvn3", _tcvn3),
    ("vni", decode_vni),
)


def _best_legacy(raw: bytes, names: tuple[str, ...]) -> tuple[str, int]:
    """The legacy reading whose words are most often Vietnamese syllables, and its score.

    Only the start of the file is scored (a few pages decide it); the winner alone then
    decodes the whole file.
    """
    sample = raw[:_SCORE_SAMPLE]
    best, best_score = "", -(10**9)
    for name, decode in _LEGACY:
        if name not in names:
            continue
        try:
            score = _score(decode(sample))
        except UnicodeDecodeError:  # cp1258 leaves a few bytes undefined
            continue
        if score > best_score:
            best, best_score = name, score
    return best, best_score


def _decode_legacy(raw: bytes, name: str) -> str:
    return dict(_LEGACY)[name](raw)


def _font_bytes(text: str) -> bytes | None:
    """The bytes a legacy font would have drawn these characters from, if it could have.

    Word keeps each byte as its Windows-1252 letter, or as U+0080-U+009F where that code page
    has a hole; a real Vietnamese letter (ư, ệ) means the text is already proper Unicode.
    """
    if text.isascii():
        return None
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    if _NOT_FONT_BYTE.search(text):
        return None
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if not 0x80 <= ord(char) <= 0x9F:
                return None
            out.append(ord(char))
    return bytes(out)


def _legacy_inside_unicode(text: str) -> Decoded | None:
    """A .VnTime or VNI text pasted into a Unicode file ("Thùc hiÖn"), read back properly.

    Copying from an old Word file keeps the font's bytes as Latin-1 letters; re-reading those
    letters as bytes through the legacy tables recovers the Vietnamese.
    """
    raw = _font_bytes(text)
    if raw is None:
        return None
    name, score = _best_legacy(raw, ("tcvn3", "vni"))
    margin = len(text[:_SCORE_SAMPLE].split()) // 10  # a clear win, not a few lucky words
    if score > max(_score(text), 0) + margin:
        return Decoded(_decode_legacy(raw, name), f"utf-8+{name}")
    return None


def _decode_raw(raw: bytes, path: Path) -> Decoded:
    encoding = _bom_encoding(raw) or _utf16_without_bom(raw)
    if encoding is None and len(raw) % 2 and _utf16_without_bom(raw[:-1]):
        raise _cut_error(path, "UTF-16")  # a UTF-16 export that lost its last byte
    if encoding is None and b"\x00" in raw:
        # Without a BOM or the UTF-16 pattern, NULs mean an image, a PDF or an office file.
        raise _binary_error(path)
    if encoding is not None:
        try:
            return Decoded(raw.decode(encoding), _label(encoding, raw))
        except UnicodeDecodeError as exc:
            raise _unicode_error(path, _label(encoding, raw), raw, exc) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _cut_utf8(raw, exc):
            raise _cut_error(path, "UTF-8") from None
    else:
        return _legacy_inside_unicode(text) or Decoded(text, "utf-8")
    if _raw_controls_share(raw) > _MAX_CONTROL_SHARE:
        raise _binary_error(path)
    name, _ = _best_legacy(raw, ("cp1258", "tcvn3", "vni"))
    try:
        return Decoded(_decode_legacy(raw, name), name)
    except UnicodeDecodeError as exc:  # cp1258 won on the sample but fails further on
        raise InputError(
            f"Không nhận ra bảng mã của tệp {path}: hãy mở tệp và lưu lại với bảng mã UTF-8."
        ) from exc


def _cut_utf8(raw: bytes, exc: UnicodeDecodeError) -> bool:
    """True when the file is UTF-8 whose last character was cut in half.

    Only the final bytes fail, and what comes before holds real UTF-8 letters: a legacy
    8-bit file (TCVN3, cp1258) fails long before its end, so it is never mistaken for one.
    """
    if exc.reason != "unexpected end of data" or exc.end != len(raw):
        return False
    head = raw[: exc.start]
    try:
        return not head.decode("utf-8").isascii()
    except UnicodeDecodeError:
        return False


def _cut_error(path: Path, encoding: str) -> InputError:
    return InputError(
        f"Tệp {path} ({encoding}) bị cắt cụt giữa một chữ ở cuối tệp, có lẽ chép hoặc tải về "
        "chưa hết nên phần cuối bài có thể đã mất: hãy lấy lại tệp đầy đủ rồi thử lại."
    )


def _unicode_error(path: Path, label: str, raw: bytes, exc: UnicodeDecodeError) -> InputError:
    """Why a file that announces UTF-8/16/32 by its BOM cannot be read, in the user's words."""
    unit = 4 if label.startswith("utf-32") else 2 if label.startswith("utf-16") else 1
    if len(raw) % unit or (unit == 1 and exc.reason == "unexpected end of data"):
        return _cut_error(path, label.upper())
    return InputError(
        f"Tệp {path} ghi là {label.upper()} nhưng hỏng ở byte {exc.start} (ký tự không hợp lệ "
        "hoặc cặp ký tự thay thế không khớp): hãy mở tệp và lưu lại với bảng mã UTF-8."
    )


def _label(encoding: str, raw: bytes) -> str:
    """The name a user knows: "utf-16-le", not Python's BOM-reading "utf-16"."""
    if encoding == "utf-16":
        return "utf-16-le" if raw.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    if encoding == "utf-32":
        return "utf-32-le" if raw.startswith(codecs.BOM_UTF32_LE) else "utf-32-be"
    return encoding


def decode_bytes(raw: bytes, path: Path) -> Decoded:
    """Decode a text file's bytes to NFC, saying which encoding was detected.

    Order: a BOM, the UTF-16 NUL pattern, then UTF-8 (nearly every legacy byte sequence with
    Vietnamese letters is invalid UTF-8, while the reverse is not true), and only then the
    8-bit encodings cp1258, TCVN3 and VNI, chosen by how Vietnamese the result reads.
    """
    decoded = _decode_raw(raw, path)
    if looks_binary(decoded.text):
        raise _binary_error(path)
    return Decoded(to_nfc(decoded.text), decoded.encoding)


def decode_text(raw: bytes, path: Path) -> str:
    """Decode a text file's bytes to NFC, raising InputError for binary content."""
    return decode_bytes(raw, path).text


def to_nfc(text: str) -> str:
    """NFC with the BOM gone, so equal-looking Vietnamese strings are equal strings."""
    return unicodedata.normalize("NFC", text.replace("\ufeff", ""))
