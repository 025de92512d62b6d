"""Vietnamese readings of numbers, as a loudspeaker announcer says them.

The voice must never see a digit: espeak-ng reads digits with its own rules, which miss the
mốt/lăm/tư/linh variants listeners expect, so every number is turned into words here.
Northern readings by default; ``southern=True`` says "ngàn" and "lẻ" instead.
"""

from __future__ import annotations

import re

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9
_DECIMAL = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+),(\d+)")


def read_number(n: int, *, southern: bool = False) -> str:
    """Words for the integer ``n`` (2026 -> hai nghìn không trăm hai mươi sáu)."""
    if n < 0:
        return "âm " + read_number(-n, southern=southern)
    if n == 0:
        return DIGITS[0]
    return " ".join(_read(n, full=False, southern=southern))


def read_digits(digits: str) -> str:
    """Digit by digit, for phone numbers and codes where place value means nothing."""
    return " ".join(DIGITS[int(d)] for d in digits if d.isdigit())


def read_decimal(text: str, *, southern: bool = False) -> str:
    """A comma decimal ("3,5", "1.234,05") read as "ba phẩy năm".

    Leading zeros of the fraction are said one by one (3,05 -> ba phẩy không năm) because
    dropping them would change the value a listener hears.
    """
    match = _DECIMAL.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a decimal number with a comma: {text!r}")
    whole, fraction = match.groups()
    words = [read_number(int(whole.replace(".", "")), southern=southern), "phẩy"]
    stripped = fraction.lstrip("0")
    words.extend(DIGITS[0] for _ in range(len(fraction) - len(stripped)))
    if stripped:
        words.append(read_number(int(stripped), southern=southern))
    return " ".join(words)


def _read(n: int, *, full: bool, southern: bool) -> list[str]:
    """Split at tỷ recursively, so 10**18 reads "một tỷ tỷ" and 10**12 "một nghìn tỷ"."""
    if n < _BILLION:
        return _below_billion(n, full=full, southern=southern)
    high, low = divmod(n, _BILLION)
    words = [*_read(high, full=full, southern=southern), "tỷ"]
    if low:
        words += _below_billion(low, full=True, southern=southern)
    return words


def _below_billion(n: int, *, full: bool, southern: bool) -> list[str]:
    """Triệu, nghìn, units; a group after a spoken one keeps its "không trăm"."""
    thousand = "ngàn" if southern else "nghìn"
    groups = ((n // 10**6, "triệu"), (n // 1000 % 1000, thousand), (n % 1000, ""))
    words: list[str] = []
    for value, name in groups:
        if value == 0:
            continue
        words += _hundreds(value, full=full, southern=southern)
        if name:
            words.append(name)
        full = True
    return words


def _hundreds(n: int, *, full: bool, southern: bool) -> list[str]:
    """One group of three digits; ``full`` when a higher group was already said."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words += ["lẻ" if southern else "linh", DIGITS[units]]
        elif units:
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words
