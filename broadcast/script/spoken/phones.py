"""Telephone and hotline numbers read digit by digit in the groups they are written in."""

from __future__ import annotations

import re

from broadcast.script.numbers import read_digits
from broadcast.script.spoken.common import _Context

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
