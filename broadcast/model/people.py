"""People and their roles: the values the store, the stages and the CLI all speak about.

Kept below both the store and the stages (``broadcast.model``) so that the store can return
a ``Person`` and the stages can check a role without either importing the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ANY_LANGUAGE = "*"
"""The language of a per-language role granted for every language (the first admin's)."""


class Role(StrEnum):
    """What a person may do. Stored by value; shown to people by ``label``."""

    ADMIN = "admin"
    PRODUCER = "producer"
    TRANSLATOR = "translator"
    REVIEWER = "reviewer"
    CONTENT_APPROVER = "content_approver"
    SCHEDULER = "scheduler"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def per_language(self) -> bool:
        """Translators and reviewers work in named languages; the others do not."""
        return self in PER_LANGUAGE


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "quản trị",
    Role.PRODUCER: "sản xuất",
    Role.TRANSLATOR: "dịch",
    Role.REVIEWER: "duyệt bản dịch",
    Role.CONTENT_APPROVER: "duyệt nội dung",
    Role.SCHEDULER: "lập lịch",
    Role.VIEWER: "xem",
}

PER_LANGUAGE = frozenset({Role.TRANSLATOR, Role.REVIEWER})


def parse_role(text: str) -> Role:
    """A role from its stored name or its Vietnamese label ('duyệt nội dung')."""
    wanted = text.strip().casefold().replace("-", "_")
    for role in Role:
        if wanted in (role.value, role.label.casefold()):
            return role
    names = ", ".join(f"{r.value} ({r.label})" for r in Role)
    raise ValueError(f"Không có vai trò '{text}'; các vai trò: {names}.")


@dataclass(frozen=True)
class Grant:
    """One role held; ``language`` is a code for per-language roles ('*' for every
    language) and '' for the others."""

    role: Role
    language: str = ""
    # A province role (issue 16): held in every station of the province's database (the
    # province admin, a province reviewer of one language); else held in one station.
    province: bool = False

    @property
    def label(self) -> str:
        scope = ", toàn tỉnh" if self.province else ""
        if not self.role.per_language:
            return f"{self.role.label} (toàn tỉnh)" if self.province else self.role.label
        where = "mọi ngôn ngữ" if self.language == ANY_LANGUAGE else self.language
        return f"{self.role.label} ({where}{scope})"

    def covers(self, role: Role, language: str | None) -> bool:
        if self.role is not role:
            return False
        if not role.per_language or language is None:
            return True
        return self.language in (ANY_LANGUAGE, language)


@dataclass(frozen=True)
class Person:
    """Someone who works in the workspace. ``login`` is what ``--as`` names."""

    id: int
    login: str
    display_name: str
    active: bool = True
    grants: tuple[Grant, ...] = ()
    has_password: bool = False
    # The station the person belongs to; None: a person of the whole province (issue 16).
    station_id: int | None = 1

    @property
    def is_province_admin(self) -> bool:
        """Holds the admin role for the whole province: may add stations and province
        roles."""
        return self.active and any(g.role is Role.ADMIN and g.province for g in self.grants)

    def belongs_to(self, station_id: int) -> bool:
        """A person of that station, or one holding a role there or in the whole province."""
        return self.station_id == station_id or bool(self.grants)

    def has(self, role: Role, language: str | None = None) -> bool:
        """True when the person holds ``role`` (for ``language`` if it is per-language)."""
        return self.active and any(g.covers(role, language) for g in self.grants)

    @property
    def label(self) -> str:
        """How messages name the person: 'Lò Văn A (loa)'."""
        return f"{self.display_name} ({self.login})"

    @property
    def roles_label(self) -> str:
        return ", ".join(g.label for g in self.grants) or "chưa có vai trò"


ALL_GRANTS: tuple[Grant, ...] = tuple(
    Grant(role, ANY_LANGUAGE if role.per_language else "") for role in Role
)
"""Every role, every language: what ``broadcast init`` gives the first admin."""
