"""*Đơn vị*: the departments' monthly articles for the portal (issue 14, item 4).

Anyone signed in sees a month: who has handed in, who is late, who is missing. A producer
(or the admin) records an uploaded article as handed in by a department through
``broadcast.publish.departments.submit``, the function ``broadcast departments submit``
calls; on time or late is decided there, by the station's clock.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from broadcast.errors import InputError
from broadcast.model.people import Role
from broadcast.model.time import local
from broadcast.publish import departments as stage
from broadcast.web.routing import Page, Routes

routes = Routes()
RECORDERS = (Role.PRODUCER, Role.ADMIN)


async def _month_page(page: Page, month: str, *, status_code: int = 200, **extra: Any) -> Response:
    def load() -> tuple[str, list[stage.DepartmentMonth], int]:
        try:
            chosen = stage.check_month(month)
        except InputError:
            chosen = stage.current_month()
        with page.db() as db:
            view = stage.month_view(db, page.workspace.station, chosen)
            return chosen, view, stage.portal_items(db, chosen)

    chosen, view, posted = await page.call(load)
    can_record = any(page.me.has(role) for role in RECORDERS)
    return page.render(
        "departments/month.html",
        status_code=status_code,
        month=chosen,
        view=view,
        posted=posted,
        can_record=can_record,
        local=local,
        **extra,
    )


@routes.get("/don-vi", "departments", nav="Đơn vị")
async def departments(page: Page) -> Response:
    month = str(page.request.query_params.get("thang") or stage.current_month())
    error = None
    try:
        stage.check_month(month)
    except InputError as exc:
        error = exc.message
    return await _month_page(
        page, month, status_code=400 if error else 200, **({"error": error} if error else {})
    )


@routes.post("/don-vi", "department_submit", roles=RECORDERS)
async def department_submit(page: Page) -> Response:
    """The upload form: the stage's refusal (unknown department, a file that is not an
    article, a wrong month) is shown beside the form."""
    form = await page.form()
    chosen = form.get("tep")
    department = str(form.get("don_vi") or "")
    month = str(form.get("thang") or "").strip()
    try:
        if not isinstance(chosen, UploadFile) or not chosen.filename:
            raise InputError("Hãy chọn tệp bài viết của đơn vị rồi bấm Ghi nhận.")
        data = await chosen.read()
        name = chosen.filename
        done = await page.call(
            lambda: stage.submit(
                page.workspace, name, data, department, page.me, month=month or None
            )
        )
    except InputError as exc:
        return await _month_page(page, month, status_code=400, error=exc.message)
    if done.already:
        message = f"Bài '{done.article}' của {done.department.name} đã được ghi nhận trước đây."
    else:
        timing = "đúng hạn" if done.on_time else "muộn"
        message = (
            f"Đã ghi nhận bài '{done.title}' của {done.department.name} cho tháng "
            f"{done.month} ({timing})."
        )
    return await _month_page(page, done.month, done=message)
