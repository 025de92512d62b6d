"""An emergency broadcast is in the period's report (issue 13): the .docx read back by
python-docx and the HTML both name its date, title and zones, and a report of a period
without one says nothing about emergencies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from helpers import make_workspace
from schedule_fixtures import GRID, add_render, add_script, open_db, write_grid

from broadcast.schedule.campaign import add_emergency_now
from broadcast.schedule.report import make_report
from broadcast.store.workspace import find_workspace

TITLE = "Cảnh báo lũ quét bản Mường"


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_emergency_is_reported_in_its_period_only(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "dai")
    write_grid(root, GRID)
    with open_db(root) as db:
        script_id = add_script(db, "lu-quet", vi_seconds=60.0, title=TITLE)
        add_render(db, script_id, "vi", 60.0)
    ws = find_workspace(root)
    moment = dt.datetime(2026, 8, 14, 21, 5)  # station-local, as the CLI passes it
    add_emergency_now(
        ws, "lu-quet", now=moment, last_day=None, zones=("ban-muong",), languages=("vi",),
        topic=None, actor="quantri",
    )  # fmt: skip
    files = make_report(ws, "2026-Q3", today=dt.date(2026, 10, 2))
    text = _docx_text(files.docx)
    assert "1 lần phát khẩn cấp" in text
    assert "14/08/2026 lúc 21:05" in text and TITLE in text and "ban-muong" in text
    assert "14/08/2026 lúc 21:05" in files.html.read_text(encoding="utf-8")
    other = make_report(ws, "2026-Q2", today=dt.date(2026, 10, 2))
    assert "khẩn cấp" not in _docx_text(other.docx)
