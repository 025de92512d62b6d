"""The station's next broadcast slot, from the weekly slots of station.toml."""

from __future__ import annotations

import datetime as dt

from broadcast.errors import WorkspaceError
from broadcast.store.station import Slot, Station


def next_slot(station: Station, after: dt.datetime) -> tuple[dt.datetime, Slot]:
    """The earliest slot start strictly after ``after``, with the slot it belongs to."""
    if not station.slots:
        raise WorkspaceError("station.toml không có khung giờ phát nào ([[slots]]).")
    local = [slot for slot in station.slots if slot.kind != "relay"]
    if not local:
        raise WorkspaceError(
            "station.toml chỉ có khung giờ tiếp sóng, không có khung giờ phát tại chỗ."
        )
    starts = [(slot.occurrences_after(after), slot) for slot in local]
    return min(starts, key=lambda item: item[0])
