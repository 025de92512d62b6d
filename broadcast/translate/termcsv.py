"""The term base as CSV, for editors who keep terms in a spreadsheet.

Columns (header required, any order): ``term`` (Vietnamese), ``language``, ``target``,
``status`` (approved | proposed; empty means proposed, so nothing is approved by accident),
``forbidden`` (variants not to use, separated by ``|``), ``note``, ``source`` (where the
term comes from, e.g. a decree). Files are written with a UTF-8 BOM so that Excel shows
Vietnamese and Tai Viet letters correctly; the BOM is optional on import.

A file is imported whole or not at all. Every row must have the header's number of columns
and its required cells filled: a row cut short (a file copied half-way, a last line lost)
would otherwise read its missing ``status`` as "proposed" and quietly demote an approved
term. A file that ends without a line break after a row whose last cell is empty is taken
as cut for the same reason. Cells a spreadsheet would execute (``=``, ``+``, ``-``, ``@``...)
are written with a leading apostrophe and read back without it (``broadcast.csvsafe``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from broadcast.csvsafe import csv_text, looks_cut, unescape_cell
from broadcast.errors import InputError
from broadcast.translate.exchange import decode_utf8
from broadcast.translate.values import Term, TermStatus

COLUMNS = ("term", "language", "target", "status", "forbidden", "note", "source")
REQUIRED = ("term", "language", "target")
SEPARATOR = "|"
_STATUSES = {
    "approved": TermStatus.APPROVED,
    "đã duyệt": TermStatus.APPROVED,
    "proposed": TermStatus.PROPOSED,
    "đề xuất": TermStatus.PROPOSED,
    "": TermStatus.PROPOSED,
}


def read_terms_csv(data: bytes, name: str) -> list[Term]:
    """Every row of a CSV term file, or an ``InputError`` naming the first bad line."""
    text = decode_utf8(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise InputError(
                f"{name}, dòng {reader.line_num}: CSV hỏng, tệp kết thúc giữa một ô còn mở dấu "
                "ngoặc kép (tệp bị cắt?); không nhập gì, hãy lưu hoặc xuất lại tệp đầy đủ."
            ) from None
        raise InputError(f"{name}, dòng {reader.line_num}: CSV hỏng ({exc}).") from None
    rows = [(n, [unescape_cell(c) for c in r]) for n, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise InputError(f"{name} không có dòng nào.")
    header = [cell.strip().lower() for cell in rows[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = list(dict.fromkeys(c for c in header if c and c not in COLUMNS))
    if missing or unknown:
        # A damaged file can have thousands of "columns": name a few, one sentence stays short.
        shown = ", ".join(c[:40] for c in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise InputError(
            f"{name}: dòng tiêu đề phải có các cột {', '.join(REQUIRED)} "
            f"(thêm tùy chọn: status, forbidden, note, source)"
            + (f"; thiếu {', '.join(missing)}" if missing else "")
            + (f"; không biết cột {shown}" if unknown else "")
            + "."
        )
    width = len(header)
    while width > len(REQUIRED) and not header[width - 1]:
        width -= 1  # trailing empty header cells (a spreadsheet's blank columns) are optional
    terms = []
    for line, row in rows[1:]:
        where = f"{name}, dòng {line}"
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise InputError(f"{where}: có {len(row)} cột, nhiều hơn dòng tiêu đề ({len(header)}).")
        if len(row) < width:
            raise InputError(
                f"{where}: chỉ có {len(row)} cột, ít hơn dòng tiêu đề ({width}) — dòng bị cắt "
                "hoặc thiếu dấu phẩy; không nhập gì, hãy sửa hoặc xuất lại tệp."
            )
        cells = {col: (row[i] if i < len(row) else "") for i, col in enumerate(header) if col}
        empty = [col for col in REQUIRED if not cells[col].strip()]
        if empty:
            raise InputError(
                f"{where}: thiếu {', '.join(empty)} (cột bắt buộc); không nhập gì, hãy điền "
                "hoặc xóa dòng này."
            )
        status = cells.get("status", "").strip().lower()
        if status not in _STATUSES:
            raise InputError(
                f"{where}: trạng thái '{cells['status'][:40]}' không hợp lệ; "
                "dùng approved hoặc proposed."
            )
        terms.append(
            Term(
                term=cells["term"],
                language=cells["language"],
                target=cells["target"],
                status=_STATUSES[status],
                note=cells.get("note", ""),
                source=cells.get("source", ""),
                forbidden=tuple(
                    v for v in (s.strip() for s in cells.get("forbidden", "").split(SEPARATOR)) if v
                ),
                where=where,
            )
        )
    if not terms:
        raise InputError(f"{name} chỉ có dòng tiêu đề, không có thuật ngữ nào.")
    _refuse_cut_end(text, rows[-1], len(rows), name)
    return terms


def _refuse_cut_end(text: str, last: tuple[int, list[str]], count: int, name: str) -> None:
    """A file that stops right after an empty last cell, with no line break, was most likely
    cut there: its empty cell (status -> "proposed") is not a choice."""
    line, row = last
    if count >= 2 and looks_cut(text, row):
        raise InputError(
            f"{name}, dòng {line}: tệp kết thúc giữa dòng, ngay sau một ô trống (tệp bị cắt?); "
            "không nhập gì. Nếu dòng đó đúng, hãy thêm một dấu xuống dòng ở cuối tệp."
        )


def write_terms_csv(terms: Sequence[Term], *, bom: bool = True) -> bytes:
    """One row per target term; each row repeats its term's forbidden variants."""
    rows = [
        (t.term, t.language, t.target, str(t.status), SEPARATOR.join(t.forbidden), t.note, t.source)
        for t in terms
    ]
    return (("\ufeff" if bom else "") + csv_text(COLUMNS, rows)).encode("utf-8")
