"""Where renders are planned: the slots of the stored plan that play each render.

For the web workspace's *Thành phẩm* (and anyone who asks "when does this go on air?"): read
from the stored plan (``schedule plan`` writes it), from today on, so a render's past plays
are the as-run log's business, not this list's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from broadcast.model.time import station_now
from broadcast.store import schedule as store
from broadcast.store.workspace import Workspace


@dataclass(frozen=True)
class PlannedPlay:
    """One planned play of a render: the zone, the slot's start and its grid name."""

    render_id: int
    zone: str
    starts_at: dt.datetime  # station time, naive (as the plan stores it)
    grid_slot: str

    @property
    def label(self) -> str:
        return f"{self.starts_at:%d/%m %H:%M} · {self.zone}"


def planned_plays(
    ws: Workspace, *, today: dt.date | None = None, days: int = 14
) -> dict[int, list[PlannedPlay]]:
    """Render id -> its planned plays from ``today`` for ``days`` days, in time order."""
    first = today or station_now().date()
    last = first + dt.timedelta(days=days - 1)
    found: dict[int, list[PlannedPlay]] = {}
    with ws.open_db() as db:
        slots = store.load_plan(db, first, last)
    for slot in slots:
        for entry in slot.entries:
            if entry.render_id is None:
                continue
            start = slot.starts_at + dt.timedelta(seconds=entry.offset_s)
            found.setdefault(int(entry.render_id), []).append(
                PlannedPlay(int(entry.render_id), slot.zone, start, slot.grid_slot)
            )
    return found
