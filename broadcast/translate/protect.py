"""Glossary terms through machine translation: protected going in, checked coming out.

An approved term ("UBND xã" -> its approved target) must reach the draft exactly as the
glossary says; a model that has never seen Thái or Mông would otherwise invent something.
Two ways, chosen per call:

* ``SPLIT`` (default): the sentence is cut at the terms, only the pieces between them go
  through the engine, and the approved targets are put back between the translated pieces.
  The term cannot be lost, whatever the model does; the pieces lose some context.
* ``PLACEHOLDER``: each term becomes ``⟦n⟧`` and the whole sentence goes through the engine,
  which keeps context but relies on the model copying the placeholder.

Either way the result is checked: every protected term's target present as often as its
source was, and no placeholder left. Problems come back as findings for the editor's QA
list, not as exceptions, because a draft with a missing term is still worth showing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from broadcast.errors import EngineError
from broadcast.translate.engines import MTEngine

PLACEHOLDER = re.compile(r"⟦\s*(\d+)\s*⟧")
_PLACEHOLDER_MARKS = re.compile(r"[⟦⟧]")
_WORDLIKE = re.compile(r"\w")


class TermLike(Protocol):
    """What protection needs of a term-base hit (``termbase.TermHit`` has these fields)."""

    @property
    def source(self) -> str: ...

    @property
    def target(self) -> str | None: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class Mode(Enum):
    SPLIT = "split"
    PLACEHOLDER = "placeholder"


@dataclass(frozen=True)
class ProtectedTerm:
    source: str
    target: str
    start: int
    end: int


@dataclass(frozen=True)
class ProtectedText:
    """A source sentence prepared for MT: its terms and what the engine will actually see."""

    source: str
    terms: tuple[ProtectedTerm, ...]
    mode: Mode

    @property
    def pieces(self) -> tuple[str, ...]:
        """The source between the terms (``len(terms) + 1`` pieces, possibly empty)."""
        cuts = [0]
        for term in self.terms:
            cuts += [term.start, term.end]
        cuts.append(len(self.source))
        return tuple(self.source[a:b] for a, b in zip(cuts[::2], cuts[1::2], strict=True))

    @property
    def masked(self) -> str:
        """The source with every term replaced by its placeholder ``⟦n⟧`` (n from 1)."""
        parts = [self.pieces[0]]
        for n, piece in enumerate(self.pieces[1:], start=1):
            parts += [f"⟦{n}⟧", piece]
        return "".join(parts)


class FindingKind(Enum):
    TERM_MISSING = "term-missing"
    PLACEHOLDER_LEFT = "placeholder-left"


@dataclass(frozen=True)
class TermFinding:
    """One QA problem in an MT draft, worded for the editor."""

    kind: FindingKind
    source_term: str
    expected: str
    message: str


@dataclass(frozen=True)
class ProtectedDraft:
    text: str
    findings: tuple[TermFinding, ...]


def protect(text: str, hits: Sequence[TermLike], mode: Mode = Mode.SPLIT) -> ProtectedText:
    """Mark the approved terms of ``text``; where hits overlap the longest leftmost wins."""
    chosen: list[ProtectedTerm] = []
    ordered = sorted(
        (h for h in hits if h.target and 0 <= h.start < h.end <= len(text)),
        key=lambda h: (h.start, -(h.end - h.start)),
    )
    for hit in ordered:
        if chosen and hit.start < chosen[-1].end:
            continue
        assert hit.target is not None  # filtered above; narrows the type
        chosen.append(ProtectedTerm(text[hit.start : hit.end], hit.target, hit.start, hit.end))
    return ProtectedText(source=text, terms=tuple(chosen), mode=mode)


def translate_protected(
    engine: MTEngine, items: Sequence[ProtectedText], source: str, target: str
) -> list[ProtectedDraft]:
    """Translate every item in one engine call, put the approved terms in, and check them."""
    requests: list[str] = []
    slots: list[list[int | None]] = []  # per item: index into requests, or None to keep as is
    for item in items:
        if item.mode is Mode.PLACEHOLDER:
            slots.append([len(requests)])
            requests.append(item.masked)
            continue
        row: list[int | None] = []
        for piece in item.pieces:
            if _WORDLIKE.search(piece):
                row.append(len(requests))
                requests.append(piece.strip())
            else:
                row.append(None)
        slots.append(row)
    outputs = engine.translate(requests, source, target) if requests else []
    if len(outputs) != len(requests):
        raise EngineError(
            f"Bộ dịch máy '{engine.name}' trả về {len(outputs)} bản dịch cho {len(requests)} đoạn."
        )
    drafts = []
    for item, row in zip(items, slots, strict=True):
        if item.mode is Mode.PLACEHOLDER:
            index = row[0]
            assert index is not None
            text = _unmask(outputs[index], item.terms)
        else:
            text = _assemble(item, [None if i is None else outputs[i] for i in row])
        drafts.append(ProtectedDraft(text=text, findings=tuple(check_protected(item, text))))
    return drafts


def _unmask(output: str, terms: tuple[ProtectedTerm, ...]) -> str:
    def put_back(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return terms[n - 1].target if 1 <= n <= len(terms) else match.group(0)

    return PLACEHOLDER.sub(put_back, output)


def _assemble(item: ProtectedText, translated: list[str | None]) -> str:
    """Translated pieces and approved targets, in source order, spacing as in the source."""
    parts: list[str] = []
    for i, piece in enumerate(item.pieces):
        out = translated[i]
        if out is None:
            parts.append(piece)  # only spaces or punctuation: kept exactly
        else:
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()) :]
            parts.append(f"{lead}{out.strip()}{trail}")
        if i < len(item.terms):
            parts.append(item.terms[i].target)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def check_protected(item: ProtectedText, output: str) -> list[TermFinding]:
    """Every protected target present (as often as its term), and no placeholder left."""
    findings = []
    needed: dict[tuple[str, str], int] = {}
    for term in item.terms:
        key = (term.source, term.target)
        needed[key] = needed.get(key, 0) + 1
    for (source_term, expected), count in needed.items():
        if output.count(expected) < count:
            findings.append(
                TermFinding(
                    FindingKind.TERM_MISSING,
                    source_term,
                    expected,
                    f"Thiếu thuật ngữ đã duyệt: '{source_term}' phải dịch là '{expected}'.",
                )
            )
    for match in PLACEHOLDER.finditer(output):
        findings.append(
            TermFinding(
                FindingKind.PLACEHOLDER_LEFT,
                match.group(0),
                "",
                f"Bản dịch máy còn sót ký hiệu giữ chỗ {match.group(0)}.",
            )
        )
    if not PLACEHOLDER.search(output) and _PLACEHOLDER_MARKS.search(output):
        findings.append(
            TermFinding(
                FindingKind.PLACEHOLDER_LEFT,
                "⟦⟧",
                "",
                "Bản dịch máy còn sót một phần ký hiệu giữ chỗ (⟦ hoặc ⟧).",
            )
        )
    return findings
