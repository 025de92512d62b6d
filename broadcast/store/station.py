"""The station's settings (station.toml): declared once, validated in one place.

Every other module receives a ``Station`` value, never the raw TOML, so a mistake in the
file is reported once with the key that is wrong rather than deep inside a stage.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from broadcast.errors import InputError, WorkspaceError
from broadcast.languages import Language, language_from_table, parse_languages, registry
from broadcast.safeparse import read_toml

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DEFAULT_OPENING = "Đây là {station}. Mời bà con nghe {programme}."
DEFAULT_CLOSING = "{programme} của {station} đến đây là kết thúc. Cảm ơn bà con đã lắng nghe."
DEFAULT_PROGRAMME = "Chuyên mục Cải cách hành chính"


@dataclass(frozen=True)
class Slot:
    """A recurring loudspeaker broadcast window."""

    days: tuple[str, ...]
    start: dt.time
    minutes: int
    zones: tuple[str, ...] = ("all",)
    # "local" programme or "relay" of another station (issue 5, broadcast.schedule.grid
    # validates the full grid); produce never files a segment into a relay slot.
    kind: str = "local"

    def occurrences_after(self, moment: dt.datetime) -> dt.datetime:
        """The first start of this slot strictly after ``moment``."""
        for offset in range(0, 8):
            day = moment.date() + dt.timedelta(days=offset)
            if WEEKDAYS[day.weekday()] not in self.days:
                continue
            start = dt.datetime.combine(day, self.start)
            if start > moment:
                return start
        raise AssertionError("a slot with at least one weekday always recurs within 8 days")


@dataclass(frozen=True)
class Station:
    """What a station declares about itself; defaults are what a new commune station needs."""

    name: str
    commune: str
    province: str
    languages: tuple[str, ...] = ("vi",)
    # Languages added or overridden by [languages.CODE] tables of station.toml.
    added_languages: tuple[Language, ...] = ()
    programme: str = DEFAULT_PROGRAMME
    opening: str = DEFAULT_OPENING
    closing: str = DEFAULT_CLOSING
    voice: str = "vi"
    speech_rate: int = 125
    syllables_per_minute: float = 225.0
    # Whose reading speed times the script: "voice" (the TTS voice at speech_rate, calibrated
    # in broadcast.script.duration) or "announcer" (syllables_per_minute, for recorded takes).
    pace: str = "voice"
    southern_readings: bool = False
    pause_ms: int = 450
    loudness_lufs: float = -16.0
    true_peak_db: float = -1.5
    slots: tuple[Slot, ...] = field(default_factory=tuple)

    def language_registry(self) -> dict[str, Language]:
        """Built-in languages with the station's own ``[languages.CODE]`` tables on top."""
        return registry(self.added_languages)

    def fill(self, template: str) -> str:
        """Expand ``{station}``, ``{programme}``, ``{commune}`` and ``{province}``."""
        return template.format(
            station=self.name,
            programme=self.programme,
            commune=self.commune,
            province=self.province,
        )


def default_slots() -> tuple[Slot, ...]:
    """Morning and evening loudspeaker windows, the usual rhythm of commune radio."""
    every_day = WEEKDAYS
    return (
        Slot(days=every_day, start=dt.time(6, 0), minutes=30),
        Slot(days=every_day, start=dt.time(17, 30), minutes=30),
    )


def _require(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise WorkspaceError(f"station.toml: thiếu khóa '{key}' trong [{where}].")
    value = table[key]
    if not isinstance(value, kind):
        raise WorkspaceError(f"station.toml: khóa '{key}' trong [{where}] phải là {kind.__name__}.")
    return value


def _parse_time(text: str, where: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise WorkspaceError(
            f"station.toml: giờ '{text}' trong [{where}] không hợp lệ (dạng HH:MM)."
        ) from None


def _parse_slot(raw: Any, index: int) -> Slot:
    where = f"slots #{index + 1}"
    if not isinstance(raw, dict):
        raise WorkspaceError(f"station.toml: [{where}] phải là một bảng.")
    days_key = "weekdays" if "weekdays" in raw and "days" not in raw else "days"
    days = tuple(str(d).lower() for d in _require(raw, days_key, list, where))
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown or not days:
        raise WorkspaceError(
            f"station.toml: ngày {unknown or '[]'} trong [{where}] không hợp lệ; "
            f"dùng {', '.join(WEEKDAYS)}."
        )
    start = _parse_time(str(_require(raw, "start", str, where)), where)
    minutes = _require(raw, "minutes", int, where)
    if not 0 < minutes <= 24 * 60:
        raise WorkspaceError(f"station.toml: 'minutes' trong [{where}] phải từ 1 đến 1440.")
    zones = tuple(str(z) for z in raw.get("zones", ["all"]))
    kind = str(raw.get("kind", "local"))
    return Slot(days=days, start=start, minutes=minutes, zones=zones, kind=kind)


PACES = ("voice", "announcer")
# Longer than any opening a listener would sit through; longer text is a pasted file.
_MAX_TEXT_SETTING = 2000


@dataclass(frozen=True)
class Setting:
    """One value of ``[script]`` or ``[audio]``: declared here once, with its type, default,
    sane range and meaning, so every check (and its message) comes from this declaration.

    Ranges are what a person could mean: outside them a value is a typo (``pause_ms =
    100000000`` asks for a 28-hour pause and 17 GB of silence; ``syllables_per_minute = 0``
    divides by zero; a negative rate reads faster than time).
    """

    table: str
    key: str
    kind: type
    default: object
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    def check(self, value: object) -> object:
        """The value converted to the field's type, or a WorkspaceError naming key and range."""
        where = f"station.toml: '{self.key}' trong [{self.table}] ({self.help})"
        if self.kind is bool:
            if not isinstance(value, bool):
                raise WorkspaceError(f"{where} phải là true hoặc false.")
            return value
        if self.kind is str:
            if not isinstance(value, str) or not value.strip():
                raise WorkspaceError(f"{where} phải là một chuỗi không rỗng.")
            if len(value) > _MAX_TEXT_SETTING:
                raise WorkspaceError(f"{where} dài quá {_MAX_TEXT_SETTING} ký tự.")
            if self.choices and value not in self.choices:
                raise WorkspaceError(f"{where} phải là một trong {', '.join(self.choices)}.")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise WorkspaceError(f"{where} phải là một số.")
        if self.kind is int and not isinstance(value, int):
            raise WorkspaceError(f"{where} phải là số nguyên.")
        assert self.low is not None and self.high is not None
        if not self.low <= value <= self.high:  # also refuses nan, which compares false
            raise WorkspaceError(
                f"{where} = {value} nằm ngoài khoảng {self.low:g}–{self.high:g}; "
                f"mặc định là {self.default}."
            )
        return self.kind(value)


SETTINGS: tuple[Setting, ...] = (
    Setting("script", "programme", str, DEFAULT_PROGRAMME, "tên chuyên mục"),
    Setting("script", "opening", str, DEFAULT_OPENING, "lời mở đầu"),
    Setting("script", "closing", str, DEFAULT_CLOSING, "lời kết"),
    Setting(
        "script",
        "syllables_per_minute",
        float,
        225.0,
        "âm tiết mỗi phút của phát thanh viên",
        low=60,
        high=600,
    ),
    Setting("script", "pace", str, "voice", "cách tính thời lượng", choices=PACES),
    Setting("script", "southern_readings", bool, False, "đọc số theo giọng miền Nam"),
    Setting("audio", "voice", str, "vi", "giọng đọc"),
    Setting("audio", "speech_rate", int, 125, "tốc độ giọng máy, từ mỗi phút", low=60, high=400),
    Setting("audio", "pause_ms", int, 450, "nghỉ giữa hai câu, mili giây", low=0, high=5000),
    Setting("audio", "loudness_lufs", float, -16.0, "độ lớn đích, LUFS", low=-40, high=-5),
    Setting("audio", "true_peak_db", float, -1.5, "đỉnh thực tối đa, dBTP", low=-9, high=0),
)


def settings_reference() -> str:
    """The README's table of ``[script]``/``[audio]`` settings, made from ``SETTINGS`` so the
    documentation cannot drift from what is checked (a test compares the two)."""
    rows = [
        "| bảng | khóa | kiểu | mặc định | khoảng / lựa chọn | ý nghĩa |",
        "|---|---|---|---|---|---|",
    ]
    kinds = {str: "chuỗi", int: "số nguyên", float: "số", bool: "true/false"}
    for s in SETTINGS:
        if s.choices:
            allowed = ", ".join(s.choices)
        elif s.low is not None and s.high is not None:
            allowed = f"{s.low:g} – {s.high:g}"
        else:
            allowed = ""
        default = str(s.default).lower() if s.kind is bool else str(s.default)
        if s.kind is str and len(default) > 30:
            default = "(câu mẫu)"
        rows.append(
            f"| [{s.table}] | `{s.key}` | {kinds[s.kind]} | {default} | {allowed} | {s.help} |"
        )
    return "\n".join(rows) + "\n"


TEMPLATE_FIELDS = ("station", "programme", "commune", "province")


def _check_template(template: str, key: str) -> None:
    """Only ``{station}``-style fields, without format specs: ``{station:>999999999}``
    would otherwise build a gigabyte of spaces and ``{0}`` end in an IndexError."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        fields = [("", "?", "", None)]
    for _, name, spec, conversion in fields:
        if name is not None and (name not in TEMPLATE_FIELDS or spec or conversion):
            raise WorkspaceError(
                f"station.toml: '{key}' trong [script] chỉ được dùng "
                f"{', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)}; "
                "muốn viết dấu ngoặc nhọn thì gõ {{ và }}."
            )


def _settings_values(tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every declared setting, checked, with its default where the file leaves it out."""
    return {
        s.key: s.check(tables[s.table][s.key]) if s.key in tables[s.table] else s.default
        for s in SETTINGS
    }


def _parse_added_languages(raw: Any) -> tuple[Language, ...]:
    """``[languages.xyz]`` tables: a station's own languages, or overrides of built-in ones."""
    if not isinstance(raw, dict) or not all(isinstance(t, dict) for t in raw.values()):
        raise WorkspaceError("station.toml: [languages] phải gồm các bảng [languages.MÃ].")
    builtin = registry()
    try:
        return tuple(
            language_from_table(code, table, builtin.get(code.strip().lower()))
            for code, table in raw.items()
        )
    except InputError as exc:
        raise WorkspaceError(f"station.toml: {exc.message}") from None


def parse_station(data: dict[str, Any]) -> Station:
    """Validate a parsed station.toml into a ``Station``."""
    table = data.get("station")
    if not isinstance(table, dict):
        raise WorkspaceError("station.toml: thiếu bảng [station].")
    script = data.get("script", {})
    audio = data.get("audio", {})
    if not isinstance(script, dict) or not isinstance(audio, dict):
        raise WorkspaceError("station.toml: [script] và [audio] phải là bảng.")
    languages = tuple(str(x) for x in table.get("languages", ["vi"]))
    if "vi" not in languages:
        raise WorkspaceError("station.toml: 'languages' phải có 'vi', ngôn ngữ nguồn.")
    added = _parse_added_languages(data.get("languages", {}))
    try:
        parse_languages(",".join(languages), registry(added))
    except InputError as exc:
        raise WorkspaceError(f"station.toml: {exc.message}") from None
    slots = tuple(_parse_slot(raw, i) for i, raw in enumerate(data.get("slots", [])))
    values = _settings_values({"script": script, "audio": audio})
    try:
        station = Station(
            name=_require(table, "name", str, "station"),
            commune=_require(table, "commune", str, "station"),
            province=_require(table, "province", str, "station"),
            languages=languages,
            added_languages=added,
            slots=slots or default_slots(),
            **values,
        )
        for key in ("opening", "closing"):
            _check_template(getattr(station, key), key)
    except (TypeError, ValueError, KeyError) as exc:
        raise WorkspaceError(f"station.toml: giá trị không hợp lệ ({exc}).") from None
    return station


def load_station(path: Path) -> Station:
    """Read and validate ``station.toml``."""
    return parse_station(read_toml(path, WorkspaceError))


def station_to_toml(station: Station) -> str:
    """Serialise a station for ``broadcast init``; round-trips through ``parse_station``."""
    data = {
        "station": {
            "name": station.name,
            "commune": station.commune,
            "province": station.province,
            "languages": list(station.languages),
        },
        "script": {
            "programme": station.programme,
            "opening": station.opening,
            "closing": station.closing,
            "syllables_per_minute": station.syllables_per_minute,
            "pace": station.pace,
            "southern_readings": station.southern_readings,
        },
        "audio": {
            "voice": station.voice,
            "speech_rate": station.speech_rate,
            "pause_ms": station.pause_ms,
            "loudness_lufs": station.loudness_lufs,
            "true_peak_db": station.true_peak_db,
        },
        "slots": [
            {
                "days": list(slot.days),
                "start": slot.start.strftime("%H:%M"),
                "minutes": slot.minutes,
                "zones": list(slot.zones),
            }
            for slot in station.slots
        ],
    }
    if station.added_languages:
        data["languages"] = {
            lang.code: {
                "name": lang.name,
                "scripts": list(lang.scripts),
                "iso639_3": lang.iso639_3,
                "note": lang.note,
            }
            for lang in station.added_languages
        }
    header = "# Cấu hình đài truyền thanh (station settings). Xem README.md.\n"
    return header + tomli_w.dumps(data)
