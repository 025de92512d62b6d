"""Numbers with a meaning around them: ordinals, lists, ranges, units, fractions."""

from __future__ import annotations

import re

from broadcast.script.spoken.common import _NUM, _WORD_EDGE_BEFORE, _Context, _ordinal, _spell

UNITS = {
    "km2": "ki lô mét vuông", "km²": "ki lô mét vuông", "m2": "mét vuông", "m²": "mét vuông",
    "m3": "mét khối", "m³": "mét khối", "km": "ki lô mét", "kg": "ki lô gam", "ha": "héc ta",
    "cm": "xăng ti mét", "mm": "mi li mét", "m": "mét", "kW": "ki lô oát", "kWh": "ki lô oát giờ",
    "MW": "mê ga oát", "GB": "gi ga bai", "MB": "mê ga bai", "đ": "đồng", "VNĐ": "đồng",
    "VND": "đồng", "USD": "đô la Mỹ", "°C": "độ xê",
}  # fmt: skip


PRIZES = {1: "nhất", 2: "nhì", 3: "ba", 4: "tư"}


LIST_NOUNS = (
    r"[Kk]hoản|[Đđ]iểm|[Đđ]iều|[Mm]ục|[Tt]iết|[Cc]hương|[Pp]hụ lục|[Tt]hôn|[Bb]ản|[Tt]ổ|[Ll]ớp"
    r"|[Tt]rang|[Qq]uý|[Tt]uần|[Cc]âu|[Pp]hần"
)


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


def _number_lists(text: str, context: _Context) -> str:
    """ "khoản 1,2 Điều 5" and "các số 1,2 và 3" list numbers; "1,2 tỷ" stays a decimal."""

    def listed(m: re.Match[str]) -> str:
        return m.group(1) + ", ".join(context.number(n) for n in m.group(2).split(","))

    text = re.sub(rf"\b((?:{LIST_NOUNS})(?:\s+số)?\s+)(\d+(?:,\d+)+)(?![\d.,]*\d)", listed, text)
    return re.sub(r"(?<![\w.,])()(\d+(?:,\d+)+)(?=\s+(?:và|hoặc)\s+\d+(?![\d.,]*\d))",
                  listed, text)  # fmt: skip


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
    """3/4 and "120 đài/150 xã" are "out of" (trên): a count set against a total, never
    "hoặc", which would tell the listener there are two choices."""

    def out_of(m: re.Match[str]) -> str:
        part, noun, whole = m.groups()
        return f"{context.numeral(part)} {noun} trên {context.numeral(whole)}"

    text = re.sub(
        rf"{_WORD_EDGE_BEFORE}({_NUM})\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)\s*/\s*(?=\d)({_NUM})(?![\w/])",
        out_of,
        text,
    )
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
