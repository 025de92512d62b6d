"""Every page is declared with who may open it, and every request passes one guard.

A route is a ``RouteSpec``: path, methods, and the roles that may use it (``PUBLIC`` for the
sign-in pages, ``ANYONE`` for any signed-in person). ``guard`` wraps every endpoint the same
way — signed-in person loaded fresh from the database (a revoked role or a changed password
takes effect on the next click), role check, CSRF token on every state-changing request,
upload size — so no page can forget one, and a test walks every declared route with every
role. The page code receives a ``Page``: the workspace, the person, and ``render``.

Errors raised by the stages (``BroadcastError``) are shown on the page, in the stages' own
Vietnamese sentence, next to what caused them: as a fragment for htmx requests, else as the
error page. The web layer adds no rule of its own.

On a province server (issue 16) one web server serves every station: the session remembers
the *active station* (its code), and each request works in that station's folder, whose
``open_db`` points the connection at the station, so row-level security hides the other
communes' rows and files are read from that station's folder only. A SQLite workspace is
one station: every request gets the server's own workspace, as before.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from broadcast.errors import BroadcastError, InputError, NotFound
from broadcast.model.people import Person, Role
from broadcast.model.stations import StationEntry
from broadcast.people.permissions import require_role
from broadcast.store import people as people_store
from broadcast.store.db import Database
from broadcast.store.workspace import Workspace

PUBLIC: tuple[Role, ...] | None = None
"""Roles value of a page anyone may open without signing in (sign-in, first run)."""
ANYONE: tuple[Role, ...] = ()
"""Roles value of a page any signed-in person may open."""

STATION_KEY = "station"
"""The session's key for the code of its active station."""

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

Endpoint = Callable[["Page"], Awaitable[Response]]


class Refused(BroadcastError):
    """The signed-in person may not do this (HTTP 403), in the permission check's words."""


@dataclass(frozen=True)
class RouteSpec:
    path: str
    name: str
    endpoint: Endpoint
    methods: tuple[str, ...] = ("GET",)
    roles: tuple[Role, ...] | None = ANYONE
    nav: str = ""  # label in the navigation bar ('' = not shown there)

    @property
    def public(self) -> bool:
        return self.roles is None

    def allows(self, person: Person) -> bool:
        """Any of the roles (in any language: the page narrows to the person's languages)."""
        if self.roles is None or not self.roles:
            return person.active
        return any(person.has(role) for role in self.roles)


@dataclass
class Routes:
    """A page module's routes, declared with decorators beside the code they run."""

    specs: list[RouteSpec] = field(default_factory=list)

    def _add(
        self,
        methods: tuple[str, ...],
        path: str,
        name: str,
        roles: tuple[Role, ...] | None,
        nav: str,
    ) -> Callable[[Endpoint], Endpoint]:
        def decorate(endpoint: Endpoint) -> Endpoint:
            self.specs.append(RouteSpec(path, name, endpoint, methods, roles, nav))
            return endpoint

        return decorate

    def get(
        self, path: str, name: str, *, roles: tuple[Role, ...] | None = ANYONE, nav: str = ""
    ) -> Callable[[Endpoint], Endpoint]:
        return self._add(("GET",), path, name, roles, nav)

    def post(
        self, path: str, name: str, *, roles: tuple[Role, ...] | None = ANYONE
    ) -> Callable[[Endpoint], Endpoint]:
        return self._add(("POST",), path, name, roles, "")


@dataclass
class Page:
    """What a page endpoint works with: the request, the workspace, the signed-in person."""

    request: Request
    workspace: Workspace
    person: Person | None
    spec: RouteSpec
    stations: tuple[StationEntry, ...] = ()
    """The stations the person may work in (the header's switcher when more than one)."""

    @property
    def me(self) -> Person:
        if self.person is None:  # only public pages have no person, and they do not ask
            raise Refused("Hãy đăng nhập trước.")
        return self.person

    @contextmanager
    def db(self) -> Iterator[Database]:
        with self.workspace.open_db() as db:
            yield db

    def require(
        self, role: Role, language: str | None = None, *, alternatives: tuple[Role, ...] = ()
    ) -> Person:
        """The person, or 403 with the permission check's own sentence (for per-language
        checks a page makes once it knows the language)."""
        try:
            require_role(self.me, role, language, alternatives=alternatives)
        except InputError as exc:
            raise Refused(exc.message) from None
        return self.me

    async def form(self) -> FormData:
        return await self.request.form(max_part_size=upload_limit(self.request))

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a (blocking) stage or store function off the event loop."""
        return await run_in_threadpool(fn, *args, **kwargs)

    def render(self, template: str, status_code: int = 200, **context: Any) -> Response:
        templates = self.request.app.state.templates
        return templates.TemplateResponse(
            self.request,
            template,
            {"page": self, "me": self.person, **context},
            status_code=status_code,
        )

    @property
    def htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    def redirect(self, name: str, **params: Any) -> Response:
        url = str(self.request.url_for(name, **params))
        if self.htmx:
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)

    @property
    def csrf_token(self) -> str:
        return csrf_token(self.request)

    def nav(self) -> list[tuple[str, str, bool]]:
        """(label, url, current) of the pages this person may open, for the menu."""
        specs: list[RouteSpec] = self.request.app.state.specs
        if self.person is None:
            return []
        return [
            (s.nav, str(self.request.url_for(s.name)), s.name == self.spec.name)
            for s in specs
            if s.nav and s.allows(self.person)
        ]


_STATIONS_LOCK = threading.Lock()


def station_workspace(app: Any, slug: str) -> Workspace:
    """The workspace of station ``slug``: the server's own, or its sibling folder on the
    shared media (``workspace_of``), read once and kept (the settings page replaces it
    after saving its station.toml)."""
    from broadcast.province.stations import workspace_of

    own: Workspace = app.state.workspace
    if slug == own.station_slug or isinstance(own.database, Path):
        return own
    with _STATIONS_LOCK:
        kept: dict[str, Workspace] = app.state.stations
        found = kept.get(slug)
    if found is None:
        found = workspace_of(own, slug)
        with _STATIONS_LOCK:
            kept[slug] = found
    return found


def keep_station_workspace(app: Any, workspace: Workspace) -> None:
    """Serve ``workspace`` (re-read from its station.toml) for its station from now on."""
    with _STATIONS_LOCK:
        kept: dict[str, Workspace] = app.state.stations
        kept[workspace.station_slug] = workspace


def request_workspace(request: Request) -> Workspace:
    """The workspace this request works in: its session's active station's (the server's
    own before sign-in and on SQLite). A station folder that cannot be read raises the
    workspace's own sentence."""
    slug = request.session.get(STATION_KEY)
    if not isinstance(slug, str) or not slug:
        return request.app.state.workspace  # type: ignore[no-any-return]
    return station_workspace(request.app, slug)


def upload_limit(request: Request) -> int:
    return int(request.app.state.upload_max_bytes)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (sent back in every form and htmx call)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def password_mark(stored_hash: str | None) -> str:
    """A short fingerprint of the password hash kept in the session: changing the password
    signs out every other session of that person."""
    return hashlib.sha256((stored_hash or "").encode()).hexdigest()[:16]


def signed_in(request: Request, db: Database) -> Person | None:
    pid = request.session.get("pid")
    if not isinstance(pid, int):
        return None
    person = people_store.person_by_id(db, pid)
    if person is None or not person.active:
        return None
    if request.session.get("pw") != password_mark(people_store.password_hash(db, pid)):
        return None
    return person


async def _csrf_ok(request: Request) -> bool:
    expected = request.session.get("csrf")
    if not isinstance(expected, str):
        return False
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form(max_part_size=upload_limit(request))
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    return sent is not None and hmac.compare_digest(sent, expected)


def error_response(
    request: Request, spec: RouteSpec, person: Person | None, message: str, status: int
) -> Response:
    """The stage's sentence on the page: a fragment for htmx (swapped where the request
    came from), else the error page with a way back."""
    if request.headers.get("hx-request") == "true":
        return HTMLResponse(
            f'<div class="loi" role="alert">{_escape(message)}</div>',
            status_code=status,
            headers={
                "HX-Retarget": "#thong-bao",
                "HX-Reswap": "innerHTML",
                "HX-Reselect": ".loi",  # whatever the form asked to select from a page
            },
        )
    try:
        workspace = request_workspace(request)
    except BroadcastError:
        workspace = request.app.state.workspace
    page = Page(request, workspace, person, spec)
    return page.render("error.html", status_code=status, message=message, status=status)


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def guard(spec: RouteSpec) -> Callable[[Request], Awaitable[Response]]:
    """The one wrapper every route passes through (see the module docstring)."""

    async def endpoint(request: Request) -> Response:
        person: Person | None = None
        stations: tuple[StationEntry, ...] = ()
        try:
            workspace = request_workspace(request)
        except BroadcastError as exc:
            request.session.pop(STATION_KEY, None)  # the station's folder is gone: sign in again
            return error_response(request, spec, None, exc.message, 400)
        if not spec.public:

            def load() -> tuple[Person | None, tuple[StationEntry, ...]]:
                from broadcast.province.stations import stations_of

                with workspace.open_db() as db:
                    found = signed_in(request, db)
                    # A person without a role in the session's station any more (a province
                    # role revoked) is not signed in there.
                    if found is None or not found.belongs_to(db.station_id):
                        return None, ()
                    if request.headers.get("hx-request") == "true":
                        return found, ()  # a fragment: no header, no switcher to fill
                    return found, tuple(stations_of(db, found, workspace))

            person, stations = await run_in_threadpool(load)
            if person is None:
                if request.method == "GET" and request.headers.get("hx-request") != "true":
                    target = quote(request.url.path)
                    return RedirectResponse(f"{request.url_for('login')}?next={target}", 303)
                return error_response(
                    request, spec, None, "Phiên làm việc đã hết; hãy đăng nhập lại.", 401
                )
            if not spec.allows(person):
                roles = ", ".join(r.label for r in spec.roles or ())
                return error_response(
                    request,
                    spec,
                    person,
                    f"{person.label} không có vai trò để mở trang này (cần: {roles}); hãy nhờ "
                    "người quản trị cấp vai trò.",
                    403,
                )
        if request.method in UNSAFE_METHODS:
            length = request.headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > upload_limit(request):
                mb = upload_limit(request) // (1024 * 1024)
                return error_response(
                    request, spec, person, f"Tệp gửi lên quá lớn (tối đa {mb} MB).", 413
                )
            if not await _csrf_ok(request):
                return error_response(
                    request,
                    spec,
                    person,
                    "Yêu cầu không hợp lệ (thiếu mã bảo vệ của trang, có thể trang đã mở quá "
                    "lâu); hãy tải lại trang rồi làm lại.",
                    403,
                )
        page = Page(request, workspace, person, spec, stations)
        try:
            return await spec.endpoint(page)
        except Refused as exc:
            return error_response(request, spec, person, exc.message, 403)
        except NotFound as exc:  # not this station's (or nobody's): the stage's sentence
            return error_response(request, spec, person, exc.message, 404)
        except BroadcastError as exc:
            return error_response(request, spec, person, exc.message, 400)

    endpoint.__name__ = spec.name
    return endpoint


def starlette_routes(specs: list[RouteSpec]) -> list[Route]:
    return [Route(s.path, guard(s), methods=list(s.methods), name=s.name) for s in specs]
