"""Dates, clock times and ISO stamps said as words ("ngày mười lăm tháng ba")."""

from __future__ import annotations

import re

from broadcast.script.spoken.common import _WORD_EDGE_AFTER, _WORD_EDGE_BEFORE, _Context

MONTH_WORD = r"[Tt]háng"


# Words after which "15/3" is a day of a month, not a fraction: "Sáng 15/3", "dịp 30/4".
DAY_CONTEXT = (
    r"[Ss]áng|[Tt]rưa|[Cc]hiều|[Tt]ối|[Đđ]êm|[Hh]ôm|[Dd]ịp|[Tt]ừ|[Đđ]ến|[Tt]rước|[Ss]au|[Hh]ết"
)


# Times of day after which "15-3" and "2.9" are a day and a month, as newspapers write them
# ("Sáng 15-3", "tối 2.9"); "từ 2-3 người" stays a range, so "từ", "đến" are not among them.
TIME_OF_DAY = r"[Ss]áng|[Tt]rưa|[Cc]hiều|[Tt]ối|[Đđ]êm|[Hh]ôm|[Dd]ịp|[Rr]ạng sáng|[Nn]gày mai"
_NOT_MORE = r"(?![\d/.,-]\d|[\d/])"
_AMOUNTS = r"triệu|tỷ|tỉ|nghìn|ngàn|trăm|phần trăm|%"
# A dateline opens a news item: "HÀ NỘI, 15-3 -", "Lào Cai, 2.9:", a place then a day-month.
_DATELINE = (
    r"(?m)^(\s*(?:\([^)\n]{1,20}\)\s*)?[^\W\d_]+(?:\s+[^\W\d_]+){0,4}"
    r"\s*,\s*)(\d{1,2})[/.-](\d{1,2})(?=\s*[-–—:(])"
)


# Words after which "tháng 4" counts months ("mỗi tháng 4 lần" is four times a month).
COUNT_NOUNS = r"lần|buổi|cuộc|đợt|kỳ|lượt|tin|bài|số|chuyên mục|phóng sự|hội nghị|lớp"


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

    def dateline(m: re.Match[str]) -> str:
        place, day, month = m.groups()
        if not _valid_date(day, month):
            return m.group(0)
        return place + _date_words(context, day, month, None)

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
    text = re.sub(
        rf"\b({TIME_OF_DAY})\s+(\d{{1,2}})[.-](\d{{1,2}}){_NOT_MORE}(?!\s*(?:{_AMOUNTS})\b)",
        day_month,
        text,
    )
    text = re.sub(_DATELINE, dateline, text)
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
