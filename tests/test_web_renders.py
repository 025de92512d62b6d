"""*Thành phẩm* through the real application: each render with its player, loudness figures,
downloads and planned slots; producers start render jobs, others cannot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from schedule_fixtures import GRID, add_script, write_grid
from starlette.testclient import TestClient
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.jobs import tasks
from broadcast.model.jobs import JobKind, JobState
from broadcast.model.time import station_now
from broadcast.review import gate
from broadcast.schedule.campaign import add_item, plan_days
from broadcast.schedule.model import Priority
from broadcast.store.renders import RenderRow, save_render
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app

SLUG = "2026-12-01-thu-tuc"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    made = web_workspace(tmp_path_factory.mktemp("thanh-pham") / "dai")
    write_grid(made.root, GRID)
    ws = find_workspace(made.root)
    with ws.open_db() as db:
        script_id = add_script(db, SLUG, vi_seconds=95.0)
        approved = gate.approved_text_hashes(db, script_id, "vi")
        save_render(
            db, script_id,
            RenderRow("audio", Path(f"out/{SLUG}/audio-web.m4a"), "c" * 64, "vi", 95.0,
                      -16.04, 4.2, -1.53, "espeak", "web"),
            texts=approved,
        )  # fmt: skip
        for name, kind in (("video.mp4", "video"), ("subtitles.vtt", "subtitles")):
            save_render(
                db, script_id, RenderRow(kind, Path(f"out/{SLUG}/{name}"), name * 8, "vi"),
                texts=approved,
            )  # fmt: skip
    folder = ws.out_dir / SLUG
    folder.mkdir(parents=True)
    for name in ("audio.mp3", "audio-web.m4a", "video.mp4", "subtitles.vtt"):
        (folder / name).write_bytes(b"\0" * 64)
    today = station_now().date()
    add_item(
        ws, SLUG, starts=dt.datetime.combine(today, dt.time(0, 0)),
        last_day=today + dt.timedelta(days=2), priority=Priority.NORMAL, min_plays=1,
        zones=("all",), languages=None, topic=None,
    )  # fmt: skip
    plan_days(ws, today, 3)
    return ws


def test_renders_show_players_figures_downloads_and_slots(ws: Workspace) -> None:
    page = signed_in_client(create_app(ws), "viewer").get("/thanh-pham")
    assert page.status_code == 200
    text = page.text
    assert f'src="http://testserver/tep/out/{SLUG}/audio-web.m4a"' in text
    assert "<audio" in text and "<video" in text
    assert "-16.0 LUFS" in text and "LRA 4.2 LU" in text and "đỉnh -1.5 dBTP" in text
    assert f"/tep/out/{SLUG}/subtitles.vtt?tai=1" in text
    assert "Chưa có trong lịch phát" not in text
    assert "trung-tam" in text or "ban-muong" in text  # a planned zone
    assert 'name="kind"' not in text  # a viewer starts no render


def test_producer_starts_a_mix_job_and_gets_its_progress(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "producer")
    page = client.get("/thanh-pham").text
    assert 'value="mix"' in page
    started = client.post(
        "/thanh-pham/lam",
        data={"csrf": csrf_from(page), "script": SLUG, "language": "vi", "kind": "mix"},
        headers={"HX-Request": "true"},
    )
    assert started.status_code == 200 and 'hx-trigger="every 1s"' in started.text
    job = tasks.list_jobs(ws, kinds=(JobKind.MIX,))[0]
    assert job.state is JobState.QUEUED and job.subject == f"{SLUG} · vi"
    wrong = client.post(
        "/thanh-pham/lam",
        data={"csrf": csrf_from(page), "script": SLUG, "kind": "translate"},
        headers={"HX-Request": "true"},
    )
    assert wrong.status_code == 400 and "chỉ đọc giọng" in wrong.text


def test_a_viewer_cannot_start_a_render(ws: Workspace) -> None:
    client: TestClient = signed_in_client(create_app(ws), "viewer")
    token = csrf_from(client.get("/thanh-pham").text)
    refused = client.post("/thanh-pham/lam", data={"csrf": token, "script": SLUG, "kind": "mix"})
    assert refused.status_code == 403
