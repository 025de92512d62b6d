"""CSV cells a spreadsheet will not execute (the OWASP "CSV injection" rule), reversibly.

Writing: Excel and LibreOffice run a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and some
builds also after a leading tab or carriage return, or the full-width forms) as a formula: a
term or a bulletin title typed as ``=HYPERLINK(...)`` would become a link or a command on the
scheduler's machine. Every CSV the toolkit writes therefore prefixes such a text cell with an
apostrophe, which a spreadsheet shows as plain text and hides. The prefix is reversible:
``unescape_cell(escape_cell(v)) == v`` for every string, so a term like ``-ABC`` exported and
imported back is unchanged. Numbers are written as numbers (a negative count is data, not a
formula).

Reading: ``looks_cut`` tells a file whose last row was cut right after a delimiter (its last
cell empty and no line break after it); every spreadsheet ends its last row with one, and an
importer that reads an empty cell as a default ("proposed", "played") would otherwise take
the cut for a choice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# What makes a spreadsheet read a cell as a formula (OWASP), and the full-width forms that
# East Asian builds of Excel also accept.
TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
QUOTE = "'"


def _needs(value: str) -> bool:
    """True when the text after any leading apostrophes begins with a trigger: such a cell
    is escaped, and one that already starts with an apostrophe gets one more, so that the
    reader can always take exactly one off."""
    rest = value.lstrip(QUOTE)
    return bool(rest) and rest[0] in TRIGGERS


def escape_cell(value: object) -> object:
    """The cell as written: text that a spreadsheet would execute gets a leading apostrophe."""
    if isinstance(value, str) and _needs(value):
        return QUOTE + value
    return value


def unescape_cell(value: str) -> str:
    """The text ``escape_cell`` was given, from a cell read back from our own file."""
    if value.startswith(QUOTE) and _needs(value):
        return value[1:]
    return value


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV (CRLF line ends, as spreadsheets write them) with every cell escaped."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(cell) for cell in header])
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def looks_cut(text: str, last_row: Sequence[str]) -> bool:
    """True when ``text`` ends inside ``last_row`` (its final parsed row) right after a
    delimiter: no line break at the end and an empty last cell."""
    return not text.endswith(("\n", "\r")) and bool(last_row) and not last_row[-1].strip()
