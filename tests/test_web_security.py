"""The web workspace's guards, through the real application (Starlette TestClient, real
SQLite, real argon2): sign-in, throttling, first run, CSRF, and a role check on every route
with every role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import make_workspace
from starlette.testclient import TestClient
from web_support import (
    ADMIN,
    PASSWORD,
    csrf_from,
    login_of,
    signed_in_client,
    web_workspace,
)

from broadcast.model.people import Role
from broadcast.web.app import all_specs, create_app


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return web_workspace(tmp_path_factory.mktemp("web") / "dai")


def test_pages_need_sign_in_and_redirect_back(ws) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(ws), follow_redirects=False)
    response = client.get("/nguoi-dung")
    assert response.status_code == 303
    assert response.headers["location"].endswith("/dang-nhap?next=/nguoi-dung")


def test_wrong_password_is_one_vietnamese_sentence_and_throttled(ws) -> None:  # type: ignore[no-untyped-def]
    app = create_app(ws)
    client = TestClient(app, follow_redirects=False)
    token = csrf_from(client.get("/dang-nhap").text)
    texts = []
    for _ in range(app.state.settings.login_attempts):
        r = client.post(
            "/dang-nhap", data={"login": ADMIN, "password": "sai-mat-khau", "csrf": token}
        )
        assert r.status_code == 400
        texts.append(r.text)
    assert "không đúng" in texts[0]
    # The right password is now refused too, until the lockout passes.
    r = client.post("/dang-nhap", data={"login": ADMIN, "password": PASSWORD, "csrf": token})
    assert r.status_code == 400 and "quá nhiều lần" in r.text
    assert "pid" not in client.cookies.get("broadcast_phien", "")


def test_session_cookie_is_httponly_samesite(ws) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(ws), follow_redirects=False)
    page = client.get("/dang-nhap")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_forged_post_without_csrf_is_refused_and_changes_nothing(ws) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client(create_app(ws), ADMIN)
    form = {"login": "ke.gia.mao", "name": "Kẻ giả mạo", "password": PASSWORD, "roles": "admin"}
    forged = client.post("/nguoi-dung", data=form)
    assert forged.status_code == 403
    assert "mã bảo vệ" in forged.text
    listing = client.get("/nguoi-dung").text
    assert "ke.gia.mao" not in listing
    # The same form with the page's token goes through.
    form["csrf"] = csrf_from(listing)
    ok = client.post("/nguoi-dung", data=form)
    assert ok.status_code == 200 and "ke.gia.mao" in ok.text


def test_first_run_needs_the_console_code_and_closes_after_use(tmp_path: Path) -> None:
    make_workspace(tmp_path / "dai")
    from broadcast.store.workspace import find_workspace

    ws = find_workspace(tmp_path / "dai")
    app = create_app(ws)
    client = TestClient(app, follow_redirects=False)
    assert "broadcast web" in client.get("/dang-nhap").text  # points at the console code
    assert client.get("/bat-dau?ma=doan-bua").status_code == 403
    page = client.get(f"/bat-dau?ma={app.state.setup_token}")
    assert page.status_code == 200
    login = re.search(r'id="login" name="login" value="([^"]+)"', page.text)
    assert login
    data = {
        "csrf": csrf_from(page.text),
        "ma": app.state.setup_token,
        "login": login.group(1),
        "password": PASSWORD,
        "repeat": PASSWORD,
    }
    done = client.post("/bat-dau", data=data)
    assert done.status_code == 303
    assert client.get("/bang-viec").status_code == 200  # signed in
    # Gone for good: even with the right code the page sends to the sign-in page.
    again = TestClient(app, follow_redirects=False).get(f"/bat-dau?ma={app.state.setup_token}")
    assert again.status_code == 303


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_route_checks_the_role(ws, role: Role) -> None:  # type: ignore[no-untyped-def]
    """Each declared route, with a person holding only ``role``: a route whose roles do not
    include it answers 403; the others do not (they may still say 400/404 for the dummy id)."""
    client = signed_in_client(create_app(ws), login_of(role))
    token = csrf_from(client.get("/bang-viec").text)
    for spec in all_specs():
        if spec.public or spec.name == "logout":  # signing out is walked last, below
            continue
        for method in spec.methods:
            url = _fill(spec.path)
            if method == "GET":
                response = client.get(url)
            else:
                response = client.request(method, url, data={"csrf": token})
            held = set(Role) if role is Role.ADMIN else {role}  # the first admin holds all
            allowed = not spec.roles or bool(held & set(spec.roles))
            if allowed:
                assert response.status_code not in (401, 403), (
                    spec.name,
                    method,
                    response.text[:300],
                )
                assert "/dang-nhap" not in response.headers.get("location", ""), spec.name
            else:
                assert response.status_code == 403, (spec.name, method, response.status_code)
                assert "không có vai trò" in response.text
    out = client.post("/dang-xuat", data={"csrf": token})
    assert out.status_code == 303
    assert client.get("/bang-viec").headers["location"].startswith("http")  # to sign-in


def test_unknown_page_is_a_vietnamese_404(ws) -> None:  # type: ignore[no-untyped-def]
    response = TestClient(create_app(ws)).get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert '<html lang="vi">' in response.text and "Không có trang này" in response.text
