"""The CCHC glossary: abbreviations and terms with their full and spoken forms.

The glossary is data a station can extend, not code: the spoken form and the translation
stages both read it, so an editor fixes a reading once, in one tab-separated file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.abc import Traversable
from pathlib import Path

from broadcast.errors import InputError
from broadcast.shipped import shipped_dir

COLUMNS = ("term", "expansion", "spoken", "source", "status", "note")
SHIPPED_NAME = "cchc-vi.tsv"


class Status(StrEnum):
    """Editorial state: both are read aloud, only approved ones count as reviewed."""

    APPROVED = "approved"
    PROPOSED = "proposed"


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    expansion: str
    spoken: str
    source: str
    status: Status
    note: str = ""

    @property
    def reading(self) -> str:
        """What the voice says: the spoken form when the written one reads badly."""
        return self.spoken or self.expansion


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...]
    # The station's own readings (written, spoken), saved by its editors in the workspace
    # database: read before every shipped rule, so an editor's correction always wins.
    station: tuple[tuple[str, str], ...] = ()
    _by_term: dict[str, GlossaryEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_term", {e.term: e for e in self.entries})

    def __contains__(self, term: object) -> bool:
        return term in self._by_term

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, term: str) -> GlossaryEntry | None:
        """The entry for ``term`` exactly as written: capitals carry meaning (CT vs ct)."""
        return self._by_term.get(term)

    def spoken(self, term: str) -> str | None:
        """How the voice reads ``term``, or None when the glossary does not know it."""
        entry = self._by_term.get(term)
        return entry.reading if entry else None

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(self._by_term)

    def with_station(self, readings: tuple[tuple[str, str], ...]) -> Glossary:
        """This glossary with the station's readings on top."""
        return Glossary(self.entries, tuple(readings))

    @property
    def station_key(self) -> str:
        """A digest of the station's readings ("" when there are none): part of the key of
        every stored script and render, since a new reading changes what the voice says."""
        if not self.station:
            return ""
        text = json.dumps(sorted(self.station), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shipped_glossary_path() -> Traversable:
    return shipped_dir("glossary") / SHIPPED_NAME


def load_glossary(path: Path | Traversable | None = None) -> Glossary:
    """Read a glossary TSV; the shipped CCHC glossary when no path is given."""
    source = shipped_glossary_path() if path is None else path
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"Không tìm thấy tệp thuật ngữ {source}.") from None
    except UnicodeDecodeError:
        raise InputError(
            f"Tệp thuật ngữ {source} không phải văn bản UTF-8; hãy lưu lại với bảng mã UTF-8."
        ) from None
    return parse_glossary(text, name=str(source))


def parse_glossary(text: str, *, name: str) -> Glossary:
    """Parse TSV text; ``name`` only labels error messages so users find the line."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or tuple(c.strip() for c in lines[0].split("\t")) != COLUMNS:
        raise InputError(
            f"Tệp thuật ngữ {name}, dòng 1: dòng tiêu đề phải là các cột "
            f"{', '.join(COLUMNS)}, cách nhau bằng dấu tab."
        )
    entries: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        entry = _parse_row(line, name=name, number=number)
        if entry.term in seen:
            problem = f"thuật ngữ {entry.term} đã có ở dòng {seen[entry.term]}"
            raise _row_error(name, number, problem)
        seen[entry.term] = number
        entries.append(entry)
    return Glossary(tuple(entries))


def _parse_row(line: str, *, name: str, number: int) -> GlossaryEntry:
    cells = [c.strip() for c in line.split("\t")]
    if len(cells) != len(COLUMNS):
        raise _row_error(
            name, number, f"cần {len(COLUMNS)} cột cách nhau bằng dấu tab nhưng có {len(cells)} cột"
        )
    term, expansion, spoken, source, status, note = cells
    for column, value in (("term", term), ("expansion", expansion), ("source", source)):
        if not value:
            raise _row_error(name, number, f"cột {column} đang để trống")
    if status not in tuple(Status):
        raise _row_error(name, number, f"cột status là {status!r}, phải là approved hoặc proposed")
    return GlossaryEntry(term, expansion, spoken, source, Status(status), note)


def _row_error(name: str, number: int, problem: str) -> InputError:
    return InputError(f"Tệp thuật ngữ {name}, dòng {number}: {problem}; hãy sửa dòng này.")
