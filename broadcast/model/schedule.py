"""Typed values of the planner: campaign items in, planned slots and findings out.

Plain frozen dataclasses with no database handle, so the planner is a pure function that
tests (and hypothesis) can drive with hand-made values, and the store maps rows to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

# Station times are local Vietnam time (UTC+7, no daylight saving); stored without offset.
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


class Priority(StrEnum):
    """Bulletin classes of Thông tư 39/2020/TT-BTTTT: normal, priority (played first),
    emergency (played at once, in the next slot of its zones)."""

    NORMAL = "normal"
    PRIORITY = "priority"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """Lower plays earlier."""
        return {"emergency": 0, "priority": 1, "normal": 2}[self.value]

    @property
    def label(self) -> str:
        return {"emergency": "khẩn cấp", "priority": "ưu tiên", "normal": "thông thường"}[
            self.value
        ]


@dataclass(frozen=True)
class RenderRef:
    """An audio render of the item's script in one language."""

    render_id: int
    language: str
    duration_s: float
    path: str = ""


@dataclass(frozen=True)
class Item:
    """A campaign item: one script on air in some zones between two moments.

    ``starts`` is a moment (midnight for a day; an emergency may start at a given time);
    ``last_day`` is inclusive. ``min_plays_per_week`` counts plays in EACH zone per ISO
    week (Monday to Sunday), pro-rated for weeks the item or the plan only partly covers.
    """

    id: int
    script_id: int
    title: str
    priority: Priority
    starts: dt.datetime
    last_day: dt.date
    min_plays_per_week: int
    zones: tuple[str, ...]
    topic: str | None
    renders: tuple[RenderRef, ...]

    def valid_at(self, moment: dt.datetime) -> bool:
        return self.starts <= moment and moment.date() <= self.last_day


class EntryKind(StrEnum):
    IDENT = "ident"
    ITEM = "item"


class PlannedEntry(NamedTuple):
    """One thing a slot plays; a tuple because a province plans millions of them."""

    kind: EntryKind
    offset_s: float
    duration_s: float
    item_id: int | None = None
    render_id: int | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedSlot:
    zone: str
    grid_slot: str
    starts_at: dt.datetime
    seconds: int
    relay_url: str | None
    entries: tuple[PlannedEntry, ...]

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(seconds=self.seconds)

    @property
    def used_s(self) -> float:
        return max((e.offset_s + e.duration_s for e in self.entries), default=0.0)


class FindingKind(StrEnum):
    OVERBOOKED = "overbooked"
    MISSING_LANGUAGE = "missing-language"
    NO_RENDER = "no-render"
    UNAPPROVED = "unapproved"
    UNKNOWN_ZONE = "unknown-zone"
    TOO_LONG = "too-long"
    MIN_IMPOSSIBLE = "min-impossible"
    MIN_NOT_REACHED = "min-not-reached"
    RULE_UNMET = "rule-unmet"


@dataclass(frozen=True)
class Finding:
    """Something the plan could not satisfy, in one Vietnamese sentence."""

    kind: FindingKind
    day: dt.date
    zone: str
    item_id: int | None
    message: str


@dataclass
class Plan:
    first_day: dt.date
    days: int
    slots: list[PlannedSlot] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=self.days - 1)
