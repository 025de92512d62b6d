"""Times as the station reads them: the database stores UTC (``2026-03-02T01:05:00Z``) so that
rows written anywhere compare correctly; a commune user reads Vietnam time (Asia/Ho_Chi_Minh,
UTC+7 all year, no daylight saving), so every time printed goes through ``local``."""

from __future__ import annotations

import datetime as dt

# Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 1975; a fixed offset needs no
# tzdata package on the commune's Windows machine. One definition, beside the planner's.
from broadcast.model.schedule import VIETNAM

__all__ = ["VIETNAM", "local", "local_moment", "station_now"]


def local_moment(stamp: str | dt.datetime) -> dt.datetime | None:
    """A stored time as an aware datetime in Vietnam time (a naive value is taken as UTC)."""
    if isinstance(stamp, dt.datetime):
        moment = stamp
    else:
        try:
            moment = dt.datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VIETNAM)


def local(stamp: str | dt.datetime | None) -> str:
    """'2026-03-02T01:05:00Z' -> '2026-03-02 08:05 +07:00'; text that is not a time is
    returned unchanged (an old row's free text must still print)."""
    if stamp is None or stamp == "":
        return ""
    moment = local_moment(stamp)
    if moment is None:
        return str(stamp)
    return moment.strftime("%Y-%m-%d %H:%M +07:00")


def station_now() -> dt.datetime:
    """The station's wall-clock time now, naive, as the plan stores it: the machine may run
    on UTC (a province server usually does), and an emergency "now" or a segment's date
    must be the commune's, not the server's."""
    return dt.datetime.now(VIETNAM).replace(tzinfo=None, microsecond=0)
