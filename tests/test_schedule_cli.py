"""`broadcast schedule add|plan|show|export`, with every export parsed back."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import icalendar  # an independent RFC 5545 parser checks the .ics we write ourselves
import pytest
from helpers import files_under, run
from schedule_fixtures import add_render, add_script, grid_workspace, open_db, translate

from broadcast.schedule.m3u8 import parse_m3u8

pytestmark = pytest.mark.backends


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        one = add_script(db, "mot-cua", vi_seconds=90.0, title="Một cửa, liên thông")
        # Approved first: a render records the approved texts it voices (issue 9).
        translate(db, one, "blt", approve=True)
        translate(db, one, "hmn", approve=False)
        add_render(db, one, "blt", 100.0)
        add_render(db, one, "hmn", 95.0)
        add_script(db, "dich-vu-cong", vi_seconds=60.0)
    return root


def _add(root: Path, *args: str) -> str:
    result = run("-w", root, "schedule", "add", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_add_plan_show_and_export(ws: Path, tmp_path: Path) -> None:
    out = _add(ws, "mot-cua", "--from", "2026-03-02", "--to", "2026-03-31", "--min-plays", "3")
    assert "mục #1" in out and "(vi, blt)" in out
    _add(
        ws,
        "dich-vu-cong",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-08",
        "--priority",
        "priority",
        "--zones",
        "trung-tam,ban-muong",
    )
    result = run("-w", ws, "schedule", "plan", "--from", "2026-03-02", "--days", "7", "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["slots"] == 7 * 3 + 3 * 2 + 1
    kinds = {f["kind"] for f in summary["findings"]}
    assert "missing-language" in kinds  # ban-mong hears hmn, which is not approved
    strict = run("-w", ws, "schedule", "plan", "--from", "2026-03-02", "--days", "7", "--strict")
    assert strict.exit_code == 4 and "hmn" in strict.stderr

    shown = run("-w", ws, "schedule", "show", "--from", "2026-03-04")
    assert shown.exit_code == 0, shown.stderr
    assert "Thứ Hai" in shown.stdout and "Chủ Nhật" in shown.stdout
    assert "Cụm loa bản Mường" in shown.stdout and "tiếp sóng" in shown.stdout

    # M3U8: one per zone and slot, durations and relative paths.
    m3u = tmp_path / "exp" / "m3u8"
    assert run("-w", ws, "schedule", "export", "--format", "m3u8", "--out", m3u).exit_code == 0
    lists = files_under(m3u)
    assert len(lists) == summary["slots"]
    monday = parse_m3u8((m3u / "ban-muong" / "2026-03-02_0600_sang.m3u8").read_text())
    assert monday[0] == (10.0, "Nhạc hiệu", "../media/voices/ident.mp3")
    titles = [t for _, t, _ in monday[1:-1]]
    assert titles[0].startswith("Bản tin dich-vu-cong")  # priority first
    assert [t[-5:] for t in titles[1:]] == ["[blt]", " [vi]"]  # zone order: blt then vi
    assert monday[2][0] == 100.0 and monday[2][2] == "../media/out/take-1-blt.mp3"
    relay = parse_m3u8((m3u / "trung-tam" / "2026-03-08_1900_vov.m3u8").read_text())
    assert relay == [(1800.0, "Tiếp sóng vov", "http://127.0.0.1:8000/vov1.mp3")]

    # JSON for IP loudspeaker systems.
    js = tmp_path / "exp" / "json"
    assert run("-w", ws, "schedule", "export", "--format", "json", "--out", js).exit_code == 0
    data = json.loads((js / "schedule.json").read_text(encoding="utf-8"))
    assert data["timezone"] == "Asia/Ho_Chi_Minh" and data["slot_end"] == "finish"
    first = next(s for s in data["slots"] if s["zone"] == "ban-muong")
    assert first["start"] == "2026-03-02T06:00:00+07:00"
    items = [e for e in first["entries"] if e["kind"] == "item"]
    assert [e["language"] for e in items] == ["vi", "blt", "vi"]
    assert items[1]["file"] == "out/take-1-blt.mp3" and items[1]["start"].endswith(
        "06:01:10+07:00"
    )  # ident 10 s + 60 s
    for slot in data["slots"]:
        for e in slot["entries"]:
            assert e["language"] != "hmn" if e["kind"] == "item" else True

    # iCalendar, parsed by the icalendar package.
    ics = tmp_path / "exp" / "ics"
    assert run("-w", ws, "schedule", "export", "--format", "ics", "--out", ics).exit_code == 0
    raw = (ics / "schedule.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert len(events) == summary["slots"]
    morning = next(e for e in events if str(e["LOCATION"]) == "Cụm loa bản Mường")
    assert morning.decoded("DTSTART").isoformat() == "2026-03-01T23:00:00+00:00"
    assert (morning.decoded("DTEND") - morning.decoded("DTSTART")).total_seconds() == 900
    assert "Một cửa, liên thông [blt]" in str(morning["DESCRIPTION"])

    # Printable HTML grid, parsed back.
    page = tmp_path / "exp" / "html"
    assert run("-w", ws, "schedule", "export", "--format", "html", "--out", page).exit_code == 0
    tables = _tables((page / "schedule.html").read_text(encoding="utf-8"))
    assert len(tables) == 3  # one week, three zones
    muong = tables[0]
    assert muong[0][1:] == [
        "Thứ Hai 02/03",
        "Thứ Ba 03/03",
        "Thứ Tư 04/03",
        "Thứ Năm 05/03",
        "Thứ Sáu 06/03",
        "Thứ Bảy 07/03",
        "Chủ Nhật 08/03",
    ]
    assert muong[1][0].startswith("06:00–06:15")
    assert "Một cửa, liên thông (blt, vi)" in muong[1][1]
    assert muong[2][0].startswith("17:30–17:40") and muong[2][2] == ""  # no chieu on Tuesday
    centre = tables[1]
    assert "Tiếp sóng" in centre[3][7]


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in ("br", "li") and self.cell is not None and self.cell:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _tables(text: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(text)
    return parser.tables


def test_emergency_is_inserted_into_the_stored_plan_at_once(ws: Path) -> None:
    _add(ws, "dich-vu-cong", "--from", "2026-03-02", "--to", "2026-03-31")
    assert run("-w", ws, "schedule", "plan", "--from", "2026-03-02", "--days", "7").exit_code == 0
    result = run(
        "-w",
        ws,
        "schedule",
        "add",
        "mot-cua",
        "--from",
        "2026-03-04T14:05",
        "--to",
        "2026-03-05",
        "--priority",
        "emergency",
        "--zones",
        "trung-tam",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["next_slots"] == [{"zone": "trung-tam", "start": "2026-03-04T17:30"}]
    js = ws / "exp"
    assert run("-w", ws, "schedule", "export", "--format", "json", "--out", js).exit_code == 0
    slots = json.loads((js / "schedule.json").read_text(encoding="utf-8"))["slots"]
    evening = next(
        s for s in slots if s["zone"] == "trung-tam" and s["start"] == "2026-03-04T17:30:00+07:00"
    )
    assert evening["entries"][1]["priority"] == "emergency"
    before = next(
        s for s in slots if s["zone"] == "trung-tam" and s["start"] == "2026-03-04T06:00:00+07:00"
    )
    assert all(e.get("priority") != "emergency" for e in before["entries"])


def test_errors_are_one_vietnamese_sentence_and_write_nothing(ws: Path) -> None:
    cases = [
        (
            ["add", "mot-cua", "--from", "2026-03-02", "--to", "2026-03-31", "--languages", "hmn"],
            "chưa được duyệt",
        ),
        (["add", "khong-co", "--from", "2026-03-02", "--to", "2026-03-31"], "Không có kịch bản"),
        (
            ["add", "mot-cua", "--from", "2026-03-02", "--to", "2026-03-31", "--zones", "ban-xa"],
            "Không có cụm loa ban-xa",
        ),
        (["add", "mot-cua", "--from", "02/03/2026", "--to", "2026-03-31"], "không hợp lệ"),
        (["add", "mot-cua", "--from", "2026-03-09", "--to", "2026-03-01"], "phải bằng hoặc sau"),
        (
            ["add", "mot-cua", "--from", "2026-03-02", "--to", "2026-03-31", "--languages", "th"],
            "Thái Lan",
        ),
        (["plan", "--from", "2026-03-02", "--days", "0"], "--days"),
        (["show"], "Chưa có lịch phát"),
        (["export", "--format", "json", "--out", str(ws / "x")], "Chưa có lịch phát"),
    ]
    for args, message in cases:
        result = run("-w", ws, "schedule", *args)
        assert result.exit_code == 2, (args, result.stdout)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    with open_db(ws) as db:
        assert db.conn.execute("SELECT COUNT(*) FROM schedule_items").fetchone()[0] == 0
        assert db.conn.execute("SELECT COUNT(*) FROM plan_slots").fetchone()[0] == 0
    assert not (ws / "x").exists()


def test_a_voided_approval_never_reaches_an_export(ws: Path) -> None:
    from broadcast.store import translations

    _add(ws, "mot-cua", "--from", "2026-03-02", "--to", "2026-03-08")
    assert run("-w", ws, "schedule", "plan", "--from", "2026-03-02", "--days", "7").exit_code == 0
    with open_db(ws) as db:
        blt = translations.load_translation(db, 1, "blt")
        # The editor changes an approved text (synthetic): its approval is voided.
        translations.set_targets(db, blt, {0: "‹blt› ZZ-1-0 (sửa)"}, actor="test")
    out = ws / "exp"
    exported = run("-w", ws, "schedule", "export", "--format", "json", "--out", out)
    assert exported.exit_code == 0
    data = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    languages = {e.get("language") for s in data["slots"] for e in s["entries"]}
    assert "blt" not in languages and "vi" in languages
    # The void took the entries off the plan at once (issue 9); the next command says so.
    assert "mất phê duyệt" in exported.stderr
    # Re-planning reports it as not approved and plans only Vietnamese.
    result = run("-w", ws, "schedule", "plan", "--from", "2026-03-02", "--days", "7")
    assert "bản blt chưa được duyệt" in result.stderr


def test_an_old_station_file_plans_its_one_zone(tmp_path: Path) -> None:
    """A workspace from `broadcast init` (slots with zones = ["all"], no [[zones]])."""
    from helpers import make_workspace

    root = make_workspace(tmp_path / "old")
    with open_db(root) as db:
        add_script(db, "mot-cua", vi_seconds=90.0)
    _add(root, "mot-cua", "--from", "2026-03-02", "--to", "2026-03-03", "--min-plays", "2")
    result = run("-w", root, "schedule", "plan", "--from", "2026-03-02", "--days", "2", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["slots"] == 4  # 06:00 and 17:30, two days
    out = tmp_path / "m3u"
    assert run("-w", root, "schedule", "export", "--format", "m3u8", "--out", out).exit_code == 0
    playlist = parse_m3u8((out / "all" / "2026-03-02_1730_slot-2.m3u8").read_text())
    assert playlist == [(90.0, "Bản tin mot-cua [vi]", "../media/out/mot-cua/audio.mp3")]
