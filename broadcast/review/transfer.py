"""Export and import by file name: the format follows the option or the file's extension."""

from __future__ import annotations

from pathlib import Path

from broadcast.errors import InputError
from broadcast.review.exchange import ImportReport, import_translation
from broadcast.store import translations as store
from broadcast.store.db import Database
from broadcast.store.records import find_script
from broadcast.store.station import Station

EXTENSIONS = {".xlf": "xliff", ".xliff": "xliff", ".xlf2": "xliff", ".docx": "docx"}


def file_format(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise InputError(
            f"Không biết dạng tệp '{path.name}': dùng đuôi .xlf hoặc .docx, hoặc --format."
        ) from None


def export_translation(
    db: Database, script_ref: str, language: str, output: Path, fmt: str | None, *, actor: str
) -> str:
    from broadcast.review.bilingual_docx import write_docx
    from broadcast.review.xliff import write_xliff

    used = file_format(output, fmt)
    script = find_script(db, script_ref)
    translation = store.load_translation(db, script.id, language)
    if used == "xliff":
        write_xliff(translation, output)
    else:
        write_docx(translation, output)
    store.record_event(db, script.id, language, f"export-{used}", actor, str(output.name))
    return used


def import_file(
    db: Database,
    path: Path,
    fmt: str | None,
    *,
    actor: str,
    station: Station,
    expect_language: str | None = None,
    as_draft: bool = False,
) -> ImportReport:
    from broadcast.review.bilingual_docx import read_docx
    from broadcast.review.xliff import read_xliff

    used = file_format(path, fmt)
    if not path.is_file():
        raise InputError(f"Không có tệp {path}.")
    imported = read_xliff(path) if used == "xliff" else read_docx(path)
    return import_translation(
        db,
        imported,
        actor=actor,
        station=station,
        expect_language=expect_language,
        fmt=used,
        as_draft=as_draft,
    )
