"""Subtitle screens and lines are cut at phrases, not inside Vietnamese compound words."""

from __future__ import annotations

from broadcast.video.frames import LANDSCAPE, VERTICAL, split_for_screen, subtitle_block
from broadcast.video.phrasing import best_cuts, compound_gaps, gap_costs

OPENING = "Đây là Đài truyền thanh xã Mường La. Mời bà con nghe Chuyên mục Cải cách hành chính."


def _pairs(words: list[str], gaps: set[int]) -> set[tuple[str, str]]:
    return {(words[i - 1], words[i]) for i in gaps}


def test_compounds_found_by_word_segmentation() -> None:
    words = OPENING.split(" ")
    pairs = _pairs(words, compound_gaps(words))
    assert {("bà", "con"), ("Chuyên", "mục"), ("Cải", "cách")} <= pairs
    assert ("nghe", "Chuyên") not in pairs and ("xã", "Mường") not in pairs


def test_document_codes_do_not_confuse_the_alignment() -> None:
    words = [
        "Theo",
        "Kế",
        "hoạch",
        "số",
        "15/KH-UBND",
        "ngày",
        "27/01/2026",
        "của",
        "Ủy",
        "ban",
        "nhân",
        "dân",
        "xã",
    ]
    pairs = _pairs(words, compound_gaps(words))
    assert ("Kế", "hoạch") in pairs and ("Ủy", "ban") in pairs
    assert ("số", "15/KH-UBND") not in pairs


def test_full_stop_is_the_cheapest_cut() -> None:
    words = OPENING.split(" ")
    costs = gap_costs(words)
    after_stop = words.index("Mời")
    assert costs[after_stop] == min(costs[1:])
    assert costs[words.index("con")] > 0  # inside "bà con"


def test_a_long_sentence_is_cut_at_its_full_stop() -> None:
    parts = split_for_screen(OPENING, VERTICAL)
    assert parts[0].endswith("Mường La.")
    assert " ".join(parts) == OPENING


def test_two_lines_never_split_a_compound_here() -> None:
    for text in (
        "Mời bà con nghe Chuyên mục Cải cách hành chính.",
        "Xã Mường La đẩy mạnh dịch vụ công trực tuyến năm 2026",
    ):
        for size in (VERTICAL, LANDSCAPE):
            lines = subtitle_block(text, size).lines
            assert " ".join(lines) == text
            words = text.split(" ")
            cut = len(lines[0].split(" "))
            assert len(lines) == 1 or cut not in compound_gaps(words), lines


def test_best_cuts_respects_fit_and_says_when_impossible() -> None:
    words = ["một", "hai", "ba", "bốn", "năm", "sáu"]
    parts = best_cuts(words, 2, lambda p: len(p) <= 14)
    assert parts is not None and " ".join(parts) == " ".join(words)
    assert all(len(p) <= 14 for p in parts)
    assert best_cuts(words, 2, lambda p: len(p) <= 5) is None
