"""Abbreviations: the glossary, readings that depend on neighbours, capitals left over."""

from __future__ import annotations

import re
from functools import lru_cache

from broadcast.script.spoken.common import _Context, _is_syllable
from broadcast.script.spoken.rewrites import word_pattern


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


def _station_readings(text: str, context: _Context) -> str:
    """The station's own readings first: an editor's correction wins over every shipped rule
    ("HTX" -> "hợp tác xã", a place name the voice says wrongly)."""
    readings = dict(context.glossary.station)
    if not readings:
        return text

    def read(m: re.Match[str]) -> str:
        context.station_used.append((m.group(0), readings[m.group(0)]))
        return readings[m.group(0)]

    return word_pattern(tuple(readings)).sub(read, text)


def _defined_later(text: str, _: _Context) -> str:
    """ "(sau đây viết tắt là CCHC)" only tells a reader what the letters mean: a listener
    never sees the letters."""
    return re.sub(r"\s*\((?:sau đây\s+)?(?:gọi|viết)\s+tắt\s+là\s+[^)]*\)", "", text)


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
    return "\n".join(_capitals_in_line(line, context) for line in text.split("\n"))


def _capitals_in_line(line: str, context: _Context) -> str:
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
            pieces.append(context.spell_unknown(word))
    pieces.append(line[last:])
    return "".join(pieces)


# Small words an abbreviation skips: "Sở Giáo dục và Đào tạo" is SGDĐT, not SGDVĐT.
_SKIPPED = frozenset(("và", "của", "các"))


def _initials_match(words: list[str], term: str) -> bool:
    """Whether ``words`` end with the initials of ``term``, with or without the small words."""
    letters = [c for c in term.casefold() if c.isalpha()]
    if not letters:
        return False
    kept = [w for w in words if w not in _SKIPPED]
    return any(
        len(ws) >= len(letters) and [w[0] for w in ws[-len(letters) :]] == letters
        for ws in (words, kept)
    )


def _said_in_full(text: str, _: _Context) -> str:
    """An abbreviation beside its full form is said once: "Hội Liên hiệp Phụ nữ (HLHPN)",
    "HLHPN (Hội Liên hiệp Phụ nữ)" and "Ủy ban nhân dân (Ủy ban nhân dân)" left by the
    glossary all become the full form alone, even when no glossary knows the letters."""

    def after(m: re.Match[str]) -> str:
        before = re.findall(r"\w+", text[max(0, m.start() - 200) : m.start()].casefold())
        inside = m.group(1)
        if re.fullmatch(r"[A-ZĐ][A-ZĐ&]{1,11}", inside):
            return "" if _initials_match(before, inside) else m.group(0)
        words = re.findall(r"\w+", inside.casefold())
        return "" if words and before[-len(words) :] == words else m.group(0)

    def before(m: re.Match[str]) -> str:
        term, full = m.groups()
        words = re.findall(r"\w+", full.casefold())
        return full if _initials_match(words, term) else m.group(0)

    text = re.sub(r"(?<![\w&])([A-ZĐ][A-ZĐ&]{1,11})\s*\(([^()\n]{3,120})\)", before, text)
    return re.sub(r"\s*\(\s*([^()\n]{2,120}?)\s*\)", after, text)
