"""The departments' monthly articles (issue 14, item 4): declared in station.toml, handed in
through the CLI, on time or late by the station's clock, the month view and the quarterly
report's table "tin bài CCHC đăng trên Trang thông tin điện tử" against the plan."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest
import tomli_w
from docx import Document
from helpers import make_workspace, run
from schedule_fixtures import add_script

from broadcast.errors import InputError, WorkspaceError
from broadcast.model.people import Grant, Person, Role
from broadcast.model.time import VIETNAM
from broadcast.publish.departments import (
    LATE,
    MISSING,
    ON_TIME,
    OVERDUE,
    PARTIAL,
    department_table,
    departments,
    month_view,
    submit,
)
from broadcast.schedule.period import parse_period
from broadcast.schedule.report import make_report
from broadcast.store.workspace import find_workspace

DEPARTMENTS = [
    {"id": "tu-phap", "name": "Phòng Tư pháp", "topics": ["hộ tịch"]},
    {"id": "dia-chinh", "name": "Địa chính – Xây dựng", "due_day": 10},
    {"id": "van-hoa", "name": "Văn hóa – Xã hội", "due_day": 31, "per_month": 2},
]
ARTICLE = (
    "Hướng dẫn đăng ký khai sinh trực tuyến\n\n"
    "Người dân có thể đăng ký khai sinh cho con trên Cổng dịch vụ công quốc gia. "
    "Hồ sơ gồm tờ khai và giấy chứng sinh. Kết quả được trả trong ngày làm việc.\n"
)
CLERK = Person(id=0, login="producer", display_name="Cán bộ", grants=(Grant(Role.PRODUCER),))


def declare_departments(root: Path, tables: list[dict[str, object]]) -> None:
    path = root / "station.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["departments"] = tables
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    make_workspace(tmp_path / "ws")
    declare_departments(tmp_path / "ws", DEPARTMENTS)
    return tmp_path / "ws"


def _at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=VIETNAM)


def _text(number: int) -> bytes:
    return ARTICLE.replace("trong ngày", f"trong {number} ngày").encode("utf-8")


def test_declared_with_defaults_and_month_ends(root: Path) -> None:
    found = departments(find_workspace(root).station)
    assert [d.id for d in found] == ["tu-phap", "dia-chinh", "van-hoa"]
    assert found[0].due_day == 15 and found[0].per_month == 1 and found[0].topics == ("hộ tịch",)
    assert found[1].due_date("2026-02") == dt.date(2026, 2, 10)
    assert found[2].due_date("2026-02") == dt.date(2026, 2, 28)  # 31 in a short month


def test_bad_declarations_are_refused_with_their_key(root: Path) -> None:
    declare_departments(root, [{"id": "a", "name": "A", "due_day": 40}])
    with pytest.raises(WorkspaceError, match=r"due_day"):
        find_workspace(root)
    declare_departments(root, [{"id": "a", "name": "A", "han": 3}])
    with pytest.raises(WorkspaceError, match=r"han"):
        find_workspace(root)
    declare_departments(root, [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}])
    with pytest.raises(WorkspaceError, match=r"trùng"):
        departments(find_workspace(root).station)


def test_on_time_is_decided_in_the_station_time_zone(root: Path) -> None:
    ws = find_workspace(root)
    # 23:30 on the 15th in Vietnam is 16:30 UTC the same day: on time; 00:30 on the 16th
    # (17:30 UTC on the 15th) is late although UTC still says the 15th.
    ok = submit(ws, "a.txt", _text(1), "tu-phap", CLERK, now=_at("2026-01-15", 23))
    assert ok.on_time and ok.month == "2026-01" and ok.due_date == dt.date(2026, 1, 15)
    late_moment = dt.datetime(2026, 2, 15, 17, 30, tzinfo=dt.UTC)
    late = submit(ws, "b.txt", _text(2), "tu-phap", CLERK, now=late_moment)
    assert late.month == "2026-02" and not late.on_time
    assert late.submitted_at == "2026-02-15T17:30:00Z"
    assert (root / "articles" / late.article).is_file()
    again = submit(ws, "b.txt", _text(2), "tu-phap", CLERK, now=late_moment)
    assert again.already
    with ws.open_db() as db:
        view = {m.department.id: m for m in month_view(db, ws.station, "2026-02")}
    assert view["tu-phap"].done == 1


def test_unknown_department_and_bad_month_are_refused(root: Path) -> None:
    ws = find_workspace(root)
    with pytest.raises(InputError, match="tu-phap"):
        submit(ws, "a.txt", _text(1), "tu-phap-x", CLERK)
    with pytest.raises(InputError, match="NNNN-TT"):
        submit(ws, "a.txt", _text(1), "tu-phap", CLERK, month="2026-13")
    with pytest.raises(InputError):
        submit(ws, "a.bin", b"\x00\x01\x02binary", "tu-phap", CLERK)
    with ws.open_db() as db:
        assert all(m.done == 0 for m in month_view(db, ws.station, "2026-03"))


def test_month_view_says_who_is_on_time_late_missing(root: Path) -> None:
    ws = find_workspace(root)
    submit(ws, "a.txt", _text(1), "tu-phap", CLERK, now=_at("2026-03-02"))
    submit(ws, "b.txt", _text(2), "dia-chinh", CLERK, now=_at("2026-03-12"))
    submit(ws, "c.txt", _text(3), "van-hoa", CLERK, now=_at("2026-03-20"))
    with ws.open_db() as db:
        on_the_12th = month_view(db, ws.station, "2026-03", today=dt.date(2026, 3, 12))
        later = month_view(db, ws.station, "2026-04", today=dt.date(2026, 4, 20))
    assert [m.status for m in on_the_12th] == [ON_TIME, LATE, MISSING]  # one of two, not due
    assert [m.status for m in later] == [OVERDUE, OVERDUE, MISSING]
    with ws.open_db() as db:
        after = month_view(db, ws.station, "2026-03", today=dt.date(2026, 4, 1))
    assert [m.status for m in after] == [ON_TIME, LATE, PARTIAL]


def test_cli_submit_and_month_json(root: Path, tmp_path: Path) -> None:
    article = tmp_path / "bai-tu-phap.txt"
    article.write_bytes(_text(5))
    done = run(
        "-w",
        root,
        "departments",
        "submit",
        article,
        "--department",
        "tu-phap",
        "--month",
        "2026-05",
    )
    assert done.exit_code == 0, done.output
    assert "Phòng Tư pháp" in done.output and "2026-05" in done.output
    wrong = run("-w", root, "departments", "submit", article, "--department", "khong-co")
    assert wrong.exit_code == 2 and "khong-co" in wrong.stderr
    from broadcast.publish.log import log_publication

    ws = find_workspace(root)
    with ws.open_db() as db:
        add_script(db, "tin-thang-5")
    for day, channel in (
        ("2026-05-31 23:00", "portal"),
        ("2026-06-01 00:10", "portal"),
        ("2026-05-20 08:00", "facebook"),
    ):
        log_publication(
            ws, "tin-thang-5", channel=channel, where="https://x.vn/1", person=CLERK, at=day
        )
    shown = run("-w", root, "departments", "month", "2026-05", "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["portal_items"] == 1  # the portal in May, station days; not June, not facebook
    rows = {d["department"]: d for d in data["departments"]}
    assert rows["tu-phap"]["submitted"] == 1 and rows["dia-chinh"]["submitted"] == 0
    assert rows["tu-phap"]["articles"][0]["title"].startswith("Hướng dẫn đăng ký")
    text = run("-w", root, "departments", "month", "2026-05")
    assert "Phòng Tư pháp (tu-phap): 1/1 bài" in text.output
    assert "1 tin bài đã đăng lên Trang thông tin điện tử" in text.output


def test_report_table_against_the_plan(root: Path) -> None:
    ws = find_workspace(root)
    for month, number in (("01", 1), ("02", 2), ("03", 3)):
        submit(ws, "tp.txt", _text(number), "tu-phap", CLERK, now=_at(f"2026-{month}-0{number}"))
    submit(ws, "dc.txt", _text(9), "dia-chinh", CLERK, now=_at("2026-02-11"))  # late
    with ws.open_db() as db:
        rows = department_table(db, parse_period("2026-Q1"), ws.station, as_of=dt.date(2026, 4, 2))
        early = department_table(
            db, parse_period("2026-Q1"), ws.station, as_of=dt.date(2026, 2, 12)
        )
    assert [(r.name, r.planned, r.submitted, r.on_time, r.late, r.met) for r in rows] == [
        ("Phòng Tư pháp", 3, 3, 3, 0, True),
        ("Địa chính – Xây dựng", 3, 1, 0, 1, False),
        ("Văn hóa – Xã hội", 6, 0, 0, 0, False),
    ]
    # Mid-quarter, only the months whose due day has passed (or that have articles) count.
    assert [r.planned for r in early] == [3, 2, 2]

    files = make_report(ws, "2026-Q1", today=dt.date(2026, 4, 2), as_of=dt.date(2026, 4, 2))
    document = Document(str(files.docx))
    texts = [p.text for p in document.paragraphs]
    assert "8. Tin bài CCHC đăng trên Trang thông tin điện tử" in texts
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị")
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[1] == ["1", "Phòng Tư pháp", "3", "3", "3", "0", "Đạt"]
    assert cells[2][1:] == ["Địa chính – Xây dựng", "3", "1", "0", "1", "Không đạt"]
    assert cells[-1][1:3] == ["Tổng cộng", "12"]
