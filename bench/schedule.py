"""Benchmark: planning a province, and reporting a year of its as-run logs.

Planning (issue 5, this half): 75 communes x 5 zones x 3 slots a day x 365 days (410,625
zone-slots) and 2,000 campaign items, planned by ``broadcast.schedule.planner`` (a weekly
sweep per zone over the items active that week) beside a naive baseline in the same run: a
straightforward greedy that, for every slot, rescans all 2,000 items for validity, zone and
approval and sorts the survivors. The baseline is quadratic-ish (slots x items), so it runs
on the first ``--baseline-communes`` communes only; our planner runs on the same subset
(like for like) and on the whole province. Each measurement runs in a forked child so its
peak memory (max RSS, from ``os.wait4``) is its own. Nothing is asserted.

    .venv/bin/python bench/schedule.py [--communes 75] [--baseline-communes 5]

``plan_province()`` is importable (the reporting half of this file uses it to make a year
of as-run logs): it builds the synthetic province deterministically and streams every
planned slot to ``on_slot``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from broadcast.schedule.grid import Grid, parse_grid  # noqa: E402
from broadcast.schedule.model import (  # noqa: E402
    EntryKind,
    Finding,
    Item,
    PlannedEntry,
    PlannedSlot,
    Priority,
    RenderRef,
)
from broadcast.schedule.planner import iter_plan  # noqa: E402

YEAR_START = dt.date(2026, 1, 1)
PROVINCE_COMMUNES = 75  # items are always those of the whole province
LANGUAGES = ("vi", "blt", "hmn", "tyz")
# Broadcast order per zone, cycling: Kinh, Thái and Mông villages, mixed villages.
ZONE_LANGUAGES = (("vi",), ("blt", "vi"), ("hmn", "vi"), ("blt", "hmn", "vi"), ("tyz", "vi"))
TOPICS = ("the-che", "thu-tuc", "bo-may", "cong-vu", "tai-chinh", "chinh-quyen-so")


def province_grid(communes: int = 75, zones_per_commune: int = 5) -> Grid:
    """Every zone has three daily slots: 06:00 (30'), 11:00 (15'), 17:30 (30')."""
    zones = [
        {
            "id": f"x{c:02d}-z{z}",
            "name": f"Xã {c:02d} cụm loa {z}",
            "languages": list(ZONE_LANGUAGES[(c + z) % len(ZONE_LANGUAGES)]),
        }
        for c in range(1, communes + 1)
        for z in range(1, zones_per_commune + 1)
    ]
    every_day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    data = {
        "schedule": {"ident_seconds": 10, "slot_end": "finish"},
        "zones": zones,
        "slots": [
            {"id": "sang", "days": every_day, "start": "06:00", "minutes": 30},
            {"id": "trua", "days": every_day, "start": "11:00", "minutes": 15},
            {"id": "chieu", "days": every_day, "start": "17:30", "minutes": 30},
        ],
        "rules": [{"topic": "thu-tuc", "days": ["tue", "fri"], "from": "05:00", "to": "12:00"}],
    }
    return parse_grid(data, LANGUAGES)


def province_items(
    communes: int = 75, zones_per_commune: int = 5, count: int = 2000, seed: int = 2026
) -> tuple[list[Item], set[tuple[int, str]]]:
    """Deterministic items: 2% province-wide, the rest for some zones of one commune.

    Returns the items and the approved (script, language) pairs: Vietnamese always, each
    translation approved with probability 0.8 (the rest must be reported, never planned).
    """
    rng = random.Random(seed)
    items: list[Item] = []
    approved: set[tuple[int, str]] = set()
    for number in range(1, count + 1):
        if rng.random() < 0.02:
            zones: tuple[str, ...] = ("all",)
        else:
            commune = rng.randint(1, communes)
            picked = rng.sample(range(1, zones_per_commune + 1), rng.randint(1, zones_per_commune))
            zones = tuple(f"x{commune:02d}-z{z}" for z in sorted(picked))
        roll = rng.random()
        priority = (
            Priority.EMERGENCY
            if roll < 0.02
            else Priority.PRIORITY
            if roll < 0.14
            else Priority.NORMAL
        )
        first = YEAR_START + dt.timedelta(days=rng.randint(0, 364))
        length = rng.randint(1, 3) if priority is Priority.EMERGENCY else rng.randint(7, 90)
        hour = rng.randint(0, 23) if priority is Priority.EMERGENCY else 0
        seconds = (
            rng.uniform(45, 240) if priority is not Priority.EMERGENCY else rng.uniform(30, 90)
        )
        renders = tuple(
            RenderRef(
                number * 10 + i,
                lang,
                round(seconds * rng.uniform(0.9, 1.2), 1),
                f"out/item-{number}-{lang}.mp3",
            )
            for i, lang in enumerate(LANGUAGES)
        )
        script_id = 10_000 + number
        approved.add((script_id, "vi"))
        approved.update((script_id, r.language) for r in renders[1:] if rng.random() < 0.8)
        items.append(
            Item(
                id=number,
                script_id=script_id,
                title=f"Bản tin {number}",
                priority=priority,
                starts=dt.datetime.combine(first, dt.time(hour)),
                last_day=min(first + dt.timedelta(days=length - 1), dt.date(2026, 12, 31)),
                min_plays_per_week=rng.choice((0, 0, 1, 2, 3, 5)),
                zones=zones,
                topic=rng.choice(TOPICS),
                renders=renders,
            )
        )
    return items, approved


@dataclass
class ProvincePlan:
    """Figures of one province-wide planning run (slots are streamed, not kept)."""

    grid: Grid
    items: list[Item]
    approved: set[tuple[int, str]]
    slots: int = 0
    plays: int = 0
    seconds_planned: float = 0.0
    wall_s: float = 0.0
    findings: list[Finding] = field(default_factory=list)


def plan_province(
    communes: int = 75,
    zones_per_commune: int = 5,
    items: int = 2000,
    days: int = 365,
    on_slot: Callable[[PlannedSlot], None] | None = None,
) -> ProvincePlan:
    """Plan the synthetic province for ``days`` days from 2026-01-01, streaming the slots."""
    grid = province_grid(communes, zones_per_commune)
    all_items, approved = province_items(PROVINCE_COMMUNES, zones_per_commune, items)
    result = ProvincePlan(grid, all_items, approved)
    start = time.perf_counter()
    # A subset of communes plans only the items aimed at it (the rest would be findings for
    # zones this grid does not have); the filter is inside the timed part.
    known = set(grid.zone_ids) | {"all"}
    mine = [i for i in all_items if known.intersection(i.zones)]
    for slot in iter_plan(grid, mine, approved, YEAR_START, days, result.findings):
        result.slots += 1
        for entry in slot.entries:
            if entry.kind is EntryKind.ITEM:
                result.plays += 1
                result.seconds_planned += entry.duration_s
        if on_slot is not None:
            on_slot(slot)
    result.wall_s = time.perf_counter() - start
    return result


def naive_plan(
    grid: Grid, items: list[Item], approved: set[tuple[int, str]], days: int
) -> tuple[list[PlannedSlot], float]:
    """The baseline: for every zone-slot, rescan every item, sort, fill greedily.

    Same rules in spirit (validity, zone, approval, zone language order, priority first,
    fewest plays this week first), none of the indexing: what a first implementation does.
    """
    start = time.perf_counter()
    slots: list[PlannedSlot] = []
    capacity_idents = 2 * grid.ident_seconds
    for zone in grid.zones:
        plays: dict[int, int] = {}
        for offset in range(days):
            day = YEAR_START + dt.timedelta(days=offset)
            if day.weekday() == 0:
                plays = {}
            for grid_slot in grid.slots_for(zone.id):
                if day.weekday() not in grid_slot.weekday_numbers:
                    continue
                moment = dt.datetime.combine(day, grid_slot.start)
                candidates = []
                for item in items:
                    if not item.valid_at(moment):
                        continue
                    if zone.id not in item.zones and "all" not in item.zones:
                        continue
                    block = [
                        r
                        for lang in zone.languages
                        for r in item.renders
                        if r.language == lang and (item.script_id, lang) in approved
                    ]
                    if block:
                        candidates.append(
                            (item.priority.rank, plays.get(item.id, 0), item.id, block)
                        )
                candidates.sort(key=lambda c: (c[0], c[1], c[2]))
                room = grid_slot.seconds - capacity_idents
                entries: list[PlannedEntry] = []
                at = grid.ident_seconds
                for _, _, item_id, block in candidates:
                    length = sum(r.duration_s for r in block)
                    if length > room:
                        continue
                    room -= length
                    plays[item_id] = plays.get(item_id, 0) + 1
                    for r in block:
                        entries.append(
                            PlannedEntry(
                                EntryKind.ITEM, at, r.duration_s, item_id, r.render_id, r.language
                            )
                        )
                        at += r.duration_s
                slots.append(
                    PlannedSlot(
                        zone.id, grid_slot.id, moment, grid_slot.seconds, None, tuple(entries)
                    )
                )
    return slots, time.perf_counter() - start


def _in_child(task: Callable[[], dict[str, object]]) -> dict[str, object]:
    """Run ``task`` in a forked child; its figures plus the child's own peak RSS in MiB."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            payload = json.dumps(task()).encode()
        except BaseException as exc:  # noqa: BLE001 - report, never return into the parent
            payload = json.dumps({"error": repr(exc)}).encode()
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = json.loads(pipe.read() or b"{}")
    _, _, usage = os.wait4(pid, 0)
    data["peak_mib"] = round(usage.ru_maxrss / 1024, 1)
    return data


def _ours(communes: int) -> dict[str, object]:
    result = plan_province(communes=communes)
    return {
        "zone_slots": result.slots,
        "plays": result.plays,
        "hours": round(result.seconds_planned / 3600),
        "findings": len(result.findings),
        "wall_s": round(result.wall_s, 2),
        "kinds": dict(Counter(f.kind.value for f in result.findings)),
    }


def _naive(communes: int) -> dict[str, object]:
    grid = province_grid(communes)
    items, approved = province_items()  # all 2,000 items of the province, rescanned per slot
    slots, wall = naive_plan(grid, items, approved, 365)
    plays = sum(1 for s in slots for e in s.entries)
    return {"zone_slots": len(slots), "plays": plays, "findings": 0, "wall_s": round(wall, 2)}


def planning_bench(communes: int, baseline_communes: int) -> None:
    print(f"Planning: {communes} communes x 5 zones x 3 slots/day x 365 days, 2,000 items")
    rows = [
        (f"ours, {baseline_communes} communes", _in_child(lambda: _ours(baseline_communes))),
        (f"naive, {baseline_communes} communes", _in_child(lambda: _naive(baseline_communes))),
        (f"ours, {communes} communes", _in_child(lambda: _ours(communes))),
    ]
    print(
        f"{'run':24} {'zone-slots':>10} {'plays':>9} {'findings':>8} {'wall s':>8} {'peak MiB':>9}"
    )
    for name, row in rows:
        if "error" in row:
            print(f"{name:24} failed: {row['error']}")
            continue
        print(
            f"{name:24} {row['zone_slots']:>10} {row['plays']:>9} {row['findings']:>8} "
            f"{row['wall_s']:>8} {row['peak_mib']:>9}"
        )
    for name, row in rows:
        if row.get("kinds"):
            print(f"findings of {name}: {row['kinds']}")
    ours, naive, full = (r for _, r in rows)
    if all("wall_s" in r for r in (ours, naive, full)):
        ratio = float(naive["wall_s"]) / max(float(ours["wall_s"]), 1e-9)  # type: ignore[arg-type]
        scale = communes / baseline_communes
        print(
            f"naive / ours on the same {baseline_communes} communes: {ratio:.1f}x; naive "
            f"extrapolated to {communes} communes: ~{float(naive['wall_s']) * scale:.0f} s "  # type: ignore[arg-type]
            f"(linear in communes) against {full['wall_s']} s measured for ours."
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=75)
    parser.add_argument("--baseline-communes", type=int, default=5)
    args = parser.parse_args()
    planning_bench(args.communes, args.baseline_communes)
    report_year(args.communes)


# --- Reporting half (issue 5, as-run log and reports) ---------------------------------------
#
# A year of as-run logs for the province: the plan above is streamed into CSV files as the
# loudspeakers would export them, one per commune and month (93 % on time with a few seconds
# of jitter, 3 % late by 6-30 minutes, 1 % cut half way, 3 % missed, and a song that is not
# ours in 2 % of slots). Measured, each in its own forked child (wall time, peak RSS):
# ``broadcast asrun import`` of the 900 files into one database, month by month
# (executemany in one transaction per file, renders resolved in memory), and ``broadcast
# report --period 2026`` (one grouped SQL scan, .docx, CSV, HTML and charts). Baselines in
# the same run: row-by-row import (one SELECT to resolve the render and one INSERT committed
# per row) on a sample, extrapolated linearly; and the report's figures aggregated in Python
# from every row fetched, checked equal to ours.


def _asrun_workspace(folder: Path, communes: int) -> tuple[Path, Grid, int, int]:
    """A database holding the province's 2,000 scripts and renders, and the year's CSVs."""
    import csv
    import sqlite3

    from broadcast.store.db import Database

    db_path = folder / "province.db"
    Database(db_path).close()  # migrations
    items, _ = province_items(PROVINCE_COMMUNES)
    # Bench set-up only: the stored scripts and renders must carry the planner's ids.
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "INSERT INTO articles (id, source_path, sha256, title, body, format)"
            " VALUES (1, 'bench', '', 'bench', '', 'txt')"
        )
        conn.executemany(
            "INSERT INTO scripts (id, article_id, slug, title, language, target_minutes, topic)"
            " VALUES (?, 1, ?, ?, 'vi', 3, ?)",
            [(i.script_id, f"item-{i.id}", i.title, i.topic) for i in items],
        )
        conn.executemany(
            "INSERT INTO renders (id, script_id, kind, path, sha256, duration_s, language)"
            " VALUES (?, ?, 'audio', ?, '', ?, ?)",
            [
                (r.render_id, i.script_id, r.path, r.duration_s, r.language)
                for i in items
                for r in i.renders
            ],
        )
    conn.close()

    rng = random.Random(7)
    handles: dict[str, tuple[IO[str], Any]] = {}  # commune -> (file, csv writer)
    rows = 0

    def writer(zone: str) -> Any:
        commune = zone.split("-")[0]
        if commune not in handles:
            handle = (folder / f"asrun-{commune}.csv").open("w", encoding="utf-8", newline="")
            out = csv.writer(handle, delimiter=";")
            out.writerow(
                [
                    "Cụm loa",
                    "Thời gian bắt đầu",
                    "Bản thu",
                    "Tệp",
                    "Thời lượng (giây)",
                    "Trạng thái",
                ]
            )
            handles[commune] = (handle, out)
        return handles[commune][1]

    def on_slot(slot: PlannedSlot) -> None:
        nonlocal rows
        out = writer(slot.zone)
        for entry in slot.entries:
            if entry.kind is not EntryKind.ITEM:
                continue
            start = slot.starts_at + dt.timedelta(seconds=entry.offset_s)
            duration, status, roll = entry.duration_s, "đã phát", rng.random()
            if roll < 0.03:
                duration, status = 0.0, "không phát"
            elif roll < 0.06:
                start += dt.timedelta(minutes=rng.randint(6, 30))
            elif roll < 0.07:
                duration, status = duration / 2, "phát dở"
            else:
                start += dt.timedelta(seconds=rng.randint(0, 20))
            out.writerow(
                [
                    slot.zone,
                    start.isoformat(sep=" ", timespec="seconds"),
                    entry.render_id,
                    "",
                    f"{duration:.1f}",
                    status,
                ]
            )
            rows += 1
        if rng.random() < 0.02:  # a song that is not ours, named by its file
            moment = slot.starts_at + dt.timedelta(seconds=5)
            out.writerow(
                [
                    slot.zone,
                    moment.isoformat(sep=" ", timespec="seconds"),
                    "",
                    "nhac/dan-ca.mp3",
                    "185",
                    "đã phát",
                ]
            )
            rows += 1

    plan = plan_province(communes=communes, on_slot=on_slot)
    for handle, _ in handles.values():
        handle.close()
    # Stations export a month at a time: split each commune's year into monthly files, so
    # that importing them month by month appends to the log as a station would.
    for year_file in sorted(folder.glob("asrun-x*.csv")):
        lines = year_file.read_text(encoding="utf-8").splitlines(keepends=True)
        months: dict[str, list[str]] = {}
        for line in lines[1:]:
            months.setdefault(line.split(";")[1][:7], []).append(line)
        for month, body in months.items():
            monthly = folder / f"asrun-{month}-{year_file.stem.removeprefix('asrun-')}.csv"
            monthly.write_text(lines[0] + "".join(body), encoding="utf-8")
        year_file.unlink()
    return db_path, plan.grid, rows, plan.slots


def _import_ours(db_path: Path, folder: Path, zones: tuple[str, ...]) -> dict[str, object]:
    from broadcast.schedule.asrun import import_asrun
    from broadcast.store.db import Database

    start = time.perf_counter()
    added = rows = 0
    with Database(db_path) as db:
        for path in sorted(folder.glob("asrun-*.csv")):
            result = import_asrun(db, path, zones, LANGUAGES)
            added += result.added
            rows += result.rows
    return {"rows": rows, "added": added, "wall_s": round(time.perf_counter() - start, 2)}


def _import_naive(db_path: Path, folder: Path, sample: int) -> dict[str, object]:
    """Row by row: csv.DictReader, one SELECT per row for the render, one commit per row."""
    import csv
    import sqlite3

    conn = sqlite3.connect(folder / "naive.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("ATTACH DATABASE ? AS src", (str(db_path),))
    conn.execute("CREATE TABLE plays AS SELECT * FROM src.asrun_plays WHERE 0")
    conn.execute("CREATE UNIQUE INDEX plays_key ON plays (zone, started_at, item_key)")
    done = 0
    start = time.perf_counter()
    for path in sorted(folder.glob("asrun-*.csv")):
        if done >= sample:
            break
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
        for row in rows[: sample - done]:
            render = row["Bản thu"]
            found = conn.execute(
                "SELECT script_id, language FROM src.renders WHERE id = ?", (render or -1,)
            ).fetchone()
            conn.execute("BEGIN")
            conn.execute(
                "INSERT OR IGNORE INTO plays (origin, zone, started_at, duration_s, status,"
                " item_key, render_id, script_id, language) VALUES ('import',?,?,?,?,?,?,?,?)",
                (
                    row["Cụm loa"],
                    row["Thời gian bắt đầu"].replace(" ", "T"),
                    float(row["Thời lượng (giây)"]),
                    {"đã phát": "played", "phát dở": "partial"}.get(row["Trạng thái"], "missed"),
                    f"r{render}" if render else f"f{row['Tệp']}",
                    render or None,
                    found[0] if found else None,
                    found[1] if found else None,
                ),
            )
            conn.execute("COMMIT")
            done += 1
    wall = time.perf_counter() - start
    conn.close()
    return {"rows": done, "wall_s": round(wall, 2)}


def _report_ours(db_path: Path, folder: Path, grid: Grid) -> dict[str, object]:
    from broadcast.schedule.period import parse_period
    from broadcast.schedule.report import Labels, compute_figures, write_report
    from broadcast.schedule.report_settings import ReportSettings
    from broadcast.store.db import Database

    settings = ReportSettings(
        authority="UBND TỈNH", center="Trung tâm", place="Sơn La", unit="tỉnh Sơn La"
    )
    period = parse_period("2026")
    labels = Labels(zones={z.id: z.name for z in grid.zones})
    with Database(db_path) as db:
        start = time.perf_counter()
        figures = compute_figures(db, period, settings, languages=LANGUAGES, zones=grid.zone_ids)
        sql_s = time.perf_counter() - start
        files = write_report(
            db,
            period,
            settings,
            out_root=folder / "reports",
            labels=labels,
            languages=LANGUAGES,
            zones=grid.zone_ids,
        )
        wall = time.perf_counter() - start
    return {
        "sql_s": round(sql_s, 2),
        "wall_s": round(wall, 2),
        "plays": figures.total.plays,
        "segments": len(figures.segments),
        "docx_kib": files.docx.stat().st_size // 1024,
        "figures": _figure_key(figures),
    }


def _figure_key(figures: object) -> str:
    """A digest of every tally, to check the baseline found the same figures."""
    import hashlib

    parts = []
    for name in ("by_topic", "by_language", "by_zone", "by_month"):
        for t in getattr(figures, name):
            if t.plays:
                parts.append(f"{name}:{t.key}:{t.plays}:{t.seconds:.1f}")
    for s in figures.segments:  # type: ignore[attr-defined]
        parts.append(f"seg:{s.slug}:{s.plays}:{s.seconds:.1f}")
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:16]


def _report_naive(db_path: Path) -> dict[str, object]:
    """Every aired row of the year fetched into Python and tallied in dicts."""
    import sqlite3
    from types import SimpleNamespace

    start = time.perf_counter()
    conn = sqlite3.connect(db_path)
    tallies: dict[str, dict[str, list[float]]] = {
        k: {} for k in ("by_topic", "by_language", "by_zone", "by_month", "seg")
    }
    for zone, started, seconds, language, topic, slug in conn.execute(
        "SELECT p.zone, p.started_at, p.duration_s, p.language, s.topic, s.slug"
        " FROM asrun_plays p LEFT JOIN scripts s ON s.id = p.script_id"
        " WHERE p.status != 'missed'"
    ):
        if not "2026-01-01" <= started < "2027-01-01":
            continue
        keys = {
            "by_topic": topic or "",
            "by_language": language or "",
            "by_zone": zone,
            "by_month": started[:7],
        }
        if slug is not None:
            keys["seg"] = slug
        for name, key in keys.items():
            cell = tallies[name].setdefault(key, [0, 0.0])
            cell[0] += 1
            cell[1] += seconds
    conn.close()
    wall = time.perf_counter() - start

    def tally(name: str) -> list[SimpleNamespace]:
        return [
            SimpleNamespace(key=k, plays=int(v[0]), seconds=v[1]) for k, v in tallies[name].items()
        ]

    figures = SimpleNamespace(
        **{n: tally(n) for n in ("by_topic", "by_language", "by_zone", "by_month")},
        segments=[
            SimpleNamespace(slug=k, plays=int(v[0]), seconds=v[1])
            for k, v in tallies["seg"].items()
        ],
    )
    return {"wall_s": round(wall, 2), "figures": _figure_key(figures)}


def report_year(communes: int = PROVINCE_COMMUNES, naive_sample: int = 20_000) -> None:
    """Import a year of the province's as-run logs and write the year's report."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bench-asrun-"))
    try:
        start = time.perf_counter()
        db_path, grid, rows, slots = _asrun_workspace(folder, communes)
        made_s = time.perf_counter() - start
        size = sum(p.stat().st_size for p in folder.glob("asrun-*.csv")) / 2**20
        print(
            f"\nReporting: a year of as-run logs, {communes} communes: {slots} zone-slots, "
            f"{rows} rows in {communes * 12} monthly CSV files ({size:.0f} MiB), generated in "
            f"{made_s:.0f} s"
        )
        ours = _in_child(lambda: _import_ours(db_path, folder, grid.zone_ids))
        naive = _in_child(lambda: _import_naive(db_path, folder, naive_sample))
        report = _in_child(lambda: _report_ours(db_path, folder, grid))
        naive_report = _in_child(lambda: _report_naive(db_path))
        print(f"{'run':44} {'rows':>9} {'wall s':>8} {'peak MiB':>9}")
        for name, row in (
            ("import, ours (executemany per file)", ours),
            (f"import, naive (row by row, {naive_sample} rows)", naive),
        ):
            print(
                f"{name:44} {row.get('rows', '-'):>9} {row.get('wall_s', row.get('error')):>8}"
                f" {row['peak_mib']:>9}"
            )
        if "wall_s" in naive and "rows" in ours:
            naive_rows, ours_rows = int(str(naive["rows"])), int(str(ours["rows"]))
            per_row = float(str(naive["wall_s"])) / max(naive_rows, 1)
            ours_per_row = float(str(ours["wall_s"])) / max(ours_rows, 1)
            print(
                f"naive import extrapolated to {ours_rows} rows: ~{per_row * ours_rows:.0f} s"
                f" ({per_row * 1e6:.0f} µs/row) against {ours['wall_s']} s for ours "
                f"({ours_per_row * 1e6:.0f} µs/row)"
            )
        if "error" in report:
            print(f"report failed: {report['error']}")
            return
        print(
            f"{'report 2026, ours (SQL aggregates + files)':44} {report['plays']:>9} "
            f"{report['wall_s']:>8} {report['peak_mib']:>9}"
        )
        print(f"{'  of which the SQL aggregates':44} {'':>9} {report['sql_s']:>8}")
        print(
            f"{'report figures, naive (Python aggregation)':44} {'':>9} "
            f"{naive_report.get('wall_s', naive_report.get('error'))!s:>8} "
            f"{naive_report['peak_mib']:>9}"
        )
        same = report.get("figures") == naive_report.get("figures")
        print(
            f"naive figures equal ours: {'yes' if same else 'NO'}; {report['segments']} "
            f"segments aired; .docx {report['docx_kib']} KiB"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
