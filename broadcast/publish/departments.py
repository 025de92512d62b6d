"""The departments' monthly articles for the commune portal (issue 14, item 4).

The plans assign each of the ward's departments (cơ quan, đơn vị) articles to hand in every
month, due by a day of the month (the 15th unless declared otherwise). The departments are
declared once in station.toml ``[[departments]]``; an article handed in is kept in the
workspace's ``articles/`` folder through the same ingestion as ``broadcast ingest`` (so a
file nobody can read is refused at the door) and recorded here, on time or late by the
station's clock. The CLI (``broadcast departments``) and the web page (``/don-vi``) both call
``submit``, ``month_view`` and the quarterly report calls ``department_table``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.errors import InputError, WorkspaceError
from broadcast.model.people import Person
from broadcast.model.time import VIETNAM, station_now
from broadcast.schedule.report_model import Period
from broadcast.store import departments as store
from broadcast.store.db import Database
from broadcast.store.station import Station, declared, row_value
from broadcast.store.workspace import Workspace

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Department:
    """One ``[[departments]]`` table: who must write, about what, by which day."""

    id: str
    name: str
    topics: tuple[str, ...] = ()
    due_day: int = 15
    per_month: int = 1

    def due_date(self, month: str) -> dt.date:
        """The due day in ``month``; a 31 in a 30-day month is that month's last day."""
        year, number = _month_parts(month)
        last = calendar.monthrange(year, number)[1]
        return dt.date(year, number, min(self.due_day, last))


def _month_parts(month: str) -> tuple[int, int]:
    match = _MONTH.match(month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise InputError(f"Tháng '{month}' không hợp lệ; hãy viết dạng NNNN-TT, vd. 2026-03.")
    return int(match.group(1)), int(match.group(2))


def check_month(month: str) -> str:
    """'2026-3' is refused, '2026-03' kept: the form every row and URL uses."""
    year, number = _month_parts(month)
    return f"{year:04d}-{number:02d}"


def current_month() -> str:
    return station_now().strftime("%Y-%m")


def departments(station: Station) -> tuple[Department, ...]:
    """The station's departments, from the checked ``[[departments]]`` tables (keys and
    ranges were checked when station.toml was read; ids must be unique)."""
    raw: Any = station.raw.get("departments") or []
    keys = declared("departments")
    found: list[Department] = []
    for index, table in enumerate(raw):
        path = f"[[departments]][{index + 1}]"

        def value(key: str, table: dict[str, Any] = table, path: str = path) -> Any:
            return row_value(table, keys, key, path)

        item = Department(
            id=str(value("id")).strip(),
            name=str(value("name")).strip(),
            topics=tuple(value("topics")),
            due_day=int(value("due_day")),
            per_month=int(value("per_month")),
        )
        if any(d.id == item.id for d in found):
            raise WorkspaceError(
                f"station.toml: mã đơn vị '{item.id}' bị trùng ở {path}; mỗi đơn vị một mã."
            )
        found.append(item)
    return tuple(found)


def find_department(station: Station, department_id: str) -> Department:
    """The declared department of that id, or an InputError naming the ones there are."""
    known = departments(station)
    for item in known:
        if item.id == department_id.strip():
            return item
    if not known:
        raise InputError(
            "Chưa khai báo đơn vị nào; hãy thêm bảng [[departments]] (id, name) vào "
            "station.toml rồi chạy lại."
        )
    near = difflib.get_close_matches(department_id, [d.id for d in known], n=1)
    hint = f"ý bạn là '{near[0]}'?" if near else "các mã có: " + ", ".join(d.id for d in known)
    raise InputError(f"Không có đơn vị mã '{department_id}'; {hint}")


@dataclass(frozen=True)
class Submission:
    """An article recorded as handed in by a department."""

    department: Department
    month: str
    article: str
    title: str
    due_date: dt.date
    on_time: bool
    submitted_by: str
    submitted_at: str  # UTC
    already: bool = False  # the same file was recorded before: nothing added


def submit(
    ws: Workspace,
    file_name: str,
    data: bytes,
    department_id: str,
    person: Person,
    *,
    month: str | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Keep the article (ingested like ``broadcast ingest``) and record it for the
    department and month (default: the current month), on time when handed in on or before
    the due day in the station's time zone. ``now`` (aware, or naive station time) is for
    tests and imports of past submissions."""
    from broadcast.text.upload import keep_upload

    department = find_department(ws.station, department_id)
    moment = now or dt.datetime.now(VIETNAM)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    local_day = moment.astimezone(VIETNAM).date()
    chosen = check_month(month) if month else local_day.strftime("%Y-%m")
    due = department.due_date(chosen)
    path, report = keep_upload(ws, file_name, data)
    digest = hashlib.sha256(data).hexdigest()
    stamp = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with ws.open_db() as db:
        before = store.find_submission(db, department.id, chosen, digest)
        row = before or store.add_submission(
            db,
            department=department.id,
            month=chosen,
            article=path.name,
            title=report.title,
            sha256=digest,
            due_date=due.isoformat(),
            on_time=local_day <= due,
            submitted_by=person.login,
            submitted_at=stamp,
        )
    return Submission(
        department=department,
        month=row.month,
        article=row.article,
        title=row.title,
        due_date=dt.date.fromisoformat(row.due_date),
        on_time=row.on_time,
        submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
        already=before is not None,
    )


def submit_file(
    ws: Workspace,
    path: Path,
    department_id: str,
    person: Person,
    *,
    month: str | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """``broadcast departments submit FILE``: the file read here, then ``submit``."""
    try:
        data = path.read_bytes()
    except OSError:
        raise InputError(f"Không đọc được tệp '{path}'; hãy kiểm tra đường dẫn.") from None
    return submit(ws, path.name, data, department_id, person, month=month, now=now)


# What a department's month says, shown as is on the CLI and the page.
ON_TIME = "đúng hạn"
LATE = "muộn"
MISSING = "chưa gửi"
OVERDUE = "quá hạn, chưa gửi"
PARTIAL = "quá hạn, còn thiếu bài"


@dataclass(frozen=True)
class DepartmentMonth:
    department: Department
    due_date: dt.date
    submissions: tuple[store.SubmissionRow, ...]
    status: str  # ON_TIME, LATE, MISSING (not yet due), OVERDUE or PARTIAL

    @property
    def done(self) -> int:
        return len(self.submissions)

    def as_json(self) -> dict[str, object]:
        return {
            "department": self.department.id,
            "name": self.department.name,
            "due_date": self.due_date.isoformat(),
            "planned": self.department.per_month,
            "submitted": self.done,
            "on_time": sum(1 for s in self.submissions if s.on_time),
            "status": self.status,
            "articles": [
                {
                    "article": s.article,
                    "title": s.title,
                    "on_time": s.on_time,
                    "submitted_by": s.submitted_by,
                    "submitted_at": s.submitted_at,
                }
                for s in self.submissions
            ],
        }


def _status(
    department: Department, rows: Sequence[store.SubmissionRow], today: dt.date, due: dt.date
) -> str:
    on_time = sum(1 for r in rows if r.on_time)
    if on_time >= department.per_month:
        return ON_TIME
    if len(rows) >= department.per_month:
        return LATE
    if today <= due:
        return MISSING
    return PARTIAL if rows else OVERDUE


def month_view(
    db: Database, station: Station, month: str, *, today: dt.date | None = None
) -> list[DepartmentMonth]:
    """Every declared department's month: what it handed in and whether it is on time, late
    or missing (overdue once the due day has passed on ``today``, station time)."""
    month = check_month(month)
    today = today or station_now().date()
    rows = store.submissions_between(db, month, month)
    view = []
    for department in departments(station):
        mine = tuple(r for r in rows if r.department == department.id)
        due = department.due_date(month)
        view.append(DepartmentMonth(department, due, mine, _status(department, mine, today, due)))
    return view


def portal_items(db: Database, month: str) -> int:
    """Items recorded in the publication log as posted on the commune portal in ``month``
    (station days): how many of the month's articles actually went out."""
    from broadcast.store.publications import counts_per_channel

    year, number = _month_parts(month)
    first = dt.date(year, number, 1)
    last = dt.date(year, number, calendar.monthrange(year, number)[1])
    return counts_per_channel(db, first, last).get("portal", 0)


@dataclass(frozen=True)
class DepartmentRow:
    """One row of the report's table "tin bài CCHC đăng trên Trang thông tin điện tử"."""

    name: str
    planned: int
    submitted: int
    on_time: int
    late: int

    @property
    def met(self) -> bool:
        return self.submitted >= self.planned


def department_table(
    db: Database, period: Period, station: Station, *, as_of: dt.date | None = None
) -> list[DepartmentRow]:
    """Per department, the articles planned in the period's months (up to ``as_of`` for a
    period not yet over: a month counts once its due day has passed or it has its articles)
    against those handed in, on time and late."""
    months = [check_month(m) for m in period.months()]
    if not months:
        return []
    as_of = as_of or station_now().date()
    rows = store.submissions_between(db, months[0], months[-1])
    table = []
    for department in departments(station):
        mine = [r for r in rows if r.department == department.id]
        planned = 0
        for month in months:
            handed = sum(1 for r in mine if r.month == month)
            if department.due_date(month) < as_of or handed:
                planned += department.per_month
        on_time = sum(1 for r in mine if r.on_time)
        table.append(
            DepartmentRow(department.name, planned, len(mine), on_time, len(mine) - on_time)
        )
    return table
