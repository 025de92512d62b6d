"""The announcer's reading sheet, as HTML (to read on screen) and PDF (to print).

Large type, one numbered sentence per block and the pause after it marked, because the
import splits the take at those pauses: an announcer who pauses where the sheet says gives a
take that aligns sentence by sentence. The PDF is drawn with fpdf2 (pure Python, embeds and
subsets TrueType fonts with their Unicode maps) using the shipped Be Vietnam Pro, so stacked
Vietnamese diacritics print the same on every commune computer; Tai Viet text adds Noto Sans
Tai Viet as a fallback font.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from broadcast.errors import EngineError
from broadcast.takes.lines import TakeLine

# The announcers' own marks ("/" short, "//" long); Be Vietnam Pro has no ‖ glyph.
SHORT_PAUSE = "/ nghỉ ngắn"
LONG_PAUSE = "// nghỉ dài"
END = "— hết —"


@dataclass(frozen=True)
class SheetHeader:
    station: str
    title: str
    language: str
    language_name: str
    slug: str


def _pause(line: TakeLine, last: bool) -> str:
    if last:
        return END
    return LONG_PAUSE if line.long_pause else SHORT_PAUSE


def sheet_html(header: SheetHeader, lines: Sequence[TakeLine]) -> str:
    """A self-contained page; the font list names Noto Sans Tai Viet for Tai Viet text."""
    e = html.escape
    items = "\n".join(
        f'<li value="{line.number}"><p class="text" lang="{e(header.language)}">'
        f'{e(line.text)}</p><p class="pause">{e(_pause(line, i == len(lines) - 1))}</p></li>'
        for i, line in enumerate(lines)
    )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Phiếu đọc: {e(header.title)} ({e(header.language_name)})</title>
<style>
body {{ font-family: "Be Vietnam Pro", "Noto Sans Tai Viet", "Noto Sans", sans-serif;
       margin: 2em auto; max-width: 48em; line-height: 1.5; }}
h1 {{ font-size: 28pt; margin-bottom: 0.2em; }}
.meta {{ font-size: 14pt; color: #444; }}
ol {{ padding-left: 2.2em; }}
li {{ font-size: 24pt; font-weight: bold; margin: 0.8em 0; }}
.text {{ font-size: 26pt; font-weight: normal; margin: 0; }}
.pause {{ font-size: 14pt; color: #b00; margin: 0.2em 0 0; }}
@media print {{ li {{ break-inside: avoid; }} }}
</style>
</head>
<body>
<h1>{e(header.title)}</h1>
<p class="meta">{e(header.station)} · Phiếu đọc cho phát thanh viên · Ngôn ngữ:
{e(header.language_name)} ({e(header.language)}) · Kịch bản: {e(header.slug)}</p>
<p class="meta">Đọc từng câu theo số thứ tự. Dừng khoảng 1 giây ở mỗi dấu / và 2 giây ở //:
máy cắt bản thu thành từng câu ở những chỗ nghỉ đó.
(Read each numbered sentence; pause about 1 s at / and 2 s at //.)</p>
<ol>
{items}
</ol>
</body>
</html>
"""


def sheet_pdf(header: SheetHeader, lines: Sequence[TakeLine]) -> bytes:
    """An A4 PDF in 20 pt type; raises EngineError when a script has no font (Tai Viet)."""
    from fpdf import FPDF

    from broadcast.video.fonts import font_files_for

    everything = " ".join([header.title, header.station, *(line.text for line in lines)])
    regular = font_files_for(everything, "Regular")
    bold = font_files_for(header.title, "Bold")
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("BeVietnamPro", "", str(regular[0]))
    pdf.add_font("BeVietnamPro", "B", str(bold[0]))
    if len(regular) > 1:
        pdf.add_font("TaiViet", "", str(regular[1]))
        pdf.set_fallback_fonts(["TaiViet"])
    pdf.set_title(f"Phiếu đọc: {header.title}")
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("BeVietnamPro", "B", 22)
    pdf.multi_cell(width, 11, header.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("BeVietnamPro", "", 11)
    pdf.multi_cell(
        width,
        6,
        f"{header.station} · Phiếu đọc · {header.language_name} ({header.language}) · "
        f"{header.slug}\nDừng khoảng 1 giây ở /, 2 giây ở //.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    for i, line in enumerate(lines):
        pdf.set_font("BeVietnamPro", "B", 20)
        pdf.cell(14, 10, f"{line.number}.")
        pdf.set_font("BeVietnamPro", "", 20)
        pdf.multi_cell(width - 14, 10, line.text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("BeVietnamPro", "", 12)
        pdf.set_text_color(176, 0, 0)
        pdf.cell(14, 7, "")
        pdf.cell(width - 14, 7, _pause(line, i == len(lines) - 1), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(3)
    try:
        return bytes(pdf.output())
    except Exception as exc:  # fpdf2 reports a missing glyph or a bad font in many ways
        raise EngineError(f"Không tạo được tệp PDF phiếu đọc: {exc}.") from None
