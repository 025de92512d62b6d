"""Which person a command acts as: ``--as LOGIN``, else ``$BROADCAST_USER``, else the
station's ``[people] default``, else the workspace's first admin.

Every change in the audit trail names that person (their login) and the role they used,
so the answer must be one person known to the workspace, never a free-text name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from broadcast.errors import InputError
from broadcast.model.people import Person
from broadcast.people.accounts import check_login, create_first_admin, find_person
from broadcast.store import people as store
from broadcast.store.db import Database
from broadcast.store.naming import slugify

ENV_VAR = "BROADCAST_USER"


@dataclass(frozen=True)
class Acting:
    person: Person
    source: str  # where the name came from, for messages: '--as', 'BROADCAST_USER', …
    created: bool = False  # the first admin was made just now (workspace older than accounts)


def resolve_person(
    db: Database,
    explicit: str | None,
    *,
    station_default: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Acting:
    """The acting person; an unknown name is one Vietnamese error saying how to add it.

    A workspace made before accounts existed has nobody yet: its first command makes the
    named person (or the system user) its first admin, and says so, as ``init`` would have.
    """
    env = os.environ if environ is None else environ
    named = [
        (explicit, "--as"),
        (env.get(ENV_VAR), ENV_VAR),
        (station_default, "[people] default"),
    ]
    chosen = next(((n.strip(), src) for n, src in named if n and n.strip()), None)
    if not store.count_people(db):
        name = chosen[0] if chosen else (env.get("USER") or env.get("LOGNAME") or "quantri")
        try:
            login = check_login(name)
        except InputError:
            login = slugify(name).replace("-", ".")
        person = create_first_admin(db, login, name)
        return Acting(person, chosen[1] if chosen else "USER", created=True)
    if chosen is not None:
        return Acting(member(db, find_person(db, chosen[0])), chosen[1])
    admin = store.first_admin(db)
    if admin is None:
        raise InputError(
            "Không gian làm việc không còn người quản trị nào đang hoạt động; hãy chỉ rõ người "
            f"thực hiện bằng --as TÊN hoặc biến môi trường {ENV_VAR}."
        )
    return Acting(admin, "quản trị đầu tiên")


def member(db: Database, person: Person) -> Person:
    """``person``, refused unless they belong to the connection's station (a person of
    another commune is not even visible on a province server; a province person needs a
    role here). A SQLite file is one station: everyone in it belongs."""
    if person.belongs_to(db.station_id):
        return person
    raise InputError(
        f"{person.label} không có vai trò nào ở trạm này; người quản trị của trạm cấp vai trò "
        f"bằng 'broadcast user grant {person.login} VAI_TRÒ'."
    )
