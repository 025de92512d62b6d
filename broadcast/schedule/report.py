"""The periodic report (quarter, half year, year) counted from the as-run log.

What the commune reports is what its loudspeakers aired, so every figure comes from the
as-run log (``asrun_plays``), never from the plan. The report folder holds the .docx in the
layout of a Vietnamese administrative report, CSV files of each table and an HTML page with
charts; it is built in a staging folder beside its destination and moved into place whole,
so a reader never finds half a report. A second report of the same period is a new version
in its own folder (recorded with its narrative sections in ``report_versions``): an earlier
report someone may already have signed is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.csvsafe import csv_text
from broadcast.languages import LANGUAGES
from broadcast.model.time import station_now
from broadcast.schedule.report_model import (
    ChannelCount,
    Emergency,
    MonthCheck,
    Period,
    ReportFigures,
    SegmentTally,
    Tally,
)
from broadcast.schedule.report_settings import ReportSettings
from broadcast.script.model import Topic
from broadcast.store import asrun as store
from broadcast.store.db import Database
from broadcast.store.files import atomic_write_bytes
from broadcast.store.workspace import Workspace

if TYPE_CHECKING:
    from broadcast.publish.departments import DepartmentRow

UNKNOWN_TOPIC = "Nội dung khác (chưa rõ lĩnh vực)"
PUBLICATIONS_HEADING = "Số tin bài đã đăng theo kênh"
# The publication log's channels (broadcast.publish.log.LOG_CHANNELS) as the report names
# them, in the order the report lists them.
PUBLICATION_CHANNELS: tuple[tuple[str, str], ...] = (
    ("loa", "Loa truyền thanh"),
    ("portal", "Trang thông tin điện tử"),
    ("facebook", "Facebook"),
    ("youtube", "YouTube"),
    ("tiktok", "TikTok"),
    ("zalo", "Zalo"),
)


@dataclass(frozen=True)
class Labels:
    """How keys read in a report: topic keys, language codes and zone ids to Vietnamese."""

    zones: Mapping[str, str]
    languages: Mapping[str, str] = field(default_factory=lambda: LANGUAGES)

    def topic(self, key: str) -> str:
        try:
            label = Topic(key).label
        except ValueError:
            return key or UNKNOWN_TOPIC
        return label[0].upper() + label[1:]

    def language(self, code: str) -> str:
        if not code:
            return "Không rõ"
        name = self.languages.get(code, code)
        return name[0].upper() + name[1:]

    def zone(self, zone: str) -> str:
        return self.zones.get(zone, zone)

    @staticmethod
    def month(key: str) -> str:
        year, month = key.split("-")
        return f"Tháng {int(month)}/{year}"


@dataclass(frozen=True)
class ReportFiles:
    folder: Path
    docx: Path
    html: Path
    csv: tuple[Path, ...]
    charts: tuple[Path, ...]
    version: int = 1
    report_id: int = 0
    provisional: bool = False


def _complete(found: Sequence[Tally], keys: Sequence[str]) -> tuple[Tally, ...]:
    """Every expected key (zeros included: a report shows the months nothing was aired),
    then whatever else was aired, in the order found."""
    by_key = {t.key: t for t in found}
    out = [by_key.pop(k, Tally(k, 0, 0.0)) for k in keys]
    return tuple(out + list(by_key.values()))


def check_month(
    month: str, figures: tuple[int, int, float], settings: ReportSettings
) -> MonthCheck:
    plays, segments, seconds = figures
    minutes = seconds / 60
    short = []
    if segments < settings.min_cchc_segments_per_month:
        short.append(f"{segments}/{settings.min_cchc_segments_per_month} bản tin CCHC")
    if plays < settings.min_cchc_plays_per_month:
        short.append(f"{plays}/{settings.min_cchc_plays_per_month} lượt phát")
    if minutes + 1e-9 < settings.min_cchc_minutes_per_month:
        short.append(f"{minutes:.1f}/{settings.min_cchc_minutes_per_month:g} phút")
    return MonthCheck(month, plays, segments, minutes, not short, tuple(short))


def _sum(cells: Iterable[tuple[str, store.CubeCell]]) -> list[Tally]:
    plays: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    for key, cell in cells:
        plays[key] += cell.plays
        seconds[key] += cell.seconds
    return [Tally(k, plays[k], seconds[k]) for k in sorted(plays)]


def compute_figures(
    db: Database,
    period: Period,
    settings: ReportSettings,
    *,
    languages: Sequence[str] = (),
    zones: Sequence[str] = (),
) -> ReportFigures:
    """Every figure of the report from one grouped scan of the plays aired in the period."""
    cube = store.aired_cube(db, period.start, period.end)
    scripts = store.script_info(db, (c.script_id for c in cube if c.script_id is not None))

    def topic(cell: store.CubeCell) -> str:
        return scripts[cell.script_id].topic if cell.script_id in scripts else ""

    ours = [c for c in cube if c.script_id in scripts]
    by_script: dict[int, list[store.CubeCell]] = defaultdict(list)
    for c in ours:
        by_script[c.script_id or 0].append(c)
    segments = []
    for script_id, cells in by_script.items():
        info = scripts[script_id]
        segments.append(
            SegmentTally(
                slug=info.slug,
                title=info.title,
                topic=info.topic,
                languages=tuple(sorted({c.language for c in cells})),
                plays=sum(c.plays for c in cells),
                seconds=sum(c.seconds for c in cells),
                first=min(c.first for c in cells),
                last=max(c.last for c in cells),
            )
        )
    segments.sort(key=lambda s: (s.first, s.slug))
    months = period.months()
    per_month = {m.key: m for m in _sum((c.month, c) for c in ours)}
    cchc_scripts: dict[str, set[int | None]] = defaultdict(set)
    for c in ours:
        cchc_scripts[c.month].add(c.script_id)
    return ReportFigures(
        period=period,
        total=Tally("", sum(c.plays for c in cube), sum(c.seconds for c in cube)),
        by_topic=_complete(_sum((topic(c), c) for c in cube), [t.value for t in Topic]),
        by_language=_complete(_sum((c.language, c) for c in cube), languages),
        by_zone=_complete(_sum((c.zone, c) for c in cube), zones),
        by_month=_complete(_sum((c.month, c) for c in cube), months),
        segments=tuple(segments),
        months=tuple(
            check_month(
                m,
                (
                    per_month[m].plays if m in per_month else 0,
                    len(cchc_scripts.get(m, ())),
                    per_month[m].seconds if m in per_month else 0.0,
                ),
                settings,
            )
            for m in months
        ),
        self_approvals=_self_approvals(db, period),
        emergencies=_emergencies(db, period),
        publications=publication_counts(db, period),
    )


def publication_counts(db: Database, period: Period) -> tuple[ChannelCount, ...]:
    """What the publication log holds for the period, per channel: every known channel
    (zeros too, so the report shows where nothing went out), then any other channel."""
    from broadcast.store.publications import counts_per_channel

    last_day = period.end - dt.timedelta(days=1)  # the period's end is exclusive
    found = counts_per_channel(db, period.start, last_day)
    rows = [ChannelCount(key, label, found.pop(key, 0)) for key, label in PUBLICATION_CHANNELS]
    return tuple(rows + [ChannelCount(key, key, n) for key, n in sorted(found.items())])


def _emergencies(db: Database, period: Period) -> tuple[Emergency, ...]:
    """The period's emergency interrupts, one per item and minute with its zones."""
    from broadcast.store.schedule import interrupts_between

    grouped: dict[tuple[int, str], list[str]] = defaultdict(list)
    first: dict[tuple[int, str], tuple[str, str | None]] = {}
    for event in interrupts_between(db, period.start.isoformat(), period.end.isoformat()):
        key = (event.item_id, event.starts_at[:16])
        grouped[key].append(event.zone)
        first.setdefault(key, (event.title, event.actor))
    return tuple(
        Emergency(key[1], first[key][0], tuple(dict.fromkeys(zones)), first[key][1])
        for key, zones in grouped.items()
    )


def _self_approvals(db: Database, period: Period) -> int:
    """Self-approvals recorded in the period (approvals store UTC; the period is local)."""
    from broadcast.model.schedule import VIETNAM
    from broadcast.store.vetting import self_approval_count

    def utc(day: dt.date) -> str:
        moment = dt.datetime.combine(day, dt.time(), VIETNAM).astimezone(dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S")

    return self_approval_count(db, utc(period.start), utc(period.end))


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with BOM: Excel on a commune's Windows machine then shows the tones right."""
    # Titles and slugs come from articles anyone may send: a cell a spreadsheet would run as
    # a formula is neutralised (broadcast.csvsafe).
    return csv_text(header, rows).encode("utf-8-sig")


def _tally_rows(
    tallies: Sequence[Tally], label: Callable[[str], str]
) -> list[tuple[str, str, int, float]]:
    return [(t.key, label(t.key), t.plays, round(t.minutes, 2)) for t in tallies]


def csv_files(figures: ReportFigures, labels: Labels) -> dict[str, bytes]:
    """File name -> CSV bytes, one file per table of the report."""
    head = ("Số lượt phát", "Thời lượng (phút)")
    return {
        "theo-linh-vuc.csv": _csv(
            ("Mã", "Lĩnh vực", *head), _tally_rows(figures.by_topic, labels.topic)
        ),
        "theo-ngon-ngu.csv": _csv(
            ("Mã", "Ngôn ngữ", *head), _tally_rows(figures.by_language, labels.language)
        ),
        "theo-cum-loa.csv": _csv(
            ("Mã", "Cụm loa", *head), _tally_rows(figures.by_zone, labels.zone)
        ),
        "theo-thang.csv": _csv(
            ("Tháng", "Tên", *head), _tally_rows(figures.by_month, labels.month)
        ),
        "ban-tin.csv": _csv(
            ("Mã", "Bản tin", "Lĩnh vực", "Ngôn ngữ", *head, "Phát lần đầu", "Phát lần cuối"),
            [
                (
                    s.slug,
                    s.title,
                    labels.topic(s.topic),
                    " ".join(s.languages),
                    s.plays,
                    round(s.seconds / 60, 2),
                    s.first,
                    s.last,
                )
                for s in figures.segments
            ],
        ),
        "theo-kenh-dang.csv": _csv(
            ("Mã", "Kênh", "Số tin bài đã đăng"),
            [(c.key, c.label, c.count) for c in figures.publications],
        ),
        "chi-tieu.csv": _csv(
            ("Tháng", "Số bản tin CCHC", "Số lượt phát CCHC", "Thời lượng CCHC (phút)", "Đạt"),
            [
                (
                    m.month,
                    m.cchc_segments,
                    m.cchc_plays,
                    round(m.cchc_minutes, 2),
                    "đạt" if m.met else "không đạt: " + "; ".join(m.shortfalls),
                )
                for m in figures.months
            ],
        ),
    }


def write_report(
    db: Database,
    period: Period,
    settings: ReportSettings,
    *,
    out_root: Path,
    labels: Labels,
    languages: Sequence[str] = (),
    zones: Sequence[str] = (),
    today: dt.date | None = None,
    sections: Mapping[str, str] | None = None,
    made_by: str = "",
    as_of: dt.date | None = None,
    root: Path | None = None,
    departments: Sequence[DepartmentRow] = (),
) -> ReportFiles:
    """Write a NEW version of the period's report: ``out_root/bao-cao-<period>/`` for the
    first, ``bao-cao-<period>-ban-<n>/`` for the next ones; an earlier version is never
    touched. The version (with its narrative ``sections``, drafted from the figures when
    left out) is recorded in the database; its folder appears whole or not at all.

    ``as_of`` (default: today in the station's time zone) decides whether the period has
    ended; if not, the report says its figures are provisional. A folder inside ``root``
    (the workspace) is recorded relative to it, so a restored copy still finds its files."""
    from broadcast.schedule.report_charts import draw_charts
    from broadcast.schedule.report_docx import build_docx
    from broadcast.schedule.report_html import build_html
    from broadcast.schedule.report_narrative import (
        checked_sections,
        draft_sections,
        provisional_note,
    )
    from broadcast.store import reports as report_store

    figures = compute_figures(db, period, settings, languages=languages, zones=zones)
    now = station_now().date()
    printed = today or now
    as_of = as_of or now
    provisional = is_provisional(period, as_of)
    text = draft_sections(figures, settings.unit, labels)
    if sections is not None:
        text.update(checked_sections(sections))
    out_root.mkdir(parents=True, exist_ok=True)

    def folder_for(version: int) -> str:
        base = f"bao-cao-{period.key}" + (f"-ban-{version}" if version > 1 else "")
        name, extra = base, 1
        while (out_root / name).exists():  # a folder made outside this database: kept too
            extra += 1
            name = f"{base}-{extra}"
        folder = out_root / name
        if root is not None and folder.resolve().is_relative_to(root.resolve()):
            return folder.resolve().relative_to(root.resolve()).as_posix()
        return str(folder)

    record = report_store.add_version(
        db,
        period.key,
        report_date=printed.isoformat(),
        provisional=provisional,
        folder_for=folder_for,
        made_by=made_by,
        sections=text,
    )
    final = out_root / Path(record.folder).name
    name = final.name
    staging = Path(tempfile.mkdtemp(dir=out_root, prefix=f".{name}.", suffix=".tmp"))
    try:
        os.chmod(staging, 0o755)
        charts = draw_charts(figures, labels)
        for chart, png in charts.items():
            atomic_write_bytes(staging / "bieu-do" / chart, png)
        tables = csv_files(figures, labels)
        for file_name, data in tables.items():
            atomic_write_bytes(staging / file_name, data)
        docx = build_docx(
            figures,
            settings,
            labels,
            printed,
            sections=text,
            provisional=provisional,
            as_of=as_of,
            departments=departments,
        )
        atomic_write_bytes(staging / f"{name}.docx", docx)
        note = provisional_note(period, as_of) if provisional else ""
        page = build_html(
            figures,
            settings,
            labels,
            [f"bieu-do/{c}" for c in charts],
            sections=text,
            provisional_note=note,
        )
        atomic_write_bytes(staging / f"{name}.html", page.encode("utf-8"))
        os.replace(staging, final)  # a new name: nothing of an earlier version is replaced
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        report_store.remove_version(db, record.id)
        raise
    return ReportFiles(
        folder=final,
        docx=final / f"{name}.docx",
        html=final / f"{name}.html",
        csv=tuple(final / n for n in tables),
        charts=tuple(final / "bieu-do" / c for c in charts),
        version=record.version,
        report_id=record.id,
        provisional=provisional,
    )


def is_provisional(period: Period, as_of: dt.date) -> bool:
    """A period that has not ended on ``as_of`` has figures that will still grow."""
    return as_of < period.end


@dataclass(frozen=True)
class ReportContext:
    """What a report of the workspace is made with: its settings and how keys read."""

    settings: ReportSettings
    labels: Labels
    languages: tuple[str, ...]
    zones: tuple[str, ...]


def report_context(ws: Workspace) -> ReportContext:
    """The station's report settings, zone and language names (shared by CLI and web)."""
    from broadcast.schedule.grid import workspace_grid
    from broadcast.schedule.report_settings import load_report_settings

    station = ws.station
    settings = load_report_settings(ws.root, station)
    grid = workspace_grid(ws)
    names = {code: lang.name for code, lang in station.language_registry().items()}
    labels = Labels(zones={z.id: z.name for z in grid.zones}, languages=names)
    return ReportContext(settings, labels, tuple(station.languages), tuple(grid.zone_ids))


def make_report(
    ws: Workspace,
    period_text: str,
    *,
    out_root: Path | None = None,
    today: dt.date | None = None,
    sections: Mapping[str, str] | None = None,
    made_by: str = "",
    as_of: dt.date | None = None,
) -> ReportFiles:
    """``broadcast report`` and the web page: parse the period, read the station's settings
    and grid, write a new version of the report."""
    from broadcast.publish.departments import department_table
    from broadcast.schedule.period import parse_period

    period = parse_period(period_text)
    context = report_context(ws)
    with ws.open_db() as db:
        return write_report(
            db,
            period,
            context.settings,
            out_root=out_root or ws.out_dir / "reports",
            labels=context.labels,
            languages=context.languages,
            zones=context.zones,
            today=today,
            sections=sections,
            made_by=made_by,
            as_of=as_of,
            root=ws.root,
            departments=department_table(db, period, ws.station, as_of=as_of),
        )
