"""The review workflow: QA on a translation, approval, sending back, editing.

Approval is refused while a blocking QA finding remains on a segment being approved, and an
approved segment pair goes into the translation memory in the same transaction (with the
previous source sentence as its context), so the memory only ever holds approved text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from broadcast.errors import InputError
from broadcast.languages import Language, registry
from broadcast.model.people import Person, Role
from broadcast.people.permissions import require_role
from broadcast.review.model import ReviewState, Segment, SegmentTerm, Translation
from broadcast.review.qa import Finding, blocking, check_segment
from broadcast.store import translations as store
from broadcast.store.db import Connection, Database


def live_terms(db: Database, source: str, language: str) -> tuple[SegmentTerm, ...]:
    """The glossary terms of a source sentence as the term base says now (it may have
    changed since the draft was made)."""
    from broadcast.translate import termbase
    from broadcast.translate.draft import segment_terms

    return segment_terms(termbase.find_terms(db, source, language))


def qa_translation(
    db: Database,
    translation: Translation,
    positions: Iterable[int] | None = None,
    *,
    known: Mapping[str, Language] | None = None,
) -> list[Finding]:
    """QA findings of every segment, or of the segments at ``positions`` only.

    ``known`` is the station's language registry (``Station.language_registry``), so that a
    language the station adds or overrides is checked with its own scripts.
    """
    wanted = None if positions is None else set(positions)
    findings: list[Finding] = []
    language = (registry() if known is None else known).get(translation.language)
    for segment in translation.segments:
        if wanted is not None and segment.position not in wanted:
            continue
        terms = live_terms(db, segment.source, translation.language)
        findings += check_segment(segment.position, segment.source, segment.target, terms, language)
    return findings


@dataclass(frozen=True)
class ApproveOutcome:
    approved: tuple[int, ...]
    already: tuple[int, ...]
    state: ReviewState


def pick_positions(translation: Translation, positions: Sequence[int] | None) -> list[int]:
    """The segments named by the user (all when none named); unknown numbers refused."""
    known = [s.position for s in translation.segments]
    if not positions:
        return known
    unknown = sorted(set(positions) - set(known))
    if unknown:
        raise InputError(
            f"Không có đoạn số {', '.join(str(p + 1) for p in unknown)} trong bản dịch "
            f"(các đoạn: {known[0] + 1}–{known[-1] + 1})."
        )
    return sorted(set(positions))


def _actor(by: str | Person, role: str | None, needed: Role, language: str) -> tuple[str, str]:
    """(login, role) recorded for a step. A ``Person`` (what the CLI passes) must hold the
    role the step needs, which is then the role recorded; a bare name (older callers and
    domain tests) is recorded as given."""
    if isinstance(by, Person):
        require_role(by, needed, language)
        return by.login, needed.value
    if not by.strip() or not (role or "").strip():
        raise InputError("Cần ghi rõ người duyệt và vai trò.")
    return by, str(role)


def approve(
    db: Database,
    script_id: int,
    language: str,
    positions: Sequence[int] | None,
    *,
    by: str | Person,
    role: str | None = None,
    known: Mapping[str, Language] | None = None,
    four_eyes: bool = True,
    share_with_province: bool = True,
) -> ApproveOutcome:
    """Approve segments (all by default); refuses all of them if any has a blocking finding,
    or (``four_eyes``, the station's ``[review] four_eyes``) if the approver is the person
    who last edited one of them. With the rule off such approvals are recorded as
    self-approvals. The approved pairs go to the translation memory, on a province server
    to the province's when the station shares (``share_with_province``, the station's
    ``[translation] share_with_province``), with the approver recorded."""
    login, role = _actor(by, role, Role.REVIEWER, language)
    translation = store.load_translation(db, script_id, language)
    chosen = pick_positions(translation, positions)
    findings = blocking(qa_translation(db, translation, chosen, known=known))
    if findings:
        lines = "; ".join(f"đoạn {f.position + 1}: {f.message}" for f in findings[:5])
        more = f" (và {len(findings) - 5} lỗi khác)" if len(findings) > 5 else ""
        raise InputError(f"Chưa duyệt được: còn {len(findings)} lỗi phải sửa trước — {lines}{more}")
    with db.transaction() as conn:
        own = _self_approvals(conn, translation, chosen, login, four_eyes=four_eyes)
        done = store.approve_segments(
            db, translation, chosen, by=login, role=role, self_approved=own
        )
        _remember(db, translation, done, by=login, share=share_with_province)
        state = store.load_translation(db, script_id, language).state
    newly = tuple(s.position for s in done)
    return ApproveOutcome(
        approved=newly,
        already=tuple(p for p in chosen if p not in newly),
        state=state,
    )


def _self_approvals(
    conn: Connection,
    translation: Translation,
    chosen: Sequence[int],
    login: str,
    *,
    four_eyes: bool,
) -> list[int]:
    """The chosen segments last edited by ``login`` (read under the write lock); refused
    with the rule on, returned (to be recorded as self-approvals) with it off."""
    from broadcast.people.foureyes import check_four_eyes
    from broadcast.store.vetting import last_editor

    own: list[int] = []
    for segment in translation.segments:
        if segment.position not in chosen or segment.state is ReviewState.APPROVED:
            continue
        editor = last_editor(conn, translation.script_id, translation.language, segment.position)
        what = f"đoạn {segment.position + 1} bản dịch {translation.language}"
        if check_four_eyes(login, editor, four_eyes=four_eyes, what=what):
            own.append(segment.position)
    return own


def reject(
    db: Database,
    script_id: int,
    language: str,
    positions: Sequence[int] | None,
    *,
    by: str | Person,
    role: str | None = None,
    note: str,
) -> list[int]:
    login, role = _actor(by, role, Role.REVIEWER, language)
    if not note.strip():
        raise InputError("Hãy ghi lý do cần sửa (--note) để người dịch biết sửa gì.")
    translation = store.load_translation(db, script_id, language)
    chosen = pick_positions(translation, positions)
    return store.reject_segments(db, translation, chosen, by=login, role=role, note=note)


def save_edits(
    db: Database, translation: Translation, targets: Mapping[int, str], *, actor: str | Person
) -> list[int]:
    """Store an editor's texts; positions must be the translation's own. A ``Person`` must
    be a translator (or reviewer) of the translation's language."""
    if isinstance(actor, Person):
        require_editor(actor, translation.language)
        actor = actor.login
    pick_positions(translation, list(targets))
    return store.set_targets(db, translation, targets, actor=actor)


def require_editor(person: Person, language: str | None) -> None:
    """Editing a translation (in $EDITOR, by import, by a new draft) is a translator's or a
    reviewer's work in that language."""
    require_role(person, Role.TRANSLATOR, language, alternatives=(Role.REVIEWER,))


def _remember(
    db: Database, translation: Translation, done: Iterable[Segment], *, by: str, share: bool
) -> None:
    """Approved pairs into the memory, each with the previous source sentence as context,
    the approver and (``share``) for the whole province (see ``memory.add``)."""
    from broadcast.translate import memory

    sources = {s.position: s.source for s in translation.segments}
    for segment in done:
        previous = sources.get(segment.position - 1)
        memory.add(
            db,
            segment.source,
            segment.target,
            translation.language,
            previous=previous,
            origin="approval",
            created_by=by,
            share=share,
        )
