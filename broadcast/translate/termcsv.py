"""The term base as CSV, for editors who keep terms in a spreadsheet.

Columns (header required, any order): ``term`` (Vietnamese), ``language``, ``target``,
``status`` (approved | proposed; empty means proposed, so nothing is approved by accident),
``forbidden`` (variants not to use, separated by ``|``), ``note``, ``source`` (where the
term comes from, e.g. a decree). Files are written with a UTF-8 BOM so that Excel shows
Vietnamese and Tai Viet letters correctly; the BOM is optional on import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

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
        raise InputError(f"{name}, dòng {reader.line_num}: CSV hỏng ({exc}).") from None
    rows = [(n, r) for n, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise InputError(f"{name} không có dòng nào.")
    header = [cell.strip().lower() for cell in rows[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing or unknown:
        raise InputError(
            f"{name}: dòng tiêu đề phải có các cột {', '.join(REQUIRED)} "
            f"(thêm tùy chọn: status, forbidden, note, source)"
            + (f"; thiếu {', '.join(missing)}" if missing else "")
            + (f"; không biết cột {', '.join(unknown)}" if unknown else "")
            + "."
        )
    terms = []
    for line, row in rows[1:]:
        where = f"{name}, dòng {line}"
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise InputError(f"{where}: có {len(row)} cột, nhiều hơn dòng tiêu đề ({len(header)}).")
        cells = {col: (row[i] if i < len(row) else "") for i, col in enumerate(header) if col}
        status = cells.get("status", "").strip().lower()
        if status not in _STATUSES:
            raise InputError(
                f"{where}: trạng thái '{cells['status']}' không hợp lệ; "
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
    return terms


def write_terms_csv(terms: Sequence[Term], *, bom: bool = True) -> bytes:
    """One row per target term; each row repeats its term's forbidden variants."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for t in terms:
        forbidden = SEPARATOR.join(t.forbidden)
        writer.writerow((t.term, t.language, t.target, t.status, forbidden, t.note, t.source))
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")
