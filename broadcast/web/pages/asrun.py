"""*Nhật ký phát*: what the loudspeakers aired, against the plan, per day and zone.

Three things, each the same call as a ``broadcast asrun`` command: an uploaded file is
imported by ``asrun.upload_into`` (the checks and errors of ``asrun import``: a bad row
stops the whole file, nothing is imported), a play marked by hand goes through
``asrun.confirm_in`` (``asrun confirm``), and the comparison is ``asrun.diff_in``
(``asrun diff``, tolerances from station.toml ``[asrun]``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.responses import Response

from broadcast.errors import InputError
from broadcast.model.asrun import DayZone, Deviation, Difference, Reconciliation
from broadcast.model.people import Role
from broadcast.model.time import station_now
from broadcast.schedule import asrun
from broadcast.schedule.asrun_report import what
from broadcast.schedule.grid import workspace_grid
from broadcast.web.routing import Page, Routes

routes = Routes()
SCHEDULERS = (Role.SCHEDULER, Role.ADMIN)
DAYS_SHOWN = 7


@dataclass(frozen=True)
class Row:
    """One difference as the page lists it."""

    kind: str
    label: str
    when: str
    what: str
    late: str
    mark: tuple[str, str, int] | None = None  # (zone, slot start, number): mark it aired


@dataclass(frozen=True)
class Group:
    """A day in a zone: its counts and its differences."""

    day: str
    zone: str
    counts: DayZone
    rows: list[Row]


def _groups(result: Reconciliation, zone_names: dict[str, str]) -> list[Group]:
    by_key: dict[tuple[dt.date, str], list[Difference]] = {}
    for d in result.differences:
        day = d.planned.planned_start.date() if d.planned is not None else d.when.date()
        by_key.setdefault((day, d.zone), []).append(d)
    groups = []
    for counts in result.days:
        rows = [
            Row(
                d.kind.value,
                d.kind.label,
                f"{d.when:%H:%M}",
                what(d),
                f"muộn {round((d.delay_s or 0) / 60)} phút" if d.delay_s else "",
                _mark(d),
            )
            for d in by_key.get((counts.day, counts.zone), [])
        ]
        groups.append(
            Group(
                f"{counts.day:%d/%m/%Y}",
                zone_names.get(counts.zone, counts.zone),
                counts,
                rows,
            )
        )
    return groups


def _mark(d: Difference) -> tuple[str, str, int] | None:
    """What the 'aired after all' button of a missed play sends to ``asrun.confirm_in``."""
    p = d.planned
    if d.kind is not Deviation.MISSED or p is None or p.number < 1:
        return None
    return (p.zone, f"{p.slot_start:%Y-%m-%dT%H:%M}", p.number)


def _day(text: str | None, fallback: dt.date, what: str) -> dt.date:
    if not text:
        return fallback
    return asrun.parse_day(text, what)


async def _log_page(page: Page, *, status_code: int = 200, **extra: object) -> Response:
    ws = page.workspace
    today = station_now().date()
    params = page.request.query_params
    last = _day(params.get("den"), today, "Đến ngày")
    first = _day(params.get("tu"), last - dt.timedelta(days=DAYS_SHOWN - 1), "Từ ngày")
    result = await page.call(asrun.diff_in, ws, first.isoformat(), last.isoformat())
    zones = {z.id: z.name for z in workspace_grid(ws).zones}
    return page.render(
        "asrun/log.html",
        status_code=status_code,
        result=result,
        groups=_groups(result, zones),
        zones=list(zones.items()),
        first=first,
        last=last,
        kinds={k: len(result.of_kind(k)) for k in Deviation},
        **extra,
    )


@routes.get("/nhat-ky-phat", "asrun", roles=SCHEDULERS, nav="Nhật ký phát")
async def asrun_log(page: Page) -> Response:
    return await _log_page(page)


@routes.post("/nhat-ky-phat/tai-len", "asrun_upload", roles=SCHEDULERS)
async def asrun_upload(page: Page) -> Response:
    """Import an uploaded as-run file whole, or nothing of it."""
    form = await page.form()
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("Hãy chọn tệp nhật ký phát (CSV hoặc JSON) để tải lên.")
        data = await upload.read()
        result = await page.call(asrun.upload_into, page.workspace, data, upload.filename)
    except InputError as exc:
        return await _log_page(page, status_code=400, error=exc.message)
    if result.already_imported:
        done = f"Tệp {result.source} đã được nhập trước đây; không thêm gì."
    else:
        done = (
            f"Đã nhập {result.added} lượt phát từ {result.source} ({result.rows} dòng; "
            f"{result.duplicates} lượt đã có trong nhật ký)."
        )
    return await _log_page(page, done=done)


@routes.post("/nhat-ky-phat/danh-dau", "asrun_mark", roles=SCHEDULERS)
async def asrun_mark(page: Page) -> Response:
    """A slot's item marked played or not played by hand (``asrun confirm``)."""
    form = await page.form()
    zone = str(form.get("zone") or "")
    slot = str(form.get("slot") or "").strip()
    item = str(form.get("item") or "").strip()
    status = str(form.get("status") or "played")
    try:
        if not slot:
            raise InputError("Hãy nhập giờ bắt đầu của khung phát, ví dụ 2026-03-03 06:00.")
        number: int | None = None
        if item:
            if not item.isdigit():
                raise InputError(f"Số thứ tự mục '{item}' phải là số 1, 2, 3...")
            number = int(item)
        if number is None and status != "played":
            raise InputError("Hãy ghi số thứ tự mục không phát được (1, 2, ...).")
        plays = await page.call(
            asrun.confirm_in,
            page.workspace,
            zone,
            slot,
            all_items=number is None,
            played=(number,) if number is not None and status == "played" else (),
            missed=(number,) if number is not None and status != "played" else (),
        )
    except InputError as exc:
        return await _log_page(page, status_code=400, error=exc.message)
    aired = sum(1 for p in plays if p.status.aired)
    return await _log_page(
        page,
        done=f"Đã ghi {aired} mục đã phát và {len(plays) - aired} mục không phát "
        f"cho khung {slot.replace('T', ' ')}.",
    )
