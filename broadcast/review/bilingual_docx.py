"""A bilingual .docx for editors who work in Word: one table, one row per segment.

Columns: segment number (from 1, like the script's sentences everywhere), Vietnamese, the
translation, state. Editors type in the third column only; the number and the Vietnamese
identify the row when it comes back, and the state column may be changed to any of the
four state names (or their Vietnamese labels). The script and language are kept in the
document's core properties (identifier, language) and shown in its first paragraph.

What each row was exported from (the SHA-256 of its translation and of its Vietnamese
sentence) is kept in the document's custom properties (``docProps/custom.xml``), one
property ``broadcast-base-<n>`` per segment, so that an import can refuse to overwrite a
text changed since (see ``broadcast.review.exchange``). Custom properties are kept by Word
and LibreOffice when they save, unlike a hidden column an editor can delete or a custom XML
part LibreOffice drops; one short property per row also stays under Word's 255-character
limit for a property value.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from broadcast.errors import InputError
from broadcast.review.exchange import ExportBase, ImportedFile, ImportedSegment
from broadcast.review.model import STATE_LABELS, ReviewState, Translation
from broadcast.safeparse import check_zip, parse_xml_bytes
from broadcast.store.files import atomic_write_bytes

IDENTIFIER_PREFIX = "broadcast:"
# Files exported since issue 10 number their rows from 1, as every command numbers a
# script's sentences, and say so in the first column's heading; a file whose heading is the
# old one ("Đoạn") is an older export numbered from 0 and is still read as such.
HEADERS = ("Đoạn (từ 1)", "Tiếng Việt (vi)", "Bản dịch", "Trạng thái")
OLD_NUMBER_HEADING = "Đoạn"
BASE_PREFIX = "broadcast-base-"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id every application uses for user-defined properties.
USER_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_BASE = re.compile(r"([0-9a-f]{64}) ([0-9a-f]{64})")
_NUMBER = re.compile(r"[0-9]{1,6}")


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
        row[0].text = str(s.position + 1)
        row[1].text = s.source
        row[2].text = s.target
        row[3].text = f"{s.state.value} ({s.state.label})"
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(1.2), Cm(7.5), Cm(7.5), Cm(2.6)), strict=True):
            cell.width = width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
    # Keyed by the stored position (from 0): only the visible column counts from 1.
    _add_custom_properties(
        doc,
        {f"{BASE_PREFIX}{s.position}": _base_value(ExportBase.of(s)) for s in translation.segments},
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _base_value(base: ExportBase) -> str:
    return f"{base.target_sha256} {base.source_sha256}"


def _add_custom_properties(doc: object, values: dict[str, str]) -> None:
    """Write ``docProps/custom.xml`` (python-docx has no API for it) with string values."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    props = "".join(
        f'<property fmtid="{USER_FMTID}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{props}</Properties>'
    ).encode()
    package = doc.part.package  # type: ignore[attr-defined]
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _read_bases(doc: object, path: Path) -> dict[int, ExportBase]:
    """Position -> what the row was exported from, from the custom properties if present."""
    from docx.opc.constants import CONTENT_TYPE as CT

    package = doc.part.package  # type: ignore[attr-defined]
    bases: dict[int, ExportBase] = {}
    for part in package.iter_parts():
        if part.content_type != CT.OFC_CUSTOM_PROPERTIES:
            continue
        root = parse_xml_bytes(part.blob, f"{path.name} (docProps/custom.xml)")
        for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
            name = prop.get("name", "")
            if not name.startswith(BASE_PREFIX):
                continue
            number = name[len(BASE_PREFIX) :]
            value = "".join(prop.itertext()).strip()
            match = _BASE.fullmatch(value)
            if not _NUMBER.fullmatch(number) or not match:
                raise InputError(
                    f"{path.name}: thuộc tính '{name}' (nơi ghi bản đã xuất) bị hỏng; "
                    "hãy xuất lại tệp, không nhập gì."
                )
            bases[int(number)] = ExportBase(match.group(1), match.group(2))
    return bases


def write_docx(translation: Translation, path: Path) -> None:
    atomic_write_bytes(path, to_docx(translation))


def read_docx(path: Path) -> ImportedFile:
    """Parse and validate a bilingual .docx made by ``write_docx``."""
    from docx import Document

    if not path.is_file():
        raise InputError(f"Không có tệp {path}.")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path.name} không phải tệp .docx (Word) hợp lệ.")
    check_zip(path.read_bytes(), path.name)  # sizes checked before python-docx unpacks a bomb
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
    bases = _read_bases(doc, path)
    first = 0 if _cell_text(rows[0].cells[0]).strip() == OLD_NUMBER_HEADING else 1
    segments: list[ImportedSegment] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [_cell_text(c) for c in row.cells]
        # "²" is a digit to isdigit() but not to int(): only ASCII digits name a segment.
        if len(cells) != 4 or not _NUMBER.fullmatch(cells[0].strip()):
            raise InputError(f"{path.name}: dòng {number} của bảng không có số đoạn hợp lệ.")
        position = int(cells[0].strip()) - first  # stored positions start at 0
        segments.append(
            ImportedSegment(
                position=position,
                source=cells[1],
                target=cells[2],
                state=_state(cells[3], path, number),
                base=bases.get(position),
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
        f"{path.name}: dòng {number} có trạng thái '{word[:40]}' không hợp lệ (dùng: {names})."
    )
