"""*Phát khẩn cấp*: an approved script on air now in the zones chosen, after a confirmation.

Two steps on purpose: the first form only shows what would air where (nothing changes), the
second button starts it. Starting calls ``broadcast.schedule.campaign.add_emergency_now``,
exactly what ``broadcast schedule add --priority emergency --now`` calls: the emergency
item is stored, the stored plan is re-planned, and one interrupt playlist per zone is
written to ``out/playlists`` and recorded (table ``interrupts``, and the playlist exports,
so a voided render is taken out of it like any other playlist).

A recorded message (issue 13 item 2) is uploaded here with its title and written text;
``broadcast.schedule.recording`` stores it as a one-sentence script with the recording,
at the loudspeaker loudness, as its render, and submits it for vetting. It is listed as
waiting until a content approver other than its uploader approves it (on this page or on
*Duyệt nội dung*; with ``[review] four_eyes = false`` the uploader may approve it, recorded
as a self-approval); then it is a choice of the form above like any approved script.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from broadcast.errors import InputError
from broadcast.languages import LANGUAGES
from broadcast.model.people import Role
from broadcast.model.time import station_now
from broadcast.schedule import campaign, recording
from broadcast.schedule.grid import workspace_grid
from broadcast.schedule.m3u8 import parse_m3u8
from broadcast.schedule.onair import refresh
from broadcast.web.routing import Page, Routes

routes = Routes()
SCHEDULERS = (Role.SCHEDULER, Role.ADMIN)


@dataclass(frozen=True)
class Aired:
    """One interrupt as the page shows it: where, from when, its file and what it plays."""

    zone: str
    zone_name: str
    starts_at: str
    playlist: str
    entries: list[tuple[str, str, str]]  # (title, length, file name)


async def _form_page(page: Page, *, status_code: int = 200, **extra: object) -> Response:
    ws = page.workspace
    choices = await page.call(campaign.emergency_choices, ws)
    history = await page.call(campaign.emergency_history, ws)
    pending = await page.call(recording.pending_recordings, ws)
    zones = [(z.id, z.name) for z in workspace_grid(ws).zones]
    names = dict(zones)
    events = [
        (e.title, names.get(e.zone, e.zone), _minute(e.starts_at), e.actor or "không rõ")
        for e in history
    ]
    return page.render(
        "emergency/form.html",
        status_code=status_code,
        choices=choices,
        zones=zones,
        names=LANGUAGES,
        events=events,
        pending=pending,
        can_approve=page.me.has(Role.CONTENT_APPROVER),
        four_eyes=ws.station.four_eyes,
        **extra,
    )


def _chosen(form: FormData) -> tuple[str, tuple[str, ...]]:
    script = str(form.get("script") or "").strip()
    zones = tuple(str(z) for z in form.getlist("zones"))
    if not script:
        raise InputError("Hãy chọn kịch bản cần phát khẩn cấp.")
    return script, zones


@routes.get("/khan-cap", "emergency", roles=SCHEDULERS, nav="Phát khẩn cấp")
async def emergency(page: Page) -> Response:
    return await _form_page(page)


@routes.post("/khan-cap/xem", "emergency_review", roles=SCHEDULERS)
async def emergency_review(page: Page) -> Response:
    """Step 1: what will air where; nothing is stored or written yet."""
    form = await page.form()
    try:
        script, zones = _chosen(form)
        plan = await page.call(campaign.emergency_preview, page.workspace, script, zones)
    except InputError as exc:
        return await _form_page(page, status_code=400, error=exc.message)
    return page.render("emergency/confirm.html", plan=plan, names=LANGUAGES)


@routes.post("/khan-cap/phat", "emergency_start", roles=SCHEDULERS)
async def emergency_start(page: Page) -> Response:
    """Step 2: confirmed; on air now, the same call as the CLI's ``--now``."""
    form = await page.form()
    script, zones = _chosen(form)
    if form.get("confirm") != "yes":
        raise InputError("Chưa xác nhận phát khẩn cấp; hãy bấm nút xác nhận.")
    ws = page.workspace

    def start() -> tuple[campaign.AddedItem, list[campaign.Interrupt], list[str]]:
        changed = refresh(ws).lines()  # stale renders off the air first, as the CLI does
        added, interrupts = campaign.add_emergency_now(
            ws,
            script,
            now=station_now(),
            last_day=None,
            zones=zones,
            languages=None,
            topic=None,
            actor=page.me.login,
        )
        return added, interrupts, changed

    try:
        added, interrupts, changed = await page.call(start)
    except InputError as exc:
        return await _form_page(page, status_code=400, error=exc.message)
    names = {z.id: z.name for z in workspace_grid(ws).zones}
    aired = [
        Aired(
            i.zone,
            names.get(i.zone, i.zone),
            f"{i.starts_at:%H:%M %d/%m/%Y}",
            i.playlist.name,
            await page.call(_entries, i.playlist),
        )
        for i in interrupts
    ]
    later = [(names.get(z, z), f"{t:%H:%M %d/%m/%Y}") for z, t in added.next_slots]
    return page.render(
        "emergency/done.html",
        added=added,
        later=later,
        aired=aired,
        changed=changed,
        done=f"Đã phát khẩn cấp \u201c{added.title}\u201d ở {len(aired)} cụm loa.",
    )


@routes.post("/khan-cap/ghi-am", "emergency_upload", roles=SCHEDULERS)
async def emergency_upload(page: Page) -> Response:
    """An uploaded recording with its title and text: stored and submitted for vetting."""
    form = await page.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _form_page(
            page, status_code=400, error="Hãy chọn tệp bản ghi âm (WAV, MP3, M4A, OGG) để tải lên."
        )
    data = await upload.read()
    try:
        stored = await page.call(
            recording.store_uploaded_recording,
            page.workspace,
            data,
            name=upload.filename,
            title=str(form.get("title") or ""),
            text=str(form.get("text") or ""),
            person=page.me,
        )
    except InputError as exc:
        return await _form_page(page, status_code=400, error=exc.message)
    done = (
        f"Đã lưu bản ghi âm \u201c{stored.title}\u201d ({_length(stored.duration_s)}); "
        f"tin đang {stored.state.label}, phát được sau khi được duyệt."
    )
    return await _form_page(page, done=done)


@routes.post("/khan-cap/ghi-am/{script_id:int}/duyet", "emergency_approve", roles=SCHEDULERS)
async def emergency_approve(page: Page) -> Response:
    """Approve an uploaded recording here: the vetting stage decides whether this person may."""
    await page.form()
    script_id = int(page.request.path_params["script_id"])
    try:
        await page.call(recording.approve_recording, page.workspace, script_id, page.me)
    except InputError as exc:
        return await _form_page(page, status_code=400, error=exc.message)
    return await _form_page(page, done="Đã duyệt bản ghi âm; tin đã có trong danh sách phát được.")


def _entries(playlist: Path) -> list[tuple[str, str, str]]:
    """The interrupt playlist as written, read back: what the loudspeaker box will play."""
    entries = parse_m3u8(playlist.read_text(encoding="utf-8"))
    return [(title, _length(seconds), Path(path).name) for seconds, title, path in entries]


def _minute(stamp: str) -> str:
    """An interrupt's start (station time, as recorded) as people write it."""
    try:
        return f"{dt.datetime.fromisoformat(stamp):%H:%M %d/%m/%Y}"
    except ValueError:
        return stamp


def _length(seconds: float) -> str:
    if seconds < 0:
        return "?"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
