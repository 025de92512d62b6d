"""CSV files in and out (issue 9): a cut or short row is refused whole with nothing changed,
and no exported cell is one a spreadsheet would execute, while our own exports still round
trip exactly (a term like '-ABC' included).

Target strings are OBVIOUSLY SYNTHETIC ('‹blt› ZZ-...'): no Thái or Mông is invented here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from pathlib import Path

import pytest
from helpers import make_workspace, run

from broadcast.csvsafe import TRIGGERS, escape_cell, unescape_cell
from broadcast.schedule.report import Labels, csv_files
from broadcast.schedule.report_model import (
    MonthCheck,
    Period,
    ReportFigures,
    SegmentTally,
    Tally,
)
from broadcast.store.db import Database
from broadcast.translate.termbase import list_terms
from broadcast.translate.values import Term

FORMULAS = ("=1+2", "+84 ZZ", "-ABC", "@SUM(A1)", "\t=cmd", "\r=cmd", "'=x", "''-y", "＝1")


def term_rows(ws: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = sqlite3.connect(ws / "broadcast.db")
    try:
        terms = conn.execute("SELECT * FROM terms ORDER BY id").fetchall()
        forbidden = conn.execute("SELECT * FROM term_forbidden ORDER BY rowid").fetchall()
    finally:
        conn.close()
    return terms, forbidden


def number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def listed(ws: Path) -> list[Term]:
    with Database(ws / "broadcast.db") as db:
        return list_terms(db)


def add(ws: Path, term: str, target: str, *extra: str) -> None:
    result = run("-w", ws, "glossary", "add", term, target, "-l", "blt", *extra)
    assert result.exit_code == 0, result.stderr


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    add(root, "UBND", "‹blt› ZZ-UBND", "--status", "approved", "--forbid", "‹blt› ZZ-no")
    add(root, "TTHC", "‹blt› ZZ-TTHC", "--status", "approved", "--note", "ghi chú")
    return root


def test_escape_is_reversible_and_neutralises_every_trigger() -> None:
    for value in (*FORMULAS, "", "'", "''", "UBND", "a=b", "'plain"):
        escaped = escape_cell(value)
        assert isinstance(escaped, str)
        assert unescape_cell(escaped) == value
        assert escaped[:1] not in TRIGGERS
    assert escape_cell(-3) == -3 and escape_cell(2.5) == 2.5  # numbers stay numbers


def test_every_cut_of_the_last_row_is_refused_with_nothing_changed(
    ws: Path, tmp_path: Path
) -> None:
    """The issue's case: an export whose last row is cut would demote an approved term."""
    out = tmp_path / "terms.csv"
    assert run("-w", ws, "glossary", "export", out).exit_code == 0
    data = out.read_bytes().decode("utf-8-sig")
    assert data.endswith("\r\n")
    last_start = data.rstrip("\r\n").rindex("\r\n") + 2
    before = term_rows(ws)
    cut = tmp_path / "cut.csv"
    refused = 0
    for end in range(last_start + 1, len(data) - 1):  # every cut inside the last row
        cut.write_bytes(data[:end].encode("utf-8"))
        result = run("-w", ws, "glossary", "import", cut)
        assert result.exit_code == 2, (data[last_start:end], result.stdout)
        assert "dòng 3" in result.stderr and "không nhập gì" in result.stderr
        assert "Traceback" not in result.stderr
        refused += 1
    assert refused > 20
    assert term_rows(ws) == before
    cut.write_bytes(data[: len(data) - 1].encode("utf-8"))  # only the final '\n' lost: whole
    assert run("-w", ws, "glossary", "import", cut).exit_code == 0
    assert term_rows(ws) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("term,language,target,status\nUBND,blt,‹blt› ZZ-UBND\n", "ít hơn"),
        ("term,language,target,status\nUBND,blt,,approved\n", "thiếu target"),
        ("term,language,target,status\n,blt,‹blt› ZZ-1,approved\n", "thiếu term"),
        ("term,language,target,status\nTTHC,,‹blt› ZZ-1,proposed\n", "thiếu language"),
        ('term,language,target,status\nUBND,blt,"‹blt› ZZ-UBND,approved\n', "ngoặc kép"),
        ("term,language,target,status\nUBND,blt,‹blt› ZZ-UBND,", "bị cắt"),
    ],
)
def test_short_or_empty_rows_are_refused_whole(
    ws: Path, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    # a good first row that must not be half-imported before the bad one
    first, rest = content.split("\n", 1)
    path.write_text(f"{first}\nmột cửa,blt,‹blt› ZZ-MC,proposed\n{rest}", encoding="utf-8")
    before = term_rows(ws)
    result = run("-w", ws, "glossary", "import", path)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("Lỗi: ") and message in result.stderr
    assert "dòng 3" in result.stderr
    assert term_rows(ws) == before


def test_glossary_export_neutralises_formulas_and_round_trips(ws: Path, tmp_path: Path) -> None:
    for n, value in enumerate(FORMULAS):
        if value.lstrip("'")[:1] in "\t\r":
            continue  # a term never keeps a leading tab: it is cleaned on the way in
        add(ws, f"thuế {n}", f"‹blt› {n}", "--note", value, "--source", value)
    minus = run(
        "-w", ws, "glossary", "add", "-l", "blt", "--status", "approved",
        "--forbid", "=HYPERLINK(1)", "--", "hồ sơ", "-ABC",
    )  # fmt: skip
    assert minus.exit_code == 0, minus.stderr
    out = tmp_path / "out.csv"
    assert run("-w", ws, "glossary", "export", out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in TRIGGERS], "a cell a spreadsheet would execute"
    row = next(r for r in rows if r[0] == "hồ sơ")
    assert row[2] == "'-ABC" and row[4] == "'=HYPERLINK(1)"
    notes = {r[0]: r[5] for r in rows[1:]}
    assert notes["thuế 0"] == "'=1+2" and notes["thuế 6"] == "''=x"

    other = make_workspace(tmp_path / "ws2")
    result = run("-w", other, "glossary", "import", out)
    assert result.exit_code == 0, result.stderr
    assert listed(other) == listed(ws)  # '-ABC', the notes and the variants came back exactly
    again = tmp_path / "again.csv"
    assert run("-w", other, "glossary", "export", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_report_csv_neutralises_titles_and_keeps_numbers() -> None:
    period = Period("2026-Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1), "quý IV năm 2026")
    figures = ReportFigures(
        period=period,
        total=Tally("", 2, 90.0),
        by_topic=(),
        by_language=(Tally("blt", 2, 90.0),),
        by_zone=(Tally("z1", 2, 90.0),),
        by_month=(),
        segments=(
            SegmentTally(
                slug="-ban-tin",
                title='=HYPERLINK("http://x.example","bấm")',
                topic="cchc",
                languages=("blt",),
                plays=2,
                seconds=90.0,
                first="2026-10-02",
                last="2026-10-03",
            ),
        ),
        months=(MonthCheck("2026-10", -1, 1, 1.5, False, ("+thiếu 3 lượt",)),),
    )
    files = csv_files(figures, Labels(zones={"z1": "@cụm 1"}))
    for name, data in files.items():
        assert data.startswith(b"\xef\xbb\xbf"), name
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert not [c for r in rows for c in r if c[:1] in TRIGGERS and not number(c)], name
    segments = list(csv.reader(io.StringIO(files["ban-tin.csv"].decode("utf-8-sig"))))
    assert segments[1][:2] == ["'-ban-tin", '\'=HYPERLINK("http://x.example","bấm")']
    assert segments[1][4] == "2"
    zones = list(csv.reader(io.StringIO(files["theo-cum-loa.csv"].decode("utf-8-sig"))))
    assert zones[1][1] == "'@cụm 1"
    months = list(csv.reader(io.StringIO(files["chi-tieu.csv"].decode("utf-8-sig"))))
    assert months[1][2] == "-1"  # a number, written as a number
    assert months[1][4].startswith("không đạt: +thiếu")
