"""Typed values of the term base and the translation memory, shared by store and stages.

Kept apart from the stage modules so that ``broadcast.store`` can return them without
importing the stages that call it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """NFC, trimmed, runs of whitespace made one space: how every term and segment is kept.

    NFC leaves text that is already NFC byte-identical (Tai Viet has no decompositions), so
    an editor's text comes back out exactly as it went in.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def has_control(text: str) -> bool:
    """Control characters cannot be written to XML (TBX, TMX) and never belong in a term."""
    return _CONTROL.search(text) is not None


def term_key(term: str) -> str:
    """One key per term whatever its capitals: 'UBND', 'Ubnd' and 'ubnd' are one term."""
    return clean_text(term).casefold()


class TermStatus(StrEnum):
    """Only approved targets are filled into drafts and checked by QA as required."""

    APPROVED = "approved"
    PROPOSED = "proposed"


THIS_STATION = "trạm này"


@dataclass(frozen=True)
class Provenance:
    """Where a memory pair or a term came from (issue 16), as the station reading it sees
    it: its own (a term of its own layer; a pair of its own layer or one it gave the
    province, approved by its editors), or ``province``: another station's, shared with the
    whole province, written in the station named ``station`` by ``login``. An editor weighs
    a suggestion by who made it, so every suggestion says."""

    province: bool = False
    station: str = ""
    login: str = ""

    @property
    def label(self) -> str:
        """'trạm này', or 'tỉnh — Xã A, lan' (parts unknown for older entries left out)."""
        if not self.province:
            return THIS_STATION
        who = ", ".join(part for part in (self.station, self.login) if part)
        return f"tỉnh — {who}" if who else "tỉnh"


OWN = Provenance()


@dataclass(frozen=True)
class Term:
    """One target term for a Vietnamese source term in one language.

    ``forbidden`` are the variants editors must not use for this term in this language
    (shared by every target of the term and language); ``where`` says where an imported
    row came from, for error messages only.
    """

    term: str
    language: str
    target: str
    status: TermStatus = TermStatus.PROPOSED
    note: str = ""
    source: str = ""
    forbidden: tuple[str, ...] = ()
    where: str = field(default="", compare=False)
    provenance: Provenance = field(default=OWN, compare=False)

    @property
    def key(self) -> str:
        return term_key(self.term)


@dataclass(frozen=True)
class TermHit:
    """A term base term found in a source text; ``start``/``end`` index the NFC text.

    ``target`` is the approved target or None; ``proposed`` lists proposed targets so a
    draft can show them as suggestions.
    """

    source: str
    target: str | None
    status: str
    forbidden: tuple[str, ...]
    start: int
    end: int
    proposed: tuple[str, ...] = ()
    provenance: Provenance = field(default=OWN, compare=False)


@dataclass(frozen=True)
class Conflict:
    """Two or more different approved targets for one term and language, and where each is."""

    term: str
    language: str
    targets: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


class MatchKind(StrEnum):
    """In-context beats exact: the same sentence after the same sentence."""

    IN_CONTEXT = "in-context"
    EXACT = "exact"
    FUZZY = "fuzzy"


@dataclass(frozen=True)
class TMMatch:
    """A memory match: score 100 for exact and in-context, below 100 for fuzzy."""

    source: str
    target: str
    score: float
    kind: MatchKind
    previous: str = ""
    origin: str = ""
    provenance: Provenance = field(default=OWN, compare=False)


@dataclass(frozen=True)
class TMUnit:
    """An approved segment pair as stored and exchanged (TMX ``tu``).

    ``previous`` is the source segment before this one ('' when unknown or first);
    ``created_at`` is ISO 8601 UTC ('2026-01-27T08:00:00Z') or None for 'now'.
    """

    source: str
    target: str
    language: str
    previous: str = ""
    origin: str = "approval"
    created_at: str | None = field(default=None, compare=False)
    where: str = field(default="", compare=False)
