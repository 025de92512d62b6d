"""Translations, segments, approvals and the review audit trail (migration 4).

The approval invariants are enforced by triggers in the schema (see ``db.py``); this module
adds the writes the review workflow makes and records every one of them in ``review_audit``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from broadcast.errors import ChangedMeanwhile, InputError, NotFound
from broadcast.languages import LANGUAGES
from broadcast.model.review import (
    AuditEntry,
    DraftSegment,
    ReviewState,
    Segment,
    SegmentTerm,
    Translation,
    TranslationSummary,
    text_sha256,
)
from broadcast.store.db import Connection, Cursor, Database


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def script_sentences(db: Database, script_id: int) -> list[tuple[int, str, str]]:
    """(position, role, written) of a stored script, in order."""
    rows = db.conn.execute(
        "SELECT position, role, written FROM sentences WHERE script_id = ? ORDER BY position",
        (script_id,),
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def translation_exists(db: Database, script_id: int, language: str) -> bool:
    row = db.conn.execute(
        "SELECT 1 FROM translations WHERE script_id = ? AND language = ?", (script_id, language)
    ).fetchone()
    return row is not None


def create_translation(
    db: Database,
    *,
    script_id: int,
    language: str,
    engine: str | None,
    segments: Sequence[DraftSegment],
    actor: str,
) -> int:
    """Store a new draft; refuses a second translation of the same script and language."""
    with db.transaction() as conn:
        if translation_exists(db, script_id, language):
            raise InputError(
                f"Kịch bản số {script_id} đã có bản dịch {language_name(language)}; "
                "sửa nó bằng 'broadcast review edit'."
            )
        translation_id = int(
            conn.execute(
                "INSERT INTO translations (script_id, language, engine) VALUES (?, ?, ?)"
                " RETURNING id",
                (script_id, language, engine),
            ).fetchone()[0]
        )
        for seg in segments:
            conn.execute(
                "INSERT INTO segments (translation_id, position, source, target, origin, score,"
                " terms, origin_from) VALUES (?,?,?,?,?,?,?,?)",
                (
                    translation_id,
                    seg.position,
                    seg.source,
                    seg.target,
                    seg.origin,
                    seg.score,
                    _terms_json(seg.terms),
                    seg.origin_from,
                ),
            )
        _audit(
            conn,
            script_id,
            language,
            None,
            "draft",
            actor,
            detail=f"{len(segments)} đoạn, công cụ {engine or 'không'}",
        )
    return translation_id


# Only a segment nobody has touched may be re-drafted: still a draft, never approved, and
# never written by an editor (an import can leave an editor's text in state 'draft').
# Repeated in every UPDATE, so a segment edited or approved since it was loaded is skipped;
# 'state' is never in the SET list, so the approval triggers of migration 4 do not fire.
_UNTOUCHED = "state = 'draft' AND approved_sha256 IS NULL AND origin != 'editor'"


def refill_segments(
    db: Database,
    translation: Translation,
    refills: Sequence[DraftSegment],
    terms_only: Sequence[DraftSegment] = (),
    *,
    actor: str,
) -> list[int]:
    """Put re-drafted texts into untouched segments; returns the positions refilled.

    ``terms_only`` segments keep their text and only get the current glossary terms listed
    beside them. One audit row names every refilled segment; nothing is written (not even
    the audit row) when nothing changed, so a repeated update is a no-op.
    """
    done: list[DraftSegment] = []
    with db.transaction() as conn:
        for seg in refills:
            seen = translation.segment_at(seg.position)
            # Also still the text the redraft replaced: another run may have refilled it.
            cursor = conn.execute(
                "UPDATE segments SET target = ?, origin = ?, score = ?, terms = ?, origin_from = ?"
                f" WHERE translation_id = ? AND position = ? AND {_UNTOUCHED} AND target = ?",
                (
                    seg.target,
                    seg.origin,
                    seg.score,
                    _terms_json(seg.terms),
                    seg.origin_from,
                    translation.id,
                    seg.position,
                    seg.target if seen is None else seen.target,
                ),
            )
            if cursor.rowcount == 1:
                done.append(seg)
        for seg in terms_only:
            conn.execute(
                "UPDATE segments SET terms = ?"
                f" WHERE translation_id = ? AND position = ? AND {_UNTOUCHED}",
                (_terms_json(seg.terms), translation.id, seg.position),
            )
        if done:
            _audit(
                conn,
                translation.script_id,
                translation.language,
                None,
                "redraft",
                actor,
                detail=f"{len(done)} đoạn điền lại: "
                + ", ".join(f"#{s.position + 1} {s.origin}" for s in done),  # numbered from 1
            )
    return [s.position for s in done]


def load_translation(db: Database, script_id: int, language: str) -> Translation:
    row = db.conn.execute(
        "SELECT t.id, t.script_id, s.slug, s.title, t.language, t.state, t.engine"
        " FROM translations t JOIN scripts s ON s.id = t.script_id"
        " WHERE t.script_id = ? AND t.language = ?",
        (script_id, language),
    ).fetchone()
    if row is None:
        raise NotFound(
            f"Kịch bản số {script_id} chưa có bản dịch {language_name(language)}; "
            f"tạo bản nháp bằng 'broadcast translate {script_id} --to {language}'."
        )
    segs = db.conn.execute(
        "SELECT g.id, g.position, COALESCE(x.role, 'body'), g.source, g.target, g.origin,"
        " g.score, g.terms, g.state, g.approved_sha256, g.note, g.origin_from FROM segments g"
        " LEFT JOIN sentences x ON x.script_id = ? AND x.position = g.position"
        " WHERE g.translation_id = ? ORDER BY g.position",
        (script_id, row[0]),
    ).fetchall()
    return Translation(
        id=row[0],
        script_id=row[1],
        slug=row[2],
        title=row[3],
        language=row[4],
        state=ReviewState(row[5]),
        engine=row[6],
        segments=tuple(
            Segment(
                id=s[0],
                position=s[1],
                role=s[2],
                source=s[3],
                target=s[4],
                origin=s[5],
                score=s[6],
                terms=_terms_from_json(s[7]),
                state=ReviewState(s[8]),
                approved_sha256=s[9],
                note=s[10],
                origin_from=s[11],
            )
            for s in segs
        ),
    )


def list_translations(db: Database, language: str | None = None) -> list[TranslationSummary]:
    rows = db.conn.execute(
        "SELECT t.script_id, s.slug, s.title, t.language, t.state, COUNT(g.id),"
        " SUM(CASE WHEN g.state = 'approved' THEN 1 ELSE 0 END)"
        " FROM translations t JOIN scripts s ON s.id = t.script_id"
        " LEFT JOIN segments g ON g.translation_id = t.id"
        " WHERE (CAST(? AS TEXT) IS NULL OR t.language = ?)"
        " GROUP BY t.id, s.slug, s.title ORDER BY t.script_id, t.language",
        (language, language),
    ).fetchall()
    return [
        TranslationSummary(
            script_id=r[0],
            slug=r[1],
            title=r[2],
            language=r[3],
            state=ReviewState(r[4]),
            segments=int(r[5]),
            approved=int(r[6] or 0),
        )
        for r in rows
    ]


def set_targets(
    db: Database,
    translation: Translation,
    targets: Mapping[int, str],
    *,
    actor: str,
    action: str = "edit",
    states: Mapping[int, ReviewState] | None = None,
) -> list[int]:
    """Write editors' texts (by position); returns the positions that changed.

    A changed text becomes 'in_review' with origin 'editor'; changing an approved text is
    voided by the schema's trigger as well, so no caller can keep a stale approval.
    ``states`` lets an import carry a non-approving state for a segment (never 'approved').
    """
    changed: list[int] = []
    states = states or {}
    with db.transaction() as conn:
        for segment in translation.segments:
            new_state = states.get(segment.position)
            if new_state is ReviewState.APPROVED:
                raise ValueError("approval is only recorded by approve_segments")
            text = targets.get(segment.position, segment.target)
            if text != segment.target:
                _changed_or_refuse(
                    conn.execute(
                        "UPDATE segments SET target = ?, origin = 'editor', score = NULL,"
                        " origin_from = '' WHERE id = ? AND target = ? AND state = ?",
                        (text, segment.id, segment.target, segment.state.value),
                    ),
                    translation,
                    segment,
                )
                conn.execute(
                    "UPDATE segments SET state = ?, approved_sha256 = NULL WHERE id = ?",
                    ((new_state or ReviewState.IN_REVIEW).value, segment.id),
                )
                _audit(
                    conn,
                    translation.script_id,
                    translation.language,
                    segment.position,
                    action,
                    actor,
                    detail=_diff_detail(segment.target, text),
                    sha256=text_sha256(text),
                )
                changed.append(segment.position)
            elif new_state is not None and new_state is not segment.state:
                if segment.state is ReviewState.APPROVED:
                    continue  # an import never un-approves an unchanged approved text
                _changed_or_refuse(
                    conn.execute(
                        "UPDATE segments SET state = ? WHERE id = ? AND target = ? AND state = ?",
                        (new_state.value, segment.id, segment.target, segment.state.value),
                    ),
                    translation,
                    segment,
                )
                _audit(
                    conn,
                    translation.script_id,
                    translation.language,
                    segment.position,
                    f"{action}-state",
                    actor,
                    detail=f"{segment.state.value} -> {new_state.value}",
                )
                changed.append(segment.position)
        refresh_state(conn, translation.id)
    return changed


def approve_segments(
    db: Database,
    translation: Translation,
    positions: Iterable[int],
    *,
    by: str,
    role: str,
    self_approved: Iterable[int] = (),
) -> list[Segment]:
    """Approve the given segments (already checked by QA); returns those newly approved.
    ``self_approved``: positions whose approver last edited them (four-eyes rule off),
    recorded as such on their approvals rows."""
    own = set(self_approved)
    wanted = set(positions)
    done: list[Segment] = []
    with db.transaction() as conn:
        # Read again under the write lock: the approval hashes the text as it is now, and
        # only if it is still the text the approver saw (and QA checked) in ``translation``.
        current = _reloaded(db, translation, wanted)
        records = latest_segment_approvals(db, translation.id)
        for segment in current.segments:
            genuine = segment.approval_valid and records.get(segment.id) == (
                "approve",
                segment.approved_sha256,
            )
            if segment.position not in wanted or genuine:
                continue
            digest = text_sha256(segment.target)
            _changed_or_refuse(
                conn.execute(
                    "UPDATE segments SET state = 'approved', approved_sha256 = ?, note = ''"
                    " WHERE id = ? AND target = ? AND state = ?",
                    (digest, segment.id, segment.target, segment.state.value),
                ),
                translation,
                segment,
            )
            conn.execute(
                "INSERT INTO approvals (script_id, language, segment_id, approved_by, role,"
                " sha256, self_approved) VALUES (?,?,?,?,?,?,?)",
                (
                    translation.script_id,
                    translation.language,
                    segment.id,
                    by,
                    role,
                    digest,
                    int(segment.position in own),
                ),
            )
            _audit(
                conn,
                translation.script_id,
                translation.language,
                segment.position,
                "approve",
                by,
                role=role,
                detail="tự duyệt (four_eyes = false)" if segment.position in own else "",
                sha256=digest,
            )
            done.append(segment)
        state = refresh_state(conn, translation.id)
        if state is ReviewState.APPROVED:
            whole = text_sha256(
                whole_text(load_translation(db, translation.script_id, translation.language))
            )
            conn.execute(
                "INSERT INTO approvals (script_id, language, approved_by, role, sha256)"
                " VALUES (?,?,?,?,?)",
                (translation.script_id, translation.language, by, role, whole),
            )
            _audit(
                conn,
                translation.script_id,
                translation.language,
                None,
                "approve-script",
                by,
                role=role,
                sha256=whole,
            )
    return done


def reject_segments(
    db: Database,
    translation: Translation,
    positions: Iterable[int],
    *,
    by: str,
    role: str,
    note: str,
) -> list[int]:
    """Send segments back to the translator with a note; approved ones lose their approval."""
    wanted = set(positions)
    rejected: list[int] = []
    with db.transaction() as conn:
        current = _reloaded(db, translation, wanted)
        for segment in current.segments:
            if segment.position not in wanted:
                continue
            _changed_or_refuse(
                conn.execute(
                    "UPDATE segments SET state = 'changes_requested', approved_sha256 = NULL,"
                    " note = ? WHERE id = ? AND target = ? AND state = ?",
                    (note, segment.id, segment.target, segment.state.value),
                ),
                translation,
                segment,
            )
            _audit(
                conn,
                translation.script_id,
                translation.language,
                segment.position,
                "reject",
                by,
                role=role,
                detail=note,
            )
            rejected.append(segment.position)
        refresh_state(conn, translation.id)
    return rejected


def audit_trail(db: Database, script_id: int, language: str | None = None) -> list[AuditEntry]:
    rows = db.conn.execute(
        "SELECT at, language, position, action, actor, role, detail, sha256 FROM review_audit"
        " WHERE script_id = ? AND (CAST(? AS TEXT) IS NULL OR language = ?) ORDER BY id",
        (script_id, language, language),
    ).fetchall()
    return [AuditEntry(*r) for r in rows]


def record_event(
    db: Database,
    script_id: int,
    language: str,
    action: str,
    actor: str,
    detail: str = "",
    *,
    position: int | None = None,
    role: str = "",
) -> None:
    """An audit row for actions that change no text: exports, refused imports, and
    editors' comments on one segment (``position``)."""
    with db.transaction() as conn:
        _audit(conn, script_id, language, position, action, actor, role=role, detail=detail)


def latest_segment_approvals(db: Database, translation_id: int) -> dict[int, tuple[str, str]]:
    """(kind, sha256) of the latest approvals row of each segment of a translation: the
    record a genuine approval must match (the state column alone proves nothing)."""
    rows = db.conn.execute(
        "SELECT a.segment_id, a.kind, a.sha256 FROM approvals a"
        " JOIN segments g ON g.id = a.segment_id WHERE g.translation_id = ?"
        " AND a.id = (SELECT MAX(b.id) FROM approvals b WHERE b.segment_id = a.segment_id)",
        (translation_id,),
    ).fetchall()
    return {int(r[0]): (str(r[1]), str(r[2])) for r in rows}


def latest_source_approval(db: Database, script_id: int) -> tuple[str, str] | None:
    """(kind, sha256) of the latest whole-script approvals row of a script's own language."""
    row = db.conn.execute(
        "SELECT a.kind, a.sha256 FROM approvals a JOIN scripts s ON s.id = a.script_id"
        " WHERE a.script_id = ? AND a.language = s.language AND a.segment_id IS NULL"
        " ORDER BY a.id DESC LIMIT 1",
        (script_id,),
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def listed_as_approved(db: Database, script_id: int, language: str) -> bool:
    row = db.conn.execute(
        "SELECT 1 FROM approved_languages WHERE script_id = ? AND language = ?",
        (script_id, language),
    ).fetchone()
    return row is not None


def script_language(db: Database, script_id: int) -> str | None:
    row = db.conn.execute("SELECT language FROM scripts WHERE id = ?", (script_id,)).fetchone()
    return None if row is None else str(row[0])


def script_label(db: Database, script_id: int) -> str:
    row = db.conn.execute("SELECT slug FROM scripts WHERE id = ?", (script_id,)).fetchone()
    return f"'{row[0]}'" if row is not None else f"số {script_id}"


def whole_text(translation: Translation) -> str:
    """The text an approval of the whole translation hashes: targets in order, one a line."""
    return "\n".join(s.target for s in translation.segments)


def refresh_state(conn: Connection, translation_id: int) -> ReviewState:
    """A translation's state follows its segments: all approved -> approved; any sent back
    -> changes requested; any touched by an editor or approved -> in review; else draft."""
    states = {
        str(r[0])
        for r in conn.execute(
            "SELECT DISTINCT state FROM segments WHERE translation_id = ?", (translation_id,)
        )
    }
    if states == {"approved"}:
        state = ReviewState.APPROVED
    elif "changes_requested" in states:
        state = ReviewState.CHANGES_REQUESTED
    elif states & {"in_review", "approved"}:
        state = ReviewState.IN_REVIEW
    else:
        state = ReviewState.DRAFT
    conn.execute("UPDATE translations SET state = ? WHERE id = ?", (state.value, translation_id))
    return state


def _reloaded(db: Database, seen: Translation, positions: set[int]) -> Translation:
    """The translation as stored now (call inside the write transaction), refusing if a
    segment at ``positions`` no longer has the text and state the caller decided on."""
    current = load_translation(db, seen.script_id, seen.language)
    for segment in current.segments:
        before = seen.segment_at(segment.position)
        if (
            segment.position in positions
            and before is not None
            and (before.target != segment.target or before.state is not segment.state)
        ):
            raise changed_meanwhile(seen, segment)
    return current


def changed_meanwhile(translation: Translation, segment: Segment) -> ChangedMeanwhile:
    return ChangedMeanwhile(
        f"Đoạn {segment.position + 1} của bản dịch {language_name(translation.language)} "
        f"kịch bản '{translation.slug}' vừa được người khác sửa; hãy mở lại và làm lại."
    )


def _changed_or_refuse(cursor: Cursor, translation: Translation, segment: Segment) -> None:
    """A conditional UPDATE (``WHERE id = ? AND target = ? AND state = ?``) that matched no
    row lost a race with another writer: refuse instead of overwriting their change."""
    if cursor.rowcount != 1:
        raise changed_meanwhile(translation, segment)


def _audit(
    conn: Connection,
    script_id: int,
    language: str,
    position: int | None,
    action: str,
    actor: str,
    *,
    role: str = "",
    detail: str = "",
    sha256: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO review_audit (script_id, language, position, action, actor, role, detail,"
        " sha256) VALUES (?,?,?,?,?,?,?,?)",
        (script_id, language, position, action, actor, role, detail, sha256),
    )


def _diff_detail(old: str, new: str) -> str:
    return json.dumps({"old": old, "new": new}, ensure_ascii=False)


def _terms_json(terms: Sequence[SegmentTerm]) -> str:
    return json.dumps(
        [{"source": t.source, "target": t.target, "forbidden": list(t.forbidden)} for t in terms],
        ensure_ascii=False,
    )


def _terms_from_json(text: str) -> tuple[SegmentTerm, ...]:
    return tuple(
        SegmentTerm(source=t["source"], target=t["target"], forbidden=tuple(t["forbidden"]))
        for t in json.loads(text or "[]")
    )
