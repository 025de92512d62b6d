"""People and their roles: adding, listing, granting, revoking, passwords.

Only an admin (quản trị) manages accounts, except that anyone may set their own password.
The first admin is made by ``broadcast init`` (or, for a workspace made before accounts
existed, by the first command run in it: see ``broadcast.people.acting``).
"""

from __future__ import annotations

from collections.abc import Iterable

from broadcast.errors import InputError
from broadcast.model.people import ALL_GRANTS, ANY_LANGUAGE, Grant, Person, Role, parse_role
from broadcast.people.passwords import hash_password
from broadcast.people.permissions import require_role
from broadcast.store import people as store
from broadcast.store.db import Database
from broadcast.store.naming import slugify

_LOGIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


def check_login(login: str) -> str:
    """A login is short and plain (a-z, digits, . _ -) so it can be typed after --as."""
    clean = login.strip()
    if not clean or len(clean) > 64 or not set(clean.lower()) <= _LOGIN_CHARS:
        raise InputError(
            f"Tên đăng nhập '{login}' không hợp lệ: chỉ dùng chữ không dấu, số và . _ - "
            "(tối đa 64 ký tự), vd. 'lo.van.a'; tên đầy đủ có dấu đặt bằng --name."
        )
    return clean


def _valid_login(login: str) -> bool:
    try:
        check_login(login)
    except InputError:
        return False
    return True


def parse_grant(role_text: str, language: str | None) -> Grant:
    """A role as typed by a person ('reviewer', 'duyệt bản dịch') with its language."""
    try:
        role = parse_role(role_text)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if role.per_language:
        if not language or not language.strip():
            raise InputError(
                f"Vai trò '{role.label}' làm theo từng ngôn ngữ: thêm --lang MÃ (vd. --lang blt, "
                f"hoặc --lang '{ANY_LANGUAGE}' cho mọi ngôn ngữ)."
            )
        return Grant(role, language.strip().lower())
    if language:
        raise InputError(f"Vai trò '{role.label}' không theo ngôn ngữ; bỏ --lang.")
    return Grant(role)


def create_first_admin(db: Database, login: str, display_name: str | None = None) -> Person:
    """The workspace's first person, holding every role in every language.

    On a province server the very first person of the database is the province admin: the
    roles are held in every station, so that person can add the other stations."""
    login = check_login(login)
    if store.count_people(db):
        raise InputError(
            "Không gian làm việc đã có người dùng; thêm người bằng 'broadcast user add'."
        )
    grants = ALL_GRANTS
    province = False
    if db.dialect != "sqlite":
        with db.province_wide():
            province = not store.count_people(db)
    if province:
        # A person of the whole province (seen by every station), admin of the province and
        # of this first station.
        grants = (*grants, Grant(Role.ADMIN, province=True))
    return store.add_person(
        db, login, (display_name or login).strip(), grants, by=login, province=province
    )


def _check_province(db: Database, actor: Person, grants: Iterable[Grant]) -> None:
    """Province roles exist on a province server and are given by the province admin."""
    if not any(g.province for g in grants):
        return
    if db.dialect == "sqlite":
        raise InputError(
            "Vai trò toàn tỉnh chỉ có trên máy chủ của tỉnh (PostgreSQL); ở một trạm, hãy cấp "
            "vai trò không kèm --toan-tinh."
        )
    if not actor.is_province_admin:
        raise InputError(
            f"{actor.label} không phải người quản trị của tỉnh nên không cấp được vai trò toàn "
            "tỉnh; hãy nhờ người quản trị tỉnh."
        )


def add_person(
    db: Database,
    actor: Person,
    login: str,
    display_name: str,
    grants: Iterable[Grant],
    *,
    password: str | None = None,
) -> Person:
    require_role(actor, Role.ADMIN)
    login = check_login(login)
    if not display_name.strip():
        raise InputError("Hãy ghi tên đầy đủ của người dùng (--name).")
    grants = tuple(grants)
    _check_province(db, actor, grants)
    digest = hash_password(password) if password is not None else None
    return store.add_person(
        db,
        login,
        display_name.strip(),
        grants,
        by=actor.login,
        password_hash=digest,
        province=bool(grants) and all(g.province for g in grants),
    )


def find_person(db: Database, name: str) -> Person:
    """A person by login (or unique display name); an unknown name is refused saying how
    to add one."""
    person = store.find_person(db, name.strip())
    if person is None:
        known = ", ".join(p.login for p in store.list_people(db)) or "chưa có ai"
        login = name.strip() if _valid_login(name) else slugify(name).replace("-", ".")
        display = name.strip() if login != name.strip() else "Họ tên"
        raise InputError(
            f"Không có người dùng '{name}' trong không gian làm việc (đang có: {known}); "
            f'người quản trị thêm bằng \'broadcast user add {login} --name "{display}" '
            "--role VAI_TRÒ'."
        )
    return person


def list_people(db: Database) -> list[Person]:
    return store.list_people(db)


def grant(db: Database, actor: Person, login: str, new: Grant) -> bool:
    """Give ``login`` a role; False when already held."""
    require_role(actor, Role.ADMIN)
    _check_province(db, actor, (new,))
    return store.grant_role(db, find_person(db, login).id, new, by=actor.login)


def revoke(db: Database, actor: Person, login: str, old: Grant) -> bool:
    """Take a role back; False when the person did not hold it."""
    require_role(actor, Role.ADMIN)
    _check_province(db, actor, (old,))
    return store.revoke_role(db, find_person(db, login).id, old)


def set_password(db: Database, actor: Person, login: str, password: str) -> Person:
    """Set a person's password (their own, or anyone's for an admin), stored as argon2."""
    person = find_person(db, login)
    if person.id != actor.id:
        require_role(actor, Role.ADMIN)
        # A station's admin manages the station's people only: a person of the whole province
        # (the province admin) would otherwise be taken over by a password a station chose.
        if person.station_id is None and not actor.is_province_admin:
            raise InputError(
                f"{person.label} là người dùng của cả tỉnh nên chỉ người quản trị tỉnh (hoặc "
                "chính người đó) đặt được mật khẩu."
            )
    if person.station_id is not None and person.station_id != db.station_id:
        # Seen here through a province role; the row belongs to (and is written by) the
        # person's own station.
        raise InputError(
            f"{person.label} là người của một trạm khác; hãy đặt mật khẩu trong thư mục của "
            "trạm đó."
        )
    store.set_password_hash(db, person.id, hash_password(password))
    return find_person(db, login)
