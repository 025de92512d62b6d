"""TMX 1.4 exchange of the translation memory and the ``broadcast tm`` commands.

Targets are OBVIOUSLY SYNTHETIC ('‹blt› ZZ-...', 'XX hmn test ...', Tai Viet code points
U+AA80–U+AADF): no Thái or Mông is invented here.
"""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import make_workspace, run

from broadcast.store.db import Database
from broadcast.translate import memory
from broadcast.translate.tmx import read_tmx

TAVT = "\uaa80\uaab5\uaa9b\uaac1 \uaa8d"  # synthetic Tai Viet code points
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

TMX = f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="other" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="en" srclang="vi-VN" datatype="plaintext"/>
  <body>
    <tu tuid="a" creationdate="20260127T080000Z">
      <prop type="x-context-pre">Kính thưa bà con.</prop>
      <tuv xml:lang="vi-VN"><seg>Ủy ban nhân dân xã <bpt i="1">&lt;b&gt;</bpt>thông báo<ept
        i="1">&lt;/b&gt;</ept> lịch tiếp dân.</seg></tuv>
      <tuv xml:lang="blt"><seg>‹blt› ZZ-TMX-1 {TAVT}</seg></tuv>
      <tuv xml:lang="hmn-Latn-VN"><seg>XX hmn test 1 &amp; <hi>2</hi></seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="vi"><seg>Bà con mang theo căn cước.</seg></tuv>
      <tuv xml:lang="blt"><seg>‹blt› ZZ-TMX-2</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def pairs(root: Path) -> list[tuple[str, str, str, str, str]]:
    conn = sqlite3.connect(root / "broadcast.db")
    try:
        return conn.execute(
            "SELECT language, source, target, previous, created_at FROM tm_segments ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def test_import_reads_tags_context_and_inline_codes(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.tmx"
    path.write_text(TMX, encoding="utf-8")
    result = run("-w", ws, "tm", "import", path)
    assert result.exit_code == 0, result.stderr
    assert "Đã nhập 3 cặp câu" in result.stdout and "3 mới" in result.stdout
    source = "Ủy ban nhân dân xã thông báo lịch tiếp dân."
    assert pairs(ws) == [
        ("blt", source, f"‹blt› ZZ-TMX-1 {TAVT}", "Kính thưa bà con.", "2026-01-27T08:00:00Z"),
        ("hmn", source, "XX hmn test 1 & 2", "Kính thưa bà con.", "2026-01-27T08:00:00Z"),
        ("blt", "Bà con mang theo căn cước.", "‹blt› ZZ-TMX-2", "", pairs(ws)[2][4]),
    ]
    again = run("-w", ws, "tm", "import", path)
    assert again.exit_code == 0 and "0 mới, 3 đã có" in again.stdout
    assert len(pairs(ws)) == 3


def test_tmx_round_trip_is_byte_identical(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.tmx"
    path.write_text(TMX, encoding="utf-8")
    assert run("-w", ws, "tm", "import", path).exit_code == 0
    with Database(ws / "broadcast.db") as db:
        memory.add(db, "Câu thứ ba.", f"{TAVT} ‹blt› 3", "blt", previous="Câu thứ hai.")
    out = tmp_path / "out.tmx"
    result = run("-w", ws, "tm", "export", out)
    assert result.exit_code == 0 and "Đã xuất 4 cặp câu" in result.stdout

    root = ET.parse(out).getroot()
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "vi"
    tus = root.findall("body/tu")
    assert len(tus) == 4
    langs = [[tuv.get(XML_LANG) for tuv in tu.findall("tuv")] for tu in tus]
    assert langs == [["vi", "blt"], ["vi", "hmn"], ["vi", "blt"], ["vi", "blt"]]
    assert tus[0].find("prop[@type='x-context-pre']").text == "Kính thưa bà con."
    assert tus[3].find("tuv[2]/seg").text == f"{TAVT} ‹blt› 3"

    other = make_workspace(tmp_path / "ws2")
    assert run("-w", other, "tm", "import", out).exit_code == 0
    assert pairs(other) == pairs(ws)
    again = tmp_path / "again.tmx"
    assert run("-w", other, "tm", "export", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
    assert f"{TAVT} ‹blt› 3".encode() in again.read_bytes()

    only_hmn = run("-w", ws, "tm", "export", "-", "-l", "hmn")
    units = read_tmx(only_hmn.stdout.encode("utf-8"), "stdout")
    assert [(u.language, u.target) for u in units] == [("hmn", "XX hmn test 1 & 2")]


def tu(target_lang: str = "blt", target: str = "‹blt› 1", source: str = "Câu.") -> str:
    return (
        f'<tu><tuv xml:lang="vi"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="{target_lang}"><seg>{target}</seg></tuv></tu>'
    )


def tmx(*tus: str, srclang: str = "vi") -> str:
    return f'<tmx version="1.4"><header srclang="{srclang}"/><body>{"".join(tus)}</body></tmx>'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<tmx version='1.4'><header srclang='vi'/><body><tu>", "không phải XML hợp lệ"),
        ("<xliff/>", "<xliff>"),
        ("<tmx><body/></tmx>", "<header>"),
        (tmx(tu(), srclang="en"), "srclang"),
        ("<tmx><header/><body><tu/></body></tmx>", "srclang"),
        (tmx(), "không có đơn vị dịch"),
        (tmx(tu(), tu("th")), "blt"),
        (tmx(tu(), tu("xx")), "Không biết mã ngôn ngữ xx"),
        (tmx(tu(), tu("tyz", "XX tyz 1")), "không phải ngôn ngữ của đài"),
        (tmx(tu(), tu("hmn", f"XX {TAVT}")), "Thái Việt"),
        (tmx(tu(), tu(target="  ")), "trống"),
        (tmx('<tu><tuv xml:lang="blt"><seg>‹blt› 1</seg></tuv></tu>'), "thiếu câu tiếng Việt"),
        (tmx('<tu><tuv xml:lang="vi"><seg>Câu.</seg></tuv></tu>'), "không có câu dịch"),
        (tmx('<tu><tuv xml:lang="vi"/><tuv xml:lang="blt"><seg>x</seg></tuv></tu>'), "<seg>"),
        (tmx("<tu><tuv><seg>Câu.</seg></tuv></tu>"), "xml:lang"),
        (
            tmx(
                '<tu creationdate="27/01/2026"><tuv xml:lang="vi"><seg>C</seg></tuv>'
                '<tuv xml:lang="blt"><seg>x</seg></tuv></tu>'
            ),
            "creationdate",
        ),
    ],
)
def test_malformed_tmx_imports_nothing(
    ws: Path, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    result = run("-w", ws, "tm", "import", path)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("Lỗi: ") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert pairs(ws) == []


def test_binary_and_missing_files(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.tmx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert run("-w", ws, "tm", "import", path).exit_code == 2
    missing = run("-w", ws, "tm", "import", tmp_path / "none.tmx")
    assert missing.exit_code == 2 and "Không tìm thấy" in missing.stderr


def test_tm_lookup_command(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.tmx"
    path.write_text(TMX, encoding="utf-8")
    assert run("-w", ws, "tm", "import", path).exit_code == 0
    query = "Bà con mang theo thẻ căn cước."
    result = run("-w", ws, "tm", "lookup", query, "-l", "blt", "--json")
    assert result.exit_code == 0
    (match,) = json.loads(result.stdout)
    assert match["kind"] == "fuzzy" and match["target"] == "‹blt› ZZ-TMX-2"
    assert 80 <= match["score"] < 100
    context = run(
        "-w",
        ws,
        "tm",
        "lookup",
        "Ủy ban nhân dân xã thông báo lịch tiếp dân.",
        "-l",
        "blt",
        "--previous",
        "Kính thưa bà con.",
    )
    assert context.exit_code == 0 and "100.0% in-context" in context.stdout
    none = run("-w", ws, "tm", "lookup", "Một câu hoàn toàn khác hẳn.", "-l", "blt")
    assert none.exit_code == 0 and "Không có câu nào" in none.stdout
    bad = run("-w", ws, "tm", "lookup", query, "-l", "th")
    assert bad.exit_code == 2 and "blt" in bad.stderr
