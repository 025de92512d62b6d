"""The report as a .docx laid out like a Vietnamese administrative document (Nghị định
30/2020/NĐ-CP, Phụ lục I): the issuing body and the national name side by side, number and
symbol, place and date, the title, Roman-numbered parts with Arabic-numbered items, tables,
"Nơi nhận" and the signature block, on A4 with the decree's margins.

The national name (12 pt bold) and the motto (13 pt bold) must each stay on ONE line: a
văn thư sends back a report whose header wraps. Their widths in Times New Roman (and its
metric twin Liberation Serif, which LibreOffice uses) are 8,8 cm and 5,6 cm; the right
column is 10 cm with a fixed table layout, so both fit with the cell margins on any reader.
The layout is checked by converting the document to PDF with LibreOffice and measuring the
header lines (tests/test_report_docx.py).

Numbers are written the Vietnamese way (1.234 lượt; 12,5 phút) because the document is read
and signed as it is; the CSV files beside it carry the same figures for machines.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from broadcast.schedule.report import PUBLICATIONS_HEADING, Labels
from broadcast.schedule.report_model import ChannelCount, Emergency, ReportFigures, Tally
from broadcast.schedule.report_narrative import (
    SECTIONS,
    draft_sections,
    paragraphs,
    provisional_note,
    vn_int,
    vn_minutes,
)
from broadcast.schedule.report_settings import ReportSettings

if TYPE_CHECKING:
    from broadcast.publish.departments import DepartmentRow

FONT = "Times New Roman"
# Nghị định 30/2020/NĐ-CP, Phụ lục I: A4; top and bottom 20-25 mm, left 30-35 mm, right
# 15-20 mm; the national name 12-13 pt bold, the motto 13-14 pt bold, body 13-14 pt.
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.8}
HEADER_COLUMNS_CM = (6.0, 10.0)  # 16 cm of the 16,2 cm between the margins
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_NAME_PT = 12.0
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOTTO_PT = 13.0
BODY_PT = 13.0
PAGE_NUMBER_PT = 13.0  # the decree: 13-14 pt
__all__ = [
    "build_docx",
    "emergency_sentence",
    "self_approval_sentence",
    "vn_date_line",
    "vn_int",
    "vn_minutes",
]


def vn_date_line(place: str, day: dt.date) -> str:
    """'Mường La, ngày 05 tháng 01 năm 2026': days below 10 and months 1-2 take a zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _para(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align: str = "justify",
    first: bool = False,
    space_after: float = 4,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    paragraph.paragraph_format.space_after = Pt(space_after)
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    run.font.size = Pt(size)
    return paragraph


def _table(document: Any, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Any:
    """A bordered table; body cells take the table style's font, set once, because a
    province's report has thousands of cells and per-run formatting dominates its time."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _para(cell, text, bold=True, size=12, align="center", first=True, space_after=0)
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if index != 1 and any(ch.isdigit() for ch in text):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph()
    return table


def _tally_table(
    document: Any, name: str, tallies: Sequence[Tally], label: Any, total: Tally
) -> None:
    rows = [
        (str(i), label(t.key), vn_int(t.plays), vn_minutes(t.seconds))
        for i, t in enumerate(tallies, start=1)
    ]
    rows.append(("", "Tổng cộng", vn_int(total.plays), vn_minutes(total.seconds)))
    _table(document, ("STT", name, "Số lượt phát", "Thời lượng (phút)"), rows)


def _fixed_widths(table: Any, widths_cm: Sequence[float]) -> None:
    """Fixed layout with explicit column widths: Word and LibreOffice then keep the columns
    as set instead of fitting them to their text (which is what let the header wrap)."""
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def document_symbol(center: str) -> str:
    """'Trung tâm Dịch vụ tổng hợp' -> 'TTDVTH': the issuing body's initials, as in the
    number and symbol 'Số: .../BC-TTDVTH'."""
    import unicodedata

    initials = []
    for word in center.replace("-", " ").split():
        first = word[0].replace("Đ", "D").replace("đ", "d")
        base = unicodedata.normalize("NFD", first)[0]
        if base.isalpha():
            initials.append(base.upper())
    return "".join(initials) or "BC"


def _header(document: Any, settings: ReportSettings, today: dt.date) -> None:
    table = document.add_table(rows=1, cols=2)
    _fixed_widths(table, HEADER_COLUMNS_CM)
    left, right = table.rows[0].cells
    _para(left, settings.authority.upper(), size=12, align="center", first=True, space_after=0)
    _para(left, settings.center.upper(), bold=True, size=12, align="center", space_after=0)
    _para(left, "––––––––", align="center", space_after=2)
    _para(left, f"Số:       /BC-{document_symbol(settings.center)}", size=13, align="center")
    _para(
        right,
        NATIONAL_NAME,
        bold=True,
        size=NATIONAL_NAME_PT,
        align="center",
        first=True,
        space_after=0,
    )
    _para(right, MOTTO, bold=True, size=MOTTO_PT, align="center", space_after=0)
    _para(right, "––––––––––––––––––––", align="center", space_after=2)
    _para(right, vn_date_line(settings.place, today), italic=True, size=13, align="center")


def _page_numbers(section: Any) -> None:
    """Page numbers as the decree sets them (Phụ lục I): Arabic numerals, 13 pt, centred in
    the top margin, none on the first page. A PAGE field (not typed numbers) so Word and
    LibreOffice count the pages as they lay them out; a different first page whose header is
    left empty hides the number on page 1."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # its own header, left empty
    section.header_distance = Cm(1.0)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.name = FONT
    run.font.size = Pt(PAGE_NUMBER_PT)
    begin, instruction, separate, shown, end = (
        OxmlElement(tag) for tag in ("w:fldChar", "w:instrText", "w:fldChar", "w:t", "w:fldChar")
    )
    for element, kind in ((begin, "begin"), (separate, "separate"), (end, "end")):
        element.set(qn("w:fldCharType"), kind)
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    shown.text = "2"  # shown until the reader updates the field
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)


def _body(document: Any, text: str, *, italic: bool = False) -> None:
    from docx.shared import Cm

    paragraph = _para(document, text, italic=italic, size=BODY_PT, space_after=6)
    paragraph.paragraph_format.first_line_indent = Cm(1)


def _section_text(document: Any, text: str) -> None:
    lines = paragraphs(text)
    if not lines:
        _body(document, "." * 60)  # left for the signer to fill by hand
    for line in lines:
        _body(document, line)


ROMAN_PARTS = ("I", "II", "III", "IV", "V")


def build_docx(
    figures: ReportFigures,
    settings: ReportSettings,
    labels: Labels,
    today: dt.date,
    *,
    sections: Mapping[str, str] | None = None,
    provisional: bool = False,
    as_of: dt.date | None = None,
    departments: Sequence[DepartmentRow] = (),
) -> bytes:
    """The report document as bytes (written atomically by the caller).

    ``sections`` are the narrative sections by key (report_narrative.SECTIONS); left out,
    the drafts from the figures are used. ``provisional`` marks figures of a period that
    has not ended (counted up to ``as_of``). ``departments`` (issue 14), when the station
    declares any, is the table of their portal articles against the plan."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    text = dict(draft_sections(figures, settings.unit, labels))
    if sections is not None:
        text.update(sections)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.styles["Table Grid"].font.size = Pt(12)

    period, total = figures.period, figures.total
    _page_numbers(section)
    _header(document, settings, today)
    _para(document, "BÁO CÁO", bold=True, size=14, align="center", space_after=0)
    title = (
        "Kết quả tuyên truyền cải cách hành chính trên hệ thống truyền thanh "
        f"{settings.unit} {period.label}"
    )
    _para(document, title, bold=True, size=14, align="center", space_after=0)
    _para(document, "––––––––", align="center")
    if provisional:
        note = provisional_note(period, as_of or today)
        _para(document, f"({note})", bold=True, italic=True, size=BODY_PT, align="center")

    headings = {key: heading for key, heading, _ in SECTIONS}
    _para(document, f"I. {headings['ket_qua']}", bold=True)
    _para(document, "1. Tình hình chung", bold=True)
    _section_text(document, text["ket_qua"])
    _body(
        document,
        "Số liệu trong báo cáo được tổng hợp từ nhật ký phát thực tế của hệ thống loa "
        "(as-run), không lấy từ kế hoạch phát.",
        italic=True,
    )
    if figures.self_approvals:
        _body(document, self_approval_sentence(figures.self_approvals), italic=True)
    if figures.emergencies:
        _body(document, emergency_sentence(figures.emergencies))

    _para(document, "2. Theo lĩnh vực cải cách hành chính", bold=True)
    _tally_table(document, "Lĩnh vực", figures.by_topic, labels.topic, total)
    _para(document, "3. Theo ngôn ngữ phát", bold=True)
    _tally_table(document, "Ngôn ngữ", figures.by_language, labels.language, total)
    _para(document, "4. Theo cụm loa", bold=True)
    _tally_table(document, "Cụm loa", figures.by_zone, labels.zone, total)
    _para(document, "5. Theo tháng", bold=True)
    _tally_table(document, "Tháng", figures.by_month, labels.month, total)
    _para(document, "6. Các bản tin đã phát", bold=True)
    _table(
        document,
        ("STT", "Bản tin", "Lĩnh vực", "Ngôn ngữ", "Số lượt phát", "Thời lượng (phút)"),
        [
            (
                str(i),
                s.title,
                labels.topic(s.topic),
                ", ".join(labels.language(code) for code in s.languages),
                vn_int(s.plays),
                vn_minutes(s.seconds),
            )
            for i, s in enumerate(figures.segments, start=1)
        ]
        or [("", "Không có bản tin nào được phát trong kỳ.", "", "", "", "")],
    )

    _para(document, "7. Đánh giá việc thực hiện chỉ tiêu", bold=True)
    targets = [f"ít nhất {settings.min_cchc_segments_per_month} bản tin CCHC mỗi tháng"]
    if settings.min_cchc_plays_per_month:
        targets.append(f"ít nhất {settings.min_cchc_plays_per_month} lượt phát mỗi tháng")
    if settings.min_cchc_minutes_per_month:
        targets.append(f"ít nhất {settings.min_cchc_minutes_per_month:g} phút mỗi tháng")
    _body(document, "Chỉ tiêu theo kế hoạch: " + "; ".join(targets) + ".")
    _table(
        document,
        ("Tháng", "Số bản tin CCHC", "Số lượt phát", "Thời lượng (phút)", "Đánh giá"),
        month_rows(figures, labels),
    )
    if departments:
        _department_table(document, departments)
    if figures.publications:
        _publication_table(document, figures.publications, 9 if departments else 8)
    for number, (key, heading, _) in enumerate(SECTIONS[1:], start=2):
        _para(document, f"{ROMAN_PARTS[number - 1]}. {heading}", bold=True)
        _section_text(document, text[key])

    sign = document.add_table(rows=1, cols=2)
    _fixed_widths(sign, (7.5, 8.5))
    left, right = sign.rows[0].cells
    _para(
        left, "Nơi nhận:", bold=True, italic=True, size=12, align="left", first=True, space_after=0
    )
    for line in ("- UBND xã (b/c);", "- Lưu: VT."):
        _para(left, line, size=11, align="left", space_after=0)
    _para(right, settings.signer_title.upper(), bold=True, align="center", first=True)
    _para(right, "", space_after=48)
    _para(right, settings.signer, bold=True, align="center")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DEPARTMENT_HEADING = "8. Tin bài CCHC đăng trên Trang thông tin điện tử"


def month_rows(figures: ReportFigures, labels: Labels) -> list[tuple[str, str, str, str, str]]:
    """The rows of the targets table (month, segments, plays, minutes, verdict): one
    wording for the .docx and the web page."""
    return [
        (
            labels.month(m.month),
            vn_int(m.cchc_segments),
            vn_int(m.cchc_plays),
            vn_minutes(m.cchc_minutes * 60),
            "Đạt" if m.met else "Không đạt (" + "; ".join(m.shortfalls) + ")",
        )
        for m in figures.months
    ]


def _department_table(document: Any, rows: Sequence[DepartmentRow]) -> None:
    """Each department's portal articles in the period against the plan (issue 14)."""
    _para(document, DEPARTMENT_HEADING, bold=True)
    body = [
        (
            str(i),
            row.name,
            vn_int(row.planned),
            vn_int(row.submitted),
            vn_int(row.on_time),
            vn_int(row.late),
            "Đạt" if row.met else "Không đạt",
        )
        for i, row in enumerate(rows, start=1)
    ]
    total = (
        "",
        "Tổng cộng",
        vn_int(sum(r.planned for r in rows)),
        vn_int(sum(r.submitted for r in rows)),
        vn_int(sum(r.on_time for r in rows)),
        vn_int(sum(r.late for r in rows)),
        "",
    )
    header = ("STT", "Đơn vị", "Kế hoạch", "Đã gửi", "Đúng hạn", "Muộn", "Đánh giá")
    _table(document, header, [*body, total])


def _publication_table(document: Any, rows: Sequence[ChannelCount], number: int) -> None:
    """Items recorded as published in the period per channel (issue 14, item 6)."""
    _para(document, f"{number}. {PUBLICATIONS_HEADING}", bold=True)
    body = [(str(i), c.label, vn_int(c.count)) for i, c in enumerate(rows, start=1)]
    total = ("", "Tổng cộng", vn_int(sum(c.count for c in rows)))
    _table(document, ("STT", "Kênh", "Số tin bài đã đăng"), [*body, total])
    _body(
        document,
        "Số liệu theo nhật ký đăng tin do người đăng tin ghi lại sau mỗi lần đăng.",
        italic=True,
    )


def emergency_sentence(emergencies: Sequence[Emergency]) -> str:
    """The period's emergency broadcasts in one sentence (DOCX and HTML reports)."""
    items = "; ".join(
        f"{e.starts_at[8:10]}/{e.starts_at[5:7]}/{e.starts_at[:4]} lúc {e.starts_at[11:16]}: "
        f"“{e.title}” (cụm loa {', '.join(e.zones)})"
        for e in emergencies
    )
    return f"Trong kỳ có {vn_int(len(emergencies))} lần phát khẩn cấp: {items}."


def self_approval_sentence(count: int) -> str:
    """Said in the report whenever the four-eyes rule was off and someone approved a text
    they had last edited themselves (shared by the DOCX and HTML reports)."""
    return (
        f"Trong kỳ có {vn_int(count)} lần tự duyệt (người sửa văn bản lần cuối tự duyệt, "
        "đài đã tắt nguyên tắc bốn mắt: [review] four_eyes = false)."
    )
