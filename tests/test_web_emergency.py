"""*Phát khẩn cấp* through the real application: nothing airs before the confirmation step,
the confirmed emergency is the CLI's ``--now`` (interrupt playlist written for the chosen
zone only, recorded in ``interrupts``), and a viewer is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from schedule_fixtures import GRID, add_render, add_script, open_db, translate, write_grid
from starlette.testclient import TestClient
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.schedule.m3u8 import parse_m3u8
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app

TITLE = "Cảnh báo lũ quét"


def emergency_workspace(root: Path) -> Workspace:
    """People with passwords, the station grid, and one script approved in Vietnamese and
    (synthetic) Thái with renders; a second script whose Thái is still in review."""
    web_workspace(root)
    write_grid(root, GRID)
    with open_db(root) as db:
        script_id = add_script(db, "lu-quet", vi_seconds=60.0, title=TITLE)
        translate(db, script_id, "blt", approve=True)
        add_render(db, script_id, "blt", 70.0)
        add_script(db, "chua-duyet", title="Tin chưa duyệt", approve=False)
    return find_workspace(root)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return emergency_workspace(tmp_path_factory.mktemp("web") / "dai")


def interrupts(ws: Workspace) -> list[tuple[str, str, str | None]]:
    """The record the CLI's emergency writes too: zone, playlist, who started it."""
    conn = sqlite3.connect(ws.root / "broadcast.db")
    try:
        rows = conn.execute("SELECT zone, path, actor FROM interrupts ORDER BY id").fetchall()
        return [(str(z), str(p), a) for z, p, a in rows]
    finally:
        conn.close()


def test_emergency_needs_confirmation_then_airs_in_the_chosen_zone(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "scheduler")
    page = client.get("/khan-cap")
    assert page.status_code == 200
    assert TITLE in page.text and "Tin chưa duyệt" not in page.text  # approved only
    token = csrf_from(page.text)
    chosen = {"csrf": token, "script": "lu-quet", "zones": ["ban-muong"]}

    review = client.post("/khan-cap/xem", data=chosen)
    assert review.status_code == 200
    assert "Xác nhận: phát khẩn cấp ngay" in review.text
    assert "Cụm loa bản Mường" in review.text and "Cụm loa trung tâm xã" not in review.text
    assert interrupts(ws) == []  # the first step changes nothing

    unconfirmed = client.post("/khan-cap/phat", data=chosen)
    assert unconfirmed.status_code == 400 and "Chưa xác nhận" in unconfirmed.text
    assert interrupts(ws) == []

    done = client.post("/khan-cap/phat", data={**chosen, "confirm": "yes"})
    assert done.status_code == 200, done.text
    recorded = interrupts(ws)
    assert [(z, a) for z, _, a in recorded] == [("ban-muong", "scheduler")]
    assert not Path(recorded[0][1]).is_absolute()  # relative to the workspace (store.paths)
    playlist = ws.root / recorded[0][1]
    assert playlist.name.startswith("khan-cap_") and playlist.name in done.text
    # The page lists what the written playlist plays, in the zone's language order.
    names = [Path(p).name for _, _, p in parse_m3u8(playlist.read_text(encoding="utf-8"))]
    assert names == ["take-1-blt.mp3", "audio.mp3"]
    listed = done.text[done.text.index('class="kc-danh-sach"') :]
    assert listed.index("take-1-blt.mp3") < listed.index("audio.mp3")
    assert "1:10" in listed and "1:00" in listed
    # The record of emergencies on the page names what, where and who.
    history = client.get("/khan-cap").text
    history = history[history.index('class="hop kc-lich-su"') :]
    row = history[history.index("<tbody>") : history.index("</tbody>")]
    assert TITLE in row and "Cụm loa bản Mường" in row and "scheduler" in row


def test_no_zone_or_no_approved_render_is_refused_in_one_sentence(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "scheduler")
    token = csrf_from(client.get("/khan-cap").text)
    none = client.post("/khan-cap/xem", data={"csrf": token, "script": "lu-quet"})
    assert none.status_code == 400 and "Hãy chọn ít nhất một cụm loa" in none.text
    before = interrupts(ws)
    refused = client.post(
        "/khan-cap/phat",
        data={"csrf": token, "script": "chua-duyet", "zones": ["trung-tam"], "confirm": "yes"},
    )
    assert refused.status_code == 400
    assert "chưa có bản thu nào đã duyệt" in refused.text and TITLE in refused.text  # the form
    assert interrupts(ws) == before


def test_a_viewer_is_refused(ws: Workspace) -> None:
    viewer: TestClient = signed_in_client(create_app(ws), "viewer")
    assert viewer.get("/khan-cap").status_code == 403
    token = csrf_from(viewer.get("/bang-viec").text)
    before = interrupts(ws)
    refused = viewer.post(
        "/khan-cap/phat",
        data={"csrf": token, "script": "lu-quet", "zones": ["trung-tam"], "confirm": "yes"},
    )
    assert refused.status_code == 403
    assert interrupts(ws) == before
