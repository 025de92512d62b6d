"""The spoken form: written Vietnamese turned into exactly what the voice must say.

A TTS voice guesses at digits, slashes, capital abbreviations and document codes, and it
guesses wrong (espeak-ng spells "UBND" letter by letter and reads "27/01/2026" as a
fraction). Everything a commune listener would hear read out by an announcer is written out
here as words, in a fixed order of passes: the specific shapes (links, document codes,
dates) go first so the general ones (plain numbers, lone symbols) never see them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from broadcast.script.glossary import Glossary
from broadcast.script.numbers import DIGITS, read_decimal, read_digits, read_number

LETTER_NAMES = {
    "a": "a", "ă": "á", "â": "ớ", "b": "bê", "c": "xê", "d": "dê", "đ": "đê", "e": "e",
    "ê": "ê", "f": "ép", "g": "giê", "h": "hát", "i": "i", "j": "gi", "k": "ca", "l": "lờ",
    "m": "em", "n": "en", "o": "o", "ô": "ô", "ơ": "ơ", "p": "pê", "q": "quy", "r": "e rờ",
    "s": "ét", "t": "tê", "u": "u", "ư": "ư", "v": "vê", "w": "vê kép", "x": "ích",
    "y": "i dài", "z": "dét",
}  # fmt: skip

UNITS = {
    "km2": "ki lô mét vuông", "km²": "ki lô mét vuông", "m2": "mét vuông", "m²": "mét vuông",
    "m3": "mét khối", "m³": "mét khối", "km": "ki lô mét", "kg": "ki lô gam", "ha": "héc ta",
    "cm": "xăng ti mét", "mm": "mi li mét", "m": "mét", "kW": "ki lô oát", "kWh": "ki lô oát giờ",
    "MW": "mê ga oát", "GB": "gi ga bai", "MB": "mê ga bai", "đ": "đồng", "VNĐ": "đồng",
    "VND": "đồng", "USD": "đô la Mỹ", "°C": "độ xê",
}  # fmt: skip

ROMAN_KEYWORDS = r"[Qq]uý|[Kk]hóa|[Kk]hoá|[Pp]hần|[Cc]hương|[Mm]ục|[Đđ]ại hội|[Kk]ỳ họp|[Tt]hứ"
MONTH_WORD = r"[Tt]háng"
SIGNATURE_TERMS = ("TM", "KT", "TL", "TUQ")
# After a slash these words mean "per": 12 người/tháng is "mười hai người một tháng".
PER_WORDS = r"năm|tháng|tuần|ngày|giờ|phút|người|hộ|lượt|hồ sơ|xã|thôn|bản|lần|ki lô mét|ki lô gam"
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?"
)
_NUM = r"\d+(?:[.,]\d+)*"
_WORD_EDGE_BEFORE = r"(?<![\w.,/])"
_WORD_EDGE_AFTER = r"(?![\w])"


@dataclass(frozen=True)
class _Context:
    glossary: Glossary
    southern: bool

    def number(self, digits: str | int) -> str:
        return read_number(int(digits), southern=self.southern)

    def numeral(self, token: str) -> str:
        """Any written numeral: 1.000.000, 1,2, 4.0 (read "bốn chấm không"), 2026."""
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
            return self.number(token.replace(".", ""))
        if re.fullmatch(r"(?:\d{1,3}(?:\.\d{3})+|\d+),\d+", token):
            return read_decimal(token, southern=self.southern)
        if "," in token:
            return ", ".join(self.numeral(part) for part in token.split(","))
        return " chấm ".join(self.number(part) for part in token.split("."))


Pass = Callable[[str, _Context], str]


def to_spoken(text: str, glossary: Glossary, *, southern: bool = False) -> str:
    """What the voice reads for ``text``: no digit, slash, code or capital abbreviation left."""
    context = _Context(glossary, southern)
    for step in _PASSES:
        text = step(text, context)
    return text


# --- normalising and links -------------------------------------------------------------------


def _normalise(text: str, _: _Context) -> str:
    """NFC and plain spaces, so every later pattern sees one spelling of each character."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\t\xa0\u2007\u202f]", " ", text)
    text = re.sub(r"(?m)\*+|^[ ]*#+[ ]+", "", text)  # markdown emphasis and headings
    return text.replace("\u2011", "-").replace("\u2212", "-")


def _links(text: str, context: _Context) -> str:
    """Only the site name of a link is worth hearing; the path means nothing on the radio."""
    text = re.sub(r"<?\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)>?", _email, text)
    url = r"\b(?:https?://|www\.)[^\s<>\"]+|\b(?:[a-z0-9-]+\.)+(?:vn|com|net|org)\b(?:/\S*)?"
    return re.sub(url, lambda m: "trang web " + _host(m.group(0)), text)


def _email(match: re.Match[str]) -> str:
    user, host = match.groups()
    return f" {_dotted(user)} a còng {_dotted(host)} "


def _host(url: str) -> str:
    url = url.rstrip(".,;:)")
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/")[0]
    return _dotted(host)


def _dotted(name: str) -> str:
    """Addresses said the way people dictate them: chấm, gạch ngang, gạch dưới."""
    for mark, word in ((".", " chấm "), ("-", " gạch ngang "), ("_", " gạch dưới ")):
        name = name.replace(mark, word)
    return re.sub(r"\s+", " ", name).strip()


def _timestamps(text: str, context: _Context) -> str:
    """ISO stamps left by digital signatures: 2025-08-06T11:06:12+0700."""
    pattern = (
        r"\b(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:[+-]\d{2}:?\d{2}|Z)?)?\b"
    )

    def read(m: re.Match[str]) -> str:
        year, month, day, hour, minute, second = m.groups()
        spoken = _date_words(context, day, month, year)
        if hour is not None:
            spoken += ", lúc " + _clock(context, hour, minute, second)
        return spoken

    return re.sub(pattern, read, text)


# --- Roman numerals and document codes -------------------------------------------------------


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

    text = re.sub(r"(?m)^(\s*)([IVXLC]+)\.(?=\s)", heading, text)
    return re.sub(rf"\b({ROMAN_KEYWORDS})\s+([IVXLC]+)\b(?:/(\d{{4}})\b)?", after_keyword, text)


_CODE_PART = r"[A-ZĐ]{2,}[a-z]?"
_CODE = rf"{_CODE_PART}(?:[-/&]{_CODE_PART})*"


def _document_codes(text: str, context: _Context) -> str:
    """Số ký hiệu: 239/QĐ-UBND, 61/2018/NĐ-CP, 57-NQ/TW, and a blank "Số: /KH-UBND"."""

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
    return re.sub(blank, unnumbered, text)


def _code_words(code: str, context: _Context) -> list[str]:
    """Each part read from the glossary; the first is the kind of document, a common noun."""
    words = [context.glossary.spoken(part) or _spell(part) for part in re.split(r"[-/&]", code)]
    words[0] = words[0][:1].lower() + words[0][1:]
    return words


# --- glossary and capitals -------------------------------------------------------------------


@lru_cache(maxsize=8)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\(\s*({alternatives})\s*\)|(?<![\w&])({alternatives})(?![\w&])")


def _defined_later(text: str, _: _Context) -> str:
    """"(sau đây viết tắt là CCHC)" only tells a reader what the letters mean: a listener
    never sees the letters."""
    return re.sub(r"\s*\((?:sau đây\s+)?(?:gọi|viết)\s+tắt\s+là\s+[^)]*\)", "", text)


def _signatures(text: str, _: _Context) -> str:
    """"TM. ỦY BAN NHÂN DÂN": the dot only marks the abbreviation, it is not a full stop."""
    return re.sub(rf"(?m)^(\s*)({'|'.join(SIGNATURE_TERMS)})\.\s+", r"\1\2 ", text)


def _glossary_terms(text: str, context: _Context) -> str:
    """Expand abbreviations; drop "(CCHC)" right after the words it abbreviates."""
    glossary = context.glossary
    if not len(glossary):
        return text
    out: list[str] = []
    last = 0
    for m in _term_pattern(glossary.terms).finditer(text):
        out.append(text[last : m.start()])
        last = m.end()
        term = m.group(1) or m.group(2)
        reading = glossary.spoken(term) or term
        if m.group(1) is None:
            out.append(reading)
        elif not _already_said("".join(out), term, context):
            out.append(f"({reading})")
    out.append(text[last:])
    return "".join(out)


def _already_said(before: str, term: str, context: _Context) -> bool:
    """Whether the words before a "(TERM)" already say it: full form, near match or initials."""
    said = re.findall(r"\w+", before.casefold())
    entry = context.glossary.get(term)
    assert entry is not None
    for form in filter(None, (entry.expansion, entry.spoken)):
        words = re.findall(r"\w+", form.casefold())
        if said[-len(words) :] == words:
            return True
        window = said[-(len(words) + 3) :]
        covered = sum(word in window for word in words) / len(words)
        if _contains(window, words[:2]) and said[-1:] and said[-1] in words and covered >= 0.7:
            return True
    letters = [c for c in term.casefold() if c.isalpha()]
    return [w[0] for w in said[-len(letters) :]] == letters


def _contains(words: list[str], run: list[str]) -> bool:
    return any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1))


def _capitals(text: str, context: _Context) -> str:
    """Capitals left after the glossary: headings are lowercased, unknown letters spelled."""
    return "\n".join(_capitals_in_line(line) for line in text.split("\n"))


def _capitals_in_line(line: str) -> str:
    words = list(re.finditer(r"[^\W\d_]+", line))
    caps = [w.group(0).isupper() for w in words]
    pieces: list[str] = []
    last = 0
    for i, w in enumerate(words):
        word = w.group(0)
        if len(word) < 2 or not caps[i]:
            continue
        in_run = (i > 0 and caps[i - 1]) or (i + 1 < len(caps) and caps[i + 1])
        pieces.append(line[last : w.start()])
        last = w.end()
        has_marks = not word.isascii()
        if _is_syllable(word) and (in_run or has_marks):
            pieces.append(word.lower())
        else:
            pieces.append(_spell(word))
    pieces.append(line[last:])
    return "".join(pieces)


def _is_syllable(word: str) -> bool:
    bare = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return _SYLLABLE.fullmatch(bare) is not None


def _spell(letters: str) -> str:
    return " ".join(LETTER_NAMES.get(c, c) for c in letters.lower() if c.isalpha())


# --- dates, times, phones --------------------------------------------------------------------


def _month(context: _Context, digits: str) -> str:
    return "tư" if int(digits) == 4 else context.number(digits)


def _date_words(context: _Context, day: str, month: str, year: str | None) -> str:
    words = f"ngày {context.number(day)} tháng {_month(context, month)}"
    return words + (f" năm {context.number(year)}" if year else "")


def _valid_date(day: str, month: str) -> bool:
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _dates(text: str, context: _Context) -> str:
    """27/01/2026, ngày 15/3, tháng 7/2025, tháng 9,12 and 7/2025, without doubling "ngày"."""

    def full(m: re.Match[str]) -> str:
        said, day, month, year = m.group(1), m.group(2), m.group(4), m.group(5)
        if not _valid_date(day, month):
            return m.group(0)
        words = _date_words(context, day, month, year)
        return f"{said} {words[5:]}" if said else words

    def day_month(m: re.Match[str]) -> str:
        said, day, month = m.groups()
        if not _valid_date(day, month):
            return m.group(0)
        return f"{said} {context.number(day)} tháng {_month(context, month)}"

    def month_year(m: re.Match[str]) -> str:
        said, month, year = m.groups()
        if not 1 <= int(month) <= 12:
            return m.group(0)
        return f"{said or 'tháng'} {_month(context, month)} năm {context.number(year)}"

    def month_list(m: re.Match[str]) -> str:
        said, months = m.group(1), re.findall(r"\d+", m.group(2))
        return ", ".join(f"{said if i == 0 else said.lower()} {_month(context, n)}"
                         for i, n in enumerate(months))  # fmt: skip

    text = re.sub(
        rf"(?:\b([Nn]gày)\s+)?{_WORD_EDGE_BEFORE}(\d{{1,2}})([/.-])(\d{{1,2}})\3(\d{{4}})(?!\d)",
        full,
        text,
    )
    text = re.sub(r"\b([Nn]gày)\s+(\d{1,2})/(\d{1,2})(?![\d/])", day_month, text)
    text = re.sub(
        rf"(?:\b({MONTH_WORD})\s+)?{_WORD_EDGE_BEFORE}(\d{{1,2}})/(\d{{4}})(?!\d)", month_year, text
    )
    return re.sub(rf"\b({MONTH_WORD})\s+(\d{{1,2}}(?:\s*(?:,|;|và)\s*\d{{1,2}})*)(?![\d.,]\d)",
                  month_list, text)  # fmt: skip


def _clock(context: _Context, hour: str, minute: str | None, second: str | None) -> str:
    words = f"{context.number(hour)} giờ"
    if minute and int(minute):
        words += f" {context.number(minute)}"
        if second is not None:
            words += " phút"
    if second and int(second):
        words += f" {context.number(second)} giây"
    return words


def _times(text: str, context: _Context) -> str:
    """7h30, 14h, 7:30 and 11:06:12."""

    def read(m: re.Match[str]) -> str:
        hour, minute = m.group(1), m.group(2)
        second = m.group(3) if m.re.groups > 2 else None
        if int(hour) > 24 or (minute and int(minute) > 59) or (second and int(second) > 59):
            return m.group(0)
        return _clock(context, hour, minute, second)

    text = re.sub(rf"{_WORD_EDGE_BEFORE}(\d{{1,2}})h(\d{{2}})?{_WORD_EDGE_AFTER}", read, text)
    return re.sub(rf"{_WORD_EDGE_BEFORE}(\d{{1,2}}):(\d{{2}})(?::(\d{{2}}))?(?!\d)", read, text)


def _phones(text: str, _: _Context) -> str:
    """Phone numbers digit by digit, in the groups they are written in, so they can be noted."""

    def read(m: re.Match[str]) -> str:
        groups = re.findall(r"\d+", m.group(2))
        if not 8 <= sum(len(g) for g in groups) <= 11:
            return m.group(0)
        chunks = [piece for g in groups for piece in _phone_chunks(g)]
        prefix = "cộng tám tư, " if m.group(1) else ""
        return prefix + ", ".join(read_digits(c) for c in chunks)

    pattern = r"(?<![\w.,/])(\+84[ .]?)?((?(1)|0)\d{1,4}(?:[. -]?\d{2,8}){0,3})(?![\w])"
    return re.sub(pattern, read, text)


def _phone_chunks(digits: str) -> list[str]:
    if len(digits) <= 4:
        return [digits]
    return [digits[:3], *_phone_chunks(digits[3:])]


# --- numbers ---------------------------------------------------------------------------------


def _ordinal(context: _Context, value: int) -> str:
    return {1: "nhất", 4: "tư"}.get(value) or read_number(value, southern=context.southern)


def _ordinals(text: str, context: _Context) -> str:
    def read(m: re.Match[str]) -> str:
        return f"{m.group(1)} {_ordinal(context, int(m.group(2)))}"

    return re.sub(r"\b([Tt]hứ)\s+(\d+)\b", read, text)


def _named_codes(text: str, context: _Context) -> str:
    """"Đề án 06" is a name, said digit by digit as it is on the national news."""
    def read(m: re.Match[str]) -> str:
        return f"{m.group(1)} {read_digits(m.group(2))}"

    return re.sub(r"\b([Đđ]ề án)\s+(0\d+)\b", read, text)


def _ranges(text: str, context: _Context) -> str:
    """70 - 80%, 2021-2030, 2021–2030: a dash between two numbers is "đến"."""
    pattern = rf"{_WORD_EDGE_BEFORE}({_NUM})\s*[-–—]\s*({_NUM})(?![\w.,]*\d)"

    def read(m: re.Match[str]) -> str:
        return f"{context.numeral(m.group(1))} đến {context.numeral(m.group(2))}"

    return re.sub(pattern, read, text)


def _units(text: str, context: _Context) -> str:
    names = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))

    def read(m: re.Match[str]) -> str:
        return f"{context.numeral(m.group(1))} {UNITS[m.group(2)]}"

    text = re.sub(rf"{_WORD_EDGE_BEFORE}({_NUM})\s?({names})(?![\w²³])", read, text)
    return re.sub(r"(?<!\w)(km2|km²|m2|m²|m3|m³)(?![\w²³])", lambda m: UNITS[m.group(1)], text)


def _fractions(text: str, context: _Context) -> str:
    return re.sub(
        rf"{_WORD_EDGE_BEFORE}(\d+)/(\d+)(?![\w/])",
        lambda m: f"{context.number(m.group(1))} trên {context.number(m.group(2))}",
        text,
    )


def _numbers(text: str, context: _Context) -> str:
    """Whatever numerals are left, with a letter stuck to them (25b) spelled after."""

    def read(m: re.Match[str]) -> str:
        spoken = context.numeral(m.group(1))
        return f" {spoken} {_spell(m.group(2))} " if m.group(2) else f" {spoken} "

    text = re.sub(r"(\d+(?:\.\d+)*(?:,\d+)?)([a-zA-Z])?(?![\w])", read, text)
    return re.sub(r"\d+", lambda m: " " + context.numeral(m.group(0)) + " ", text)


# --- symbols and punctuation -----------------------------------------------------------------


def _symbols(text: str, _: _Context) -> str:
    for symbol, words in (("%", " phần trăm"), ("&", " và "), ("+", " cộng "), ("=", " bằng "),
                          ("@", " a còng "), ("~", " khoảng "), ("°", " độ "), ("²", " mũ hai "),
                          ("³", " mũ ba "), ("§", " "),
                          ("<", " "), (">", " "), ("_", " ")):  # fmt: skip
        text = text.replace(symbol, words)
    # Last net for digits no earlier pass knows (², ٣): the voice must never see one.
    return "".join(f" {DIGITS[unicodedata.digit(c, 0)]} " if c.isdigit() else c for c in text)


def _slashes(text: str, _: _Context) -> str:
    """"./." closes a document; "trang/cổng" offers a choice; any other slash is a pause."""
    text = re.sub(r"\.\s*/\s*\.", ".", text)
    text = re.sub(rf"(?<=\w)\s*/\s*(?=(?:{PER_WORDS})\b)", " một ", text)
    text = re.sub(r"(?<=\w)\s*/\s*(?=\w)", " hoặc ", text)
    return text.replace("/", " ")


def _dashes(text: str, _: _Context) -> str:
    """List bullets vanish, a spaced dash between words is a short pause, a hyphen a space."""
    text = re.sub(r"(?m)^(\s*)[-–—•+]\s+", r"\1", text)
    text = re.sub(r"(?m)^(\s*)([a-zđ])\)\s+", lambda m: f"{m.group(1)}{_spell(m.group(2))}, ", text)
    text = re.sub(r"\s*[–—]+\s*|\s+-+\s+", ", ", text)
    return re.sub(r"(?<=\w)[-–—](?=\w)", " ", text).replace("-", " ")


def _tidy(text: str, _: _Context) -> str:
    text = re.sub(r"[ ]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?)…])", r"\1", text)
    text = re.sub(r"\( +", "(", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r",(\s*[.;:])", r"\1", text)
    return "\n".join(line.strip() for line in text.split("\n"))


_PASSES: tuple[Pass, ...] = (
    _normalise,
    _links,
    _timestamps,
    _defined_later,
    _roman,
    _document_codes,
    _signatures,
    _glossary_terms,
    _capitals,
    _named_codes,
    _dates,
    _times,
    _phones,
    _ordinals,
    _ranges,
    _units,
    _fractions,
    _numbers,
    _slashes,
    _dashes,
    _symbols,
    _tidy,
)
