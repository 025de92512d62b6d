"""Benchmark (issue 16): a province of ``--stations`` (75) stations on PostgreSQL beside one
station on SQLite, in the same run, with the same inputs per station.

Every station (the SQLite one and each of the province's) holds one week of production:
3 items a day x 7 days stored as script rows (``tests/schedule_fixtures.add_script``: a
Vietnamese text and its audio render), each translated (synthetic text, approved) into Thái
(blt) or Mông (hmn) alternately with a render of that translation, and each scheduled on its
day in the zones of its language and the centre's (vi); the station's grid is the test grid
of tests/schedule_fixtures.py. The
province is one database and one shared temporary folder with a sub-folder per station:
``xa-01`` made by ``broadcast init`` (the grid fixture: its first person is the province
admin), the others by ``broadcast.province.stations.add_station`` (each with its own admin)
with the same grid copied into their station.toml.

Figures, each beside the SQLite station's:

1. creating the stations and storing their week: the province's total, and the median per
   station;
2. translation memory: ``--segments`` (100,000) segments (sources are sentences of
   /work/shared/data/vietnews, targets OBVIOUSLY SYNTHETIC "[blt] câu n") imported ONCE,
   in imports of ``IMPORT_CHUNK``: on PostgreSQL into the PROVINCE's memory (``--toan-tinh``
   by the province admin), on SQLite into the station's. Each station also holds a few
   pairs of its own (overrides of province pairs), so it sees its own memory and the
   province's; ``TM_STATIONS`` stations spread over the province are asked. The first lookup of
   each such station (which builds the fuzzy indexes it needs that this process does not
   hold yet: the province's is shared by the stations) is timed on its own; then
   p50/p95 of ``--queries`` (200) lookups of stored sentences with a small edit, shared out
   among those stations, and the share of them that found a match (a memory hidden from a
   station would answer fast and empty); then every station of the province (each with its
   own pairs too) taking turns, one lookup each, on one kept connection switched from
   station to station as a server process answers requests: two rounds, the second timed;
3. renders per minute: ``--jobs`` (8) small mix jobs (tiny four-sentence scripts stored by
   ``tests/render_support.store_script``, every sentence unique so no stage cache is reused),
   on the province each job in a different station, drained by 1, 2 and 4
   ``broadcast worker --workers 1`` processes all started (and ready) in ONE station's folder
   beforehand (one worker serves every station); wall time from the first submit to the last
   job done, and the ratio to 1 worker;
4. ``broadcast schedule plan`` of the week for every station (the province's total and the
   median per station), and the quarterly report: ``broadcast asrun import`` of a quarter of
   plays (810 per station) then ``broadcast report --period 2026-Q1``, for every station or,
   with ``--report-stations N``, for the first N only (then the output says it is a sample
   and gives no province total).

Everything runs one command after another in this process (a province server would run
stations' commands side by side): a province total is the sum of its stations' times. Each
step runs once, untimed, in a throw-away SQLite station first, so that the module imports
of a first CLI command are not charged to the SQLite station measured next.
``--quick``: 5 stations, 20,000 segments, 50 queries, 4 jobs (about two minutes).
PostgreSQL is a throw-away server (tests/pg_server.py), stopped at the end like every worker.
Nothing is asserted.

    .venv/bin/python bench/province.py [--quick] [--stations N] [--segments N] [--queries N]
        [--jobs N] [--report-stations N]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import inspect
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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the fixtures and the throw-away server

from helpers import run  # noqa: E402
from render_support import store_script  # noqa: E402
from schedule_fixtures import GRID, add_render, add_script, grid_workspace, write_grid  # noqa: E402
from schedule_fixtures import translate as translate_script  # noqa: E402

from broadcast.jobs import get, submit  # noqa: E402
from broadcast.jobs.queue import queue_for  # noqa: E402
from broadcast.languages import (  # noqa: E402
    SOURCE_LANGUAGE,
    builtin_languages,
    foreign_scripts,
    registry,
)
from broadcast.model.people import Person  # noqa: E402
from broadcast.model.script import Role  # noqa: E402
from broadcast.province.stations import add_station  # noqa: E402
from broadcast.schedule.campaign import add_item  # noqa: E402
from broadcast.schedule.model import Priority  # noqa: E402
from broadcast.script.model import Topic  # noqa: E402
from broadcast.store import schedule as schedule_store  # noqa: E402
from broadcast.store.people import first_admin  # noqa: E402
from broadcast.store.workspace import DATABASE_URL_VAR, Workspace, find_workspace  # noqa: E402
from broadcast.translate import memory, tmindex  # noqa: E402
from broadcast.translate.termbase import StationLanguages  # noqa: E402
from broadcast.translate.values import TMUnit, has_control  # noqa: E402

VIETNEWS = ROOT.parent / "shared" / "data" / "vietnews" / "train.jsonl"
LANGUAGE = "blt"
WEEK_LANGUAGES = ("blt", "hmn")  # the week's translations alternate between the two
WEEK_ZONES = {"blt": ("ban-muong", "trung-tam"), "hmn": ("ban-mong", "trung-tam")}
"""Where an item in that language airs: the zones that speak it and the centre (vi)."""
WEEK_TOPICS = (Topic.PROCEDURES, Topic.ORGANISATION, Topic.DIGITAL_GOVERNMENT)
ITEMS_PER_DAY = 3
WORKER_COUNTS = (1, 2, 4)
PLAN_FROM = dt.date(2026, 3, 2)  # a Monday: the week of production airs from it
QUARTER = "2026-Q1"
ZONES = [str(zone["id"]) for zone in GRID["zones"]]  # type: ignore[index, union-attr]
TM_STATIONS = 5
"""How many of the province's stations the memory is asked from (each builds its own fuzzy
index: its own pairs and the province's)."""
OWN_PAIRS = 20
"""Pairs of a station's own memory (overrides of province pairs) in each station asked."""
TURNS_BUDGET_S = 90
"""The most the stations taking turns may take (a process rebuilding the province's index
at every turn would take seconds per lookup): past it they stop, and the output says so."""
IMPORT_CHUNK = 5_000
"""Segments per ``memory.import_units`` call (one transaction each), as a province would
import several TMX files. Why not one import of 100,000: on PostgreSQL it took 357 s against
11 s on SQLite (measured 2026-12-06): every inserted row's trigger updates the same
``tm_changes`` row, and inside one transaction each update walks the growing chain of that
row's versions, so the cost grows with the square of the import's size."""


@dataclass
class Figures:
    """One store's figures in print order; ``totals`` are the province's sums (no ratio
    against one station), ``notes`` what the reader must know (samples, fallbacks)."""

    values: dict[str, float | None] = field(default_factory=dict)
    totals: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, value: float | None, *, total: bool = False) -> None:
        self.values[name] = value
        if total:
            self.totals.add(name)


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


def station_languages() -> StationLanguages:
    return StationLanguages(codes=("vi", LANGUAGE, "hmn"), registry=registry())


# -- small tools ---------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(step: str) -> contextlib.AbstractContextManager[None]:
    """Print how long a step of the run took (progress for a run of several minutes)."""

    @contextlib.contextmanager
    def block() -> Iterator[None]:
        started = time.perf_counter()
        yield
        print(f"  {step} done in {time.perf_counter() - started:.0f} s", flush=True)

    return block()


def admin_of(ws: Workspace) -> Person:
    """The station's default person (its own admin, else the province admin)."""
    with ws.open_db() as db:
        person = first_admin(db)
    if person is None:
        raise RuntimeError(f"{ws.root.name}: no admin")
    return person


def cli(*args: str | Path) -> str:
    """A CLI command run in this process, as a station's user would type it; its output."""
    result = run(*args)
    if result.exit_code not in (0, 4):  # 4: planned, with findings to read
        raise RuntimeError(f"{' '.join(map(str, args))}: {result.output}")
    return str(result.output)


CREATE_PART = "  of which: the station (row, folder, grid) (s)"
STORE_PART = f"  of which: storing {7 * ITEMS_PER_DAY} items, translated, rendered (s)"
SCHEDULE_PART = f"  of which: scheduling the {7 * ITEMS_PER_DAY} items (s)"


def new_parts() -> dict[str, list[float]]:
    """Where the time of creating a station and its week goes, per station."""
    return {CREATE_PART: [], STORE_PART: [], SCHEDULE_PART: []}


# -- one station's week --------------------------------------------------------------------


def store_week(root: Path, parts: dict[str, list[float]]) -> dict[str, int]:
    """One week of production in the station at ``root``, scheduled; the Vietnamese render
    id of each item (what the quarter's as-run plays point at). The time of storing and of
    scheduling goes to ``parts``."""
    start = time.perf_counter()
    ws = find_workspace(root)
    renders: dict[str, int] = {}
    days: dict[str, dt.date] = {}
    with ws.open_db() as db:
        for d in range(7):
            for k in range(ITEMS_PER_DAY):
                n = d * ITEMS_PER_DAY + k
                slug = f"tuan-{d + 1}-{k + 1}"
                script_id = add_script(db, slug, topic=WEEK_TOPICS[k], vi_seconds=90.0)
                language = WEEK_LANGUAGES[n % 2]
                translate_script(db, script_id, language, approve=True)
                add_render(db, script_id, language, 100.0)
                latest = schedule_store.latest_audio_renders(db, script_id)
                renders[slug] = latest["vi"].render_id
                days[slug] = PLAN_FROM + dt.timedelta(days=d)
    parts[STORE_PART].append(time.perf_counter() - start)
    start = time.perf_counter()
    for n, (slug, day) in enumerate(days.items()):
        add_item(
            ws,
            slug,
            starts=dt.datetime.combine(day, dt.time(0, 0)),
            last_day=day,
            priority=Priority.NORMAL,
            min_plays=0,
            zones=WEEK_ZONES[WEEK_LANGUAGES[n % 2]],
            languages=None,
            topic=None,
        )
    parts[SCHEDULE_PART].append(time.perf_counter() - start)
    return renders


def quarter_of_plays(renders: dict[str, int]) -> list[dict[str, object]]:
    """A seeded quarter of as-run plays: every zone, three a day, one of the stored renders."""
    rng = random.Random(5)
    plays: list[dict[str, object]] = []
    for day in range(90):
        date = dt.date(2026, 1, 1) + dt.timedelta(days=day)
        for zone in ZONES:
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


# -- measurements --------------------------------------------------------------------------


def import_memory(root: Path, units: list[TMUnit], figures: Figures, *, province: bool) -> None:
    """Store the memory once, in imports of ``IMPORT_CHUNK``: the province's (by the
    province admin) or the station's own."""
    ws = find_workspace(root)
    by = admin_of(ws)
    supported = "province" in inspect.signature(memory.import_units).parameters
    if province and not supported:
        figures.notes.append("memory import has no province layer: the memory is station 1's")
    with ws.open_db() as db:
        start = time.perf_counter()
        for at in range(0, len(units), IMPORT_CHUNK):
            chunk = units[at : at + IMPORT_CHUNK]
            if supported:
                memory.import_units(db, chunk, station_languages(), by=by, province=province)
            else:
                memory.import_units(db, chunk, station_languages())
        stored_s = time.perf_counter() - start
    where = "province" if province and supported else "station"
    figures.add(f"TM store {len(units)} segments, {where}, imports of {IMPORT_CHUNK} (s)", stored_s)


def measure_lookups(
    roots: list[Path],
    everyone: list[Path],
    units: list[TMUnit],
    queries: list[str],
    figures: Figures,
) -> None:
    """Every station of ``everyone`` gets ``OWN_PAIRS`` pairs of its own. Then, station
    after station of ``roots``, its first lookup (``queries[k]``: it builds the indexes this
    process lacks) and its share of the timed queries (``queries`` holds ``TM_STATIONS``
    first queries, then those). Then, with several stations, every station of ``everyone``
    taking turns, one lookup each, on ONE connection switched from station to station, as a
    province server's process answers requests: a first round (their first lookups,
    untimed) and a second, timed, where a process keeping fewer indexes than there are
    stations builds them again. The turns stop after ``TURNS_BUDGET_S``, and say so."""
    timed_queries = queries[TM_STATIONS:]
    ids: dict[Path, int] = {}
    for k, root in enumerate(everyone):
        own = [
            TMUnit(u.source, f"[blt] {root.name} câu {i}", LANGUAGE, previous="")
            for i, u in enumerate(units[k * OWN_PAIRS : (k + 1) * OWN_PAIRS])
        ]
        with find_workspace(root).open_db() as db:
            memory.import_units(db, own, station_languages())
            ids[root] = db.station_id
    firsts: list[float] = []
    times: list[float] = []
    hits = 0
    for k, root in enumerate(roots):
        with find_workspace(root).open_db() as db:
            start = time.perf_counter()
            memory.lookup(db, queries[k], LANGUAGE, limit=1)
            firsts.append((time.perf_counter() - start) * 1000)
            for query in timed_queries[k :: len(roots)]:
                start = time.perf_counter()
                found = memory.lookup(db, query, LANGUAGE, limit=1)
                times.append((time.perf_counter() - start) * 1000)
                hits += bool(found)  # a memory hidden from the station would answer nothing
    label = "" if len(roots) == 1 else f", median of {len(roots)} stations"
    figures.add(f"TM first lookup (index built){label} (ms)", statistics.median(firsts))
    if len(roots) > 1:
        figures.add(f"TM first lookup (index built), slowest of {len(roots)} stations (ms)",
                    max(firsts))  # fmt: skip
    figures.add("TM lookup p50 (ms)", statistics.median(times))
    figures.add("TM lookup p95 (ms)", percentile(times, 0.95))
    figures.add("TM lookups finding a match (%)", 100 * hits / len(times))
    if len(everyone) > 1:
        take_turns(everyone, ids, timed_queries, figures)


def take_turns(
    everyone: list[Path], ids: dict[Path, int], queries: list[str], figures: Figures
) -> None:
    """Two rounds of every station asking one lookup, on one kept connection; the second
    round timed (see ``measure_lookups``)."""
    turns: list[float] = []
    begun = time.perf_counter()
    stopped = False
    with find_workspace(everyone[0]).open_db() as db:
        for n in range(2 * len(everyone)):
            if time.perf_counter() - begun > TURNS_BUDGET_S:
                stopped = True
                break
            db.use_station(ids[everyone[n % len(everyone)]])
            start = time.perf_counter()
            memory.lookup(db, queries[n % len(queries)], LANGUAGE, limit=1)
            if n >= len(everyone):
                turns.append((time.perf_counter() - start) * 1000)
    cache = getattr(tmindex, "_CACHE_SIZE", "?")  # how many indexes a process keeps
    name = f"TM lookup p50, {len(everyone)} stations taking turns (index cache {cache}) (ms)"
    if stopped:
        figures.notes.append(
            f"stations taking turns stopped after {TURNS_BUDGET_S} s: the figure is the "
            f"median of {len(turns)} timed lookups of the second round (of {len(everyone)})"
        )
    figures.add(name, statistics.median(turns) if turns else None)


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


def measure_renders(
    stations: list[Path], store: str, jobs: int, logs: Path, figures: Figures
) -> None:
    """Renders per minute with 1, 2 and 4 worker processes started in the first station's
    folder, job n submitted in station n (modulo their number), and the ratio to 1 worker."""
    spread = [stations[n % len(stations)] for n in range(jobs)]
    spaces = {root: find_workspace(root) for root in dict.fromkeys(spread)}
    admins = {root: admin_of(ws) for root, ws in spaces.items()}
    # The queue's tables made once, before any worker starts: Huey creates them on first use
    # with CREATE TABLE IF NOT EXISTS, which fails (DuplicateObject) in one of two processes
    # doing it at the same moment on PostgreSQL (seen here: a worker and the first submit).
    queue_for(find_workspace(stations[0]))
    rates: dict[int, float] = {}
    for count in WORKER_COUNTS:
        slugs = [
            store_script(
                root, f"2026-12-06-mix-{count}-{n}", sentences=mix_sentences(store, count, n)
            )
            for n, root in enumerate(spread)
        ]
        with workers(stations[0], count, logs):
            start = time.perf_counter()
            pending = {
                (root, submit(spaces[root], "mix", {"script": slug}, admins[root]))
                for root, slug in zip(spread, slugs, strict=True)
            }
            failed = 0
            while pending:
                for root, job_id in list(pending):
                    job = get(spaces[root], job_id)
                    if job.state.finished:
                        pending.discard((root, job_id))
                        failed += job.state.value != "done"
                time.sleep(0.05)
            wall = time.perf_counter() - start
        if failed:
            figures.notes.append(f"{failed} of {jobs} mix jobs with {count} workers failed")
        rates[count] = jobs * 60 / wall
    where = "" if len(spaces) == 1 else f" on {len(spaces)} stations"
    for count in WORKER_COUNTS:
        figures.add(f"renders/min, {count} worker(s), {jobs} jobs{where}", rates[count])
    for count in WORKER_COUNTS[1:]:
        figures.add(f"scaling {count} vs 1 worker", rates[count] / (rates[1] or 1.0))


def measure_plans(stations: list[Path], figures: Figures) -> None:
    """``schedule plan`` of the week in every station, one after the other."""
    times = []
    for k, root in enumerate(stations):
        start = time.perf_counter()
        output = cli("-w", root, "schedule", "plan", "--from", PLAN_FROM.isoformat(),
                     "--days", "7")  # fmt: skip
        times.append(time.perf_counter() - start)
        if k == 0:
            print(f"  {root.name}: {output.strip()}")  # slots, plays, findings of the week
    add_per_station(figures, "plan the week, CLI (s)", times)


def measure_reports(
    stations: list[Path], sample: int, renders: dict[Path, dict[str, int]], logs: Path,
    figures: Figures,
) -> None:  # fmt: skip
    """As-run import of a quarter, then the quarterly report, in the first ``sample``
    stations (every one unless ``--report-stations`` is smaller)."""
    chosen = stations[:sample]
    imports, reports = [], []
    plays = 0
    for root in chosen:
        export = logs / f"asrun-{root.name}.json"
        quarter = quarter_of_plays(renders[root])
        plays = len(quarter)
        export.write_text(json.dumps(quarter, ensure_ascii=False), encoding="utf-8")
        start = time.perf_counter()
        cli("-w", root, "asrun", "import", export)
        imports.append(time.perf_counter() - start)
        start = time.perf_counter()
        cli("-w", root, "report", "--period", QUARTER, "--out", logs / f"rep-{root.name}")
        reports.append(time.perf_counter() - start)
    if len(chosen) < len(stations):
        figures.notes.append(
            f"as-run import and report measured in a SAMPLE of {len(chosen)} of "
            f"{len(stations)} stations (--report-stations): no province total is given"
        )
    add_per_station(figures, f"as-run import, {plays} plays, CLI (s)", imports,
                    total=len(chosen) == len(stations))  # fmt: skip
    add_per_station(figures, f"report {QUARTER}, CLI (s)", reports,
                    total=len(chosen) == len(stations))  # fmt: skip


def add_per_station(figures: Figures, name: str, times: list[float], *, total: bool = True) -> None:
    """One station's time, or (several) the median per station and the province's sum."""
    if len(times) == 1:
        figures.add(name, times[0])
        return
    figures.add(f"{name.removesuffix(' (s)')}, median per station (s)", statistics.median(times))
    if total:
        figures.add(
            f"{name.removesuffix(' (s)')}, total of {len(times)} stations (s)", sum(times),
            total=True,
        )  # fmt: skip


def comparable(name: str, stations: int) -> str:
    """The row a province figure shares with the SQLite station's: a median per station
    compares with the one station; a total is printed beside it."""
    name = name.replace(", median per station", "").replace(f", total of {stations} stations", "")
    return re.sub(r", (median|slowest) of \d+ stations| on \d+ stations|, (province|station)", "",
                  name)  # fmt: skip


def warm_up(root: Path, logs: Path) -> None:
    """Every step once in a throw-away SQLite station, untimed: the CLI imports its modules
    (planner, report writers) on first use, a cost only the first station measured would
    otherwise pay, and that is the SQLite one."""
    grid_workspace(root)
    renders = store_week(root, new_parts())
    cli("-w", root, "schedule", "plan", "--from", PLAN_FROM.isoformat(), "--days", "7")
    export = logs / "asrun-warm-up.json"
    export.write_text(json.dumps(quarter_of_plays(renders), ensure_ascii=False), "utf-8")
    cli("-w", root, "asrun", "import", export)
    cli("-w", root, "report", "--period", QUARTER, "--out", logs / "rep-warm-up")
    with find_workspace(root).open_db() as db:
        memory.lookup(db, "Ủy ban nhân dân xã tiếp công dân.", LANGUAGE, limit=1)


# -- the two stores ------------------------------------------------------------------------


def run_sqlite(
    root: Path, units: list[TMUnit], queries: list[str], jobs: int, logs: Path
) -> Figures:
    """One station on its SQLite file, every step as the province's stations."""
    figures = Figures()
    with timed("warm-up (a station's every step, untimed)"):
        warm_up(root.parent / "warm-up", logs)
    with timed("sqlite: station and its week"):
        parts = new_parts()
        start = time.perf_counter()
        grid_workspace(root)
        parts[CREATE_PART].append(time.perf_counter() - start)
        renders = store_week(root, parts)
        figures.add("create station + store its week (s)", time.perf_counter() - start)
        for name, times in parts.items():
            add_per_station(figures, name, times)
    with timed("sqlite: translation memory"):
        import_memory(root, units, figures, province=False)
        measure_lookups([root], [root], units, queries, figures)
    with timed("sqlite: renders"):
        measure_renders([root], "sqlite", jobs, logs, figures)
    with timed("sqlite: plan and report"):
        measure_plans([root], figures)
        measure_reports([root], 1, {root: renders}, logs, figures)
    return figures


def run_province(
    shared: Path,
    stations: int,
    units: list[TMUnit],
    queries: list[str],
    jobs: int,
    report_stations: int,
    logs: Path,
) -> Figures:
    """``stations`` stations in one PostgreSQL database (the environment's URL)."""
    figures = Figures()
    roots: list[Path] = []
    renders: dict[Path, dict[str, int]] = {}
    made: list[float] = []
    parts = new_parts()
    with timed(f"postgresql: {stations} stations and their week"):
        begun = time.perf_counter()
        first = grid_workspace(shared / "xa-01")
        parts[CREATE_PART].append(time.perf_counter() - begun)
        renders[first] = store_week(first, parts)
        roots.append(first)
        made.append(time.perf_counter() - begun)
        ws = find_workspace(first)
        with ws.open_db() as db:
            actor = first_admin(db)  # the province admin (init on an empty database)
            assert actor is not None
            for n in range(2, stations + 1):
                start = time.perf_counter()
                slug = f"xa-{n:02d}"
                _, new, _ = add_station(
                    ws, db, actor, slug, f"Đài truyền thanh xã {n}", admin_login=f"qt.{slug}"
                )
                write_grid(new.root, GRID)
                parts[CREATE_PART].append(time.perf_counter() - start)
                renders[new.root] = store_week(new.root, parts)
                roots.append(new.root)
                made.append(time.perf_counter() - start)
                if n % 25 == 0 or n == stations:  # does a station cost more as they grow?
                    print(f"  {n} stations: the last one took {made[-1]:.2f} s", flush=True)
        figures.add("create station + store its week, median per station (s)",
                    statistics.median(made))  # fmt: skip
        figures.add(f"create station + store its week, total of {stations} stations (s)",
                    time.perf_counter() - begun, total=True)  # fmt: skip
        for name, times in parts.items():
            add_per_station(figures, name, times, total=False)
    with timed("postgresql: translation memory"):
        import_memory(first, units, figures, province=True)
        step = max(1, len(roots) // TM_STATIONS)  # stations across the province
        measure_lookups(roots[::step][:TM_STATIONS], roots, units, queries, figures)
    with timed("postgresql: renders"):
        measure_renders(roots, "postgresql", jobs, logs, figures)
    with timed("postgresql: plan every station"):
        measure_plans(roots, figures)
    with timed("postgresql: as-run import and report"):
        measure_reports(roots, min(report_stations, stations), renders, logs, figures)
    return figures


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


def print_table(sqlite: Figures, province: Figures, stations: int) -> None:
    """Province figures in their order, each with the SQLite station's figure of the same
    row; the ratio only where both are one station's (not beside a province total)."""
    base = {comparable(name, 1): value for name, value in sqlite.values.items()}
    rows = [(name, base.get(comparable(name, stations)), value)
            for name, value in province.values.items()]  # fmt: skip
    width = max(len(name) for name, _, _ in rows)
    print(f"{'figure':{width}} | {'SQLite 1':>9} | {'PostgreSQL':>10} | {'ratio':>6}")
    print(f"{'-' * width}-+-{'-' * 9}-+-{'-' * 10}-+-{'-' * 6}")
    for name, a, b in rows:
        ratio = f"{b / a:.2f}" if a and b is not None and name not in province.totals else "-"
        print(f"{name:{width}} | {fmt(a):>9} | {fmt(b):>10} | {ratio:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="5 stations, 20,000 segments, 50 queries, 4 jobs"
    )
    parser.add_argument("--stations", type=int, default=None)
    parser.add_argument("--segments", type=int, default=None)
    parser.add_argument("--queries", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument(
        "--report-stations", type=int, default=None,
        help="as-run import and report in the first N stations only (a sample; default all)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    stations = max(1, args.stations or (5 if args.quick else 75))
    segments = args.segments or (20_000 if args.quick else 100_000)
    queries_n = args.queries or (50 if args.quick else 200)
    jobs = args.jobs or (4 if args.quick else 8)
    report_stations = args.report_stations or stations

    from pg_server import PgServer, database

    rng = random.Random(args.seed)
    begun = time.perf_counter()
    sources = vietnews_sentences(segments, rng)
    # Synthetic targets: never invented Thái, just a label and the segment number.
    units = [
        TMUnit(source=s, target=f"[blt] câu {i}", language=LANGUAGE, previous="")
        for i, s in enumerate(sources)
    ]
    queries = [edited(rng, rng.choice(sources)) for _ in range(queries_n + TM_STATIONS)]
    print(
        f"SQLite: one station; PostgreSQL: {stations} stations in one database; each station "
        f"a week of {7 * ITEMS_PER_DAY} items (vi + blt/hmn); TM {len(units)} segments "
        f"(VietNews sources, synthetic targets), {queries_n} queries + a first per station; "
        f"{jobs} mix jobs per worker count; cores {os.cpu_count()}; load average at start "
        f"{os.getloadavg()[0]:.2f}",
        flush=True,
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench-province-"))
    server = PgServer()
    try:
        server.start()
        with store_selected(None):
            sqlite = run_sqlite(tmp / "sqlite" / "xa-sqlite", units, queries, jobs, tmp)
        with database(server, "province") as url, store_selected(url):
            province = run_province(
                tmp / "tinh", stations, units, queries, jobs, report_stations, tmp
            )
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print_table(sqlite, province, stations)
    load = os.getloadavg()
    print(
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores; "
        f"whole run {time.perf_counter() - begun:.0f} s; ratio = PostgreSQL / SQLite, for "
        "figures of one station (a median per station) only; totals are the province's, "
        "one command after another in one process"
    )
    for note in sqlite.notes + province.notes:
        print(f"NOTE: {note}")


if __name__ == "__main__":
    main()
