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
        groups = re.findall(r"\d+", m.group(0))
        if len(groups) > 2:  # 1900.54.54.81: said in the pairs it is written in
            return _say_phone(groups, trunk=False)
        digits = "".join(groups)
        rest = digits[4:]
        return _say_phone(
            [digits[:4], *([rest] if len(rest) == 4 else [rest[:3], rest[3:]])], trunk=False
        )

    def short(m: re.Match[str]) -> str:
        return m.group(1) + read_digits(m.group(2))

    text = re.sub(_AREA_CODE, _area_code, text)
    pattern = r"(?<![\w.,/])(\+84[ .]?)?((?(1)|0)\d{1,4}(?:[. -]?\d{1,8}){0,3})(?![\w])"
    text = re.sub(pattern, read, text)
    text = re.sub(r"(?<![\w.,/])1[89]00[ .]?(?:\d{4}|\d{6}|\d{2}[ .]\d{2}(?:[ .]\d{2})?"
                  r"|\d{3}[ .]\d{3})(?![\w]|[.,]\d)", hotline, text)  # fmt: skip
    text = _EMERGENCY_LIST.sub(lambda m: _emergency(m, text), text)
    return re.sub(rf"\b((?:{PHONE_WORDS})\s*:?\s*(?:số\s+)?)(\d{{3,5}})(?![\w.,]?\d)", short, text)


# "(0203) 3.826.123", "(0216) 3822 111": an area code in brackets, then the local number
# (6 to 8 digits, sometimes dotted like a thousand). Said as announcers say it: the area code
# digit by digit, then the local number in groups of four and three (or four and four).
_AREA_CODE = re.compile(
    r"(?<![\w.,/])\(\s*(0\d{2,4})\s*\)\s*(\d{1,4}(?:[. ]\d{1,4}){0,3})(?![\w]|[.,]\d)"
)


def _area_code(m: re.Match[str]) -> str:
    local = re.sub(r"\D", "", m.group(2))
    if not 6 <= len(local) <= 8:
        return m.group(0)
    groups = [local[:3], local[3:]] if len(local) == 6 else [local[:4], local[4:]]
    return ", ".join(read_digits(g) for g in (m.group(1), *groups))


# The emergency numbers (111 child protection, 112 rescue, 113 police, 114 fire, 115
# ambulance) written as a list, "113/114/115" or "113, 114 và 115": each said digit by digit,
# the slash read "hoặc" as anywhere else. A lone 114 stays a number ("114 hồ sơ").
_EMERGENCY = r"11[1-5]"
_EMERGENCY_LIST = re.compile(
    rf"(?<![\w.,/])({_EMERGENCY}(?:\s*(?:/|,|hoặc|và)\s*{_EMERGENCY})+)(?![\w]|[.,/]\d)"
)


_CALLING = re.compile(rf"(?:{PHONE_WORDS}|cấp cứu|cứu hỏa|cứu hoả|cháy|công an)\W*$")


def _emergency(m: re.Match[str], text: str) -> str:
    """Digits when the list is a list of numbers to call: three of them, or after "gọi",
    "cấp cứu"...; "113/114 hồ sơ" is a count out of a total and stays one."""
    pieces = re.split(r"(\s*(?:/|,|hoặc|và)\s*)", m.group(1))
    before = text[max(0, m.start() - 40) : m.start()]
    if len(pieces) < 5 and not _CALLING.search(before):
        return m.group(0)
    slashes = [i for i, p in enumerate(pieces) if p.strip() == "/"]
    out = []
    for index, piece in enumerate(pieces):
        if piece.strip() == "/":
            out.append(" hoặc " if index == slashes[-1] else ", ")
        elif re.fullmatch(r"\d+", piece):
            out.append(read_digits(piece))
        else:
            out.append(piece)
    return "".join(out)


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
