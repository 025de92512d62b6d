"""*Thành phẩm*: every render with its players, loudness figures, downloads and the slots it
is planned in; producers start voice, mix and video jobs from here.

The renders come from the store (``list_renders``), the planned plays from
``broadcast.schedule.planned``, the jobs from ``broadcast.jobs.tasks`` — the same stage
functions as ``broadcast voice|mix|video``, with the same role checks and gate. Files are
linked through the one media route (``/tep/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from broadcast.errors import InputError
from broadcast.model.jobs import JobKind
from broadcast.model.people import Role
from broadcast.model.time import local
from broadcast.schedule.planned import PlannedPlay, planned_plays
from broadcast.store.renders import ListedRender, list_renders
from broadcast.store.workspace import Workspace
from broadcast.web.pages.media import media_path
from broadcast.web.routing import ANYONE, Page, Routes

routes = Routes()
RENDER_KINDS = (JobKind.VOICE, JobKind.MIX, JobKind.VIDEO)
KIND_LABELS = {
    "audio": "Âm thanh",
    "video": "Video",
    "subtitles": "Phụ đề",
    "thumbnail": "Ảnh bìa",
}
DETAIL_LABELS = {  # mix profiles and video formats, as the CLI's choices name them
    "loudspeaker": "loa",
    "web": "web",
    "broadcast": "đài",
    "vertical": "dọc",
    "landscape": "ngang",
}


@dataclass(frozen=True)
class RenderView:
    render: ListedRender
    media: str | None  # /tep/ path; None when the file is gone
    created: str
    plays: tuple[PlannedPlay, ...]

    @property
    def label(self) -> str:
        """'Âm thanh · loa · MP3', 'Video · dọc · MP4', 'Phụ đề · VTT'."""
        r = self.render
        name = KIND_LABELS.get(r.kind, r.kind)
        detail = r.profile if r.kind == "audio" else r.format
        if r.kind == "subtitles":
            detail = None  # the file type says it
        suffix = r.path.rsplit(".", 1)[-1].upper() if "." in r.path else ""
        shown = DETAIL_LABELS.get(detail or "", detail or "")
        return " · ".join(x for x in (name, shown, suffix) if x)


@dataclass
class Group:
    """The renders of one script in one language."""

    script_id: int
    slug: str
    title: str
    language: str
    audio: list[RenderView] = field(default_factory=list)
    video: list[RenderView] = field(default_factory=list)
    files: list[RenderView] = field(default_factory=list)  # subtitles, thumbnails

    @property
    def plays(self) -> list[PlannedPlay]:
        return sorted(
            (p for v in (*self.audio, *self.video) for p in v.plays), key=lambda p: p.starts_at
        )


def load_groups(ws: Workspace) -> list[Group]:
    with ws.open_db() as db:
        rows = list_renders(db)
    plays = planned_plays(ws)
    groups: dict[tuple[int, str], Group] = {}
    for row in rows:
        group = groups.setdefault(
            (row.script_id, row.language),
            Group(row.script_id, row.slug, row.title, row.language),
        )
        view = RenderView(
            row, media_path(ws, row.path), local(row.created_at), tuple(plays.get(row.id, ()))
        )
        if row.kind == "audio":
            group.audio.append(view)
        elif row.kind == "video":
            group.video.append(view)
        else:
            group.files.append(view)
    return list(groups.values())


def _scripts(ws: Workspace) -> list[tuple[int, str]]:
    from broadcast.script.catalog import list_scripts

    return [(e.script.id, f"#{e.script.id} {e.script.title}") for e in reversed(list_scripts(ws))]


@routes.get("/thanh-pham", "renders", roles=ANYONE, nav="Thành phẩm")
async def renders(page: Page) -> Response:
    groups = await page.call(load_groups, page.workspace)
    producer = page.me.has(Role.PRODUCER)
    scripts = await page.call(_scripts, page.workspace) if producer else []
    return page.render(
        "renders/list.html",
        groups=groups,
        producer=producer,
        scripts=scripts,
        languages=list(page.workspace.station.languages),
        kinds=RENDER_KINDS,
    )


@routes.post("/thanh-pham/lam", "render_start", roles=(Role.PRODUCER,))
async def render_start(page: Page) -> Response:
    """Start a voice, mix or video job; the reply is the job's progress fragment."""
    from broadcast.jobs import tasks
    from broadcast.web.pages.jobs import job_view

    form = await page.form()
    script = str(form.get("script") or "").strip()
    language = str(form.get("language") or "vi").strip()
    kind_text = str(form.get("kind") or "")
    if not script:
        raise InputError("Hãy chọn kịch bản cần làm thành phẩm.")
    kind = tasks.parse_kind(kind_text)
    if kind not in RENDER_KINDS:
        raise InputError("Ở trang này chỉ đọc giọng, trộn âm thanh hoặc dựng video.")
    args: dict[str, object] = {"script": script, "language": language}
    job_id = await page.call(tasks.submit, page.workspace, kind, args, page.me)
    if not page.htmx:
        return page.redirect("job", job_id=job_id)
    view = await page.call(lambda: job_view(page.workspace, tasks.get(page.workspace, job_id)))
    return page.render("jobs/fragment.html", view=view)
