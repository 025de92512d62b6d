"""Bringing editors' files back: the checks and the merge shared by XLIFF and .docx.

A file comes back whole or not at all: it must name a stored script and a station language
that has a translation, hold exactly that translation's segments with the same Vietnamese
sources, and have targets written in the language's scripts. Only then is anything written,
in one transaction. An approved segment is never overwritten by an import: a different text
for it is reported and skipped (approve it again after editing it here, or reject it first).
An import never approves either: approval needs a named reviewer and a clean QA.

An import never loses work either. Every exported file records, per segment, what it was
exported from (the SHA-256 of the target and of the Vietnamese source at that moment). A
segment the file would change whose stored text is no longer the one it was exported from
was edited by someone else in between (a translator in the workspace, another editor's
file): overwriting it would silently discard their text, so the whole import is refused
with a count of what would change and which segments conflict. A file without that record
(exported by an older version, or stripped by a tool) is judged the same way wherever it
would replace a non-empty text. The editor then exports a fresh file, or imports with
``as_draft``: where the file changed a segment that was also changed in the workspace, the
file's text becomes a draft (the model keeps no revisions, so this is an edit to state
'draft') and the text it replaced is kept in the review history (``review_audit`` detail,
``{"old": ..., "new": ...}``) so it can be restored; where only the workspace changed it
(the file still holds the text it was exported with), the newer text is kept.

The side-by-side file of ``broadcast review edit`` is held to the same rule: a segment the
editor changed in ``$EDITOR`` that someone else changed while the editor was open is not
overwritten; nothing is saved and the edited file is kept in the workspace's ``out/`` folder
so that no one's work is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from broadcast.errors import InputError
from broadcast.languages import foreign_scripts, resolve, script_names
from broadcast.review.model import ReviewState, Segment, Translation, text_sha256
from broadcast.review.qa import without_carried
from broadcast.store import translations as store
from broadcast.store.db import Database
from broadcast.store.files import atomic_write_text
from broadcast.store.records import StoredScript, find_script
from broadcast.store.station import Station


def _numbers(positions: Iterable[int]) -> str:
    """Stored positions as people number segments: from 1, like the script's sentences."""
    return ", ".join(str(p + 1) for p in sorted(positions))


@dataclass(frozen=True)
class ExportBase:
    """What a segment was when its file was exported, as recorded inside the file."""

    target_sha256: str
    source_sha256: str

    @classmethod
    def of(cls, segment: Segment) -> ExportBase:
        return cls(text_sha256(segment.target), text_sha256(segment.source))


@dataclass(frozen=True)
class ImportedSegment:
    position: int
    source: str
    target: str
    state: ReviewState | None  # None: the file says nothing about it
    base: ExportBase | None = None  # None: the file does not say what it was exported from


class ImportConflictError(InputError):
    """The file would overwrite texts changed since it was exported: nothing was imported."""

    def __init__(self, slug: str, language: str, conflicts: list[int], changes: int) -> None:
        listed = _numbers(conflicts[:20]) + (" …" if len(conflicts) > 20 else "")
        super().__init__(
            f"Không nhập gì: {len(conflicts)} đoạn đã được sửa sau khi xuất tệp này "
            f"(đoạn {listed}) và tệp sẽ ghi đè lên chúng (tệp đổi {changes} đoạn) — "
            f"hãy xuất lại bản dịch '{slug}' ({language}) rồi sửa trên tệp mới, hoặc nhập "
            "với --as-draft để giữ văn bản của tệp thành bản nháp (văn bản cũ được lưu trong "
            "'broadcast review history')."
        )
        self.conflicts = tuple(conflicts)
        self.changes = changes


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
    as_draft: tuple[int, ...] = field(default=())  # conflicting texts kept as drafts
    kept_newer: tuple[int, ...] = field(default=())  # stale rows of the file left alone


def import_translation(
    db: Database,
    imported: ImportedFile,
    *,
    actor: str,
    station: Station,
    expect_language: str | None = None,
    fmt: str,
    as_draft: bool = False,
) -> ImportReport:
    """Merge an editor's file into its translation, all of it or nothing.

    Refuses (``ImportConflictError``) when the file would overwrite a text changed since the
    file was exported, unless ``as_draft``: those segments then take the file's text in
    state 'draft', their previous text kept in the audit detail. The texts are compared and
    written in one transaction, so a write by another process in between cannot slip past
    the comparison.
    """
    with db.transaction():
        return _import(db, imported, actor, station, expect_language, fmt, as_draft)


def _import(
    db: Database,
    imported: ImportedFile,
    actor: str,
    station: Station,
    expect_language: str | None,
    fmt: str,
    as_draft: bool,
) -> ImportReport:
    script, translation = _check(db, imported, station, expect_language)
    targets: dict[int, str] = {}
    states: dict[int, ReviewState] = {}
    skipped: list[int] = []
    not_approved: list[int] = []
    conflicts: list[int] = []
    by_position = {item.position: item for item in imported.segments}
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
            if _edited_since_export(item, segment):
                conflicts.append(item.position)
        elif state is not None and state is not segment.state:
            states[item.position] = state
    if conflicts and not as_draft:
        raise ImportConflictError(script.slug, translation.language, conflicts, len(targets))
    over: dict[int, str] = {}
    kept: list[int] = []
    for p in conflicts:
        states.pop(p, None)  # a conflicting segment's state follows its text
        text = targets.pop(p)
        if _unchanged_in_file(by_position[p]):
            kept.append(p)  # the file holds nothing new here: keep the workspace's text
        else:
            over[p] = text
    with db.transaction():
        changed = store.set_targets(
            db, translation, targets, actor=actor, action="import", states=states
        )
        if over:
            # Another person's text is replaced, not lost: set_targets keeps it in the audit
            # detail of each row ("old"), and the file's text waits as a draft, not for review.
            changed += store.set_targets(
                db,
                store.load_translation(db, translation.script_id, translation.language),
                over,
                actor=actor,
                action="import-as-draft",
                states={p: ReviewState.DRAFT for p in over},
            )
        detail = f"{fmt}: {len(changed)} đoạn đổi"
        if skipped:
            detail += f", bỏ qua đoạn đã duyệt {_numbers(skipped)}"
        if over:
            detail += (
                f", {len(over)} đoạn đã sửa sau khi xuất được ghi thành bản nháp ({_numbers(over)})"
            )
        if kept:
            detail += f", giữ văn bản mới hơn của đoạn {_numbers(kept)}"
        store.record_event(db, script.id, translation.language, f"import-{fmt}", actor, detail)
    return ImportReport(
        slug=script.slug,
        language=translation.language,
        changed=tuple(sorted(set(changed))),
        skipped_approved=tuple(skipped),
        not_approved=tuple(not_approved),
        as_draft=tuple(sorted(over)),
        kept_newer=tuple(kept),
    )


def _edited_since_export(item: ImportedSegment, segment: Segment) -> bool:
    """Would writing the file's text discard a text the file's editor never saw?

    With the export recorded, that is any change since the export. Without it (an older
    file, or a tool that dropped the record) we cannot know, so any non-empty stored text is
    presumed someone's work: filling an empty segment is the only change taken on trust.
    """
    if item.base is None:
        return segment.target != ""
    return item.base.target_sha256 != text_sha256(segment.target)


def _unchanged_in_file(item: ImportedSegment) -> bool:
    """The file still holds the text this segment was exported with (known only when the
    file records its export)."""
    return item.base is not None and item.base.target_sha256 == text_sha256(item.target)


def _check(
    db: Database,
    imported: ImportedFile,
    station: Station,
    expect_language: str | None,
) -> tuple[StoredScript, Translation]:
    if resolve(imported.source_language).code != "vi":
        raise InputError(
            f"Tệp có ngôn ngữ nguồn '{imported.source_language[:40]}', không phải tiếng Việt (vi)."
        )
    language = resolve(imported.language, station.language_registry())
    if expect_language is not None and language.code != expect_language:
        raise InputError(
            f"Tệp là bản dịch '{imported.language[:40]}', không phải '{expect_language}' "
            "như đã chọn."
        )
    if language.code not in station.languages or language.code == "vi":
        raise InputError(
            f"Ngôn ngữ đích '{imported.language[:40]}' của tệp không phải ngôn ngữ dịch của đài "
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
        if item.source != segment.source or (
            item.base is not None and item.base.source_sha256 != text_sha256(segment.source)
        ):
            raise InputError(
                f"Câu tiếng Việt của đoạn {item.position + 1} trong tệp khác kịch bản "
                f"'{script.slug}' (tệp của phiên bản khác?); không nhập gì."
            )
        foreign = foreign_scripts(without_carried(item.target, item.source, ()), language)
        if foreign:
            raise InputError(
                f"Đoạn {item.position + 1}: bản dịch viết bằng chữ {script_names(foreign)}, "
                f"không phải chữ của {language.name}; không nhập gì."
            )
    return script, translation


def save_editor_session(
    db: Database,
    loaded: Translation,
    targets: Mapping[int, str],
    *,
    actor: str,
    edited: str,
    keep: Path,
) -> list[int]:
    """Save the texts an editor changed in ``$EDITOR`` against the translation as it is now.

    ``loaded`` is the translation the editor was shown. Only the segments the editor changed
    are written; one that someone else changed meanwhile (to a different text) refuses the
    whole save, after writing ``edited`` to ``keep`` so the editor can copy from it.
    """
    from broadcast.review.workflow import save_edits

    shown = {s.position: s.target for s in loaded.segments}
    mine = {p: text for p, text in targets.items() if p in shown and text != shown[p]}
    with db.transaction():
        current = store.load_translation(db, loaded.script_id, loaded.language)
        now = {s.position: s.target for s in current.segments}
        clashes = [p for p, text in mine.items() if now.get(p, shown[p]) not in (shown[p], text)]
        if clashes:
            atomic_write_text(keep, edited)
            raise InputError(
                f"Không lưu gì: đoạn {_numbers(clashes)} đã được người khác "
                "sửa trong lúc bạn sửa. Bản sửa của bạn được giữ ở "
                f"{keep}; hãy chạy lại 'broadcast review edit' và chép sang từ tệp đó."
            )
        return save_edits(db, current, mine, actor=actor)
