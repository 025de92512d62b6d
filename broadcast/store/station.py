"""The station's settings (station.toml): declared once, validated in one place.

``SETTINGS`` declares every key of every table (type, default, range, Vietnamese help); the
file is read once with the workspace, every key checked against that declaration (an unknown
key is refused with its path and the nearest valid key, an old key read with a notice), and
every other module receives the ``Station`` value: its fields, or for the tables a stage
owns (grid, report, render, mix) the checked ``Station.raw``, never the file again. So a
mistake is reported once with the key that is wrong rather than deep inside a stage, and
``broadcast config show|check`` and the README's reference come from the same declaration.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

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
    id: str = ""
    url: str | None = None  # the relayed stream of a "relay" slot

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
    portal: str | None = None
    hotline: str | None = None
    # [review] four_eyes: whoever last changed a text cannot approve it (off for a station of
    # one person; each self-approval is then recorded and counted in reports).
    four_eyes: bool = True
    # [translation] share_with_province (issue 16): on a province server, pairs approved here
    # go to the province's memory, offered to every station (false: they stay this one's).
    share_with_province: bool = True
    # [jobs] timeout_minutes (issue 16): a job running longer stops at its next progress
    # report (broadcast.jobs.tasks).
    timeout_minutes: int = 60
    # The whole checked station.toml, read once with the workspace: the grid, the report,
    # the render and mix settings are read from it by their stage, never from the file again.
    # ``station_to_toml`` writes its tables that no field above covers (init's [[zones]]).
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # Deprecation notices about old keys still read (printed once on stderr when loaded).
    notices: tuple[str, ...] = field(default=(), compare=False, repr=False)

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
        Slot(days=every_day, start=dt.time(6, 0), minutes=30, id="slot-1"),
        Slot(days=every_day, start=dt.time(17, 30), minutes=30, id="slot-2"),
    )


def _require(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise WorkspaceError(f"station.toml: thiếu khóa '{key}' trong [{where}].")
    value = table[key]
    if not isinstance(value, kind):
        raise WorkspaceError(f"station.toml: khóa '{key}' trong [{where}] phải là {kind.__name__}.")
    return value


def row_value(row: dict[str, Any], keys: dict[str, Setting], key: str, path: str) -> Any:
    """One key of a ``[[table]]`` row checked by its declaration: its default when left
    out, one error naming the row when a required key is missing (slots, departments)."""
    setting = keys[key]
    if key not in row:
        if setting.required:
            raise WorkspaceError(f"station.toml: thiếu khóa '{key}' trong {path} ({setting.help}).")
        return setting.default
    return setting.check(row[key], f"{path}.{key}")


def parse_slot(raw: Any, index: int) -> Slot:
    """One ``[[slots]]`` table, read once here by the declaration of its keys; the grid
    (``broadcast.schedule.grid``) adds only what needs the other tables: zone ids that exist,
    a relay's stream, overlaps."""
    path = f"[[slots]][{index + 1}]"
    if not isinstance(raw, dict):
        raise WorkspaceError(f"station.toml: {path} phải là một bảng.")
    keys = declared("slots")

    def value(key: str) -> Any:
        return row_value(raw, keys, key, path)

    days_key = "weekdays" if "weekdays" in raw and "days" not in raw else "days"
    days = tuple(dict.fromkeys(d.lower() for d in value(days_key)))
    if not days:
        raise WorkspaceError(
            f"station.toml: {path}.{days_key} đang trống; dùng {', '.join(WEEKDAYS)}."
        )
    start, minutes = value("start"), value("minutes")
    if start.hour * 60 + start.minute + minutes > 24 * 60:
        raise WorkspaceError(f"station.toml: {path} kéo qua nửa đêm; hãy tách thành hai khung giờ.")
    zones = tuple(value("zones"))
    if not zones:
        raise WorkspaceError(f"station.toml: danh sách cụm loa {path}.zones đang trống.")
    slot_id = value("id")
    return Slot(
        days=days,
        start=start,
        minutes=minutes,
        zones=zones,
        kind=value("kind"),
        id=slot_id.strip() if slot_id else f"slot-{index + 1}",
        url=value("url"),
    )


def parse_slots(data: dict[str, Any]) -> tuple[Slot, ...]:
    """The ``[[slots]]`` of a parsed station.toml; the default morning and evening windows
    when it has none."""
    raw = data.get("slots") or []
    if not isinstance(raw, list):
        raise WorkspaceError("station.toml: [[slots]] phải là danh sách các bảng.")
    return tuple(parse_slot(item, i) for i, item in enumerate(raw)) or default_slots()


PACES = ("voice", "announcer")
# Longer than any opening a listener would sit through; longer text is a pasted file.
_MAX_TEXT_SETTING = 2000
# A month's targets: no commune airs more than this many segments, plays or minutes.
MAX_MONTHLY_TARGET = 100_000

# Tables that are arrays of tables (``[[slots]]``) and tables holding named sub-tables
# (``[mix.loudspeaker]``, ``[languages.blt]``): their settings are declared once for every
# element, under the table name ``slots`` or ``mix.*``.
ARRAY_TABLES = ("zones", "slots", "rules", "departments")
NAMED_TABLES = ("mix", "languages")


@dataclass(frozen=True)
class Setting:
    """One station setting: declared here once, with its type, default, sane range and
    meaning, so every check (and its message), ``broadcast config show|check`` and the
    README's reference come from this declaration.

    Ranges are what a person could mean: outside them a value is a typo (``pause_ms =
    100000000`` asks for a 28-hour pause and 17 GB of silence; ``syllables_per_minute = 0``
    divides by zero; a negative rate reads faster than time). ``default`` None with
    ``required`` False means "optional, nothing when absent" or a default computed elsewhere
    (``default_note`` says which); ``replaced_by`` marks an old key still read, with a
    notice naming the new one.
    """

    table: str
    key: str
    kind: type
    default: object
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    default_note: str = ""
    pattern: str = ""
    replaced_by: str = ""

    @property
    def label(self) -> str:
        """``[script] pace``, ``[[slots]] minutes``, ``[mix.*] pause_ms``."""
        return f"{table_label(self.table)} {self.key}"

    def check(self, value: object, path: str | None = None) -> object:
        """The value converted to the field's type, or a WorkspaceError naming key and range."""
        if path is None:
            where = f"station.toml: '{self.key}' trong [{self.table}] ({self.help})"
        else:
            where = f"station.toml: {path} ({self.help})"
        if self.kind is bool:
            if not isinstance(value, bool):
                raise WorkspaceError(f"{where} phải là true hoặc false.")
            return value
        if self.kind is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise WorkspaceError(f'{where} phải là một danh sách chuỗi, vd. ["a", "b"].')
            if self.choices:
                wrong = [v for v in value if v.strip().lower() not in self.choices]
                if wrong:
                    raise WorkspaceError(
                        f"{where}: {', '.join(wrong)} không hợp lệ; dùng {', '.join(self.choices)}."
                    )
            return [v.strip() for v in value]
        if self.kind is dt.time:
            if not isinstance(value, str):
                raise WorkspaceError(f'{where} phải là giờ dạng "HH:MM" trong ngoặc kép.')
            try:
                return dt.time.fromisoformat(value.strip())
            except ValueError:
                raise WorkspaceError(f"{where}: giờ '{value}' không hợp lệ (dạng HH:MM).") from None
        if self.kind is str:
            empty_ok = self.default == ""
            if not isinstance(value, str) or (not empty_ok and not value.strip()):
                raise WorkspaceError(f"{where} phải là một chuỗi không rỗng.")
            if len(value) > _MAX_TEXT_SETTING:
                raise WorkspaceError(f"{where} dài quá {_MAX_TEXT_SETTING} ký tự.")
            if self.choices and value not in self.choices:
                raise WorkspaceError(f"{where} phải là một trong {', '.join(self.choices)}.")
            if self.pattern and not re.fullmatch(self.pattern, value):
                raise WorkspaceError(f"{where}: '{value}' không đúng dạng ({self.default_note}).")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise WorkspaceError(f"{where} phải là một số.")
        if self.kind is int and not isinstance(value, int):
            raise WorkspaceError(f"{where} phải là số nguyên.")
        assert self.low is not None and self.high is not None
        if not self.low <= value <= self.high:  # also refuses nan, which compares false
            default = "" if self.default is None else f"; mặc định là {self.default}"
            raise WorkspaceError(
                f"{where} = {value} nằm ngoài khoảng {self.low:g}–{self.high:g}{default}."
            )
        return self.kind(value)


def table_label(table: str) -> str:
    """How a table is written in station.toml: ``[[slots]]`` for arrays, ``[mix.*]``."""
    return f"[[{table}]]" if table in ARRAY_TABLES else f"[{table}]"


_WEEKDAY_HELP = "ngày trong tuần: mon tue wed thu fri sat sun"
_HHMM = "giờ HH:MM"
_REPORT_TARGET = "chỉ tiêu tháng (0 = không đặt)"

# To add a setting, add ONE line here (table, key, type, default, Vietnamese help and, for
# numbers, low/high); a [script]/[audio]/[review] key that matches a ``Station`` field is
# filled into that field automatically; other tables are read by their stage from
# ``Station.raw``. README.md's reference is regenerated with settings_reference().
SETTINGS: tuple[Setting, ...] = (
    Setting("station", "name", str, None, "tên đài", required=True),
    Setting("station", "commune", str, None, "tên xã/phường", required=True),
    Setting("station", "province", str, None, "tên tỉnh", required=True),
    Setting("station", "languages", list, ["vi"], "ngôn ngữ phát, 'vi' bắt buộc"),
    Setting("station", "portal", str, None, "cổng dịch vụ công, in ở cuối video"),
    Setting("station", "hotline", str, None, "đường dây nóng, in ở cuối video"),
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
    Setting(
        "audio",
        "loudness_lufs",
        float,
        -16.0,
        "độ lớn đích, LUFS",
        low=-40,
        high=-5,
        replaced_by="[mix.loudspeaker] loudness_lufs",
    ),
    Setting(
        "audio",
        "true_peak_db",
        float,
        -1.5,
        "đỉnh thực tối đa, dBTP",
        low=-9,
        high=0,
        replaced_by="[mix.loudspeaker] true_peak_db",
    ),
    Setting(
        "schedule",
        "slot_end",
        str,
        "finish",
        "mục phát quá giờ: phát hết / cắt",
        choices=("finish", "cut"),
    ),
    Setting(
        "schedule",
        "ident_seconds",
        float,
        0.0,
        "nhạc hiệu đầu và cuối khung, giây",
        low=0,
        high=120,
    ),
    Setting("schedule", "ident_file", str, None, "tệp nhạc hiệu"),
    Setting("zones", "id", str, None, "mã cụm loa", required=True),
    Setting("zones", "name", str, None, "tên cụm loa", required=True),
    Setting("zones", "villages", list, [], "các thôn, bản nghe cụm loa"),
    Setting(
        "zones",
        "languages",
        list,
        None,
        "ngôn ngữ phát, theo thứ tự",
        default_note="ngôn ngữ của đài",
    ),
    Setting("slots", "id", str, None, "mã khung giờ", default_note="slot-1, slot-2, …"),
    Setting(
        "slots",
        "days",
        list,
        list(WEEKDAYS),
        _WEEKDAY_HELP,
        choices=WEEKDAYS,
    ),
    Setting(
        "slots",
        "weekdays",
        list,
        None,
        _WEEKDAY_HELP,
        choices=WEEKDAYS,
        replaced_by="[[slots]] days",
    ),
    Setting("slots", "start", dt.time, None, f"giờ bắt đầu, {_HHMM}", required=True),
    Setting("slots", "minutes", int, None, "độ dài, phút", low=1, high=1440, required=True),
    Setting("slots", "zones", list, ["all"], "cụm loa nghe khung giờ này"),
    Setting(
        "slots",
        "kind",
        str,
        "local",
        "phát tại chỗ / tiếp sóng",
        choices=("local", "relay"),
    ),
    Setting("slots", "url", str, None, 'luồng tiếp sóng (kind = "relay")'),
    Setting("rules", "topic", str, None, "chủ đề phải có", required=True),
    Setting("rules", "days", list, list(WEEKDAYS), _WEEKDAY_HELP, choices=WEEKDAYS),
    Setting(
        "rules",
        "weekdays",
        list,
        None,
        _WEEKDAY_HELP,
        choices=WEEKDAYS,
        replaced_by="[[rules]] days",
    ),
    Setting("rules", "from", dt.time, "00:00", f"áp dụng cho khung bắt đầu từ, {_HHMM}"),
    Setting("rules", "to", dt.time, "23:59", f"… đến trước, {_HHMM}"),
    Setting("rules", "min_items", int, 1, "số mục tối thiểu", low=1, high=100),
    Setting("report", "authority", str, None, "cơ quan chủ quản", default_note="UBND XÃ …"),
    Setting(
        "report",
        "center",
        str,
        "Trung tâm Dịch vụ tổng hợp",
        "đơn vị báo cáo",
    ),
    Setting("report", "place", str, None, "địa danh ở dòng ngày", default_note="tên xã"),
    Setting("report", "unit", str, None, "tên trong tiêu đề", default_note="xã …"),
    Setting("report", "signer_title", str, "GIÁM ĐỐC", "chức danh người ký"),
    Setting("report", "signer", str, "", "họ tên người ký (trống: ký tay)"),
    Setting(
        "report",
        "min_cchc_segments_per_month",
        int,
        1,
        _REPORT_TARGET + ": số bản tin",
        low=0,
        high=MAX_MONTHLY_TARGET,
    ),
    Setting(
        "report",
        "min_cchc_plays_per_month",
        int,
        0,
        _REPORT_TARGET + ": số lượt phát",
        low=0,
        high=MAX_MONTHLY_TARGET,
    ),
    Setting(
        "report",
        "min_cchc_minutes_per_month",
        float,
        0.0,
        _REPORT_TARGET + ": số phút",
        low=0,
        high=MAX_MONTHLY_TARGET,
    ),
    Setting(
        "asrun",
        "late_tolerance_minutes",
        float,
        5.0,
        "phát muộn quá mức này là 'phát muộn'",
        low=0,
        high=MAX_MONTHLY_TARGET,
    ),
    Setting(
        "asrun",
        "match_window_minutes",
        float,
        120.0,
        "lượt phát xa hơn thì không ghép",
        low=0,
        high=MAX_MONTHLY_TARGET,
    ),
    Setting(
        "video",
        "background",
        str,
        None,
        "ảnh nền",
        default_note="video/background.*",
    ),
    Setting("video", "progress_bar", bool, False, "thanh tiến độ ở cạnh dưới"),
    # issue 14: the article's pictures behind the subtitles, the station's photos and logo
    Setting(
        "video",
        "photo_folder",
        str,
        None,
        "thư mục ảnh của đài, dùng khi bài không có ảnh (theo thứ tự tên, lặp lại)",
    ),
    Setting(
        "video",
        "motion_fps",
        float,
        4.0,
        "số hình mỗi giây của hiệu ứng lia ảnh chậm (0: ảnh đứng yên)",
        low=0,
        high=12,
    ),
    Setting("video", "logo", str, None, "logo của đài (PNG/JPEG), in trên thẻ tiêu đề"),
    # [review] and [people] (issue 10, accounts and vetting; helper X).
    Setting(
        "review",
        "four_eyes",
        bool,
        True,
        "người sửa văn bản lần cuối không được tự duyệt (false: đài một người, mỗi lần tự "
        "duyệt được ghi lại)",
    ),
    # [translation] (issue 16): the province's shared memory.
    Setting(
        "translation",
        "share_with_province",
        bool,
        True,
        "trên máy chủ của tỉnh: câu dịch duyệt ở đài này vào bộ nhớ dịch chung của tỉnh, mọi "
        "đài dùng được (false: chỉ đài này dùng)",
    ),
    Setting(
        "people",
        "default",
        str,
        None,
        "người dùng mà dòng lệnh thay mặt khi không có --as hay BROADCAST_USER",
        default_note="người quản trị đầu tiên",
    ),
    # [[departments]] (issue 14): the ward's departments and their monthly articles for the
    # portal, read by broadcast.publish.departments.
    Setting("departments", "id", str, None, "mã đơn vị (chữ không dấu)", required=True),
    Setting("departments", "name", str, None, "tên cơ quan, đơn vị", required=True),
    Setting("departments", "topics", list, [], "chủ đề bài viết hằng tháng được giao"),
    Setting(
        "departments", "due_day", int, 15, "hạn gửi bài: ngày trong tháng", low=1, high=31
    ),
    Setting("departments", "per_month", int, 1, "số bài phải gửi mỗi tháng", low=1, high=31),
    # [web] (issue 12): the web workspace, `broadcast web`.
    # issue 16: a job (render, produce, translation) running longer than this is stopped at
    # its next progress report and marked failed, so a stuck one does not hold a worker.
    Setting(
        "jobs", "timeout_minutes", int, 60, "dừng công việc chạy quá, phút", low=1, high=1440
    ),
    Setting("web", "upload_max_mb", int, 20, "cỡ tệp tải lên tối đa, MB", low=1, high=500),
    Setting("web", "session_hours", int, 12, "phiên đăng nhập hết hạn sau, giờ", low=1, high=720),
    Setting(
        "web", "login_attempts", int, 5, "số lần đăng nhập sai trước khi tạm khóa", low=1, high=50
    ),
    Setting(
        "web", "lockout_minutes", int, 5, "thời gian tạm khóa đăng nhập, phút", low=1, high=1440
    ),
    # [mix.<profile>]: a shipped mix profile's field, changed for this station.
    *(
        Setting("mix.*", key, kind, None, text, low=low, high=high, default_note="cấu hình có sẵn")
        for key, kind, low, high, text in (
            ("loudness_lufs", float, -40, -5, "độ lớn đích, LUFS"),
            ("tolerance_lu", float, 0.1, 5, "sai số độ lớn cho phép, LU"),
            ("true_peak_db", float, -9, 0, "đỉnh thực tối đa, dBTP"),
            ("highpass_hz", float, 0, 1000, "lọc tần thấp, Hz (0: không lọc)"),
            ("lowpass_hz", float, 0, 24000, "lọc tần cao, Hz (0: không lọc)"),
            ("pause_ms", int, 0, 5000, "nghỉ giữa hai câu, mili giây"),
            ("section_pause_ms", int, 0, 10000, "nghỉ giữa hai phần, mili giây"),
            ("fade_in_ms", int, 0, 5000, "vào dần, mili giây"),
            ("fade_out_ms", int, 0, 10000, "nhỏ dần, mili giây"),
            ("bed_gain_db", float, -60, 0, "mức nhạc nền, dB"),
            ("duck_db", float, -60, 0, "giảm nhạc nền khi có lời, dB"),
        )
    ),
    Setting(
        "mix.*",
        "bitrate",
        str,
        None,
        "tốc độ bit",
        pattern=r"[1-9][0-9]{1,2}k",
        default_note='cấu hình có sẵn; dạng như "128k"',
    ),
    Setting("languages.*", "name", str, None, "tên tiếng Việt của ngôn ngữ"),
    Setting("languages.*", "scripts", list, ["Latn"], "chữ viết ISO 15924, vd. Latn, Tavt"),
    Setting("languages.*", "iso639_3", str, None, "mã ISO 639-3 ba chữ"),
    Setting("languages.*", "note", str, "", "ghi chú"),
    # issue 16: the station's database on a PostgreSQL server instead of broadcast.db
    # (BROADCAST_DATABASE_URL in the environment wins over it; see broadcast.store.postgres).
    Setting(
        "database",
        "url",
        str,
        None,
        "địa chỉ cơ sở dữ liệu PostgreSQL (postgresql://người_dùng@máy_chủ/tên; mật khẩu "
        "để trong ~/.pgpass, không ghi ở đây); trống: tệp broadcast.db trong thư mục làm việc",
        pattern=r"postgres(ql)?://\S+",
        default_note="dạng postgresql://…",
    ),
    Setting(
        "database",
        "station",
        str,
        "",
        "mã trạm trên máy chủ của tỉnh (chữ thường không dấu, gạch nối); trống: tên thư mục "
        "làm việc",
        pattern=r"[a-z0-9]+(-[a-z0-9]+)*",
        default_note="tên thư mục",
    ),
)


def declared(table: str) -> dict[str, Setting]:
    """The settings of one table (``slots``, ``mix.*``), by key."""
    return {s.key: s for s in SETTINGS if s.table == table}


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "(trống)"
    return str(value)


def settings_reference() -> str:
    """The README's table of every station setting, made from ``SETTINGS`` so the
    documentation cannot drift from what is checked (a test compares the two)."""
    rows = [
        "| bảng | khóa | kiểu | mặc định | khoảng / lựa chọn | ý nghĩa |",
        "|---|---|---|---|---|---|",
    ]
    kinds = {
        str: "chuỗi",
        int: "số nguyên",
        float: "số",
        bool: "true/false",
        list: "danh sách",
        dt.time: "giờ",
    }
    for s in SETTINGS:
        if s.choices:
            allowed = ", ".join(s.choices)
        elif s.low is not None and s.high is not None:
            allowed = f"{s.low:g} – {s.high:g}"
        else:
            allowed = ""
        if s.required:
            default = "(bắt buộc)"
        elif s.default is None:
            default = f"({s.default_note})" if s.default_note else "(không có)"
        else:
            default = _fmt(s.default)
        if s.kind is str and len(default) > 30:
            default = "(câu mẫu)"
        meaning = s.help + (f"; cũ, thay bằng {s.replaced_by}" if s.replaced_by else "")
        rows.append(
            f"| {table_label(s.table)} | `{s.key}` | {kinds[s.kind]} | {default} | {allowed} "
            f"| {meaning} |"
        )
    return "\n".join(rows) + "\n"


# --- Keys: every one in the file must be declared ----------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in station.toml: where (``[[slots]][2].minuts``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _unknown(path: str, key: str, known: list[str]) -> Problem:
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"ý bạn là '{near[0]}'?" if near else f"các khóa hợp lệ: {', '.join(known)}."
    return Problem(path, f"không có khóa '{key}' ở đây; {hint}")


def _table_keys(
    table: str, path: str, raw: dict[str, Any], problems: list[Problem], notices: list[str]
) -> dict[str, Any]:
    """The declared keys of one table, each checked; the others reported."""
    settings = declared(table)
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        setting = settings.get(key)
        where = f"{path}.{key}"
        if setting is None:
            problems.append(_unknown(where, key, list(settings)))
            continue
        try:
            setting.check(value, where)
        except WorkspaceError as exc:
            problems.append(Problem(where, exc.message.removeprefix(f"station.toml: {where} ")))
            continue
        if setting.replaced_by:
            notices.append(
                f"station.toml: {where} là khóa cũ, vẫn được đọc; hãy đổi thành "
                f"{setting.replaced_by}. / Deprecated key."
            )
        clean[key] = value
    return clean


def check_keys(data: dict[str, Any]) -> tuple[dict[str, Any], list[Problem], list[str]]:
    """Every key of a parsed station.toml against ``SETTINGS``.

    Returns the data without the keys that are unknown or of a wrong type or range (so the
    structural checks after it can still find overlapping slots and the like), every problem
    with its path, and deprecation notices. Required keys are left to the parsers, which say
    what is missing where.
    """
    problems: list[Problem] = []
    notices: list[str] = []
    tables = sorted({s.table.split(".")[0] for s in SETTINGS})
    clean: dict[str, Any] = {}
    for name, raw in data.items():
        if name not in tables:
            problems.append(_unknown(f"[{name}]", name, tables))
            continue
        if name in ARRAY_TABLES:
            if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
                problems.append(Problem(f"[[{name}]]", "phải là danh sách các bảng [[...]]."))
                continue
            clean[name] = [
                _table_keys(name, f"[[{name}]][{i + 1}]", item, problems, notices)
                for i, item in enumerate(raw)
            ]
        elif name in NAMED_TABLES:
            if not isinstance(raw, dict) or not all(isinstance(t, dict) for t in raw.values()):
                problems.append(Problem(f"[{name}]", f"phải gồm các bảng [{name}.TÊN]."))
                continue
            clean[name] = {
                sub: _table_keys(f"{name}.*", f"[{name}.{sub}]", item, problems, notices)
                for sub, item in raw.items()
            }
        else:
            if not isinstance(raw, dict):
                problems.append(Problem(f"[{name}]", "phải là một bảng."))
                continue
            clean[name] = _table_keys(name, f"[{name}]", raw, problems, notices)
    return clean, problems, notices


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


_STATION_TABLES = ("script", "audio", "review", "translation", "jobs")


def _settings_values(tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every declared setting that is a ``Station`` field, checked, with its default where
    the file leaves it out."""
    fields = Station.__dataclass_fields__
    return {
        s.key: s.check(tables[s.table][s.key]) if s.key in tables[s.table] else s.default
        for s in SETTINGS
        if s.table in _STATION_TABLES and s.key in fields and not s.replaced_by
    } | {
        s.key: s.check(tables[s.table][s.key])
        for s in SETTINGS
        if s.replaced_by and s.table in _STATION_TABLES and s.key in tables[s.table]
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
    _, problems, notices = check_keys(data)
    if problems:
        more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        raise WorkspaceError(f"station.toml: {problems[0]}{more} Xem 'broadcast config check'.")
    script = data.get("script", {})
    audio = data.get("audio", {})
    review = data.get("review", {})
    languages = tuple(str(x) for x in table.get("languages", ["vi"]))
    if "vi" not in languages:
        raise WorkspaceError("station.toml: 'languages' phải có 'vi', ngôn ngữ nguồn.")
    added = _parse_added_languages(data.get("languages", {}))
    try:
        parse_languages(",".join(languages), registry(added))
    except InputError as exc:
        raise WorkspaceError(f"station.toml: {exc.message}") from None
    slots = parse_slots(data)
    tables = {k: data.get(k, {}) for k in ("translation", "jobs")}
    values = _settings_values({"script": script, "audio": audio, "review": review, **tables})
    try:
        station = Station(
            name=_require(table, "name", str, "station"),
            commune=_require(table, "commune", str, "station"),
            province=_require(table, "province", str, "station"),
            languages=languages,
            added_languages=added,
            slots=slots,
            portal=(table.get("portal") or "").strip() or None,
            hotline=(table.get("hotline") or "").strip() or None,
            raw=data,
            notices=tuple(notices),
            **values,
        )
        for key in ("opening", "closing"):
            _check_template(getattr(station, key), key)
    except (TypeError, ValueError, KeyError) as exc:
        raise WorkspaceError(f"station.toml: giá trị không hợp lệ ({exc}).") from None
    return station


def load_station(path: Path) -> Station:
    """Read and validate ``station.toml``; old keys still read are named on stderr."""
    station = parse_station(read_toml(path, WorkspaceError))
    for notice in station.notices:
        print(notice, file=sys.stderr, flush=True)
    return station


def zone_option(text: str) -> dict[str, Any]:
    """``--zone "ban-muong:Cụm loa bản Mường"`` as a ``[[zones]]`` table (every station
    language; the file can narrow them later)."""
    zone_id, sep, name = text.partition(":")
    zone_id, name = zone_id.strip(), name.strip()
    if not sep or not zone_id or not name or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", zone_id):
        raise InputError(
            f"Cụm loa '{text}' không đúng dạng; viết MÃ:Tên, vd. \"ban-muong:Cụm loa bản "
            'Mường" (mã: chữ thường không dấu, số, gạch ngang).'
        )
    return {"id": zone_id, "name": name}


def _slot_table(slot: Slot, index: int) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if slot.id and slot.id != f"slot-{index + 1}":
        table["id"] = slot.id
    table |= {
        "days": list(slot.days),
        "start": slot.start.strftime("%H:%M"),
        "minutes": slot.minutes,
        "zones": list(slot.zones),
    }
    if slot.kind != "local":
        table["kind"] = slot.kind
    if slot.url:
        table["url"] = slot.url
    return table


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
        },
        "slots": [_slot_table(slot, i) for i, slot in enumerate(station.slots)],
    }
    own = cast(dict[str, Any], data["station"])
    for key in ("portal", "hotline"):
        if getattr(station, key):
            own[key] = getattr(station, key)
    loudness = declared("audio")
    mix = {
        key: getattr(station, key)
        for key in ("loudness_lufs", "true_peak_db")
        if getattr(station, key) != loudness[key].default
    }
    if mix:
        data["mix"] = {"loudspeaker": mix}
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
    arrays = ""
    for name, value in station.raw.items():  # tables no field covers, e.g. init's [[zones]]
        if name in data:
            continue
        if name in ARRAY_TABLES and isinstance(value, list):
            # tomli_w writes short arrays of tables inline, at the top: spell them out.
            arrays += "".join(f"\n[[{name}]]\n{tomli_w.dumps(item)}" for item in value)
        else:
            data[name] = value
    header = "# Cấu hình đài truyền thanh (station settings). Xem README.md.\n"
    return header + tomli_w.dumps(data) + arrays
