"""One web server for the province's stations (issue 16, item 2), on PostgreSQL.

Two stations A and B in one database and one shared folder (B made by the province admin
with ``broadcast station add``), a script with a translation in each, a person ``a`` of A
(every role there) and a province reviewer. By web route: ``a`` sees nothing of B (lists,
script page, media file, vetting and translation pages, approve and schedule POSTs, report
files: B's numbers and names are "not found", 404, and nothing of B changes), cannot
switch to B (a forged POST is refused and the session stays in A), and signs in on a
server started in B's folder; the province reviewer gets the header's switcher, and
switching changes what the lists show.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import run
from schedule_fixtures import add_script, translate
from starlette.testclient import TestClient
from web_support import ADMIN, PASSWORD, csrf_from, signed_in_client, web_workspace

from broadcast.model.people import ALL_GRANTS, Grant, Role
from broadcast.people import accounts
from broadcast.people.acting import resolve_person
from broadcast.review.vetting import VettingState, script_state
from broadcast.schedule.period import current_quarter
from broadcast.schedule.report import make_report
from broadcast.store import schedule as schedule_store
from broadcast.store.workspace import DATABASE_URL_VAR, Workspace, find_workspace
from broadcast.web.app import create_app

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TITLE_A = "Bản tin tin-xa-a"
TITLE_B = "Bản tin tin-xa-b"
SWITCHER = "Trạm đang làm việc"


@dataclass
class Province:
    a: Workspace
    b: Workspace
    script_a: int
    script_b: int


def province(root: Path) -> Province:
    """Stations xa-a (its init made the province admin 'quantri') and xa-b (added through
    the CLI), person 'a' of A, the province reviewer 'tinh.duyet', a script in each with a
    synthetic blt translation in review, and a media file of B's script."""
    ws_a = web_workspace(root / "xa-a", people=False)
    added = run(
        "-w", ws_a.root, "--as", ADMIN, "station", "add", "xa-b",
        "--ten", "Đài truyền thanh xã B", "--quan-tri", "b.admin",
    )  # fmt: skip
    assert added.exit_code == 0, added.output + added.stderr
    ws_b = find_workspace(root / "xa-b")
    with ws_a.open_db() as db:
        admin = resolve_person(db, ADMIN, environ={}).person
        accounts.add_person(db, admin, "a", "Người xã A", ALL_GRANTS, password=PASSWORD)
        accounts.add_person(
            db, admin, "tinh.duyet", "Người duyệt của tỉnh",
            [Grant(Role.REVIEWER, "blt", province=True)], password=PASSWORD,
        )  # fmt: skip
        script_a = add_script(db, "tin-xa-a", approve=False)
        translate(db, script_a, "blt", approve=False)
    with ws_b.open_db() as db:
        script_b = add_script(db, "tin-xa-b", approve=False)
        translate(db, script_b, "blt", approve=False)
    for ws, slug in ((ws_a, "tin-xa-a"), (ws_b, "tin-xa-b")):
        media = ws.root / "out" / slug / "audio.mp3"
        media.parent.mkdir(parents=True, exist_ok=True)
        media.write_bytes(b"ID3" + slug.encode())
    return Province(ws_a, ws_b, script_a, script_b)


@pytest.fixture
def two(tmp_path: Path, pg_store_url: str, monkeypatch: pytest.MonkeyPatch) -> Province:
    monkeypatch.setenv(DATABASE_URL_VAR, pg_store_url)
    return province(tmp_path / "tinh")


def _error(html: str) -> str:
    found = re.findall(r'class="loi"[^>]*>(.*?)</div>', html, re.S)
    return " ".join(found)


def _post(client: TestClient, url: str, **data: str) -> Any:
    csrf = csrf_from(client.get("/bang-viec").text)
    return client.post(url, data={"csrf": csrf, **data})


LISTS = ("/bang-viec", "/bai-viet", "/thanh-pham", "/duyet", "/ban-dich", "/lich-phat")


def test_a_person_of_a_sees_and_touches_nothing_of_b(two: Province) -> None:
    client = signed_in_client(create_app(two.a), "a")
    shown = {url: client.get(url) for url in LISTS}
    assert {url: r.status_code for url, r in shown.items()} == dict.fromkeys(LISTS, 200)
    assert TITLE_A in shown["/bai-viet"].text and TITLE_A in shown["/ban-dich"].text
    assert [url for url, r in shown.items() if TITLE_B in r.text or "tin-xa-b" in r.text] == []
    assert SWITCHER not in shown["/bang-viec"].text  # one station: no switcher
    # The pages of A's own script open (the same routes, so the 404s below are B's).
    assert client.get(f"/kich-ban/{two.script_a}").status_code == 200
    assert client.get("/tep/out/tin-xa-a/audio.mp3").content == b"ID3tin-xa-a"

    b = two.script_b
    for url in (
        f"/kich-ban/{b}",
        f"/duyet/{b}",
        f"/ban-dich/blt/{b}",
        "/tep/out/tin-xa-b/audio.mp3",
    ):
        response = client.get(url)
        assert response.status_code == 404, (url, response.text[-400:])
        assert TITLE_B not in response.text
    assert "Không có kịch bản" in _error(client.get(f"/duyet/{b}").text)

    approve = _post(client, f"/duyet/{b}/duyet", comment="")
    assert approve.status_code == 404, approve.text[-400:]
    today = dt.date.today().isoformat()
    for ref in (str(b), "tin-xa-b"):
        scheduled = _post(client, "/lich-phat/them", script=ref, **{"from": today, "to": today})
        assert scheduled.status_code == 404, _error(scheduled.text)
        assert "Không có kịch bản" in _error(scheduled.text)
    with two.b.open_db() as db:  # nothing of B changed
        assert script_state(db, b).state is VettingState.DRAFT
        assert schedule_store.item_catalog(db) == {}

    # B's report: made in B, its files are not A's to download.
    files = make_report(two.b, current_quarter(dt.date.today()), made_by="b.admin")
    reviewer = signed_in_client(create_app(two.a), "tinh.duyet")
    assert _post(reviewer, "/tram", tram="xa-b").status_code == 303
    ids = re.findall(r"/bao-cao/ban/(\d+)/docx", reviewer.get("/bao-cao").text)
    assert ids and files.version
    assert reviewer.get(f"/bao-cao/ban/{ids[0]}/docx").status_code == 200
    assert client.get(f"/bao-cao/ban/{ids[0]}/docx").status_code == 404
    assert re.findall(r"/bao-cao/ban/(\d+)/docx", client.get("/bao-cao").text) == []

    # A forged switch to B is refused with the error page; the session stays in A.
    forged = _post(client, "/tram", tram="xa-b")
    assert forged.status_code == 404
    assert "không làm việc ở trạm 'xa-b'" in _error(forged.text).replace("&#39;", "'")
    assert _post(client, "/tram", tram="khong-co").status_code == 404
    after = client.get("/bai-viet").text
    assert TITLE_A in after and TITLE_B not in after


def test_a_signs_in_on_the_server_started_in_b_and_works_in_a(two: Province) -> None:
    client = signed_in_client(create_app(two.b), "a")
    page = client.get("/bai-viet")
    assert page.status_code == 200
    assert TITLE_A in page.text and TITLE_B not in page.text
    assert client.get(f"/kich-ban/{two.script_b}").status_code == 404
    # A wrong password is refused the same way as anywhere.
    other = TestClient(create_app(two.b), follow_redirects=False)
    form = other.get("/dang-nhap")
    wrong = other.post(
        "/dang-nhap",
        data={"login": "a", "password": "sai", "csrf": csrf_from(form.text), "next": "/"},
    )
    assert wrong.status_code == 400 and "không đúng" in wrong.text


def test_the_province_reviewer_switches_station_and_the_lists_follow(two: Province) -> None:
    client = signed_in_client(create_app(two.a), "tinh.duyet")
    home = client.get("/ban-dich").text
    assert SWITCHER in home
    assert 'value="xa-a" selected' in home and 'value="xa-b"' in home
    assert TITLE_A in home and TITLE_B not in home  # the first station by code
    assert client.get("/tep/out/tin-xa-b/audio.mp3").status_code == 404

    switched = _post(client, "/tram", tram="xa-b")
    assert switched.status_code == 303
    assert switched.headers["location"].endswith("/bang-viec")
    there = client.get("/ban-dich").text
    assert TITLE_B in there and TITLE_A not in there
    assert 'value="xa-b" selected' in there
    assert "Đài truyền thanh xã B" in there  # the header names the active station
    assert client.get(f"/ban-dich/blt/{two.script_b}").status_code == 200
    assert client.get(f"/ban-dich/blt/{two.script_a}").status_code == 404
    assert client.get("/tep/out/tin-xa-b/audio.mp3").content == b"ID3tin-xa-b"

    assert _post(client, "/tram", tram="xa-a").status_code == 303
    back = client.get("/ban-dich").text
    assert TITLE_A in back and TITLE_B not in back
