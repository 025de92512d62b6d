"""A bilingual .docx for editors who work in Word: one table, one row per segment.

Columns: segment number, Vietnamese, the translation, state. Editors type in the third
column only; the number and the Vietnamese identify the row when it comes back, and the
state column may be changed to any of the four state names (or their Vietnamese labels).
The script and language are kept in the document's core properties (identifier, language)
and shown in its first paragraph.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from broadcast.errors import InputError
from broadcast.review.exchange import ImportedFile, ImportedSegment
from broadcast.review.model import STATE_LABELS, ReviewState, Translation
from broadcast.store.files import atomic_write_bytes

IDENTIFIER_PREFIX = "broadcast:"
HEADERS = ("Đoạn", "Tiếng Việt (vi)", "Bản dịch", "Trạng thái")


def to_docx(translation: Translation) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    props = doc.core_properties
    props.identifier = f"{IDENTIFIER_PREFIX}{translation.slug}"
    props.language = translation.language
    props.title = translation.title
    props.category = "broadcast-translation"
    doc.add_heading(translation.title, level=1)
    doc.add_paragraph(
        f"Kịch bản '{translation.slug}' — bản dịch '{translation.language}'. Chỉ sửa cột "
        "'Bản dịch' (và 'Trạng thái' nếu cần); không thêm, xóa hay đổi thứ tự dòng. / Edit "
        "the translation column only; do not add, delete or reorder rows."
    )
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
    table.rows[0].cells[2].text = f"Bản dịch ({translation.language})"
    for s in translation.segments:
        row = table.add_row().cells
        row[0].text = str(s.position)
        row[1].text = s.source
        row[2].text = s.target
        row[3].text = f"{s.state.value} ({s.state.label})"
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(1.2), Cm(7.5), Cm(7.5), Cm(2.6)), strict=True):
            cell.width = width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_docx(translation: Translation, path: Path) -> None:
    atomic_write_bytes(path, to_docx(translation))


def read_docx(path: Path) -> ImportedFile:
    """Parse and validate a bilingual .docx made by ``write_docx``."""
    from docx import Document

    if not path.is_file():
        raise InputError(f"Không có tệp {path}.")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path.name} không phải tệp .docx (Word) hợp lệ.")
    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for bad packages
        raise InputError(f"{path.name} không mở được như tệp .docx ({exc}).") from None
    identifier = doc.core_properties.identifier or ""
    language = doc.core_properties.language or ""
    if not identifier.startswith(IDENTIFIER_PREFIX) or not language:
        raise InputError(
            f"{path.name} không ghi kịch bản và ngôn ngữ (tệp không xuất từ "
            "'broadcast review export --format docx')."
        )
    if not doc.tables:
        raise InputError(f"{path.name}: không có bảng song ngữ.")
    table = doc.tables[0]
    rows = table.rows
    if len(rows) < 2 or len(table.columns) != 4:
        raise InputError(f"{path.name}: bảng song ngữ phải có 4 cột và ít nhất một đoạn.")
    segments: list[ImportedSegment] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [_cell_text(c) for c in row.cells]
        if len(cells) != 4 or not cells[0].strip().isdigit():
            raise InputError(f"{path.name}: dòng {number} của bảng không có số đoạn hợp lệ.")
        segments.append(
            ImportedSegment(
                position=int(cells[0].strip()),
                source=cells[1],
                target=cells[2],
                state=_state(cells[3], path, number),
            )
        )
    return ImportedFile(
        script_ref=identifier[len(IDENTIFIER_PREFIX) :],
        source_language="vi",
        language=language,
        segments=tuple(segments),
    )


def _cell_text(cell: object) -> str:
    paragraphs = getattr(cell, "paragraphs", [])
    return "\n".join(p.text for p in paragraphs)


def _state(text: str, path: Path, number: int) -> ReviewState | None:
    word = text.strip()
    if not word:
        return None
    key = word.split(" (")[0].strip()
    for state in ReviewState:
        if key == state.value or key.casefold() == STATE_LABELS[state].casefold():
            return state
    names = ", ".join(s.value for s in ReviewState)
    raise InputError(
        f"{path.name}: dòng {number} có trạng thái '{word}' không hợp lệ (dùng: {names})."
    )
