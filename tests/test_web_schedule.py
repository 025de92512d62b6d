"""*Lịch phát* with TestClient: the scheduler adds, plans, edits, removes and exports through
the same stage functions as ``broadcast schedule``; a viewer reads but changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from schedule_fixtures import GRID, add_script, open_db, write_grid
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.model.time import station_now
from broadcast.schedule.items import list_items
from broadcast.schedule.m3u8 import parse_m3u8
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app


def this_monday() -> dt.date:
    """The Monday of the station's current week, read when a test runs (a constant read at
    import named last week's Monday when a run crossed Sunday midnight, station time, while
    the pages plan the week of the moment they are asked)."""
    today = station_now().date()
    return today - dt.timedelta(days=today.weekday())


def schedule_workspace(root: Path) -> Workspace:
    """A web workspace with the fixtures' three zones and three approved Vietnamese scripts:
    one short, two that fill most of a 15-minute slot each (together they overbook it)."""
    web_workspace(root)
    write_grid(root, GRID)
    with open_db(root) as db:
        add_script(db, "mot-cua", vi_seconds=120.0, title="Thủ tục một cửa")
        add_script(db, "dai-lam", vi_seconds=700.0, title="Bản tin dài")
        add_script(db, "dai-lam-2", vi_seconds=700.0, title="Bản tin dài thứ hai")
    return find_workspace(root)  # the station as written, with its zones


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return schedule_workspace(tmp_path_factory.mktemp("lich") / "dai")


def _post(client, url: str, **data: object):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/lich-phat").text)
    return client.post(url, data={"csrf": token, "ngay": this_monday().isoformat(), **data})


def test_scheduler_adds_plans_edits_removes_and_exports(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "scheduler")
    first = client.get("/lich-phat")
    assert first.status_code == 200 and "Chưa có lịch phát nào" in first.text
    monday = this_monday()
    week = {"from": monday.isoformat(), "to": (monday + dt.timedelta(days=6)).isoformat()}
    added = _post(client, "/lich-phat/them", script="mot-cua", zones="trung-tam", **week)
    assert added.status_code == 200 and "Đã thêm mục #" in added.text
    _post(client, "/lich-phat/them", script="dai-lam", min_plays="7", **week)
    _post(client, "/lich-phat/them", script="dai-lam-2", priority="priority", min_plays="7", **week)
    planned = _post(client, "/lich-phat/lap-lich")
    assert "Đã lập lịch" in planned.text
    # Fill bars, priority classes, the relay slot and the overbooked slot's finding.
    assert 'class="lp-fill' in planned.text and "Tiếp sóng" in planned.text
    assert "lp-p-priority" in planned.text and "Thủ tục một cửa [vi]" in planned.text
    assert "quá tải" in planned.text and "lp-qua-tai" in planned.text
    assert "xem=ngay&amp;khu=" in planned.text  # each finding links to its zone's day

    mine = {i.slug: i for i in list_items(ws) if i.slug == "mot-cua"}["mot-cua"]
    edited = _post(client, f"/lich-phat/muc/{mine.id}/sua", min_plays="3", priority="normal")
    assert edited.status_code == 200 and f"Đã sửa mục #{mine.id}" in edited.text
    assert {i.id: i for i in list_items(ws)}[mine.id].min_plays_per_week == 3
    bad = _post(client, f"/lich-phat/muc/{mine.id}/sua", until="2000-01-01")
    assert bad.status_code == 400 and "phải bằng hoặc sau ngày bắt đầu" in bad.text

    removed = _post(client, f"/lich-phat/muc/{mine.id}/go")
    assert removed.status_code == 200 and f"Đã gỡ mục #{mine.id}" in removed.text
    assert mine.id not in {i.id for i in list_items(ws)}

    day = client.get(f"/lich-phat?xem=ngay&ngay={this_monday().isoformat()}&khu=ban-muong")
    assert day.status_code == 200 and "Cụm loa bản Mường" in day.text
    assert "Cụm loa trung tâm xã" not in day.text.split("lp-luoi", 1)[1].split("</section>")[0]

    exported = _post(client, "/lich-phat/xuat", format="m3u8")
    assert exported.status_code == 200 and "Đã xuất" in exported.text
    folder = ws.out_dir / "lich-phat" / "m3u8"
    playlists = sorted(folder.rglob("*.m3u8"))
    assert playlists
    paths = [rel for p in playlists for _, _, rel in parse_m3u8(p.read_text(encoding="utf-8"))]
    assert paths and all(not r.startswith("../..") for r in paths)
    link = exported.text.split("/tep/", 1)[1].split('"', 1)[0]
    served = client.get("/tep/" + link.replace("&amp;", "&"))
    assert served.status_code == 200 and served.text.startswith("#EXTM3U")
    ics = _post(client, "/lich-phat/xuat", format="ics")
    assert "BEGIN:VCALENDAR" in (ws.out_dir / "lich-phat" / "ics" / "schedule.ics").read_text()
    assert ics.status_code == 200


def test_viewer_reads_but_is_refused_every_change(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "viewer")
    page = client.get("/lich-phat")
    assert page.status_code == 200
    assert "Thêm mục phát" not in page.text and "Gỡ mục" not in page.text
    before = [(i.id, i.min_plays_per_week) for i in list_items(ws)]
    for url in ("/lich-phat/them", "/lich-phat/lap-lich", "/lich-phat/xuat", "/lich-phat/muc/1/go"):
        refused = _post(client, url, script="mot-cua", format="json")
        assert refused.status_code == 403 and "không có vai trò" in refused.text
    assert [(i.id, i.min_plays_per_week) for i in list_items(ws)] == before


def test_unknown_script_and_zone_are_said_in_vietnamese(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "scheduler")
    wrong = _post(
        client, "/lich-phat/them", script="khong-co", **{"from": "2026-03-02", "to": "2026-03-03"}
    )
    # A script this station does not have is "not found" (404), said on the same page.
    assert wrong.status_code == 404 and 'class="loi"' in wrong.text
    assert "Không có kịch bản 'khong-co'" in wrong.text.replace("&#39;", "'")
    assert client.get("/lich-phat?khu=khong-co").status_code == 400
