"""Page numbers of the report's .docx as Nghị định 30/2020/NĐ-CP sets them: Arabic numerals
from a PAGE field, 13-14 pt, centred in the top margin, and none on the first page (the
section's title-page flag with an empty first-page header). Read back from the saved XML."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from schedule_fixtures import grid_workspace

from broadcast.schedule.report import make_report
from broadcast.schedule.report_pdf import docx_to_pdf
from broadcast.store.workspace import find_workspace


def test_page_number_field_centred_at_top_from_page_two(tmp_path: Path) -> None:
    ws = find_workspace(grid_workspace(tmp_path / "ws"))
    files = make_report(ws, "2026-03", today=dt.date(2026, 4, 1))
    section = Document(str(files.docx)).sections[0]

    title_page = section._sectPr.find(qn("w:titlePg"))
    assert title_page is not None and title_page.get(qn("w:val")) in (None, "1", "true")
    assert section.different_first_page_header_footer
    # The first page's header holds no field and no text: page 1 shows no number.
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert "PAGE" not in first._element.xml and not "".join(p.text for p in first.paragraphs)

    header = section.header
    instructions = [e.text.strip() for e in header._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    kinds = [e.get(qn("w:fldCharType")) for e in header._element.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    numbered = [p for p in header.paragraphs if "PAGE" in p._p.xml]
    assert len(numbered) == 1 and numbered[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    size = numbered[0].runs[0].font.size
    assert size is not None and 13 <= size.pt <= 14
    # In the top margin: the header sits above where the body starts.
    assert section.header_distance < section.top_margin


def _top_line(page) -> tuple[float, float, float, str]:  # type: ignore[no-untyped-def]
    """(baseline y, x, size, text) of the highest text on a PDF page."""
    found: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = cm[3] or 1.0
            found.append((tm[5] * scale + cm[5], tm[4] + cm[4], size * scale, text.strip()))

    page.extract_text(visitor_text=visit)
    return max(found)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_numbers_seen_in_the_pdf_from_page_two(tmp_path: Path) -> None:
    """As a reader opens it: page 1 starts with the header block, pages 2 and 3 with their
    number, 13 pt, in the top margin, centred between the side margins."""
    from pypdf import PdfReader

    ws = find_workspace(grid_workspace(tmp_path / "ws"))
    long_text = " ".join(["Đoạn kết quả dài để báo cáo sang trang."] * 250)
    files = make_report(ws, "2026-03", today=dt.date(2026, 4, 1), sections={"ket_qua": long_text})
    pages = PdfReader(docx_to_pdf(files.docx)).pages
    assert len(pages) >= 3
    first = _top_line(pages[0])
    assert not first[3].isdigit()
    top_margin = 842 - 20 * 72 / 25.4  # A4 height in points less the 20 mm margin
    middle = (30 + (210 - 18 - 30) / 2) * 72 / 25.4  # between the 30 mm and 18 mm margins
    for number, page in ((2, pages[1]), (3, pages[2])):
        y, x, size, text = _top_line(page)
        assert text == str(number)
        assert y > top_margin and 13 <= round(size) <= 14
        assert abs(x + 3 - middle) < 6  # a digit ~6 pt wide, centred within a few points
