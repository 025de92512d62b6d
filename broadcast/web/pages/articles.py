"""*Bài viết*: the producer hands over an article (a file or pasted text), reads the ingest
verdict with what was removed, and starts a script at a chosen length.

Files go to the workspace's ``articles/`` folder through ``broadcast.text.upload`` (the same
ingestion as ``broadcast ingest``); the script is built and stored by
``broadcast.script.edit.start_script`` (as ``broadcast script build --save``).
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from broadcast.errors import InputError
from broadcast.model.people import Role
from broadcast.model.time import local
from broadcast.script.catalog import list_scripts
from broadcast.script.edit import DURATIONS, start_script
from broadcast.text import upload
from broadcast.text.report import REMOVED_LABELS, IngestReport
from broadcast.web.routing import Page, Routes

routes = Routes()
PRODUCER = (Role.PRODUCER,)
PREVIEW_PARAGRAPHS = 6


def _report_context(name: str, report: IngestReport) -> dict[str, Any]:
    removed = [(REMOVED_LABELS.get(item.kind, item.kind), item.text) for item in report.removed]
    paragraphs = list(report.paragraphs)
    return {
        "name": name,
        "report": report,
        "quality": report.quality,
        "removed": removed,
        "paragraphs": paragraphs[:PREVIEW_PARAGRAPHS],
        "more": max(0, len(paragraphs) - PREVIEW_PARAGRAPHS),
        "durations": DURATIONS,
    }


async def _list_page(page: Page, *, status_code: int = 200, **extra: Any) -> Response:
    def load() -> tuple[list[Any], list[Any]]:
        return upload.list_articles(page.workspace), list_scripts(page.workspace)

    files, scripts = await page.call(load)
    return page.render(
        "articles/list.html",
        status_code=status_code,
        files=files,
        scripts=scripts,
        local=local,
        formats=",".join(upload.UPLOAD_FORMATS),
        **extra,
    )


@routes.get("/bai-viet", "articles", roles=PRODUCER, nav="Bài viết")
async def articles(page: Page) -> Response:
    return await _list_page(page)


@routes.post("/bai-viet", "article_upload", roles=PRODUCER)
async def article_upload(page: Page) -> Response:
    """A file, or pasted text when no file was chosen; a refusal is shown on the list page
    beside the form that caused it."""
    form = await page.form()
    chosen = form.get("tep")
    pasted = str(form.get("noi_dung") or "")
    title = str(form.get("tieu_de") or "")
    try:
        if isinstance(chosen, UploadFile) and chosen.filename:
            data = await chosen.read()
            name = chosen.filename
            path, report = await page.call(upload.keep_upload, page.workspace, name, data)
        elif pasted.strip():
            path, report = await page.call(upload.keep_pasted, page.workspace, pasted, title)
        else:
            raise InputError("Hãy chọn một tệp bài viết hoặc dán nội dung bài vào ô.")
    except InputError as exc:
        return await _list_page(
            page, status_code=400, error=exc.message, pasted=pasted, title=title
        )
    return page.render(
        "articles/report.html",
        done=f"Đã nhận bài '{path.name}'.",
        **_report_context(path.name, report),
    )


@routes.get("/bai-viet/tep/{name}", "article", roles=PRODUCER)
async def article(page: Page) -> Response:
    name = str(page.request.path_params["name"])
    report = await page.call(upload.report_for, page.workspace, name)
    return page.render("articles/report.html", **_report_context(name, report))


@routes.post("/bai-viet/tep/{name}/kich-ban", "article_script", roles=PRODUCER)
async def article_script(page: Page) -> Response:
    """Start the script; the stage's refusal (bad text, a wrong length) is shown beside
    the verdict."""
    name = str(page.request.path_params["name"])
    form = await page.form()
    try:
        minutes = float(str(form.get("phut") or "3").replace(",", "."))
    except ValueError:
        minutes = -1.0

    def make() -> Any:
        path = upload.article_path(page.workspace, name)
        return start_script(page.workspace, path, minutes, page.me)

    try:
        saved = await page.call(make)
    except InputError as exc:
        report = await page.call(upload.report_for, page.workspace, name)
        return page.render(
            "articles/report.html",
            status_code=400,
            error=exc.message,
            **_report_context(name, report),
        )
    return page.redirect("script", id=saved.id)
