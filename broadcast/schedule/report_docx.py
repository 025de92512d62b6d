"""The report as a .docx laid out like a Vietnamese administrative document (Nghị định
30/2020/NĐ-CP): the issuing body and the national motto side by side, the place and date,
the title, Roman-numbered parts with Arabic-numbered items, tables, and the signature block.

Numbers are written the Vietnamese way (1.234 lượt; 12,5 phút) because the document is read
and signed as it is; the CSV files beside it carry the same figures for machines.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from broadcast.schedule.report import Labels
from broadcast.schedule.report_model import ReportFigures, Tally
from broadcast.schedule.report_settings import ReportSettings

FONT = "Times New Roman"


def vn_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def vn_minutes(seconds: float) -> str:
    return f"{seconds / 60:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


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


def _header(document: Any, settings: ReportSettings, today: dt.date) -> None:
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    _para(left, settings.authority.upper(), size=13, align="center", first=True, space_after=0)
    _para(left, settings.center.upper(), bold=True, size=13, align="center", space_after=0)
    _para(left, "––––––––", align="center", space_after=2)
    _para(left, "Số:       /BC-TTDVTH", size=13, align="center")
    _para(
        right,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        bold=True,
        size=12.5,
        align="center",
        first=True,
        space_after=0,
    )
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13.5, align="center", space_after=0)
    _para(right, "––––––––––––––––––––", align="center", space_after=2)
    _para(right, vn_date_line(settings.place, today), italic=True, size=13.5, align="center")


def build_docx(
    figures: ReportFigures, settings: ReportSettings, labels: Labels, today: dt.date
) -> bytes:
    """The report document as bytes (written atomically by the caller)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.styles["Table Grid"].font.size = Pt(12)

    period, total = figures.period, figures.total
    _header(document, settings, today)
    _para(document, "BÁO CÁO", bold=True, size=14, align="center", space_after=0)
    title = (
        "Kết quả tuyên truyền cải cách hành chính trên hệ thống truyền thanh "
        f"{settings.unit} {period.label}"
    )
    _para(document, title, bold=True, size=14, align="center")
    _para(document, "––––––––", align="center")

    last_day = period.end - dt.timedelta(days=1)
    aired_languages = [t for t in figures.by_language if t.plays]
    aired_zones = [t for t in figures.by_zone if t.plays]
    cchc_plays = sum(s.plays for s in figures.segments)
    cchc_seconds = sum(s.seconds for s in figures.segments)
    _para(document, "I. TÌNH HÌNH CHUNG", bold=True)
    _para(
        document,
        f"Trong {period.label} (từ ngày {period.start:%d/%m/%Y} đến ngày {last_day:%d/%m/%Y}), "
        f"hệ thống truyền thanh {settings.unit} đã phát {vn_int(total.plays)} lượt với tổng "
        f"thời lượng {vn_minutes(total.seconds)} phút, trong đó {vn_int(cchc_plays)} lượt "
        f"({vn_minutes(cchc_seconds)} phút) phát {len(figures.segments)} bản tin tuyên truyền "
        f"cải cách hành chính; phát bằng {len(aired_languages)} ngôn ngữ, tại "
        f"{len(aired_zones)} cụm loa.",
    )
    _para(
        document,
        "Số liệu trong báo cáo được tổng hợp từ nhật ký phát thực tế của hệ thống loa "
        "(as-run), không lấy từ kế hoạch phát.",
        italic=True,
    )
    if figures.self_approvals:
        _para(document, self_approval_sentence(figures.self_approvals), italic=True)

    _para(document, "II. KẾT QUẢ CỤ THỂ", bold=True)
    _para(document, "1. Theo lĩnh vực cải cách hành chính", bold=True)
    _tally_table(document, "Lĩnh vực", figures.by_topic, labels.topic, total)
    _para(document, "2. Theo ngôn ngữ phát", bold=True)
    _tally_table(document, "Ngôn ngữ", figures.by_language, labels.language, total)
    _para(document, "3. Theo cụm loa", bold=True)
    _tally_table(document, "Cụm loa", figures.by_zone, labels.zone, total)
    _para(document, "4. Theo tháng", bold=True)
    _tally_table(document, "Tháng", figures.by_month, labels.month, total)
    _para(document, "5. Các bản tin đã phát", bold=True)
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

    _para(document, "III. ĐÁNH GIÁ VIỆC THỰC HIỆN CHỈ TIÊU", bold=True)
    targets = [f"ít nhất {settings.min_cchc_segments_per_month} bản tin CCHC mỗi tháng"]
    if settings.min_cchc_plays_per_month:
        targets.append(f"ít nhất {settings.min_cchc_plays_per_month} lượt phát mỗi tháng")
    if settings.min_cchc_minutes_per_month:
        targets.append(f"ít nhất {settings.min_cchc_minutes_per_month:g} phút mỗi tháng")
    _para(document, "Chỉ tiêu theo kế hoạch: " + "; ".join(targets) + ".")
    _table(
        document,
        ("Tháng", "Số bản tin CCHC", "Số lượt phát", "Thời lượng (phút)", "Đánh giá"),
        [
            (
                labels.month(m.month),
                vn_int(m.cchc_segments),
                vn_int(m.cchc_plays),
                vn_minutes(m.cchc_minutes * 60),
                "Đạt" if m.met else "Không đạt (" + "; ".join(m.shortfalls) + ")",
            )
            for m in figures.months
        ],
    )
    missed = [labels.month(m.month).lower() for m in figures.months if not m.met]
    _para(document, "IV. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    if missed:
        _para(
            document,
            f"Chưa đạt chỉ tiêu trong {', '.join(missed)}; đề nghị bổ sung bản tin và khung giờ "
            "phát cho chuyên mục cải cách hành chính trong kỳ tới.",
        )
    else:
        _para(
            document,
            "Các tháng trong kỳ đều đạt chỉ tiêu; tiếp tục duy trì chuyên mục cải cách hành "
            "chính trên hệ thống truyền thanh.",
        )

    sign = document.add_table(rows=1, cols=2)
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


def self_approval_sentence(count: int) -> str:
    """Said in the report whenever the four-eyes rule was off and someone approved a text
    they had last edited themselves (shared by the DOCX and HTML reports)."""
    return (
        f"Trong kỳ có {vn_int(count)} lần tự duyệt (người sửa văn bản lần cuối tự duyệt, "
        "đài đã tắt nguyên tắc bốn mắt: [review] four_eyes = false)."
    )
