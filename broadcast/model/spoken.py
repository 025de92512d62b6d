"""What the script stage changed on the way to air, and the station's own readings.

Plain values, below the store and the stages: the script view (CLI and, in issue 12, the web
workspace) marks the same records, and the store persists the station's readings without
importing the spoken-form code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class RewriteKind(StrEnum):
    """Why the voice does not say what is written; the value is what tools read in JSON."""

    ACRONYM = "acronym"
    NUMBER = "number"
    DATE = "date"
    PHONE = "phone"
    ADDRESS = "address"
    DOCUMENT = "document"
    SYMBOL = "symbol"
    DROPPED = "dropped"
    SPLIT = "split"
    RADIO = "radio"


@dataclass(frozen=True)
class Rewrite:
    """One change an editor may want to check: ``written`` became ``spoken`` because of
    ``reason`` (one short Vietnamese phrase). ``spoken`` is empty for something dropped."""

    kind: RewriteKind
    written: str
    spoken: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind.value,
            "written": self.written,
            "spoken": self.spoken,
            "reason": self.reason,
        }


STATION_REASON = "từ điển của đài"
"""The reason every reading saved by the station's editors carries in the script view."""


@dataclass(frozen=True)
class StationReading:
    """An editor's correction saved for the station: ``written`` is always read ``spoken``."""

    written: str
    spoken: str
    saved_by: str
    saved_at: dt.datetime

    def as_json(self) -> dict[str, str]:
        return {
            "written": self.written,
            "spoken": self.spoken,
            "saved_by": self.saved_by,
            "saved_at": self.saved_at.isoformat(timespec="seconds"),
        }
