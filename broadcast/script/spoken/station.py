"""The station's spoken-form dictionary: an editor's correction, saved once, read every time.

When the voice reads "HTX" letter by letter or says a place name wrongly, the editor saves
the reading ("HTX" -> "hợp tác xã") here; the spoken form reads it before every shipped
dictionary from the next run on, and the script view marks it "từ điển của đài". The rule
(who may save, what a valid reading is) lives here; the rows in ``broadcast.store``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from broadcast.errors import InputError
from broadcast.model.people import Person, Role
from broadcast.model.spoken import StationReading
from broadcast.people.permissions import require_role
from broadcast.script.glossary import Glossary, load_glossary
from broadcast.store import spoken_forms
from broadcast.store.workspace import Workspace

MAX_WRITTEN = 60
MAX_SPOKEN = 200
EDITOR_ROLES = (Role.PRODUCER, Role.CONTENT_APPROVER)
"""Who may change how the station's voice reads: those who make and vet its scripts."""


def clean_form(text: str, *, what: str, limit: int) -> str:
    """A written or spoken form as stored: NFC, single spaces, checked.

    Values come from people (CLI, later the web form), so each problem gets its sentence:
    empty, too long, control characters (a pasted tab or line break), no letter at all.
    """
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in text):
        raise InputError(
            f"{what.capitalize()} có ký tự điều khiển (xuống dòng, tab...); hãy gõ lại trên "
            "một dòng."
        )
    value = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    if not value:
        raise InputError(f"{what.capitalize()} đang để trống; hãy nhập chữ.")
    if len(value) > limit:
        raise InputError(
            f"{what.capitalize()} dài {len(value)} ký tự, quá giới hạn {limit}; hãy viết ngắn lại."
        )
    if not any(c.isalnum() for c in value):
        raise InputError(f"{what.capitalize()} '{value}' không có chữ hay số nào; hãy nhập lại.")
    return value


def add_reading(
    ws: Workspace, written: str, spoken: str, *, by: Person, now: dt.datetime | None = None
) -> tuple[StationReading, StationReading | None]:
    """Save how the station reads ``written``; the new reading and the one it replaced."""
    require_role(by, EDITOR_ROLES[0], alternatives=EDITOR_ROLES[1:])
    form = clean_form(written, what="cách viết", limit=MAX_WRITTEN)
    reading = clean_form(spoken, what="cách đọc", limit=MAX_SPOKEN)
    if reading == form:
        raise InputError(
            f"Cách đọc giống hệt cách viết '{form}'; hãy nhập cách đọc khác (ví dụ "
            "'HTX' đọc là 'hợp tác xã')."
        )
    saved = StationReading(form, reading, by.login, now or dt.datetime.now(dt.UTC))
    with ws.open_db() as db:
        replaced = spoken_forms.save_reading(db, saved)
    return saved, replaced


def remove_reading(ws: Workspace, written: str, *, by: Person) -> StationReading:
    """Delete the station's reading of ``written``; refused when there is none."""
    require_role(by, EDITOR_ROLES[0], alternatives=EDITOR_ROLES[1:])
    form = clean_form(written, what="cách viết", limit=MAX_WRITTEN)
    with ws.open_db() as db:
        removed = spoken_forms.remove_reading(db, form)
    if removed is None:
        raise InputError(
            f"Từ điển của đài chưa có '{form}'; xem danh sách bằng 'broadcast spoken list'."
        )
    return removed


def list_readings(ws: Workspace) -> list[StationReading]:
    with ws.open_db() as db:
        return spoken_forms.list_readings(db)


def station_glossary(ws: Workspace, base: Glossary | None = None) -> Glossary:
    """The shipped glossary (or ``base``) with the station's readings on top: what every
    script of this workspace is read with."""
    glossary = base if base is not None else load_glossary()
    readings = tuple((r.written, r.spoken) for r in list_readings(ws))
    return glossary.with_station(readings)
