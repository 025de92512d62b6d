"""``translate --update``: re-fill only the draft segments nobody has touched.

Target strings are OBVIOUSLY SYNTHETIC ("‹blt› XX …", "ZZ-term"), built by
``synthetic_target`` or written here: no Thái or Mông is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import open_db, raw_sql, run, store_url
from review_fixtures import SENTENCES, save, synthetic_target, workspace

from broadcast.languages import registry
from broadcast.review import gate
from broadcast.review.model import ReviewState, Segment, Translation, text_sha256
from broadcast.store.db import Database
from broadcast.store.translations import listed_as_approved, load_translation, set_targets
from broadcast.translate import memory, termbase
from broadcast.translate.draft import DraftSegment, plan_refill
from broadcast.translate.values import Term, TermStatus

TERM_TARGET = "‹blt› ZZ-term"  # synthetic approved target of 'cải cách hành chính'
NEW_TM = "‹blt› XX-C-new 239/QĐ-UBND 27/01/2026 15 ZZ."  # synthetic memory target

pytestmark = pytest.mark.backends


def add_term(db: Database, term: str, target: str) -> None:
    languages = termbase.StationLanguages(codes=("vi", "blt", "hmn"), registry=registry())
    termbase.add_term(
        db, Term(term=term, language="blt", target=target, status=TermStatus.APPROVED), languages
    )


def snapshot(root: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row the update could touch, targets as raw bytes (byte-identical checks)."""
    conn = raw_sql(root)
    # The target's bytes as stored: SQLite's BLOB cast, PostgreSQL's UTF-8 encoding of it.
    as_bytes = "CAST(g.target AS BLOB)" if store_url() is None else "convert_to(g.target, 'UTF8')"
    try:
        return {
            "segments": conn.execute(
                f"SELECT g.position, {as_bytes}, g.origin, g.score, g.terms, g.state,"
                " g.approved_sha256, g.note FROM segments g JOIN translations t"
                " ON t.id = g.translation_id WHERE t.language = 'blt' ORDER BY g.position"
            ).fetchall(),
            "translations": conn.execute("SELECT * FROM translations ORDER BY id").fetchall(),
            "approvals": conn.execute("SELECT * FROM approvals ORDER BY id").fetchall(),
            "audit": conn.execute("SELECT * FROM review_audit ORDER BY id").fetchall(),
        }
    finally:
        conn.close()


def drafted(tmp_path: Path, to: str = "blt") -> tuple[Path, str]:
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    with ws.open_db() as db:
        memory.add(db, SENTENCES[0][1], synthetic_target(0), "blt")  # exact match for #0
    result = run("-w", ws.root, "translate", saved.slug, "--to", to, "--engine", "none")
    assert result.exit_code == 0, result.stderr
    return ws.root, saved.slug


def test_update_refills_only_untouched_segments(tmp_path: Path) -> None:
    root, slug = drafted(tmp_path)
    # #0 approved (a memory draft), #3 edited, #4 an editor's text left in state 'draft'
    # (as an import may leave it): none of the three may change.
    approved = run("-w", root, "review", "approve", slug, "--lang", "blt", "--segment", "1")
    assert approved.exit_code == 0, approved.stderr
    with open_db(root) as db:
        translation = load_translation(db, 1, "blt")
        set_targets(
            db,
            translation,
            {3: synthetic_target(3), 4: synthetic_target(4)},
            actor="Bình",
            states={4: ReviewState.DRAFT},
        )
    with open_db(root) as db:
        segs = load_translation(db, 1, "blt").segments
        assert [(s.origin, s.state) for s in segs[:5]] == [
            ("tm-exact", ReviewState.APPROVED),
            ("empty", ReviewState.DRAFT),
            ("empty", ReviewState.DRAFT),
            ("editor", ReviewState.IN_REVIEW),
            ("editor", ReviewState.DRAFT),
        ]

    refused = run("-w", root, "translate", slug, "--to", "blt", "--engine", "none")
    assert refused.exit_code == 2
    assert "--update" in refused.stderr and "đã có bản dịch" in refused.stderr

    # The memory and glossary grow, including entries for the touched segments.
    with open_db(root) as db:
        add_term(db, "cải cách hành chính", TERM_TARGET)
        memory.add(db, SENTENCES[2][1], NEW_TM, "blt")
        for position in (0, 3, 4):
            memory.add(db, SENTENCES[position][1], f"‹blt› XX-other-{position} ZZ.", "blt")
    before = snapshot(root)

    result = run(
        "-w", root, "translate", slug, "--to", "blt", "--update", "--engine", "none", "--by", "Chi"
    )
    assert result.exit_code == 0, result.stderr
    assert "blt: 2 đoạn được điền lại (bộ nhớ 1, thuật ngữ 1), 4 đoạn giữ nguyên." in result.output
    after = snapshot(root)
    rows = {r[0]: r for r in after["segments"]}
    old = {r[0]: r for r in before["segments"]}
    assert rows[1][1:4] == (TERM_TARGET.encode(), "glossary", None)
    assert rows[2][1:4] == (NEW_TM.encode(), "tm-exact", 100.0)
    assert rows[1][5] == rows[2][5] == "draft"  # still drafts: nobody reviewed them yet
    for position in (0, 3, 4, 5):  # approved, edited, editor-draft, no source: untouched
        assert rows[position] == old[position]
    assert rows[0][1] == synthetic_target(0).encode()

    # Approvals stay valid and the gate agrees with the view; nothing was voided.
    assert after["approvals"] == before["approvals"]
    assert after["translations"] == before["translations"]
    new_audit = after["audit"][len(before["audit"]) :]
    assert after["audit"][: len(before["audit"])] == before["audit"]
    assert [(r[4], r[5], r[6]) for r in new_audit] == [(None, "redraft", "chi")]  # --by Chi
    assert "#2 glossary" in new_audit[0][8] and "#3 tm-exact" in new_audit[0][8]
    with open_db(root) as db:
        first = load_translation(db, 1, "blt").segments[0]
        assert first.approval_valid and first.approved_sha256 == text_sha256(synthetic_target(0))
        assert gate.is_approved(db, 1, "blt") is listed_as_approved(db, 1, "blt") is False

    # Second run: nothing left to improve, nothing written (not even an audit row).
    again = run("-w", root, "translate", slug, "--to", "blt", "--update", "--engine", "none")
    assert again.exit_code == 0, again.stderr
    assert "blt: không đoạn nào được điền lại, 6 đoạn giữ nguyên." in again.output
    assert snapshot(root) == after


def test_update_keeps_an_approved_translation_on_air_and_drafts_new_languages(
    tmp_path: Path,
) -> None:
    root, slug = drafted(tmp_path)
    with open_db(root) as db:
        translation = load_translation(db, 1, "blt")
        set_targets(
            db, translation, {p: synthetic_target(p) for p in range(len(SENTENCES))}, actor="Bình"
        )
    assert run("-w", root, "review", "approve", slug, "--lang", "blt").exit_code == 0
    with open_db(root) as db:
        assert gate.is_approved(db, 1, "blt")
        add_term(db, "cải cách hành chính", TERM_TARGET)
        memory.add(db, SENTENCES[2][1], NEW_TM, "blt")
    before = snapshot(root)

    result = run("-w", root, "translate", slug, "--to", "blt,hmn", "--update", "--engine", "none")
    assert result.exit_code == 0, result.stderr
    assert "blt: không đoạn nào được điền lại, 6 đoạn giữ nguyên." in result.output
    assert "hmn: 6 đoạn — bộ nhớ 0" in result.output  # a language without a draft: drafted
    after = snapshot(root)
    assert after["segments"] == before["segments"]
    assert after["approvals"] == before["approvals"]
    with open_db(root) as db:
        assert gate.is_approved(db, 1, "blt") and listed_as_approved(db, 1, "blt")
        assert [s.target for s in load_translation(db, 1, "hmn").segments] == [""] * 6


def _segment(position: int, target: str, origin: str, score: float | None = None) -> Segment:
    return Segment(
        id=position + 1,
        position=position,
        role="body",
        source=SENTENCES[position][1],
        target=target,
        origin=origin,
        score=score,
        terms=(),
        state=ReviewState.DRAFT,
        approved_sha256=None,
    )


def test_a_refill_never_steps_down() -> None:
    # An earlier machine draft is not wiped by a run without the MT model; a weaker fuzzy
    # match does not replace a stronger one; a better source does replace.
    old = (
        _segment(0, "‹blt› XX mt", "mt:argos"),
        _segment(1, "‹blt› XX fuzzy 90", "tm-fuzzy", 90.0),
        _segment(2, "‹blt› XX mt 2", "mt:argos"),
        _segment(3, "", "empty"),
    )
    translation = Translation(
        id=1,
        script_id=1,
        slug="s",
        title="t",
        language="blt",
        state=ReviewState.DRAFT,
        engine=None,
        segments=old,
    )
    new = [
        DraftSegment(0, SENTENCES[0][1], "", "empty"),
        DraftSegment(1, SENTENCES[1][1], "‹blt› XX fuzzy 75", "tm-fuzzy", 75.0),
        DraftSegment(2, SENTENCES[2][1], NEW_TM, "tm-exact", 100.0),
        DraftSegment(3, SENTENCES[3][1], "", "empty"),
    ]
    refills, terms_only = plan_refill(translation, new)
    assert [s.position for s in refills] == [2]
    assert terms_only == []
