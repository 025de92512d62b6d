"""Values of the report stage: figures counted from the as-run log for one period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    """A reporting period: [start, end) in local days, with its Vietnamese name."""

    key: str  # "2026-Q1", "2026-H1", "2026"
    start: dt.date
    end: dt.date  # exclusive
    label: str  # "quý I năm 2026"

    def months(self) -> list[str]:
        """'YYYY-MM' of every month of the period, in order (months without plays too)."""
        out = []
        year, month = self.start.year, self.start.month
        while dt.date(year, month, 1) < self.end:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


@dataclass(frozen=True)
class Tally:
    """Plays and aired seconds under one key (a topic, a language, a zone or a month)."""

    key: str
    plays: int
    seconds: float

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass(frozen=True)
class SegmentTally:
    """One script as aired in the period, over all its languages and zones."""

    slug: str
    title: str
    topic: str
    languages: tuple[str, ...]
    plays: int
    seconds: float
    first: str
    last: str


@dataclass(frozen=True)
class MonthCheck:
    """A month's CCHC figures against the station's targets."""

    month: str
    cchc_plays: int
    cchc_segments: int
    cchc_minutes: float
    met: bool
    shortfalls: tuple[str, ...]


@dataclass(frozen=True)
class Emergency:
    """One emergency broadcast of the period: when, what, where, who started it."""

    starts_at: str  # station-local ISO minute
    title: str
    zones: tuple[str, ...]
    actor: str | None = None


@dataclass(frozen=True)
class ChannelCount:
    """Items recorded as published on one channel in the period (the publication log)."""

    key: str  # publish.log channel: loa, portal, facebook, youtube, tiktok, zalo
    label: str  # "Trang thông tin điện tử"
    count: int


@dataclass(frozen=True)
class ReportFigures:
    period: Period
    total: Tally
    by_topic: tuple[Tally, ...]
    by_language: tuple[Tally, ...]
    by_zone: tuple[Tally, ...]
    by_month: tuple[Tally, ...]
    segments: tuple[SegmentTally, ...]
    months: tuple[MonthCheck, ...]
    # Approvals in the period by the person who last edited the text ([review] four_eyes =
    # false, a station of one person): counted so the report says so.
    self_approvals: int = 0
    # Emergency interrupts started in the period (`schedule add --now`, Phát khẩn cấp): an
    # administrative report accounts for them even when the loudspeaker log does not.
    emergencies: tuple[Emergency, ...] = ()
    # Items recorded in the publication log in the period, per channel (issue 14, item 6):
    # every channel in PUBLICATION_CHANNELS' order, zeros included.
    publications: tuple[ChannelCount, ...] = ()
