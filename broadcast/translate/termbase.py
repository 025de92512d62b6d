"""The translation term base: which target term a Vietnamese term takes in each language.

Editors trust a draft only if the same term is always translated the same way, so:

* every write is validated first (language of the station, script of the language, no
  control characters) and made in one transaction: a bad file imports nothing;
* two different approved targets for one term and language are a *conflict*, reported with
  where each comes from (the database, the file's row or entry) and never merged;
* ``find_terms`` finds the terms of a source sentence for drafts and QA, case-insensitively
  on NFC text, longest term first, at word boundaries.

This is not the shipped ``glossary/cchc-vi.tsv`` (``broadcast.script.glossary``), which holds
Vietnamese abbreviations and their spoken forms for the voice.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from broadcast.errors import InputError
from broadcast.languages import (
    SOURCE_LANGUAGE,
    Language,
    foreign_scripts,
    resolve,
    script_names,
)
from broadcast.model.people import Person
from broadcast.model.translation import OWN, Provenance
from broadcast.store import terms as store
from broadcast.store.db import Database
from broadcast.store.station import Station
from broadcast.store.tm import database_identity
from broadcast.translate.shared import write_scope
from broadcast.translate.values import (
    Conflict,
    ImportSummary,
    Term,
    TermHit,
    TermStatus,
    clean_text,
    has_control,
)

IN_DATABASE = "cơ sở dữ liệu"
# The schema's one-approved-target index caught what the check before the write could not
# see: another process approved a target of the same term in between.
_RACE = "Một người khác vừa duyệt thuật ngữ này trong lúc nhập; không ghi gì, hãy chạy lại lệnh."


class TermConflictError(InputError):
    """An import or an addition would leave two approved targets for one term."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        lines = [
            f"Có {len(conflicts)} thuật ngữ có hơn một bản dịch đã duyệt; không ghi gì. "
            "Giữ một bản 'approved' và đổi các bản khác thành 'proposed' (khi thêm một "
            "thuật ngữ: dùng --replace):"
        ]
        for c in conflicts:
            pairs = "; ".join(f"'{t}' ({p})" for t, p in zip(c.targets, c.places, strict=True))
            lines.append(f"  - '{c.term}' [{c.language}]: {pairs}")
        super().__init__("\n".join(lines))
        self.conflicts = tuple(conflicts)


@dataclass(frozen=True)
class StationLanguages:
    """What an import may target: the station's declared languages, from its registry."""

    codes: tuple[str, ...]
    registry: Mapping[str, Language]

    @classmethod
    def of(cls, station: Station) -> StationLanguages:
        return cls(codes=tuple(station.languages), registry=station.language_registry())

    def target(self, tag: str, where: str) -> Language:
        """The language of ``tag`` if the station translates into it, else one sentence."""
        try:
            language = resolve(tag, self.registry)
        except InputError as exc:
            raise InputError(f"{_at(where)}{exc.message}") from None
        if language.code == SOURCE_LANGUAGE:
            raise InputError(f"{_at(where)}tiếng Việt là ngôn ngữ nguồn, không phải ngôn ngữ đích.")
        if language.code not in self.codes:
            declared = ", ".join(c for c in self.codes if c != SOURCE_LANGUAGE) or "(chưa có)"
            raise InputError(
                f"{_at(where)}{language.name} ({language.code}) không phải ngôn ngữ của đài "
                f"(station.toml khai báo: {declared})."
            )
        return language


def _at(where: str) -> str:
    return f"{where}: " if where else ""


def check_term(term: Term, languages: StationLanguages) -> Term:
    """A cleaned, valid copy of ``term`` or an ``InputError`` naming where it came from."""
    fields = {"term": term.term, "target": term.target, "note": term.note, "source": term.source}
    fields.update({f"forbidden {i + 1}": v for i, v in enumerate(term.forbidden)})
    for name, value in fields.items():
        if has_control(value):
            raise InputError(f"{_at(term.where)}trường {name} có ký tự điều khiển; sửa tệp.")
    language = languages.target(term.language, term.where)
    cleaned = replace(
        term,
        term=clean_text(term.term),
        language=language.code,
        target=clean_text(term.target),
        note=clean_text(term.note),
        source=clean_text(term.source),
        forbidden=tuple(dict.fromkeys(v for v in map(clean_text, term.forbidden) if v)),
    )
    if not cleaned.term or not cleaned.target:
        raise InputError(f"{_at(term.where)}thiếu thuật ngữ tiếng Việt hoặc bản dịch.")
    if not _WORD.search(cleaned.term):
        raise InputError(f"{_at(term.where)}thuật ngữ '{cleaned.term}' không có chữ hay số nào.")
    source_language = languages.registry[SOURCE_LANGUAGE]
    if bad := foreign_scripts(cleaned.term, source_language):
        raise InputError(
            f"{_at(term.where)}thuật ngữ nguồn '{cleaned.term}' không phải chữ tiếng Việt "
            f"(có chữ {script_names(bad)})."
        )
    for text in (cleaned.target, *cleaned.forbidden):
        if bad := foreign_scripts(text, language):
            raise InputError(
                f"{_at(term.where)}'{text}' có chữ {script_names(bad)}, nhưng {language.name} "
                f"({language.code}) viết bằng chữ {script_names(language.scripts)}; "
                "kiểm tra lại mã ngôn ngữ."
            )
    if any("|" in v for v in cleaned.forbidden):
        raise InputError(f"{_at(term.where)}biến thể bị cấm không được chứa dấu '|'.")
    if cleaned.target in cleaned.forbidden:
        raise InputError(
            f"{_at(term.where)}'{cleaned.target}' vừa là bản dịch vừa là biến thể bị cấm."
        )
    return cleaned


def find_conflicts(stored: Iterable[Term], incoming: Iterable[Term]) -> list[Conflict]:
    """Approved targets that would coexist for one term and language after ``incoming``.

    An incoming row for a stored target replaces that row's status, so a file may move
    'approved' from one target to another by listing both.
    """
    final: dict[tuple[str, str, str], tuple[Term, str]] = {}
    for t in stored:
        final[(t.key, t.language, t.target)] = (t, IN_DATABASE)
    for t in incoming:
        final[(t.key, t.language, t.target)] = (t, t.where or "tệp")
    approved: dict[tuple[str, str], list[tuple[Term, str]]] = defaultdict(list)
    for (key, language, _), (t, place) in final.items():
        if t.status == TermStatus.APPROVED:
            approved[(key, language)].append((t, place))
    return [
        Conflict(
            term=items[0][0].term,
            language=language,
            targets=tuple(t.target for t, _ in items),
            places=tuple(place for _, place in items),
        )
        for (_, language), items in sorted(approved.items())
        if len(items) > 1
    ]


def _check_duplicates(terms: Sequence[Term]) -> None:
    """The same target listed twice with different statuses is a mistake, not a choice."""
    seen: dict[tuple[str, str, str], Term] = {}
    for t in terms:
        first = seen.setdefault((t.key, t.language, t.target), t)
        if first.status != t.status:
            raise InputError(
                f"'{t.term}' [{t.language}] → '{t.target}' có hai trạng thái khác nhau "
                f"({first.where or 'tệp'}: {first.status}; {t.where or 'tệp'}: {t.status}); "
                "không nhập gì."
            )


def import_terms(
    db: Database,
    terms: Sequence[Term],
    languages: StationLanguages,
    *,
    by: Person | None = None,
    province: bool = False,
) -> ImportSummary:
    """Validate every row, refuse conflicts, then write all rows in one transaction: as the
    station's own terms (its additions, and overrides of the province's), or
    (``province``, by a holder of a province role) as the province's. Conflicts are looked
    for in the layer written: a station's approved term beside the province's is an
    override, not a conflict."""
    if not terms:
        raise InputError("Tệp không có thuật ngữ nào; không nhập gì.")
    checked = [check_term(t, languages) for t in terms]
    _check_duplicates(checked)
    scope = write_scope(db, by, province=province, languages={t.language for t in checked})
    stored = store.terms_for_keys(db, {(t.key, t.language) for t in checked}, scope)
    conflicts = find_conflicts(stored, checked)
    if conflicts:
        raise TermConflictError(conflicts)
    try:
        with db.transaction() as conn:
            added, updated, unchanged = store.write_terms(conn, _merge_rows(checked), scope)
    except sqlite3.IntegrityError:
        raise InputError(_RACE) from None
    return ImportSummary(added=added, updated=updated, unchanged=unchanged)


def _merge_rows(terms: Sequence[Term]) -> list[Term]:
    """One row per target; forbidden variants of a term and language shared by all its rows."""
    forbidden: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    for t in terms:
        forbidden[(t.key, t.language)].update(dict.fromkeys(t.forbidden))
    merged: dict[tuple[str, str, str], Term] = {}
    for t in terms:
        merged[(t.key, t.language, t.target)] = replace(
            t, forbidden=tuple(forbidden[(t.key, t.language)])
        )
    return list(merged.values())


def add_term(
    db: Database,
    term: Term,
    languages: StationLanguages,
    *,
    replace_approved: bool = False,
    by: Person | None = None,
    province: bool = False,
) -> ImportSummary:
    """Add or update one target term (the station's own, or with ``province`` the
    province's: see ``import_terms``); an approved one replaces another only when asked."""
    checked = check_term(replace(term, where=term.where or "mục mới"), languages)
    scope = write_scope(db, by, province=province, languages=[checked.language])
    try:
        with db.transaction() as conn:
            if replace_approved and checked.status == TermStatus.APPROVED:
                store.demote_approved(conn, checked.term, checked.language, scope)
            stored = store.terms_for_keys(db, {(checked.key, checked.language)}, scope)
            conflicts = find_conflicts(stored, [checked])
            if conflicts:
                raise TermConflictError(conflicts)
            added, updated, unchanged = store.write_terms(conn, [checked], scope)
    except sqlite3.IntegrityError:
        raise InputError(_RACE) from None
    return ImportSummary(added=added, updated=updated, unchanged=unchanged)


def list_terms(
    db: Database, language: str | None = None, status: TermStatus | None = None
) -> list[Term]:
    return store.list_terms(db, language, status)


@dataclass(frozen=True)
class _Entry:
    term: str
    target: str | None
    proposed: tuple[str, ...]
    forbidden: tuple[str, ...]
    provenance: Provenance = OWN


def find_terms(db: Database, text: str, language: str) -> list[TermHit]:
    """Terms of the term base found in ``text`` (a Vietnamese sentence) for ``language``.

    Matching is case-insensitive on the NFC text, at word boundaries, leftmost and longest
    first ('ủy ban nhân dân xã' before 'ủy ban nhân dân'), without overlaps; a space in a
    term matches any run of whitespace. ``start``/``end`` index ``unicodedata.normalize(
    'NFC', text)``, which is ``text`` itself for text that came through ingest.
    """
    terms = _terms_of(db, language)
    text = unicodedata.normalize("NFC", text)
    # Only terms whose first word occurs in the text are searched, each with its own cached
    # pattern; the leftmost, then longest, match wins and overlapping ones are dropped.
    words = set(_WORD.findall(text.casefold()))
    keys = {k for word in words for k in terms.by_first.get(word, ())}
    found = sorted(
        (m.start(), m.start() - m.end(), k, m) for k in keys for m in _key_pattern(k).finditer(text)
    )
    hits = []
    end = 0
    for start, _, key, match in found:
        if start < end:
            continue
        end = match.end()
        entry = terms.entries[key]
        hits.append(
            TermHit(
                source=entry.term,
                target=entry.target,
                status=str(TermStatus.APPROVED if entry.target else TermStatus.PROPOSED),
                forbidden=entry.forbidden,
                start=match.start(),
                end=match.end(),
                proposed=entry.proposed,
                provenance=entry.provenance,
            )
        )
    return hits


@dataclass(frozen=True)
class _Terms:
    """One language's term base, parsed once per change of the database."""

    changes: int
    entries: dict[str, _Entry]
    by_first: dict[str, tuple[str, ...]]


_terms_cache: dict[tuple[str, int, int, str], _Terms] = {}


def _terms_of(db: Database, language: str) -> _Terms:
    """One language's terms as the connection's station sees them (its own and the
    province's), cached per database, station and language until the term base changes."""
    with db.transaction():  # one snapshot for the counter and the rows
        key = (*database_identity(db), db.station_id, language)
        changes = store.change_count(db)
        cached = _terms_cache.get(key)
        if cached is not None and cached.changes == changes:
            return cached
        entries = _entries(store.list_terms(db, language))
    by_first: dict[str, list[str]] = defaultdict(list)
    for k in entries:
        by_first[_first_word(k)].append(k)
    parsed = _Terms(
        changes=changes,
        entries=entries,
        by_first={w: tuple(ks) for w, ks in by_first.items()},
    )
    if len(_terms_cache) > 8:
        _terms_cache.clear()
    _terms_cache[key] = parsed
    return parsed


def _entries(terms: Sequence[Term]) -> dict[str, _Entry]:
    """One entry per term key: the station's own approved target overrides the province's
    (``list_terms`` gives the own rows first); forbidden variants of both layers hold."""
    grouped: dict[str, list[Term]] = defaultdict(list)
    for t in terms:
        grouped[t.key].append(t)
    entries = {}
    for key, rows in grouped.items():
        approved = [t for t in rows if t.status == TermStatus.APPROVED]
        shown = approved[0] if approved else rows[0]
        target = approved[0].target if approved else None
        entries[key] = _Entry(
            term=shown.term,
            target=target,
            proposed=tuple(
                dict.fromkeys(
                    t.target for t in rows if t.status == TermStatus.PROPOSED and t.target != target
                )
            ),
            forbidden=tuple(dict.fromkeys(v for t in rows for v in t.forbidden if v != target)),
            provenance=shown.provenance,
        )
    return entries


_WORD = re.compile(r"\w+")


def _first_word(key: str) -> str:
    """The first word of a casefolded term ('' for a term with no letters or digits)."""
    match = _WORD.search(key)
    return match.group() if match else ""


@functools.lru_cache(maxsize=20_000)
def _key_pattern(key: str) -> re.Pattern[str]:
    """One compiled pattern per term, kept across sentences (a term base changes rarely)."""
    words = r"\s+".join(map(re.escape, key.split(" ")))
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
