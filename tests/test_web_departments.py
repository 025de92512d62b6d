"""The *Đơn vị* page: the month view for anyone signed in, the upload form for a producer or
the admin, recording through the same stage function as ``broadcast departments submit``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from test_departments import ARTICLE, DEPARTMENTS, declare_departments
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.model.time import station_now
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app


@pytest.fixture()
def ws(tmp_path: Path) -> Workspace:
    root = web_workspace(tmp_path / "dai").root
    declare_departments(root, DEPARTMENTS)
    return find_workspace(root)


def _notice(html: str) -> str:
    return " ".join(re.findall(r'class="(?:loi|xong)"[^>]*>(.*?)</div>', html, re.S))


def _row(html: str, name: str) -> str:
    match = re.search(
        rf"<tr>\s*<td data-nhan=\"Đơn vị\">{re.escape(name)}</td>(.*?)</tr>", html, re.S
    )
    assert match, f"no row for {name}"
    return match.group(1)


def test_producer_records_an_article_and_the_month_shows_it(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "producer")
    page = client.get("/don-vi?thang=2026-03")
    assert page.status_code == 200
    assert "Ghi nhận bài đơn vị gửi" in page.text
    assert "0/1" in _row(page.text, "Phòng Tư pháp")
    sent = client.post(
        "/don-vi",
        data={"csrf": csrf_from(page.text), "don_vi": "tu-phap", "thang": "2026-03"},
        files={"tep": ("Bài Tư pháp.txt", ARTICLE.encode("utf-8"), "text/plain")},
    )
    assert sent.status_code == 200, sent.text
    assert "Đã ghi nhận bài" in _notice(sent.text) and "Phòng Tư pháp" in _notice(sent.text)
    row = _row(sent.text, "Phòng Tư pháp")
    assert "1/1" in row and "Hướng dẫn đăng ký khai sinh trực tuyến" in row
    # Handed in today for March 2026: on time only if today is on or before 15/03/2026.
    expected = "đúng hạn" if station_now().date().isoformat() <= "2026-03-15" else "muộn"
    assert f">{expected}</td>" in row
    assert (ws.root / "articles" / "bai-tu-phap.txt").is_file()


def test_refusals_are_shown_beside_the_form(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), "producer")
    token = csrf_from(client.get("/don-vi").text)
    wrong = client.post(
        "/don-vi",
        data={"csrf": token, "don_vi": "khong-co", "thang": "2026-03"},
        files={"tep": ("a.txt", ARTICLE.encode("utf-8"), "text/plain")},
    )
    assert wrong.status_code == 400 and "khong-co" in _notice(wrong.text)
    empty = client.post("/don-vi", data={"csrf": token, "don_vi": "tu-phap"})
    assert empty.status_code == 400 and "Hãy chọn tệp" in _notice(empty.text)
    bad_month = client.get("/don-vi?thang=2026-13")
    assert bad_month.status_code == 400 and "NNNN-TT" in _notice(bad_month.text)
    assert not (ws.root / "articles").exists() or not any((ws.root / "articles").iterdir())


def test_anyone_sees_the_month_but_only_producer_or_admin_records(ws: Workspace) -> None:
    viewer = signed_in_client(create_app(ws), "content.approver")
    page = viewer.get("/don-vi?thang=2026-03")
    assert page.status_code == 200 and "Phòng Tư pháp" in page.text
    assert "Ghi nhận bài đơn vị gửi" not in page.text
    refused = viewer.post(
        "/don-vi",
        data={"csrf": csrf_from(page.text), "don_vi": "tu-phap"},
        files={"tep": ("a.txt", ARTICLE.encode("utf-8"), "text/plain")},
    )
    assert refused.status_code == 403
    admin = signed_in_client(create_app(ws), "quantri")
    assert "Ghi nhận bài đơn vị gửi" in admin.get("/don-vi").text


def test_sign_in_is_required(ws: Workspace) -> None:
    anonymous = TestClient(create_app(ws), follow_redirects=False)
    assert anonymous.get("/don-vi").status_code in (302, 303)
