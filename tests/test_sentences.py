"""Sentence splitting for radio: real seed sentences and the dots that must not split."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcast.text.ingest import read_article
from broadcast.text.sentences import split_sentences, strip_list_marker

# --- real sentences from the seeds ---------------------------------------------------------


def test_seed_000_objectives_paragraph() -> None:
    paragraph = (
        "Thông tin, tuyên truyền CCHC sâu rộng trong đội ngũ cán bộ, công chức, viên chức, "
        "người dân và doanh nghiệp việc ứng dụng công nghệ thông tin trong giải quyết thủ tục "
        "hành chính (TTHC); xây dựng chính quyền điện tử, chính quyền số. Tạo chuyển biến tích "
        "cực hơn nữa về tinh thần, thái độ làm việc, ý thức trách nhiệm của cán bộ, công chức, "
        "viên chức trong quá trình thực thi công vụ."
    )
    assert split_sentences(paragraph) == [
        "Thông tin, tuyên truyền CCHC sâu rộng trong đội ngũ cán bộ, công chức, viên chức, "
        "người dân và doanh nghiệp việc ứng dụng công nghệ thông tin trong giải quyết thủ tục "
        "hành chính (TTHC);",
        "xây dựng chính quyền điện tử, chính quyền số.",
        "Tạo chuyển biến tích cực hơn nữa về tinh thần, thái độ làm việc, ý thức trách nhiệm "
        "của cán bộ, công chức, viên chức trong quá trình thực thi công vụ.",
    ]


def test_seed_000_opening_keeps_codes_and_dates_whole() -> None:
    paragraph = (
        "Thực hiện Quyết định số 239/QĐ-UBND ngày 27/01/2026 của Ủy ban nhân dân tỉnh ban "
        "hành Kế hoạch tuyên truyền cải cách hành chính nhà nước tỉnh Sơn La năm 2026, UBND xã "
        "Mường La xây dựng kế hoạch như sau:"
    )
    assert split_sentences(paragraph) == [paragraph]


def test_seed_000_index_list_with_short_and_long_clauses() -> None:
    paragraph = (
        "Tuyên truyền tình hình triển khai, tiến độ, kết quả thực hiện Chương trình tổng thể "
        "CCHC giai đoạn 2021-2030 của Chính phủ; Kế hoạch CCHC năm 2026 của UBND tỉnh; Kế "
        "hoạch CCHC năm 2026 của UBND xã; các văn bản hướng dẫn."
    )
    assert split_sentences(paragraph) == [
        "Tuyên truyền tình hình triển khai, tiến độ, kết quả thực hiện Chương trình tổng thể "
        "CCHC giai đoạn 2021-2030 của Chính phủ;",
        "Kế hoạch CCHC năm 2026 của UBND tỉnh;",
        "Kế hoạch CCHC năm 2026 của UBND xã; các văn bản hướng dẫn.",
    ]


def test_seed_000_lowercase_after_full_stop_still_splits() -> None:
    paragraph = (
        "Báo cáo kết quả triển khai thực hiện công tác tuyên truyền CCHC (lồng ghép vào báo cáo "
        "công tác CCHC định kỳ hoặc báo cáo chuyên đề theo yêu cầu). báo cáo gửi về UBND xã "
        "(qua phòng Văn hóa - Xã hội) tổng hợp."
    )
    parts = split_sentences(paragraph)
    assert len(parts) == 2
    assert parts[0].endswith("theo yêu cầu).")
    assert parts[1].startswith("báo cáo gửi về UBND xã")


def test_seed_001_ending_with_legal_end_mark() -> None:
    paragraph = (
        "Trên đây là Kế hoạch Tuyên truyền CCHC nhà nước phường Thảo Nguyên năm 2025, trong quá "
        "trình thực hiện nếu phát sinh khó khăn, vướng mắc các cơ quan, đơn vị phản ánh kịp thời "
        "về UBND phường (qua Phòng Văn hóa - Xã hội) để tổng hợp, báo cáo UBND phường Thảo "
        "Nguyên chỉ đạo, giải quyết./."
    )
    (sentence,) = split_sentences(paragraph)
    assert sentence.endswith("chỉ đạo, giải quyết.")
    assert "./." not in sentence


def test_seed_002_numbered_items() -> None:
    paragraph = (
        "1.2. Tang cuong cac hoat dong tuyén truyén vé cai cach hanh chinh, trong tam la cai "
        "cach thu tuc hanh chinh bang nhiéu hinh thuc, thiét thuc, hiéu qua."
    )
    assert split_sentences(paragraph) == [paragraph]
    assert split_sentences("1.2. Thoi gian thyc hién: Thuong xuyén trong nam.") == [
        "1.2. Thoi gian thyc hién: Thuong xuyén trong nam."
    ]


def test_seed_004_emphasised_item_and_ellipsis() -> None:
    paragraph = (
        "Tăng cường ứng dụng công nghệ thông tin, truyền thông trong công tác tuyên truyền về "
        "CCHC, phát huy và khai thác có hiệu quả mạng xã hội có nhiều người dùng như: Zalo, "
        "Facebook, Youtube...trong việc tuyên truyền về các nội dung CCHC."
    )
    assert split_sentences(paragraph) == [paragraph]


def test_seed_004_percent_and_dash_ranges() -> None:
    paragraph = (
        "Nội dung tập trung phổ biến việc thực hiện Chương trình tổng thể CCHC giai đoạn "
        "2021–2030 của Chính phủ. Tuyên truyền được triển khai đến toàn thể CBCCVC và Nhân dân, "
        "bảo đảm 100% CBCCVC nắm rõ chủ trương."
    )
    parts = split_sentences(paragraph)
    assert len(parts) == 2
    assert parts[0].endswith("giai đoạn 2021–2030 của Chính phủ.")


SeedFinder = Callable[[str], Path]


@pytest.mark.parametrize("number", ["000", "001", "003", "004"])
def test_splitting_real_paragraphs_loses_nothing(seed: SeedFinder, number: str) -> None:
    article = read_article(seed(number))
    count = 0
    for paragraph in article.paragraphs:
        sentences = split_sentences(paragraph)
        count += len(sentences)
        assert all(s and s == s.strip() for s in sentences)
        joined = re.sub(r"\s+", "", "".join(sentences))
        assert joined == re.sub(r"\s+", "", paragraph.replace("./.", "."))
        for sentence in sentences[:-1]:
            assert sentence[-1] in ".!?…;", sentence
            assert not re.search(r"\b(TP|Tp|TS|ThS|PGS|GS)\.$", sentence)
    assert count > len(article.paragraphs)


# --- the dots that do not end a sentence ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Đồng chí làm việc tại TP. Sơn La từ năm 2020.",
        "Đoàn công tác về Tp. Tuyên Quang làm việc với UBND tỉnh.",
        "Hội thảo tổ chức tại Q. Ba Đình với nhiều đại biểu.",
        "Báo cáo viên là TS. Nguyễn Văn An, Trường Chính trị tỉnh.",
        "Giảng viên ThS. Lò Thị Mai hướng dẫn học viên.",
        "Giảng viên Th.S. Lò Thị Mai hướng dẫn học viên.",
        "Giảng viên Ths. Lò Thị Mai hướng dẫn học viên.",
        "Hội đồng gồm PGS. TS. Trần Văn Bình và GS. Hoàng Văn Cường.",
        "Xã có 1.000 hộ dân và 3,5 km đường bê tông mới.",
        "Kinh phí là 1.250.000 đồng cho mỗi lớp tập huấn.",
        "Thực hiện Quyết định số 239/QĐ-UBND ngày 27/01/2026 của UBND tỉnh.",
        "Theo Nghị định 61/2018/NĐ-CP về cơ chế một cửa trong giải quyết TTHC.",
        "Hoàn thành trước ngày 15/3/2023 theo Kế hoạch số 81/KH-UBND.",
    ],
)
def test_no_split_inside(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "1. Mục đích",
        "1.1. Nâng cao tinh thần trách nhiệm.",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "a) Tiếp tục đẩy mạnh công tác tuyên truyền.",
        "- Sở Nội vụ;",
        "II. Nội dung tuyên truyền",
    ],
)
def test_list_markers_do_not_split(text: str) -> None:
    assert split_sentences(text) == [text]


def test_marker_item_followed_by_a_second_sentence() -> None:
    text = "2. Thẩm định nội dung tin bài. Đăng tải trên Trang thông tin điện tử của xã."
    assert split_sentences(text) == [
        "2. Thẩm định nội dung tin bài.",
        "Đăng tải trên Trang thông tin điện tử của xã.",
    ]


def test_roman_numeral_after_a_word_ends_a_sentence() -> None:
    text = "Hoàn thành trong quý I. Kết quả được báo cáo UBND huyện."
    assert split_sentences(text) == ["Hoàn thành trong quý I.", "Kết quả được báo cáo UBND huyện."]


# --- the marks that do end a sentence ------------------------------------------------------


def test_question_exclamation_and_ellipsis() -> None:
    text = "Bà con đã biết nộp hồ sơ trực tuyến chưa? Rất đơn giản! Chỉ cần điện thoại… Thử ngay."
    assert split_sentences(text) == [
        "Bà con đã biết nộp hồ sơ trực tuyến chưa?",
        "Rất đơn giản!",
        "Chỉ cần điện thoại…",
        "Thử ngay.",
    ]


def test_ellipsis_followed_by_lowercase_does_not_split() -> None:
    text = "Các nền tảng như Zalo, Facebook… được sử dụng rộng rãi."
    assert split_sentences(text) == [text]


def test_closing_quote_stays_with_its_sentence() -> None:
    text = "Chuyên mục có tên “Cải cách hành chính.” Mời bà con theo dõi."
    assert split_sentences(text) == [
        "Chuyên mục có tên “Cải cách hành chính.”",
        "Mời bà con theo dõi.",
    ]


def test_legal_end_mark_in_the_middle() -> None:
    assert split_sentences("Giao UBND xã thực hiện./. Nơi nhận: như trên.") == [
        "Giao UBND xã thực hiện.",
        "Nơi nhận: như trên.",
    ]


def test_newlines_and_runs_of_spaces_collapse() -> None:
    assert split_sentences("  Câu   thứ nhất.\nCâu\tthứ hai.  ") == [
        "Câu thứ nhất.",
        "Câu thứ hai.",
    ]


def test_empty_text() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n ") == []


# --- semicolons ----------------------------------------------------------------------------


def test_semicolon_splits_only_between_long_parts() -> None:
    long_a = "Tăng cường phối hợp giữa các cơ quan hành chính nhà nước với cơ quan tuyên truyền;"
    long_b = "bảo đảm thông tin về kết quả thực hiện được phản ánh đầy đủ và kịp thời."
    assert split_sentences(f"{long_a} {long_b}") == [long_a, long_b]


def test_semicolon_with_a_short_part_does_not_split() -> None:
    text = "Chỉ số CCHC; Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính."
    assert split_sentences(text) == [text]
    text = "Tổ chức hội nghị tuyên truyền cho toàn thể cán bộ, công chức trong xã; báo cáo kết quả."
    assert split_sentences(text) == [text]


def test_semicolon_parts_of_exactly_eight_words_split() -> None:
    text = "một hai ba bốn năm sáu bảy tám; một hai ba bốn năm sáu bảy tám."
    assert split_sentences(text) == [
        "một hai ba bốn năm sáu bảy tám;",
        "một hai ba bốn năm sáu bảy tám.",
    ]
    shorter = "một hai ba bốn năm sáu bảy; một hai ba bốn năm sáu bảy tám."
    assert split_sentences(shorter) == [shorter]


# --- strip_list_marker ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("1. Mục đích", "Mục đích"),
        ("1.1. Nâng cao tinh thần trách nhiệm.", "Nâng cao tinh thần trách nhiệm."),
        ("2.3.1. Nội dung chi tiết.", "Nội dung chi tiết."),
        ("a) Tiếp tục đẩy mạnh.", "Tiếp tục đẩy mạnh."),
        ("đ) Tuyên truyền kết quả.", "Tuyên truyền kết quả."),
        ("- Sở Nội vụ;", "Sở Nội vụ;"),
        ("• Bước một.", "Bước một."),
        ("I. MỤC ĐÍCH, YÊU CẦU", "MỤC ĐÍCH, YÊU CẦU"),
        ("IV. TỔ CHỨC THỰC HIỆN", "TỔ CHỨC THỰC HIỆN"),
        ("(1) Phối hợp tuyên truyền.", "Phối hợp tuyên truyền."),
    ],
)
def test_strip_list_marker(sentence: str, expected: str) -> None:
    assert strip_list_marker(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "2026. Vai trò của người đứng đầu.",
        "Năm 2026 là năm chuyển đổi số.",
        "TP. Sơn La tổ chức hội nghị.",
        "100% hồ sơ được giải quyết đúng hạn.",
        "Ủy ban nhân dân xã ban hành kế hoạch.",
    ],
)
def test_strip_list_marker_leaves_ordinary_sentences(sentence: str) -> None:
    assert strip_list_marker(sentence) == sentence
