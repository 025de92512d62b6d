"""Every QA check fires on a bad segment and stays quiet on a good one.

All target strings are OBVIOUSLY SYNTHETIC ("XX blt ...", "‹blt›", code points picked from
the Tai Viet block U+AA80–U+AADF and labelled as such): no Thái or Mông is invented here.
"""

from __future__ import annotations

import pytest

from broadcast.languages import registry
from broadcast.review.model import SegmentTerm
from broadcast.review.qa import Severity, check_segment

SOURCE = "Theo Quyết định 239/QĐ-UBND ngày 12/3/2025, xã có 15 thủ tục trực tuyến."
GOOD = "XX blt 239/QĐ-UBND 12/3/2025 XX 15 XX."
# Synthetic Tai Viet letters (arbitrary code points of the block, not words of any language).
TAVT = "\uaa80\uaa81\uaa82 \uaa8a\uaa8b"
TERM = SegmentTerm(source="thủ tục", target="ZZ-term", forbidden=("ZZ-bad",))


def checks(source: str, target: str, terms: tuple[SegmentTerm, ...] = ()) -> set[str]:
    return {f.check for f in check_segment(0, source, target, terms)}


def test_clean_segment_has_no_findings() -> None:
    assert check_segment(0, SOURCE, GOOD.replace("XX 15", "ZZ-term 15"), (TERM,)) == []


def test_tai_viet_segment_with_carried_code_is_clean() -> None:
    target = f"{TAVT} 239/QĐ-UBND {TAVT} 12/3/2025 {TAVT} 15 {TAVT}."
    assert check_segment(0, SOURCE, target) == []


@pytest.mark.parametrize(
    ("target", "check"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (SOURCE, "untranslated"),
        ("XX blt 12/3/2025 XX 15 XX.", "document-code"),
        ("XX blt 239/QĐ-UBND XX 15 XX.", "date"),
        ("XX blt 239/QĐ-UBND 12/3/2025 XX 16 XX.", "number"),
        ("XX blt 239/QĐ-UBND 12/3/2025 XX 15 XX 99 XX.", "number-extra"),
        ("XX blt 239/QĐ-UBND 12/3/2025 XX 15 {0} XX.", "placeholder"),
        ("XX blt 239/QĐ-UBND 12/3/2025 XX 15 ⟦1⟧ XX.", "placeholder"),
        (f"XX blt 239/QĐ-UBND 12/3/2025 {TAVT} 15 XX.", "mixed-scripts"),
        ("XX blt 239/QĐ-UBND 12/3/2025 XX 15 XX." + " XX padding" * 20, "length"),
        ("XX blt 239/QĐ-UBND  12/3/2025 XX 15 XX.", "double-space"),
        (" XX blt 239/QĐ-UBND 12/3/2025 XX 15 XX.", "edge-space"),
        ("XX blt 239/QĐ-UBND 12/3/2025 XX 15 XX. ", "edge-space"),
        ("XX blt (239/QĐ-UBND 12/3/2025 XX 15 XX.", "brackets"),
        ('XX blt "239/QĐ-UBND 12/3/2025 XX 15 XX.', "quotes"),
        ("XX blt 239/QĐ-UBND 12/3/2025 XX 15 XX", "final-punctuation"),
    ],
)
def test_each_check_fires(target: str, check: str) -> None:
    assert check in checks(SOURCE, target)


def test_glossary_checks() -> None:
    source = "Hướng dẫn thủ tục hành chính."
    assert checks(source, "XX hmn ZZ-term XX.", (TERM,)) == set()
    assert checks(source, "XX hmn XX XX.", (TERM,)) == {"term-missing"}
    assert checks(source, "XX hmn ZZ-term ZZ-bad.", (TERM,)) == {"term-forbidden"}
    # A proposed term (no approved target) is shown to editors but never required.
    proposed = SegmentTerm(source="thủ tục", target=None)
    assert checks(source, "XX hmn XX XX.", (proposed,)) == set()


def test_length_ratio_both_ways() -> None:
    source = "Bà con cần mang theo căn cước công dân khi đến làm thủ tục."
    assert checks(source, "XX blt.") == {"length"}
    assert checks(source, "XX blt XX XX XX XX XX XX XX XX XX XX XX.") == set()


def test_question_mark_must_survive() -> None:
    assert "final-punctuation" in checks("Bà con đã biết chưa?", "XX blt XX XX.")
    assert checks("Bà con đã biết chưa?", "XX blt XX XX?") == set()


def test_severities_block_what_would_mislead_listeners() -> None:
    blocking = {
        f.check
        for f in check_segment(0, SOURCE, "XX blt {0} 12/3/2025 XX 16 XX", (TERM,))
        if f.severity is Severity.ERROR
    }
    assert blocking == {"document-code", "number", "placeholder", "term-missing"}
    warnings = check_segment(0, SOURCE, "XX blt 239/QĐ-UBND  12/3/2025 XX 15 XX")
    assert {f.severity for f in warnings} == {Severity.WARNING}


def test_script_of_the_language() -> None:
    hmn, blt = registry()["hmn"], registry()["blt"]
    source = "Cảm ơn bà con."
    tai_viet_only = f"{TAVT} {TAVT}."
    assert {f.check for f in check_segment(0, source, tai_viet_only, (), hmn)} == {"wrong-script"}
    assert check_segment(0, source, tai_viet_only, (), blt) == []
    assert check_segment(0, source, "XX hmn test ZZ.", (), hmn) == []
