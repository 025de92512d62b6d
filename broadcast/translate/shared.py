"""Whose memory and term base a write goes to (issue 16, item 3).

On a province server the translation memory and the term base have two layers: the
province's (``station_id`` NULL, read by every station) and each station's own additions
and overrides. Approvals write to the province's layer when the station shares (see
``memory.add``); imports and term edits write to the station's own layer, or, when asked
(``--toan-tinh``) by a holder of a province role, to the province's. A SQLite file is one
station: its entries are its own and there is no province to write to.
"""

from __future__ import annotations

from collections.abc import Iterable

from broadcast.errors import InputError
from broadcast.model.people import Person, Role
from broadcast.store.db import Database
from broadcast.store.tm import Scope

# The roles whose province-wide holders may write the province's memory and term base.
_WRITERS = (Role.TRANSLATOR, Role.REVIEWER)


def may_write_province(person: Person, language: str | None) -> bool:
    """A province admin, or a province translator or reviewer of ``language``."""
    if not person.active:
        return False
    return any(
        g.province and (g.role is Role.ADMIN or (g.role in _WRITERS and g.covers(g.role, language)))
        for g in person.grants
    )


def write_scope(
    db: Database, by: Person | None, *, province: bool, languages: Iterable[str] = ()
) -> Scope:
    """The layer a write by ``by`` goes to: the station's own, or (``province``) the
    province's, refused with one sentence on a SQLite station or without a province role
    for every language written."""
    login = by.login if by is not None else ""
    if not province:
        return Scope(station_id=db.station_id, from_station=db.station_id, created_by=login)
    if db.dialect == "sqlite":
        raise InputError(
            "Bộ nhớ dịch và bảng thuật ngữ chung của tỉnh chỉ có trên máy chủ của tỉnh "
            "(PostgreSQL); ở một trạm, hãy bỏ --toan-tinh."
        )
    if by is None:
        raise InputError("Cần biết ai ghi vào bộ nhớ dịch và bảng thuật ngữ chung của tỉnh.")
    codes: list[str | None] = [*sorted(set(languages))] or [None]
    missing = [code for code in codes if not may_write_province(by, code)]
    if missing:
        which = f" tiếng {', '.join(map(str, missing))}" if missing != [None] else ""
        raise InputError(
            f"{by.label} không có vai trò toàn tỉnh (người dịch hoặc người duyệt bản dịch"
            f"{which}) nên không ghi được vào phần chung của tỉnh; bỏ --toan-tinh để ghi cho "
            "trạm mình, hoặc nhờ người quản trị tỉnh cấp vai trò kèm --toan-tinh."
        )
    return Scope(station_id=None, from_station=db.station_id, created_by=login)
