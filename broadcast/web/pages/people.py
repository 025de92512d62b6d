"""*Người dùng*: the admin adds people, gives and takes roles, sets passwords.

Every change goes through ``broadcast.people.accounts`` (the same functions as
``broadcast user ...``), which checks that the actor is an admin and writes the audit trail.
"""

from __future__ import annotations

from starlette.responses import Response

from broadcast.model.people import Grant, Role
from broadcast.people import accounts
from broadcast.web.routing import Page, Routes

routes = Routes()
ADMIN = (Role.ADMIN,)


def _grants(values: list[str], language: str) -> list[Grant]:
    return [accounts.parse_grant(v, language if Role(v).per_language else None) for v in values]


async def _people_page(page: Page, *, status_code: int = 200, **extra: object) -> Response:
    def load() -> list[object]:
        with page.db() as db:
            return list(accounts.list_people(db))

    people = await page.call(load)
    languages = [c for c in page.workspace.station.languages if c != "vi"]
    return page.render(
        "people.html",
        status_code=status_code,
        people=people,
        roles=list(Role),
        languages=languages,
        **extra,
    )


@routes.get("/nguoi-dung", "people", roles=ADMIN, nav="Người dùng")
async def people(page: Page) -> Response:
    return await _people_page(page)


@routes.post("/nguoi-dung", "people_add", roles=ADMIN)
async def people_add(page: Page) -> Response:
    form = await page.form()
    login = str(form.get("login") or "")
    name = str(form.get("name") or "")
    password = str(form.get("password") or "")
    language = str(form.get("language") or "")
    chosen = [str(v) for v in form.getlist("roles")]

    def add() -> str:
        grants = _grants(chosen, language)
        with page.db() as db:
            person = accounts.add_person(
                db, page.me, login, name, grants, password=password or None
            )
        return person.label

    from broadcast.errors import InputError

    try:
        if not chosen:
            raise InputError("Hãy chọn ít nhất một vai trò cho người dùng mới.")
        label = await page.call(add)
    except (InputError, ValueError) as exc:
        message = exc.message if isinstance(exc, InputError) else str(exc)
        return await _people_page(
            page, status_code=400, error=message, form={"login": login, "name": name}
        )
    return await _people_page(page, done=f"Đã thêm {label}.")
