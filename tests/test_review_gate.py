"""The on-air gate: a language goes on air only when every sentence of it is approved.

Target strings are OBVIOUSLY SYNTHETIC ("‹blt› XX n"), never invented Thái or Mông.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import approve_content, make_workspace, open_db, raw_sql, run

from broadcast.errors import InputError
from broadcast.review import gate
from broadcast.review.model import DraftSegment, ReviewState
from broadcast.store import translations as store
from broadcast.store.db import Database
from broadcast.store.records import find_script

pytestmark = pytest.mark.backends


def saved_script(tmp_path: Path, seed: Callable[[str], Path]) -> tuple[Path, int]:
    ws = make_workspace(tmp_path / "ws")
    result = run("-w", ws, "script", seed("000"), "--minutes", "1", "--save")
    assert result.exit_code == 0, result.stderr
    slug = result.stderr.split("'")[1]
    with open_db(ws) as db:
        script_id = find_script(db, slug).id
        assert not gate.is_approved(db, script_id, "vi")  # stored as a draft
    # Saved by the first admin: a second person vets it (the four-eyes rule).
    added = run("-w", ws, "user", "add", "tham.dinh", "--name", "Thẩm Định", "--role",
                "content_approver")  # fmt: skip
    assert added.exit_code == 0, added.output
    approve_content(ws / "broadcast.db", script_id, "tham.dinh")
    return ws, script_id


def synthetic_draft(db: Database, script_id: int, language: str = "blt") -> None:
    sentences = store.script_sentences(db, script_id)
    store.create_translation(
        db,
        script_id=script_id,
        language=language,
        engine=None,
        segments=[
            DraftSegment(position=p, source=text, target=f"‹{language}› XX {p}", origin="empty")
            for p, _role, text in sentences
        ],
        actor="test",
    )


def test_gate_follows_approval_and_voids_on_direct_sql(
    tmp_path: Path, seed: Callable[[str], Path]
) -> None:
    ws, script_id = saved_script(tmp_path, seed)
    with open_db(ws) as db:
        # The Vietnamese source, approved by its content approver (saved_script).
        assert gate.is_approved(db, script_id, "vi")
        written = [t for _p, _r, t in store.script_sentences(db, script_id)]
        assert gate.approved_sentences(db, script_id, "vi") == written
        assert len(written) >= 4  # opening, headline, body..., closing
        kinds = [r[0] for r in db.conn.execute("SELECT role FROM approvals").fetchall()]
        assert kinds == ["content_approver"]

        assert not gate.is_approved(db, script_id, "blt")
        with pytest.raises(InputError, match="chưa được duyệt.*blt"):
            gate.require_approved(db, script_id, "blt")

        synthetic_draft(db, script_id)
        translation = store.load_translation(db, script_id, "blt")
        half = [s.position for s in translation.segments][:2]
        store.approve_segments(db, translation, half, by="An", role="reviewer")
        assert store.load_translation(db, script_id, "blt").state is ReviewState.IN_REVIEW
        assert not gate.is_approved(db, script_id, "blt")

        translation = store.load_translation(db, script_id, "blt")
        store.approve_segments(
            db, translation, [s.position for s in translation.segments], by="An", role="reviewer"
        )
        assert store.load_translation(db, script_id, "blt").state is ReviewState.APPROVED
        assert gate.is_approved(db, script_id, "blt")
        assert gate.approved_sentences(db, script_id, "blt")[:2] == ["‹blt› XX 0", "‹blt› XX 1"]
        assert not gate.is_approved(db, script_id, "hmn")

    # A change made with plain SQL, outside the toolkit, still voids the approval.
    conn = raw_sql(ws)
    conn.execute("UPDATE segments SET target = '‹blt› XX changed' WHERE position = 1")
    conn.commit()
    rows = conn.execute(
        "SELECT COUNT(*) FROM approved_languages WHERE script_id = ? AND language = 'blt'",
        (script_id,),
    ).fetchone()
    assert rows[0] == 0
    state = conn.execute("SELECT state, approved_sha256 FROM segments WHERE position = 1")
    assert state.fetchone() == ("in_review", None)
    conn.close()
    with open_db(ws) as db:
        assert not gate.is_approved(db, script_id, "blt")
        assert store.load_translation(db, script_id, "blt").state is ReviewState.IN_REVIEW
        actions = [e.action for e in store.audit_trail(db, script_id, "blt")]
        assert actions[-1] == "void"


def test_translation_cannot_be_marked_approved_with_unapproved_segments(
    tmp_path: Path, seed: Callable[[str], Path]
) -> None:
    ws, script_id = saved_script(tmp_path, seed)
    conn = raw_sql(ws)
    with open_db(ws) as db:
        synthetic_draft(db, script_id, "hmn")
    with pytest.raises(sqlite3.IntegrityError, match="not approved"):
        conn.execute("UPDATE translations SET state = 'approved'")
    # A segment cannot claim approval without the hash of its approved text.
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE segments SET state = 'approved' WHERE position = 0")
    conn.close()


def test_audit_and_approvals_are_append_only(tmp_path: Path, seed: Callable[[str], Path]) -> None:
    ws, script_id = saved_script(tmp_path, seed)
    conn = raw_sql(ws)
    assert conn.execute("SELECT COUNT(*) FROM review_audit").fetchone()[0] == 2  # made, vetted
    for table in ("review_audit", "approvals"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(f"UPDATE {table} SET role = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(f"DELETE FROM {table}")
    assert conn.execute("SELECT COUNT(*) FROM review_audit").fetchone()[0] == 2  # made, vetted
    conn.close()
