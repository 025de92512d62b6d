"""Articles handed over through the web workspace: kept in the workspace's ``articles/``
folder, where the CLI's users put theirs, then ingested exactly as ``broadcast ingest`` does.

A file that ingestion refuses (binary, empty, wrong type, too short) is not kept: a bad input
changes nothing. A file with the same name and other content never overwrites the first one
(another producer's article): it gets the next free name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import InputError
from broadcast.model.time import station_now
from broadcast.store.files import atomic_write_bytes
from broadcast.store.naming import slugify
from broadcast.store.workspace import Workspace
from broadcast.text.ingest import SUPPORTED_FORMATS
from broadcast.text.report import IngestReport, ingest_report

ARTICLES = "articles"
UPLOAD_FORMATS = (".docx", ".pdf", ".txt", ".html", ".htm", ".md")
"""What the upload form accepts: the formats ingestion reads."""


@dataclass(frozen=True)
class StoredFile:
    """An article file of the workspace, for the list of articles."""

    name: str
    size: int
    modified: dt.datetime


def articles_dir(ws: Workspace) -> Path:
    return ws.root / ARTICLES


def article_path(ws: Workspace, name: str) -> Path:
    """The file ``name`` of the articles folder; a name that points anywhere else (a folder,
    '..', a hidden file) is refused as missing."""
    folder = articles_dir(ws)
    candidate = folder / name
    if (
        not name
        or name != Path(name).name
        or name.startswith(".")
        or not candidate.is_file()
        or candidate.resolve().parent != folder.resolve()
    ):
        raise InputError(f"Không có bài viết '{name}' trong thư mục articles; hãy tải bài lên.")
    return candidate


def list_articles(ws: Workspace) -> list[StoredFile]:
    """The article files of the workspace, newest first."""
    folder = articles_dir(ws)
    if not folder.is_dir():
        return []
    files = []
    for path in folder.iterdir():
        if (
            path.is_file()
            and not path.name.startswith(".")
            and path.suffix.lower() in SUPPORTED_FORMATS
        ):
            stat = path.stat()
            files.append(
                StoredFile(
                    path.name, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
                )
            )
    return sorted(files, key=lambda f: (f.modified, f.name), reverse=True)


def _file_name(original: str) -> str:
    """An ASCII name that keeps the extension ingestion reads by."""
    path = Path(original.replace("\\", "/")).name
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_FORMATS:
        kinds = ", ".join(UPLOAD_FORMATS)
        shown = suffix or "không đuôi"
        raise InputError(
            f"Tệp '{path or original}' có loại '{shown}' mà công cụ không đọc được: hãy tải lên "
            f"tệp {kinds}."
        )
    return f"{slugify(Path(path).stem, max_words=10)}{suffix}"


def _place(folder: Path, name: str, data: bytes) -> tuple[Path, bool]:
    """Where ``data`` goes: the file of that name if it already holds these bytes (not new),
    else the first free name."""
    stem, suffix = Path(name).stem, Path(name).suffix
    digest = hashlib.sha256(data).digest()
    for number in range(1, 1000):
        candidate = folder / (name if number == 1 else f"{stem}-{number}{suffix}")
        if not candidate.exists():
            return candidate, True
        if candidate.is_file() and hashlib.sha256(candidate.read_bytes()).digest() == digest:
            return candidate, False
    raise InputError(f"Đã có quá nhiều bài tên '{name}'; hãy đổi tên tệp rồi tải lên lại.")


def keep_upload(ws: Workspace, original_name: str, data: bytes) -> tuple[Path, IngestReport]:
    """Save an uploaded article in ``articles/`` and ingest it; refused files are removed.

    Raises the ingestion's own InputError (binary, empty, unsupported...) with the file's
    name as the producer gave it."""
    name = _file_name(original_name)
    if not data:
        raise InputError(f"Tệp '{original_name}' rỗng, không có chữ nào: hãy chọn tệp khác.")
    folder = articles_dir(ws)
    folder.mkdir(parents=True, exist_ok=True)
    path, new = _place(folder, name, data)
    if new:
        atomic_write_bytes(path, data)
    try:
        report = ingest_report(path)
    except InputError as exc:
        if new:
            path.unlink(missing_ok=True)
        raise InputError(exc.message.replace(str(path), f"'{original_name}'")) from None
    return path, report


def keep_pasted(ws: Workspace, text: str, title: str = "") -> tuple[Path, IngestReport]:
    """Pasted text kept as a .txt article (the title, when given, as its first line)."""
    body = text.strip()
    if not body:
        raise InputError("Chưa dán nội dung bài viết; hãy dán chữ vào ô rồi gửi lại.")
    head = title.strip()
    content = f"{head}\n\n{body}\n" if head else f"{body}\n"
    first = head or body.splitlines()[0]
    name = f"{station_now():%Y-%m-%d}-{slugify(first)}.txt"
    return keep_upload(ws, name, content.encode("utf-8"))


def report_for(ws: Workspace, name: str) -> IngestReport:
    """The ingest report of a stored article (the same as ``broadcast ingest``)."""
    return ingest_report(article_path(ws, name))
