"""The translation memory: every approved sentence pair, reused in later drafts.

``add`` is called when a segment is approved (and by TMX import); ``lookup`` returns, best
first: in-context matches (same sentence after the same previous sentence, score 100), exact
matches (same sentence, score 100) and fuzzy matches (similar sentence, score below 100).

Fuzzy scores are rapidfuzz's ``fuzz.ratio`` (normalised Indel similarity, 0..100) on the
casefolded NFC sentences: a changed tone mark or word costs, capitals alone do not (such a
sentence scores 99.9, above any real edit, and never 100, which only exact matches have).
rapidfuzz is a maintained C++ implementation (MIT) that scores a pair in well under a
microsecond; ``broadcast.translate.tmindex`` keeps it from scanning everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rapidfuzz import fuzz, process

from broadcast.errors import InputError
from broadcast.languages import (
    SOURCE_LANGUAGE,
    builtin_languages,
    foreign_scripts,
    primary_code,
    script_names,
)
from broadcast.model.people import Person
from broadcast.store import tm as store
from broadcast.store.db import Database
from broadcast.store.tm import LAYERS
from broadcast.translate.exchange import read_file
from broadcast.translate.shared import write_scope
from broadcast.translate.termbase import StationLanguages
from broadcast.translate.tmindex import indexes_for
from broadcast.translate.tmx import read_tmx, write_tmx
from broadcast.translate.values import (
    ImportSummary,
    MatchKind,
    TMMatch,
    TMUnit,
    clean_text,
    has_control,
)

FUZZY_MIN = 70.0
"""Below this a match costs an editor more than it saves (the usual CAT tool default)."""
CANDIDATES = 200
"""Segments scored exactly per fuzzy lookup, after the prefilter."""
CASE_ONLY = 99.9
"""The score of a sentence that differs from the stored one in capitals only."""
_KIND_RANK = {MatchKind.IN_CONTEXT: 0, MatchKind.EXACT: 1, MatchKind.FUZZY: 2}


def _clean_unit(unit: TMUnit) -> TMUnit:
    at = f"{unit.where}: " if unit.where else ""
    for value in (unit.source, unit.target, unit.previous, unit.origin):
        if has_control(value):
            raise InputError(f"{at}có ký tự điều khiển trong câu; sửa tệp.")
    cleaned = TMUnit(
        source=clean_text(unit.source),
        target=clean_text(unit.target),
        language=unit.language,
        previous=clean_text(unit.previous),
        origin=clean_text(unit.origin) or "import",
        created_at=unit.created_at,
        where=unit.where,
    )
    if not cleaned.source or not cleaned.target:
        raise InputError(f"{at}câu nguồn hoặc câu dịch trống.")
    if bad := foreign_scripts(cleaned.source, builtin_languages()[SOURCE_LANGUAGE]):
        raise InputError(
            f"{at}câu nguồn '{cleaned.source[:40]}' không phải chữ tiếng Việt "
            f"(có chữ {script_names(bad)})."
        )
    return cleaned


def add(
    db: Database,
    source: str,
    target: str,
    language: str,
    previous: str | None = None,
    origin: str = "approval",
    *,
    created_by: str = "",
    share: bool = True,
) -> bool:
    """Remember an approved pair; False when it was already stored in that context.

    ``previous`` is the source sentence before this one (None or '' when there is none).
    The language must be a target language code; its script is checked when the language
    is a built-in one (a station's own languages are checked at import).

    On a province server (PostgreSQL) the pair goes to the province's memory, offered to
    every station, when the station shares (``share``: station.toml ``[translation]
    share_with_province``), else it stays the station's own; a SQLite file is one station,
    whose pairs are its own. Either way the station and ``created_by`` (the approver) are
    recorded with it.
    """
    code = primary_code(language)
    if code != language or code in ("th", SOURCE_LANGUAGE) or not code.isalpha():
        raise InputError(f"Mã ngôn ngữ đích '{language}' không dùng được cho bộ nhớ dịch.")
    unit = _clean_unit(
        TMUnit(source=source, target=target, language=code, previous=previous or "", origin=origin)
    )
    known = builtin_languages().get(code)
    if known is not None and (bad := foreign_scripts(unit.target, known)):
        raise InputError(
            f"Câu dịch có chữ {script_names(bad)}, nhưng {known.name} viết bằng chữ "
            f"{script_names(known.scripts)}."
        )
    province = share and db.dialect != "sqlite"
    scope = store.Scope(
        station_id=None if province else db.station_id,
        from_station=db.station_id,
        created_by=created_by,
    )
    with db.transaction() as conn:
        return store.insert_unit(conn, unit, scope)


def import_units(
    db: Database,
    units: Sequence[TMUnit],
    languages: StationLanguages,
    *,
    by: Person | None = None,
    province: bool = False,
) -> ImportSummary:
    """Validate every pair (language of the station, scripts), then store all or nothing:
    as the station's own pairs, or (``province``, by a holder of a province role) as the
    province's."""
    if not units:
        raise InputError("Tệp không có cặp câu nào; không nhập gì.")
    checked = []
    for unit in units:
        language = languages.target(unit.language, unit.where)
        cleaned = _clean_unit(unit)
        if bad := foreign_scripts(cleaned.target, language):
            raise InputError(
                f"{unit.where}: câu dịch có chữ {script_names(bad)}, nhưng {language.name} "
                f"({language.code}) viết bằng chữ {script_names(language.scripts)}; "
                "kiểm tra lại mã ngôn ngữ; không nhập gì."
            )
        checked.append(replace(cleaned, language=language.code))
    scope = write_scope(db, by, province=province, languages={u.language for u in checked})
    with db.transaction() as conn:
        added = store.insert_units(conn, checked, scope)
    return ImportSummary(added=added, updated=0, unchanged=len(checked) - added)


def lookup(
    db: Database,
    source: str,
    language: str,
    previous: str | None = None,
    limit: int = 3,
    min_score: float = FUZZY_MIN,
) -> list[TMMatch]:
    """The best ``limit`` matches for ``source``, one per distinct target, best first.

    In-context needs a non-empty ``previous`` equal to the stored one: pairs imported
    without context never claim to be in context. The station's own pairs come before the
    province's: for the same source an own pair first (a station's override of a shared
    translation), and an own fuzzy match before a province one of equal score. Each match
    says where it came from (``TMMatch.provenance``).
    """
    source = clean_text(source)
    context = clean_text(previous or "")
    if not source or limit <= 0:
        return []
    matches = [
        TMMatch(
            source=unit.source,
            target=unit.target,
            score=100.0,
            kind=MatchKind.IN_CONTEXT if context and unit.previous == context else MatchKind.EXACT,
            previous=unit.previous,
            origin=unit.origin,
            provenance=unit.provenance,
        )
        for unit in store.exact_units(db, language, source)
    ]
    # Own pairs before the province's, then in-context before exact; stable: newest first.
    matches.sort(key=lambda m: (m.provenance.province, _KIND_RANK[m.kind]))
    if len({m.target for m in matches}) < limit:  # enough exact targets: no fuzzy needed
        matches.extend(_fuzzy(db, source, language, min_score, limit + len(matches)))
    best: dict[str, TMMatch] = {}
    for match in matches:
        best.setdefault(match.target, match)
    return list(best.values())[:limit]


def _fuzzy(db: Database, source: str, language: str, min_score: float, limit: int) -> list[TMMatch]:
    folded = source.casefold()
    found: list[tuple[float, bool, int]] = []
    for layer, index in zip(LAYERS, indexes_for(db, language), strict=True):
        positions = [
            p
            for p in index.candidates(folded, min_score, CANDIDATES)
            if index.sources[p] != source
        ]
        if not positions:
            continue
        scored = process.extract(
            folded,
            [index.folded[p] for p in positions],
            scorer=fuzz.ratio,
            score_cutoff=min_score,
            limit=None,
        )
        for _, score, i in scored:
            at = positions[i]
            # the station's own pair: its layer, or a pair it gave the province
            own = layer == "station" or index.came_from[at] == db.station_id
            found.append((float(score), not own, index.ids[at]))
    if not found:
        return []
    # Highest score first; among equal scores the station's own pair, then the newest one.
    ranked = sorted(found, key=lambda x: (-x[0], x[1], -x[2]))
    ranked = ranked[: limit * 2]
    units = store.units_by_id(db, [row_id for _, _, row_id in ranked])
    matches = []
    for score, _, row_id in ranked:
        unit = units.get(row_id)
        if unit is None:  # deleted since the index was read
            continue
        matches.append(
            TMMatch(
                source=unit.source,
                target=unit.target,
                score=_fuzzy_score(score),
                kind=MatchKind.FUZZY,
                previous=unit.previous,
                origin=unit.origin,
                provenance=unit.provenance,
            )
        )
    return matches


def _fuzzy_score(ratio: float) -> float:
    """Below 100 always: 99.9 for a difference in capitals only, at most 99.8 otherwise."""
    return CASE_ONLY if ratio >= 100.0 else min(round(ratio, 1), CASE_ONLY - 0.1)


def import_tmx_file(
    db: Database,
    path: Path,
    languages: StationLanguages,
    *,
    by: Person | None = None,
    province: bool = False,
) -> ImportSummary:
    """Parse a whole TMX file, validate every pair, then store all of them or none (as the
    station's own pairs, or the province's: see ``import_units``)."""
    units = read_tmx(read_file(path), f"Tệp {path.name}")
    return import_units(db, units, languages, by=by, province=province)


def export_tmx(db: Database, language: str | None = None) -> tuple[bytes, int]:
    """The memory (or one language of it) as TMX 1.4, oldest pair first."""
    return write_tmx(store.all_units(db, language))
