"""Bytes to NFC text, refusing what is not text.

Commune staff hand us whatever their office PC saved: UTF-8 from the web, UTF-16 from old
Word "Unicode text" exports, and cp1258 from Windows machines configured for Vietnamese. A
wrong guess turns every diacritic into mojibake that a TTS engine then reads aloud, so the
order of guesses is strict and the result is always NFC (decomposed tones from macOS or PDF
extraction would otherwise defeat every later string comparison).
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from broadcast.errors import InputError

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


def _decode_raw(raw: bytes, path: Path) -> str:
    encoding = _bom_encoding(raw)
    if encoding is None and b"\x00" in raw:
        # Without a BOM, NUL bytes mean an image, a PDF or an office file, not UTF-16.
        raise _binary_error(path)
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _binary_error(path) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"Không nhận ra bảng mã của tệp {path}: hãy mở tệp và lưu lại với bảng mã UTF-8."
        ) from exc


def decode_text(raw: bytes, path: Path) -> str:
    """Decode a text file's bytes to NFC, raising InputError for binary content.

    UTF-8 is tried before cp1258 because nearly every cp1258 byte sequence with Vietnamese
    letters is invalid UTF-8, while the reverse is not true.
    """
    text = _decode_raw(raw, path)
    if looks_binary(text):
        raise _binary_error(path)
    return to_nfc(text)


def to_nfc(text: str) -> str:
    """NFC with the BOM gone, so equal-looking Vietnamese strings are equal strings."""
    return unicodedata.normalize("NFC", text.replace("\ufeff", ""))
