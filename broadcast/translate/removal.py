"""Removing a wrong entry from the term base or the translation memory.

A term or a memory pair that is wrong would otherwise be offered to every translator
again; removing it is the only correction (memory pairs are never updated). Nothing is
removed silently: the caller gets what went, and an unknown entry is one sentence naming
the command that lists the right ones.

On a province server a station removes only its own entries (for the memory, also the
pairs it gave the province); the province's are removed with ``province`` by a holder of a
province role (``shared.write_scope``).
"""

from __future__ import annotations

from broadcast.errors import InputError
from broadcast.model.people import Person
from broadcast.store import lifecycle as store
from broadcast.store.db import Database
from broadcast.store.lifecycle import RemovedTerm, RemovedUnit
from broadcast.translate.shared import write_scope
from broadcast.translate.values import clean_text, term_key


def remove_term(
    db: Database,
    term: str,
    language: str,
    target: str | None = None,
    *,
    by: Person | None = None,
    province: bool = False,
) -> tuple[list[RemovedTerm], list[str]]:
    """Remove one target of a term (``target``) or all of its targets in ``language``;
    the forbidden variants go with the last target."""
    chosen = clean_text(target) if target is not None else None
    scope = write_scope(db, by, province=province, languages=[language])
    removed, variants = store.delete_terms(
        db, term_key(term), language, chosen, layer=scope.station_id or 0
    )
    if not removed:
        which = f" với bản dịch '{target}'" if target is not None else ""
        raise InputError(
            f"Bảng thuật ngữ không có '{term}' [{language}]{which}; xem các thuật ngữ bằng "
            f"'broadcast glossary list --language {language}'."
        )
    return removed, variants


def remove_units(
    db: Database,
    *,
    unit_id: int | None = None,
    source: str | None = None,
    language: str | None = None,
    target: str | None = None,
    by: Person | None = None,
    province: bool = False,
) -> list[RemovedUnit]:
    """Remove memory pairs by number, or every pair of a source sentence in a language
    (only those with ``target`` when given)."""
    if unit_id is None and (source is None or language is None):
        raise InputError("Hãy cho câu nguồn và --language, hoặc --id của cặp câu cần xoá.")
    text = clean_text(source) if source is not None else None
    scope = write_scope(db, by, province=province, languages=[language] if language else [])
    removed = store.delete_units(
        db,
        unit_id=unit_id,
        language=language,
        source=text,
        target=clean_text(target) if target is not None else None,
        station=scope.station_id,
        province=scope.station_id is None,
    )
    if not removed:
        what = f"số {unit_id}" if unit_id is not None else f"'{source}' [{language}]"
        raise InputError(
            f"Bộ nhớ dịch không có cặp câu {what}; tìm câu đã lưu bằng "
            f"'broadcast tm lookup \"CÂU\" --language {language or 'MÃ'}'."
        )
    return removed
