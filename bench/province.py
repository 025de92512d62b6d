"""Benchmark (issue 16, first version): one station's figures on SQLite and on PostgreSQL.

Issue 16 asks for 75 stations x one week of production on PostgreSQL beside one station on
SQLite. Stations (several per database) do not exist yet, so this version measures ONE
station on each store, with the same inputs in the same run, and says so in its output:

1. translation memory: ``--segments`` (100,000) segments stored in imports of 5,000
   (sources are sentences of /work/shared/data/vietnews, targets OBVIOUSLY SYNTHETIC
   "[blt] câu n"; see ``IMPORT_CHUNK``), then the first
   ``memory.lookup`` (which builds the fuzzy index) timed on its own and p50/p95 of
   ``--queries`` (200) lookups of stored sentences with a small edit;
2. renders per minute: ``--jobs`` (8) small mix jobs (tiny four-sentence scripts stored by
   ``tests/render_support.store_script``, every sentence unique so no stage cache is reused)
   drained by 1, 2 and 4 ``broadcast worker --workers 1`` processes started (and ready)
   beforehand; wall time from the first submit to the last job done, and the ratio to 1 worker;
3. ``broadcast schedule plan`` of one week (the test grid of tests/schedule_fixtures.py, a
   few approved items) and ``broadcast report --period 2026-Q1`` over a quarter of as-run
   plays imported with ``broadcast asrun import``.

PostgreSQL is a throw-away server (tests/pg_server.py), stopped at the end like every worker.
Nothing is asserted.

    .venv/bin/python bench/province.py [--quick] [--segments N] [--queries N] [--jobs N]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the fixtures and the throw-away server

from helpers import run  # noqa: E402
from render_support import store_script  # noqa: E402
from schedule_fixtures import add_render, add_script, grid_workspace, open_db  # noqa: E402
from schedule_fixtures import translate as translate_script  # noqa: E402

from broadcast.jobs import get, submit  # noqa: E402
from broadcast.languages import (  # noqa: E402
    SOURCE_LANGUAGE,
    builtin_languages,
    foreign_scripts,
    registry,
)
from broadcast.model.script import Role  # noqa: E402
from broadcast.script.model import Topic  # noqa: E402
from broadcast.store import schedule as schedule_store  # noqa: E402
from broadcast.store.people import first_admin  # noqa: E402
from broadcast.store.workspace import DATABASE_URL_VAR, find_workspace  # noqa: E402
from broadcast.translate import memory  # noqa: E402
from broadcast.translate.termbase import StationLanguages  # noqa: E402
from broadcast.translate.values import TMUnit, has_control  # noqa: E402

VIETNEWS = ROOT.parent / "shared" / "data" / "vietnews" / "train.jsonl"
LANGUAGE = "blt"
WORKER_COUNTS = (1, 2, 4)
PLAN_FROM = "2026-03-02"  # a Monday
QUARTER = "2026-Q1"
IMPORT_CHUNK = 5_000
"""Segments per ``memory.import_units`` call (one transaction each), as a province would
import several TMX files. Why not one import of 100,000: on PostgreSQL it took 357 s against
11 s on SQLite (measured 2026-12-06): every inserted row's trigger updates the same
``tm_changes`` row, and inside one transaction each update walks the growing chain of that
row's versions, so the cost grows with the square of the import's size."""

Figures = dict[str, float | None]


# -- inputs (the same for both stores) -----------------------------------------------------


def vietnews_sentences(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct real Vietnamese sentences (8-40 words) of the VietNews articles,
    leaving out those the memory refuses (a letter of another script, e.g. 'º')."""
    vietnamese = builtin_languages()[SOURCE_LANGUAGE]
    found: list[str] = []
    seen: set[str] = set()
    with VIETNEWS.open(encoding="utf-8") as handle:
        for line in handle:
            for text in re.split(r"(?<=[.!?])\s+|\n+", json.loads(line)["article"]):
                text = text.strip()
                if (
                    8 <= len(text.split()) <= 40
                    and text not in seen
                    and not has_control(text)
                    and not foreign_scripts(text, vietnamese)
                ):
                    seen.add(text)
                    found.append(text)
            if len(found) >= count:
                break
    rng.shuffle(found)
    return found[:count]


def edited(rng: random.Random, text: str) -> str:
    """A stored sentence as a new article would differ from it: one word dropped or doubled."""
    words = text.split(" ")
    i = rng.randrange(len(words))
    if rng.random() < 0.5 and len(words) > 8:
        del words[i]
    else:
        words.insert(i, words[i])
    return " ".join(words)


def mix_sentences(store: str, workers: int, n: int) -> tuple[tuple[Role, str], ...]:
    """A tiny script whose every sentence is unique to (store, worker count, job): no voice
    stage is reused from an earlier run."""
    tag = f"{store} {workers} {n}"
    return (
        (Role.OPENING, f"Đây là Đài truyền thanh xã Mường La, bản tin {tag}."),
        (Role.BODY, f"Ủy ban nhân dân xã tiếp công dân sáng thứ Hai, số {tag}."),
        (Role.BODY, f"Bà con mang theo căn cước công dân, lần {tag}."),
        (Role.CLOSING, f"Cảm ơn bà con đã lắng nghe bản tin {tag}."),
    )


# -- measurements (one station; a --stations loop will call them per station) --------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_tm(root: Path, units: list[TMUnit], queries: list[str]) -> Figures:
    """Store the memory (imports of ``IMPORT_CHUNK`` segments), then time the first lookup
    and the others."""
    languages = StationLanguages(codes=("vi", LANGUAGE, "hmn"), registry=registry())
    with open_db(root) as db:
        start = time.perf_counter()
        for at in range(0, len(units), IMPORT_CHUNK):
            memory.import_units(db, units[at : at + IMPORT_CHUNK], languages)
        stored_s = time.perf_counter() - start
        start = time.perf_counter()
        memory.lookup(db, queries[0], LANGUAGE, limit=1)
        first_ms = (time.perf_counter() - start) * 1000
        times = []
        for query in queries[1:]:
            start = time.perf_counter()
            memory.lookup(db, query, LANGUAGE, limit=1)
            times.append((time.perf_counter() - start) * 1000)
    return {
        f"TM store, imports of {IMPORT_CHUNK} (s)": stored_s,
        "TM first lookup, builds index (ms)": first_ms,
        "TM lookup p50 (ms)": statistics.median(times),
        "TM lookup p95 (ms)": percentile(times, 0.95),
    }


@contextlib.contextmanager
def workers(root: Path, count: int, logs: Path) -> Iterator[None]:
    """``count`` ``broadcast worker --workers 1`` processes, each ready (its start line is on
    stderr) before the block runs; every one killed with its children afterwards."""
    procs: list[subprocess.Popen[bytes]] = []
    files = [logs / f"worker-{count}-{i}.log" for i in range(count)]
    try:
        for path in files:
            with path.open("wb") as err:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "broadcast", "-w", str(root), "worker"]
                        + ["--workers", "1"],
                        stdout=subprocess.DEVNULL,
                        stderr=err,
                        start_new_session=True,
                    )
                )
        deadline = time.monotonic() + 60
        while not all("Đang chạy" in p.read_text(errors="replace") for p in files):
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError("a worker did not start: " + files[0].read_text())
            time.sleep(0.1)
        yield
    finally:
        for proc in procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def measure_renders(root: Path, store: str, jobs: int, logs: Path) -> Figures:
    """Renders per minute with 1, 2 and 4 worker processes, and the ratio to 1 worker."""
    ws = find_workspace(root)
    with ws.open_db() as db:
        admin = first_admin(db)
    assert admin is not None
    figures: Figures = {}
    for count in WORKER_COUNTS:
        slugs = [
            store_script(
                root, f"2026-12-06-mix-{count}-{n}", sentences=mix_sentences(store, count, n)
            )
            for n in range(jobs)
        ]
        with workers(root, count, logs):
            start = time.perf_counter()
            ids = [submit(ws, "mix", {"script": slug}, admin) for slug in slugs]
            pending = set(ids)
            failed = 0
            while pending:
                for job_id in list(pending):
                    job = get(ws, job_id)
                    if job.state.finished:
                        pending.discard(job_id)
                        failed += job.state.value != "done"
                time.sleep(0.05)
            wall = time.perf_counter() - start
        if failed:
            print(f"  {store}: {failed} of {jobs} mix jobs with {count} workers did not finish")
        figures[f"renders/min, {count} worker(s)"] = jobs * 60 / wall
    base = figures["renders/min, 1 worker(s)"] or 1.0
    for count in WORKER_COUNTS[1:]:
        value = figures[f"renders/min, {count} worker(s)"] or 0.0
        figures[f"scaling {count} vs 1 worker"] = value / base
    return figures


def quarter_of_plays(renders: dict[str, int], zones: list[str]) -> list[dict[str, object]]:
    """A seeded quarter of as-run plays: every zone, mornings, one of the stored renders."""
    rng = random.Random(5)
    plays: list[dict[str, object]] = []
    for day in range(90):
        date = dt.date(2026, 1, 1) + dt.timedelta(days=day)
        for zone in zones:
            for hour in (6, 11, 17):
                slug = rng.choice(sorted(renders))
                plays.append(
                    {
                        "zone": zone,
                        "start": dt.datetime.combine(date, dt.time(hour, 0)).isoformat(),
                        "render": renders[slug],
                        "duration": 120.0,
                        "status": "played",
                    }
                )
    return plays


def measure_schedule(root: Path, logs: Path) -> Figures:
    """Plan one week and write the quarterly report through the CLI, as a station would."""
    items = {"mot-cua": Topic.PROCEDURES, "bo-may": Topic.ORGANISATION,
             "so-hoa": Topic.DIGITAL_GOVERNMENT}  # fmt: skip
    renders: dict[str, int] = {}
    with open_db(root) as db:
        for slug, topic in items.items():
            script_id = add_script(db, slug, topic=topic, vi_seconds=120.0)
            translate_script(db, script_id, LANGUAGE, approve=True)
            add_render(db, script_id, LANGUAGE, 130.0)
            renders[slug] = schedule_store.latest_audio_renders(db, script_id)["vi"].render_id
    for slug in items:
        result = run("-w", root, "schedule", "add", slug, "--from", "2026-01-05", "--to",
                     "2026-03-31")  # fmt: skip
        if result.exit_code != 0:
            raise RuntimeError(f"schedule add {slug}: {result.output}")
    start = time.perf_counter()
    result = run("-w", root, "schedule", "plan", "--from", PLAN_FROM, "--days", "7")
    plan_s = time.perf_counter() - start
    if result.exit_code not in (0, 4):
        raise RuntimeError(f"schedule plan: {result.output}")
    print(f"  {root.name}: {result.output.strip()}")  # slots, plays, findings of the week
    export = logs / f"asrun-{root.name}.json"
    plays = quarter_of_plays(renders, ["ban-muong", "trung-tam", "ban-mong"])
    export.write_text(json.dumps(plays, ensure_ascii=False), encoding="utf-8")
    start = time.perf_counter()
    result = run("-w", root, "asrun", "import", export)
    import_s = time.perf_counter() - start
    if result.exit_code != 0:
        raise RuntimeError(f"asrun import: {result.output}")
    start = time.perf_counter()
    result = run("-w", root, "report", "--period", QUARTER, "--out", logs / f"rep-{root.name}")
    report_s = time.perf_counter() - start
    if result.exit_code != 0:
        raise RuntimeError(f"report: {result.output}")
    return {
        "plan one week, CLI (s)": plan_s,
        f"as-run import, {len(plays)} plays (s)": import_s,
        f"report {QUARTER}, CLI (s)": report_s,
    }


def measure_station(
    root: Path, store: str, units: list[TMUnit], queries: list[str], jobs: int, logs: Path
) -> Figures:
    """Every figure of one station whose store is already selected by the environment."""
    grid_workspace(root)
    figures: Figures = {}
    for name, step in (
        ("tm", lambda: measure_tm(root, units, queries)),
        ("renders", lambda: measure_renders(root, store, jobs, logs)),
        ("schedule", lambda: measure_schedule(root, logs)),
    ):
        started = time.perf_counter()
        figures.update(step())
        print(f"  {store}: {name} done in {time.perf_counter() - started:.0f} s", flush=True)
    return figures


# -- the run -------------------------------------------------------------------------------


@contextlib.contextmanager
def store_selected(url: str | None) -> Iterator[None]:
    """Select the store for the workspace code and for the worker processes (environment)."""
    before = os.environ.pop(DATABASE_URL_VAR, None)
    if url is not None:
        os.environ[DATABASE_URL_VAR] = url
    try:
        yield
    finally:
        os.environ.pop(DATABASE_URL_VAR, None)
        if before is not None:
            os.environ[DATABASE_URL_VAR] = before


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"


def print_table(sqlite: Figures, postgres: Figures) -> None:
    names = list(dict.fromkeys([*sqlite, *postgres]))
    width = max(len(n) for n in names)
    print(f"{'figure':{width}} | {'SQLite':>9} | {'PostgreSQL':>10} | {'ratio':>6}")
    print(f"{'-' * width}-+-{'-' * 9}-+-{'-' * 10}-+-{'-' * 6}")
    for name in names:
        a, b = sqlite.get(name), postgres.get(name)
        ratio = f"{b / a:.2f}" if a and b is not None else "-"
        print(f"{name:{width}} | {fmt(a):>9} | {fmt(b):>10} | {ratio:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 segments, 50 queries, 4 jobs")
    parser.add_argument("--segments", type=int, default=None)
    parser.add_argument("--queries", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    segments = args.segments or (20_000 if args.quick else 100_000)
    queries_n = args.queries or (50 if args.quick else 200)
    jobs = args.jobs or (4 if args.quick else 8)

    from pg_server import PgServer, database

    rng = random.Random(args.seed)
    begun = time.perf_counter()
    sources = vietnews_sentences(segments, rng)
    # Synthetic targets: never invented Thái, just a label and the segment number.
    units = [
        TMUnit(source=s, target=f"[blt] câu {i}", language=LANGUAGE, previous="")
        for i, s in enumerate(sources)
    ]
    queries = [edited(rng, rng.choice(sources)) for _ in range(queries_n + 1)]
    print(
        f"one station per store; TM {len(units)} segments (VietNews sources, synthetic "
        f"targets), {queries_n} queries + the first; {jobs} mix jobs per worker count; "
        f"cores {os.cpu_count()}; load average at start {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    results: dict[str, Figures] = {}
    tmp = Path(tempfile.mkdtemp(prefix="bench-province-"))
    server = PgServer()
    try:
        server.start()
        runs: list[tuple[str, Callable[[], contextlib.AbstractContextManager[str | None]]]] = [
            ("sqlite", lambda: contextlib.nullcontext(None)),
            ("postgresql", lambda: database(server, "province")),
        ]
        for store, target in runs:
            with target() as url, store_selected(url):
                results[store] = measure_station(tmp / store, store, units, queries, jobs, tmp)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print_table(results["sqlite"], results["postgresql"])
    load = os.getloadavg()
    print(
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores; "
        f"whole run {time.perf_counter() - begun:.0f} s; ratio = PostgreSQL / SQLite"
    )
    print(
        "75 stations x one week on PostgreSQL: not measurable yet — a database holds one "
        "station until stations land (issue 16 part 2, next session); each figure above is "
        "one station's, and the --stations N loop will call measure_station per station."
    )


if __name__ == "__main__":
    main()
