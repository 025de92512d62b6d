"""*Kịch bản*: the producer reads a stored Vietnamese script sentence by sentence (written
and spoken forms side by side, every automatic rewrite marked with its reason), edits
either form, adds or removes sentences of the article, listens to one sentence or the whole
mix, and sends it for vetting.

Every action is a stage call: ``broadcast.script.edit`` (view and changes),
``broadcast.render.preview`` (one sentence in the station's voice),
``broadcast.jobs.tasks.submit`` (the mix job, as ``broadcast mix``),
``broadcast.review.vetting.submit_script`` (as ``broadcast script submit``) and
``broadcast.script.spoken.station.add_reading`` (as ``broadcast spoken add``).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from starlette.responses import HTMLResponse, Response
from starlette.routing import NoMatchFound

from broadcast.errors import InputError
from broadcast.model.people import Role
from broadcast.model.spoken import Rewrite, RewriteKind
from broadcast.model.time import local
from broadcast.script import edit
from broadcast.web.routing import Page, Routes

routes = Routes()
PRODUCER = (Role.PRODUCER,)


def _id(page: Page) -> int:
    return int(page.request.path_params["id"])


def _position(page: Page) -> int:
    """The sentence number people see (from 1) as the stored position (from 0)."""
    return int(page.request.path_params["so"]) - 1


def media_url(page: Page, relative: str) -> str | None:
    """The media route's address of a workspace file, or None while no media route is
    served (the page then says the file exists without a player)."""
    try:
        return str(page.request.url_for("media", path=relative))
    except NoMatchFound:
        return None


def marked(written: str, rewrites: tuple[Rewrite, ...]) -> Markup:
    """The written form with each rewritten piece wrapped in a <mark> whose title is the
    reason (a tooltip on a computer; the numbered list under the sentence says it on a
    phone). Pieces are found in the written text itself, never inside an earlier mark."""
    spans: list[tuple[int, int, int, Rewrite]] = []
    for number, rewrite in enumerate(rewrites, start=1):
        piece = rewrite.written
        if rewrite.kind in (RewriteKind.DROPPED, RewriteKind.SPLIT) or not piece:
            continue
        start = written.find(piece)
        while start != -1 and any(start < e and start + len(piece) > s for s, e, _n, _r in spans):
            start = written.find(piece, start + 1)
        if start != -1:
            spans.append((start, start + len(piece), number, rewrite))
    parts: list[Markup] = []
    position = 0
    for start, end, number, rewrite in sorted(spans, key=lambda span: span[0]):
        parts.append(escape(written[position:start]))
        parts.append(
            Markup('<mark title="{}" data-loai="{}">{}<sup>{}</sup></mark>').format(
                rewrite.reason, rewrite.kind.value, written[start:end], number
            )
        )
        position = end
    parts.append(escape(written[position:]))
    return Markup("").join(parts)


def _renders(page: Page, script_id: int) -> list[dict[str, Any]]:
    """The Vietnamese audio mixes of this script, newest first, with their player."""
    from broadcast.script.catalog import show_script

    detail = show_script(page.workspace, str(script_id))
    mixes = [r for r in detail.renders if r.kind == "audio" and r.language == "vi"]
    return [
        {"path": r.path, "url": media_url(page, r.path), "at": local(r.created_at)}
        for r in reversed(mixes)
    ]


async def _script_page(page: Page, *, status_code: int = 200, **extra: Any) -> Response:
    script_id = _id(page)

    def load() -> tuple[edit.ScriptView, Any, list[dict[str, Any]]]:
        from broadcast.review.vetting import script_state

        view = edit.script_view(page.workspace, script_id, with_article=False)
        with page.db() as db:
            vetting = script_state(db, script_id)
        return view, vetting, _renders(page, script_id)

    view, vetting, mixes = await page.call(load)
    return page.render(
        "scripts/script.html",
        status_code=status_code,
        view=view,
        vetting=vetting,
        mixes=mixes,
        marked=marked,
        **extra,
    )


async def _after(page: Page, action: Any, *args: Any, at: int | None = None) -> Response:
    """Run a change; its sentence (or the stage's refusal) shown on the script page, at the
    top and, for a change of sentence ``at``, beside that sentence too."""
    from broadcast.schedule.onair import refresh

    def run() -> str:
        change: edit.Change = action(page.workspace, _id(page), *args, page.me)
        # As the CLI's voiding commands do: what a voided approval took off the air is
        # removed from the plan and the exported playlists now, and said.
        return " ".join([change.message, *refresh(page.workspace).lines()])

    try:
        message = await page.call(run)
    except InputError as exc:
        return await _script_page(page, status_code=400, error=exc.message, at=at)
    return await _script_page(page, done=message, at=at)


@routes.get("/kich-ban/{id:int}", "script", roles=PRODUCER)
async def script(page: Page) -> Response:
    return await _script_page(page)


@routes.get("/kich-ban/{id:int}/cau-khac", "script_more", roles=PRODUCER)
async def script_more(page: Page) -> Response:
    """The article's sentences the script does not read, each with a button to add it: a
    fragment loaded after the page, since reading the article again takes a moment."""
    view = await page.call(edit.script_view, page.workspace, _id(page))
    return page.render("scripts/_more.html" if page.htmx else "scripts/more.html", view=view)


@routes.post("/kich-ban/{id:int}/cau/{so:int}", "script_edit", roles=PRODUCER)
async def script_edit(page: Page) -> Response:
    form = await page.form()
    written = str(form.get("viet") or "")
    spoken = str(form.get("doc") or "")

    def change(ws: Any, script_id: int, position: int, person: Any) -> edit.Change:
        return edit.edit_sentence(ws, script_id, position, person, written=written, spoken=spoken)

    return await _after(page, change, _position(page), at=_position(page) + 1)


@routes.post("/kich-ban/{id:int}/cau/{so:int}/bo", "script_remove", roles=PRODUCER)
async def script_remove(page: Page) -> Response:
    return await _after(page, edit.remove_sentence, _position(page), at=_position(page) + 1)


@routes.post("/kich-ban/{id:int}/them", "script_add", roles=PRODUCER)
async def script_add(page: Page) -> Response:
    form = await page.form()
    try:
        index = int(str(form.get("cau") or ""))
    except ValueError:
        return await _script_page(
            page, status_code=400, error="Hãy chọn một câu của bài viết để thêm."
        )
    return await _after(page, edit.add_sentence, index)


@routes.post("/kich-ban/{id:int}/gui", "script_submit", roles=PRODUCER)
async def script_submit(page: Page) -> Response:
    """Send for vetting (``broadcast script submit``): the state after it is shown."""
    from broadcast.review.vetting import submit_script

    script_id = _id(page)

    def submit() -> str:
        with page.db() as db:
            edit.script_view(page.workspace, script_id, with_article=False)  # exists, or 400
            return submit_script(db, script_id, page.me).label

    try:
        label = await page.call(submit)
    except InputError as exc:
        return await _script_page(page, status_code=400, error=exc.message)
    return await _script_page(page, done=f"Kịch bản: {label}.")


@routes.post("/kich-ban/{id:int}/cau/{so:int}/cach-doc", "script_reading", roles=PRODUCER)
async def script_reading(page: Page) -> Response:
    """Save how the station's voice reads a form (as ``broadcast spoken add``), from the
    sentence where the producer heard it read wrongly.

    The reading is used by every script built from now on and by a sentence whose written
    form is edited; the spoken forms already stored in this script stay as they are (an
    approved text must not change under its approval), so the page says so.
    """
    from broadcast.script.spoken.station import add_reading

    form = await page.form()
    written = str(form.get("viet") or "")
    spoken = str(form.get("doc") or "")
    number = _position(page) + 1

    def save() -> str:
        edit.script_view(page.workspace, _id(page), with_article=False)  # exists, or 400
        saved, replaced = add_reading(page.workspace, written, spoken, by=page.me)
        was = f" (trước đây đọc là '{replaced.spoken}')" if replaced else ""
        return (
            f"Đã lưu cho đài: '{saved.written}' đọc là '{saved.spoken}'{was}. Cách đọc mới áp "
            "dụng từ lần làm kịch bản tiếp theo và khi sửa câu viết; các câu đã có của kịch "
            "bản này giữ cách đọc cũ (muốn đổi thì sửa ô Cách đọc)."
        )

    try:
        message = await page.call(save)
    except InputError as exc:
        return await _script_page(page, status_code=400, error=exc.message, at=number)
    return await _script_page(page, done=message, at=number)


@routes.post("/kich-ban/{id:int}/cau/{so:int}/nghe", "script_listen", roles=PRODUCER)
async def script_listen(page: Page) -> Response:
    """One sentence in the station's voice, as an audio player fragment (htmx)."""
    from broadcast.render.preview import sentence_preview

    script_id, position = _id(page), _position(page)

    def make() -> str:
        view = edit.script_view(page.workspace, script_id, with_article=False)
        found = [s for s in view.sentences if s.position == position]
        if not found:
            raise InputError(f"Kịch bản không có câu số {position + 1}.")
        path = sentence_preview(page.workspace, found[0].spoken)
        return str(path.relative_to(page.workspace.root))

    relative = await page.call(make)
    url = media_url(page, relative)
    if url is None:
        return HTMLResponse(
            '<span class="phu">Đã đọc xong, nhưng chưa mở được tệp âm thanh.</span>'
        )
    label = escape(f"Nghe câu {position + 1}")
    return HTMLResponse(
        f'<audio controls autoplay preload="auto" src="{escape(url)}" aria-label="{label}"></audio>'
    )


@routes.post("/kich-ban/{id:int}/tron", "script_mix", roles=PRODUCER)
async def script_mix(page: Page) -> Response:
    """Start the mix job of the whole script (as ``broadcast mix``); the job's progress
    fragment takes over from here."""
    from broadcast.jobs.tasks import submit

    script_id = _id(page)
    job_id = await page.call(
        submit, page.workspace, "mix", {"script": str(script_id), "language": "vi"}, page.me
    )
    try:
        url = str(page.request.url_for("job", job_id=job_id))
    except NoMatchFound:
        url = f"/viec/{job_id}"
    if not page.htmx:
        return page.redirect("script", id=script_id)
    return HTMLResponse(
        f'<div hx-get="{escape(url)}" hx-trigger="load" hx-swap="outerHTML">'
        f"Đã gửi công việc trộn âm thanh số {job_id}…</div>"
    )
