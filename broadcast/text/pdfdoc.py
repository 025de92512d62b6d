"""The text layer of a PDF, or a clear refusal when there is none.

Provincial plans travel as PDF exported from Word (a text layer with hard line breaks,
page numbers and signature stamps, which the cleaner already handles) or as scans, which
hold only pictures of pages. A scan must be refused with a message that says OCR is needed:
an empty article would otherwise fail later with a puzzling "nothing left" error.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from broadcast.errors import InputError


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


def pdf_text(raw: bytes, path: Path) -> str:
    """Text of every page, pages separated by a blank line; raises InputError otherwise."""
    from pypdf import PdfReader  # only PDF users pay for the import
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the user's
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _encrypted(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (FileNotDecryptedError, DependencyError) as exc:
        raise _encrypted(path) from exc
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise _bad_pdf(path) from exc
    text = "\n\n".join(pages)
    if not any(ch.isalpha() for ch in text):
        raise _no_text(path)
    return text
