"""What travels on ``ctx.obj``: the workspace is found lazily, once, per invocation, and
so is the person the command acts as (``--as``, ``BROADCAST_USER`` or the default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from broadcast.model.people import Person, Role
from broadcast.store.workspace import Workspace, find_workspace, sweep_leftovers


@dataclass
class AppContext:
    workspace_option: Path | None = None
    as_option: str | None = None
    _workspace: Workspace | None = field(default=None, repr=False)
    _person: Person | None = field(default=None, repr=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = find_workspace(self.workspace_option)
            sweep_leftovers(self._workspace)  # what killed runs left: see the function
        return self._workspace

    @property
    def person(self) -> Person:
        """The acting person, resolved once; a workspace older than accounts gets its first
        admin here (said on stderr)."""
        if self._person is None:
            from broadcast.people.acting import resolve_person

            ws = self.workspace
            people = ws.station.raw.get("people", {})
            default = people.get("default") if isinstance(people, dict) else None
            with ws.open_db() as db:
                acting = resolve_person(
                    db,
                    self.as_option,
                    station_default=default if isinstance(default, str) else None,
                )
            if acting.created:
                click.echo(
                    f"Không gian làm việc chưa có người dùng: đã tạo người quản trị đầu tiên "
                    f"'{acting.person.login}' (giữ mọi vai trò).",
                    err=True,
                )
            self._person = acting.person
        return self._person

    def acting_as(self, login: str | None) -> Person:
        """The person named by a command's own (older) ``--by`` option, else the acting one."""
        if login is not None and login.strip():
            self.as_option = login
            self._person = None
        return self.person

    def require(
        self, role: Role, language: str | None = None, *, alternatives: tuple[Role, ...] = ()
    ) -> Person:
        """The acting person, refused (one Vietnamese sentence naming the missing role and
        how an admin grants it) unless they hold ``role``: commands that change things call
        this first, so a viewer changes nothing."""
        from broadcast.people.permissions import require_role

        person = self.person
        require_role(person, role, language, alternatives=alternatives)
        return person
