"""Values of the as-run stage: what was planned, what was aired, and how they differ.

Kept apart from the parsing and the SQL so that both the store (which builds them from rows)
and the reconciliation (which compares them) use the same types and neither imports the
other. Times are the station's local wall-clock time without an offset, like the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class PlayStatus(StrEnum):
    """What the loudspeaker system says happened to one item."""

    PLAYED = "played"
    PARTIAL = "partial"  # started but cut (slot end, power cut, operator)
    MISSED = "missed"  # due but not played

    @property
    def label(self) -> str:
        return {"played": "đã phát", "partial": "phát dở", "missed": "không phát"}[self.value]

    @property
    def aired(self) -> bool:
        """Partial plays were heard and count in reports; missed ones were not."""
        return self is not PlayStatus.MISSED


@dataclass(frozen=True)
class PlannedPlay:
    """One item entry of a stored plan (the plan helper's ``planned_plays`` view)."""

    zone: str
    slot_start: dt.datetime
    position: int
    render_id: int
    script_slug: str
    language: str
    planned_start: dt.datetime
    duration_s: float
    item_id: int | None = None
    script_id: int | None = None
    script_title: str = ""  # what people call it (the slug is the name commands take)
    number: int = 0  # 1, 2, ... in its slot, as ``asrun confirm --item`` counts (0: unknown)


@dataclass(frozen=True)
class NewPlay:
    """A play read from an as-run file or typed by hand, resolved to our renders."""

    zone: str
    started_at: dt.datetime
    duration_s: float
    status: PlayStatus
    item_key: str  # "r<render id>" or "f<path>": the uniqueness key with zone and start
    render_id: int | None = None
    script_id: int | None = None
    language: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Play:
    """A play stored in the as-run log."""

    id: int
    zone: str
    started_at: dt.datetime
    duration_s: float
    status: PlayStatus
    render_id: int | None
    script_slug: str | None
    language: str | None
    path: str | None
    origin: str
    script_title: str | None = None


class Deviation(StrEnum):
    MISSED = "missed"
    LATE = "late"
    EXTRA = "extra"

    @property
    def label(self) -> str:
        return {"missed": "không phát", "late": "phát muộn", "extra": "ngoài kế hoạch"}[self.value]


@dataclass(frozen=True)
class Difference:
    """One way the air differed from the plan; ``delay_s`` is set for late plays."""

    kind: Deviation
    zone: str
    when: dt.datetime
    planned: PlannedPlay | None
    actual: Play | None
    delay_s: float | None = None


@dataclass(frozen=True)
class DayZone:
    """Plan against air for one day in one zone: what a scheduler checks each morning."""

    day: dt.date
    zone: str
    planned: int = 0
    on_time: int = 0
    late: int = 0
    missed: int = 0
    extra: int = 0


@dataclass(frozen=True)
class Reconciliation:
    planned: int
    aired: int
    on_time: int
    differences: tuple[Difference, ...]
    days: tuple[DayZone, ...] = ()  # per day and zone, in day then zone order

    def of_kind(self, kind: Deviation) -> list[Difference]:
        return [d for d in self.differences if d.kind is kind]


@dataclass(frozen=True)
class ImportResult:
    source: str
    format: str
    rows: int
    added: int
    duplicates: int
    already_imported: bool = False
