"""The extractive selection: budget respected, lead favoured, redundancy avoided."""

from __future__ import annotations

from broadcast.script.summarize import Candidate, select, syllables


def _candidates(texts: list[str]) -> list[Candidate]:
    return [Candidate(i, t, syllables(t)) for i, t in enumerate(texts)]


TEXTS = [
    "Ủy ban nhân dân xã Mường La đẩy mạnh cải cách thủ tục hành chính trong năm nay.",
    "Người dân được hướng dẫn nộp hồ sơ thủ tục hành chính trực tuyến tại bộ phận một cửa.",
    "Ủy ban nhân dân xã Mường La đẩy mạnh cải cách thủ tục hành chính trong năm nay nữa.",
    "Thời tiết hôm nay nắng đẹp và có gió nhẹ ở vùng núi.",
    "Bộ phận một cửa của xã tiếp nhận hồ sơ thủ tục hành chính của người dân mỗi ngày.",
    "Cán bộ xã hướng dẫn người dân cài đặt ứng dụng định danh để làm thủ tục hành chính.",
]


def test_syllables_counts_vietnamese_words() -> None:
    assert syllables("Ủy ban nhân dân xã Mường La.") == 7


def test_selection_fits_budget_and_keeps_order() -> None:
    candidates = _candidates(TEXTS)
    for budget in (10, 20, 40, 60):
        chosen = select(candidates, budget)
        assert sum(candidates[i].cost for i in chosen) <= budget
        assert chosen == sorted(chosen)


def test_selection_prefers_the_lead_and_avoids_repeats() -> None:
    chosen = select(_candidates(TEXTS), 40)
    assert 0 in chosen, "the lead sentence carries the news"
    assert 2 not in chosen, "a near-duplicate of the lead adds nothing"
    assert 3 not in chosen, "an off-topic sentence is not central"


def test_everything_fits_a_large_budget_and_nothing_a_zero_one() -> None:
    candidates = _candidates(TEXTS)
    assert select(candidates, 10_000) == list(range(len(TEXTS)))
    assert select(candidates, 0) == []
    assert select([], 100) == []
