"""Inputs that used to end in a Python traceback (or exhaust memory), each through the real
command: now one Vietnamese sentence, an exit code of 2 (or 0 where the file is fine), and
nothing changed. Issue 9, "No traceback on any input"; the random corpus is in
test_fuzz_imports.py.
"""

from __future__ import annotations

import codecs
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from helpers import make_workspace, run, runner
from test_ingest_formats import PDF_PAGES, make_pdf

from broadcast.audio.profiles import workspace_profile
from broadcast.cli import BroadcastGroup
from broadcast.errorlog import UNEXPECTED_EXIT_CODE
from broadcast.errors import WorkspaceError

ARTICLE = (
    "Ủy ban nhân dân xã Mường La thông báo lịch tiếp công dân. Bà con có kiến nghị về thủ tục "
    "hành chính xin đến trụ sở xã vào sáng thứ Hai hằng tuần."
)
TMX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="vi" '
    'creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" '
    'datatype="plaintext"/><body>'
)
TMX_TAIL = "</body></tmx>\n"
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaaaa">\n'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8))
    + ']>\n<tmx version="1.4"><header srclang="vi"/><body><tu><tuv xml:lang="vi"><seg>&i;'
    "</seg></tuv></tu></body></tmx>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    '<martif><text><body><termEntry><langSet xml:lang="vi"><tig><term>&x;</term></tig>'
    "</langSet></termEntry></body></text></martif>\n"
)
ASRUN_HEADER = "zone,start,render,duration,status\n"


def has_vietnamese(text: str) -> bool:
    return re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", text) is not None


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def refused(result: object, *words: str) -> str:
    """The stderr of a refused command: exit 2, no traceback, Vietnamese, naming ``words``."""
    exit_code, stderr = result.exit_code, result.stderr  # type: ignore[attr-defined]
    assert exit_code == 2, (exit_code, result.output)  # type: ignore[attr-defined]
    assert "Traceback" not in result.output + stderr  # type: ignore[attr-defined]
    assert has_vietnamese(stderr), stderr
    for word in words:
        assert word in stderr, stderr
    return stderr


# --- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["div", "b", "li", "font"])
def test_html_with_hundreds_of_unclosed_tags_is_read(tmp_path: Path, tag: str) -> None:
    page = tmp_path / "trang.html"
    page.write_text(f"<html><body><p>{ARTICLE}</p>" + f"<{tag}>chữ " * 900, encoding="utf-8")
    result = run("ingest", page)
    assert result.exit_code == 0, result.output
    assert "thông báo lịch tiếp công dân" in result.stdout


def test_html_nested_thousands_deep_is_refused_quickly(tmp_path: Path) -> None:
    """bs4's parse time grows with the square of the depth: 100,000 would take an hour."""
    page = tmp_path / "trang.html"
    page.write_text(f"<p>{ARTICLE}</p>" + "<div>chữ " * 90_000, encoding="utf-8")
    started = time.perf_counter()
    refused(run("ingest", page), "lồng nhau")
    assert time.perf_counter() - started < 5


def test_html_of_bare_tags_is_refused_before_parsing(tmp_path: Path) -> None:
    page = tmp_path / "trang.html"
    page.write_text("<p>" * 150_000, encoding="utf-8")
    refused(run("ingest", page), "thẻ HTML", "150000")


def test_utf8_cut_inside_its_last_character_is_called_cut_not_mangled(tmp_path: Path) -> None:
    path = tmp_path / "bai.txt"
    path.write_bytes(ARTICLE.encode("utf-8") + "ệ".encode()[:2])
    stderr = refused(run("ingest", path), "cắt cụt")
    assert "hỏng" not in stderr


@pytest.mark.parametrize(
    ("raw", "word"),
    [
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le") + b"x", "cắt cụt"),
        (ARTICLE.encode("utf-16-le") + b"x", "cắt cụt"),  # no BOM, odd length
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le") + b"\x00\xdc" * 2, "cặp ký tự"),
    ],
    ids=["bom-odd", "no-bom-odd", "lone-surrogate"],
)
def test_damaged_utf16_article_is_named(tmp_path: Path, raw: bytes, word: str) -> None:
    path = tmp_path / "bai.txt"
    path.write_bytes(raw)
    refused(run("ingest", path), word)


def test_a_few_bytes_are_not_a_bulletin(tmp_path: Path) -> None:
    path = tmp_path / "bai.txt"
    path.write_bytes(b"xin chao")
    refused(run("ingest", path), "quá ngắn")


def test_pdf_page_of_a_million_drawing_instructions_is_refused_quickly(tmp_path: Path) -> None:
    """pypdf interprets ~100,000 instructions a second: this page would take 20 s and 500 MB."""
    path = tmp_path / "ke-hoach.pdf"
    path.write_bytes(make_pdf(PDF_PAGES).replace(b"BT", b"BT " + b"q " * 400_000, 1))
    started = time.perf_counter()
    refused(run("ingest", path), "Trang 1", "lệnh vẽ")
    assert time.perf_counter() - started < 5


# --- XML exchange files ---------------------------------------------------------------------


def test_deeply_nested_tmx_segment_is_refused(ws: Path, tmp_path: Path) -> None:
    before = dump(ws / "broadcast.db")
    seg = "<hi>" * 5000 + "chữ" + "</hi>" * 5000
    path = tmp_path / "sau.tmx"
    path.write_text(
        TMX_HEAD + f'<tu><tuv xml:lang="vi"><seg>{seg}</seg></tuv>'
        f'<tuv xml:lang="blt"><seg>[blt] câu 1 thử nghiệm</seg></tuv></tu>' + TMX_TAIL,
        encoding="utf-8",
    )
    refused(run("-w", ws, "tm", "import", path), "lồng nhau")
    assert dump(ws / "broadcast.db") == before


@pytest.mark.parametrize(
    ("command", "name", "content"),
    [
        (("tm", "import"), "bom.tmx", BILLION_LAUGHS),
        (("glossary", "import"), "bom.tbx", BILLION_LAUGHS.replace("tmx", "martif")),
        (("glossary", "import"), "ngoai.tbx", EXTERNAL_ENTITY),
    ],
    ids=["tmx-laughs", "tbx-laughs", "tbx-external"],
)
def test_entity_tricks_are_refused(
    ws: Path, tmp_path: Path, command: tuple[str, str], name: str, content: str
) -> None:
    before = dump(ws / "broadcast.db")
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    stderr = refused(run("-w", ws, *command, path), "ENTITY")
    assert "root:" not in stderr
    assert dump(ws / "broadcast.db") == before


def test_tmx_with_a_doctype_line_as_cat_tools_write_it_is_still_read(
    ws: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ok.tmx"
    path.write_text(
        TMX_HEAD.replace("<tmx", '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx')
        + '<tu><tuv xml:lang="vi"><seg>Bà con mang theo căn cước.</seg></tuv>'
        '<tuv xml:lang="blt"><seg>[blt] câu 1 thử nghiệm</seg></tuv></tu>' + TMX_TAIL,
        encoding="utf-8",
    )
    result = run("-w", ws, "tm", "import", path)
    assert result.exit_code == 0, result.output


# --- as-run logs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "word"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "lồng nhau"),
        (b'{"plays": ' * 5000 + b"[]" + b"}" * 5000, "lồng nhau"),
        (
            b'[{"zone": "all", "start": "2026-03-03T06:00", "render": '
            + b"9" * 5000
            + b', "duration": 1}]',
            "chữ số",
        ),
        (b'[{"zone": "all", "start": "2026-03-03T06:00", "render": 1, "duration": NaN}]', "NaN"),
    ],
    ids=["deep-list", "deep-object", "long-number", "nan"],
)
def test_hostile_json_asrun_is_refused(ws: Path, tmp_path: Path, content: bytes, word: str) -> None:
    before = dump(ws / "broadcast.db")
    path = tmp_path / "asrun.json"
    path.write_bytes(content)
    refused(run("-w", ws, "asrun", "import", path), word)
    assert dump(ws / "broadcast.db") == before


@pytest.mark.parametrize(
    ("content", "word"),
    [
        (
            codecs.BOM_UTF16_LE
            + (ASRUN_HEADER + "all,2026-03-03 06:00,1,1,ok\n").encode("utf-16-le")[:-1],
            "cắt cụt",
        ),
        (codecs.BOM_UTF16_LE + ASRUN_HEADER.encode("utf-16-le") + b"\x00\xd8a\x00", "cặp ký tự"),
        ((ASRUN_HEADER + "all,2026-03-03 06:00,1,1,đã phát\nbà").encode()[:-1], "cắt cụt"),
        ((ASRUN_HEADER + "all,2026-03-03 06:00," + "9" * 5000 + ",1,ok\n").encode(), "không"),
        ((ASRUN_HEADER + "all,0001-01-01 00:00+14:00,1,1,ok\n").encode(), "thời gian"),
        (b"zone,start,file,duration,status\nall,2026-03-03 06:00,a.mp3,1e400:1,ok\n", "thời lượng"),
    ],
    ids=["utf16-odd", "utf16-unpaired", "utf8-cut", "long-id", "year-one", "infinite"],
)
def test_damaged_csv_asrun_is_refused(ws: Path, tmp_path: Path, content: bytes, word: str) -> None:
    before = dump(ws / "broadcast.db")
    path = tmp_path / "asrun.csv"
    path.write_bytes(content)
    refused(run("-w", ws, "asrun", "import", path), word)
    assert dump(ws / "broadcast.db") == before


# --- station.toml ---------------------------------------------------------------------------


def _set(ws: Path, table: str, line: str) -> None:
    path = ws / "station.toml"
    text = path.read_text(encoding="utf-8")
    key = line.split("=")[0].strip()
    text = re.sub(rf"(?m)^{key} = .*\n", "", text)
    path.write_text(text.replace(f"[{table}]\n", f"[{table}]\n{line}\n", 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("table", "line", "words"),
    [
        ("script", "syllables_per_minute = 0", ("syllables_per_minute", "60–600")),
        ("audio", "pause_ms = 100000000", ("pause_ms", "0–5000")),
        ("audio", "pause_ms = -450", ("pause_ms",)),
        ("audio", "speech_rate = -125", ("speech_rate", "60–400")),
        ("audio", "speech_rate = 125.5", ("speech_rate", "số nguyên")),
        ("audio", 'speech_rate = "nhanh"', ("speech_rate", "một số")),
        ("audio", "loudness_lufs = nan", ("loudness_lufs",)),
        ("script", 'southern_readings = "false"', ("southern_readings", "true hoặc false")),
        ("script", 'opening = "{station:>999999999}"', ("opening", "{station}")),
        ("script", 'closing = "{0}"', ("closing",)),
    ],
)
def test_station_settings_out_of_range_are_refused(
    ws: Path, table: str, line: str, words: tuple[str, ...]
) -> None:
    _set(ws, table, line)
    refused(run("-w", ws, "glossary", "list"), "station.toml", *words)


def test_station_toml_saved_with_a_bom_is_read(ws: Path) -> None:
    path = ws / "station.toml"
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())  # as Notepad on Windows saves it
    result = run("-w", ws, "glossary", "list")
    assert result.exit_code == 0, result.output


def test_station_toml_nested_past_the_recursion_limit_is_refused(ws: Path) -> None:
    path = ws / "station.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n[x]\ny = " + "[" * 5000 + "]" * 5000 + "\n",
        encoding="utf-8",
    )
    refused(run("-w", ws, "glossary", "list"), "station.toml", "lồng nhau")


def test_glossary_csv_cut_inside_its_last_character_is_called_cut(ws: Path, tmp_path: Path) -> None:
    before = dump(ws / "broadcast.db")
    path = tmp_path / "thuat-ngu.csv"
    path.write_bytes(
        "term,language,target,status\nmột cửa,blt,[blt] thuật ngữ 1 thử nghiệm,approved\n"
        "hồ sơ,blt,[blt] thuật ngữ 2 thử nghiệ".encode()
        + "ệ".encode()[:2]
    )
    refused(run("-w", ws, "glossary", "import", path), "cắt cụt")
    assert dump(ws / "broadcast.db") == before


def test_mix_override_out_of_range_is_refused(ws: Path) -> None:
    path = ws / "station.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n[mix.loudspeaker]\npause_ms = 100000000\n",
        encoding="utf-8",
    )
    with pytest.raises(WorkspaceError, match="pause_ms.*0–5000"):
        workspace_profile(path, "loudspeaker")


# --- the boundary ---------------------------------------------------------------------------


@click.command("hong")
def _broken() -> None:
    """A command with a bug nobody foresaw, to exercise the boundary itself."""
    raise ZeroDivisionError("division by zero")


def test_an_unforeseen_error_is_one_sentence_and_a_log_entry(ws: Path) -> None:
    group = BroadcastGroup(name="broadcast", commands={"hong": _broken})
    result = runner().invoke(group, ["hong"], env={"BROADCAST_WORKSPACE": str(ws)})
    assert result.exit_code == UNEXPECTED_EXIT_CODE
    assert "Traceback" not in result.output + result.stderr
    match = re.search(r"Lỗi không lường trước \(mã (E-\d{8}-[0-9a-f]{6})\)", result.stderr)
    assert match, result.stderr
    log = ws / "logs" / "loi.log"
    assert str(log) in result.stderr
    text = log.read_text(encoding="utf-8")
    assert match.group(1) in text
    assert "Traceback" in text and "ZeroDivisionError: division by zero" in text


def test_without_a_workspace_the_log_goes_to_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BROADCAST_WORKSPACE", raising=False)
    group = BroadcastGroup(name="broadcast", commands={"hong": _broken})
    result = runner().invoke(group, ["hong"], env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.exit_code == UNEXPECTED_EXIT_CODE
    log = tmp_path / "cache" / "broadcast" / "logs" / "loi.log"
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    assert "Traceback" not in result.stderr


def test_click_usage_errors_keep_their_own_exit_code() -> None:
    result = run("ingest")
    assert result.exit_code == 2
    assert "Thiếu đối số" in result.stderr
    assert "không lường trước" not in result.stderr


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """`broadcast ingest bai.txt | head -1`: the closed pipe ends the command quietly."""
    path = tmp_path / "dai.txt"
    path.write_text((ARTICLE + "\n\n") * 600, encoding="utf-8")  # past the 64 KB pipe buffer
    child = subprocess.Popen(
        [sys.executable, "-m", "broadcast", "ingest", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.readline()
    child.stdout.close()
    stderr = child.stderr.read().decode("utf-8")
    assert child.wait(timeout=60) == 141
    assert "Traceback" not in stderr and "không lường trước" not in stderr
