"""What the *Báo cáo* page shows of a period: the figures as the .docx writes them, bars for
the charts, the narrative to edit (the newest version's, else the drafts) and the versions.

Kept beside the other report modules so the page holds no rule: the numbers on the page
are formatted by the same functions as the document's tables, so what the head of the
Center reads on screen is what the signed report says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcast.model.time import station_now
from broadcast.schedule.period import parse_period
from broadcast.schedule.report import compute_figures, is_provisional, report_context
from broadcast.schedule.report_docx import emergency_sentence, month_rows
from broadcast.schedule.report_model import Period, ReportFigures, Tally
from broadcast.schedule.report_narrative import (
    SECTIONS,
    draft_sections,
    provisional_note,
    vn_int,
    vn_minutes,
)
from broadcast.store import reports as report_store
from broadcast.store.reports import ReportVersion
from broadcast.store.workspace import Workspace


@dataclass(frozen=True)
class Row:
    """One line of a figures table, with its bar's share of the largest value (0..100)."""

    name: str
    plays: str
    minutes: str
    bar: float


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    column: str  # the name column's heading, as in the .docx
    rows: tuple[Row, ...]
    total: Row


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class ReportView:
    period: Period
    provisional: bool
    provisional_note: str
    summary: str  # the figures' paragraph
    tables: tuple[Table, ...]
    months: tuple[tuple[str, str, str, str, str], ...]  # the targets table, as in the .docx
    sections: tuple[Section, ...]
    versions: tuple[ReportVersion, ...]
    from_version: int  # the version the sections were taken from; 0 = drafts
    emergencies: str = ""  # the emergency broadcasts sentence, as in the .docx
    # (channel name, count) from the publication log, as the .docx's table
    publications: tuple[tuple[str, str], ...] = ()


def _table(
    key: str,
    title: str,
    column: str,
    tallies: Sequence[Tally],
    label: Callable[[str], str],
    total: Tally,
    by: str,
) -> Table:
    def value(t: Tally) -> float:
        return float(t.plays) if by == "plays" else t.seconds

    top = max((value(t) for t in tallies), default=0.0) or 1.0
    rows = tuple(
        Row(label(t.key), vn_int(t.plays), vn_minutes(t.seconds), round(100 * value(t) / top, 1))
        for t in tallies
    )
    return Table(
        key,
        title,
        column,
        rows,
        Row("Tổng cộng", vn_int(total.plays), vn_minutes(total.seconds), 100.0),
    )


def report_view(ws: Workspace, period_text: str, *, as_of: dt.date | None = None) -> ReportView:
    """Everything the page shows for a period (bad period text -> InputError)."""
    period = parse_period(period_text)
    context = report_context(ws)
    as_of = as_of or station_now().date()
    with ws.open_db() as db:
        figures: ReportFigures = compute_figures(
            db, period, context.settings, languages=context.languages, zones=context.zones
        )
        versions = tuple(report_store.versions(db, period.key))
    labels, total = context.labels, figures.total
    drafts = draft_sections(figures, context.settings.unit, labels)
    latest = versions[0] if versions else None
    texts = dict(latest.sections) if latest else drafts
    tables = (
        _table("thang", "Theo tháng", "Tháng", figures.by_month, labels.month, total, "plays"),
        _table(
            "linh-vuc",
            "Theo lĩnh vực cải cách hành chính",
            "Lĩnh vực",
            figures.by_topic,
            labels.topic,
            total,
            "seconds",
        ),
        _table(
            "ngon-ngu",
            "Theo ngôn ngữ phát",
            "Ngôn ngữ",
            figures.by_language,
            labels.language,
            total,
            "seconds",
        ),
        _table("cum-loa", "Theo cụm loa", "Cụm loa", figures.by_zone, labels.zone, total, "plays"),
    )
    months = tuple(month_rows(figures, labels))
    provisional = is_provisional(period, as_of)
    return ReportView(
        period=period,
        provisional=provisional,
        provisional_note=provisional_note(period, as_of) if provisional else "",
        summary=drafts["ket_qua"],
        tables=tables,
        months=months,
        sections=tuple(Section(k, label, texts.get(k, "")) for k, _, label in SECTIONS),
        versions=versions,
        from_version=latest.version if latest else 0,
        emergencies=emergency_sentence(figures.emergencies) if figures.emergencies else "",
        publications=tuple((c.label, vn_int(c.count)) for c in figures.publications),
    )


def version_docx(ws: Workspace, report_id: int) -> Path | None:
    """The .docx of a saved version, or None when there is no such version or file."""
    with ws.open_db() as db:
        version = report_store.get_version(db, report_id)
    if version is None:
        return None
    folder = ws.root / version.folder  # relative to the workspace, or absolute (--out)
    docx = folder / f"{folder.name}.docx"
    return docx if docx.is_file() else None
