"""The on-air gate: only a fully approved script of a language may be voiced, rendered or
scheduled in that language.

Voice, render and schedule stages ask here rather than reading review tables themselves, so
the rule lives in one place. The database view ``approved_languages`` says the same thing in
SQL (the schedule's trigger uses it); the functions below also recompute every approval hash,
so a text changed behind the triggers' back is still refused.
"""

from __future__ import annotations

from broadcast.errors import InputError
from broadcast.store import translations as store
from broadcast.store.db import Database


def is_approved(db: Database, script_id: int, language: str) -> bool:
    """True when ``language`` of the script may go on air (the source language always may)."""
    source = store.script_language(db, script_id)
    if source is None:
        return False
    if language == source:
        return True
    if not store.listed_as_approved(db, script_id, language):
        return False
    translation = store.load_translation(db, script_id, language)
    positions = [p for p, _role, _text in store.script_sentences(db, script_id)]
    return [s.position for s in translation.segments] == positions and all(
        s.approval_valid for s in translation.segments
    )


def require_approved(db: Database, script_id: int, language: str) -> None:
    """Raise a Vietnamese InputError naming the script and language unless approved."""
    if is_approved(db, script_id, language):
        return
    if store.script_language(db, script_id) is None:
        raise InputError(f"Không có kịch bản số {script_id} trong cơ sở dữ liệu.")
    raise InputError(
        f"Kịch bản {store.script_label(db, script_id)} chưa được duyệt bằng "
        f"{store.language_name(language)} ({language}): chỉ bản dịch đã duyệt hết mọi câu "
        "mới được đọc, dựng hoặc lên lịch phát; xem 'broadcast review show'."
    )


def approved_sentences(db: Database, script_id: int, language: str) -> list[str]:
    """The approved text per script sentence position; for the source language, the
    script's written forms (voice stages keep using the spoken forms for Vietnamese)."""
    require_approved(db, script_id, language)
    if language == store.script_language(db, script_id):
        return [text for _p, _role, text in store.script_sentences(db, script_id)]
    translation = store.load_translation(db, script_id, language)
    return [s.target for s in translation.segments]
