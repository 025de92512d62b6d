"""Role checks: a command that changes something refuses a person without the role, in one
Vietnamese sentence naming the missing role and who can grant it."""

from __future__ import annotations

from collections.abc import Sequence

from broadcast.errors import InputError
from broadcast.model.people import Person, Role


def require_role(
    person: Person,
    role: Role,
    language: str | None = None,
    *,
    alternatives: Sequence[Role] = (),
) -> None:
    """Raise InputError unless ``person`` holds ``role`` (for ``language`` when the role is
    per-language) or one of ``alternatives``."""
    if not person.active:
        raise InputError(
            f"Tài khoản {person.label} đã bị khóa nên không làm được việc này; hãy nhờ người "
            "quản trị mở lại."
        )
    if person.has(role, language) or any(person.has(r, language) for r in alternatives):
        return
    where = f" tiếng {language}" if language and role.per_language else ""
    grant = f"broadcast user grant {person.login} {role.value}"
    if language and role.per_language:
        grant += f" --lang {language}"
    raise InputError(
        f"{person.label} chưa có vai trò '{role.label}'{where} nên không làm được việc này; "
        f"người quản trị cấp bằng '{grant}'."
    )
