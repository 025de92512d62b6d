"""Glossary protection around an MT engine, and the checks after it.

The engine here is a test engine at the MT edge (the real argos path is in
test_mt_argos.py): it marks what it was sent, so the tests see exactly which pieces went
through MT. Target strings are OBVIOUSLY SYNTHETIC ("‹blt› ZZ-…"), never Thái or Mông.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import make_workspace

from broadcast.errors import EngineError
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.translate.engines import MTEngine
from broadcast.translate.protect import (
    FindingKind,
    Mode,
    check_protected,
    protect,
    translate_protected,
)

TERM = "‹blt› ZZ-UBND-01"  # synthetic approved target
OTHER = "‹blt› ZZ-HS-02"  # synthetic approved target


@dataclass(frozen=True)
class Hit:
    source: str
    target: str | None
    start: int
    end: int


def hit(text: str, source: str, target: str | None, nth: int = 0) -> Hit:
    start = -1
    for _ in range(nth + 1):
        start = text.index(source, start + 1)
    return Hit(source, target, start, start + len(source))


class MarkingEngine(MTEngine):
    """Returns ``XX(text)`` (or a fixed reply) and records every request."""

    name = "marking"

    def __init__(self, workspace: Workspace, reply: str | None = None) -> None:
        super().__init__(workspace)
        self.reply = reply
        self.requests: list[list[str]] = []

    def available(self, source: str, target: str) -> bool:
        return True

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        self.requests.append(list(texts))
        if self.reply is not None:
            return [self.reply for _ in texts]
        return [f"XX({t})" if t else "" for t in texts]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return find_workspace(make_workspace(tmp_path / "ws"))


def test_split_sends_only_the_pieces_between_terms(ws: Workspace) -> None:
    text = "Nộp hồ sơ tại UBND xã, nhận kết quả tại UBND xã."
    item = protect(text, [hit(text, "UBND xã", TERM), hit(text, "UBND xã", TERM, nth=1)])
    assert item.pieces == ("Nộp hồ sơ tại ", ", nhận kết quả tại ", ".")
    engine = MarkingEngine(ws)
    [draft] = translate_protected(engine, [item], "vi", "blt")
    assert engine.requests == [["Nộp hồ sơ tại", ", nhận kết quả tại"]]
    assert draft.text == f"XX(Nộp hồ sơ tại) {TERM}XX(, nhận kết quả tại) {TERM}."
    assert draft.findings == ()


def test_a_sentence_that_is_only_terms_needs_no_engine_call(ws: Workspace) -> None:
    text = "UBND xã"
    engine = MarkingEngine(ws)
    [draft] = translate_protected(engine, [protect(text, [hit(text, text, TERM)])], "vi", "blt")
    assert engine.requests == []
    assert draft.text == TERM


def test_only_approved_terms_are_protected_and_the_longest_overlap_wins() -> None:
    text = "Hồ sơ tại UBND xã Mường La."
    hits = [
        hit(text, "UBND", "‹blt› ZZ-short"),
        hit(text, "UBND xã", TERM),
        hit(text, "Hồ sơ", None),  # proposed only: no approved target, not protected
    ]
    item = protect(text, hits)
    assert [(t.source, t.target) for t in item.terms] == [("UBND xã", TERM)]


def test_placeholders_are_put_back_when_the_model_copies_them(ws: Workspace) -> None:
    text = "Nộp hồ sơ tại UBND xã."
    item = protect(text, [hit(text, "UBND xã", TERM)], Mode.PLACEHOLDER)
    engine = MarkingEngine(ws)
    [draft] = translate_protected(engine, [item], "vi", "blt")
    assert engine.requests == [["Nộp hồ sơ tại ⟦1⟧."]]
    assert draft.text == f"XX(Nộp hồ sơ tại {TERM}.)"
    assert draft.findings == ()


def test_a_lost_placeholder_is_a_finding_not_an_exception(ws: Workspace) -> None:
    text = "Nộp hồ sơ tại UBND xã."
    item = protect(text, [hit(text, "UBND xã", TERM)], Mode.PLACEHOLDER)
    [draft] = translate_protected(MarkingEngine(ws, reply="ZZ nothing kept"), [item], "vi", "blt")
    assert [f.kind for f in draft.findings] == [FindingKind.TERM_MISSING]
    assert draft.findings[0].expected == TERM
    assert "UBND xã" in draft.findings[0].message and TERM in draft.findings[0].message


def test_a_wrong_placeholder_is_left_and_reported(ws: Workspace) -> None:
    text = "Nộp hồ sơ tại UBND xã."
    item = protect(text, [hit(text, "UBND xã", TERM)], Mode.PLACEHOLDER)
    [draft] = translate_protected(MarkingEngine(ws, reply="ZZ ⟦2⟧ kept"), [item], "vi", "blt")
    kinds = sorted(f.kind.value for f in draft.findings)
    assert kinds == ["placeholder-left", "term-missing"]
    assert "⟦2⟧" in draft.text


def test_check_counts_each_term_and_spots_broken_placeholders() -> None:
    text = "UBND xã và UBND xã cùng hồ sơ."
    item = protect(
        text,
        [
            hit(text, "UBND xã", TERM),
            hit(text, "UBND xã", TERM, nth=1),
            hit(text, "hồ sơ", OTHER),
        ],
    )
    good = f"{TERM} XX {TERM} XX {OTHER}."
    assert check_protected(item, good) == []
    once = f"{TERM} XX {OTHER}."
    assert [f.kind for f in check_protected(item, once)] == [FindingKind.TERM_MISSING]
    stray = f"{TERM} XX {TERM} XX {OTHER} ⟦"
    assert [f.kind for f in check_protected(item, stray)] == [FindingKind.PLACEHOLDER_LEFT]


def test_tai_viet_targets_survive_unchanged(ws: Workspace) -> None:
    tai_viet = "\uaa80\uaa92\uaab8\uaa85"  # arbitrary Tai Viet code points, synthetic
    text = "Đăng ký khai sinh tại UBND xã."
    item = protect(text, [hit(text, "khai sinh", tai_viet)])
    [draft] = translate_protected(MarkingEngine(ws), [item], "vi", "blt")
    assert tai_viet in draft.text
    assert draft.text == f"XX(Đăng ký) {tai_viet} XX(tại UBND xã.)"


class ShortEngine(MarkingEngine):
    """Drops the last draft: an engine breaking the one-draft-per-text contract."""

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        return super().translate(texts, source, target)[:-1]


def test_an_engine_returning_too_few_drafts_is_an_engine_error(ws: Workspace) -> None:
    text = "Nộp hồ sơ tại UBND xã."
    with pytest.raises(EngineError, match="trả về 0 bản dịch cho 1 đoạn"):
        translate_protected(ShortEngine(ws), [protect(text, [])], "vi", "blt")
