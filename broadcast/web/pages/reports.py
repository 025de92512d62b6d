"""*Báo cáo*: the periodic report of what the loudspeakers aired, its narrative and versions.

The figures, drafts and versions come from ``broadcast.schedule.report_view``; saving calls
``broadcast.schedule.report.make_report`` (the function behind ``broadcast report``), which
writes a new version every time — an earlier report someone may have signed is never
overwritten. The scheduler, the admin and the content approver (the Center's head approves
what goes on air and signs the report) may make a report; everyone signed in may read it.
"""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response

from broadcast.errors import InputError
from broadcast.model.people import Role
from broadcast.model.time import local, station_now
from broadcast.schedule.period import PERIOD_KINDS, current_quarter, parse_period, period_text
from broadcast.schedule.report import make_report
from broadcast.schedule.report_narrative import SECTION_KEYS
from broadcast.schedule.report_pdf import docx_to_pdf, soffice
from broadcast.schedule.report_view import report_view, version_docx
from broadcast.web.routing import ANYONE, Page, Routes

routes = Routes()
WRITERS = (Role.SCHEDULER, Role.ADMIN, Role.CONTENT_APPROVER)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _chosen_period(page: Page) -> str:
    """The period asked for: ``ky=2026-Q1``, or the form's kind/year/number, else the
    current quarter."""
    query = page.request.query_params
    if query.get("ky"):
        return str(query["ky"])
    if query.get("loai"):
        try:
            year = int(query.get("nam") or station_now().year)
            number = int(query.get("so") or 1)
        except ValueError:
            raise InputError("Năm và số kỳ báo cáo phải là số, ví dụ năm 2026, quý 1.") from None
        return period_text(str(query["loai"]), year, number)
    return current_quarter(station_now().date())


async def _report_page(
    page: Page, period: str, *, status_code: int = 200, **extra: object
) -> Response:
    view = await page.call(report_view, page.workspace, period)
    kind, year, number = _parts(view.period.key)
    return page.render(
        "reports/report.html",
        status_code=status_code,
        view=view,
        kinds=PERIOD_KINDS,
        kind=kind,
        year=year,
        number=number,
        writer=any(page.me.has(role) for role in WRITERS),
        pdf=soffice() is not None,
        local=local,
        **extra,
    )


def _parts(key: str) -> tuple[str, int, int]:
    """'2026-Q1' -> ('quy', 2026, 1): the form shows the period being looked at."""
    year = int(key[:4])
    rest = key[5:]
    if rest.startswith("Q"):
        return "quy", year, int(rest[1:])
    if rest.startswith("H"):
        return "nua-nam", year, int(rest[1:])
    if rest:
        return "thang", year, int(rest)
    return "nam", year, 1


@routes.get("/bao-cao", "reports", roles=ANYONE, nav="Báo cáo")
async def reports(page: Page) -> Response:
    try:
        period = _chosen_period(page)
        return await _report_page(page, period)
    except InputError as exc:
        fallback = current_quarter(station_now().date())
        return await _report_page(page, fallback, status_code=400, error=exc.message)


@routes.post("/bao-cao", "reports_make", roles=WRITERS)
async def reports_make(page: Page) -> Response:
    form = await page.form()
    period = str(form.get("ky") or "") or current_quarter(station_now().date())
    sections = {key: str(form.get(key) or "") for key in SECTION_KEYS}
    try:
        files = await page.call(
            make_report, page.workspace, period, sections=sections, made_by=page.me.login
        )
    except InputError as exc:
        try:
            shown = parse_period(period).key  # the period asked for, when it is one
        except InputError:
            shown = current_quarter(station_now().date())
        return await _report_page(page, shown, status_code=400, error=exc.message)
    done = f"Đã lập báo cáo, bản {files.version}; tải tệp .docx ở danh sách các bản bên dưới."
    return await _report_page(page, period, done=done)


async def _version_docx(page: Page) -> Path:
    report_id = int(page.request.path_params["id"])
    docx = await page.call(version_docx, page.workspace, report_id)
    if docx is None:
        raise HTTPException(status_code=404)
    return docx


@routes.get("/bao-cao/ban/{id:int}/docx", "report_docx", roles=ANYONE)
async def report_docx(page: Page) -> Response:
    docx = await _version_docx(page)
    return FileResponse(docx, media_type=DOCX_TYPE, filename=docx.name)


@routes.get("/bao-cao/ban/{id:int}/pdf", "report_pdf", roles=ANYONE)
async def report_pdf(page: Page) -> Response:
    docx = await _version_docx(page)
    pdf = await page.call(docx_to_pdf, docx)
    return FileResponse(pdf, media_type="application/pdf", filename=pdf.name)
