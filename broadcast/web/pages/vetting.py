"""*Duyệt nội dung*: the content approver reads a script, sees what changed since the last
approved version, listens, and approves it or returns it with a comment.

Approve and return call ``broadcast.review.vetting`` exactly as ``broadcast script approve``
and ``broadcast script return`` do (with the same re-planning and on-air refresh after), so
the four-eyes rule, the hash binding and the audit trail are the stage's; its refusals are
shown on the page in its own sentence. The diff is presentation only: the sentences of the
last approved version against these, word by word, marked with ``<ins>``/``<del>``.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from starlette.responses import Response

from broadcast.errors import InputError
from broadcast.model.jobs import JobKind
from broadcast.model.people import Role
from broadcast.script.catalog import ScriptDetail, ScriptEntry, list_scripts, show_script
from broadcast.store.workspace import Workspace
from broadcast.web.pages.media import media_path
from broadcast.web.routing import Page, Routes

routes = Routes()
APPROVER = (Role.CONTENT_APPROVER,)


@dataclass(frozen=True)
class DiffLine:
    """One sentence of the diff: 'same', 'changed', 'added' or 'removed', and its HTML."""

    kind: str
    number: int | None  # in the script under review (None: a removed sentence)
    html: Markup


@dataclass(frozen=True)
class Vetting:
    detail: ScriptDetail
    previous: ScriptDetail | None  # the last approved version, if any
    diff: tuple[DiffLine, ...]
    mix: str | None  # /tep/ path of the Vietnamese mix, when rendered


def _words(old: str, new: str) -> Markup:
    a, b = old.split(), new.split()
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(html.escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{html.escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{html.escape(' '.join(b[j1:j2]))}</ins>")
    return Markup(" ".join(parts))


def sentence_diff(old: list[str], new: list[str]) -> tuple[DiffLine, ...]:
    """The sentences of ``new`` against ``old`` (difflib on sentences, then on words)."""
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            lines += [DiffLine("same", j + 1, Markup.escape(new[j])) for j in range(j1, j2)]
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            lines.append(DiffLine("changed", j1 + k + 1, _words(old[i1 + k], new[j1 + k])))
        for i in range(i1 + pairs, i2):
            lines.append(DiffLine("removed", None, Markup(f"<del>{html.escape(old[i])}</del>")))
        for j in range(j1 + pairs, j2):
            lines.append(DiffLine("added", j + 1, Markup(f"<ins>{html.escape(new[j])}</ins>")))
    return tuple(lines)


def _texts(detail: ScriptDetail) -> list[str]:
    return [s.written for s in detail.sentences]


def load_vetting(ws: Workspace, script_id: int) -> Vetting:
    from broadcast.review.vetting import last_approved_version
    from broadcast.store.records import script_outputs

    detail = show_script(ws, str(script_id))
    with ws.open_db() as db:
        previous_id = last_approved_version(db, detail.entry.script.id)
        outputs = script_outputs(db, detail.entry.script.id, detail.entry.script.language)
    previous = show_script(ws, str(previous_id)) if previous_id is not None else None
    audio = outputs.get("audio")
    mix = media_path(ws, audio.path) if audio is not None else None
    diff = sentence_diff(_texts(previous), _texts(detail)) if previous else ()
    return Vetting(detail, previous, diff, mix)


def waiting(ws: Workspace) -> list[ScriptEntry]:
    """Scripts waiting for a content approver (state 'submitted'), oldest first."""
    return [e for e in list_scripts(ws) if e.state_key == "submitted"]


@routes.get("/duyet", "vetting", roles=APPROVER, nav="Duyệt nội dung")
async def vetting_list(page: Page) -> Response:
    entries = await page.call(waiting, page.workspace)
    return page.render("vetting/list.html", entries=entries)


def _script_id(page: Page) -> int:
    return int(page.request.path_params["script_id"])


async def _detail(page: Page, status_code: int = 200, **extra: object) -> Response:
    view = await page.call(load_vetting, page.workspace, _script_id(page))
    return page.render(
        "vetting/detail.html",
        status_code=status_code,
        view=view,
        can_mix=page.me.has(Role.PRODUCER),
        **extra,
    )


@routes.get("/duyet/{script_id:int}", "vetting_script", roles=APPROVER)
async def vetting_script(page: Page) -> Response:
    return await _detail(page)


@routes.post("/duyet/{script_id:int}/duyet", "vetting_approve", roles=APPROVER)
async def vetting_approve(page: Page) -> Response:
    form = await page.form()
    comment = str(form.get("comment") or "")
    script_id = _script_id(page)
    ws = page.workspace

    def approve() -> list[Path]:
        from broadcast.review.vetting import approve_script
        from broadcast.schedule.campaign import replan_for_script

        with ws.open_db() as db:
            approve_script(db, script_id, page.me, comment=comment, four_eyes=ws.station.four_eyes)
        return replan_for_script(ws, script_id)  # as 'broadcast script approve'

    try:
        playlists = await page.call(approve)
    except InputError as exc:  # four-eyes and the other refusals, next to the form
        return await _detail(page, status_code=400, error=exc.message)
    note = f" Đã lập lại {len(playlists)} danh sách phát." if playlists else ""
    return await _detail(page, done=f"Đã duyệt nội dung kịch bản.{note}")


@routes.post("/duyet/{script_id:int}/tra-lai", "vetting_return", roles=APPROVER)
async def vetting_return(page: Page) -> Response:
    form = await page.form()
    comment = str(form.get("comment") or "")
    script_id = _script_id(page)
    ws = page.workspace

    def send_back() -> None:
        from broadcast.review.vetting import return_script
        from broadcast.schedule.onair import refresh

        with ws.open_db() as db:
            return_script(db, script_id, page.me, comment=comment)
        refresh(ws)  # as 'broadcast script return': its renders leave the air

    try:
        await page.call(send_back)
    except InputError as exc:
        return await _detail(page, status_code=400, error=exc.message)
    return await _detail(page, done="Đã trả lại kịch bản cho người sản xuất.")


@routes.post("/duyet/{script_id:int}/tron", "vetting_mix", roles=APPROVER)
async def vetting_mix(page: Page) -> Response:
    """Start a loudspeaker mix of the script to listen to (a job; progress below)."""
    from broadcast.jobs import tasks

    job_id = await page.call(
        tasks.submit,
        page.workspace,
        JobKind.MIX,
        {"script": str(_script_id(page)), "language": "vi"},
        page.me,
    )
    if not page.htmx:
        return page.redirect("job", job_id=job_id)
    view = await page.call(_job_view, page.workspace, job_id)
    return page.render("jobs/fragment.html", view=view)


def _job_view(ws: Workspace, job_id: int) -> object:
    from broadcast.jobs import tasks
    from broadcast.web.pages.jobs import job_view

    return job_view(ws, tasks.get(ws, job_id))
