"""People and their roles (migration 9): rows in, ``broadcast.model.people`` values out."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from broadcast.errors import InputError
from broadcast.model.people import Grant, Person, Role
from broadcast.store.db import Connection, Database, Row

_PERSON = (
    "SELECT id, login, display_name, active, password_hash IS NOT NULL, station_id FROM people"
)


def _grants(conn: Connection, person_id: int) -> tuple[Grant, ...]:
    # On a province server row-level security leaves the roles held in this station and the
    # province's; a SQLite file has only its own.
    rows = conn.execute(
        "SELECT role, language, CASE WHEN station_id IS NULL THEN 1 ELSE 0 END"
        " FROM person_roles WHERE person_id = ? ORDER BY rowid",
        (person_id,),
    ).fetchall()
    return tuple(Grant(Role(str(r[0])), str(r[1]), bool(r[2])) for r in rows)


def _person(conn: Connection, row: Row | tuple[object, ...]) -> Person:
    person_id = int(str(row[0]))
    return Person(
        id=person_id,
        login=str(row[1]),
        display_name=str(row[2]),
        active=bool(row[3]),
        grants=_grants(conn, person_id),
        has_password=bool(row[4]),
        station_id=None if row[5] is None else int(str(row[5])),
    )


def count_people(db: Database) -> int:
    return int(db.conn.execute("SELECT COUNT(*) FROM people").fetchone()[0])


def find_person(db: Database, name: str) -> Person | None:
    """By login (case-insensitive), else by exact display name when only one has it."""
    row = db.conn.execute(f"{_PERSON} WHERE lower(login) = lower(?)", (name,)).fetchone()
    if row is None:
        rows = db.conn.execute(f"{_PERSON} WHERE display_name = ?", (name,)).fetchall()
        row = rows[0] if len(rows) == 1 else None
    return None if row is None else _person(db.conn, row)


def person_by_id(db: Database, person_id: int) -> Person | None:
    """By id: what a web session remembers (a login can be renamed, an id cannot)."""
    row = db.conn.execute(f"{_PERSON} WHERE id = ?", (person_id,)).fetchone()
    return None if row is None else _person(db.conn, row)


def list_people(db: Database) -> list[Person]:
    rows = db.conn.execute(f"{_PERSON} ORDER BY id").fetchall()
    return [_person(db.conn, r) for r in rows]


def first_admin(db: Database) -> Person | None:
    """The workspace's default person: the earliest active admin."""
    row = db.conn.execute(
        f"{_PERSON} WHERE active = 1 AND id IN"
        " (SELECT person_id FROM person_roles WHERE role = 'admin')"
        # the station's own admin before the province's
        " ORDER BY CASE WHEN station_id IS NULL THEN 1 ELSE 0 END, id LIMIT 1"
    ).fetchone()
    return None if row is None else _person(db.conn, row)


def add_person(
    db: Database,
    login: str,
    display_name: str,
    grants: Iterable[Grant],
    *,
    by: str,
    password_hash: str | None = None,
    province: bool = False,
) -> Person:
    """Insert a person and their roles in one transaction; a taken login is refused inside
    it (the UNIQUE constraint decides, not a check before the insert). ``province``: a
    person of the whole province rather than of the connection's station.

    Logins are unique in the whole database: on a province server the login may belong to
    a person of another commune, whom this station cannot see."""
    with db.transaction() as conn:
        try:
            person_id = int(
                conn.execute(
                    "INSERT INTO people (login, display_name, password_hash, created_by,"
                    " station_id) VALUES (?,?,?,?,?) RETURNING id",
                    (login, display_name, password_hash, by, None if province else db.station_id),
                ).fetchone()[0]
            )
        except sqlite3.IntegrityError:
            raise InputError(
                f"Đã có người dùng '{login}' (ở trạm này hoặc một trạm khác của tỉnh); chọn "
                "tên đăng nhập khác (xem 'broadcast user list')."
            ) from None
        for grant in grants:
            _insert_grant(conn, person_id, grant, by, db.station_id)
        row = conn.execute(f"{_PERSON} WHERE id = ?", (person_id,)).fetchone()
        return _person(conn, row)


def grant_role(db: Database, person_id: int, grant: Grant, *, by: str) -> bool:
    """Give a role; False when the person already held it."""
    with db.transaction() as conn:
        return _insert_grant(conn, person_id, grant, by, db.station_id)


def revoke_role(db: Database, person_id: int, grant: Grant) -> bool:
    """Take a role back; refuses to leave the workspace without an active admin."""
    with db.transaction() as conn:
        removed = conn.execute(
            "DELETE FROM person_roles WHERE person_id = ? AND role = ? AND language = ?"
            " AND coalesce(station_id, 0) = ?",
            (person_id, grant.role.value, grant.language, 0 if grant.province else db.station_id),
        ).rowcount
        if grant.role is Role.ADMIN and removed:
            # The station keeps an admin of its own (a province admin is not counted: the
            # province's people are not the station's to manage).
            left = conn.execute(
                "SELECT COUNT(*) FROM person_roles r JOIN people p ON p.id = r.person_id"
                " WHERE r.role = 'admin' AND p.active = 1 AND r.station_id IS NOT NULL"
            ).fetchone()[0]
            if not left:
                raise InputError(
                    "Không thể bỏ vai trò quản trị của người quản trị cuối cùng; hãy cấp vai "
                    "trò quản trị cho người khác trước."
                )
        return bool(removed)


def set_password_hash(db: Database, person_id: int, password_hash: str) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE people SET password_hash = ? WHERE id = ?", (password_hash, person_id))


def password_hash(db: Database, person_id: int) -> str | None:
    row = db.conn.execute("SELECT password_hash FROM people WHERE id = ?", (person_id,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def _insert_grant(conn: Connection, person_id: int, grant: Grant, by: str, station_id: int) -> bool:
    """A role in ``station_id``, or in the whole province (NULL) for a province grant."""
    return bool(
        conn.execute(
            "INSERT INTO person_roles (person_id, role, language, granted_by, station_id)"
            " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
            (
                person_id,
                grant.role.value,
                grant.language,
                by,
                None if grant.province else station_id,
            ),
        ).rowcount
    )
