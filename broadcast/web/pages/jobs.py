"""*Công việc*: the progress of long work (voice, mix, video, produce, translate).

``/viec/{id}`` is the fragment every page swaps in to follow a job: htmx polls it every
second while the job is queued or running, and the fragment it gets back once the job is
finished has no trigger, so polling stops by itself. It shows the job's Vietnamese message, a
labelled ``<progress>``, the error sentence of a failed job, and the result (a player for a
mix or a video, links otherwise). ``/viec`` lists recent jobs, failed ones first, with a
cancel button; ``broadcast.jobs.tasks.cancel`` decides who may cancel.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response

from broadcast.jobs import tasks
from broadcast.model.jobs import Job, JobState
from broadcast.model.time import local
from broadcast.store.workspace import Workspace
from broadcast.web.pages.media import media_path
from broadcast.web.routing import ANYONE, Page, Routes

routes = Routes()

RESULT_LABELS = {
    "path": "Tệp âm thanh",
    "video": "Video",
    "srt": "Phụ đề SRT",
    "vtt": "Phụ đề VTT",
    "thumbnail": "Ảnh bìa",
    "audio": "Âm thanh",
}
AUDIO_SUFFIXES = (".mp3", ".m4a", ".wav")


@dataclass(frozen=True)
class JobView:
    """A job as a page shows it: times in the station's zone, result files as /tep/ links."""

    job: Job
    created: str
    finished: str
    percent: int
    files: tuple[tuple[str, str], ...]  # (label, media path) of the result's files
    audio: str | None  # media path of a mixed audio file to play
    video: str | None  # media path of a video to play

    @property
    def active(self) -> bool:
        return not self.job.state.finished


def job_view(ws: Workspace, job: Job) -> JobView:
    served: dict[str, str] = {}
    for key, value in (job.result or {}).items():
        if key in RESULT_LABELS and isinstance(value, str):
            found = media_path(ws, value)
            if found is not None:
                served[key] = found
    audio = served.get("path")
    return JobView(
        job=job,
        created=local(job.created_at),
        finished=local(job.finished_at),
        percent=round(max(0.0, min(1.0, job.progress)) * 100),
        files=tuple((RESULT_LABELS[k], v) for k, v in served.items()),
        audio=audio if audio and audio.endswith(AUDIO_SUFFIXES) else None,
        video=served.get("video"),
    )


async def _view(page: Page, job_id: int) -> JobView:
    def load() -> JobView:
        return job_view(page.workspace, tasks.get(page.workspace, job_id))

    found: JobView = await page.call(load)
    return found


@routes.get("/viec", "jobs", roles=ANYONE, nav="Công việc")
async def jobs(page: Page) -> Response:
    def load() -> list[JobView]:
        found = tasks.list_jobs(page.workspace, limit=50)
        # Failed ones first (someone must look at them), then the newest.
        found.sort(key=lambda j: (j.state is not JobState.FAILED, -j.id))
        return [job_view(page.workspace, j) for j in found]

    return page.render("jobs/list.html", views=await page.call(load))


@routes.get("/viec/{job_id:int}", "job", roles=ANYONE)
async def job(page: Page) -> Response:
    view = await _view(page, int(page.request.path_params["job_id"]))
    if page.htmx:
        return page.render("jobs/fragment.html", view=view)
    return page.render("jobs/page.html", view=view)


@routes.post("/viec/{job_id:int}/huy", "job_cancel", roles=ANYONE)
async def job_cancel(page: Page) -> Response:
    job_id = int(page.request.path_params["job_id"])
    await page.call(tasks.cancel, page.workspace, job_id, page.me)
    if page.htmx:
        return page.render("jobs/fragment.html", view=await _view(page, job_id))
    return page.redirect("jobs")
