"""Every automatic rewrite of the spoken form is recorded with its kind and reason, and only
the rules that fired are recorded."""

from __future__ import annotations

from broadcast.script.glossary import Glossary, load_glossary
from broadcast.script.spoken import read_aloud, to_spoken

GLOSSARY = load_glossary()


def _records(text: str, glossary: Glossary = GLOSSARY) -> list[tuple[str, str, str, str]]:
    form = read_aloud(text, glossary)
    return [(r.kind.value, r.written, r.spoken, r.reason) for r in form.rewrites]


def test_each_rule_that_fires_is_recorded_with_its_reason() -> None:
    records = _records(
        "Sáng 2.9, UBND xã và Hội Liên hiệp Phụ nữ (HLHPN) trao 25 suất quà, 3 suất/hộ, "
        "theo Quyết định số 15/QĐ-UBND; xem tại dichvucong.gov.vn."
    )
    assert ("date", "2.9", "ngày hai tháng chín", "đọc ngày tháng thành chữ") in records
    assert ("acronym", "UBND", "Ủy ban nhân dân", "từ điển viết tắt") in records
    assert ("dropped", "(HLHPN)", "", "tên đầy đủ đã có bên cạnh, không đọc hai lần") in records
    assert ("number", "25", "hai mươi lăm", "đọc số thành chữ") in records
    assert ("symbol", "suất/hộ", "suất một hộ", "đọc dấu gạch chéo theo nghĩa của nó") in records
    kinds = {kind for kind, *_ in records}
    assert {"document", "address"} <= kinds


def test_unknown_capitals_are_spelled_and_say_so() -> None:
    form = read_aloud("Đại diện BQLDA xã phát biểu.", GLOSSARY)
    assert form.spelled == ("BQLDA",)
    assert [(r.written, r.reason) for r in form.rewrites] == [("BQLDA", "đọc theo tên chữ cái")]


def test_a_heading_in_capitals_is_not_reported_as_spelled() -> None:
    form = read_aloud("THÔNG BÁO LỊCH TIẾP DÂN", GLOSSARY)
    assert form.text == "thông báo lịch tiếp dân"
    assert form.rewrites == ()


def test_nothing_to_rewrite_records_nothing() -> None:
    form = read_aloud("Bà con các bản đến nhà văn hóa họp.", GLOSSARY)
    assert form.text == "Bà con các bản đến nhà văn hóa họp."
    assert form.rewrites == ()


def test_batch_readings_skip_the_records_and_read_the_same() -> None:
    text = "Ngày 27/01/2026, UBND xã tiếp nhận 1.105 hồ sơ."
    assert read_aloud(text, GLOSSARY, explain=False).rewrites == ()
    assert read_aloud(text, GLOSSARY).text == to_spoken(text, GLOSSARY)
