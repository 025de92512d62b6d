"""Issue 11, item 1: sentences stay whole.

The sentences here are written for these tests in the style of commune news; none is copied
from the seeds' web sources. A listener hears each sentence once, so a cut inside a menu
label, a quotation or a list of coordinated nouns changes what the commune says.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run

from broadcast.script.radio import MAX_SYLLABLES, is_complete, split_long
from broadcast.script.segment import syllables
from broadcast.text.sentences import split_sentences

MENU = (
    "Người dân xã Chiềng Sơn vào Cổng dịch vụ công, chọn mục “Đăng ký khai sinh. Khai tử” "
    "để nộp hồ sơ cho con mà không phải đến trụ sở. Kết quả được trả qua bưu điện."
)


def test_full_stop_inside_quoted_menu_label_does_not_end_the_sentence() -> None:
    first, second = split_sentences(MENU)
    assert "“Đăng ký khai sinh. Khai tử” để nộp hồ sơ" in first
    assert second == "Kết quả được trả qua bưu điện."


def test_quotation_ending_a_sentence_still_ends_it() -> None:
    text = "Chủ tịch xã nói: “Hồ sơ nào đủ thì giải quyết ngay.” Sau đó hội nghị bế mạc."
    assert split_sentences(text) == [
        "Chủ tịch xã nói: “Hồ sơ nào đủ thì giải quyết ngay.”",
        "Sau đó hội nghị bế mạc.",
    ]


def test_brackets_and_guillemets_are_not_split() -> None:
    text = (
        "Xã ban hành Kế hoạch «Tuyên truyền CCHC. Năm 2026» (kèm theo danh sách. Các bản) "
        "cho toàn bộ các thôn. Hết."
    )
    assert len(split_sentences(text)) == 2


def test_semicolon_inside_a_quoted_title_is_not_a_cut() -> None:
    text = (
        "Ủy ban nhân dân xã đã tổ chức tuyên truyền chuyên đề “Cải cách thủ tục hành chính; "
        "chuyển đổi số trong giải quyết hồ sơ của người dân” tại nhà văn hóa của tất cả các bản."
    )
    assert split_sentences(text) == [text]


def test_long_sentence_not_cut_at_comma_or_va_inside_a_list() -> None:
    text = (
        "Bộ phận một cửa của xã tiếp nhận hồ sơ đăng ký khai sinh, khai tử, kết hôn, thường trú, "
        "tạm trú, chứng thực bản sao, cấp phiếu lý lịch tư pháp và xác nhận tình trạng hôn nhân "
        "cho người dân các bản vùng cao trong tất cả các ngày làm việc của tuần."
    )
    assert syllables(text) > MAX_SYLLABLES
    assert split_long(text) == [text], "no clause boundary: kept whole, not cut into fragments"


def test_long_sentence_cut_only_where_both_parts_are_sentences() -> None:
    text = (
        "Trong tháng Ba, Ủy ban nhân dân xã Mường Bú đã hướng dẫn hơn hai trăm người dân cài "
        "đặt ứng dụng định danh điện tử và nộp hồ sơ trực tuyến tại nhà, đồng thời cán bộ "
        "tư pháp xã trực điện thoại cả ngày thứ Bảy để giải đáp vướng mắc cho bà con."
    )
    parts = split_long(text)
    assert len(parts) == 2
    assert parts[1].startswith("Đồng thời, cán bộ tư pháp")
    assert all(is_complete(p) for p in parts)


def test_quoted_label_never_cut_by_split_long() -> None:
    text = (
        "Để đăng ký, người dân chọn mục “Thủ tục liên thông khai sinh, đăng ký thường trú, "
        "cấp thẻ bảo hiểm y tế cho trẻ em dưới sáu tuổi; đồng thời nhận kết quả tại nhà” "
        "trên ứng dụng của tỉnh rồi làm theo hướng dẫn."
    )
    assert syllables(text) > MAX_SYLLABLES
    for part in split_long(text):
        assert part.count("“") == part.count("”"), part


def test_fragments_are_not_complete_sentences() -> None:
    assert not is_complete("Thì người dân sẽ được hỗ trợ.")
    assert not is_complete("Về sắp xếp đơn vị hành chính cấp xã.")
    assert is_complete("Cán bộ xã hướng dẫn người dân nộp hồ sơ.")


def test_script_json_and_text_flag_sentence_left_long(tmp_path: Path) -> None:
    long_sentence = (
        "Bộ phận một cửa của xã tiếp nhận hồ sơ đăng ký khai sinh, khai tử, kết hôn, thường "
        "trú, tạm trú, chứng thực bản sao, cấp phiếu lý lịch tư pháp và xác nhận tình trạng "
        "hôn nhân cho người dân các bản vùng cao trong tất cả các ngày làm việc của tuần."
    )
    article = tmp_path / "tin.txt"
    article.write_text(
        "Xã Mường Bú mở rộng giờ tiếp nhận hồ sơ\n\n"
        + long_sentence
        + " Người dân có thể gọi điện cho cán bộ tư pháp xã để hỏi trước giấy tờ cần mang.\n",
        encoding="utf-8",
    )
    result = run("script", article, "--minutes", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    sentences = json.loads(result.output)["sentences"]
    flagged = [s for s in sentences if s["too_long"]]
    assert flagged and all(s["syllables"] > MAX_SYLLABLES for s in flagged)
    assert all(s["role"] == "body" for s in flagged)
    text = run("script", article, "--minutes", "2")
    assert text.exit_code == 0, text.output
    assert "không có chỗ ngắt an toàn" in text.output
