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

from broadcast.errors import InputError
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

ROMAN_KEYWORDS = (
    r"[Qq]uý|[Kk]hóa|[Kk]hoá|[Pp]hần|[Cc]hương|[Mm]ục|[Đđ]iều|[Tt]iết|[Bb]ài|[Đđ]ợt|[Đđ]ại hội"
    r"|[Kk]ỳ họp|[Tt]hứ|[Tt]hế kỷ|[Tt]hế kỉ|[Hh]ạng|[Cc]ấp"
)
MONTH_WORD = r"[Tt]háng"
# Words after which "15/3" is a day of a month, not a fraction: "Sáng 15/3", "dịp 30/4".
DAY_CONTEXT = (
    r"[Ss]áng|[Tt]rưa|[Cc]hiều|[Tt]ối|[Đđ]êm|[Hh]ôm|[Dd]ịp|[Tt]ừ|[Đđ]ến|[Tt]rước|[Ss]au|[Hh]ết"
)
_NOT_MORE = r"(?![\d/.,-]\d|[\d/])"
SIGNATURE_TERMS = ("TM", "KT", "TL", "TUQ")
# After a slash these words mean "per": 12 người/tháng is "mười hai người một tháng".
PER_WORDS = (
    r"năm|tháng|quý|tuần|ngày|giờ|phút|người|hộ|lượt|hồ sơ|xã|thôn|bản|lần|ki lô mét|ki lô gam"
    r"|héc ta|mét vuông|mét khối|sào|tấn|con|sản phẩm"
)
# Document kinds (the first part of a code such as QĐ-UBND) are common nouns in speech; an
# issuing body first (123/UBND-VP, a công văn) keeps its capital.
DOCUMENT_TYPES = frozenset(
    ("QĐ", "NQ", "CT", "KH", "TB", "BC", "HD", "TTr", "CTr", "ĐA", "PA", "BB", "GM", "QC", "NĐ",
     "TT", "TTLT", "CV", "KL", "QĐi", "CĐ", "HĐ")
)  # fmt: skip
# Inside a code a few parts mean something else than alone: CV-UBND is a công văn.
CODE_READINGS = {"CV": "công văn"}
# Words after which "tháng 4" counts months ("mỗi tháng 4 lần" is four times a month).
COUNT_NOUNS = r"lần|buổi|cuộc|đợt|kỳ|lượt|tin|bài|số|chuyên mục|phóng sự|hội nghị|lớp"
# Domain labels said as words rather than letters, the way they are dictated on air.
DOMAIN_WORDS = {
    "vn": "vê en", "gov": "gốp", "com": "com", "net": "nét", "org": "o rờ gờ", "edu": "e đu",
    "www": "vê kép vê kép vê kép", "http": "hát tê tê pê", "https": "hát tê tê pê ét",
    "gmail": "gi meo",
}  # fmt: skip
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


def spoken_lines(text: str, glossary: Glossary, *, southern: bool = False) -> str:
    """Each line read on its own, for batch use: as many lines out as in, empty ones kept.

    A line is one record for whoever feeds the batch (one sentence, one subtitle), so no
    rule may join it with its neighbour as the whole-text reading can ("2022 -\n2025").
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(
        (to_spoken(line, glossary, southern=southern) if line.strip() else "") + "\n"
        for line in (line.rstrip("\r") for line in lines)
    )


def decode_text(data: bytes, *, name: str) -> str:
    """UTF-8 text from a file or stdin; binary data and other encodings refused in one sentence.

    The spoken form needs the real letters: guessing a legacy encoding here would hand the
    voice mojibake, so the user is told to convert (``broadcast ingest`` does that).
    """
    if b"\x00" in data:
        raise InputError(f"{name} là tệp nhị phân, không phải văn bản; hãy đưa vào tệp .txt.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"{name} không phải văn bản UTF-8; hãy lưu lại với bảng mã UTF-8 "
            "hoặc chuyển đổi bằng lệnh broadcast ingest."
        ) from None


# --- normalising and links -------------------------------------------------------------------


def _normalise(text: str, _: _Context) -> str:
    """NFC and plain spaces, so every later pattern sees one spelling of each character."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\t\xa0\u2007\u202f]", " ", text)
    text = re.sub(r"(?m)\*+|^[ ]*#+[ ]+", "", text)  # markdown emphasis and headings
    return text.replace("\u2011", "-").replace("\u2212", "-")


def _links(text: str, context: _Context) -> str:
    """Only the site name of a link is worth hearing; the path means nothing on the radio.

    A link alone on its line is introduced as "trang web"; inside a sentence the words around
    it ("truy cập", "Website:") already say what it is.
    """
    text = re.sub(r"<?\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)>?", _email, text)
    url = r"\b(?:https?://|www\.)[^\s<>\"]+|\b(?:[a-z0-9-]+\.)+(?:vn|com|net|org)\b(?:/\S*)?"

    def read(m: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, m.start()) + 1
        alone = not re.sub(r"[\s(\-+•*]", "", text[line_start : m.start()])
        link = m.group(0).rstrip(".,;:)")
        tail = m.group(0)[len(link) :]
        return ("trang web " if alone else "") + _host(link) + tail

    return re.sub(url, read, text)


def _email(match: re.Match[str]) -> str:
    user, host = match.groups()
    return f" {_dotted(user)} a còng {_dotted(host)} "


def _host(url: str) -> str:
    url = url.rstrip(".,;:)")
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/")[0]
    return _dotted(host)


def _dotted(name: str) -> str:
    """Addresses said the way people dictate them: chấm, gạch ngang, gạch dưới."""
    marks = {".": "chấm", "-": "gạch ngang", "_": "gạch dưới", "+": "cộng"}
    pieces = re.split(r"([.\-_+])", name)
    return " ".join(marks[p] if p in marks else _say_label(p) for p in pieces if p)


def _say_label(label: str) -> str:
    """One part of an address as a listener can write it down.

    Known parts are words (gov is "gốp"); the rest is cut into Vietnamese syllables, which
    a voice can say (dichvucong -> dich vu cong), and letters that fit no syllable are
    spelled (ubnd -> u bê en dê). The tones are not in the address, so none are added.
    """
    lower = label.lower()
    if lower in DOMAIN_WORDS:
        return DOMAIN_WORDS[lower]
    return " ".join(_label_pieces(lower))


def _label_pieces(label: str) -> list[str]:
    """Cheapest spoken pieces: a syllable or digit run is cheap, a spelled letter dear, and a
    syllable that starts with a consonant is preferred (xa muong, not xam uong)."""
    best: list[tuple[int, list[str]] | None] = [None] * (len(label) + 1)
    best[0] = (0, [])
    for start in range(len(label)):
        here = best[start]
        if here is None:
            continue
        cost, pieces = here
        for end, piece, step in _label_steps(label, start):
            known = best[end]
            if known is None or cost + step < known[0]:
                best[end] = (cost + step, [*pieces, piece])
    final = best[len(label)]
    return final[1] if final else [label]


def _label_steps(label: str, start: int) -> list[tuple[int, str, int]]:
    """(end, spoken piece, cost) of every way to say the label from ``start`` on."""
    digits = re.match(r"\d+", label[start:])
    if digits:
        return [(start + digits.end(), read_digits(digits.group(0)), 2)]
    steps = [(start + 1, _spell(label[start]) or label[start], 6)]
    cost = 3 if label[start] in "aeiouy" else 2
    for end in range(start + 2, min(len(label), start + 7) + 1):
        if _is_syllable(label[start:end]):
            steps.append((end, label[start:end], cost))
    return steps


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


def _list_markers(text: str, _: _Context) -> str:
    """ "a)", "đ/", "1)", "2/" open a list item: the letter or number is said, then a pause.

    "1." and "I." stay numbered headings with a full stop ("một.", see ``_roman``).
    """

    def letter(m: re.Match[str]) -> str:
        return f"{m.group(1)}{_spell(m.group(2))}{', ' if m.group(3) in ')/' else '. '}"

    text = re.sub(r"(?m)^(\s*)([a-zđ])([)/.])\s+", letter, text)
    return re.sub(r"(?m)^(\s*)(\d{1,2})[)/]\s+", r"\1\2, ", text)


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
    return re.sub(blank, unnumbered, text)


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
    reading = CODE_READINGS.get(letters) or context.glossary.spoken(letters) or _spell(letters)
    if not digits:
        return reading
    return f"{reading} {'khóa ' if letters == 'QH' else ''}{context.number(digits)}"


# --- glossary and capitals -------------------------------------------------------------------


@lru_cache(maxsize=8)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Whole terms, longest first; a term that ends in a dot (TP., ThS.) may touch a word."""
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(re.escape(t) for t in ordered)
    bounded = "|".join(re.escape(t) + ("" if t.endswith(".") else r"(?![\w&])") for t in ordered)
    return re.compile(rf"\(\s*({alternatives})\s*\)|(?<![\w&])({bounded})")


# Abbreviations whose meaning depends on their neighbours. Each rule reads the term one way
# where the context is clear; elsewhere the glossary's single reading applies.
_BODIES = (
    r"UBND|HĐND|UBMTTQ|UBMTTQVN|MTTQ|UB|HĐQT|Ủy ban|Uỷ ban|Hội đồng|Hội|Công đoàn|Mặt trận"
    r"|Quốc hội|nước|xã|phường|thị trấn|huyện|tỉnh|thành phố|UBKT"
)
_CENTRES = r"Phục vụ|Dịch vụ|Y tế|Văn hóa|Văn hoá|Chính trị|Truyền thông|Khuyến nông|Giáo dục"
AMBIGUOUS = (
    # CT: Chủ tịch of a body (CT UBND xã, Phó CT); Chỉ thị before its number (CT số 23).
    (rf"(?<![\w&])CT(?=\s+(?:{_BODIES})(?!\w))", "Chủ tịch"),
    (r"(?<=Phó )CT(?![\w&])", "Chủ tịch"),
    # CV: công văn before its number (CV số 123, CV 123/UBND); chuyên viên otherwise.
    (r"(?<![\w&])CV(?=\s+(?:số\b|\d))", "công văn"),
    # KT: kinh tế in KT - XH and Phòng KT; Ký thay in signature blocks (the glossary's).
    (r"(?<![\w&])KT\s*[-–]\s*XH(?![\w&])", "kinh tế xã hội"),
    (r"(?<=Phòng )KT(?![\w&])", "Kinh tế"),
    # TP: Trưởng phòng beside PTP (TP, PTP các phòng); Thành phố otherwise.
    (r"(?<![\w&])TP(?=,?\s*(?:và\s+|hoặc\s+)?PTP(?![\w&]))", "Trưởng phòng"),
    # TT: Trung tâm before the name of a centre; Thông tư otherwise.
    (rf"(?<![\w&])TT(?=\s+(?:{_CENTRES})(?!\w))", "Trung tâm"),
    # CP: cổ phần after Công ty; Chính phủ otherwise.
    (r"(?<=[Cc]ông ty )CP(?![\w&])", "cổ phần"),
    # Slashed abbreviations of letters and memos: đ/c, V/v.
    (r"(?<!\w)đ/c(?!\w)", "đồng chí"),
    (r"(?<!\w)Đ/c(?!\w)", "Đồng chí"),
    (r"(?<!\w)v/v(?!\w)", "về việc"),
    (r"(?<!\w)V/v(?!\w)", "Về việc"),
)


def _ambiguous(text: str, _: _Context) -> str:
    """Read CT, CV, KT, TP, TT, CP by their neighbours before the glossary's default applies."""
    for pattern, reading in AMBIGUOUS:
        text = re.sub(pattern, reading, text)
    return text


def _defined_later(text: str, _: _Context) -> str:
    """ "(sau đây viết tắt là CCHC)" only tells a reader what the letters mean: a listener
    never sees the letters."""
    return re.sub(r"\s*\((?:sau đây\s+)?(?:gọi|viết)\s+tắt\s+là\s+[^)]*\)", "", text)


def _signatures(text: str, _: _Context) -> str:
    """ "TM. ỦY BAN NHÂN DÂN": the dot only marks the abbreviation, it is not a full stop."""
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
            out.append(reading + _after_dotted(term, text[last : last + 1]))
        elif not _already_said("".join(out), term, context):
            out.append(f"({reading})")
    out.append(text[last:])
    return "".join(out)


def _after_dotted(term: str, following: str) -> str:
    """ "TP.HCM" needs a space once "TP." is a word; "của TP." at a line end keeps its stop."""
    if not term.endswith("."):
        return ""
    if following in ("", "\n"):
        return "."
    return " " if following.isalnum() else ""


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
    pieces: list[str] = []
    last = 0
    for w in words:
        word = w.group(0)
        if len(word) < 2 or not word.isupper():
            continue
        pieces.append(line[last : w.start()])
        last = w.end()
        # A word that is a Vietnamese syllable (BAN, CHỈ ĐẠO) is a word in capitals, not
        # letters to spell: the glossary has already taken the real abbreviations.
        if _is_syllable(word):
            pieces.append(word.lower())
        else:
            pieces.append(_spell(word))
    pieces.append(line[last:])
    return "".join(pieces)


def _is_syllable(word: str) -> bool:
    bare = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    if re.match(r"c[eiy]|k[aou]|gh[aou]|ngh[aou]", bare):  # spelling rules of Vietnamese
        return False
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
        day_word = "" if said.lower() == "ngày" else " ngày"
        return f"{said}{day_word} {context.number(day)} tháng {_month(context, month)}"

    def quarter_year(m: re.Match[str]) -> str:
        said, quarter, year = m.groups()
        return f"{said} {context.number(quarter)} năm {context.number(year)}"

    def month_count(m: re.Match[str]) -> str:
        return f"{m.group(1)} {context.number(m.group(2))}"

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
    text = re.sub(rf"\b([Nn]gày)\s+(\d{{1,2}})[/.-](\d{{1,2}}){_NOT_MORE}", day_month, text)
    text = re.sub(rf"\b({DAY_CONTEXT})\s+(\d{{1,2}})/(\d{{1,2}}){_NOT_MORE}", day_month, text)
    text = re.sub(r"\b([Qq]uý)\s+([1-4])/(\d{4})(?!\d)", quarter_year, text)
    text = re.sub(rf"\b({MONTH_WORD})\s+(\d{{1,2}})(?=\s+(?:{COUNT_NOUNS})\b)", month_count, text)
    text = re.sub(
        rf"(?:\b({MONTH_WORD})\s+)?{_WORD_EDGE_BEFORE}(\d{{1,2}})/(\d{{4}})(?!\d)", month_year, text
    )
    return re.sub(rf"\b({MONTH_WORD})\s+(\d{{1,2}}(?:\s*(?:,|;|và)\s*\d{{1,2}})*)(?![\d.,]\d)",
                  month_list, text)  # fmt: skip


def _clock(context: _Context, hour: str, minute: str | None, second: str | None) -> str:
    """ "7 giờ 30"; a minute below ten says "phút" so "7h05" is not heard as a year."""
    words = f"{context.number(hour)} giờ"
    if minute and int(minute):
        words += f" {context.number(minute)}"
        if second is not None or int(minute) < 10:
            words += " phút"
    if second and int(second):
        words += f" {context.number(second)} giây"
    return words


_CLOCK = r"(\d{1,2})[hg](\d{2})?"


def _times(text: str, context: _Context) -> str:
    """7h30, 7g30, 14h, 7:30, 11:06:12, "7 giờ 00 phút", and "14h - 16h30" as a span."""

    def valid(hour: str, minute: str | None, second: str | None = None) -> bool:
        return int(hour) <= 24 and all(int(x) <= 59 for x in (minute, second) if x)

    def read(m: re.Match[str]) -> str:
        hour, minute = m.group(1), m.group(2)
        second = m.group(3) if m.re.groups > 2 else None
        if not valid(hour, minute, second):
            return m.group(0)
        return _clock(context, hour, minute, second)

    def span(m: re.Match[str]) -> str:
        h1, m1, h2, m2 = m.groups()
        if not (valid(h1, m1) and valid(h2, m2)):
            return m.group(0)
        return f"{_clock(context, h1, m1, None)} đến {_clock(context, h2, m2, None)}"

    def written(m: re.Match[str]) -> str:
        """ "14 giờ 15 phút" keeps its "phút"; "7 giờ 00 phút" is just "bảy giờ"."""
        hour, minute, minute_word = m.groups()
        if not valid(hour, minute):
            return m.group(0)
        words = _clock(context, hour, minute, None)
        if minute_word and int(minute or 0) and not words.endswith("phút"):
            words += " phút"
        return words

    edge_before, edge_after = _WORD_EDGE_BEFORE, _WORD_EDGE_AFTER
    text = re.sub(rf"{edge_before}{_CLOCK}\s*[-–]\s*{_CLOCK}{edge_after}", span, text)
    text = re.sub(rf"{edge_before}{_CLOCK}{edge_after}", read, text)
    minutes = r"(?:\s+(\d{2}|\d(?=\s+phút))(\s+phút)?)?"
    text = re.sub(rf"{edge_before}(\d{{1,2}})\s+giờ{minutes}{edge_after}", written, text)
    return re.sub(rf"{edge_before}(\d{{1,2}}):(\d{{2}})(?::(\d{{2}}))?(?!\d)", read, text)


PHONE_WORDS = (
    r"[Gg]ọi|[Gg]ọi số|[Ss]ố máy|[Đđ]iện thoại|[Ss]ố điện thoại|[Hh]ót lai|[Hh]otline"
    r"|[Đđ]ường dây nóng|[Tt]ổng đài|[Ff]ax"
)


def _phones(text: str, _: _Context) -> str:
    """Phone numbers digit by digit, in the groups they are written in, so they can be noted.

    Mobile and landline numbers start with 0 or +84; 1900/1800 hotlines and short numbers
    after "gọi", "tổng đài", "đường dây nóng" (113, 1022) are digits too.
    """

    def read(m: re.Match[str]) -> str:
        groups = re.findall(r"\d+", m.group(2))
        if not 8 <= sum(len(g) for g in groups) <= 11:
            return m.group(0)
        prefix = "cộng tám tư, " if m.group(1) else ""
        return prefix + _say_phone(groups, trunk=not m.group(1))

    def hotline(m: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        rest = digits[4:]
        return _say_phone([digits[:4], *([rest] if len(rest) == 4 else [rest[:3], rest[3:]])],
                          trunk=False)  # fmt: skip

    def short(m: re.Match[str]) -> str:
        return m.group(1) + read_digits(m.group(2))

    pattern = r"(?<![\w.,/])(\+84[ .]?)?((?(1)|0)\d{1,4}(?:[. -]?\d{1,8}){0,3})(?![\w])"
    text = re.sub(pattern, read, text)
    text = re.sub(r"(?<![\w.,/])1[89]00[ .]?(?:\d{4}|\d{6}|\d{2}[ .]\d{2}|\d{3}[ .]\d{3})(?!\w)",
                  hotline, text)  # fmt: skip
    return re.sub(rf"\b((?:{PHONE_WORDS})\s*:?\s*(?:số\s+)?)(\d{{3,5}})(?![\w.,]?\d)", short, text)


def _say_phone(groups: list[str], *, trunk: bool) -> str:
    """Groups as written; one unbroken run is cut the usual way (0912 345 678, 0212 3852 456)."""
    if len(groups) == 1 and trunk and len(groups[0]) in (10, 11):
        digits = groups[0]
        groups = [digits[:4], digits[4:7], digits[7:]]
        if len(digits) == 11:
            groups = [digits[:4], digits[4:8], digits[8:]]
    chunks = [piece for g in groups for piece in _phone_chunks(g)]
    return ", ".join(read_digits(c) for c in chunks)


def _phone_chunks(digits: str) -> list[str]:
    if len(digits) <= 4:
        return [digits]
    return [digits[:3], *_phone_chunks(digits[3:])]


# --- numbers ---------------------------------------------------------------------------------


def _ordinal(context: _Context, value: int) -> str:
    return {1: "nhất", 4: "tư"}.get(value) or read_number(value, southern=context.southern)


PRIZES = {1: "nhất", 2: "nhì", 3: "ba", 4: "tư"}


def _ordinals(text: str, context: _Context) -> str:
    """Thứ 2 -> thứ hai, lần thứ 1 -> thứ nhất, xếp thứ 15/63 -> thứ mười lăm trên sáu mươi ba,
    giải 1 -> giải nhất."""

    def read(m: re.Match[str]) -> str:
        said = f"{m.group(1)} {_ordinal(context, int(m.group(2)))}"
        return said + (f" trên {context.number(m.group(3))}" if m.group(3) else "")

    def prize(m: re.Match[str]) -> str:
        return f"{m.group(1)} {PRIZES[int(m.group(2))]}"

    text = re.sub(r"\b([Tt]hứ)\s+(\d+)(?:/(\d+))?(?![\w.,]?\d)", read, text)
    return re.sub(r"\b([Gg]iải)\s+([1-4])(?![\w.,/]?\d)", prize, text)


LIST_NOUNS = (
    r"[Kk]hoản|[Đđ]iểm|[Đđ]iều|[Mm]ục|[Tt]iết|[Cc]hương|[Pp]hụ lục|[Tt]hôn|[Bb]ản|[Tt]ổ|[Ll]ớp"
    r"|[Tt]rang|[Qq]uý|[Tt]uần|[Cc]âu|[Pp]hần"
)


def _number_lists(text: str, context: _Context) -> str:
    """ "khoản 1,2 Điều 5" and "các số 1,2 và 3" list numbers; "1,2 tỷ" stays a decimal."""

    def listed(m: re.Match[str]) -> str:
        return m.group(1) + ", ".join(context.number(n) for n in m.group(2).split(","))

    text = re.sub(rf"\b((?:{LIST_NOUNS})(?:\s+số)?\s+)(\d+(?:,\d+)+)(?![\d.,]*\d)", listed, text)
    return re.sub(r"(?<![\w.,])()(\d+(?:,\d+)+)(?=\s+(?:và|hoặc)\s+\d+(?![\d.,]*\d))",
                  listed, text)  # fmt: skip


def _named_codes(text: str, context: _Context) -> str:
    """ "Đề án 06" is a name, said digit by digit as it is on the national news."""

    def read(m: re.Match[str]) -> str:
        return f"{m.group(1)} {read_digits(m.group(2))}"

    return re.sub(r"\b([Đđ]ề án)\s+(0\d+)\b", read, text)


def _ranges(text: str, context: _Context) -> str:
    """70 - 80%, 2021-2030, 2021–2030: a dash between two numbers is "đến"."""
    pattern = rf"{_WORD_EDGE_BEFORE}({_NUM})(\s*%)?\s*[-–—]\s*({_NUM})(?![\w.,]*\d)"

    def read(m: re.Match[str]) -> str:
        percent = " phần trăm" if m.group(2) else ""
        return f"{context.numeral(m.group(1))}{percent} đến {context.numeral(m.group(3))}"

    return re.sub(pattern, read, text)


def _units(text: str, context: _Context) -> str:
    names = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))

    def read(m: re.Match[str]) -> str:
        return f"{context.numeral(m.group(1))} {UNITS[m.group(2)]}"

    text = re.sub(rf"{_WORD_EDGE_BEFORE}({_NUM})\s?({names})(?![\w²³])", read, text)
    # "tấn/ha", "đồng/m2": a unit after a slash is "per" that unit.
    text = re.sub(rf"(?<=\w)/({names})(?![\w²³])", lambda m: f" một {UNITS[m.group(1)]}", text)
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


_PASSES: tuple[Pass, ...] = (
    _normalise,
    _links,
    _timestamps,
    _list_markers,
    _ambiguous,
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
    _number_lists,
    _ranges,
    _units,
    _fractions,
    _numbers,
    _slashes,
    _dashes,
    _symbols,
    _tidy,
)
