"""Term base exchange: CSV and TBX round trips, other tools' TBX, malformed files, and the
``broadcast glossary`` commands with their exit codes.

All target strings are OBVIOUSLY SYNTHETIC ('‹blt› ZZ-...', 'XX hmn test ...', arbitrary
Tai Viet code points U+AA80–U+AADF): no Thái or Mông is invented here.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import make_workspace, run

from broadcast.store.db import Database
from broadcast.translate.tbx import read_terms_tbx
from broadcast.translate.termbase import list_terms
from broadcast.translate.values import Term

TAVT = "\uaa80\uaa9b\uaab2\uaac0 \uaa8d"  # synthetic Tai Viet code points
TBX_NS = "{urn:iso:std:iso:30042:ed-2}"

CSV_TEXT = (
    "term,language,target,status,forbidden,note,source\n"
    'UBND,blt,‹blt› ZZ-UBND-01,approved,‹blt› ZZ-bad-1|‹blt› ZZ-bad-2,"ghi chú, có dấu phẩy",'
    "QĐ 239/QĐ-UBND\n"
    f"UBND,blt,‹blt› {TAVT},proposed,,,\n"
    "thủ tục hành chính,hmn,XX hmn test 1,approved,,,\n"
    'một cửa,blt,"‹blt› ZZ ""MC""",,,,\n'
)


def stored(ws: Path) -> set[Term]:
    with Database(ws / "broadcast.db") as db:
        return set(list_terms(db))


def count(ws: Path) -> int:
    conn = sqlite3.connect(ws / "broadcast.db")
    try:
        return conn.execute("SELECT COUNT(*) FROM terms").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def import_ok(ws: Path, path: Path, *extra: str) -> str:
    result = run("-w", ws, "glossary", "import", path, *extra)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_csv_import_export_round_trip(ws: Path, tmp_path: Path) -> None:
    src = tmp_path / "terms.csv"
    src.write_text(CSV_TEXT, encoding="utf-8")
    assert "Đã nhập 4 thuật ngữ" in import_ok(ws, src)
    terms = stored(ws)
    by_target = {x.target: x for x in terms}
    assert by_target["‹blt› ZZ-UBND-01"].forbidden == ("‹blt› ZZ-bad-1", "‹blt› ZZ-bad-2")
    assert by_target[f"‹blt› {TAVT}"].forbidden == ("‹blt› ZZ-bad-1", "‹blt› ZZ-bad-2")
    assert by_target["‹blt› ZZ-UBND-01"].note == "ghi chú, có dấu phẩy"
    assert by_target['‹blt› ZZ "MC"'].status == "proposed"  # empty status -> proposed

    out = tmp_path / "out.csv"
    result = run("-w", ws, "glossary", "export", out)
    assert result.exit_code == 0 and "Đã xuất 4 thuật ngữ" in result.stdout
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["target"] for r in rows} == {x.target for x in terms}
    assert f"‹blt› {TAVT}".encode() in data  # Tai Viet bytes unchanged

    other = make_workspace(tmp_path / "ws2")
    import_ok(other, out)
    assert stored(other) == terms
    again = tmp_path / "again.csv"
    assert run("-w", other, "glossary", "export", again).exit_code == 0
    assert again.read_bytes() == data


def test_tbx_export_is_tbx_basic_and_round_trips(ws: Path, tmp_path: Path) -> None:
    src = tmp_path / "terms.csv"
    src.write_text(CSV_TEXT, encoding="utf-8")
    import_ok(ws, src)
    out = tmp_path / "terms.tbx"
    assert run("-w", ws, "glossary", "export", out).exit_code == 0
    root = ET.parse(out).getroot()
    assert root.tag == f"{TBX_NS}tbx" and root.get("type") == "TBX-Basic"
    entries = root.findall(f".//{TBX_NS}conceptEntry")
    assert len(entries) == 3  # UBND, thủ tục hành chính, một cửa
    statuses = [n.text for n in root.iter(f"{TBX_NS}termNote")]
    assert statuses.count("preferredTerm-admn-sts") == 2
    assert statuses.count("deprecatedTerm-admn-sts") == 2
    assert statuses.count("admittedTerm-admn-sts") == 2
    assert f"‹blt› {TAVT}".encode() in out.read_bytes()

    other = make_workspace(tmp_path / "ws2")
    import_ok(other, out)
    assert stored(other) == stored(ws)
    again = tmp_path / "again.tbx"
    assert run("-w", other, "glossary", "export", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


TBX_2008 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="vi">
  <martifHeader><fileDesc><sourceDesc><p>other tool</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="e1">
      <langSet xml:lang="vi-VN"><tig><term>Ủy ban nhân dân</term></tig></langSet>
      <langSet xml:lang="hmn-Latn-VN">
        <tig><term>XX hmn test 5</term>
          <termNote type="processStatus">finalized</termNote>
          <note>synthetic</note></tig>
        <ntig><termGrp><term>XX hmn test 6</term>
          <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
        </termGrp></ntig>
      </langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_tbx_2008_martif_from_other_tools_is_read(ws: Path, tmp_path: Path) -> None:
    src = tmp_path / "old.tbx"
    src.write_text(TBX_2008, encoding="utf-8")
    import_ok(ws, src)
    (term,) = stored(ws)
    assert (term.term, term.language, term.target, term.status, term.note) == (
        "Ủy ban nhân dân",
        "hmn",
        "XX hmn test 5",
        "approved",
        "synthetic",
    )
    assert term.forbidden == ("XX hmn test 6",)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", "term,language\nUBND,blt\n", "thiếu target"),
        ("a.csv", "term,language,target,colour\nUBND,blt,x,red\n", "không biết cột colour"),
        ("a.csv", "term,language,target,status\nUBND,blt,‹blt› 1,maybe\n", "dòng 2"),
        ("a.csv", "term,language,target\nUBND,blt,‹blt› 1,extra\n", "nhiều hơn"),
        ("a.csv", 'term,language,target\nUBND,blt,"‹blt› 1\n', "CSV hỏng"),
        ("a.csv", "term,language,target\n", "không có thuật ngữ"),
        ("a.csv", "term,language,target\nUBND,th,‹blt› 1\n", "blt"),
        ("a.csv", "term,language,target\nTTHC,blt,‹blt› 1\nUBND,xx,‹xx› 1\n", "dòng 3"),
        ("a.csv", f"term,language,target\nUBND,hmn,XX {TAVT}\n", "Thái Việt"),
        ("a.csv", "term,language,target\nUBND,nut,XX nut 1\n", "không phải ngôn ngữ của đài"),
        ("a.tbx", "<tbx><text><body>", "không phải XML"),
        ("a.tbx", "<html/>", "<html>"),
        ("a.tbx", "<tbx><text><body/></text></tbx>", "không có mục"),
        (
            "a.tbx",
            "<tbx><text><body><conceptEntry><langSec xml:lang='blt'><termSec><term>‹blt› 1"
            "</term></termSec></langSec></conceptEntry></body></text></tbx>",
            "thiếu thuật ngữ tiếng Việt",
        ),
        (
            "a.tbx",
            "<tbx><text><body><conceptEntry><langSec xml:lang='vi'><termSec><term>UBND</term>"
            "</termSec></langSec><langSec><termSec><term>x</term></termSec></langSec>"
            "</conceptEntry></body></text></tbx>",
            "xml:lang",
        ),
        (
            "a.tbx",
            '<!DOCTYPE t [<!ENTITY a "aaaa">]><tbx><text><body/></text></tbx>',
            "ENTITY",
        ),
        ("a.txt", "term,language,target\n", ".csv hoặc .tbx"),
    ],
)
def test_malformed_files_import_nothing(
    ws: Path, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run("-w", ws, "glossary", "import", path)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("Lỗi: ") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert count(ws) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"term,language,target\n\x00\x01\x02", "nhị phân"),
        (b"term\xff,x\n", "UTF-8"),
        (b"", "trống"),
    ],
)
def test_binary_undecodable_and_empty_files(
    ws: Path, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    result = run("-w", ws, "glossary", "import", path)
    assert result.exit_code == 2 and message in result.stderr
    assert run("-w", ws, "glossary", "import", tmp_path / "missing.csv").exit_code == 2


def test_conflicting_import_lists_conflicts_and_exits_non_zero(ws: Path, tmp_path: Path) -> None:
    assert (
        run(
            "-w", ws, "glossary", "add", "UBND", "‹blt› ZZ-1", "-l", "blt", "--status", "approved"
        ).exit_code
        == 0
    )
    path = tmp_path / "c.csv"
    path.write_text(
        "term,language,target,status\n"
        "TTHC,blt,‹blt› ZZ-T,approved\n"
        "ubnd,blt,‹blt› ZZ-2,approved\n"
        "hồ sơ,hmn,XX hmn 1,approved\n"
        "Hồ sơ,hmn,XX hmn 2,approved\n",
        encoding="utf-8",
    )
    result = run("-w", ws, "glossary", "import", path)
    assert result.exit_code == 2
    assert "Có 2 thuật ngữ" in result.stderr
    assert "'‹blt› ZZ-1' (cơ sở dữ liệu)" in result.stderr
    assert "'‹blt› ZZ-2' (Tệp c.csv, dòng 3)" in result.stderr
    assert "dòng 4" in result.stderr and "dòng 5" in result.stderr
    assert count(ws) == 1


def test_glossary_add_list_json_and_stdout_export(ws: Path) -> None:
    args = ["-w", ws, "glossary", "add", "hồ sơ", "‹blt› ZZ-HS", "-l", "blt"]
    result = run(*args, "--status", "approved", "--forbid", "‹blt› ZZ-no", "--note", "n")
    assert result.exit_code == 0 and "Đã thêm" in result.stdout
    assert "Đã có sẵn" in run(*args, "--status", "approved", "--note", "n").stdout
    listed = run("-w", ws, "glossary", "list")
    assert "✓ hồ sơ [blt] → ‹blt› ZZ-HS  (không dùng: ‹blt› ZZ-no)  — n" in listed.stdout
    conflict = run(
        "-w", ws, "glossary", "add", "Hồ sơ", "‹blt› ZZ-HS2", "-l", "blt", "--status", "approved"
    )
    assert conflict.exit_code == 2 and "--replace" in conflict.stderr
    replaced = run(
        "-w",
        ws,
        "glossary",
        "add",
        "Hồ sơ",
        "‹blt› ZZ-HS2",
        "-l",
        "blt",
        "--status",
        "approved",
        "--replace",
    )
    assert replaced.exit_code == 0

    rows = json.loads(run("-w", ws, "glossary", "list", "--json", "--status", "approved").stdout)
    assert [(r["target"], r["forbidden"]) for r in rows] == [("‹blt› ZZ-HS2", ["‹blt› ZZ-no"])]
    out = run("-w", ws, "glossary", "export", "-")
    assert out.exit_code == 0 and out.stdout.startswith("term,language,target")
    tbx = run("-w", ws, "glossary", "export", "-", "--format", "tbx", "-l", "blt")
    assert len(read_terms_tbx(tbx.stdout.encode("utf-8"), "stdout")) == 2
    bad = run("-w", ws, "glossary", "add", "UBND", "x", "-l", "th")
    assert bad.exit_code == 2 and "blt" in bad.stderr
    for command in ("list", "export"):
        refused = run(
            "-w", ws, "glossary", command, *(["-"] if command == "export" else []), "-l", "th"
        )
        assert refused.exit_code == 2 and "twh" in refused.stderr
