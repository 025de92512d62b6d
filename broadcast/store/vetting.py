"""Vetting of a script's own (Vietnamese) content: steps in the review audit, approvals in
the append-only approvals table (migration 9 adds who approved their own text).

The stage logic (who may do what, the four-eyes rule, the states) is in
``broadcast.review.vetting``; this module only reads and writes rows, inside the caller's
transaction where it writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from broadcast.store.db import Connection, Database

SUBMIT = "submit"
APPROVE = "approve-source"
RETURN = "return"

# Audit actions that change a text by a person's hand: the four-eyes rule looks for the
# latest of these.
EDIT_ACTIONS = ("edit", "import", "import-as-draft", "edit-source")
# The step ``insert_script`` records when a script (or a new version of it) is made, naming
# who ran produce or ``script build --save``: that person wrote this text as much as anyone
# who edits it later, so for the script's own language it counts as a change too.
CREATE_ACTION = "draft"


@dataclass(frozen=True)
class Step:
    action: str
    actor: str
    role: str
    at: str
    comment: str


@dataclass(frozen=True)
class SourceApproval:
    by: str
    role: str
    at: str
    sha256: str
    self_approved: bool


def script_language(db: Database, script_id: int) -> str | None:
    row = db.conn.execute("SELECT language FROM scripts WHERE id = ?", (script_id,)).fetchone()
    return None if row is None else str(row[0])


def script_label(db: Database, script_id: int) -> str:
    row = db.conn.execute("SELECT slug FROM scripts WHERE id = ?", (script_id,)).fetchone()
    return f"'{row[0]}'" if row is not None else f"số {script_id}"


def source_texts(conn: Connection, script_id: int) -> list[tuple[str, str]]:
    """(written, spoken) of every sentence in order, read in the caller's transaction."""
    rows = conn.execute(
        "SELECT written, spoken FROM sentences WHERE script_id = ? ORDER BY position",
        (script_id,),
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def rebind_digests(conn: Connection, script_id: int) -> int:
    """Store each sentence's digest of its text as it is now, where it is missing or wrong
    (a change made behind the toolkit's back cleared it): called only when a content
    approver approves exactly these texts. Returns how many sentences were re-bound."""
    from broadcast.store.hashes import sentence_sha256

    rows = conn.execute(
        "SELECT id, written, spoken, text_sha256 FROM sentences WHERE script_id = ?",
        (script_id,),
    ).fetchall()
    stale = [
        (sentence_sha256(str(r[1]), str(r[2])), int(r[0]))
        for r in rows
        if r[3] != sentence_sha256(str(r[1]), str(r[2]))
    ]
    conn.executemany("UPDATE sentences SET text_sha256 = ? WHERE id = ?", stale)
    return len(stale)


def latest_event(db: Database, script_id: int, language: str) -> Step | None:
    """The latest vetting step of the script's own language (a void counts as none: the
    step before it says whether the script was submitted)."""
    row = db.conn.execute(
        "SELECT action, actor, role, at, detail FROM review_audit"
        " WHERE script_id = ? AND language = ? AND position IS NULL AND action IN (?,?,?)"
        " ORDER BY id DESC LIMIT 1",
        (script_id, language, SUBMIT, APPROVE, RETURN),
    ).fetchone()
    if row is None:
        return None
    return Step(str(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]))


def latest_source_approval_row(
    db: Database, script_id: int, language: str
) -> SourceApproval | None:
    row = db.conn.execute(
        "SELECT approved_by, role, approved_at, sha256, self_approved, kind FROM approvals"
        " WHERE script_id = ? AND language = ? AND segment_id IS NULL"
        " ORDER BY id DESC LIMIT 1",
        (script_id, language),
    ).fetchone()
    if row is None or row[5] != "approve":
        return None
    return SourceApproval(str(row[0]), str(row[1]), str(row[2]), str(row[3]), bool(row[4]))


def last_editor(
    conn: Connection, script_id: int, language: str, position: int | None = None
) -> str | None:
    """Login of whoever last changed the text by hand: of one segment (``position``) or of
    any sentence of the script (None)."""
    marks = ",".join("?" * len(EDIT_ACTIONS))
    row = conn.execute(
        "SELECT actor FROM review_audit WHERE script_id = ? AND language = ?"
        f" AND (CAST(? AS INTEGER) IS NULL OR position = ?) AND action IN ({marks})"
        " ORDER BY id DESC LIMIT 1",
        (script_id, language, position, position, *EDIT_ACTIONS),
    ).fetchone()
    return None if row is None else str(row[0])


@dataclass(frozen=True)
class Change:
    """The latest change of a script's own text: who, and whether they made or edited it."""

    actor: str
    action: str

    @property
    def created(self) -> bool:
        return self.action == CREATE_ACTION


def last_script_change(conn: Connection, script_id: int, language: str) -> Change | None:
    """Who last changed the script's own (``language``) text: by editing any sentence, or by
    making this version (the creation step, script-wide). None for a script made before the
    audit named its maker (nobody to hold to the four-eyes rule)."""
    actions = (*EDIT_ACTIONS, CREATE_ACTION)
    marks = ",".join("?" * len(actions))
    row = conn.execute(
        "SELECT actor, action FROM review_audit WHERE script_id = ? AND language = ?"
        f" AND action IN ({marks}) AND (action != ? OR position IS NULL)"
        " ORDER BY id DESC LIMIT 1",
        (script_id, language, *actions, CREATE_ACTION),
    ).fetchone()
    return None if row is None else Change(str(row[0]), str(row[1]))


def record_step(
    conn: Connection,
    script_id: int,
    language: str,
    action: str,
    actor: str,
    role: str,
    *,
    comment: str = "",
    sha256: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO review_audit (script_id, language, position, action, actor, role, detail,"
        " sha256) VALUES (?,?,NULL,?,?,?,?,?)",
        (script_id, language, action, actor, role, comment, sha256),
    )


def record_source_approval(
    conn: Connection,
    script_id: int,
    language: str,
    digest: str,
    *,
    by: str,
    role: str,
    self_approved: bool,
    comment: str = "",
) -> None:
    """The approval row (what the gate and the SQL views read) and its audit step."""
    conn.execute(
        "INSERT INTO approvals (script_id, language, approved_by, role, sha256, self_approved)"
        " VALUES (?,?,?,?,?,?)",
        (script_id, language, by, role, digest, int(self_approved)),
    )
    detail = comment
    if self_approved:
        detail = f"tự duyệt (four_eyes = false){'; ' + comment if comment else ''}"
    record_step(conn, script_id, language, APPROVE, by, role, comment=detail, sha256=digest)


def void_source_approval(conn: Connection, script_id: int, language: str, *, by: str) -> None:
    """A 'void' row: the approval no longer holds (the approvals_sweep trigger then takes
    the script's renders off the plan)."""
    row = conn.execute(
        "SELECT sha256 FROM approvals WHERE script_id = ? AND language = ? AND segment_id IS NULL"
        " ORDER BY id DESC LIMIT 1",
        (script_id, language),
    ).fetchone()
    digest = str(row[0]) if row is not None else ""
    conn.execute(
        "INSERT INTO approvals (script_id, language, approved_by, role, sha256, kind)"
        " VALUES (?,?,?,?,?,'void')",
        (script_id, language, by, "content_approver", digest),
    )


def self_approval_count(db: Database, since: str | None = None, until: str | None = None) -> int:
    """How many approvals (of scripts or segments) were made by the person who last edited
    the text, under a station that switched the four-eyes rule off: shown in reports."""
    row = db.conn.execute(
        "SELECT COUNT(*) FROM approvals WHERE kind = 'approve' AND self_approved = 1"
        " AND (CAST(? AS TEXT) IS NULL OR approved_at >= ?)"
        " AND (CAST(? AS TEXT) IS NULL OR approved_at < ?)",
        (since, since, until, until),
    ).fetchone()
    return int(row[0] or 0)
