"""The report's .docx against Nghị định 30/2020/NĐ-CP, its versions and its narrative.

The header is measured where a văn thư sees it: the .docx is converted to PDF by LibreOffice
(as a reader opens it) and the text positions are read back with pypdf; the national name
and the motto must each come out as ONE line, at the sizes the decree sets.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from schedule_fixtures import grid_workspace

from broadcast.errors import InputError
from broadcast.schedule.report import make_report
from broadcast.schedule.report_docx import MOTTO, NATIONAL_NAME
from broadcast.schedule.report_pdf import docx_to_pdf
from broadcast.store import reports as report_store
from broadcast.store.workspace import find_workspace

MM = 72 / 25.4  # PDF points per millimetre


def _text(path: Path) -> str:
    document = Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def test_second_report_of_a_period_is_a_new_version(tmp_path: Path) -> None:
    ws = find_workspace(grid_workspace(tmp_path / "ws"))
    first = make_report(
        ws,
        "2026-Q1",
        today=dt.date(2026, 4, 2),
        sections={"ket_qua": "Đoạn kết quả bản một.", "nguyen_nhan": "Thiếu người đọc tin."},
        made_by="quantri",
        as_of=dt.date(2026, 4, 2),
    )
    first_bytes = first.docx.read_bytes()
    second = make_report(
        ws,
        "2026-Q1",
        today=dt.date(2026, 4, 9),
        sections={"ket_qua": "Đoạn kết quả bản hai."},
        made_by="lap.lich",
        as_of=dt.date(2026, 4, 9),
    )
    assert (first.version, second.version) == (1, 2)
    assert first.folder != second.folder and first.docx.read_bytes() == first_bytes
    assert "Đoạn kết quả bản một." in _text(first.docx)
    assert "Thiếu người đọc tin." in _text(first.docx)
    assert "Đoạn kết quả bản hai." in _text(second.docx)
    assert "Thiếu người đọc tin." in first.html.read_text(encoding="utf-8")
    assert "Đoạn kết quả bản một." not in _text(second.docx)
    with ws.open_db() as db:
        listed = report_store.versions(db, "2026-Q1")
    assert [(v.version, v.made_by) for v in listed] == [(2, "lap.lich"), (1, "quantri")]
    assert listed[1].sections["nguyen_nhan"] == "Thiếu người đọc tin."
    assert listed[0].sections["nguyen_nhan"] == ""  # not carried over silently
    assert listed[1].folder == "out/reports/bao-cao-2026-Q1"  # relative: a copy finds it
    assert ws.root / listed[1].folder == first.folder
    assert not listed[0].provisional


def test_period_not_ended_is_provisional_and_bad_sections_write_nothing(tmp_path: Path) -> None:
    ws = find_workspace(grid_workspace(tmp_path / "ws"))
    files = make_report(ws, "2026-Q2", as_of=dt.date(2026, 5, 20), today=dt.date(2026, 5, 20))
    assert files.provisional
    text = _text(files.docx)
    assert "Số liệu tạm tính" in text and "20/05/2026" in text
    assert "Số liệu tạm tính" in files.html.read_text(encoding="utf-8")
    # Drafted from the (empty) log: the figures' paragraph and the missed months.
    assert "đã phát 0 lượt" in text
    assert "Chưa đạt chỉ tiêu" in text and "tháng 4/2026" in text
    with pytest.raises(InputError, match="Phần báo cáo"):
        make_report(ws, "2026-Q2", sections={"ket_luan": "x"})
    with pytest.raises(InputError, match="dài quá"):
        make_report(ws, "2026-Q2", sections={"ton_tai": "x" * 20001})
    with ws.open_db() as db:
        assert [v.version for v in report_store.versions(db, "2026-Q2")] == [1]
    assert sorted(p.name for p in files.folder.parent.iterdir()) == ["bao-cao-2026-Q2"]


def test_docx_page_setup_follows_the_decree(tmp_path: Path) -> None:
    ws = find_workspace(grid_workspace(tmp_path / "ws"))
    files = make_report(ws, "2026-03", today=dt.date(2026, 4, 1))
    document = Document(str(files.docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # The decree's ranges (a hundredth of a millimetre for the twips rounding).
    for margin, low, high in (
        (section.top_margin, 20, 25),
        (section.bottom_margin, 20, 25),
        (section.left_margin, 30, 35),
        (section.right_margin, 15, 20),
    ):
        assert low - 0.01 <= margin.mm <= high + 0.01
    right = document.tables[0].rows[0].cells[1].paragraphs
    sizes = {p.text: (p.runs[0].bold, p.runs[0].font.size.pt) for p in right if p.runs}
    assert sizes[NATIONAL_NAME][0] and 12 <= sizes[NATIONAL_NAME][1] <= 13
    assert sizes[MOTTO][0] and 13 <= sizes[MOTTO][1] <= 14
    text = _text(files.docx)
    assert "Nơi nhận:" in document.tables[-1].rows[0].cells[0].text
    assert "GIÁM ĐỐC" in document.tables[-1].rows[0].cells[1].text
    assert "Số:" in document.tables[0].rows[0].cells[0].text
    assert "BÁO CÁO" in text


def _lines(pdf: Path) -> list[tuple[float, float, float, str]]:
    """(baseline y, x, font size, text) of every text run on the first page."""
    found: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = cm[3] or 1.0
            found.append((round(tm[5] * scale + cm[5], 1), tm[4] + cm[4], size * scale, text))

    PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice: chạy scripts/test")
def test_header_lines_measured_in_the_pdf(tmp_path: Path) -> None:
    ws = find_workspace(grid_workspace(tmp_path / "ws"))
    files = make_report(ws, "2026-Q1", today=dt.date(2026, 4, 5))
    pdf = docx_to_pdf(files.docx)
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)
    runs = _lines(pdf)
    by_line: dict[float, list[tuple[float, float, float, str]]] = {}
    for run in runs:
        by_line.setdefault(run[0], []).append(run)

    def line_of(words: str) -> tuple[float, list[tuple[float, float, float, str]]]:
        hits = [y for y, items in by_line.items() if any(words in i[3] for i in items)]
        assert len(hits) == 1, (words, hits)
        return hits[0], by_line[hits[0]]

    name_y, name_runs = line_of("CỘNG HÒA")
    motto_y, motto_runs = line_of("Độc lập")
    right_column = [r for r in name_runs + motto_runs if r[1] > 60 * MM]
    # Each is whole on its one line: nothing of it went down to the next.
    assert " ".join(r[3].strip() for r in right_column if r[0] == name_y) == NATIONAL_NAME
    assert " ".join(r[3].strip() for r in right_column if r[0] == motto_y) == MOTTO
    assert not any("VIỆT NAM" in r[3] for r in runs if r[0] != name_y)
    assert not any("Hạnh phúc" in r[3] for r in runs if r[0] != motto_y)
    assert 12 <= name_runs[0][2] <= 13 and 13 <= motto_runs[0][2] <= 14
    assert name_y > motto_y  # the motto is the next line under the national name
    assert name_y - motto_y < 2 * 13  # ... the very next one
    # The body starts at the left margin (30-35 mm).
    body_left = min(r[1] for r in runs if "KẾT QUẢ ĐẠT ĐƯỢC" in r[3])
    assert 30 * MM - 1 <= body_left <= 35 * MM + 1
