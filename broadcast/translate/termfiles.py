"""Import and export of the term base as files (CSV or TBX), chosen by name or extension."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from broadcast.errors import InputError
from broadcast.model.people import Person
from broadcast.store.db import Database
from broadcast.translate.exchange import read_file
from broadcast.translate.tbx import read_terms_tbx, write_terms_tbx
from broadcast.translate.termbase import StationLanguages, import_terms, list_terms
from broadcast.translate.termcsv import read_terms_csv, write_terms_csv
from broadcast.translate.values import ImportSummary


class TermFormat(StrEnum):
    CSV = "csv"
    TBX = "tbx"


_EXTENSIONS = {".csv": TermFormat.CSV, ".tbx": TermFormat.TBX, ".xml": TermFormat.TBX}


def term_format(path: Path | None, given: str | None) -> TermFormat:
    """The format named by ``--format``, else by the file's extension."""
    if given:
        return TermFormat(given.lower())
    fmt = _EXTENSIONS.get(path.suffix.lower()) if path is not None else None
    if fmt is None:
        raise InputError(
            f"Không biết định dạng của {path or 'đầu ra chuẩn'}: dùng đuôi .csv hoặc .tbx, "
            "hoặc --format csv|tbx."
        )
    return fmt


def import_term_file(
    db: Database,
    path: Path,
    languages: StationLanguages,
    given_format: str | None = None,
    *,
    by: Person | None = None,
    province: bool = False,
) -> ImportSummary:
    """Parse the whole file, validate every term, then write all of them or nothing (the
    station's own terms, or the province's: see ``termbase.import_terms``)."""
    fmt = term_format(path, given_format)
    data = read_file(path)
    name = f"Tệp {path.name}"
    terms = read_terms_csv(data, name) if fmt == TermFormat.CSV else read_terms_tbx(data, name)
    return import_terms(db, terms, languages, by=by, province=province)


def export_terms(
    db: Database, fmt: TermFormat, language: str | None = None, *, bom: bool = True
) -> tuple[bytes, int]:
    """The term base (or one language of it) as file bytes, and how many targets it holds.

    On a province server, the term base as the station uses it: its own terms, and the
    province's for the terms it has none of (so the file never holds two approved targets
    of one term, and imports back without a conflict)."""
    terms = list_terms(db, language)
    own = {(t.key, t.language) for t in terms if not t.provenance.province}
    terms = [t for t in terms if not t.provenance.province or (t.key, t.language) not in own]
    if fmt == TermFormat.CSV:
        return write_terms_csv(terms, bom=bom), len(terms)
    return write_terms_tbx(terms), len(terms)
