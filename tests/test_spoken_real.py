"""The spoken form on sentences as real news pieces write them (issue 11, item 5).

Each sentence is written for these tests in the style of provincial and commune news; each
case pins one rule an announcer follows and a naive reading breaks.
"""

from __future__ import annotations

import pytest

from broadcast.script.glossary import Glossary, load_glossary
from broadcast.script.spoken import read_aloud, to_spoken


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # A time of day, then a day-month written with "-" or ".": a date, not a range.
        (
            "Sáng 15-3, Ủy ban nhân dân xã tổ chức hội nghị.",
            "Sáng ngày mười lăm tháng ba, Ủy ban nhân dân xã tổ chức hội nghị.",
        ),
        ("Từ tối 2.9, loa phát thanh phát bản tin.", "Từ tối ngày hai tháng chín,"),
        ("Chiều 30.4.2025, xã mít tinh.", "Chiều ngày ba mươi tháng tư năm hai nghìn"),
        ("Đêm 1-6 có mưa to.", "Đêm ngày một tháng sáu có mưa to."),
        # A dateline opens the item with a place and a day-month.
        ("Tuyên Quang, 15-3 - Xã đã hoàn thành.", "Tuyên Quang, ngày mười lăm tháng ba, Xã"),
        ("HÀ GIANG, 2.9 - Người dân đón Tết Độc lập.", "hà giang, ngày hai tháng chín, Người"),
    ],
)
def test_day_month_after_a_time_word_or_in_a_dateline(
    glossary: Glossary, written: str, spoken: str
) -> None:
    assert to_spoken(written, glossary).startswith(spoken)


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # A range stays a range when no time of day announces a date.
        ("Mỗi tổ từ 2-3 người.", "Mỗi tổ từ hai đến ba người."),
        # An amount after a time word is not a date.
        ("Tối qua thu tối 2.5 triệu đồng.", "hai chấm năm triệu đồng"),
    ],
)
def test_dashes_and_dots_that_are_not_dates(glossary: Glossary, written: str, spoken: str) -> None:
    assert spoken in to_spoken(written, glossary)


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # per: a noun after the slash, no number
        ("Mỗi suất hỗ trợ 3 người/hộ.", "Mỗi suất hỗ trợ ba người một hộ."),
        ("Lệ phí 20.000 đồng/hồ sơ.", "Lệ phí hai mươi nghìn đồng một hồ sơ."),
        # out of: a count set against a total
        (
            "Đã có 120 đài/150 xã lắp loa thông minh.",
            "Đã có một trăm hai mươi đài trên một trăm năm mươi xã lắp loa thông minh.",
        ),
        (
            "Đạt 1.200 hồ sơ/1.500 hồ sơ.",
            "Đạt một nghìn hai trăm hồ sơ trên một nghìn năm trăm hồ sơ.",
        ),
        # a fraction
        ("Khoảng 3/4 số hộ đã đăng ký.", "Khoảng ba trên bốn số hộ đã đăng ký."),
        # or: two words
        ("Truy cập trang/cổng dịch vụ công.", "Truy cập trang hoặc cổng dịch vụ công."),
        # a document number is the number of the year, never a month
        (
            "Theo Quyết định số 12/2024 của tỉnh.",
            "Theo Quyết định số mười hai năm hai nghìn không trăm hai mươi tư của tỉnh.",
        ),
        # a full document code is read as before
        (
            "Thực hiện Quyết định số 239/QĐ-UBND.",
            "Thực hiện Quyết định số hai trăm ba mươi chín, quyết định, Ủy ban nhân dân.",
        ),
    ],
)
def test_slash_read_by_its_meaning(glossary: Glossary, written: str, spoken: str) -> None:
    assert to_spoken(written, glossary) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        (
            "Mọi phản ánh xin gọi đường dây nóng 0912345678.",
            "không chín một hai, ba bốn năm, sáu bảy tám.",
        ),
        ("Hotline: 1900 1234.", "một chín không không, một hai ba bốn."),
        ("Điện thoại: 0207.3822.456.", "không hai không bảy, ba tám hai hai, bốn năm sáu."),
        ("Khi có cháy, gọi 114.", "gọi một một bốn."),
    ],
)
def test_phone_numbers_in_digit_groups(glossary: Glossary, written: str, spoken: str) -> None:
    said = to_spoken(written, glossary)
    assert said.endswith(spoken)
    assert "triệu" not in said and "nghìn" not in said and "trăm" not in said


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Ủy ban nhân dân (UBND) xã đã họp.", "Ủy ban nhân dân xã đã họp."),
        ("UBND (Ủy ban nhân dân) xã đã họp.", "Ủy ban nhân dân xã đã họp."),
        # Letters no glossary knows: the full form beside them is enough.
        ("Ban Vận động Khuyến học (BVĐKH) xã họp.", "Ban Vận động Khuyến học xã họp."),
        ("BVĐKH (Ban Vận động Khuyến học) xã họp.", "Ban Vận động Khuyến học xã họp."),
        ("Sở Giáo dục và Đào tạo (SGDĐT) kiểm tra.", "Sở Giáo dục và Đào tạo kiểm tra."),
    ],
)
def test_no_double_expansion(glossary: Glossary, written: str, spoken: str) -> None:
    said = read_aloud(written, glossary)
    assert said.text == spoken
    assert said.spelled == ()


def test_brackets_that_are_not_the_abbreviation_stay(glossary: Glossary) -> None:
    said = to_spoken("Hội Nông dân (HTX) xã và Ban Công tác (thôn Nà Mò) họp.", glossary)
    assert "(hợp tác xã)" in said
    assert "(thôn Nà Mò)" in said


def test_unknown_acronyms_read_by_letter_names_and_listed(glossary: Glossary) -> None:
    said = read_aloud("Đoàn của BQLDA và Trung tâm XYZ về thăm xã; BQLDA hứa hỗ trợ.", glossary)
    assert said.text == (
        "Đoàn của bê quy lờ dê a và Trung tâm ích i dài dét về thăm xã; bê quy lờ dê a hứa hỗ trợ."
    )
    assert said.spelled == ("BQLDA", "XYZ")


def test_known_organisations_are_said_in_words(glossary: Glossary) -> None:
    said = read_aloud(
        "HLHPN và ĐTN xã phối hợp với NHCSXH, BHXH huyện giải ngân vốn cho CCB.", glossary
    )
    assert said.text == (
        "Hội Liên hiệp Phụ nữ và Đoàn Thanh niên xã phối hợp với Ngân hàng Chính sách xã hội, "
        "bảo hiểm xã hội huyện giải ngân vốn cho cựu chiến binh."
    )
    assert said.spelled == ()


def test_an_unknown_issuer_in_a_document_code_is_listed(glossary: Glossary) -> None:
    said = read_aloud("Công văn số 45/CV-BQLDA đã gửi.", glossary)
    assert said.spelled == ("BQLDA",)


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # Words of the address regain their tones when known words cover the whole label.
        (
            "Nộp hồ sơ tại dichvucong.gov.vn trước ngày 20.",
            "Nộp hồ sơ tại dịch vụ công chấm gốp chấm vê en trước ngày hai mươi.",
        ),
        (
            "Thư gửi về vanphong@tuyenquang.gov.vn.",
            "Thư gửi về văn phòng a còng Tuyên Quang chấm gốp chấm vê en.",
        ),
        # A label the words do not cover exactly keeps toneless syllables and spelled letters.
        (
            "Thư gửi về ubndxaphuluu@tuyenquang.gov.vn.",
            "Thư gửi về u bê en dê xa phu luu a còng Tuyên Quang chấm gốp chấm vê en.",
        ),
    ],
)
def test_web_addresses_as_an_announcer_reads_them(
    glossary: Glossary, written: str, spoken: str
) -> None:
    assert to_spoken(written, glossary) == spoken
