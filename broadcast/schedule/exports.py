"""Exports of a stored plan: M3U8 per zone and slot, JSON, iCalendar, a weekly HTML grid.

Every exporter is a pure function from the plan to text; ``export_plan`` renders all the
files in memory first and only then writes each one atomically, so a failure leaves no
half-written export. Times are the station's wall clock, Vietnam time (UTC+7, no daylight
saving): JSON carries the offset, iCalendar uses UTC.

An M3U8 export is a folder a loudspeaker box reads after it is copied there whole (USB stick,
``scp -r``), so by default it carries its media: every file a playlist names is placed under
``<folder>/media/`` (a hard link when the folder is on the workspace's disk, else a copy)
and named relative to the playlist (``../media/out/<slug>/audio.mp3``). Paths that climbed
out of the folder (``../../ws/out/...``) broke as soon as the folder was copied. Only the
workspace's own live playlists (``out/playlists``, read in place and rewritten on every
approval) keep naming the media where it lies in the workspace.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import secrets
import shutil
import textwrap
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from broadcast import __version__
from broadcast.errors import InputError
from broadcast.languages import LANGUAGES
from broadcast.schedule.campaign import StoredPlan
from broadcast.schedule.grid import WEEKDAY_NAMES
from broadcast.schedule.m3u8 import PlaylistItem, render_m3u8
from broadcast.schedule.model import VIETNAM, EntryKind, PlannedEntry, PlannedSlot
from broadcast.store.files import atomic_write_text, temp_prefix
from broadcast.store.naming import slugify
from broadcast.store.station import Station


class ExportFormat(StrEnum):
    M3U8 = "m3u8"
    JSON = "json"
    ICS = "ics"
    HTML = "html"


def entry_title(sp: StoredPlan, entry: PlannedEntry) -> str:
    if entry.kind is EntryKind.IDENT:
        return "Nhạc hiệu"
    info = sp.items.get(entry.item_id or -1)
    title = info.title if info else f"Mục #{entry.item_id}"
    return f"{title} [{entry.language}]"


def slot_playlist_name(slot: PlannedSlot) -> str:
    return f"{slugify(slot.zone)}/{slot.starts_at:%Y-%m-%d_%H%M}_{slugify(slot.grid_slot)}.m3u8"


MEDIA_FOLDER = "media"


def bundled_media_path(root: Path, source: Path, out_dir: Path) -> Path:
    """Where a self-contained export keeps a media file: ``media/`` plus its path inside the
    workspace (unique, and readable: ``media/out/<slug>/audio.mp3``); a file from outside
    the workspace goes under ``media/_ngoai/``."""
    try:
        inside = source.relative_to(root)
    except ValueError:
        inside = Path("_ngoai") / source.name
    return out_dir / MEDIA_FOLDER / inside


def _place_media(source: Path, target: Path) -> None:
    """Put ``source`` at ``target`` (hard link, else copy), atomically; an unchanged file
    already there is kept. A missing source is left for the playlist's reader to report, as
    before (the plan names what was approved; the file is the render stage's)."""
    if not source.is_file():
        return
    if target.is_file():
        if os.path.samefile(source, target):
            return
        have, want = target.stat(), source.stat()
        if have.st_size == want.st_size and int(have.st_mtime) == int(want.st_mtime):
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{temp_prefix('.' + target.name)}{secrets.token_hex(4)}.tmp")
    try:
        try:
            os.link(source, tmp)
        except OSError:  # another disk, or a file system without hard links (FAT stick)
            shutil.copy2(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def slot_m3u8(
    sp: StoredPlan,
    slot: PlannedSlot,
    root: Path,
    playlist: Path,
    media: dict[Path, Path] | None = None,
) -> str:
    """One slot's playlist; a relay slot is the stream URL for the slot's length. With
    ``media`` (bundled export), each file is named at its place under the export folder
    and the (source -> place) pair is added to ``media`` for the writer to fill."""
    if slot.relay_url:
        title = " ".join(f"Tiếp sóng {slot.grid_slot}".split())
        return f"#EXTM3U\n#EXTINF:{slot.seconds},{title}\n{slot.relay_url}\n"
    items = []
    for entry in slot.entries:
        if entry.kind is EntryKind.IDENT:
            if not sp.grid.ident_file:
                continue
            path = root / sp.grid.ident_file
        else:
            render = sp.renders[entry.render_id or -1]
            path = root / render.path
        if media is not None:
            out_dir = playlist.parent.parent  # playlists are <folder>/<zone>/<name>.m3u8
            source, path = path, bundled_media_path(root, path, out_dir)
            media[source] = path
        items.append(PlaylistItem(path, entry.duration_s, entry_title(sp, entry)))
    return render_m3u8(items, playlist)


def _moment(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=VIETNAM).isoformat(timespec="seconds")


def schedule_json(sp: StoredPlan, station: Station, root: Path) -> str:
    """The schedule for IP loudspeaker systems: zones, then every slot with its items."""
    slots = []
    for slot in sp.plan.slots:
        entries = []
        for position, entry in enumerate(slot.entries):
            start = slot.starts_at + dt.timedelta(seconds=entry.offset_s)
            record: dict[str, object] = {
                "position": position,
                "kind": entry.kind.value,
                "start": _moment(start),
                "duration_s": round(entry.duration_s, 3),
                "title": entry_title(sp, entry),
            }
            if entry.kind is EntryKind.ITEM:
                info = sp.items.get(entry.item_id or -1)
                render = sp.renders[entry.render_id or -1]
                record.update(
                    item_id=entry.item_id,
                    render_id=entry.render_id,
                    language=entry.language,
                    priority=info.priority.value if info else None,
                    topic=info.topic if info else None,
                    file=Path(render.path).as_posix(),
                )
            elif sp.grid.ident_file:
                record["file"] = Path(sp.grid.ident_file).as_posix()
            entries.append(record)
        slots.append(
            {
                "zone": slot.zone,
                "slot": slot.grid_slot,
                "kind": "relay" if slot.relay_url else "local",
                "start": _moment(slot.starts_at),
                "end": _moment(slot.ends_at),
                "relay_url": slot.relay_url,
                "entries": entries,
            }
        )
    data = {
        "format": "broadcast-schedule/1",
        "generator": f"broadcast {__version__}",
        "station": station.name,
        "commune": station.commune,
        "province": station.province,
        "timezone": "Asia/Ho_Chi_Minh",
        "slot_end": sp.grid.slot_end.value,
        "first_day": sp.plan.first_day.isoformat(),
        "last_day": sp.plan.last_day.isoformat(),
        "files_relative_to": "workspace",
        "zones": [
            {
                "id": z.id,
                "name": z.name,
                "villages": list(z.villages),
                "languages": list(z.languages),
            }
            for z in sp.grid.zones
        ],
        "slots": slots,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> Iterable[str]:
    """Lines of at most 75 octets, continuation lines starting with a space (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        yield data[:cut].decode("utf-8")
        data = b" " + data[cut:]
        limit = 75
    yield data.decode("utf-8")


def _utc(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=VIETNAM).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def schedule_ics(sp: StoredPlan, station: Station, stamp: dt.datetime) -> str:
    """One VEVENT per zone and slot, its items in the description."""
    zone_names = {z.id: z.name for z in sp.grid.zones}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//broadcast//{__version__}//VI",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text('Lịch phát thanh ' + station.name)}",
    ]
    for slot in sp.plan.slots:
        zone = zone_names.get(slot.zone, slot.zone)
        if slot.relay_url:
            summary = f"Tiếp sóng – {zone}"
            description = f"Tiếp sóng {slot.relay_url}"
        else:
            summary = f"{station.programme} – {zone}"
            description = "\n".join(
                f"{slot.starts_at + dt.timedelta(seconds=e.offset_s):%H:%M:%S} "
                f"{entry_title(sp, e)} ({e.duration_s:.0f} giây)"
                for e in slot.entries
            )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{slot.starts_at:%Y%m%dT%H%M}-{slugify(slot.zone)}-{slugify(slot.grid_slot)}"
            f"@{slugify(station.commune)}.broadcast",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(slot.starts_at)}",
            f"DTEND:{_utc(slot.ends_at)}",
            f"SUMMARY:{_ics_text(summary)}",
            f"LOCATION:{_ics_text(zone)}",
            f"CATEGORIES:{'RELAY' if slot.relay_url else 'LOCAL'}",
            f"DESCRIPTION:{_ics_text(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{part}\r\n" for line in lines for part in _fold(line))


def _weeks(sp: StoredPlan) -> list[dt.date]:
    first = sp.plan.first_day - dt.timedelta(days=sp.plan.first_day.weekday())
    weeks = []
    while first <= sp.plan.last_day:
        weeks.append(first)
        first += dt.timedelta(days=7)
    return weeks


def _by_cell(sp: StoredPlan) -> dict[tuple[str, str, dt.date], PlannedSlot]:
    return {(s.zone, s.grid_slot, s.starts_at.date()): s for s in sp.plan.slots}


def weekly_html(sp: StoredPlan, station: Station) -> str:
    """A printable grid per week and zone: rows are slots, columns Thứ Hai..Chủ Nhật."""
    cells = _by_cell(sp)
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>Lịch phát thanh – {esc(station.name)}</title>",
        "<style>body{font-family:'Be Vietnam Pro',Arial,sans-serif;font-size:11pt}"
        "table{border-collapse:collapse;width:100%;margin-bottom:1.5em;page-break-inside:avoid}"
        "th,td{border:1px solid #444;padding:4px;vertical-align:top}"
        "th{background:#eee}td.relay{background:#f4f4ff}.p-emergency{color:#b00;font-weight:bold}"
        ".p-priority{font-weight:bold}ol{margin:0;padding-left:1.2em}"
        "@media print{h2{page-break-before:always}}</style>",
        "</head><body>",
        f"<h1>Lịch phát thanh {esc(station.name)}</h1>",
        f"<p>Xã {esc(station.commune)}, tỉnh {esc(station.province)}. Từ ngày "
        f"{sp.plan.first_day:%d/%m/%Y} đến ngày {sp.plan.last_day:%d/%m/%Y}.</p>",
    ]
    for monday in _weeks(sp):
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        for zone in sp.grid.zones:
            slots = sorted(sp.grid.slots_for(zone.id), key=lambda s: (s.start, s.id))
            if not slots:
                continue
            parts.append(
                f"<h2>{esc(zone.name)} – tuần {monday:%d/%m/%Y} đến {days[-1]:%d/%m/%Y}</h2>"
            )
            languages = ", ".join(LANGUAGES.get(code, code) for code in zone.languages)
            villages = ", ".join(zone.villages) or "—"
            parts.append(f"<p>Thôn, bản: {esc(villages)}. Ngôn ngữ: {esc(languages)}.</p>")
            parts.append(f'<table data-zone="{esc(zone.id)}" data-week="{monday.isoformat()}">')
            parts.append(
                "<thead><tr><th>Khung giờ</th>"
                + "".join(f"<th>{WEEKDAY_NAMES[d.weekday()]}<br>{d:%d/%m}</th>" for d in days)
                + "</tr></thead><tbody>"
            )
            for grid_slot in slots:
                end = dt.datetime.combine(monday, grid_slot.start) + dt.timedelta(
                    minutes=grid_slot.minutes
                )
                row = [f"<th>{grid_slot.start:%H:%M}–{end:%H:%M}<br>{esc(grid_slot.id)}</th>"]
                for day in days:
                    row.append(_html_cell(sp, cells.get((zone.id, grid_slot.id, day))))
                parts.append("<tr>" + "".join(row) + "</tr>")
            parts.append("</tbody></table>")
    if sp.plan.findings:
        parts.append("<h2>Những điều lịch chưa đáp ứng</h2><ul>")
        parts += [f"<li>{esc(f.message)}</li>" for f in sp.plan.findings]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_cell(sp: StoredPlan, slot: PlannedSlot | None) -> str:
    if slot is None:
        return "<td></td>"
    if slot.relay_url:
        return f'<td class="relay">Tiếp sóng<br>{html.escape(slot.relay_url)}</td>'
    rows = []
    seen: set[int] = set()
    for entry in slot.entries:
        if entry.kind is not EntryKind.ITEM or entry.item_id in seen:
            continue
        seen.add(entry.item_id or -1)
        info = sp.items.get(entry.item_id or -1)
        langs = [e.language or "" for e in slot.entries if e.item_id == entry.item_id]
        title = info.title if info else f"Mục #{entry.item_id}"
        css = f"p-{info.priority.value}" if info else ""
        rows.append(f'<li class="{css}">{html.escape(title)} ({", ".join(langs)})</li>')
    if not rows:
        return "<td>—</td>"
    return "<td><ol>" + "".join(rows) + "</ol></td>"


# The terminal the week is drawn for: 80 columns, the width every terminal opens at.
TEXT_WIDTH = 80


def _wrapped(text: str, indent: int, hang: int = 2) -> list[str]:
    """``text`` wrapped at word boundaries into lines of at most ``TEXT_WIDTH`` columns (the
    continuation lines indented ``hang`` more), so no title is ever cut. Vietnamese in NFC
    is one column per character, so the length is the width. Only a single "word" longer
    than a whole line (a stream address) is split."""
    return textwrap.wrap(
        text,
        width=TEXT_WIDTH,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hang),
        break_on_hyphens=False,
    ) or [" " * indent]


def _slot_items(sp: StoredPlan, slot: PlannedSlot) -> list[str]:
    """Each item of a slot once, in air order: its full title and its languages."""
    listed: list[str] = []
    seen: set[int] = set()
    for entry in slot.entries:
        if entry.kind is not EntryKind.ITEM or (entry.item_id or -1) in seen:
            continue
        seen.add(entry.item_id or -1)
        info = sp.items.get(entry.item_id or -1)
        title = info.title if info else f"Mục #{entry.item_id}"
        langs = [e.language or "" for e in slot.entries if e.item_id == entry.item_id]
        listed.append(f"{title} ({', '.join(langs)})")
    return listed


def week_text(sp: StoredPlan, monday: dt.date, zone_id: str | None = None) -> str:
    """The week in an 80-column terminal: per zone, one block per day, each slot with its
    minutes used and the full title of every item (wrapped, never cut). A grid of seven
    columns could not hold a title: it cut slot names and showed only counts."""
    cells = _by_cell(sp)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    lines = [f"Tuần {monday:%d/%m/%Y} – {days[-1]:%d/%m/%Y}"]
    for zone in sp.grid.zones:
        if zone_id and zone.id != zone_id:
            continue
        lines.append("")
        lines += _wrapped(f"{zone.name} ({zone.id}; {', '.join(zone.languages)})", 0)
        grid_slots = sorted(sp.grid.slots_for(zone.id), key=lambda s: (s.start, s.id))
        for day in days:
            planned = [
                slot
                for grid_slot in grid_slots
                if (slot := cells.get((zone.id, grid_slot.id, day))) is not None
            ]
            heading = f"{WEEKDAY_NAMES[day.weekday()]} {day:%d/%m}"
            if not planned:
                lines.append(f"  {heading}: không có khung giờ")
                continue
            lines.append(f"  {heading}")
            for slot in planned:
                when = f"{slot.starts_at:%H:%M}–{slot.ends_at:%H:%M} {slot.grid_slot}"
                if slot.relay_url:
                    lines += _wrapped(f"{when}: tiếp sóng {slot.relay_url}", 4, 4)
                    continue
                items = _slot_items(sp, slot)
                used = f"{len(items)} mục, dùng {slot.used_s / 60:.0f}/{slot.seconds // 60} phút"
                lines += _wrapped(f"{when}: {used}" if items else f"{when}: chưa có mục", 4, 4)
                for number, item in enumerate(items, 1):
                    lines += _wrapped(f"{number}. {item}", 6, 3)
    findings = [f for f in sp.plan.findings if monday <= f.day <= days[-1]]
    if findings:
        lines.append("")
        lines.append(f"Chưa đáp ứng ({len(findings)}):")
        for finding in findings[:20]:
            lines += _wrapped(f"- {finding.message}", 2)
        if len(findings) > 20:
            lines.append(f"  ... và {len(findings) - 20} điều khác.")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def export_plan(
    sp: StoredPlan,
    station: Station,
    root: Path,
    fmt: ExportFormat,
    out_dir: Path,
    *,
    bundle_media: bool = True,
) -> list[Path]:
    """Write the export; returns the files written (the playlists, not the media they
    carry: see the module docstring for ``bundle_media``). Media is placed before any
    playlist is written, so no playlist names a file that is not there yet."""
    files: dict[Path, str] = {}
    media: dict[Path, Path] | None = {} if bundle_media else None
    if fmt is ExportFormat.M3U8:
        for slot in sp.plan.slots:
            path = out_dir / slot_playlist_name(slot)
            files[path] = slot_m3u8(sp, slot, root, path, media)
    elif fmt is ExportFormat.JSON:
        files[out_dir / "schedule.json"] = schedule_json(sp, station, root)
    elif fmt is ExportFormat.ICS:
        stamp = dt.datetime.combine(sp.plan.first_day, dt.time())
        files[out_dir / "schedule.ics"] = schedule_ics(sp, station, stamp)
    else:
        files[out_dir / "schedule.html"] = weekly_html(sp, station)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} không phải là thư mục.")
    for source, target in sorted((media or {}).items()):
        _place_media(source, target)
    for path, text in files.items():
        atomic_write_text(path, text)
    return sorted(files)


__all__ = ["MEDIA_FOLDER", "ExportFormat", "bundled_media_path", "export_plan", "week_text"]
