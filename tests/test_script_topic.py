"""The CCHC area of an article: guessed from keywords, overridable, validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.errors import InputError
from broadcast.script.build import article_topic
from broadcast.script.model import Topic
from broadcast.script.topic import guess_topic, parse_topic
from broadcast.text.ingest import read_article

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "articles"


def test_online_public_services_is_digital_government() -> None:
    article = read_article(EXAMPLE / "dich-vu-cong-truc-tuyen.md")
    guess = article_topic(article)
    assert guess.topic is Topic.DIGITAL_GOVERNMENT
    assert guess.scores[Topic.DIGITAL_GOVERNMENT] > guess.scores[Topic.PROCEDURES] > 0


def test_seed_plans_on_digital_propaganda_are_digital_government(seed) -> None:
    for number in ("000", "004"):
        assert article_topic(read_article(seed(number))).topic is Topic.DIGITAL_GOVERNMENT


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Bộ phận một cửa giải quyết hồ sơ thủ tục hành chính đúng hạn, không trễ hạn.",
         Topic.PROCEDURES),
        ("Xã sắp xếp tổ chức bộ máy tinh gọn, sáp nhập các đơn vị hành chính cấp thôn.",
         Topic.ORGANISATION),
        ("Siết chặt kỷ luật kỷ cương, đạo đức công vụ của công chức, đánh giá xếp loại.",
         Topic.CIVIL_SERVICE),
        ("Đơn vị thực hiện tự chủ tài chính, công khai dự toán và quyết toán ngân sách.",
         Topic.PUBLIC_FINANCE),
        ("Rà soát văn bản quy phạm pháp luật, hoàn thiện thể chế về đất đai.",
         Topic.INSTITUTIONS),
        ("Hướng dẫn cài đặt VNeID, nộp hồ sơ trực tuyến toàn trình, chuyển đổi số.",
         Topic.DIGITAL_GOVERNMENT),
        ("Thoi gian giai quyet thu tuc hanh chinh tai bo phan mot cua.", Topic.PROCEDURES),
    ],
)  # fmt: skip
def test_keyword_guesses(text: str, topic: Topic) -> None:
    assert guess_topic(text).topic is topic


def test_text_without_keywords_falls_back_to_procedures() -> None:
    assert guess_topic("Trời hôm nay đẹp.").topic is Topic.PROCEDURES


@pytest.mark.parametrize(
    "value",
    ["chinh-quyen-so", "CHINH-QUYEN-SO", "xây dựng chính quyền điện tử, chính quyền số"],
)
def test_parse_topic_accepts_keys_and_names(value: str) -> None:
    assert parse_topic(value) is Topic.DIGITAL_GOVERNMENT


def test_parse_topic_by_short_name() -> None:
    assert parse_topic("thủ tục hành chính") is Topic.PROCEDURES
    assert parse_topic("cải cách tài chính công") is Topic.PUBLIC_FINANCE


def test_parse_topic_rejects_unknown_with_the_valid_list() -> None:
    with pytest.raises(InputError) as info:
        parse_topic("thể thao")
    assert "thể thao" in info.value.message and "chinh-quyen-so" in info.value.message
