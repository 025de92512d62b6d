"""Encodings: UTF-8/16 with and without BOM, Windows-1258, and the legacy TCVN3 and VNI.

Legacy files are built here from the real seeds through the conversion tables (Unicode ->
legacy bytes), then read back; the round trip must give the NFC original exactly.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcast.text.decode import decode_bytes
from broadcast.text.ingest import ingest, read_article
from broadcast.text.legacy import (
    TCVN3_ROWS,
    VNI_ROWS,
    encode_tcvn3,
    encode_vni,
    tcvn3_table,
    vni_table,
)
from broadcast.text.syllable import is_syllable

SeedFinder = Callable[[str], Path]
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
SENTENCE = (
    "Thực hiện Quyết định số 239/QĐ-UBND ngày 27/01/2026 của Ủy ban nhân dân tỉnh, "
    "UBND xã Mường La xây dựng “Kế hoạch tuyên truyền” – CẢI CÁCH HÀNH CHÍNH năm 2026."
)
GOOD_SEEDS = ["000", "001", "003", "004"]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def seed_text(path: Path) -> str:
    return nfc(path.read_text(encoding="utf-8"))


def to_cp1258(text: str) -> bytes:
    """Windows-1258: precomposed base letters, tones as combining bytes (as Word saves it)."""
    out = []
    for ch in nfc(text):
        parts = unicodedata.normalize("NFD", ch)
        base = nfc("".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(out).encode("cp1258")


# --- the tables --------------------------------------------------------------------------


def _vietnamese_letters() -> set[str]:
    """Every precomposed Vietnamese letter: 12 vowels x 6 tones, both cases, and đ/Đ."""
    letters = {"đ", "Đ"}
    for base in "aăâeêioôơuưy":
        for tone in ("", *sorted(TONE_MARKS)):
            letters |= {nfc(base + tone), nfc(base + tone).upper()}
    return {ch for ch in letters if not ch.isascii()}


def test_tables_cover_every_vietnamese_letter_once() -> None:
    letters = _vietnamese_letters()
    assert len(letters) == 134
    tcvn3 = tcvn3_table()
    assert set(tcvn3) == letters
    assert len(set(tcvn3.values())) == 134, "two letters share a TCVN3 byte"
    vni = vni_table()
    assert set(vni) == letters
    assert len(set(vni.values())) == 134, "two letters share a VNI sequence"
    assert all(1 <= len(code) <= 2 for code in vni.values())
    assert len(TCVN3_ROWS) == len(VNI_ROWS) == 24


def test_known_codes_from_the_published_tables() -> None:
    tcvn3 = tcvn3_table()
    assert [tcvn3[ch] for ch in "àảãáạ"] == [0xB5, 0xB6, 0xB7, 0xB8, 0xB9]
    assert [tcvn3[ch] for ch in "ăâêôơưđ"] == [0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE]
    assert [tcvn3[ch] for ch in "ĂÂÊÔƠƯĐ"] == [0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7]
    assert encode_tcvn3("Thực hiện") == b"Th\xf9c hi\xd6n"
    assert encode_vni("Thực hiện") == "Thöïc hieän".encode("cp1252")
    assert encode_vni("Việt Nam đổi mới") == "Vieät Nam ñoåi môùi".encode("cp1252")
    assert encode_vni("QUỐC") == "QUOÁC".encode("cp1252")


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv is not installed")
def test_tcvn3_table_agrees_with_glibc_iconv() -> None:
    """glibc implements TCVN 5712:1993 independently; every letter must get the same byte."""
    text = "".join(sorted(tcvn3_table()))
    result = subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")  # glibc has it
    assert result.stdout == encode_tcvn3(text)


# --- round trips through read_article ------------------------------------------------------


@pytest.mark.parametrize("number", GOOD_SEEDS)
@pytest.mark.parametrize(
    ("encoding", "encode"), [("tcvn3", encode_tcvn3), ("vni", encode_vni), ("cp1258", to_cp1258)]
)
def test_seed_round_trips_through_a_legacy_encoding(
    tmp_path: Path, seed: SeedFinder, number: str, encoding: str, encode: Callable[[str], bytes]
) -> None:
    original = seed_text(seed(number))
    raw = encode(original)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    decoded = decode_bytes(raw, Path("x.txt"))
    assert decoded.encoding == encoding
    assert decoded.text == original
    legacy = tmp_path / f"{number}-{encoding}.txt"
    legacy.write_bytes(raw)
    reference = read_article(seed(number))
    article = read_article(legacy)
    assert (article.title, article.body, article.removed) == (
        reference.title,
        reference.body,
        reference.removed,
    )


@pytest.mark.parametrize(("encoding", "encode"), [("tcvn3", encode_tcvn3), ("vni", encode_vni)])
def test_short_legacy_sentence_with_capitals_and_curly_quotes(
    tmp_path: Path, encoding: str, encode: Callable[[str], bytes]
) -> None:
    """TCVN3 capitals with a tone share bytes with Windows quotes and dashes: both survive."""
    path = tmp_path / "cau.txt"
    path.write_bytes(encode(SENTENCE))
    ingested = ingest(path)
    assert ingested.encoding == encoding
    assert ingested.article.body == SENTENCE


def test_legacy_text_pasted_into_a_unicode_file(tmp_path: Path) -> None:
    """Copied out of a .VnTime document, the font's bytes arrive as Latin letters in UTF-8."""
    # Word keeps each font byte as the Windows-1252 letter, or as U+0080-U+009F where that
    # code page has a hole (0x81 is "Ả" in TCVN3).
    mojibake = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in encode_tcvn3(SENTENCE)
    )
    assert mojibake.startswith("Thùc hiÖn QuyÕt")
    path = tmp_path / "dan.txt"
    path.write_text(mojibake, encoding="utf-8")
    ingested = ingest(path)
    assert ingested.encoding == "utf-8+tcvn3"
    assert ingested.article.body == SENTENCE


def test_french_in_utf8_is_not_mistaken_for_a_legacy_encoding(tmp_path: Path) -> None:
    text = "Le comité a présenté la réforme à Sơn La; les élèves ont écouté."
    path = tmp_path / "fr.txt"
    path.write_text(text, encoding="utf-8")
    assert ingest(path).encoding == "utf-8"


# --- UTF-8 and UTF-16 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_encoding", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16-le", b"\xff\xfe", "utf-16-le"),
        ("utf-16-be", b"\xfe\xff", "utf-16-be"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-no-bom", "utf16be-no-bom"],
)
def test_unicode_encodings_of_a_seed(
    tmp_path: Path, seed: SeedFinder, raw_encoding: str, bom: bytes, expected: str
) -> None:
    original = seed_text(seed("000"))
    path = tmp_path / "u.txt"
    path.write_bytes(bom + original.encode(raw_encoding))
    ingested = ingest(path)
    assert ingested.encoding == expected
    reference = read_article(seed("000"))
    assert ingested.article.body == reference.body
    assert ingested.article.title == reference.title


def test_decoded_text_is_nfc_even_when_the_file_is_decomposed() -> None:
    decoded = decode_bytes(unicodedata.normalize("NFD", SENTENCE).encode(), Path("x.txt"))
    assert decoded.text == SENTENCE


def test_decoded_legacy_words_are_vietnamese_syllables(seed: SeedFinder) -> None:
    """A wrong table would leave most accented words invalid; the right one leaves none."""
    original = seed_text(seed("003"))
    wrong = encode_vni(original).decode("cp1252")  # VNI bytes read as if Windows-1252
    right = decode_bytes(encode_vni(original), Path("x.txt")).text
    wrong_words = [w for w in wrong.split() if w.isalpha() and not w.isascii()]
    right_words = [w for w in right.split() if w.isalpha() and not w.isascii()]
    assert sum(map(is_syllable, wrong_words)) < 0.2 * len(wrong_words)
    assert sum(map(is_syllable, right_words)) > 0.95 * len(right_words)
