"""Reporting periods as communes name them: a quarter, a half year, a year (or a month).

Plans ask for "báo cáo định kỳ hàng quý, 6 tháng, năm"; the Vietnamese name of the period
goes into the report's title, so it is built here together with the dates.
"""

from __future__ import annotations

import datetime as dt
import re

from broadcast.errors import InputError
from broadcast.schedule.report_model import Period

ROMAN = ("I", "II", "III", "IV")

_FORMS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-?Q([1-4])$"), "quarter"),
    (re.compile(r"^Q([1-4])-(\d{4})$"), "quarter-rev"),
    (re.compile(r"^(\d{4})-?H([12])$"), "half"),
    (re.compile(r"^H([12])-(\d{4})$"), "half-rev"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
)


def _error(text: str) -> InputError:
    return InputError(
        f"Kỳ báo cáo '{text}' không hợp lệ; dùng dạng 2026-Q1 (quý), 2026-H1 (6 tháng), "
        "2026 (cả năm) hoặc 2026-03 (một tháng)."
    )


def _first_of(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def parse_period(text: str) -> Period:
    """'2026-Q1' -> Period(2026-01-01 .. 2026-04-01, 'quý I năm 2026'); bad text -> InputError."""
    value = text.strip().upper()
    for pattern, form in _FORMS:
        match = pattern.match(value)
        if not match:
            continue
        a, b = (match.group(1), match.group(2) if pattern.groups > 1 else "")
        if form.endswith("-rev"):
            a, b = b, a
            form = form.removesuffix("-rev")
        year = int(a)
        if not 2000 <= year <= 2100:
            raise _error(text)
        if form == "year":
            return Period(str(year), dt.date(year, 1, 1), dt.date(year + 1, 1, 1), f"năm {year}")
        n = int(b)
        if form == "quarter":
            start = _first_of(year, 3 * n - 2)
            return Period(
                f"{year}-Q{n}", start, _first_of(year, 3 * n + 1), f"quý {ROMAN[n - 1]} năm {year}"
            )
        if form == "half":
            start = _first_of(year, 6 * n - 5)
            label = f"6 tháng {'đầu' if n == 1 else 'cuối'} năm {year}"
            return Period(f"{year}-H{n}", start, _first_of(year, 6 * n + 1), label)
        if not 1 <= n <= 12:
            raise _error(text)
        return Period(
            f"{year}-{n:02d}", _first_of(year, n), _first_of(year, n + 1), f"tháng {n} năm {year}"
        )
    raise _error(text)


# The page's period choice: kind of period (as a commune's plan names it) -> its text form.
PERIOD_KINDS = {"quy": "Quý", "nua-nam": "6 tháng", "nam": "Năm", "thang": "Tháng"}


def period_text(kind: str, year: int, number: int = 1) -> str:
    """('quy', 2026, 1) -> '2026-Q1'; ('nua-nam', 2026, 2) -> '2026-H2'; ('nam', 2026) ->
    '2026'; ('thang', 2026, 3) -> '2026-03'. The result is checked by ``parse_period``."""
    if kind == "quy":
        text = f"{year}-Q{number}"
    elif kind == "nua-nam":
        text = f"{year}-H{number}"
    elif kind == "nam":
        text = f"{year}"
    elif kind == "thang":
        text = f"{year}-{number:02d}"
    else:
        raise InputError(f"Loại kỳ báo cáo '{kind}' không có; chọn quý, 6 tháng, năm hoặc tháng.")
    return parse_period(text).key


def current_quarter(today: dt.date) -> str:
    """The quarter ``today`` is in, the period a Center reports most often."""
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
