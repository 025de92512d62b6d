"""Telephone numbers with area codes and hotlines, read in digit groups as an announcer reads
them; a count written with a slash ("113/114 hồ sơ") stays a count."""

from __future__ import annotations

import pytest

from broadcast.script.glossary import load_glossary
from broadcast.script.spoken import read_aloud, to_spoken

GLOSSARY = load_glossary()


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        (
            "Mọi vướng mắc xin liên hệ số 0203 3826 123 trong giờ hành chính.",
            "Mọi vướng mắc xin liên hệ số không hai không ba, ba tám hai sáu, một hai ba "
            "trong giờ hành chính.",
        ),
        (
            "Điện thoại của bộ phận một cửa: (0203) 3.826.123.",
            "Điện thoại của bộ phận một cửa: không hai không ba, ba tám hai sáu, một hai ba.",
        ),
        (
            "Bà con gọi 0214.3852.555 để được hướng dẫn.",
            "Bà con gọi không hai một bốn, ba tám năm hai, năm năm năm để được hướng dẫn.",
        ),
        (
            "Số máy trực ban (0216) 3822 111.",
            "Số máy trực ban không hai một sáu, ba tám hai hai, một một một.",
        ),
        (
            "Tổng đài 1800.1234 miễn phí cước gọi.",
            "Tổng đài một tám không không, một hai ba bốn miễn phí cước gọi.",
        ),
        (
            "Đường dây nóng 1900.54.54.81 hoạt động cả ngày.",
            "Đường dây nóng một chín không không, năm bốn, năm bốn, tám một hoạt động cả ngày.",
        ),
        (
            "Khi có cháy nổ, tai nạn, bà con gọi ngay 113/114/115.",
            "Khi có cháy nổ, tai nạn, bà con gọi ngay một một ba, một một bốn hoặc một một năm.",
        ),
        (
            "Khi cần cấp cứu gọi 115.",
            "Khi cần cấp cứu gọi một một năm.",
        ),
    ],
)
def test_phone_numbers_are_read_in_groups(written: str, spoken: str) -> None:
    assert to_spoken(written, GLOSSARY) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Có 113/114 hồ sơ đạt yêu cầu.", "Có một trăm mười ba trên một trăm mười bốn hồ sơ"),
        ("Năm nay xã tiếp nhận 114 hồ sơ.", "tiếp nhận một trăm mười bốn hồ sơ"),
    ],
)
def test_counts_are_not_read_as_phone_numbers(written: str, spoken: str) -> None:
    assert spoken in to_spoken(written, GLOSSARY)


def test_a_phone_reading_is_one_rewrite_with_its_reason() -> None:
    form = read_aloud("Gọi (0203) 3.826.123 hoặc 1900 1234.", GLOSSARY)
    assert [(r.kind.value, r.written, r.reason) for r in form.rewrites] == [
        ("phone", "(0203) 3.826.123", "đọc số điện thoại theo từng nhóm số"),
        ("phone", "1900 1234", "đọc số điện thoại theo từng nhóm số"),
    ]
