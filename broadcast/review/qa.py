"""Quality checks on translated segments, run on every segment before approval.

Editors see every finding; the ones marked ``ERROR`` would put something wrong on air (no
text, the Vietnamese left untranslated, a figure or a document number lost, an approved term
replaced, a placeholder read aloud, two scripts mixed) and block approval until fixed.
Layout faults (spaces, brackets, final punctuation, length) are ``WARNING``s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from broadcast.languages import Language, foreign_scripts, script_names, script_of
from broadcast.review.model import SegmentTerm


class Severity(StrEnum):
    ERROR = "error"  # blocks approval
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "LỖI" if self is Severity.ERROR else "cảnh báo"


@dataclass(frozen=True)
class Finding:
    position: int
    check: str
    severity: Severity
    message: str

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR


# Document codes: 239/QĐ-UBND, 15/2020/NĐ-CP, 01/KH-UBND (number, optional year, issuer).
DOC_CODE = re.compile(r"\b\d+(?:/\d{4})?/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*")
DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2}/\d{4}\b")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# What machine translation and exchange tools leave behind: {0}, {{name}}, ⟦1⟧, __T1__,
# %s, <x id="1"/>, [[term]].
PLACEHOLDER = re.compile(
    r"\{\{?\s*\w*\s*\}?\}|⟦[^⟧]*⟧|__[A-Za-z0-9_]+__|%\(?\w*\)?[sd]\b"
    r"|</?(?:x|ph|g|bx|ex|pc|sc|ec)\b[^>]*>|\[\[[^\]]*\]\]"
)
FINAL_PUNCT = ".?!…:;\uaade\uaadf"  # with the Tai Viet section marks HO HOI and KOI KOI
PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"), ("‹", "›"))
LENGTH_RANGE = (0.35, 3.0)


def check_segment(
    position: int,
    source: str,
    target: str,
    terms: Sequence[SegmentTerm] = (),
    language: Language | None = None,
) -> list[Finding]:
    """Every finding for one segment; an empty list means the segment is clean.

    With ``language``, a text in a script the language is not written in (Tai Viet in a
    Mông segment) is an error too.
    """
    found: list[Finding] = []

    def add(check: str, severity: Severity, message: str) -> None:
        found.append(Finding(position, check, severity, message))

    if not target.strip():
        add("empty", Severity.ERROR, "Chưa có bản dịch.")
        return found
    if _squash(target) == _squash(source):
        add("untranslated", Severity.ERROR, "Bản dịch giống hệt câu tiếng Việt (chưa dịch).")

    codes = DOC_CODE.findall(source)
    for code in codes:
        if code not in target:
            add("document-code", Severity.ERROR, f"Thiếu số hiệu văn bản '{code}'.")
    dates = [d for d in DATE.findall(source) if not any(d in c for c in codes)]
    for date in dates:
        if date not in target:
            add("date", Severity.ERROR, f"Thiếu ngày tháng '{date}'.")
    covered = " ".join([*codes, *dates])
    source_numbers = _numbers(source)
    target_numbers = _numbers(target)
    for number in source_numbers:
        if number not in target_numbers and number not in covered:
            add("number", Severity.ERROR, f"Thiếu con số '{number}'.")
    extra = [n for n in target_numbers if n not in source_numbers]
    if extra:
        add("number-extra", Severity.WARNING, f"Con số không có trong câu gốc: {', '.join(extra)}.")

    lowered = target.casefold()
    for term in terms:
        if term.target and term.target.casefold() not in lowered:
            add(
                "term-missing",
                Severity.ERROR,
                f"Thiếu thuật ngữ đã duyệt '{term.target}' (cho '{term.source}').",
            )
        for variant in term.forbidden:
            if variant and variant.casefold() in lowered:
                add(
                    "term-forbidden",
                    Severity.ERROR,
                    f"Dùng cách dịch bị cấm '{variant}' cho '{term.source}'"
                    + (f"; dùng '{term.target}'." if term.target else "."),
                )

    leftovers = PLACEHOLDER.findall(target)
    if leftovers:
        add("placeholder", Severity.ERROR, f"Còn ký hiệu giữ chỗ: {', '.join(leftovers)}.")

    own_text = without_carried(target, source, terms)
    foreign = foreign_scripts(own_text, language) if language is not None else set()
    if foreign:
        add(
            "wrong-script",
            Severity.ERROR,
            f"Chữ {script_names(foreign)} không dùng cho {language.name if language else ''}.",
        )
    scripts = script_of(own_text)
    if len(scripts) > 1:
        add(
            "mixed-scripts",
            Severity.ERROR,
            f"Một câu lẫn nhiều bộ chữ ({script_names(scripts)}).",
        )

    ratio = len(target.strip()) / max(1, len(source.strip()))
    if not LENGTH_RANGE[0] <= ratio <= LENGTH_RANGE[1]:
        add(
            "length",
            Severity.WARNING,
            f"Độ dài bằng {ratio:.0%} câu gốc (ngoài khoảng "
            f"{LENGTH_RANGE[0]:.0%}–{LENGTH_RANGE[1]:.0%}).",
        )
    if "  " in target:
        add("double-space", Severity.WARNING, "Có hai dấu cách liền nhau.")
    if target != target.strip():
        add("edge-space", Severity.WARNING, "Có dấu cách thừa ở đầu hoặc cuối câu.")
    for left, right in PAIRS:
        if target.count(left) != target.count(right):
            add("brackets", Severity.WARNING, f"Dấu '{left}{right}' không đủ cặp.")
    if target.count('"') % 2:
        add("quotes", Severity.WARNING, "Dấu ngoặc kép '\"' không đủ cặp.")
    src_end = source.rstrip()[-1:]
    tgt_end = target.rstrip()[-1:]
    if src_end and src_end in FINAL_PUNCT and tgt_end not in FINAL_PUNCT:
        add("final-punctuation", Severity.WARNING, f"Thiếu dấu kết câu ('{src_end}').")
    elif src_end in "?!" and src_end and tgt_end in FINAL_PUNCT and tgt_end != src_end:
        add("final-punctuation", Severity.WARNING, f"Dấu kết câu khác câu gốc ('{src_end}').")
    return found


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _numbers(text: str) -> list[str]:
    """Numbers outside document codes and dates, which have their own checks."""
    stripped = DATE.sub(" ", DOC_CODE.sub(" ", text))
    return NUMBER.findall(stripped)


def without_carried(target: str, source: str, terms: Sequence[SegmentTerm]) -> str:
    """The target without what is rightly carried over in Latin letters from the source
    (document codes, names and abbreviations written as in the source, e.g. 'UBND'), so
    that a Tai Viet sentence citing 239/QĐ-UBND is not a mixed-script fault."""
    text = DOC_CODE.sub(" ", target)
    carried = {
        w
        for w in re.findall(r"\w+", source)
        if len(w) > 1 and (w[0].isupper() or any(c.isdigit() for c in w))
    }
    carried |= {t.source for t in terms}
    words = re.findall(r"\w+|\W+", text)
    return "".join(w for w in words if w not in carried)
