"""What the web workspace's tests share: a workspace with people who have passwords, a
signed-in TestClient, a real uvicorn server on a free port, and Chromium via Playwright.

Chromium is Debian's package (``scripts/test`` installs it when missing): Playwright's own
browser download is not reachable here, so ``chromium_path`` finds the system binary.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from helpers import make_workspace
from starlette.applications import Starlette
from starlette.testclient import TestClient

from broadcast.model.people import Grant, Role
from broadcast.people import accounts
from broadcast.people.acting import resolve_person
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app

PASSWORD = "mat-khau-thu-1"
ADMIN = "quantri"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
"""Where the browser tests write their screenshots (README: 'Ảnh chụp màn hình')."""

# One person per role (per-language roles for 'blt'), named by the role's value.
ROLE_PEOPLE: dict[Role, Grant] = {
    role: Grant(role, "blt" if role.per_language else "") for role in Role
}


def web_workspace(root: Path, *, people: bool = True) -> Workspace:
    """A workspace whose first admin ('quantri') and one person per role have PASSWORD."""
    make_workspace(root)
    ws = find_workspace(root)
    with ws.open_db() as db:
        admin = resolve_person(db, None, environ={}).person
        if admin.login != ADMIN:
            raise AssertionError(f"first admin is {admin.login}")
        accounts.set_password(db, admin, ADMIN, PASSWORD)
        if people:
            for role, grant in ROLE_PEOPLE.items():
                if role is Role.ADMIN:
                    continue
                accounts.add_person(
                    db,
                    admin,
                    role.value.replace("_", "."),
                    role.label,
                    [grant],
                    password=PASSWORD,
                )
    return ws


def login_of(role: Role) -> str:
    return ADMIN if role is Role.ADMIN else role.value.replace("_", ".")


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def signed_in_client(app: Starlette, login: str, password: str = PASSWORD) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    page = client.get("/dang-nhap")
    response = client.post(
        "/dang-nhap",
        data={"login": login, "password": password, "csrf": csrf_from(page.text), "next": "/"},
    )
    assert response.status_code == 303, response.text
    return client


@dataclass
class LiveServer:
    url: str
    app: Starlette
    server: uvicorn.Server
    thread: threading.Thread


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(ws: Workspace) -> Iterator[LiveServer]:
    """uvicorn serving the workspace in a thread, stopped (and joined) on exit."""
    app = create_app(ws)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app, server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


CONTROL_ROLES = frozenset(
    {
        "textbox",
        "combobox",
        "checkbox",
        "radio",
        "button",
        "listbox",
        "spinbutton",
        "slider",
        "searchbox",
        "switch",
    }
)
SIZES = {"may-tinh": (1366, 768), "dien-thoai": (390, 844)}


def unlabelled_controls(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Form controls without an accessible name, from Chromium's accessibility tree."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    missing = []
    for node in nodes:
        if node.get("ignored"):
            continue
        role = node.get("role", {}).get("value")
        name = (node.get("name") or {}).get("value", "")
        if role in CONTROL_ROLES and not str(name).strip():
            missing.append(f"{role} #{node.get('backendDOMNodeId')}")
    return missing


def browser_sign_in(chromium, url: str, login: str):  # type: ignore[no-untyped-def]
    """A new browser context at ``url`` signed in as ``login`` (the test password); returns
    the context and its page."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return context, page


def check_page(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """At both sizes: a screenshot in SCREENSHOTS, no horizontal scrolling, every control
    labelled. Leaves the page at the desktop size."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(50)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}x{height}"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
    assert unlabelled_controls(page) == [], name
    page.set_viewport_size({"width": 1366, "height": 768})
