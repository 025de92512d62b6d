"""*Nhật ký phát* through the real application: an upload is imported whole or not at all
(the checks and sentence of ``broadcast asrun import``), a planned play nobody logged is
shown missed under the script's title, and marking it by hand (``asrun confirm``) clears it.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from html import unescape
from pathlib import Path

import pytest
from schedule_fixtures import GRID, add_script, open_db, write_grid
from starlette.testclient import TestClient
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.schedule import campaign
from broadcast.schedule.model import Priority
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app

TITLE = "Hướng dẫn nộp hồ sơ trực tuyến"
DAY = "?tu=2026-03-03&den=2026-03-03"


def asrun_workspace(root: Path) -> Workspace:
    """People with passwords, the station grid, and one Vietnamese script planned once in
    'trung-tam' at 06:00:10 on 2026-03-03 (through the same calls as schedule add/plan)."""
    web_workspace(root)
    write_grid(root, GRID)
    ws = find_workspace(root)
    with open_db(root) as db:
        add_script(db, "tin-a", title=TITLE, vi_seconds=90.0)
    campaign.add_item(
        ws,
        "tin-a",
        starts=dt.datetime(2026, 3, 3),
        last_day=dt.date(2026, 3, 3),
        priority=Priority.NORMAL,
        min_plays=1,
        zones=("trung-tam",),
        languages=None,
        topic=None,
    )
    campaign.plan_days(ws, dt.date(2026, 3, 3), 1)
    return ws


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return asrun_workspace(tmp_path_factory.mktemp("web") / "dai")


@pytest.fixture(scope="module")
def scheduler(ws: Workspace) -> TestClient:
    return signed_in_client(create_app(ws), "scheduler")


def plays(ws: Workspace) -> int:
    conn = sqlite3.connect(ws.root / "broadcast.db")
    try:
        return int(conn.execute("SELECT COUNT(*) FROM asrun_plays").fetchone()[0])
    finally:
        conn.close()


def upload(client: TestClient, name: str, text: str) -> object:
    token = csrf_from(client.get("/nhat-ky-phat").text)
    return client.post(
        "/nhat-ky-phat/tai-len",
        data={"csrf": token},
        files={"file": (name, text.encode("utf-8"), "text/csv")},
    )


def test_a_malformed_row_is_one_sentence_and_nothing_is_imported(
    ws: Workspace, scheduler: TestClient
) -> None:
    bad = (
        "zone;start;item;duration;status\n"
        "trung-tam;2026-03-03 06:00:10;1;90;played\n"
        "trung-tam;hôm qua;1;90;played\n"
    )
    response = upload(scheduler, "loa.csv", bad)
    assert response.status_code == 400  # type: ignore[attr-defined]
    text = unescape(response.text)  # type: ignore[attr-defined]
    assert "loa.csv, dòng 3: thời gian 'hôm qua' không đúng dạng" in text
    assert "không có lượt phát nào được nhập" in text
    assert text.count('class="loi"') == 1
    assert plays(ws) == 0


def test_a_missed_play_is_shown_by_title_then_marked_by_hand(
    ws: Workspace, scheduler: TestClient
) -> None:
    page = scheduler.get("/nhat-ky-phat" + DAY)
    assert page.status_code == 200
    row = page.text[page.text.index('class="nk-missed"') :]
    row = row[: row.index("</tr>")]
    assert "không phát" in row and f"{TITLE} (tiếng Việt)" in row
    assert "tin-a" not in row  # the title people know, not the internal name
    assert "03/03/2026 · Cụm loa trung tâm xã" in page.text  # per day and zone
    assert "Kế hoạch 1 · đúng giờ 0 · muộn 0 · không phát 1" in page.text
    # The row's own button sends what 'asrun confirm' takes: zone, slot, number in the slot.
    sent = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', row))
    assert sent == {
        "csrf": csrf_from(page.text),
        "zone": "trung-tam",
        "slot": "2026-03-03T06:00",
        "item": "1",
        "status": "played",
    }
    marked = scheduler.post("/nhat-ky-phat/danh-dau" + DAY, data=sent)
    assert marked.status_code == 200, marked.text
    assert "Đã ghi 1 mục đã phát" in marked.text
    assert 'class="nk-missed"' not in marked.text
    assert "Kế hoạch 1 · đúng giờ 1 · muộn 0 · không phát 0" in marked.text
    assert plays(ws) == 1


def test_a_good_upload_is_imported_and_counted_once(ws: Workspace, scheduler: TestClient) -> None:
    before = plays(ws)
    good = "zone,start,item,duration,status\nban-muong,2026-03-03 06:02,1,90,played\n"
    first = upload(scheduler, "loa-2.csv", good)
    assert first.status_code == 200  # type: ignore[attr-defined]
    assert "Đã nhập 1 lượt phát từ loa-2.csv" in first.text  # type: ignore[attr-defined]
    again = upload(scheduler, "loa-2.csv", good)
    assert "đã được nhập trước đây" in again.text  # type: ignore[attr-defined]
    assert plays(ws) == before + 1
    shown = scheduler.get("/nhat-ky-phat" + DAY).text
    extra = shown[shown.index('class="nk-extra"') :]
    assert "ngoài kế hoạch" in extra and TITLE in extra[: extra.index("</tr>")]


def test_the_typed_form_says_what_is_missing(ws: Workspace, scheduler: TestClient) -> None:
    token = csrf_from(scheduler.get("/nhat-ky-phat").text)
    before = plays(ws)
    form = {"csrf": token, "zone": "trung-tam", "slot": "2026-03-03T06:00", "status": "missed"}
    no_number = scheduler.post("/nhat-ky-phat/danh-dau", data=form)
    assert no_number.status_code == 400 and "Hãy ghi số thứ tự mục" in unescape(no_number.text)
    wrong = scheduler.post("/nhat-ky-phat/danh-dau", data={**form, "item": "7"})
    assert wrong.status_code == 400 and "không có mục số 7" in unescape(wrong.text)
    elsewhere = {**form, "item": "1", "slot": "2026-03-03T07:00"}
    no_slot = scheduler.post("/nhat-ky-phat/danh-dau", data=elsewhere)
    assert no_slot.status_code == 400
    assert "Không có kế hoạch phát cho cụm loa 'trung-tam'" in unescape(no_slot.text)
    assert plays(ws) == before


def test_a_viewer_sees_nothing_and_changes_nothing(ws: Workspace) -> None:
    viewer = signed_in_client(create_app(ws), "viewer")
    assert viewer.get("/nhat-ky-phat").status_code == 403
    token = csrf_from(viewer.get("/bang-viec").text)
    before = plays(ws)
    refused = viewer.post(
        "/nhat-ky-phat/tai-len",
        data={"csrf": token},
        files={"file": ("x.csv", b"zone,start,item\ntrung-tam,2026-03-03 06:00,1\n", "text/csv")},
    )
    assert refused.status_code == 403
    assert plays(ws) == before
