"""Signing in and out, and the first run that sets the first admin's password.

The first-run page opens only with the one-time code ``broadcast web`` prints on the
server's console, and only while no admin has a password: a stranger on the commune's
network cannot claim a new workspace, and nobody can use it once the admin can sign in.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlparse

from starlette.responses import RedirectResponse, Response

from broadcast.errors import BroadcastError, InputError
from broadcast.people.login import needs_first_password, set_first_password, sign_in
from broadcast.people.workplace import home_station
from broadcast.store import people as people_store
from broadcast.web.routing import (
    PUBLIC,
    STATION_KEY,
    Page,
    Routes,
    csrf_token,
    password_mark,
    station_workspace,
)

routes = Routes()


def _safe_next(target: str | None) -> str:
    """Only a path inside this site (never //evil.example or https://...)."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _start_session(page: Page, person_id: int) -> None:
    """A fresh session working in the person's home station (``home_station``: on a
    province server the person may belong to another station than this server's folder)."""
    app = page.request.app
    with app.state.workspace.open_db() as db:
        home = home_station(db, person_id, app.state.workspace)
    workspace = station_workspace(app, home.slug)
    with workspace.open_db() as db:
        mark = password_mark(people_store.password_hash(db, person_id))
    page.request.session.clear()  # a fresh session (and CSRF token) at every sign-in
    page.request.session["pid"] = person_id
    page.request.session["pw"] = mark
    page.request.session[STATION_KEY] = home.slug
    csrf_token(page.request)


@routes.get("/dang-nhap", "login", roles=PUBLIC)
async def login_form(page: Page) -> Response:
    def first() -> bool:
        with page.db() as db:
            return needs_first_password(db) is not None

    if await page.call(first):
        return page.render("setup_wait.html")
    return page.render("login.html", next=_safe_next(page.request.query_params.get("next")))


@routes.post("/dang-nhap", "login_submit", roles=PUBLIC)
async def login_submit(page: Page) -> Response:
    form = await page.form()
    login = str(form.get("login") or "")
    password = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or ""))
    source = page.request.client.host if page.request.client else "?"

    def check() -> int:
        with page.db() as db:
            return sign_in(
                db, login, password, source=source, throttle=page.request.app.state.throttle
            ).id

    try:
        person_id = await page.call(check)
        await page.call(_start_session, page, person_id)
    except BroadcastError as exc:  # wrong password, or no station to work in
        return page.render(
            "login.html", status_code=400, error=exc.message, login=login, next=target
        )
    return RedirectResponse(target, status_code=303)


@routes.post("/dang-xuat", "logout")
async def logout(page: Page) -> Response:
    page.request.session.clear()
    return RedirectResponse(str(page.request.url_for("login")), status_code=303)


def _token_ok(page: Page, given: str | None) -> bool:
    expected: str = page.request.app.state.setup_token
    return given is not None and hmac.compare_digest(given, expected)


@routes.get("/bat-dau", "setup", roles=PUBLIC)
async def setup_form(page: Page) -> Response:
    def first() -> str | None:
        with page.db() as db:
            person = needs_first_password(db)
            return person.login if person else None

    login = await page.call(first)
    if login is None:
        return RedirectResponse(str(page.request.url_for("login")), status_code=303)
    code = page.request.query_params.get("ma")
    if not _token_ok(page, code):
        return page.render("setup_wait.html", status_code=403, bad_code=code is not None)
    return page.render("setup.html", login=login, code=code)


@routes.post("/bat-dau", "setup_submit", roles=PUBLIC)
async def setup_submit(page: Page) -> Response:
    form = await page.form()
    code = str(form.get("ma") or "")
    if not _token_ok(page, code):
        return page.render("setup_wait.html", status_code=403, bad_code=True)
    login = str(form.get("login") or "")

    def save() -> int:
        with page.db() as db:
            return set_first_password(
                db, login, str(form.get("password") or ""), str(form.get("repeat") or "")
            ).id

    try:
        person_id = await page.call(save)
    except InputError as exc:
        return page.render("setup.html", status_code=400, error=exc.message, login=login, code=code)
    await page.call(_start_session, page, person_id)
    return RedirectResponse(str(page.request.url_for("home")), status_code=303)
