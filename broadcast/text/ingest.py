"""Read a user's article file into an Article, or refuse it with one clear sentence.

Every check on the file happens before any cleaning, so a bad input fails fast and the
message names the actual problem (missing, a folder, wrong type, empty, binary, too big)
instead of a decoding traceback three stages later.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.errors import InputError
from broadcast.safeparse import check_zip
from broadcast.text.clean import (
    HEADING,
    REPLACED_TITLE,
    TABLE,
    TEXT,
    TITLE,
    Cleaned,
    Line,
    Paragraph,
    Removed,
    clean_lines,
)
from broadcast.text.clean import clean_text as _clean_text
from broadcast.text.damage import REPAIRED, repair
from broadcast.text.decode import decode_bytes, to_nfc
from broadcast.text.model import Article
from broadcast.text.pdfdoc import pdf_document, take_title
from broadcast.text.title import heading_title, sentence_title

if TYPE_CHECKING:
    from docx.table import Table

SUPPORTED_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
# A commune article is a few pages; more than this is a wrong file (a database dump, a book).
MAX_TEXT_BYTES = 5 * 1024 * 1024
# A .docx, .pdf or saved web page also carries images, fonts and scripts, so only its text
# is held to MAX_TEXT_BYTES; this bounds the container.
MAX_DOCX_BYTES = 50 * 1024 * 1024
_CONTAINERS = frozenset({"docx", "pdf", "html"})
# What the report names as the encoding of formats that carry their own.
_CONTAINER_ENCODING = {"docx": "docx (UTF-8 XML)", "pdf": "pdf (lớp chữ)"}
# Fewer words than this are a wrong file or a fragment, never a bulletin; the shortest real
# notice ("Xã tiếp dân sáng thứ Hai") still has six.
MIN_ARTICLE_WORDS = 5
# A markdown title is the heading at the top, not a section heading further down.
_MD_TITLE_WINDOW = 3


# --- checks --------------------------------------------------------------------------------


def _too_large(path: Path, size: int, limit: int) -> InputError:
    return InputError(
        f"Tệp {path} quá lớn ({size / 1024 / 1024:.1f} MB, tối đa {limit // 1024 // 1024} MB): "
        "hãy tách bài viết thành các tệp nhỏ hơn."
    )


def _empty(path: Path) -> InputError:
    return InputError(f"Tệp {path} rỗng, không có chữ nào: hãy chọn tệp có nội dung bài viết.")


def _check_path(path: Path) -> str:
    """Validate the path and return the article format; nothing is read yet."""
    if not path.exists():
        raise InputError(f"Không tìm thấy tệp {path}: hãy kiểm tra lại tên và đường dẫn tệp.")
    if path.is_dir():
        raise InputError(
            f"{path} là một thư mục, không phải tệp: hãy chỉ ra một tệp bài viết cụ thể."
        )
    fmt = SUPPORTED_FORMATS.get(path.suffix.lower())
    if fmt is None:
        supported = ", ".join(SUPPORTED_FORMATS)
        raise InputError(
            f"Tệp {path} có loại '{path.suffix or 'không đuôi'}' mà công cụ không hỗ trợ: "
            f"hãy dùng tệp có đuôi {supported}."
        )
    size = path.stat().st_size
    if size == 0:
        raise _empty(path)
    limit = MAX_DOCX_BYTES if fmt in _CONTAINERS else MAX_TEXT_BYTES
    if size > limit:
        raise _too_large(path, size, limit)
    return fmt


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"Không đọc được tệp {path}: hãy kiểm tra quyền truy cập tệp rồi thử lại."
        ) from exc


def _check_text(text: str, path: Path) -> None:
    if not text.strip():
        raise _empty(path)
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise _too_large(path, size, MAX_TEXT_BYTES)


# --- formats -------------------------------------------------------------------------------


def _bad_docx(path: Path) -> InputError:
    return InputError(
        f"Tệp {path} không phải tài liệu Word .docx hợp lệ: "
        "hãy mở tệp bằng Word và lưu lại dưới dạng .docx."
    )


def _docx_kind(style_name: str) -> str:
    if style_name in ("Title", "Heading 1"):
        return TITLE
    return HEADING if style_name.startswith("Heading") else TEXT


def _docx_lines(raw: bytes, path: Path) -> tuple[list[Line], list[str]]:
    """Paragraphs as lines (blank between), and tables, which do not read well on air."""
    import docx  # python-docx is slow to import; only .docx users pay for it

    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise _bad_docx(path)
    check_zip(raw, f"Tệp {path}")  # before python-docx reads every part into memory
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors, ...
        raise _bad_docx(path) from exc
    lines: list[Line] = []
    tables: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            tables.append(_table_text(item))
            continue
        style = item.style.name if item.style is not None else ""
        text = to_nfc(re.sub(r"\s*\n\s*", " ", item.text))
        lines += [Line(text, _docx_kind(style or "")), Line("")]
    return lines, [to_nfc(t) for t in tables if t.strip()]


def _table_text(table: Table) -> str:
    """One line per row; merged cells repeat their text in python-docx, so repeats are dropped."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            if cell.text.strip() and (not cells or cells[-1] != cell.text.strip()):
                cells.append(cell.text.strip())
        rows.append(" | ".join(cells))
    return "\n".join(r for r in rows if r)


def _clean(raw: bytes, path: Path, fmt: str) -> tuple[Cleaned, str]:
    """Clean the file's text; also return the encoding it was read with, for the report."""
    if fmt == "docx":
        lines, tables = _docx_lines(raw, path)
        _check_text("\n".join(line.text for line in lines), path)
        cleaned = clean_lines(lines, blank_lines_break=True)
        cleaned.removed.extend(Removed(TABLE, table) for table in tables)
        return cleaned, _CONTAINER_ENCODING[fmt]
    if fmt == "pdf":
        document = pdf_document(raw, path)
        text = to_nfc(document.text)
        _check_text(text, path)
        # The title is what the first page prints largest: taken out of the text and marked,
        # so it is neither guessed from the first lines nor read again as the lead.
        title = to_nfc(document.title) if document.title else None
        rest = take_title(text, title) if title else None
        if title is None or rest is None:
            return _clean_text(text), _CONTAINER_ENCODING[fmt]
        cleaned = _clean_text(rest)
        cleaned.paragraphs.insert(0, Paragraph(title, TITLE))
        return cleaned, _CONTAINER_ENCODING[fmt]
    decoded = decode_bytes(raw, path)
    if fmt == "html":  # scripts and markup may be large; only the readable text is held
        from broadcast.text.htmldoc import html_lines  # bs4 is paid for by HTML users only

        lines = html_lines(decoded.text, f"Tệp {path}")
        _check_text("\n".join(line.text for line in lines), path)
        return clean_lines(lines, blank_lines_break=True), decoded.encoding
    _check_text(decoded.text, path)
    # Markup, entities and certain legacy residue are repaired before cleaning, so that the
    # text voiced is the text judged; each repair is listed with what was there.
    text, repairs = repair(decoded.text)
    cleaned = _clean_text(text, markdown=fmt == "md")
    cleaned.removed.extend(Removed(REPAIRED, f"{r.sample} ({r.count} chỗ)") for r in repairs)
    return cleaned, decoded.encoding


# --- title ---------------------------------------------------------------------------------


def _marked_title(paragraphs: list[Paragraph], fmt: str) -> int | None:
    """Index of the paragraph the author marked as the title (docx style, markdown "#")."""
    for i, paragraph in enumerate(paragraphs):
        if paragraph.kind == TITLE:
            return i
        if fmt == "md" and paragraph.kind == HEADING and i < _MD_TITLE_WINDOW:
            return i
    return None


def _split_title(paragraphs: list[Paragraph], fmt: str) -> tuple[str | None, list[Paragraph]]:
    """The document's own title, and the paragraphs left once the title lines are taken out."""
    marked = _marked_title(paragraphs, fmt)
    if marked is not None:
        return paragraphs[marked].text, paragraphs[:marked] + paragraphs[marked + 1 :]
    found, used = heading_title(paragraphs)
    return found, paragraphs[used:]


def _normalise_title(title: str) -> str:
    text = re.sub(r"\s+", " ", to_nfc(title)).strip()
    if not text:
        raise InputError("Tiêu đề đang để trống: hãy nhập tiêu đề có chữ hoặc bỏ tùy chọn tiêu đề.")
    return text


# --- entry point ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ingested:
    """An article with what ingestion learnt on the way: the encoding and each removal's kind."""

    article: Article
    encoding: str
    removed: tuple[Removed, ...]


def ingest(path: Path, *, title: str | None = None) -> Ingested:
    """Read, decode, clean and title one article file (.txt .md .docx .html .htm .pdf)."""
    path = Path(path)
    explicit = _normalise_title(title) if title is not None else None
    fmt = _check_path(path)
    raw = _read_bytes(path)
    cleaned, encoding = _clean(raw, path, fmt)
    found, paragraphs = _split_title(cleaned.paragraphs, fmt)
    removed = list(cleaned.removed)
    body = "\n\n".join(p.text for p in paragraphs)
    if not body.strip():
        raise InputError(
            f"Tệp {path} không còn nội dung bài viết sau khi bỏ số trang, chữ ký và nơi nhận: "
            "hãy kiểm tra lại tệp."
        )
    words = len(body.split()) + len((found or "").split())
    if words < MIN_ARTICLE_WORDS:
        raise InputError(
            f"Tệp {path} chỉ có {words} chữ, quá ngắn để làm một bản tin (cần ít nhất "
            f"{MIN_ARTICLE_WORDS} chữ): hãy kiểm tra đã chọn đúng tệp bài viết chưa."
        )
    if explicit is not None and found:
        removed.insert(0, Removed(REPLACED_TITLE, found))  # replaced, but not lost
    article = Article(
        source=path.resolve(),
        format=fmt,
        title=explicit or found or sentence_title(body),
        body=body,
        sha256=hashlib.sha256(raw).hexdigest(),
        removed=tuple(item.text for item in removed),
        removed_kinds=tuple(item.kind for item in removed),
    )
    return Ingested(article, encoding, tuple(removed))


def read_article(path: Path, *, title: str | None = None) -> Article:
    """Read, decode, clean and title one article file (.txt .md .docx .html .htm .pdf)."""
    return ingest(path, title=title).article
