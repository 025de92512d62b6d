"""The text layer of a PDF, or a clear refusal when there is none.

Provincial plans travel as PDF exported from Word (a text layer with hard line breaks,
page numbers and signature stamps, which the cleaner already handles) or as scans, which
hold only pictures of pages. A scan must be refused with a message that says OCR is needed:
an empty article would otherwise fail later with a puzzling "nothing left" error.
"""

from __future__ import annotations

import io
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.errors import InputError

if TYPE_CHECKING:
    from pypdf import PageObject

# A commune article or plan is a few pages, a provincial decree a few dozen.
MAX_PDF_PAGES = 300
# A page of text holds some tens of kilobytes of drawing instructions (a few thousand
# words of them); pypdf interprets about 100,000 a second (see _page_text).
MAX_PAGE_CONTENT_BYTES = 512 * 1024
MAX_PAGE_TOKENS = 100_000
MAX_DOCUMENT_TOKENS = 1_000_000


def _bad_pdf(path: Path) -> InputError:
    return InputError(
        f"Tệp {path} không phải tệp PDF hợp lệ (có thể bị hỏng hoặc tải về chưa hết): "
        "hãy mở tệp bằng trình đọc PDF, lưu lại rồi thử lại."
    )


def _encrypted(path: Path) -> InputError:
    return InputError(
        f"Tệp PDF {path} có mật khẩu nên không đọc được chữ: "
        "hãy mở tệp, bỏ mật khẩu rồi lưu thành bản PDF mới."
    )


def _no_text(path: Path) -> InputError:
    return InputError(
        f"Tệp PDF {path} không có lớp chữ (có lẽ là bản quét ảnh), cần nhận dạng chữ (OCR): "
        "hãy chạy OCR có hỗ trợ tiếng Việt rồi lưu thành .docx hoặc .txt."
    )


@dataclass
class _Budget:
    """Drawing instructions left for the rest of the document."""

    tokens: int = MAX_DOCUMENT_TOKENS


# How much larger than the body text the biggest letters of page 1 must be to be its title:
# a bold body word or a slightly larger lead is not a headline.
TITLE_SIZE_RATIO = 1.2
MAX_TITLE_CHARS = 300


@dataclass
class _Sizes:
    """Text pieces of a page with the size they are drawn at, in drawing order."""

    pieces: list[tuple[float, str]] = field(default_factory=list)

    def visit(
        self, text: str, cm: list[float], tm: list[float], _font: object, size: float
    ) -> None:
        if not text.strip():
            return
        # The size on the page: the font size scaled by the text and page matrices (a PDF
        # may set "1 Tf" and scale in the matrix; Word and fpdf2 set the size itself).
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) if tm and cm else 1.0
        self.pieces.append((round(float(size) * (scale or 1.0), 1), text))

    def title(self) -> str | None:
        """The run of text in the largest letters, when they are clearly larger than the
        body (weighted by characters); None on a page of one size."""
        if not self.pieces:
            return None
        largest = max(size for size, _ in self.pieces)
        weights: dict[float, int] = {}
        for size, text in self.pieces:
            weights[size] = weights.get(size, 0) + len(text.strip())
        body = max(weights, key=lambda s: weights[s])
        if largest < body * TITLE_SIZE_RATIO:
            return None
        first = next(i for i, (size, _) in enumerate(self.pieces) if size == largest)
        run: list[str] = []
        for size, text in self.pieces[first:]:
            if abs(size - largest) > 0.5:
                break
            run.append(text)
        title = re.sub(r"\s+", " ", " ".join(run)).strip()
        return title if 0 < len(title) <= MAX_TITLE_CHARS else None


def _page_text(
    page: PageObject, number: int, path: Path, budget: _Budget, sizes: _Sizes | None = None
) -> str:
    """The text of one page, once its drawing instructions are known to be of sane size.

    pypdf interprets every instruction of a page to place its text, at about ten
    microseconds each: a page of a million instructions (a detailed map, or a file built to
    stall us) takes minutes and hundreds of megabytes, so it is refused by name instead.
    Counting the instructions' words is a fast C-level split, far cheaper than interpreting.
    """
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    tokens = len(data.split()) if len(data) <= MAX_PAGE_CONTENT_BYTES else MAX_PAGE_TOKENS + 1
    budget.tokens -= tokens
    if tokens > MAX_PAGE_TOKENS or budget.tokens < 0:
        raise InputError(
            f"Trang {number} của tệp PDF {path} có quá nhiều lệnh vẽ ({len(data) // 1024} KB), "
            "có lẽ là bản đồ hoặc hình vẽ chi tiết: hãy xuất bài viết sang .docx hoặc .txt, "
            "hoặc bỏ những trang đó rồi thử lại."
        )
    if sizes is not None:
        return page.extract_text(visitor_text=sizes.visit) or ""
    return page.extract_text() or ""


@dataclass(frozen=True)
class PdfText:
    """The text layer and the title: the run in the largest letters of the first page."""

    text: str
    title: str | None


def pdf_text(raw: bytes, path: Path) -> str:
    """Text of every page, pages separated by a blank line; raises InputError otherwise."""
    return pdf_document(raw, path).text


def pdf_document(raw: bytes, path: Path) -> PdfText:
    """Text of every page and the first page's title (None when no text there is clearly
    larger than the rest); raises InputError when there is no usable text layer."""
    from pypdf import PdfReader  # only PDF users pay for the import
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the user's
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _encrypted(path)
        if len(reader.pages) > MAX_PDF_PAGES:
            raise InputError(
                f"Tệp PDF {path} có {len(reader.pages)} trang, quá dài cho một bài viết (tối đa "
                f"{MAX_PDF_PAGES}): hãy tách phần bài cần đọc ra tệp riêng."
            )
        budget = _Budget()
        sizes = _Sizes()
        pages = [
            _page_text(page, number, path, budget, sizes if number == 1 else None)
            for number, page in enumerate(reader.pages, start=1)
        ]
    except (FileNotDecryptedError, DependencyError) as exc:
        raise _encrypted(path) from exc
    except (InputError, MemoryError):
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise _bad_pdf(path) from exc
    except Exception as exc:  # pypdf on damaged bytes also raises IndexError, zlib.error,
        raise _bad_pdf(path) from exc  # RecursionError...: all mean "this PDF is broken"
    text = "\n\n".join(pages)
    if not any(ch.isalpha() for ch in text):
        raise _no_text(path)
    return PdfText(text, sizes.title())


def take_title(text: str, title: str) -> str | None:
    """``text`` without the title's lines (however the PDF broke them), or None when the
    title is not found among its opening lines."""
    words = title.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, text[: len(title) * 4 + 2000])
    if match is None:
        return None
    return text[: match.start()] + "\n\n" + text[match.end() :]
