"""Document codes, Roman numerals, list markers and signature blocks of official texts."""

from __future__ import annotations

import re

from broadcast.script.numbers import read_digits
from broadcast.script.spoken.common import (
    _WORD_EDGE_AFTER,
    _WORD_EDGE_BEFORE,
    _Context,
    _ordinal,
    _spell,
)

ROMAN_KEYWORDS = (
    r"[Qq]uý|[Kk]hóa|[Kk]hoá|[Pp]hần|[Cc]hương|[Mm]ục|[Đđ]iều|[Tt]iết|[Bb]ài|[Đđ]ợt|[Đđ]ại hội"
    r"|[Kk]ỳ họp|[Tt]hứ|[Tt]hế kỷ|[Tt]hế kỉ|[Hh]ạng|[Cc]ấp"
)


SIGNATURE_TERMS = ("TM", "KT", "TL", "TUQ")


# Document kinds (the first part of a code such as QĐ-UBND) are common nouns in speech; an
# issuing body first (123/UBND-VP, a công văn) keeps its capital.
DOCUMENT_TYPES = frozenset(
    ("QĐ", "NQ", "CT", "KH", "TB", "BC", "HD", "TTr", "CTr", "ĐA", "PA", "BB", "GM", "QC", "NĐ",
     "TT", "TTLT", "CV", "KL", "QĐi", "CĐ", "HĐ")
)  # fmt: skip


# Inside a code a few parts mean something else than alone: CV-UBND is a công văn.
CODE_READINGS = {"CV": "công văn"}


def _list_markers(text: str, _: _Context) -> str:
    """ "a)", "đ/", "1)", "2/" open a list item: the letter or number is said, then a pause.

    "1." and "I." stay numbered headings with a full stop ("một.", see ``_roman``).
    """

    def letter(m: re.Match[str]) -> str:
        return f"{m.group(1)}{_spell(m.group(2))}{', ' if m.group(3) in ')/' else '. '}"

    text = re.sub(r"(?m)^(\s*)([a-zđ])([)/.])\s+", letter, text)
    return re.sub(r"(?m)^(\s*)(\d{1,2})[)/]\s+", r"\1\2, ", text)


def _roman_value(numeral: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, char in enumerate(numeral):
        value = values[char]
        following = values[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if total and _to_roman(total) == numeral else None


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
                           (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        count, n = divmod(n, value)
        out += letters * count
    return out


def _roman(text: str, context: _Context) -> str:
    """Roman numerals only where Vietnamese documents use them, so "VI" elsewhere stays a word."""

    def heading(m: re.Match[str]) -> str:
        value = _roman_value(m.group(2))
        return m.group(0) if value is None else f"{m.group(1)}{context.number(value)}."

    def after_keyword(m: re.Match[str]) -> str:
        keyword, numeral, year = m.groups()
        value = _roman_value(numeral)
        if value is None:
            return m.group(0)
        said = _ordinal(context, value) if keyword.lower() == "thứ" else context.number(value)
        return f"{keyword} {said}" + (f" năm {context.number(year)}" if year else "")

    text = re.sub(r"(?m)^(\s*)([IVXLC]+)[./](?=\s)", heading, text)
    return re.sub(rf"\b({ROMAN_KEYWORDS})\s+([IVXLC]+)\b(?:/(\d{{4}})\b)?", after_keyword, text)


_CODE_PART = r"[A-ZĐ]{2,}[a-z]?(?:\d{1,2})?"


_CODE = rf"{_CODE_PART}(?:[-/&]{_CODE_PART})*"


def _document_codes(text: str, context: _Context) -> str:
    """Số ký hiệu: 239/QĐ-UBND, 61/2018/NĐ-CP, 57-NQ/TW, 80/2015/QH13 and a blank "Số: /KH-UBND"."""

    def numbered(m: re.Match[str]) -> str:
        number, year, code = m.groups()
        words = [context.number(number)]
        if year:
            words[0] += f" năm {context.number(year)}"
        return ", ".join(words + _code_words(code, context))

    def unnumbered(m: re.Match[str]) -> str:
        return ", ".join(_code_words(m.group(1), context))

    text = re.sub(
        rf"{_WORD_EDGE_BEFORE}(\d+)(?:/(\d{{4}}))?[/-]({_CODE}){_WORD_EDGE_AFTER}", numbered, text
    )
    blank = rf"(?<![\w/])/({_CODE_PART}(?:-{_CODE_PART})+){_WORD_EDGE_AFTER}"
    text = re.sub(blank, unnumbered, text)
    # "Quyết định số 12/2024" is number 12 of the year, not December: read as the full code is.
    return re.sub(
        r"\b([Ss]ố\s+)(\d+)/(\d{4})(?![\w/])",
        lambda m: f"{m.group(1)}{context.number(m.group(2))} năm {context.number(m.group(3))}",
        text,
    )


def _code_words(code: str, context: _Context) -> list[str]:
    """Each part read from the glossary; a document kind first is a common noun."""
    parts = re.split(r"[-/&]", code)
    words = [_code_part(part, context) for part in parts]
    if parts[0] in DOCUMENT_TYPES:
        words[0] = words[0][:1].lower() + words[0][1:]
    return words


def _code_part(part: str, context: _Context) -> str:
    """QH15 is the 15th National Assembly: "Quốc hội khóa mười lăm"."""
    letters, digits = re.fullmatch(r"(\D+)(\d*)", part).groups()  # type: ignore[union-attr]
    reading = (
        CODE_READINGS.get(letters)
        or context.glossary.spoken(letters)
        or context.spell_unknown(letters)
    )
    if not digits:
        return reading
    return f"{reading} {'khóa ' if letters == 'QH' else ''}{context.number(digits)}"


def _signatures(text: str, _: _Context) -> str:
    """ "TM. ỦY BAN NHÂN DÂN": the dot only marks the abbreviation, it is not a full stop."""
    return re.sub(rf"(?m)^(\s*)({'|'.join(SIGNATURE_TERMS)})\.\s+", r"\1\2 ", text)


def _named_codes(text: str, context: _Context) -> str:
    """ "Đề án 06" is a name, said digit by digit as it is on the national news."""

    def read(m: re.Match[str]) -> str:
        return f"{m.group(1)} {read_digits(m.group(2))}"

    return re.sub(r"\b([Đđ]ề án)\s+(0\d+)\b", read, text)
