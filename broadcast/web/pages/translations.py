"""*Bản dịch*: editors translate and review one language, segment by segment.

Modelled on Weblate's and Pontoon's translate page: the source beside the target with the
neighbouring segments, glossary terms marked in the source, memory and machine suggestions
with a diff (Alt+1..9 copies one), QA badges checked while typing, save-and-next and
approve-and-next shortcuts, filters, batch approval, comments, history with revert, and an
on-screen keyboard for the language's script. Every decision is ``broadcast.review.workbench``
's (over ``review.workflow``, the same functions as ``broadcast review``): this module
parses the request, checks the language and renders.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from broadcast.errors import InputError
from broadcast.languages import Language
from broadcast.model.people import Role
from broadcast.review import workbench as wb
from broadcast.web.routing import Page, Routes

routes = Routes()
EDITORS = (Role.TRANSLATOR, Role.REVIEWER)
BASE = "/ban-dich/{lang}/{script_id:int}"
FLASH = "ban_dich_xong"


@routes.get("/ban-dich", "translations", roles=EDITORS, nav="Bản dịch")
async def translations(page: Page) -> Response:
    ws = page.workspace

    def load() -> tuple[list[Any], list[wb.Untranslated]]:
        with page.db() as db:
            summaries = wb.overview(db, page.me, ws.station)
        return summaries, wb.waiting_for_draft(ws, page.me)

    summaries, waiting = await page.call(load)
    languages = wb.my_languages(page.me, ws.station)
    registry = ws.station.language_registry()
    return page.render(
        "translations/list.html",
        summaries=summaries,
        waiting=waiting,
        languages=[(c, registry[c].name if c in registry else c) for c in languages],
        names={c: registry[c].name for c in languages if c in registry},
    )


def _language(page: Page) -> Language:
    """The URL's language: a station language (else 400), that the person translates or
    reviews (else 403, e.g. a Thái reviewer opening Mông)."""
    code = str(page.request.path_params["lang"])
    language = wb.station_language(page.workspace.station, code)
    # Named in the refusal: the role this person works in (a reviewer is told 'duyệt bản dịch').
    first, other = EDITORS if not page.me.has(Role.REVIEWER) else EDITORS[::-1]
    page.require(first, language.code, alternatives=(other,))
    return language


def _script_id(page: Page) -> int:
    return int(page.request.path_params["script_id"])


def _number(value: object, what: str = "đoạn") -> int:
    """A segment number from a form or URL (from 1) as a stored position (from 0)."""
    text = str(value or "").strip()
    if not text.isdigit() or int(text) < 1:
        raise InputError(f"Số {what} '{text[:10]}' không hợp lệ; số đoạn bắt đầu từ 1.")
    return int(text) - 1


async def _editor(
    page: Page,
    language: Language,
    position: int | None,
    slug: str,
    *,
    status_code: int = 200,
    typed: str | None = None,
    **extra: Any,
) -> Response:
    ws = page.workspace
    script_id = _script_id(page)
    login = page.me.login

    def load() -> dict[str, Any]:
        with page.db() as db:
            bench = wb.load_workbench(db, script_id, language)
            current = bench.current(position, slug, login)
            context: dict[str, Any] = {"bench": bench, "current": current}
            if current is not None:
                before, after = bench.neighbours(current.position)
                context.update(
                    before=before,
                    after=after,
                    history=wb.segment_history(db, script_id, language.code, current.position),
                    next_position=bench.next_position(current.position, slug, login),
                )
            context["comment_counts"] = wb.comments(db, script_id, language.code)
            return context

    context = await page.call(load)
    bench: wb.Workbench = context["bench"]
    four_eyes = ws.station.four_eyes
    done = page.request.session.pop(FLASH, None) if status_code == 200 else None
    if isinstance(done, str) and "done" not in extra:
        extra["done"] = done
    return page.render(
        "translations/edit.html",
        status_code=status_code,
        language=language,
        filters=wb.FILTERS,
        slug=slug,
        shown=bench.shown(slug, login),
        batch=bench.batch_ready(slug, login, four_eyes),
        can_review=page.me.has(Role.REVIEWER, language.code),
        four_eyes=four_eyes,
        keyboard=wb.keyboard(language),
        typed=typed,
        counts=bench.counts(),
        **context,
        **extra,
    )


@routes.get(BASE, "translation", roles=EDITORS)
async def translation(page: Page) -> Response:
    language = _language(page)
    query = page.request.query_params
    slug = wb.check_filter(query.get("loc"))
    position = _number(query["doan"]) if query.get("doan") else None
    return await _editor(page, language, position, slug)


@routes.get(BASE + "/goi-y", "translation_suggestions", roles=EDITORS)
async def translation_suggestions(page: Page) -> Response:
    """The suggestions of one segment, as a fragment the page loads after itself: a machine
    translation can take a moment and must not hold up the page."""
    language = _language(page)
    position = _number(page.request.query_params.get("doan"))
    script_id = _script_id(page)
    ws = page.workspace

    def load() -> list[wb.Suggestion]:
        from broadcast.store.translations import load_translation

        with page.db() as db:
            translation = load_translation(db, script_id, language.code)
            return wb.suggestions(ws, db, translation, position)

    found = await page.call(load)
    return page.render("translations/_suggestions.html", suggestions=found, language=language)


def _after(page: Page, language: Language, position: int | None, slug: str) -> Response:
    """Back to the translate page, on ``position`` (None: the filter's first segment)."""
    url = str(page.request.url_for("translation", lang=language.code, script_id=_script_id(page)))
    params = [f"loc={slug}"]
    if position is not None:
        params.append(f"doan={position + 1}")
    target = f"{url}?{'&'.join(params)}"
    if page.htmx:
        return Response(status_code=204, headers={"HX-Redirect": target})
    return Response(status_code=303, headers={"location": target})


def _flash(page: Page, message: str, more: list[str] | None = None) -> None:
    page.request.session[FLASH] = " ".join([message, *(more or [])])


def _on_air(page: Page) -> list[str]:
    """After a change that can void an approval: stale renders leave the plan and the
    playlists (what 'broadcast review edit/reject/import' run); what changed, in words."""
    from broadcast.schedule.onair import refresh

    return refresh(page.workspace).lines()


def _fields(form: FormData) -> tuple[int, str, str]:
    """(position, seen SHA-256, filter) every segment form carries."""
    return (
        _number(form.get("doan")),
        str(form.get("seen") or ""),
        wb.check_filter(str(form.get("loc") or "")),
    )


async def _refused(
    page: Page,
    language: Language,
    position: int | None,
    slug: str,
    exc: InputError,
    typed: str | None = None,
) -> Response:
    """A stage's refusal next to the form, with what the editor typed kept in the box."""
    return await _editor(
        page, language, position, slug, status_code=400, typed=typed, error=exc.message
    )


@routes.post(BASE + "/kiem-tra", "translation_check", roles=EDITORS)
async def translation_check(page: Page) -> Response:
    """QA badges for the text being typed (htmx, debounced), before anything is saved."""
    language = _language(page)
    form = await page.form()
    position = _number(form.get("doan"))
    text = str(form.get("text") or "")
    script_id = _script_id(page)

    def check() -> list[Any]:
        from broadcast.store.translations import load_translation

        with page.db() as db:
            translation = load_translation(db, script_id, language.code)
            return wb.check_text(db, translation, position, text, language)

    findings = await page.call(check)
    return page.render("translations/_qa.html", findings=findings)


@routes.post(BASE + "/luu", "translation_save", roles=EDITORS)
async def translation_save(page: Page) -> Response:
    language = _language(page)
    form = await page.form()
    position, seen, slug = _fields(form)
    text = str(form.get("text") or "")
    script_id = _script_id(page)

    def save() -> tuple[bool, list[str]]:
        with page.db() as db:
            changed = wb.save_segment(
                db, script_id, language.code, position, text, seen=seen, by=page.me
            )
        return changed, _on_air(page) if changed else []

    try:
        changed, lines = await page.call(save)
    except InputError as exc:
        return await _refused(page, language, position, slug, exc, typed=text)
    _flash(
        page,
        f"Đã lưu đoạn {position + 1}." if changed else f"Đoạn {position + 1} không đổi.",
        lines,
    )
    if form.get("o-lai"):
        return _after(page, language, position, slug)
    return _after(page, language, _next(form, position), slug)


def _next(form: FormData, position: int) -> int | None:
    value = str(form.get("tiep") or "")
    return int(value) - 1 if value.isdigit() and int(value) >= 1 else position


@routes.post(BASE + "/duyet", "translation_approve", roles=EDITORS)
async def translation_approve(page: Page) -> Response:
    """Approve-and-next: the text shown, bound to its hash and to the reviewer."""
    language = _language(page)
    form = await page.form()
    position, seen, slug = _fields(form)
    typed = str(form.get("text") or "")
    script_id = _script_id(page)
    ws = page.workspace

    def approve() -> Any:
        with page.db() as db:
            return wb.approve_typed(
                db,
                script_id,
                language,
                position,
                typed,
                seen=seen,
                by=page.me,
                four_eyes=ws.station.four_eyes,
                share_with_province=ws.station.share_with_province,
            )

    try:
        outcome = await page.call(approve)
    except InputError as exc:  # QA findings, four-eyes, changed meanwhile
        return await _refused(page, language, position, slug, exc, typed=typed or None)
    _flash(
        page,
        f"Đã duyệt đoạn {position + 1}; bản dịch: {outcome.state.label}."
        if outcome.approved
        else f"Đoạn {position + 1} đã được duyệt từ trước.",
    )
    return _after(page, language, _next(form, position), slug)


@routes.post(BASE + "/duyet-loat", "translation_batch", roles=EDITORS)
async def translation_batch(page: Page) -> Response:
    """Approve every shown segment without findings; the others are counted and left."""
    language = _language(page)
    form = await page.form()
    slug = wb.check_filter(str(form.get("loc") or ""))
    seen: dict[int, str] = {}
    for key, value in form.multi_items():
        if key.startswith("s-") and isinstance(value, str):
            seen[_number(key[2:])] = value
    script_id = _script_id(page)
    ws = page.workspace

    def batch() -> wb.BatchOutcome:
        with page.db() as db:
            return wb.batch_approve(
                db,
                script_id,
                language,
                seen,
                by=page.me,
                four_eyes=ws.station.four_eyes,
                share_with_province=ws.station.share_with_province,
            )

    try:
        outcome = await page.call(batch)
    except InputError as exc:
        return await _refused(page, language, None, slug, exc)
    parts = [f"Đã duyệt {len(outcome.approved)} đoạn"]
    for numbers, why in (
        (outcome.with_findings, "còn lỗi hoặc cảnh báo cần xem"),
        (outcome.own, "do chính bạn sửa (cần người khác duyệt)"),
        (outcome.empty, "chưa có bản dịch"),
        (outcome.changed, "vừa được người khác sửa"),
    ):
        if numbers:
            listed = ", ".join(str(p + 1) for p in numbers)
            parts.append(f"bỏ qua đoạn {listed}: {why}")
    _flash(page, "; ".join(parts) + f". Bản dịch: {outcome.state.label}.")
    return _after(page, language, None, slug)


@routes.post(BASE + "/tra-lai", "translation_reject", roles=EDITORS)
async def translation_reject(page: Page) -> Response:
    language = _language(page)
    form = await page.form()
    position, seen, slug = _fields(form)
    note = str(form.get("note") or "")
    script_id = _script_id(page)

    def send_back() -> list[str]:
        with page.db() as db:
            wb.send_back(db, script_id, language.code, position, note, seen=seen, by=page.me)
        return _on_air(page)

    try:
        lines = await page.call(send_back)
    except InputError as exc:
        return await _refused(page, language, position, slug, exc)
    _flash(page, f"Đã trả lại đoạn {position + 1} để sửa.", lines)
    return _after(page, language, _next(form, position), slug)


@routes.post(BASE + "/ghi-chu", "translation_comment", roles=EDITORS)
async def translation_comment(page: Page) -> Response:
    language = _language(page)
    form = await page.form()
    position, _seen, slug = _fields(form)
    text = str(form.get("comment") or "")
    script_id = _script_id(page)

    def comment() -> None:
        with page.db() as db:
            wb.add_comment(db, script_id, language.code, position, text, by=page.me)

    try:
        await page.call(comment)
    except InputError as exc:
        return await _refused(page, language, position, slug, exc)
    _flash(page, f"Đã ghi chú cho đoạn {position + 1}.")
    return _after(page, language, position, slug)


@routes.post(BASE + "/khoi-phuc", "translation_revert", roles=EDITORS)
async def translation_revert(page: Page) -> Response:
    language = _language(page)
    form = await page.form()
    position, seen, slug = _fields(form)
    to = str(form.get("to") or "")
    script_id = _script_id(page)

    def revert() -> tuple[bool, list[str]]:
        with page.db() as db:
            changed = wb.revert(db, script_id, language.code, position, to, seen=seen, by=page.me)
        return changed, _on_air(page) if changed else []

    try:
        changed, lines = await page.call(revert)
    except InputError as exc:
        return await _refused(page, language, position, slug, exc)
    _flash(
        page,
        f"Đã khôi phục văn bản cũ của đoạn {position + 1} (chờ duyệt lại)."
        if changed
        else f"Đoạn {position + 1} đang là văn bản này rồi.",
        lines,
    )
    return _after(page, language, position, slug)


@routes.post(BASE + "/nhap", "translation_draft", roles=EDITORS)
async def translation_draft(page: Page) -> Response:
    """Start a draft (memory, glossary, machine translation) as a job, as 'broadcast
    translate' does; its progress is shown where the button was."""
    from broadcast.jobs import tasks
    from broadcast.model.jobs import JobKind
    from broadcast.web.pages.jobs import job_view

    language = _language(page)
    ws = page.workspace
    args = {"script": str(_script_id(page)), "to": language.code}

    def submit() -> Any:
        job_id = tasks.submit(ws, JobKind.TRANSLATE, args, page.me)
        return job_view(ws, tasks.get(ws, job_id))

    view = await page.call(submit)
    if not page.htmx:
        return page.redirect("job", job_id=view.job.id)
    return page.render("jobs/fragment.html", view=view)
