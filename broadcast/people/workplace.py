"""Which station a signed-in person works in (issue 16): where a web session starts and
which stations it may switch to.

A login is unique in the whole province, so signing in looks the person up province-wide
(``broadcast.people.login.sign_in``); the session then works in one station at a time, its
*active* station, and every request's connection is pointed at it, so row-level security
shows that station's rows only. The rules live here, not in the web layer, so a second
front end offers the same stations. A SQLite workspace is one station: nothing to choose.
"""

from __future__ import annotations

from broadcast.errors import InputError, NotFound
from broadcast.model.people import Person
from broadcast.model.stations import StationEntry
from broadcast.province.stations import stations_of
from broadcast.store import people as store
from broadcast.store.db import Database
from broadcast.store.workspace import Workspace


def home_station(db: Database, person_id: int, ws: Workspace) -> StationEntry:
    """The station a new session of ``person_id`` starts in: the person's own station, else
    the first they may work in (a province person: the first station by code).

    The person is read province-wide (they may belong to a station other than ``ws``'s);
    ``ws`` is any station's workspace of the database (a SQLite file: its one station)."""
    with db.province_wide():
        person = store.person_by_id(db, person_id)
    if person is None or not person.active:
        raise InputError("Tài khoản này không còn dùng được; hãy nhờ người quản trị.")
    offered = stations_of(db, person, ws)
    for entry in offered:
        if entry.id == person.station_id:
            return entry
    if offered:
        return offered[0]
    raise InputError(
        f"{person.label} chưa có vai trò ở trạm nào; hãy nhờ người quản trị của trạm hoặc của "
        "tỉnh cấp vai trò."
    )


def choose_station(db: Database, person: Person, ws: Workspace, slug: str) -> StationEntry:
    """Station ``slug`` when ``person`` may work there (``stations_of``), else one sentence
    (``NotFound``: for this person there is no such station); an unknown code gets the same
    answer, so the refusal tells nothing about other communes."""
    for entry in stations_of(db, person, ws):
        if entry.slug == slug:
            return entry
    raise NotFound(
        f"{person.label} không làm việc ở trạm '{slug}'; hãy chọn một trạm trong danh sách "
        "hoặc nhờ người quản trị cấp vai trò ở trạm đó."
    )
