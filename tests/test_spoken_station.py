"""The station's spoken-form dictionary: an editor's correction saved, applied on the next run
ahead of the shipped dictionaries, shown with its reason, and part of every stored key."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import make_workspace, run

from broadcast.model.spoken import STATION_REASON
from broadcast.script.glossary import load_glossary
from broadcast.script.save import input_sha256
from broadcast.script.spoken import read_aloud
from broadcast.text.ingest import read_article

# Written for these tests: a commune news item with an abbreviation no shipped dictionary
# knows (BQLDA, spelled letter by letter until the station saves its reading).
ARTICLE = """\
Xã Mường Giôn khởi công đường bê tông vào bản Nà Lạn

Sáng 15/3, BQLDA xã Mường Giôn tổ chức khởi công tuyến đường bê tông dài hai cây số vào bản \
Nà Lạn, giúp bà con đi lại thuận tiện trong mùa mưa.

Tuyến đường do HTX Nà Lạn cùng người dân góp công làm, dự kiến hoàn thành trước ngày 30/6.

Mọi ý kiến góp ý về công trình, bà con liên hệ bộ phận một cửa của xã trong giờ hành chính.
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "xa")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "duong-be-tong.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _script(ws: Path, article: Path) -> dict:
    result = run("-w", ws, "script", article, "--minutes", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _sentence_with(data: dict, written: str) -> dict:
    return next(s for s in data["sentences"] if written in s["written"])


def test_saved_reading_applies_on_the_next_run_and_shows_its_reason(
    ws: Path, article: Path
) -> None:
    before = _sentence_with(_script(ws, article), "BQLDA")
    spelled = [r for r in before["rewrites"] if r["written"] == "BQLDA"]
    assert [r["reason"] for r in spelled] == ["đọc theo tên chữ cái"]
    assert "ban quản lý dự án" not in before["spoken"]

    added = run("-w", ws, "spoken", "add", "BQLDA", "ban quản lý dự án")
    assert added.exit_code == 0, added.output
    assert "Đã lưu: 'BQLDA' đọc là 'ban quản lý dự án'" in added.stdout

    after = _sentence_with(_script(ws, article), "BQLDA")
    assert "ban quản lý dự án xã Mường Giôn" in after["spoken"]
    assert {
        "kind": "acronym",
        "written": "BQLDA",
        "spoken": "ban quản lý dự án",
        "reason": STATION_REASON,
    } in after["rewrites"]
    text = run("-w", ws, "script", article, "--minutes", "1").stdout
    assert "↳ BQLDA → ban quản lý dự án (từ điển của đài)" in text


def test_station_reading_wins_over_the_shipped_dictionary(ws: Path, article: Path) -> None:
    shipped = _sentence_with(_script(ws, article), "HTX")
    assert "hợp tác xã Nà Lạn" in shipped["spoken"]
    assert run("-w", ws, "spoken", "add", "HTX", "hợp tác xã nông nghiệp").exit_code == 0
    mine = _sentence_with(_script(ws, article), "HTX")
    assert "hợp tác xã nông nghiệp Nà Lạn" in mine["spoken"]
    assert [r["reason"] for r in mine["rewrites"] if r["written"] == "HTX"] == [STATION_REASON]


def test_a_place_name_reading_is_shown_whole() -> None:
    glossary = load_glossary().with_station((("Nà Lạn", "Nà Lạnh"),))
    form = read_aloud("Bà con bản Nà Lạn họp vào ngày 2/9.", glossary)
    assert form.text == "Bà con bản Nà Lạnh họp vào ngày hai tháng chín."
    assert [(r.written, r.spoken, r.reason) for r in form.rewrites][0] == (
        "Nà Lạn",
        "Nà Lạnh",
        STATION_REASON,
    )


def test_a_new_reading_makes_a_new_script_version_and_new_voice_input(
    ws: Path, article: Path
) -> None:
    first = run("-w", ws, "script", article, "--minutes", "1", "--save")
    assert first.exit_code == 0, first.output
    again = run("-w", ws, "script", article, "--minutes", "1", "--save")
    assert "đã có, không làm lại" in again.stderr  # same input, same dictionary: reused
    voiced = run("-w", ws, "voice", "1", "--json")
    assert voiced.exit_code == 0, voiced.output
    assert json.loads(voiced.stdout)["synthesized"] >= 1

    assert run("-w", ws, "spoken", "add", "BQLDA", "ban quản lý dự án").exit_code == 0
    second = run("-w", ws, "script", article, "--minutes", "1", "--save")
    assert second.exit_code == 0, second.output
    assert "phiên bản 2" in second.stderr  # the reading changed the input: a new version
    shown = json.loads(run("-w", ws, "script", "show", "2", "--json").stdout)
    assert any("ban quản lý dự án" in s["spoken"] for s in shown["sentences"])

    revoiced = json.loads(run("-w", ws, "voice", "2", "--json").stdout)
    # Only the sentence whose reading changed is new voice input; the others are cached.
    assert revoiced["synthesized"] == 1
    assert revoiced["sentences"] > 1


def test_the_input_key_includes_the_station_readings(article: Path) -> None:
    text = read_article(article)
    plain = input_sha256(text, 1.0)
    assert input_sha256(text, 1.0, readings="") == plain  # older keys stay valid
    key = load_glossary().with_station((("BQLDA", "ban quản lý dự án"),)).station_key
    other = load_glossary().with_station((("BQLDA", "ban quản lý"),)).station_key
    assert input_sha256(text, 1.0, readings=key) not in (
        plain,
        input_sha256(text, 1.0, readings=other),
    )


def test_list_and_remove(ws: Path) -> None:
    assert "chưa có cách đọc nào" in run("-w", ws, "spoken", "list").stdout
    assert run("-w", ws, "spoken", "add", "BCĐ", "ban chỉ đạo").exit_code == 0
    assert run("-w", ws, "spoken", "add", "HTX", "hợp tác xã").exit_code == 0
    listed = json.loads(run("-w", ws, "spoken", "list", "--json").stdout)
    assert [(r["written"], r["spoken"]) for r in listed] == [
        ("BCĐ", "ban chỉ đạo"),
        ("HTX", "hợp tác xã"),
    ]
    assert all(r["saved_by"] and r["saved_at"] for r in listed)
    replaced = run("-w", ws, "spoken", "add", "HTX", "hợp tác xã nông nghiệp")
    assert "trước đây đọc là 'hợp tác xã'" in replaced.stdout
    removed = run("-w", ws, "spoken", "remove", "BCĐ")
    assert removed.exit_code == 0 and "Đã xoá cách đọc của 'BCĐ'" in removed.stdout
    text = run("-w", ws, "spoken", "list").stdout
    assert "BCĐ" not in text and "HTX → hợp tác xã nông nghiệp" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "", "ban chỉ đạo"), "Cách viết đang để trống"),
        (("add", "BCĐ", "   "), "Cách đọc đang để trống"),
        (("add", "BCĐ", "ban\tchỉ đạo"), "ký tự điều khiển"),
        (("add", "B" * 61, "ban chỉ đạo"), "quá giới hạn 60"),
        (("add", "BCĐ", "đọc " * 60), "quá giới hạn 200"),
        (("add", "BCĐ", "BCĐ"), "giống hệt cách viết"),
        (("add", "...", "chấm chấm"), "không có chữ hay số"),
        (("remove", "XYZ"), "chưa có 'XYZ'"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(
    ws: Path, args: tuple[str, ...], message: str
) -> None:
    result = run("-w", ws, "spoken", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    conn = sqlite3.connect(ws / "broadcast.db")
    try:
        assert conn.execute("SELECT COUNT(*) FROM spoken_forms").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_viewer_may_list_but_not_change(ws: Path) -> None:
    made = run("-w", ws, "user", "add", "xem", "--name", "Người Xem", "--role", "viewer")
    assert made.exit_code == 0, made.output
    refused = run("-w", ws, "--as", "xem", "spoken", "add", "HTX", "hợp tác xã")
    assert refused.exit_code == 2 and "chưa có vai trò 'sản xuất'" in refused.stderr
    assert run("-w", ws, "--as", "xem", "spoken", "list").exit_code == 0
