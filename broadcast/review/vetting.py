"""Vetting Vietnamese content: a script is approved by a content approver before it airs.

A Vietnamese script goes draft → submitted (chờ duyệt nội dung) → approved (đã duyệt) or
returned (trả lại, with a comment). The approval is a row of the append-only approvals table
(segment_id NULL, the script's own language) holding the SHA-256 of every sentence's written
AND spoken form (``broadcast.store.hashes.script_sha256``), exactly as a translation
approval holds its target's hash: the gate (``review.gate``) recomputes that hash from the
texts stored now, and the triggers of migration 9 append a 'void' row as soon as a sentence
changes, so an approval never outlives its text.

The state is derived, never stored in a column a writer could set: approved while the gate
says so; otherwise the latest vetting event (submit, return, approve-then-voided) decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from broadcast.errors import InputError
from broadcast.model.people import Person, Role
from broadcast.people.permissions import require_role
from broadcast.store import vetting as store
from broadcast.store.db import Database
from broadcast.store.hashes import script_sha256


class VettingState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return VETTING_LABELS[self]


VETTING_LABELS: dict[VettingState, str] = {
    VettingState.DRAFT: "bản nháp",
    VettingState.SUBMITTED: "chờ duyệt nội dung",
    VettingState.APPROVED: "đã duyệt",
    VettingState.RETURNED: "trả lại",
}


@dataclass(frozen=True)
class ScriptVetting:
    """Where a script stands, and the last vetting step that put it there."""

    script_id: int
    state: VettingState
    by: str | None = None  # login of whoever took the last vetting step
    role: str | None = None
    at: str | None = None  # UTC, as stored
    comment: str = ""
    self_approved: bool = False
    voided: bool = False  # an approval that a later change of the text voided

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def approved(self) -> bool:
        return self.state is VettingState.APPROVED


def can_approve(person: Person) -> bool:
    """True when ``person`` may approve (or return) Vietnamese content: a content approver.

    ``produce --approve`` asks this before building anything, so that a person who may not
    approve learns it at once instead of after the renders."""
    return person.has(Role.CONTENT_APPROVER)


def script_state(db: Database, script_id: int) -> ScriptVetting:
    """The vetting state of a stored script (for ``script list/show`` and ``produce``).

    Approved exactly when the gate would let the script's own language on air."""
    from broadcast.review.gate import is_approved

    language = _language(db, script_id)
    latest = store.latest_event(db, script_id, language)
    if is_approved(db, script_id, language):
        approval = store.latest_source_approval_row(db, script_id, language)
        return ScriptVetting(
            script_id,
            VettingState.APPROVED,
            by=approval.by if approval else None,
            role=approval.role if approval else None,
            at=approval.at if approval else None,
            comment=latest.comment if latest and latest.action == store.APPROVE else "",
            self_approved=bool(approval and approval.self_approved),
        )
    if latest is None:
        return ScriptVetting(script_id, VettingState.DRAFT)
    # Submitted, or approved and then voided by a change: waiting (again) for the approver.
    returned = latest.action == store.RETURN
    state = VettingState.RETURNED if returned else VettingState.SUBMITTED
    return ScriptVetting(
        script_id,
        state,
        by=latest.actor,
        role=latest.role,
        at=latest.at,
        comment=latest.comment,
        voided=latest.action == store.APPROVE,
    )


def submit_script(db: Database, script_id: int, person: Person) -> ScriptVetting:
    """Send a draft (or returned) script to the content approvers: "chờ duyệt nội dung".

    Needs the producer role (or content approver). Submitting an already submitted or
    approved script changes nothing and says where it stands."""
    require_role(person, Role.PRODUCER, alternatives=(Role.CONTENT_APPROVER,))
    language = _language(db, script_id)
    current = script_state(db, script_id)
    if current.state in (VettingState.SUBMITTED, VettingState.APPROVED):
        return current
    with db.transaction() as conn:
        store.record_step(
            conn, script_id, language, store.SUBMIT, person.login, _role(person, Role.PRODUCER)
        )
    return script_state(db, script_id)


def approve_script(
    db: Database,
    script_id: int,
    person: Person,
    *,
    comment: str | None = None,
    four_eyes: bool = True,
) -> ScriptVetting:
    """Approve the script's Vietnamese content as it is NOW (written and spoken forms of
    every sentence), in one transaction that reads the texts it hashes.

    Needs the content approver role. ``four_eyes`` is the station setting
    (``Station.four_eyes``, ``[review] four_eyes``): when on, whoever last changed the text
    (made the script or this version of it, or edited a sentence since) cannot approve it;
    when off, a self-approval is recorded as such. A script that is
    already approved is returned unchanged. A draft may be approved directly (``produce
    --approve``): approval implies submission. Raises InputError on refusal."""
    require_role(person, Role.CONTENT_APPROVER)
    language = _language(db, script_id)
    current = script_state(db, script_id)
    if current.approved:
        return current
    with db.transaction() as conn:
        sentences = store.source_texts(conn, script_id)
        if not sentences:
            raise InputError("Kịch bản không có câu nào nên không duyệt được.")
        change = store.last_script_change(conn, script_id, language)
        self_approved = _check_four_eyes(db, script_id, person, change, four_eyes=four_eyes)
        # The approver vets the texts as they are now, so a sentence changed behind the
        # toolkit's back (its digest cleared by the triggers) is bound to its new text.
        store.rebind_digests(conn, script_id)
        store.record_source_approval(
            conn,
            script_id,
            language,
            script_sha256(sentences),
            by=person.login,
            role=Role.CONTENT_APPROVER.value,
            self_approved=self_approved,
            comment=(comment or "").strip(),
        )
    return script_state(db, script_id)


def check_self_approval(
    db: Database, script_id: int | None, person: Person, *, four_eyes: bool
) -> None:
    """Refuse at once (InputError) an approval the four-eyes rule would refuse later:
    ``produce --approve`` asks this before rendering anything. ``script_id`` is the stored
    script that would be approved (an unchanged article's, or one saved earlier), None when
    ``person`` is about to make a new one (and so would approve their own text)."""
    if not four_eyes:
        return
    if script_id is None:
        raise InputError(
            f"'{person.login}' sẽ là người tạo kịch bản từ bài này nên không được tự duyệt nó "
            "(nguyên tắc bốn mắt); hãy bỏ --approve để bản tin chờ duyệt, rồi nhờ một người "
            "khác có vai trò 'duyệt nội dung' duyệt ('broadcast --as TÊN script approve "
            "KỊCH_BẢN'). Đài chỉ có một người có thể tắt nguyên tắc này bằng "
            "'[review] four_eyes = false' trong station.toml."
        )
    if script_state(db, script_id).approved:
        return  # nothing left to approve: produce hands the approved script back
    change = store.last_script_change(db.conn, script_id, _language(db, script_id))
    _check_four_eyes(db, script_id, person, change, four_eyes=four_eyes)


def _check_four_eyes(
    db: Database, script_id: int, person: Person, change: store.Change | None, *, four_eyes: bool
) -> bool:
    """True for a self-approval (allowed with the rule off); raises InputError naming the
    person and saying who can approve instead when the rule forbids it."""
    if change is None or change.actor.casefold() != person.login.casefold():
        return False
    if not four_eyes:
        return True
    label = _label(db, script_id)
    did = "tạo" if change.created else "sửa lần cuối"
    raise InputError(
        f"'{change.actor}' là người {did} kịch bản {label} nên không được tự duyệt (nguyên tắc "
        "bốn mắt); hãy nhờ một người khác có vai trò 'duyệt nội dung' duyệt "
        f"('broadcast --as TÊN script approve {label.strip(chr(39))}'). Đài chỉ có một người "
        "có thể tắt nguyên tắc này bằng '[review] four_eyes = false' trong station.toml."
    )


def return_script(db: Database, script_id: int, person: Person, *, comment: str) -> ScriptVetting:
    """Send a submitted (or approved) script back to its producer with a comment; an
    approval it had is voided (its renders leave the plan through the triggers)."""
    require_role(person, Role.CONTENT_APPROVER)
    if not comment.strip():
        raise InputError("Hãy ghi lý do trả lại (--comment) để người sản xuất biết sửa gì.")
    language = _language(db, script_id)
    current = script_state(db, script_id)
    if current.state in (VettingState.DRAFT, VettingState.RETURNED):
        raise InputError(
            f"Kịch bản {_label(db, script_id)} đang ở trạng thái '{current.label}', chưa được "
            "gửi duyệt nên không trả lại được."
        )
    with db.transaction() as conn:
        if current.approved:
            store.void_source_approval(conn, script_id, language, by=person.login)
        store.record_step(
            conn,
            script_id,
            language,
            store.RETURN,
            person.login,
            Role.CONTENT_APPROVER.value,
            comment=comment.strip(),
        )
    return script_state(db, script_id)


def _language(db: Database, script_id: int) -> str:
    language = store.script_language(db, script_id)
    if language is None:
        raise InputError(
            f"Không có kịch bản số {script_id} trong cơ sở dữ liệu; "
            "xem danh sách bằng 'broadcast script list'."
        )
    return language


def _label(db: Database, script_id: int) -> str:
    return store.script_label(db, script_id)


def _role(person: Person, preferred: Role) -> str:
    """The role recorded for a step: the preferred one when held, else content approver."""
    return preferred.value if person.has(preferred) else Role.CONTENT_APPROVER.value


def last_approved_version(db: Database, script_id: int) -> int | None:
    """The newest earlier version of the same script whose content is approved (by the
    gate, as ``script_state`` says), for the approver's "what changed" diff; None when no
    earlier version was approved."""
    from broadcast.store.lifecycle import versions_of

    versions = versions_of(db, script_id)  # oldest first
    ids = [v.id for v in versions]
    earlier = versions[: ids.index(script_id)] if script_id in ids else []
    for version in reversed(earlier):
        if script_state(db, version.id).approved:
            return version.id
    return None
