"""The script view shows every rewrite with its reason: per sentence (readings) and for the
script as a whole (furniture dropped, sub-headings, the repeated headline, splits); and a
PDF's title is the text its first page prints largest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fpdf import FPDF
from helpers import run

from broadcast.model.script import Role
from broadcast.script.build import build_script
from broadcast.script.duration import station_pace
from broadcast.script.glossary import load_glossary
from broadcast.script.report import rewrite_line, script_dict, script_text
from broadcast.store.station import Station
from broadcast.text.ingest import read_article
from broadcast.text.pdfdoc import pdf_document
from broadcast.video.fonts import font_path

STATION = Station(name="Đài truyền thanh xã Mường Giôn", commune="Mường Giôn", province="Sơn La")

# Written for these tests in the style of a commune news item: an agency tag, a sub-heading,
# a photo caption, a byline, and one long sentence with a clause boundary.
ARTICLE = """\
UBND xã Mường Giôn hướng dẫn bà con nộp hồ sơ trực tuyến

(ANTĐ) - Sáng 15-3, UBND xã Mường Giôn tổ chức hội nghị hướng dẫn bà con các bản nộp hồ sơ \
trực tuyến trên Cổng dịch vụ công quốc gia.

Nộp hồ sơ tại nhà

Người dân có thể đăng ký khai sinh, khai tử tại nhà, mọi vướng mắc xin gọi đường dây nóng \
0212 3852 555 trong giờ hành chính.

Cán bộ HTX và tổ công nghệ số cộng đồng sẽ đến từng bản hướng dẫn bà con cài ứng dụng định \
danh điện tử trên điện thoại, đồng thời hỗ trợ các hộ chưa có điện thoại thông minh làm thủ \
tục tại bộ phận một cửa của xã trong giờ hành chính các ngày làm việc.

Ảnh: Cán bộ xã hướng dẫn người dân làm thủ tục.

Theo Báo An ninh Thủ đô
"""


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("bai") / "bai.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return build_script(read_article(path), STATION, 3.0, load_glossary())


def _body(script, written: str):  # type: ignore[no-untyped-def]
    return next(s for s in script.sentences if s.role is Role.BODY and written in s.written)


def test_each_sentence_lists_its_readings_with_reasons(script) -> None:  # type: ignore[no-untyped-def]
    lead = _body(script, "Sáng 15-3")
    found = {(r.kind.value, r.written, r.spoken, r.reason) for r in lead.rewrites}
    assert ("acronym", "UBND", "Ủy ban nhân dân", "từ điển viết tắt") in found
    assert ("date", "15-3", "ngày mười lăm tháng ba", "đọc ngày tháng thành chữ") in found
    phone = _body(script, "đường dây nóng")
    assert [(r.kind.value, r.written) for r in phone.rewrites] == [("phone", "0212 3852 555")]
    assert phone.rewrites[0].spoken == "không hai một hai, ba tám năm hai, năm năm năm"
    # A sentence the spoken form leaves alone records nothing.
    for sentence in script.sentences:
        if sentence.spoken == sentence.written:
            assert sentence.rewrites == ()


def test_dropped_furniture_and_splits_are_listed_for_the_script(script) -> None:  # type: ignore[no-untyped-def]
    kinds = [(r.kind.value, r.written, r.reason) for r in script.rewrites]
    assert ("dropped", "(ANTĐ) -", "tên viết tắt của báo, hãng tin") in kinds
    assert ("dropped", "Ảnh: Cán bộ xã hướng dẫn người dân làm thủ tục.", "chú thích ảnh") in kinds
    assert ("dropped", "Nộp hồ sơ tại nhà", "tiêu đề phụ trong bài") in kinds
    assert any(k == "dropped" and "Báo An ninh Thủ đô" in w for k, w, _ in kinds)
    splits = [r for r in script.rewrites if r.kind.value == "split"]
    assert len(splits) == 1
    parts = splits[0].spoken.split(" / ")
    assert len(parts) == 2 and parts[1].startswith("Đồng thời,")
    assert [s.written for s in script.sentences if s.role is Role.BODY][-2:] == parts


def test_json_and_text_views_show_the_same_records(script) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(script_dict(script, station_pace(STATION)), ensure_ascii=False))
    lead = next(s for s in data["sentences"] if "Sáng 15-3" in s["written"])
    assert {
        "kind": "acronym",
        "written": "UBND",
        "spoken": "Ủy ban nhân dân",
        "reason": "từ điển viết tắt",
    } in lead["rewrites"]
    assert {r["kind"] for r in data["rewrites"]} == {"dropped", "split"}
    text = script_text(script)
    assert "   ↳ UBND → Ủy ban nhân dân (từ điển viết tắt)" in text
    assert "Đã bỏ hoặc tách khi viết kịch bản:" in text
    assert "  ↳ bỏ: Ảnh: Cán bộ xã hướng dẫn người dân làm thủ tục. (chú thích ảnh)" in text
    split = next(r for r in script.rewrites if r.kind.value == "split")
    assert rewrite_line(split).startswith("↳ tách thành 2 câu: …")
    assert "trên điện thoại. | Đồng thời, hỗ trợ các…" in rewrite_line(split)


def test_script_command_prints_rewrites_in_json(tmp_path: Path) -> None:
    path = tmp_path / "bai.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run("-w", _workspace(tmp_path), "script", path, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    headline = next(s for s in data["sentences"] if s["role"] == "headline")
    assert headline["rewrites"][0]["written"] == "UBND"
    assert any(r["reason"] == "chú thích ảnh" for r in data["rewrites"])


def _workspace(tmp_path: Path) -> Path:
    from helpers import make_workspace

    return make_workspace(tmp_path / "xa")


TITLE = "Xã Mường Giôn đưa dịch vụ công trực tuyến về tận bản cho bà con"


def _pdf(path: Path, title_size: float) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("bvp", "", str(font_path("Regular")))
    lines = (
        (10, "Tin tức sự kiện"),
        (title_size, TITLE),
        *[
            (
                11,
                "Sáng 15/3, Ủy ban nhân dân xã Mường Giôn tổ chức hội nghị hướng dẫn bà con "
                f"các bản nộp hồ sơ trực tuyến, lần thứ {n}. Cán bộ xã sẽ đến từng bản để hỗ "
                "trợ các hộ chưa có điện thoại thông minh làm thủ tục.",
            )
            for n in range(1, 5)
        ],
    )
    for size, text in lines:
        pdf.set_font("bvp", size=size)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_pdf_title_is_the_largest_text_on_the_first_page(tmp_path: Path) -> None:
    article = read_article(_pdf(tmp_path / "bai.pdf", 22))
    # The title wraps over two lines and sits below a smaller section line, which the rules
    # for plain text would have taken as the title.
    assert article.title == TITLE
    assert "tận bản cho bà con" not in article.body  # not read again as the lead


def test_pdf_of_one_size_has_no_largest_text(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "bai.pdf", 11)
    assert pdf_document(path.read_bytes(), path).title is None
    assert read_article(path).title == "Tin tức sự kiện"  # what the first-line rules find
