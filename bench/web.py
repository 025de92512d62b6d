"""Benchmark: the web workspace under 20 simulated users, with and without a render running.

Builds a workspace (the sample article produced and approved, Thái drafts made with no MT,
a reviewer with a password), starts ``broadcast web`` as its own process (with its child
job worker process, as a Center runs it; ``--worker-threads`` for jobs in server threads),
and lets ``--users`` simulated people browse the pages and
save translation segments for ``--seconds`` seconds each phase:

1. quiet: no job running;
2. rendering: a video render job (the longest job there is) submitted to the server's
   queue at the start of the phase and kept busy by re-submitting it when it ends (with the
   stage cache emptied in between, so each run does the whole work).

Prints requests per second, p50/p95 latency per page and save, and errors, for both phases
side by side. The issue's goal is p95 <= 150 ms for page loads and saves while a render
runs on the 2-core machine; nothing is asserted here.

    .venv/bin/python bench/web.py [--users 20] [--seconds 20] [--worker-threads]
"""

from __future__ import annotations

import argparse
import html.parser
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BROADCAST = ROOT / ".venv" / "bin" / "broadcast"
ARTICLE = ROOT / "examples" / "articles" / "dich-vu-cong-truc-tuyen.md"
STATION = ROOT / "examples" / "station" / "station.toml"
PASSWORD = "mat-khau-do-tai"
REVIEWER = "duyet.thai"


def _cli(ws: Path, *args: str) -> None:
    subprocess.run([str(BROADCAST), "-w", str(ws), *args], check=True, capture_output=True)


def build_workspace(root: Path) -> Path:
    """The sample article produced (audio, video) and approved; Thái drafts; a reviewer."""
    ws = root / "ws"
    subprocess.run(
        [str(BROADCAST), "init", str(ws), "--station", "Đài truyền thanh xã Mường La",
         "--commune", "Mường La", "--province", "Sơn La", "--languages", "vi,blt,hmn",
         "--admin", "quantri"],
        check=True, capture_output=True,
    )  # fmt: skip
    shutil.copy(STATION, ws / "station.toml")
    _cli(ws, "produce", "--approve", str(ARTICLE))
    from broadcast.people import accounts
    from broadcast.people.accounts import parse_grant
    from broadcast.people.acting import resolve_person
    from broadcast.store.workspace import find_workspace

    workspace = find_workspace(ws)
    with workspace.open_db() as db:
        admin = resolve_person(db, "quantri", environ={}).person
        accounts.set_password(db, admin, "quantri", PASSWORD)
        accounts.add_person(
            db, admin, REVIEWER, "Người duyệt tiếng Thái",
            [parse_grant("reviewer", "blt"), parse_grant("translator", "blt")],
            password=PASSWORD,
        )  # fmt: skip
    _cli(ws, "translate", "--to", "blt", "--engine", "none", "1")
    return ws


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _local(url: str) -> str:
    """The path and query of a link (the pages write absolute URLs)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class _Forms(html.parser.HTMLParser):
    """Links and POST forms of a page: what a person could click."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict[str, object]] = []
        self._form: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(_local(a["href"]))
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": _local(a.get("action", "")), "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            fields = self._form["fields"]
            assert isinstance(fields, dict)
            fields[a["name"]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def parse(page: str) -> _Forms:
    forms = _Forms()
    forms.feed(page)
    return forms


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool, what: str) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if not ok:
                self.errors.append(what)


def sign_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/dang-nhap").text)
    assert token, "no CSRF token on the sign-in page"
    r = client.post(
        "/dang-nhap",
        data={"login": REVIEWER, "password": PASSWORD, "csrf": token.group(1), "next": "/"},
    )
    assert r.status_code == 303, r.text[:300]
    return client


def discover(base: str) -> tuple[list[str], str, dict[str, str]]:
    """The pages a reviewer browses and one segment-save form of the translate page."""
    client = sign_in(base)
    pages = ["/bang-viec", "/ban-dich", "/thanh-pham"]
    listing = parse(client.get("/ban-dich").text)
    translate = next((h for h in listing.links if h.startswith("/ban-dich/blt/")), None)
    if translate is None:
        raise SystemExit("no Thái translation page found on /ban-dich")
    pages.append(translate.split("?")[0])
    page = parse(client.get(translate).text)
    save = next(
        (f for f in page.forms if "luu" in str(f["action"]) or "save" in str(f["action"])),
        None,
    )
    if save is None:
        raise SystemExit(f"no save form on {translate}")
    fields = {k: str(v) for k, v in dict(save["fields"]).items()}  # type: ignore[call-overload]
    client.close()
    return pages, str(save["action"]), fields


def user(base: str, pages: list[str], action: str, fields: dict[str, str], until: float,
         tally: Tally, seed: int) -> None:  # fmt: skip
    client = sign_in(base)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/bang-viec").text)
    assert token
    i = seed
    while time.monotonic() < until:
        path = pages[i % len(pages)]
        start = time.perf_counter()
        r = client.get(path)
        tally.add(path if not path.startswith("/ban-dich/") else "/ban-dich/blt/…",
                  time.perf_counter() - start, r.status_code == 200, f"GET {path} {r.status_code}")
        if i % 3 == 0:
            data = dict(fields, csrf=token.group(1))
            start = time.perf_counter()
            r = client.post(action, data=data, headers={"HX-Request": "true"})
            tally.add("lưu đoạn", time.perf_counter() - start, r.status_code < 400,
                      f"POST {action} {r.status_code} {r.text[:120]}")
        i += 1
        time.sleep(0.2)  # a person reads before the next click
    client.close()


def render_forever(ws: Path, stop: threading.Event) -> int:
    """Keep a video render job queued on the server's workers; returns how many ran."""
    from broadcast.jobs import tasks
    from broadcast.people.acting import resolve_person
    from broadcast.store.workspace import find_workspace

    workspace = find_workspace(ws)
    with workspace.open_db() as db:
        admin = resolve_person(db, "quantri", environ={}).person
    count = 0
    while not stop.is_set():
        # The stage cache would make a second render free: empty it so each job does the
        # whole work again (voice, mix, frames, encode).
        shutil.rmtree(ws / ".cache", ignore_errors=True)
        job = tasks.submit(workspace, "video", {"script": "1"}, admin)
        count += 1
        while not stop.is_set():
            state = tasks.get(workspace, job).state
            if state in ("done", "failed", "cancelled"):
                break
            time.sleep(0.2)
    return count


def phase(
    base: str, ws: Path, users: int, seconds: float, rendering: bool
) -> tuple[Tally, float, int]:
    pages, action, fields = discover(base)
    tally = Tally()
    stop = threading.Event()
    renders: list[int] = []
    renderer = None
    if rendering:
        renderer = threading.Thread(target=lambda: renders.append(render_forever(ws, stop)))
        renderer.start()
        time.sleep(1.0)  # let the render start before the users arrive
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=user, args=(base, pages, action, fields, until, tally, n))
        for n in range(users)
    ]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    stop.set()
    if renderer is not None:
        renderer.join()
    return tally, elapsed, renders[0] if renders else 0


def _ms(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def report(results: dict[str, tuple[Tally, float, int]]) -> None:
    names = sorted({k for tally, _, _ in results.values() for k in tally.latencies})
    header = f"{'trang / page':<22}" + "".join(f"{p + ' p50/p95 ms':>28}" for p in results)
    print(header)
    for name in names:
        cells = ""
        for tally, _, _ in results.values():
            values = tally.latencies.get(name, [])
            cells += (
                f"{f'{_ms(values, 50):.0f} / {_ms(values, 95):.0f} (n={len(values)})':>28}"
                if values else f"{'-':>28}"
            )  # fmt: skip
        print(f"{name:<22}{cells}")
    for label, (tally, elapsed, renders) in results.items():
        count = sum(len(v) for v in tally.latencies.values())
        every = [x for v in tally.latencies.values() for x in v]
        print(
            f"{label}: {count / elapsed:.1f} yêu cầu/giây, p95 chung {_ms(every, 95):.0f} ms, "
            f"{len(tally.errors)} lỗi, {renders} lần dựng video"
        )
        for error in tally.errors[:5]:
            print("   lỗi:", error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--worker-threads",
        action="store_true",
        help="run jobs in threads of the server (`broadcast web --worker-threads`) instead of "
        "its default child `broadcast worker` process",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        print("Dựng không gian làm việc mẫu ...", file=sys.stderr)
        ws = build_workspace(Path(tmp))
        port = _free_port()
        threads = ["--worker-threads"] if args.worker_threads else []
        server = subprocess.Popen(
            [str(BROADCAST), "-w", str(ws), "web", "--port", str(port), *threads],
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(base + "/dang-nhap", timeout=1)
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("broadcast web did not start") from None
                    time.sleep(0.2)
            results = {
                "không dựng": phase(base, ws, args.users, args.seconds, rendering=False),
                "đang dựng video": phase(base, ws, args.users, args.seconds, rendering=True),
            }
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        where = "luồng của máy chủ" if args.worker_threads else "tiến trình 'broadcast worker' con"
        print(
            f"\n{args.users} người dùng, {args.seconds:.0f} s mỗi pha, {os.cpu_count()} nhân, "
            f"việc dài chạy trong {where}"
        )
        report(results)


if __name__ == "__main__":
    main()
