"""*Xuất bản*: one approved script's portal item and social packs, and its publication log
(issue 14, items 5 and 6), reached from *Thành phẩm*.

Publishing runs ``broadcast.publish.publish.publish`` — the function behind ``broadcast
publish`` — as a background job (kind ``publish``: the packs re-encode video), with the same
role (producer) and the same gate: an unapproved script is refused with the gate's own
sentence, and the page shows that sentence beside a disabled button before anyone clicks.
The files are listed from the script's ``out/<script>/publish/<channel>/`` folders and linked
through the one media route (``/tep/``), which serves nothing outside ``out/``.

"Ghi nhận đã đăng" calls ``broadcast.publish.log.log_publication`` (``broadcast publish
log``): channel, link or place, time in the station's zone, note; every refusal (unknown
channel, bad or future time, not a link) is the stage's sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.responses import RedirectResponse, Response

from broadcast.errors import InputError
from broadcast.model.jobs import Job, JobKind
from broadcast.model.people import Role
from broadcast.model.time import local, station_now
from broadcast.store.publications import Publication
from broadcast.store.records import StoredScript
from broadcast.store.workspace import Workspace
from broadcast.web.pages.jobs import job_view
from broadcast.web.pages.media import media_path
from broadcast.web.routing import ANYONE, Page, Routes

routes = Routes()
PUBLISHERS = (Role.PRODUCER,)  # as ``broadcast publish``
RECORDERS = (Role.PRODUCER, Role.SCHEDULER, Role.ADMIN)  # as ``broadcast publish log``
CHANNEL_HINTS = {  # what each pack is, beside its checkbox
    "portal": "tin bài, ảnh, bản HTML và văn bản",
    "facebook": "video Reels, chú thích, ảnh bìa",
    "youtube": "video Shorts, chú thích, ảnh bìa",
    "tiktok": "video, chú thích, ảnh bìa",
    "zalo": "video, chú thích, ảnh bìa",
}


@dataclass(frozen=True)
class ChannelFiles:
    """The files of one channel's folder, as download links."""

    channel: str
    label: str
    files: tuple[tuple[str, str], ...]  # (file name, /tep/ path)


@dataclass(frozen=True)
class PublishView:
    script: StoredScript
    refusal: str | None  # the gate's sentence when the script may not be published
    channels: tuple[tuple[str, str, str], ...]  # (key, Vietnamese name, what it makes)
    log_channels: tuple[tuple[str, str], ...]
    files: tuple[ChannelFiles, ...]
    records: tuple[Publication, ...]


def _label(channel: str) -> str:
    from broadcast.publish.log import LOG_CHANNELS

    return LOG_CHANNELS.get(channel, channel)


def _files(ws: Workspace, slug: str, written: dict[str, list[str]] | None) -> list[ChannelFiles]:
    """Per channel, the files written (``written``: a job's result) or, without it, every
    file now in the script's publish folders; only files the media route serves are kept."""
    from broadcast.publish.publish import CHANNELS

    found: list[ChannelFiles] = []
    if written is not None:
        folders = {name: [ws.root / p for p in paths] for name, paths in written.items()}
    else:
        root = ws.out_dir / slug / "publish"
        folders = {
            name: sorted(p for p in (root / name).rglob("*") if p.is_file())
            for name in CHANNELS
            if (root / name).is_dir()
        }
    for name, paths in folders.items():
        links = [
            (path.relative_to(ws.out_dir / slug / "publish" / name).as_posix(), served)
            for path in paths
            if path.is_relative_to(ws.out_dir / slug / "publish" / name)
            and (served := media_path(ws, path)) is not None
        ]
        if links:
            found.append(ChannelFiles(name, _label(name), tuple(links)))
    return found


def load_view(ws: Workspace, script_id: int) -> PublishView:
    from broadcast.publish.log import LOG_CHANNELS, list_publications
    from broadcast.publish.publish import CHANNELS
    from broadcast.review.gate import require_approved
    from broadcast.store.records import find_script

    with ws.open_db() as db:
        script = find_script(db, str(script_id))
        if script.id != script_id:  # a script *named* like the number: not this one
            raise InputError(f"Không có kịch bản số {script_id}; hãy chọn ở trang Thành phẩm.")
        try:
            require_approved(db, script.id, script.language)
            refusal = None
        except InputError as exc:
            refusal = exc.message
    return PublishView(
        script=script,
        refusal=refusal,
        channels=tuple((k, _label(k), CHANNEL_HINTS.get(k, "")) for k in CHANNELS),
        log_channels=tuple(LOG_CHANNELS.items()),
        files=tuple(_files(ws, script.slug, None)),
        records=tuple(list_publications(ws, str(script.id))),
    )


def _script_id(page: Page) -> int:
    return int(page.request.path_params["script_id"])


async def _page(page: Page, *, status_code: int = 200, **extra: Any) -> Response:
    view = await page.call(load_view, page.workspace, _script_id(page))
    return page.render(
        "publish/page.html",
        status_code=status_code,
        view=view,
        publisher=any(page.me.has(r) for r in PUBLISHERS),
        recorder=any(page.me.has(r) for r in RECORDERS),
        now=station_now().strftime("%Y-%m-%dT%H:%M"),
        local=local,
        **extra,
    )


@routes.get("/xuat-ban", "publish_choose", roles=ANYONE)
async def publish_choose(page: Page) -> Response:
    """The script chooser of *Thành phẩm* (a GET form) lands here."""
    chosen = str(page.request.query_params.get("kich_ban") or "").strip()
    if not chosen.isdigit():
        raise InputError("Hãy chọn kịch bản cần xuất bản.")
    return page.redirect("publish_page", script_id=int(chosen))


@routes.get("/xuat-ban/{script_id:int}", "publish_page", roles=ANYONE)
async def publish_page(page: Page) -> Response:
    extra: dict[str, Any] = {}
    job_text = str(page.request.query_params.get("viec") or "")
    if job_text.isdigit():  # after a publish without htmx: follow that job here
        extra["job"] = await page.call(_job, page.workspace, _script_id(page), int(job_text))
    return await _page(page, **extra)


@routes.post("/xuat-ban/{script_id:int}", "publish_start", roles=PUBLISHERS)
async def publish_start(page: Page) -> Response:
    """Queue a publish job for the ticked channels; the reply follows its progress."""
    from broadcast.jobs import tasks

    form = await page.form()
    channels = [str(v) for v in form.getlist("kenh") if str(v).strip()]
    if not channels:
        raise InputError("Chưa chọn kênh nào; hãy đánh dấu ít nhất một kênh rồi bấm Xuất bản.")
    script_id = _script_id(page)
    args = {"script": str(script_id), "to": ",".join(channels)}
    job_id = await page.call(tasks.submit, page.workspace, JobKind.PUBLISH, args, page.me)
    if not page.htmx:
        url = str(page.request.url_for("publish_page", script_id=script_id))
        return RedirectResponse(f"{url}?viec={job_id}", status_code=303)
    job = await page.call(_job, page.workspace, script_id, job_id)
    return page.render("publish/job.html", job=job, script_id=script_id)


@dataclass(frozen=True)
class PublishJob:
    job: Job
    percent: int
    files: tuple[ChannelFiles, ...]  # what the finished job wrote

    @property
    def active(self) -> bool:
        return not self.job.state.finished


def _job(ws: Workspace, script_id: int, job_id: int) -> PublishJob:
    from broadcast.jobs import tasks

    job = tasks.get(ws, job_id)
    if job.kind is not JobKind.PUBLISH or str(job.args.get("script")) != str(script_id):
        raise InputError(f"Việc số {job_id} không phải việc xuất bản kịch bản này.")
    written: dict[str, list[str]] = {}
    result = job.result or {}
    raw = result.get("channels")
    if isinstance(raw, dict):
        written = {str(k): [str(p) for p in v] for k, v in raw.items() if isinstance(v, list)}
    slug = str(result.get("script") or "")
    files = _files(ws, slug, written) if written and slug else []
    return PublishJob(job, job_view(ws, job).percent, tuple(files))


@routes.get("/xuat-ban/{script_id:int}/viec/{job_id:int}", "publish_job", roles=ANYONE)
async def publish_job(page: Page) -> Response:
    """The publish job's fragment, polled every second until it is finished; once done it
    lists the files written with their download links."""
    script_id = _script_id(page)
    job = await page.call(_job, page.workspace, script_id, int(page.request.path_params["job_id"]))
    return page.render("publish/job.html", job=job, script_id=script_id)


@routes.post("/xuat-ban/{script_id:int}/ghi-nhan", "publish_record", roles=RECORDERS)
async def publish_record(page: Page) -> Response:
    """Record that this script went out somewhere (``broadcast publish log``)."""
    from broadcast.publish.log import log_publication

    form = await page.form()
    given = {k: str(form.get(k) or "") for k in ("kenh", "noi", "luc", "ghi_chu")}
    try:
        row = await page.call(
            lambda: log_publication(
                page.workspace,
                str(_script_id(page)),
                channel=given["kenh"],
                where=given["noi"],
                person=page.me,
                at=given["luc"] or None,
                note=given["ghi_chu"],
            )
        )
    except InputError as exc:
        return await _page(page, status_code=400, error=exc.message, given=given)
    done = (
        f"Đã ghi: đăng trên {_label(row.channel)} lúc {row.published_at:%d/%m/%Y %H:%M}, "
        f"tại {row.place}."
    )
    return await _page(page, done=done)
