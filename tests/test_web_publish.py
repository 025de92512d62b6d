"""*Xuất bản* through the real application (TestClient, real SQLite, the real job runner):
a producer publishes an approved script's portal item as a background job and downloads the
files it lists; an unapproved script is refused with the gate's sentence (and its button is
disabled with that reason); "Ghi nhận đã đăng" records a publication and refuses forged or
wrong requests with one sentence each."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from render_support import SLUG, TITLE, store_script
from schedule_fixtures import add_script, open_db
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.jobs import tasks
from broadcast.model.jobs import JobKind, JobState
from broadcast.model.time import station_now
from broadcast.publish.log import list_publications
from broadcast.store.records import find_script
from broadcast.store.workspace import Workspace
from broadcast.web.app import create_app

DRAFT = "2026-12-02-ban-nhap"  # stored, never approved


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    made = web_workspace(tmp_path_factory.mktemp("xuat-ban") / "dai")
    store_script(made.root)
    with open_db(made.root) as db:
        add_script(db, DRAFT, approve=False)
    return made


def _id(ws: Workspace, slug: str) -> int:
    with ws.open_db() as db:
        return find_script(db, slug).id


def test_unapproved_script_button_is_disabled_and_publishing_is_refused(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "producer")
    draft = _id(ws, DRAFT)
    page = client.get(f"/xuat-ban/{draft}")
    assert page.status_code == 200
    assert 'disabled aria-describedby="xb-ly-do"' in page.text
    assert "chưa được duyệt nội dung" in page.text  # the gate's own sentence, beside it
    refused = client.post(
        f"/xuat-ban/{draft}",
        data={"csrf": csrf_from(page.text), "kenh": "portal"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 400
    assert refused.headers["HX-Retarget"] == "#thong-bao"
    assert "chưa được duyệt nội dung" in refused.text and "Traceback" not in refused.text
    assert tasks.list_jobs(ws, kinds=(JobKind.PUBLISH,)) == []
    assert not (ws.out_dir / DRAFT / "publish").exists()
    approved = client.get(f"/xuat-ban/{_id(ws, SLUG)}").text
    assert 'id="xb-kenh-portal"' in approved and "xb-ly-do" not in approved


def test_publish_job_lists_the_files_written_and_serves_them(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "producer")
    script_id = _id(ws, SLUG)
    page = client.get(f"/xuat-ban/{script_id}").text
    for key in ("portal", "facebook", "youtube", "tiktok", "zalo"):
        assert f'id="xb-kenh-{key}" name="kenh" value="{key}"' in page
    nothing = client.post(f"/xuat-ban/{script_id}", data={"csrf": csrf_from(page)})
    assert nothing.status_code == 400 and "Chưa chọn kênh nào" in nothing.text
    unknown = client.post(
        f"/xuat-ban/{script_id}", data={"csrf": csrf_from(page), "kenh": "myspace"}
    )
    assert unknown.status_code == 400 and "myspace" in unknown.text

    started = client.post(
        f"/xuat-ban/{script_id}",
        data={"csrf": csrf_from(page), "kenh": "portal"},
        headers={"HX-Request": "true"},
    )
    assert started.status_code == 200 and 'hx-trigger="every 1s"' in started.text
    (job,) = tasks.list_jobs(ws, kinds=(JobKind.PUBLISH,))
    assert job.state is JobState.QUEUED and job.subject == f"{SLUG} · portal"
    tasks.execute(ws.root, job.id)  # what a worker runs
    assert tasks.get(ws, job.id).state is JobState.DONE

    done = client.get(f"/xuat-ban/{script_id}/viec/{job.id}", headers={"HX-Request": "true"})
    assert done.status_code == 200 and "every 1s" not in done.text  # polling stops
    folder = ws.out_dir / SLUG / "publish" / "portal"
    written = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert "manifest.json" in written
    for name in written:
        assert f'/tep/out/{SLUG}/publish/portal/{name}?tai=1"' in done.text
    download = client.get(f"/tep/out/{SLUG}/publish/portal/manifest.json?tai=1")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.content == (folder / "manifest.json").read_bytes()
    assert TITLE in download.content.decode("utf-8")
    for outside in (
        f"/tep/out/{SLUG}/publish/portal/../../../../broadcast.db",
        f"/tep/out/{SLUG}/publish/%2E%2E/%2E%2E/%2E%2E/%2E%2E/station.toml",
    ):
        assert client.get(outside).status_code == 404
    listed = client.get(f"/xuat-ban/{script_id}").text  # the page lists them afterwards too
    assert f"/tep/out/{SLUG}/publish/portal/manifest.json?tai=1" in listed
    other = client.get(f"/xuat-ban/{_id(ws, DRAFT)}/viec/{job.id}")
    assert other.status_code == 400 and "không phải việc xuất bản" in other.text
    again = client.post(f"/xuat-ban/{script_id}", data={"csrf": csrf_from(page), "kenh": "portal"})
    assert again.status_code == 303 and again.headers["location"].endswith("?viec=2")
    followed = client.get(again.headers["location"])  # without htmx: the page follows it
    assert 'id="xb-viec-2"' in followed.text and 'hx-trigger="every 1s"' in followed.text
    on_jobs = client.get("/viec").text
    assert "xuất bản" in on_jobs and f"{SLUG} · portal" in on_jobs


def test_viewer_neither_publishes_nor_records(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "viewer")
    script_id = _id(ws, SLUG)
    page = client.get(f"/xuat-ban/{script_id}")
    assert page.status_code == 200
    assert 'id="xb-kenh-portal"' not in page.text and 'id="xb-gn-noi"' not in page.text
    token = csrf_from(page.text)
    publish = client.post(f"/xuat-ban/{script_id}", data={"csrf": token, "kenh": "portal"})
    assert publish.status_code == 403
    record = {"csrf": token, "kenh": "portal", "noi": "https://xa.example.gov.vn/tin/9"}
    refused = client.post(f"/xuat-ban/{script_id}/ghi-nhan", data=record)
    assert refused.status_code == 403 and "không có vai trò" in refused.text


def test_record_a_publication_and_refusals(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "producer")
    script_id = _id(ws, SLUG)
    url = f"/xuat-ban/{script_id}/ghi-nhan"
    token = csrf_from(client.get(f"/xuat-ban/{script_id}").text)
    good = {"kenh": "portal", "noi": "https://xa.example.gov.vn/tin/12", "luc": "2026-12-03T09:30"}
    before = len(list_publications(ws, SLUG))

    forged = client.post(url, data=good)  # no CSRF token
    assert forged.status_code == 403 and "mã bảo vệ" in forged.text
    future = (station_now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    for change, words in (
        ({"kenh": "myspace"}, "Không có kênh 'myspace'"),
        ({"luc": "hôm qua"}, "không hợp lệ"),
        ({"luc": future}, "còn ở tương lai"),
        ({"kenh": "facebook", "noi": "trang của xã"}, "phải là địa chỉ bài đăng"),
    ):
        wrong = client.post(url, data={"csrf": token, **good, **change})
        assert wrong.status_code == 400, change
        assert words in html.unescape(wrong.text), change
        assert wrong.text.count('class="loi"') == 1, change
    refused = client.post(f"/xuat-ban/{_id(ws, DRAFT)}/ghi-nhan", data={"csrf": token, **good})
    assert refused.status_code == 400 and "chưa được duyệt nội dung" in refused.text
    assert len(list_publications(ws, SLUG)) == before  # nothing was recorded

    done = client.post(url, data={"csrf": token, **good, "ghi_chu": "Tin  đầu\x07 tháng"})
    assert done.status_code == 200
    assert "Đã ghi: đăng trên Trang thông tin điện tử lúc 03/12/2026 09:30" in done.text
    assert 'href="https://xa.example.gov.vn/tin/12"' in done.text and "Tin đầu tháng" in done.text
    rows = list_publications(ws, SLUG)
    assert len(rows) == before + 1
    row = rows[0]
    assert (row.channel, row.entered_by) == ("portal", "producer")
    assert row.published_at == dt.datetime(2026, 12, 3, 9, 30)

    scheduler = signed_in_client(create_app(ws), "scheduler")  # records the loudspeakers
    token = csrf_from(scheduler.get(f"/xuat-ban/{script_id}").text)
    loa = {"csrf": token, "kenh": "loa", "noi": "Cụm loa bản Mường", "luc": "2026-12-03 06:00"}
    assert scheduler.post(url, data=loa).status_code == 200
    assert [p.channel for p in list_publications(ws, SLUG)][:2] == ["portal", "loa"]
