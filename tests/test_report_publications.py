"""The publication log in the quarterly report (issue 14, item 6): the table "Số tin bài đã
đăng theo kênh" counts what was recorded in the period, per channel, in the .docx (read back
with python-docx), the CSV, the HTML page and the web page's figures; and ``broadcast config
show`` lists the departments' monthly assignments (issue 14, item 4)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from docx import Document
from helpers import run
from schedule_fixtures import add_script, grid_workspace, open_db
from test_departments import DEPARTMENTS, declare_departments

from broadcast.model.people import Grant, Person, Role
from broadcast.publish.log import log_publication
from broadcast.schedule.report import make_report
from broadcast.schedule.report_view import report_view
from broadcast.store.workspace import find_workspace

POSTER = Person(id=0, login="producer", display_name="Cán bộ", grants=(Grant(Role.PRODUCER),))
NOW = dt.datetime(2026, 6, 1, 8, 0)  # station time: every record below is in the past
RECORDS = (  # (script, channel, where, at): Q1 2026 unless said
    ("mot-cua", "portal", "https://xa.example.gov.vn/tin/1", "2026-01-05 09:00"),
    ("dvc", "portal", "https://xa.example.gov.vn/tin/2", "2026-02-20 14:30"),
    ("mot-cua", "facebook", "https://facebook.com/xa/posts/1", "2026-01-06 07:00"),
    ("dvc", "loa", "Cụm loa trung tâm xã", "2026-03-02 06:00"),
    ("dvc", "zalo", "https://zalo.me/xa/1", "2026-03-31 23:30"),  # last minute of the quarter
    ("mot-cua", "youtube", "https://youtube.com/shorts/1", "2026-04-01 00:10"),  # Q2
    ("dvc", "portal", "https://xa.example.gov.vn/tin/3", "2025-12-31 23:50"),  # Q4 2025
)
EXPECTED = {  # Q1 2026
    "Loa truyền thanh": 1,
    "Trang thông tin điện tử": 2,
    "Facebook": 1,
    "YouTube": 0,
    "TikTok": 0,
    "Zalo": 1,
}
HEADER = ["STT", "Kênh", "Số tin bài đã đăng"]


def _workspace(tmp_path: Path) -> Path:
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        add_script(db, "mot-cua")
        add_script(db, "dvc")
    ws = find_workspace(root)
    for script, channel, where, at in RECORDS:
        log_publication(ws, script, channel=channel, where=where, person=POSTER, at=at, now=NOW)
    return root


def test_report_counts_publications_per_channel_in_the_period(tmp_path: Path) -> None:
    ws = find_workspace(_workspace(tmp_path))
    files = make_report(ws, "2026-Q1", as_of=dt.date(2026, 6, 1))

    document = Document(str(files.docx))
    headings = [p.text for p in document.paragraphs if "Số tin bài đã đăng theo kênh" in p.text]
    assert headings == ["8. Số tin bài đã đăng theo kênh"]  # no departments declared
    tables = [t for t in document.tables if [c.text for c in t.rows[0].cells] == HEADER]
    assert len(tables) == 1
    rows = [[c.text for c in r.cells] for r in tables[0].rows[1:]]
    assert {name: int(n) for _i, name, n in rows[:-1]} == EXPECTED
    assert [name for _i, name, _n in rows[:-1]] == list(EXPECTED)  # the report's order
    assert rows[-1][1:] == ["Tổng cộng", "5"]

    table = (files.folder / "theo-kenh-dang.csv").read_text(encoding="utf-8-sig")
    read = list(csv.reader(io.StringIO(table)))
    assert read[0] == ["Mã", "Kênh", "Số tin bài đã đăng"]
    assert {r[0]: int(r[2]) for r in read[1:]} == {
        "loa": 1, "portal": 2, "facebook": 1, "youtube": 0, "tiktok": 0, "zalo": 1,
    }  # fmt: skip
    page = files.html.read_text(encoding="utf-8")
    assert "Số tin bài đã đăng theo kênh" in page
    assert '<td>Trang thông tin điện tử</td><td class="n">2</td>' in page

    shown = dict(report_view(ws, "2026-Q1", as_of=dt.date(2026, 6, 1)).publications)
    assert shown == {name: str(n) for name, n in EXPECTED.items()}
    q2 = dict(report_view(ws, "2026-Q2", as_of=dt.date(2026, 6, 1)).publications)
    assert q2["YouTube"] == "1" and q2["Trang thông tin điện tử"] == "0"


def test_config_show_lists_departments_and_their_monthly_assignments(tmp_path: Path) -> None:
    root = grid_workspace(tmp_path / "ws")
    declare_departments(root, DEPARTMENTS)
    lines = (root / "station.toml").read_text(encoding="utf-8").splitlines()
    result = run("-w", root, "config", "show", "--json")
    assert result.exit_code == 0, result.stderr
    entries = {e["path"]: e for e in json.loads(result.stdout)}
    first = entries["[[departments]][1] name"]
    assert first["value"] == "Phòng Tư pháp" and lines[first["line"] - 1].startswith("name =")
    assert entries["[[departments]][1] topics"]["value"] == ["hộ tịch"]
    assert entries["[[departments]][1] due_day"] == {
        "path": "[[departments]][1] due_day",
        "value": 15,
        "origin": "mặc định",
        "line": None,
    }
    assert entries["[[departments]][2] due_day"]["value"] == 10
    assert entries["[[departments]][3] per_month"]["value"] == 2
    assert "[[departments]][4] id" not in entries
    text = run("-w", root, "config", "show").stdout
    assert "[[departments]][2] name = Địa chính – Xây dựng  ← station.toml dòng" in text
    assert "[[departments]][1] topics = hộ tịch  ← station.toml dòng" in text
