"""*Bản thu*: the producer uploads an announcer's recording for a script and language, sees
the sentence boundaries on a waveform, plays each sentence, moves boundaries and accepts.

The upload goes through ``broadcast.takes.stage.import_take_file`` (the same checks as
``broadcast takes import``: approved language only, length against the script, silence,
unreadable audio); the waveform, the boundary check and the re-cut are
``broadcast.takes.edit``'s. The page only parses the form and shows the results.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response

from broadcast.errors import InputError
from broadcast.model.people import Role
from broadcast.store.files import temp_prefix
from broadcast.store.workspace import Workspace
from broadcast.takes.edit import StoredTake
from broadcast.web.routing import Page, Routes

routes = Routes()
PRODUCER = (Role.PRODUCER,)


@dataclass(frozen=True)
class TakePage:
    script_id: int
    slug: str
    title: str
    language: str
    take: StoredTake | None


def _script(ws: Workspace, script_id: int) -> tuple[int, str, str]:
    from broadcast.store.records import find_script

    with ws.open_db() as db:
        script = find_script(db, str(script_id))
    return script.id, script.slug, script.title


def load_page(ws: Workspace, script_id: int, language: str) -> TakePage:
    from broadcast.takes.edit import load_take

    found, slug, title = _script(ws, script_id)
    return TakePage(found, slug, title, language, load_take(ws, slug, language))


def _overview(ws: Workspace) -> dict[str, object]:
    from broadcast.script.catalog import list_scripts
    from broadcast.takes.edit import imported_takes, takes_to_record

    entries = list_scripts(ws)
    by_slug = {e.script.slug: e.script for e in entries}
    imported = [
        (by_slug[slug].id, by_slug[slug].title, language)
        for slug, language in imported_takes(ws)
        if slug in by_slug
    ]
    return {
        "scripts": [(e.script.id, f"#{e.script.id} {e.script.title}") for e in reversed(entries)],
        "needed": takes_to_record(ws),
        "imported": imported,
    }


@routes.get("/ban-thu", "takes", roles=PRODUCER, nav="Bản thu")
async def takes(page: Page) -> Response:
    context = await page.call(_overview, page.workspace)
    return page.render(
        "takes/list.html", languages=list(page.workspace.station.languages), **context
    )


def _number(text: object, name: str) -> float | None:
    value = str(text or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise InputError(f"'{name}' phải là một số (ví dụ 0.35).") from None


@routes.post("/ban-thu", "takes_upload", roles=PRODUCER)
async def takes_upload(page: Page) -> Response:
    from broadcast.takes.importer import SplitSettings
    from broadcast.takes.stage import import_take_file

    form = await page.form()
    upload = form.get("file")
    script = str(form.get("script") or "").strip()
    language = str(form.get("language") or "vi").strip()
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError("Hãy chọn tệp bản thu (MP3, WAV, M4A...) để tải lên.")
    if not script:
        raise InputError("Hãy chọn kịch bản của bản thu.")
    min_silence = _number(form.get("min_silence"), "Chỗ nghỉ giữa câu")
    noise = _number(form.get("noise"), "Ngưỡng im lặng")
    pace = _number(form.get("pace"), "Tốc độ đọc")
    defaults = SplitSettings()
    settings = SplitSettings(
        min_silence_s=defaults.min_silence_s if min_silence is None else min_silence,
        noise_db=defaults.noise_db if noise is None else noise,
    )
    ws = page.workspace
    data = await upload.read()
    name = PurePath(upload.filename).name or "ban-thu"

    def run() -> int:
        ws.staging_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=temp_prefix("upload"), dir=ws.staging_dir))
        try:
            source = folder / name
            source.write_bytes(data)
            take, _result = import_take_file(
                ws, source, script, language, settings=settings, pace_spm=pace
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return take.script.id

    script_id = await page.call(run)
    return page.redirect("take", script_id=script_id, language=language)


def _ids(page: Page) -> tuple[int, str]:
    return int(page.request.path_params["script_id"]), str(page.request.path_params["language"])


async def _take_page(page: Page, status_code: int = 200, **extra: object) -> Response:
    script_id, language = _ids(page)
    view = await page.call(load_page, page.workspace, script_id, language)
    return page.render("takes/take.html", status_code=status_code, view=view, **extra)


@routes.get("/ban-thu/{script_id:int}/{language}", "take", roles=PRODUCER)
async def take(page: Page) -> Response:
    return await _take_page(page)


def _spans(values: dict[str, str], count: int) -> list[tuple[float, float]]:
    spans = []
    for number in range(1, count + 1):
        start = _number(values.get(f"dau-{number}"), f"Đầu câu {number}")
        end = _number(values.get(f"cuoi-{number}"), f"Cuối câu {number}")
        if start is None or end is None:
            raise InputError(f"Hãy điền mốc đầu và cuối của câu {number}.")
        spans.append((start, end))
    return spans


async def _stored(page: Page) -> StoredTake:
    script_id, language = _ids(page)
    view = await page.call(load_page, page.workspace, script_id, language)
    if view.take is None:
        raise HTTPException(status_code=404)
    return view.take


@routes.get("/ban-thu/{script_id:int}/{language}/song.png", "take_waveform", roles=PRODUCER)
async def take_waveform(page: Page) -> Response:
    """The waveform with the stored spans, or with the proposed ones of the query."""
    from broadcast.takes.edit import check_spans, waveform_png

    stored = await _stored(page)
    query = dict(page.request.query_params)
    spans = None
    if any(key.startswith("dau-") for key in query):
        spans = _spans(query, len(stored.sentences))
        check_spans(spans, len(stored.sentences), stored.duration_s)
    png = await page.call(waveform_png, stored, spans)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@routes.get("/ban-thu/{script_id:int}/{language}/xem-truoc", "take_preview", roles=PRODUCER)
async def take_preview(page: Page) -> Response:
    """The waveform picture for the boundaries being edited (htmx, on every change)."""
    stored = await _stored(page)
    query = dict(page.request.query_params)
    _spans(query, len(stored.sentences))  # a sentence now, not a broken picture
    script_id, language = _ids(page)
    url = page.request.url_for("take_waveform", script_id=script_id, language=language)
    return page.render(
        "takes/waveform.html", src=f"{url}?{page.request.url.query}", note="Xem trước ranh giới mới"
    )


@routes.get("/ban-thu/{script_id:int}/{language}/cau/{number:int}", "take_clip", roles=PRODUCER)
async def take_clip(page: Page) -> Response:
    stored = await _stored(page)
    clip = stored.clip(int(page.request.path_params["number"]))
    if not clip.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(clip, media_type="audio/wav")


@routes.get("/ban-thu/{script_id:int}/{language}/ban-thu.wav", "take_audio", roles=PRODUCER)
async def take_audio(page: Page) -> Response:
    stored = await _stored(page)
    return FileResponse(stored.audio, media_type="audio/wav")


@routes.post("/ban-thu/{script_id:int}/{language}/nhan", "take_accept", roles=PRODUCER)
async def take_accept(page: Page) -> Response:
    from broadcast.takes.edit import move_boundaries

    stored = await _stored(page)
    form = await page.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        spans = _spans(values, len(stored.sentences))
        await page.call(move_boundaries, page.workspace, stored.slug, stored.language, spans)
    except InputError as exc:
        return await _take_page(page, status_code=400, error=exc.message)
    return await _take_page(page, done="Đã nhận ranh giới mới và cắt lại từng câu.")
