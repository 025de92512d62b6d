"""The station's broadcast grid: zones, weekly slots, programme rules, slot-end policy.

Declared in ``station.toml`` and validated here, in one place, so that a wrong zone id, a
language the station does not have or two slots of one zone that overlap is reported once,
in Vietnamese, with the table that is wrong, before any plan is made. Each ``[[slots]]``
table is read once, by ``broadcast.store.station.parse_slot`` (its keys are declared there);
this module checks what needs the other tables, from the settings loaded with the workspace,
and accepts every older file: without ``[[zones]]``
the whole commune is one zone, ``all``, that hears every station language.

    [schedule]
    slot_end = "finish"          # or "cut": what the player does when an item runs late
    ident_seconds = 10           # station ident at the start and the end of a local slot
    ident_file = "voices/ident.mp3"

    [[zones]]
    id = "ban-muong"
    name = "Cụm loa bản Mường"
    villages = ["Bản Mường", "Bản Hìn"]
    languages = ["blt", "vi"]    # broadcast order; each must be a station language

    [[slots]]
    id = "sang"                  # optional, defaults to slot-1, slot-2, ...
    days = ["mon", "tue"]        # or weekdays = [...]
    start = "06:00"
    minutes = 30
    zones = ["ban-muong"]        # or ["all"]
    kind = "local"               # or "relay" with url = "http://..."

    [[rules]]                    # e.g. the CCHC column on Tuesday and Friday mornings
    topic = "thu-tuc"
    days = ["tue", "fri"]
    from = "05:00"               # applies to slots starting in [from, to)
    to = "12:00"
    min_items = 1
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from broadcast.errors import WorkspaceError
from broadcast.safeparse import read_toml
from broadcast.script.model import Topic
from broadcast.store.station import WEEKDAYS, default_slots, parse_slot
from broadcast.store.workspace import STATION_FILE, Workspace

ALL_ZONES = "all"
RELAY_SCHEMES = ("http://", "https://", "rtsp://", "rtmp://", "udp://", "srt://")

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


class SlotKind(StrEnum):
    LOCAL = "local"
    RELAY = "relay"


class SlotEnd(StrEnum):
    """What the player does when the running item reaches the end of the slot.

    The planner never plans past the end under either policy; the policy travels with the
    exports so the loudspeaker system (and the as-run check) knows whether a late item is
    finished or faded out.
    """

    FINISH = "finish"
    CUT = "cut"


@dataclass(frozen=True)
class Zone:
    """A loudspeaker cluster (cụm loa): some villages hearing some languages, in order."""

    id: str
    name: str
    villages: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class GridSlot:
    """A weekly broadcast window for some zones: a local programme or a relay."""

    id: str
    weekdays: tuple[str, ...]
    start: dt.time
    minutes: int
    zones: tuple[str, ...]
    kind: SlotKind = SlotKind.LOCAL
    url: str | None = None

    @property
    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(WEEKDAYS.index(d) for d in self.weekdays)

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def seconds(self) -> int:
        return self.minutes * 60


@dataclass(frozen=True)
class Rule:
    """A programme rule: slots starting on these days in [start, end) carry this topic."""

    topic: Topic
    weekdays: tuple[str, ...]
    start: dt.time
    end: dt.time
    min_items: int = 1

    def applies(self, moment: dt.datetime) -> bool:
        return (
            WEEKDAYS[moment.weekday()] in self.weekdays and self.start <= moment.time() < self.end
        )


@dataclass(frozen=True)
class Grid:
    zones: tuple[Zone, ...]
    slots: tuple[GridSlot, ...]
    rules: tuple[Rule, ...] = ()
    slot_end: SlotEnd = SlotEnd.FINISH
    ident_seconds: float = 0.0
    ident_file: str | None = None

    def zone(self, zone_id: str) -> Zone:
        for zone in self.zones:
            if zone.id == zone_id:
                return zone
        raise WorkspaceError(f"Không có cụm loa '{zone_id}' trong station.toml.")

    @property
    def zone_ids(self) -> tuple[str, ...]:
        return tuple(z.id for z in self.zones)

    def slots_for(self, zone_id: str) -> tuple[GridSlot, ...]:
        return tuple(s for s in self.slots if zone_id in s.zones)

    def resolve_zones(self, names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """User-given zone ids ('all' = every zone), checked against the grid."""
        return _resolve_zones(list(names), self.zone_ids, "lệnh")


def _fail(message: str) -> WorkspaceError:
    return WorkspaceError(f"station.toml: {message}")


def _table(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(f"{where} phải là một bảng.")
    return raw


def _string(table: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if value is None:
        raise _fail(f"thiếu khóa '{key}' trong {where}.")
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"khóa '{key}' trong {where} phải là một chuỗi không rỗng.")
    return value.strip()


def _strings(
    table: dict[str, Any], key: str, where: str, default: list[str] | None = None
) -> list[str]:
    value = table.get(key, default)
    if value is None:
        raise _fail(f"thiếu khóa '{key}' trong {where}.")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(f"khóa '{key}' trong {where} phải là một danh sách chuỗi.")
    return [v.strip() for v in value]


def _time(table: dict[str, Any], key: str, where: str, default: str | None = None) -> dt.time:
    text = _string(table, key, where, default)
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise _fail(f"giờ '{text}' của '{key}' trong {where} không hợp lệ (dạng HH:MM).") from None


def _weekdays(table: dict[str, Any], where: str) -> tuple[str, ...]:
    key = "weekdays" if "weekdays" in table else "days"
    days = [d.lower() for d in _strings(table, key, where, list(WEEKDAYS))]
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown or not days:
        raise _fail(
            f"ngày {', '.join(unknown) or '(trống)'} trong {where} không hợp lệ; "
            f"dùng {', '.join(WEEKDAYS)}."
        )
    return tuple(dict.fromkeys(days))


def _resolve_zones(names: list[str], known: tuple[str, ...], where: str) -> tuple[str, ...]:
    if not names:
        raise _fail(f"danh sách cụm loa 'zones' trong {where} đang trống.")
    if ALL_ZONES in names:
        return known
    unknown = [n for n in names if n not in known]
    if unknown:
        raise WorkspaceError(
            f"Không có cụm loa {', '.join(unknown)} ({where}); các cụm loa của đài: "
            f"{', '.join(known)}."
        )
    return tuple(dict.fromkeys(names))


def _parse_zone(raw: Any, index: int, station_languages: tuple[str, ...]) -> Zone:
    where = f"[[zones]][{index + 1}]"
    table = _table(raw, where)
    zone_id = _string(table, "id", where)
    where = f"[[zones]] '{zone_id}'"
    if zone_id == ALL_ZONES:
        raise _fail(f"'{ALL_ZONES}' là tên dành riêng cho mọi cụm loa; đặt id khác cho {where}.")
    languages = _strings(table, "languages", where, list(station_languages))
    if not languages:
        raise _fail(f"{where} phải có ít nhất một ngôn ngữ.")
    if "th" in languages:
        raise _fail(
            f"mã 'th' trong {where} là tiếng Thái Lan; tiếng Thái ở Tây Bắc dùng 'blt' hoặc 'twh'."
        )
    unknown = [code for code in languages if code not in station_languages]
    if unknown:
        raise _fail(
            f"ngôn ngữ {', '.join(unknown)} của {where} không có trong 'languages' của đài "
            f"({', '.join(station_languages)})."
        )
    if len(set(languages)) != len(languages):
        raise _fail(f"ngôn ngữ bị lặp trong {where}.")
    return Zone(
        id=zone_id,
        name=_string(table, "name", where),
        villages=tuple(_strings(table, "villages", where, [])),
        languages=tuple(languages),
    )


def _parse_slot(raw: Any, index: int, zone_ids: tuple[str, ...]) -> GridSlot:
    """A ``[[slots]]`` table as read once by ``broadcast.store.station.parse_slot``, checked
    against the rest of the grid: zones that exist, a relay with its stream."""
    slot = parse_slot(raw, index)
    where = f"[[slots]][{index + 1}]"
    kind = SlotKind(slot.kind)
    if kind is SlotKind.RELAY:
        if not slot.url or not slot.url.startswith(RELAY_SCHEMES):
            raise _fail(
                f"khung giờ tiếp sóng {where} cần 'url' của luồng phát "
                f"({', '.join(RELAY_SCHEMES)})."
            )
    elif slot.url is not None:
        raise _fail(f"{where} có 'url' nhưng không phải khung giờ tiếp sóng (kind = \"relay\").")
    zones = _resolve_zones(list(slot.zones), zone_ids, where)
    return GridSlot(
        id=slot.id,
        weekdays=slot.days,
        start=slot.start,
        minutes=slot.minutes,
        zones=zones,
        kind=kind,
        url=slot.url if kind is SlotKind.RELAY else None,
    )


def _parse_rule(raw: Any, index: int) -> Rule:
    where = f"[[rules]][{index + 1}]"
    table = _table(raw, where)
    topic_text = _string(table, "topic", where)
    try:
        topic = Topic(topic_text)
    except ValueError:
        raise _fail(
            f"chủ đề '{topic_text}' trong {where} không có; dùng một trong "
            f"{', '.join(t.value for t in Topic)}."
        ) from None
    start = _time(table, "from", where, "00:00")
    end = _time(table, "to", where, "23:59")
    if end <= start:
        raise _fail(f"'to' phải sau 'from' trong {where}.")
    min_items = table.get("min_items", 1)
    if isinstance(min_items, bool) or not isinstance(min_items, int) or not 1 <= min_items <= 100:
        raise _fail(f"'min_items' trong {where} phải là số nguyên từ 1 đến 100.")
    return Rule(topic, _weekdays(table, where), start, end, min_items)


def _check_overlaps(
    slots: tuple[GridSlot, ...], zones: tuple[str, ...], problems: list[str] | None = None
) -> None:
    """Two slots of one zone on one weekday may touch but not overlap (each pair reported
    once into ``problems`` when given, else the first raised)."""
    seen: set[tuple[str, str]] = set()
    for zone in zones:
        for day in WEEKDAYS:
            spans = sorted(
                (s.start_minute, s.start_minute + s.minutes, s.id)
                for s in slots
                if zone in s.zones and day in s.weekdays
            )
            for (_, end_a, id_a), (start_b, _, id_b) in zip(spans, spans[1:], strict=False):
                if start_b < end_a and (id_a, id_b) not in seen:
                    seen.add((id_a, id_b))
                    error = _fail(
                        f"[[slots]]: khung giờ '{id_a}' và '{id_b}' chồng lên nhau ở cụm loa "
                        f"'{zone}' ngày {day}; hãy dời giờ hoặc bớt cụm loa của một khung."
                    )
                    if problems is None:
                        raise error
                    problems.append(error.message)


def _each(parse: Any, items: list[Any], problems: list[str] | None, *extra: Any) -> tuple[Any, ...]:
    """Parse every element; with ``problems`` (``broadcast config check``) a bad one is
    reported and skipped so the others (and their overlaps) are still checked."""
    parsed = []
    for index, item in enumerate(items):
        try:
            parsed.append(parse(item, index, *extra))
        except WorkspaceError as exc:
            if problems is None:
                raise
            problems.append(exc.message)
    return tuple(parsed)


def parse_grid(
    data: dict[str, Any],
    station_languages: tuple[str, ...],
    problems: list[str] | None = None,
) -> Grid:
    """Validate the grid part of a parsed station.toml.

    With ``problems`` given, every problem found is appended there instead of raising on the
    first (for ``broadcast config check``); the grid returned then holds the valid parts.
    """
    raw_zones = data.get("zones", [])
    if not isinstance(raw_zones, list):
        raise _fail("[[zones]] phải là danh sách các bảng.")
    if raw_zones:
        zones = _each(_parse_zone, raw_zones, problems, station_languages)
    else:
        zones = (Zone(ALL_ZONES, "Toàn xã", (), station_languages),)
    ids = [z.id for z in zones]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise _fail(f"id cụm loa bị lặp: {', '.join(duplicated)}.")
    raw_slots = data.get("slots") or [
        {"id": s.id, "days": list(s.days), "start": s.start.strftime("%H:%M"), "minutes": s.minutes}
        for s in default_slots()  # what load_station assumes for a file without [[slots]]
    ]
    if not isinstance(raw_slots, list):
        raise _fail("[[slots]] phải là danh sách các bảng.")
    slots = _each(_parse_slot, raw_slots, problems, tuple(ids))
    slot_ids = [s.id for s in slots]
    duplicated = sorted({i for i in slot_ids if slot_ids.count(i) > 1})
    if duplicated:
        raise _fail(f"id khung giờ bị lặp: {', '.join(duplicated)}.")
    _check_overlaps(slots, tuple(ids), problems)
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise _fail("[[rules]] phải là danh sách các bảng.")
    rules = _each(_parse_rule, raw_rules, problems)
    settings = _table(data.get("schedule", {}), "[schedule]")
    slot_end_text = _string(settings, "slot_end", "[schedule]", SlotEnd.FINISH.value)
    if slot_end_text not in {p.value for p in SlotEnd}:
        raise _fail(
            "'slot_end' trong [schedule] phải là 'finish' (phát hết mục đang chạy) "
            "hoặc 'cut' (cắt đúng giờ)."
        )
    ident = settings.get("ident_seconds", 0)
    if isinstance(ident, bool) or not isinstance(ident, int | float) or not 0 <= ident <= 120:
        raise _fail("'ident_seconds' trong [schedule] phải là số giây từ 0 đến 120.")
    ident_file = settings.get("ident_file")
    if ident_file is not None and not isinstance(ident_file, str):
        raise _fail("'ident_file' trong [schedule] phải là đường dẫn tệp.")
    for slot in slots:
        if slot.kind is SlotKind.LOCAL and slot.seconds <= 2 * ident:
            raise _fail(f"khung giờ '{slot.id}' ngắn hơn hai lần nhạc hiệu ({ident} giây).")
    return Grid(
        zones=zones,
        slots=slots,
        rules=rules,
        slot_end=SlotEnd(slot_end_text),
        ident_seconds=float(ident),
        ident_file=ident_file,
    )


def load_grid(path: Path, station_languages: tuple[str, ...]) -> Grid:
    """Read the grid of a station.toml (the station part is validated by ``load_station``)."""
    return parse_grid(read_toml(path, WorkspaceError), station_languages)


def workspace_grid(ws: Workspace) -> Grid:
    """The grid of a workspace's station.toml, checked against the station's languages: read
    from the settings loaded once with the workspace, not from the file again."""
    if not ws.station.raw:  # a Station built in code (tests, init) carries no file
        return load_grid(ws.root / STATION_FILE, ws.station.languages)
    return parse_grid(ws.station.raw, ws.station.languages)
