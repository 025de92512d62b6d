"""The extractive selection: budget respected, lead favoured, redundancy avoided."""

from __future__ import annotations

import pytest

from broadcast.script.build import prepare_body, summarize_article
from broadcast.script.glossary import load_glossary
from broadcast.script.segment import words
from broadcast.script.summarize import (
    Candidate,
    Weights,
    lead_facts,
    lexrank,
    select,
    similarity_matrix,
    syllables,
)
from broadcast.store.station import Station
from broadcast.text.ingest import read_article

STATION = Station(name="Đài truyền thanh xã Mường La", commune="Mường La", province="Sơn La")
GOOD_SEEDS = ("000", "001", "003", "004")


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


def test_everything_but_the_repeat_fits_a_large_budget_and_nothing_a_zero_one() -> None:
    candidates = _candidates(TEXTS)
    assert select(candidates, 10_000) == [0, 1, 3, 4, 5], "a near-duplicate is never taken"
    assert select(candidates, 0) == []
    assert select([], 100) == []


def test_similarity_uses_words_not_syllables() -> None:
    assert "cải_cách" in words("Đẩy mạnh cải cách hành chính.")
    # "hành" of "hành chính" and of "thực hành" are different words.
    matrix = similarity_matrix(["Cải cách hành chính.", "Thực hành kỹ năng."])
    assert matrix[0][1] == 0.0


def test_lexrank_favours_the_sentence_others_echo() -> None:
    scores = lexrank(similarity_matrix(TEXTS))
    assert abs(sum(scores) - 1) < 1e-6
    assert scores.index(min(scores)) == 3, "the weather sentence echoes nothing"


def test_lead_facts_are_numbers_dates_codes_and_names() -> None:
    facts = lead_facts(
        "Thực hiện Kế hoạch số 15/KH-UBND ngày 27/01/2026, Trung tâm Dịch vụ tổng hợp "
        "xã Mường La đạt 98,5% hồ sơ đúng hạn."
    )
    assert {"15/kh-ubnd", "27/01/2026", "98,5%", "mường la"} <= facts


def test_a_sentence_carrying_the_lead_facts_beats_a_plain_one() -> None:
    texts = [
        "Ngày 27/01/2026, xã Mường La tiếp nhận 1.250 hồ sơ thủ tục hành chính.",
        "Bộ phận một cửa tiếp nhận rất nhiều hồ sơ trực tuyến trong quý này.",
        "Bộ phận một cửa xã Mường La tiếp nhận 1.250 hồ sơ trực tuyến.",
        "Hồ sơ trực tuyến được bộ phận một cửa hướng dẫn và tiếp nhận.",
    ]
    candidates = _candidates(texts)[1:]
    no_lead_rule = Weights(lead_share=0.0)
    chosen = select(
        candidates, max(c.cost for c in candidates), lead=texts[0], weights=no_lead_rule
    )
    assert chosen == [2], "the sentence that repeats the lead's figures and names wins"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


@pytest.mark.parametrize("number", GOOD_SEEDS)
def test_seed_summary_keeps_the_lead_and_its_facts(seed, glossary, number: str) -> None:
    article = read_article(seed(number))
    lead = prepare_body(article, STATION, glossary)[0]
    for minutes in (1, 2, 3):
        summary = summarize_article(article, STATION, glossary, minutes=minutes)
        assert summary.units[0].index == 0, "the lead fits, so it is kept"
        text = " ".join(u.written for u in summary.units).lower()
        facts = lead_facts(lead.written)
        assert facts and all(f in text for f in facts)


@pytest.mark.parametrize("number", GOOD_SEEDS)
def test_seed_summary_has_no_near_duplicate_pair(seed, glossary, number: str) -> None:
    summary = summarize_article(read_article(seed(number)), STATION, glossary, minutes=3)
    matrix = similarity_matrix([u.written for u in summary.units])
    pairs = [
        (i, j) for i in range(len(matrix)) for j in range(i + 1, len(matrix)) if matrix[i][j] >= 0.4
    ]
    assert pairs == []
    assert len({u.written for u in summary.units}) == len(summary.units)


def test_summary_by_words_stays_under_the_count(seed, glossary) -> None:
    article = read_article(seed("000"))
    for count in (60, 150, 400):
        summary = summarize_article(article, STATION, glossary, words=count)
        assert 0.85 * count <= summary.words <= count


def test_summary_sentences_come_in_article_order(seed, glossary) -> None:
    summary = summarize_article(read_article(seed("001")), STATION, glossary, minutes=2)
    indexes = [u.index for u in summary.units]
    assert indexes == sorted(indexes) and len(indexes) > 3
