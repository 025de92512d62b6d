"""*Lịch phát*: the week (or a day) of the loudspeaker plan, its items and its exports.

Anyone signed in may read the plan; changes are the scheduler's (or the admin's). Every
action calls what ``broadcast schedule add|edit|remove|plan|export`` calls (the campaign
and items stages, after ``onair.refresh`` as the CLI does), and the week is drawn from
``broadcast.schedule.weekview``: this module only reads the form and lays out the result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from broadcast.errors import BroadcastError, InputError, NotFound
from broadcast.model.people import Role
from broadcast.model.time import station_now
from broadcast.schedule import campaign, items
from broadcast.schedule.exports import ExportFormat
from broadcast.schedule.grid import ALL_ZONES, workspace_grid
from broadcast.schedule.model import Priority
from broadcast.schedule.onair import refresh
from broadcast.schedule.weekview import week_view
from broadcast.web.pages.media import media_path
from broadcast.web.routing import ANYONE, Page, Routes

routes = Routes()
CHANGE = (Role.SCHEDULER, Role.ADMIN)
EXPORT_FOLDER = "lich-phat"  # under out/, so the media route may serve what is exported
FORMAT_LABELS = {
    ExportFormat.M3U8: "M3U8 (cho bộ phát loa)",
    ExportFormat.JSON: "JSON (cho loa IP)",
    ExportFormat.ICS: "iCalendar (lịch)",
    ExportFormat.HTML: "Bảng tuần để in",
}


def _where(page: Page, form: Any = None) -> dict[str, str]:
    """The view (week or day, day, zone) from the query or the posted form."""
    source = form if form is not None else page.request.query_params
    return {
        "ngay": str(source.get("ngay") or ""),
        "xem": "ngay" if source.get("xem") == "ngay" else "tuan",
        "khu": str(source.get("khu") or ""),
    }


def _first_day(where: dict[str, str], now: dt.datetime) -> tuple[dt.date, int]:
    day = campaign.parse_day(where["ngay"], "Ngày") if where["ngay"] else now.date()
    if where["xem"] == "ngay":
        return day, 1
    return day - dt.timedelta(days=day.weekday()), 7


def _load(page: Page, where: dict[str, str]) -> dict[str, Any]:
    ws = page.workspace
    now = station_now()
    first, days = _first_day(where, now)
    grid = workspace_grid(ws)
    zone = where["khu"] or None
    if zone is not None:
        grid.zone(zone)  # an unknown zone is the page's error, in Vietnamese
    try:
        stored = campaign.read_plan(ws, first, days)
    except InputError:
        stored = None  # nothing planned yet: the page says so and offers to plan
    view = week_view(stored, first, days, zone_id=zone, now=now) if stored else None
    return {
        "where": where,
        "first": first,
        "days": days,
        "view": view,
        "grid": grid,
        "zones": grid.zones,
        "zone_names": {ALL_ZONES: "mọi cụm loa", **{z.id: z.name for z in grid.zones}},
        "items": items.list_items(ws),
        "priorities": list(Priority),
        "formats": [(f.value, label) for f, label in FORMAT_LABELS.items()],
        "previous": first - dt.timedelta(days=days),
        "next": first + dt.timedelta(days=days),
        "last": first + dt.timedelta(days=days - 1),
        "can_change": any(page.me.has(role) for role in CHANGE),
    }


async def _show(
    page: Page, where: dict[str, str], *, status_code: int = 200, **extra: Any
) -> Response:
    context = await page.call(_load, page, where)
    return page.render("schedule/week.html", status_code=status_code, **context, **extra)


async def _act(page: Page, where: dict[str, str], action: Any, **extra: Any) -> Response:
    """Run a change; its refusal is shown above the same week (the form is not lost in an
    error page), its result likewise. A script or item that is not this station's is
    answered 404, with the same page."""
    try:
        done = await page.call(action)
    except BroadcastError as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        return await _show(page, where, status_code=status, error=exc.message)
    return await _show(page, where, done=done, **extra)


@routes.get("/lich-phat", "schedule", roles=ANYONE, nav="Lịch phát")
async def schedule(page: Page) -> Response:
    return await _show(page, _where(page))


def _zones(form: Any) -> tuple[str, ...]:
    chosen = tuple(str(z) for z in form.getlist("zones") if str(z))
    return chosen or (ALL_ZONES,)


def _lines_of_refresh(page: Page) -> list[str]:
    """Stale renders off the plan first, as every ``schedule`` command does."""
    return refresh(page.workspace).lines()


@routes.post("/lich-phat/them", "schedule_add", roles=CHANGE)
async def schedule_add(page: Page) -> Response:
    form = await page.form()
    where = _where(page, form)
    priority = str(form.get("priority") or Priority.NORMAL.value)
    languages = tuple(
        dict.fromkeys(c.strip().lower() for c in str(form.get("languages") or "").split(","))
    )

    def add() -> str:
        lines = _lines_of_refresh(page)
        minimum = str(form.get("min_plays") or "0").strip()
        if not minimum.isdigit():
            raise InputError("Số lần phát tối thiểu mỗi tuần phải là số nguyên không âm.")
        added = campaign.add_item(
            page.workspace,
            str(form.get("script") or "").strip(),
            starts=campaign.parse_moment(str(form.get("from") or ""), "Ngày bắt đầu"),
            last_day=campaign.parse_day(str(form.get("to") or ""), "Ngày kết thúc"),
            priority=Priority(priority) if priority in set(Priority) else Priority.NORMAL,
            min_plays=int(minimum),
            zones=_zones(form),
            languages=tuple(c for c in languages if c) or None,
            topic=None,
        )
        said = [
            f"Đã thêm mục #{added.item_id}: {added.title} ({', '.join(added.languages)}). "
            "Bấm “Lập lại lịch” để xếp mục này vào các khung giờ."
        ]
        for zone, start in added.next_slots:
            said.append(f"Tin khẩn cấp phát ở cụm loa {zone} lúc {start:%H:%M %d/%m/%Y}.")
        if added.skipped:
            said.append(f"Chưa duyệt nên chưa phát: {', '.join(added.skipped)}.")
        return " ".join([*lines, *said])

    return await _act(page, where, add)


@routes.post("/lich-phat/muc/{id:int}/sua", "schedule_edit", roles=CHANGE)
async def schedule_edit(page: Page) -> Response:
    form = await page.form()
    where = _where(page, form)
    number = int(page.request.path_params["id"])

    def edit() -> str:
        _lines_of_refresh(page)
        until = str(form.get("until") or "").strip()
        minimum = str(form.get("min_plays") or "").strip()
        priority = str(form.get("priority") or "")
        if minimum and not minimum.isdigit():
            raise InputError("Số lần phát tối thiểu mỗi tuần phải là số nguyên không âm.")
        item, change = items.edit_item(
            page.workspace,
            str(number),
            until=campaign.parse_day(until, "Ngày cuối") if until else None,
            zones=_zones(form) if form.get("zones_sent") else None,
            priority=Priority(priority) if priority in set(Priority) else None,
            min_plays=int(minimum) if minimum else None,
        )
        return " ".join([f"Đã sửa mục #{item.id} ({item.title}).", *change.lines()])

    return await _act(page, where, edit)


@routes.post("/lich-phat/muc/{id:int}/go", "schedule_remove", roles=CHANGE)
async def schedule_remove(page: Page) -> Response:
    form = await page.form()
    where = _where(page, form)
    number = int(page.request.path_params["id"])

    def remove() -> str:
        _lines_of_refresh(page)
        item, change = items.remove_item(page.workspace, str(number), by=page.me.login)
        return " ".join([f"Đã gỡ mục #{item.id} ({item.title}) từ bây giờ.", *change.lines()])

    return await _act(page, where, remove)


@routes.post("/lich-phat/lap-lich", "schedule_plan", roles=CHANGE)
async def schedule_plan(page: Page) -> Response:
    form = await page.form()
    where = _where(page, form)

    def plan() -> str:
        first, days = _first_day(where, station_now())
        lines = _lines_of_refresh(page)
        result = campaign.plan_days(page.workspace, first, days)
        plays = sum(1 for s in result.slots for e in s.entries if e.item_id is not None)
        return " ".join(
            [
                *lines,
                f"Đã lập lịch {result.first_day:%d/%m/%Y}–{result.last_day:%d/%m/%Y}: "
                f"{len(result.slots)} khung giờ, {plays} lượt phát, "
                f"{len(result.findings)} điều chưa đáp ứng.",
            ]
        )

    return await _act(page, where, plan)


@routes.post("/lich-phat/xuat", "schedule_export", roles=CHANGE)
async def schedule_export(page: Page) -> Response:
    form = await page.form()
    where = _where(page, form)
    chosen = str(form.get("format") or "")
    if chosen not in {f.value for f in ExportFormat}:
        raise InputError("Hãy chọn một định dạng xuất lịch.")
    fmt = ExportFormat(chosen)

    def export() -> list[tuple[str, str]]:
        ws = page.workspace
        first, days = _first_day(where, station_now())
        _lines_of_refresh(page)
        folder = ws.out_dir / EXPORT_FOLDER / fmt.value
        written = campaign.export_schedule(ws, first, days, fmt, folder)
        links = []
        for path in written:
            served = media_path(ws, path)
            if served is not None:
                links.append((path.relative_to(folder).as_posix(), served))
        return links

    try:
        links = await page.call(export)
    except BroadcastError as exc:
        return await _show(page, where, status_code=400, error=exc.message)
    folder = f"out/{EXPORT_FOLDER}/{fmt.value}"
    return await _show(
        page,
        where,
        done=f"Đã xuất {len(links)} tệp {FORMAT_LABELS[fmt]} vào thư mục {folder} của đài.",
        exported=links,
    )
