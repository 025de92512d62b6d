"""*Cài đặt đài*: the admin edits station.toml in a form, checked as ``config check`` does.

Everything is done by ``broadcast.config.edit`` (values typed by the declared kind of each
key, written back with the file's comments kept, refused with every problem at its field);
after a save the app reads the workspace again, so the change applies from the next click
without restarting ``broadcast web``. *Nghe thử* reads a fixed sample sentence with the
voice chosen in the form through the render's own voice stage
(``broadcast.render.preview.voice_sample``), so the admin hears what a bulletin will sound
like before saving. People and roles stay on their own page. The term
base and translation memory are exchanged through the importers and exporters of
``broadcast glossary|tm import|export`` (all or nothing, their own sentences on refusal).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import escape
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, Response

from broadcast.config.edit import (
    MIX_FIELDS,
    SCALARS,
    SettingsForm,
    SettingsRefused,
    current_form,
    save_form,
    setting,
    submitted_form,
)
from broadcast.errors import BroadcastError, InputError
from broadcast.model.people import Role
from broadcast.model.script import Topic
from broadcast.store.station import WEEKDAYS
from broadcast.store.workspace import STATION_FILE
from broadcast.web.routing import Page, Routes

routes = Routes()
ADMIN = (Role.ADMIN,)
DAY_LABELS = dict(zip(WEEKDAYS, ("T2", "T3", "T4", "T5", "T6", "T7", "CN"), strict=True))
SECTIONS = (
    ("Thông tin đài", "station"),
    ("Báo cáo: cơ quan và người ký", "report"),
    ("Duyệt nội dung", "review"),
    ("Giọng đọc", "audio"),
    ("Trang web", "web"),
)


def _kind(name: str) -> str:
    """How the form shows a key: a checkbox, a number box or a text box."""
    declared_kind = setting(name).kind
    if declared_kind is bool:
        return "bool"
    return "number" if declared_kind in (int, float) else "text"


def _label(name: str) -> str:
    """The declared help of a key as a label: its first letter capital, the rest as
    declared (MB stays MB)."""
    text = setting(name).help
    return text[:1].upper() + text[1:]


# The shipped mix profiles by what a commune uses them for.
MIX_TITLES = {
    "loudspeaker": "Loa ngoài trời (loudspeaker)",
    "web": "Mạng xã hội và trang web (web)",
    "broadcast": "Phát sóng, chuẩn EBU R 128 (broadcast)",
}


def _range(name: str) -> str:
    """A number field's range as the check states it (0,1–5; -40–-5)."""
    decl = setting(name)
    if decl.low is None or decl.high is None:
        return ""
    return f" ({decl.low:g}–{decl.high:g})".replace(".", ",")


def _voices(page: Page) -> list[tuple[str, str]]:
    """Each voice profile the station can choose (shipped and its own), with its description;
    the saved ``[audio] voice`` first when it names an espeak-ng voice instead."""
    from broadcast.voice.profiles import load_profile, profile_names

    found: list[tuple[str, str]] = []
    saved = page.workspace.station.voice
    names = profile_names(page.workspace)
    if saved not in names:
        found.append((saved, f"espeak-ng, giọng '{saved}' theo tốc độ đọc bên dưới"))
    for name in names:
        try:
            found.append((name, load_profile(name, page.workspace).description or name))
        except BroadcastError as exc:
            found.append((name, f"hỏng: {exc.message}"))
    return found


def _mix_groups(page: Page) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Per shipped profile: its title and each field with the value that applies now (shown
    in the empty box, so the admin sees what leaving it empty means)."""
    from broadcast.render.stages import mix_profile

    groups: list[tuple[str, str, list[tuple[str, str]]]] = []
    for profile, title in MIX_TITLES.items():
        try:
            applies: object = mix_profile(page.workspace, profile)
        except BroadcastError:
            applies = None
        fields = []
        for name in (n for n in MIX_FIELDS if n.split(".")[1] == profile):
            value = getattr(applies, name.split(".")[2], None)
            shown = f"{value:g}".replace(".", ",") if isinstance(value, float) else value
            shown = "" if value is None else shown
            fields.append((name, f"đang dùng {shown}" if shown != "" else "không có"))
        groups.append((profile, title, fields))
    return groups


def _render(page: Page, form: SettingsForm, *, status_code: int = 200, **extra: object) -> Response:
    groups = [(title, [f"{t}.{k}" for t, k in SCALARS if t == table]) for title, table in SECTIONS]
    return page.render(
        "settings/page.html",
        status_code=status_code,
        form=form,
        groups=groups,
        setting=setting,
        kind=_kind,
        label=_label,
        topics=", ".join(t.value for t in Topic),
        days=DAY_LABELS,
        station_languages=", ".join(page.workspace.station.languages),
        voices=_voices(page),
        mix_groups=_mix_groups(page),
        number_range=_range,
        **extra,
    )


@routes.get("/cai-dat", "settings", roles=ADMIN, nav="Cài đặt đài")
async def settings(page: Page) -> Response:
    form = await page.call(current_form, page.workspace.root / STATION_FILE)
    return _render(page, form)


@routes.post("/cai-dat", "settings_save", roles=ADMIN)
async def settings_save(page: Page) -> Response:
    from broadcast.web.app import reload_workspace

    data = await page.form()
    submitted = submitted_form({key: [str(v) for v in data.getlist(key)] for key in data})
    path = page.workspace.root / STATION_FILE
    try:
        saved = await page.call(save_form, path, submitted)
    except SettingsRefused as exc:
        return _render(page, exc.form, status_code=400, error=exc.message)
    page.workspace = await page.call(reload_workspace, page.request.app, page.workspace)
    form = await page.call(current_form, path)
    form.notices = list(saved.notices)
    done = "Đã lưu cài đặt; áp dụng ngay." if saved.changed else "Không có gì thay đổi."
    return _render(page, form, done=done)


@routes.post("/cai-dat/nghe-thu", "settings_voice_sample", roles=ADMIN)
async def voice_sample(page: Page) -> Response:
    """*Nghe thử*: the fixed sample sentence read by the voice chosen in the form, through
    the same voice stage as every render; an audio player (htmx), or the page with it."""
    from broadcast.render.preview import voice_sample as make_sample
    from broadcast.web.pages.media import media_path

    data = await page.form()
    voice = str(data.get("audio.voice") or page.workspace.station.voice).strip()
    path = await page.call(make_sample, page.workspace, voice)
    relative = media_path(page.workspace, path)
    url = str(page.request.url_for("media", path=relative)) if relative else ""
    label = f"Nghe thử giọng {voice}"
    if page.htmx:
        return HTMLResponse(
            f'<audio controls autoplay preload="auto" src="{escape(url)}" '
            f'aria-label="{escape(label)}"></audio>'
        )
    submitted = submitted_form({key: [str(v) for v in data.getlist(key)] for key in data})
    return _render(page, submitted, sample=(url, label))


# --- Thuật ngữ và bộ nhớ dịch: the files of ``broadcast glossary|tm import|export`` ---------


def _language_lists(page: Page) -> Any:
    from broadcast.translate.termbase import StationLanguages

    return StationLanguages.of(page.workspace.station)


async def _uploaded(page: Page, field: str, kinds: tuple[str, ...]) -> tuple[str, bytes]:
    """The uploaded file's name and bytes, or the sentence saying what to choose."""
    form = await page.form()
    chosen = form.get(field)
    if not isinstance(chosen, UploadFile) or not chosen.filename:
        raise InputError(f"Hãy chọn một tệp {' hoặc '.join(kinds)} để nhập.")
    return chosen.filename, await chosen.read()


def _with_file(name: str, data: bytes, action: Callable[[Path], Any]) -> Any:
    """Run a file importer (the CLI's, which reads a path) on uploaded bytes: written under
    their own extension in a private temporary folder, removed after."""
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="broadcast-nhap-") as folder:
        path = Path(folder) / f"tai-len{suffix}"
        path.write_bytes(data)
        return action(path)


async def _after_import(page: Page, done: str) -> Response:
    form = await page.call(current_form, page.workspace.root / STATION_FILE)
    return _render(page, form, done=done)


async def _refused(page: Page, exc: BroadcastError) -> Response:
    form = await page.call(current_form, page.workspace.root / STATION_FILE)
    return _render(page, form, status_code=400, error=exc.message)


async def _import_upload(
    page: Page, field: str, suffixes: tuple[str, ...], importer: Callable[..., Any]
) -> tuple[str, Any]:
    """The uploaded file of ``field`` given to ``importer(db, path, languages, by=)`` (the term
    base's or the memory's), in a worker thread; returns the file's name and the summary."""
    name, data = await _uploaded(page, field, suffixes)

    def run(path: Path) -> Any:
        with page.db() as db:  # the station's own entries, recorded as this person's
            return importer(db, path, _language_lists(page), by=page.me)

    return name, await page.call(_with_file, name, data, run)


@routes.post("/cai-dat/nhap-thuat-ngu", "settings_terms_import", roles=ADMIN)
async def terms_import(page: Page) -> Response:
    from broadcast.translate.termfiles import import_term_file

    try:
        name, summary = await _import_upload(
            page, "tep_thuat_ngu", (".csv", ".tbx"), import_term_file
        )
    except BroadcastError as exc:
        return await _refused(page, exc)
    return await _after_import(
        page,
        f"Đã nhập {summary.total} thuật ngữ từ {name}: {summary.added} mới, "
        f"{summary.updated} cập nhật, {summary.unchanged} không đổi.",
    )


@routes.post("/cai-dat/nhap-bo-nho-dich", "settings_tm_import", roles=ADMIN)
async def tm_import(page: Page) -> Response:
    from broadcast.translate.memory import import_tmx_file

    try:
        name, summary = await _import_upload(page, "tep_bo_nho", (".tmx",), import_tmx_file)
    except BroadcastError as exc:
        return await _refused(page, exc)
    return await _after_import(
        page,
        f"Đã nhập {summary.total} cặp câu từ {name}: {summary.added} mới, "
        f"{summary.unchanged} đã có.",
    )


def _download(data: bytes, name: str, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


async def _terms(page: Page, fmt: str) -> Response:
    from broadcast.translate.termfiles import export_terms, term_format

    def export() -> tuple[bytes, int]:
        with page.db() as db:
            return export_terms(db, term_format(None, fmt))

    data, _ = await page.call(export)
    kind = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-tbx+xml"
    return _download(data, f"thuat-ngu.{fmt}", kind)


@routes.get("/cai-dat/thuat-ngu.csv", "settings_terms_csv", roles=ADMIN)
async def terms_csv(page: Page) -> Response:
    return await _terms(page, "csv")


@routes.get("/cai-dat/thuat-ngu.tbx", "settings_terms_tbx", roles=ADMIN)
async def terms_tbx(page: Page) -> Response:
    return await _terms(page, "tbx")


@routes.get("/cai-dat/bo-nho-dich.tmx", "settings_tm_tmx", roles=ADMIN)
async def tm_tmx(page: Page) -> Response:
    from broadcast.translate.memory import export_tmx

    def export() -> tuple[bytes, int]:
        with page.db() as db:
            return export_tmx(db)

    data, _ = await page.call(export)
    return _download(data, "bo-nho-dich.tmx", "application/x-tmx+xml")
