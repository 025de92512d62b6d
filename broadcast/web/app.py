"""The web workspace as one Starlette application over one station workspace.

Server-rendered Jinja2 pages with htmx for partial updates (shipped as a static file, no
JavaScript build step), sessions in signed HttpOnly SameSite cookies whose key lives in the
workspace (so a restart does not sign everybody out), and the page modules of
``broadcast.web.pages`` each declaring their routes with the roles that may use them.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from broadcast.errors import WorkspaceError
from broadcast.people.login import Throttle
from broadcast.store.station import declared
from broadcast.store.workspace import Workspace
from broadcast.web.routing import RouteSpec, keep_station_workspace, starlette_routes

HERE = Path(__file__).resolve().parent
SECRET_FILE = Path(".web") / "secret.key"


@dataclass(frozen=True)
class WebSettings:
    """The ``[web]`` table, checked by its one declaration in ``SETTINGS``."""

    upload_max_mb: int = 20
    session_hours: int = 12
    login_attempts: int = 5
    lockout_minutes: int = 5


def web_settings(workspace: Workspace) -> WebSettings:
    raw = workspace.station.raw.get("web", {})
    table = raw if isinstance(raw, dict) else {}
    values: dict[str, Any] = {
        key: setting.check(table[key], f"[web].{key}") if key in table else setting.default
        for key, setting in declared("web").items()
    }
    return WebSettings(**values)


def reload_workspace(app: Starlette, saved: Workspace | None = None) -> Workspace:
    """Read station.toml again after the settings page saved it: the next request sees the
    new station (``Workspace`` is frozen, so a new one replaces it) and the new [web] limits.
    Only the session lifetime is fixed by the cookie middleware until the next start.

    ``saved``: the workspace whose station.toml was saved; another station's on a province
    server (its [web] table does not change this server's limits)."""
    from broadcast.store.workspace import find_workspace

    if saved is not None and saved.root != app.state.workspace.root:
        other = find_workspace(saved.root)
        keep_station_workspace(app, other)
        return other
    workspace = find_workspace(app.state.workspace.root)
    chosen = web_settings(workspace)
    app.state.workspace = workspace
    app.state.settings = chosen
    app.state.upload_max_bytes = chosen.upload_max_mb * 1024 * 1024
    app.state.throttle.attempts = chosen.login_attempts  # keeps the counts of wrong tries
    app.state.throttle.window_s = chosen.lockout_minutes * 60.0
    return workspace


def session_secret(workspace: Workspace) -> str:
    """The cookie-signing key, made once per workspace, readable by its owner only."""
    path = workspace.root / SECRET_FILE
    if path.is_file():
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    os.replace(tmp, path)
    return key


def all_specs() -> list[RouteSpec]:
    """Every route of every page module, in menu order."""
    from broadcast.web import pages

    return pages.specs()


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def create_app(workspace: Workspace, *, settings: WebSettings | None = None) -> Starlette:
    """The application; jobs' worker threads are started by ``broadcast web``, not here, so
    tests and benchmarks choose whether work runs."""
    # A station on PostgreSQL has no broadcast.db: its server is reached at the first page.
    if isinstance(workspace.database, Path) and not workspace.db_path.is_file():
        raise WorkspaceError(f"Không có cơ sở dữ liệu {workspace.db_path}; chạy 'broadcast init'.")
    chosen = settings or web_settings(workspace)
    specs = all_specs()
    routes: list[Any] = starlette_routes(specs)
    routes.append(Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"))

    async def not_found(request: Request, exc: Exception) -> Response:
        return HTMLResponse(
            '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Không tìm thấy</title>'
            '<p>Không có trang này. <a href="/">Về Bảng việc</a></p></html>',
            status_code=404,
        )

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=session_secret(workspace),
                session_cookie="broadcast_phien",
                max_age=chosen.session_hours * 3600,
                same_site="lax",
            )
        ],
        exception_handlers={404: not_found},
    )
    app.state.workspace = workspace
    app.state.stations = {}  # the other stations' workspaces by code (province server)
    app.state.settings = chosen
    app.state.specs = specs
    app.state.templates = _templates()
    app.state.upload_max_bytes = chosen.upload_max_mb * 1024 * 1024
    app.state.throttle = Throttle(chosen.login_attempts, chosen.lockout_minutes * 60.0)
    app.state.setup_token = secrets.token_urlsafe(24)
    return app
