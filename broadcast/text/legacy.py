"""The 8-bit Vietnamese encodings that predate Unicode: TCVN3 (ABC, .VnTime) and VNI-Windows.

Commune offices still open Word files typed in the 1990s with .VnTime or VNI-Times fonts. Saved
as plain text, their letters come out as bytes that mean nothing in any Windows code page
("Th\\xf9c hi\\xd6n" for "Thực hiện"), so the bytes must be mapped back through the font's own
table. The tables below are data, one row per vowel, in the tone order of TCVN 5712:1993:
no tone, huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot below).

* TCVN3 is TCVN 5712:1993 table VN1: one byte per letter. The lowercase letters and the plain
  capitals Ă Â Ê Ô Ơ Ư Đ sit at 0xA1-0xFE; the capitals with a tone take the C1 range
  0x80-0x9F, a few leftover high bytes and the C0 controls 0x01-0x17 that a text never uses.
  The .VnTime fonts leave 0x80-0x9F to Windows punctuation (“ ” – … ), so a byte there is read
  as whichever of the two makes the surrounding word a Vietnamese syllable.
* VNI-Windows writes a base letter followed by one mark byte (the tone, or the vowel change
  and tone together); ơ, ư, đ, the toned i and ỵ are single bytes. Every byte is given as its
  Windows-1252 character, which is how a VNI text looks in a Unicode editor ("Vieät Nam").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Combining tone marks in the table's tone order.
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# --- TCVN3 (TCVN 5712:1993, VN1) ---------------------------------------------------------

TCVN3_ROWS: dict[str, tuple[int, int, int, int, int, int]] = {
    "a": (0x61, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0x65, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0x69, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0x6F, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0x75, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0x79, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
    "A": (0x41, 0x80, 0x81, 0x82, 0x83, 0x84),
    "Ă": (0xA1, 0xAF, 0xBA, 0xBF, 0xC0, 0x85),
    "Â": (0xA2, 0xC1, 0xC2, 0xC3, 0xC4, 0x86),
    "E": (0x45, 0x87, 0x88, 0x89, 0x8A, 0x8B),
    "Ê": (0xA3, 0xC5, 0xCD, 0xD9, 0xDA, 0x8C),
    "I": (0x49, 0x8D, 0x8E, 0x8F, 0x90, 0x91),
    "O": (0x4F, 0x92, 0x93, 0x94, 0x95, 0x96),
    "Ô": (0xA4, 0xDB, 0xE0, 0xF0, 0xFF, 0x97),
    "Ơ": (0xA5, 0x98, 0x99, 0x9A, 0x9B, 0x9C),
    "U": (0x55, 0x9D, 0x9E, 0x9F, 0x01, 0x02),
    "Ư": (0xA6, 0x04, 0x05, 0x06, 0x11, 0x12),
    "Y": (0x59, 0x13, 0x14, 0x15, 0x16, 0x17),
}
TCVN3_OTHER: dict[str, int] = {"đ": 0xAE, "Đ": 0xA7}
# Standalone tone marks for a decomposed text (0xB0-0xB4), read only.
TCVN3_COMBINING: dict[int, str] = {0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303"}
TCVN3_COMBINING.update({0xB3: "\u0301", 0xB4: "\u0323"})

# --- VNI-Windows --------------------------------------------------------------------------

VNI_ROWS: dict[str, tuple[str, str, str, str, str, str]] = {
    "a": ("a", "aø", "aû", "aõ", "aù", "aï"),
    "ă": ("aê", "aè", "aú", "aü", "aé", "aë"),
    "â": ("aâ", "aà", "aå", "aã", "aá", "aä"),
    "e": ("e", "eø", "eû", "eõ", "eù", "eï"),
    "ê": ("eâ", "eà", "eå", "eã", "eá", "eä"),
    "i": ("i", "ì", "æ", "ó", "í", "ò"),
    "o": ("o", "oø", "oû", "oõ", "où", "oï"),
    "ô": ("oâ", "oà", "oå", "oã", "oá", "oä"),
    "ơ": ("ô", "ôø", "ôû", "ôõ", "ôù", "ôï"),
    "u": ("u", "uø", "uû", "uõ", "uù", "uï"),
    "ư": ("ö", "öø", "öû", "öõ", "öù", "öï"),
    "y": ("y", "yø", "yû", "yõ", "yù", "î"),
    "A": ("A", "AØ", "AÛ", "AÕ", "AÙ", "AÏ"),
    "Ă": ("AÊ", "AÈ", "AÚ", "AÜ", "AÉ", "AË"),
    "Â": ("AÂ", "AÀ", "AÅ", "AÃ", "AÁ", "AÄ"),
    "E": ("E", "EØ", "EÛ", "EÕ", "EÙ", "EÏ"),
    "Ê": ("EÂ", "EÀ", "EÅ", "EÃ", "EÁ", "EÄ"),
    "I": ("I", "Ì", "Æ", "Ó", "Í", "Ò"),
    "O": ("O", "OØ", "OÛ", "OÕ", "OÙ", "OÏ"),
    "Ô": ("OÂ", "OÀ", "OÅ", "OÃ", "OÁ", "OÄ"),
    "Ơ": ("Ô", "ÔØ", "ÔÛ", "ÔÕ", "ÔÙ", "ÔÏ"),
    "U": ("U", "UØ", "UÛ", "UÕ", "UÙ", "UÏ"),
    "Ư": ("Ö", "ÖØ", "ÖÛ", "ÖÕ", "ÖÙ", "ÖÏ"),
    "Y": ("Y", "YØ", "YÛ", "YÕ", "YÙ", "Î"),
}
VNI_OTHER: dict[str, str] = {"đ": "ñ", "Đ": "Ñ"}

# Bytes where .VnTime keeps Windows punctuation and VN1 puts a capital with a tone.
_CP1252_PUNCTUATION = frozenset({0x82, 0x84, 0x85, 0x8B, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97})


def _compose(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


def tcvn3_table() -> dict[str, int]:
    """Unicode letter -> TCVN3 byte for the 134 toned or changed vowels and đ/Đ."""
    table = {
        _compose(base, tone): byte
        for base, row in TCVN3_ROWS.items()
        for tone, byte in zip(TONES, row, strict=True)
    }
    table.update(TCVN3_OTHER)
    return {char: byte for char, byte in table.items() if not char.isascii()}


def vni_table() -> dict[str, str]:
    """Unicode letter -> VNI-Windows bytes, written as Windows-1252 characters."""
    table = {
        _compose(base, tone): code
        for base, row in VNI_ROWS.items()
        for tone, code in zip(TONES, row, strict=True)
    }
    table.update(VNI_OTHER)
    return {char: code for char, code in table.items() if not char.isascii()}


# --- encoding (tests build legacy files with these) ----------------------------------------


def _unencodable(name: str, char: str) -> ValueError:
    return ValueError(f"{char!r} has no {name} code")


def encode_tcvn3(text: str) -> bytes:
    """NFC text -> TCVN3 bytes; other characters must be ASCII or Windows punctuation."""
    table = tcvn3_table()
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if char in table:
            out.append(table[char])
            continue
        try:
            code = char.encode("cp1252")
        except UnicodeEncodeError as exc:
            raise _unencodable("TCVN3", char) from exc
        if not char.isascii() and code[0] not in _CP1252_PUNCTUATION:
            raise _unencodable("TCVN3", char)
        out += code
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """NFC text -> VNI-Windows bytes; other characters must exist in Windows-1252."""
    table = vni_table()
    chars = "".join(table.get(char, char) for char in unicodedata.normalize("NFC", text))
    try:
        return chars.encode("cp1252")
    except UnicodeEncodeError as exc:
        raise _unencodable("VNI", exc.object[exc.start]) from exc


# --- decoding ------------------------------------------------------------------------------


def _cp1252_char(byte: int) -> str:
    """Windows-1252, with its five holes read as Latin-1 so that decoding never fails."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _tcvn3_tables() -> tuple[dict[int, str], dict[int, str]]:
    """Latin-1 code point -> text, as punctuation where .VnTime has it, and as letters."""
    letters = {byte: char for char, byte in tcvn3_table().items()}
    letters.update(TCVN3_COMBINING)
    windows = {byte: _cp1252_char(byte) for byte in range(0x80, 0x100)}
    as_letters = windows | letters
    as_punctuation = as_letters | {byte: windows[byte] for byte in _CP1252_PUNCTUATION}
    return as_punctuation, as_letters


_TCVN3_PUNCTUATION, _TCVN3_LETTERS = _tcvn3_tables()
_PUNCTUATION_CHARS = "".join(_TCVN3_PUNCTUATION[byte] for byte in sorted(_CP1252_PUNCTUATION))
_AMBIGUOUS_WORD = re.compile(rf"\S*[{re.escape(_PUNCTUATION_CHARS)}]\S*")


def decode_tcvn3(raw: bytes, score: Callable[[str], int]) -> str:
    """TCVN3 bytes -> NFC text; ``score`` settles each word whose bytes are also punctuation.

    A capital with a tone and a curly quote share a byte, so each such word is read both ways
    and the reading with more valid Vietnamese syllables (by ``score``) wins; on a tie the
    byte is punctuation, which the .VnTime fonts used far more often.
    """
    latin = raw.decode("latin-1")
    text = latin.translate(_TCVN3_PUNCTUATION)

    def settle(match: re.Match[str]) -> str:
        as_punctuation = match.group()
        start, end = match.span()
        as_letters = latin[start:end].translate(_TCVN3_LETTERS)
        if score(unicodedata.normalize("NFC", as_letters)) > score(
            unicodedata.normalize("NFC", as_punctuation)
        ):
            return as_letters
        return as_punctuation

    return unicodedata.normalize("NFC", _AMBIGUOUS_WORD.sub(settle, text))


def _vni_decoding() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {code: char for char, code in vni_table().items() if code}
    codes = sorted((code for code in table if not code.isascii()), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, codes))), table


_VNI_PATTERN, _VNI_DECODE = _vni_decoding()
_WINDOWS = {byte: _cp1252_char(byte) for byte in range(0x80, 0xA0)}


def decode_vni(raw: bytes) -> str:
    """VNI-Windows bytes -> NFC text: longest sequences first, so "oá" is ố and not "o" + "á"."""
    text = raw.decode("latin-1").translate(_WINDOWS)
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: _VNI_DECODE[m.group()], text))
