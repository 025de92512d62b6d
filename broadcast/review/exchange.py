"""Bringing editors' files back: the checks and the merge shared by XLIFF and .docx.

A file comes back whole or not at all: it must name a stored script and a station language
that has a translation, hold exactly that translation's segments with the same Vietnamese
sources, and have targets written in the language's scripts. Only then is anything written,
in one transaction. An approved segment is never overwritten by an import: a different text
for it is reported and skipped (approve it again after editing it here, or reject it first).
An import never approves either: approval needs a named reviewer and a clean QA.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from broadcast.errors import InputError
from broadcast.languages import foreign_scripts, resolve, script_names
from broadcast.review.model import ReviewState, Translation
from broadcast.review.qa import without_carried
from broadcast.store import translations as store
from broadcast.store.db import Database
from broadcast.store.records import StoredScript, find_script
from broadcast.store.station import Station


@dataclass(frozen=True)
class ImportedSegment:
    position: int
    source: str
    target: str
    state: ReviewState | None  # None: the file says nothing about it


@dataclass(frozen=True)
class ImportedFile:
    script_ref: str
    source_language: str
    language: str
    segments: tuple[ImportedSegment, ...]


@dataclass(frozen=True)
class ImportReport:
    slug: str
    language: str
    changed: tuple[int, ...]
    skipped_approved: tuple[int, ...]
    not_approved: tuple[int, ...] = field(default=())  # marked final/approved in the file


def import_translation(
    db: Database,
    imported: ImportedFile,
    *,
    actor: str,
    station: Station,
    expect_language: str | None = None,
    fmt: str,
) -> ImportReport:
    script, translation = _check(db, imported, station, expect_language)
    targets: dict[int, str] = {}
    states: dict[int, ReviewState] = {}
    skipped: list[int] = []
    not_approved: list[int] = []
    for item in imported.segments:
        segment = translation.segment_at(item.position)
        assert segment is not None  # _check matched every position
        if segment.state is ReviewState.APPROVED:
            if item.target != segment.target:
                skipped.append(item.position)
            continue
        state = item.state
        if state is ReviewState.APPROVED:
            not_approved.append(item.position)
            state = ReviewState.IN_REVIEW
        if item.target != segment.target:
            # A new text under an untouched state was edited by a person: it goes to review.
            # A state the editor changed in the file is theirs to choose (never approval).
            targets[item.position] = item.target
            states[item.position] = (
                ReviewState.IN_REVIEW if state in (None, segment.state) else state
            )
        elif state is not None and state is not segment.state:
            states[item.position] = state
    with db.transaction():
        changed = store.set_targets(
            db, translation, targets, actor=actor, action="import", states=states
        )
        detail = f"{fmt}: {len(changed)} đoạn đổi"
        if skipped:
            detail += f", bỏ qua đoạn đã duyệt {', '.join(map(str, skipped))}"
        store.record_event(db, script.id, translation.language, f"import-{fmt}", actor, detail)
    return ImportReport(
        slug=script.slug,
        language=translation.language,
        changed=tuple(changed),
        skipped_approved=tuple(skipped),
        not_approved=tuple(not_approved),
    )


def _check(
    db: Database,
    imported: ImportedFile,
    station: Station,
    expect_language: str | None,
) -> tuple[StoredScript, Translation]:
    if resolve(imported.source_language).code != "vi":
        raise InputError(
            f"Tệp có ngôn ngữ nguồn '{imported.source_language}', không phải tiếng Việt (vi)."
        )
    language = resolve(imported.language, station.language_registry())
    if expect_language is not None and language.code != expect_language:
        raise InputError(
            f"Tệp là bản dịch '{imported.language}', không phải '{expect_language}' như đã chọn."
        )
    if language.code not in station.languages or language.code == "vi":
        raise InputError(
            f"Ngôn ngữ đích '{imported.language}' của tệp không phải ngôn ngữ dịch của đài "
            f"({', '.join(c for c in station.languages if c != 'vi')})."
        )
    script = find_script(db, imported.script_ref)
    translation = store.load_translation(db, script.id, language.code)
    expected = [s.position for s in translation.segments]
    found = [s.position for s in imported.segments]
    if sorted(found) != expected or len(set(found)) != len(found):
        raise InputError(
            f"Tệp có {len(found)} đoạn không khớp {len(expected)} đoạn của bản dịch "
            f"'{script.slug}' ({language.code}); không nhập gì."
        )
    for item in imported.segments:
        segment = translation.segment_at(item.position)
        assert segment is not None
        if item.source != segment.source:
            raise InputError(
                f"Câu tiếng Việt của đoạn {item.position} trong tệp khác kịch bản "
                f"'{script.slug}' (tệp của phiên bản khác?); không nhập gì."
            )
        foreign = foreign_scripts(without_carried(item.target, item.source, ()), language)
        if foreign:
            raise InputError(
                f"Đoạn {item.position}: bản dịch viết bằng chữ {script_names(foreign)}, "
                f"không phải chữ của {language.name}; không nhập gì."
            )
    return script, translation
