"""Station settings edited in a form and written back into station.toml.

The *Cài đặt đài* page shows a form of the keys a commune changes (station details, report
signer, four-eyes review, the voice, the fields of each shipped mix profile as
``[mix.<profile>]`` overrides, web limits, zones and slots) and hands back what was typed. This
module turns those strings into TOML values by the kind each key has in ``SETTINGS``, puts
them into the file with ``tomlkit`` (so the station's own comments, blank lines, key order and
untouched values stay as they were), and checks the resulting text with exactly
``broadcast config check`` before anything is written. A refused save raises
``SettingsRefused`` with every problem attached to the field it names (the page shows it
there) and leaves the file unchanged.

The form carries the SHA-256 of the file it was made from: if the file changed meanwhile
(another admin, an editor on the server) the save is refused rather than applied to rows
that may have moved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Item, Table

from broadcast.audio.profiles import PROFILES
from broadcast.config.check import check_station_text
from broadcast.errors import InputError, WorkspaceError
from broadcast.safeparse import load_toml, read_toml
from broadcast.store.files import atomic_write_text
from broadcast.store.station import WEEKDAYS, Setting, declared

# The keys of the form, in the order they are shown.
SCALARS: tuple[tuple[str, str], ...] = (
    ("station", "name"),
    ("station", "commune"),
    ("station", "province"),
    ("station", "portal"),
    ("station", "hotline"),
    ("report", "authority"),
    ("report", "center"),
    ("report", "place"),
    ("report", "unit"),
    ("report", "signer_title"),
    ("report", "signer"),
    ("review", "four_eyes"),
    ("audio", "voice"),
    ("audio", "speech_rate"),
    ("audio", "pause_ms"),
    ("web", "upload_max_mb"),
    ("web", "session_hours"),
    ("web", "login_attempts"),
    ("web", "lockout_minutes"),
)
# The fields of every shipped mix profile a station may change (``[mix.<profile>] <key>``),
# named ``mix.<profile>.<key>``; left empty, the profile's own value applies.
MIX_FIELDS: tuple[str, ...] = tuple(
    f"mix.{profile}.{key}" for profile in PROFILES for key in declared("mix.*")
)
ROWS: dict[str, tuple[str, ...]] = {
    "zones": ("id", "name", "villages", "languages"),
    "slots": ("id", "days", "start", "minutes", "zones", "kind", "url"),
    "rules": ("topic", "days", "from", "to", "min_items"),
}
NEW = "new"  # the row index of the empty row that adds a zone or a slot
VERSION = "version"
GENERAL = ""  # errors that name no field of the form


def setting(name: str) -> Setting:
    """The declaration behind a form field (``station.name``, ``slots.0.minutes``,
    ``mix.web.bitrate``)."""
    parts = name.split(".")
    return declared("mix.*" if parts[0] == "mix" else parts[0])[parts[-1]]


def file_version(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class SettingsForm:
    """What the form shows: each field's text (``days`` fields: the chosen weekdays), the
    rows of zones and slots, and the problems found at each field."""

    version: str
    values: dict[str, str] = field(default_factory=dict)
    days: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[str]] = field(default_factory=dict)  # "zones" -> ["0", "1", "new"]
    removed: set[str] = field(default_factory=set)  # "zones.1"
    errors: dict[str, list[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str) -> list[str]:
        return self.errors.get(name, [])

    @property
    def general(self) -> list[str]:
        return self.errors.get(GENERAL, [])

    @property
    def error_count(self) -> int:
        return sum(len(v) for v in self.errors.values())


class SettingsRefused(InputError):
    """The edited settings do not pass ``config check``; ``form`` holds them with their
    problems at their fields. Nothing was written."""

    def __init__(self, form: SettingsForm) -> None:
        count = form.error_count
        super().__init__(
            f"Chưa lưu: có {count} lỗi trong cài đặt (ghi ở từng ô); hãy sửa rồi lưu lại."
        )
        self.form = form


# --- showing ------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return "" if value is None else str(value)


def current_form(path: Path) -> SettingsForm:
    """The form of the station.toml at ``path`` as it is now."""
    text = path.read_text(encoding="utf-8-sig")
    data = load_toml(text, path.name, WorkspaceError)
    form = SettingsForm(version=file_version(text))
    for table, key in SCALARS:
        part = data.get(table)
        value = part.get(key) if isinstance(part, dict) else None
        if value is None and declared(table)[key].kind is bool:
            value = declared(table)[key].default  # a checkbox shows what applies
        form.values[f"{table}.{key}"] = _shown(value)
    mixes = data.get("mix")
    for name in MIX_FIELDS:
        _, profile, key = name.split(".")
        given = mixes.get(profile) if isinstance(mixes, dict) else None
        form.values[name] = _shown(given.get(key) if isinstance(given, dict) else None)
    for table, keys in ROWS.items():
        items = data.get(table)
        rows = items if isinstance(items, list) else []
        form.rows[table] = [str(i) for i in range(len(rows))] + [NEW]
        for i, row in enumerate(rows):
            for key in keys:
                value = row.get(key) if isinstance(row, dict) else None
                if key == "days" and value is None and isinstance(row, dict):
                    value = row.get("weekdays")  # the old key, still read
                name = f"{table}.{i}.{key}"
                if key == "days":
                    days = value if isinstance(value, list) else list(WEEKDAYS)
                    form.days[name] = [str(d).lower() for d in days]
                else:
                    form.values[name] = _shown(value)
    form.days["slots.new.days"] = list(WEEKDAYS)
    form.days["rules.new.days"] = list(WEEKDAYS)
    form.values["slots.new.zones"] = "all"
    return form


def submitted_form(form_data: Mapping[str, Sequence[str]]) -> SettingsForm:
    """The form as the person filled it in (shown again with the problems)."""

    def one(name: str) -> str:
        values = form_data.get(name) or [""]
        return str(values[0])

    form = SettingsForm(version=one(VERSION))
    for table, key in SCALARS:
        form.values[f"{table}.{key}"] = one(f"{table}.{key}")
    for name in MIX_FIELDS:
        form.values[name] = one(name)
    for table, keys in ROWS.items():
        indexes = sorted(
            {n.split(".")[1] for n in form_data if n.startswith(f"{table}.")} - {NEW},
            key=lambda i: int(i) if i.isdigit() else 10**9,
        )
        indexes = [i for i in indexes if i.isdigit()]
        form.rows[table] = [*indexes, NEW]
        for index in form.rows[table]:
            for key in keys:
                name = f"{table}.{index}.{key}"
                if key == "days":
                    form.days[name] = [str(v) for v in form_data.get(name, [])]
                else:
                    form.values[name] = one(name)
            if one(f"{table}.{index}.remove"):
                form.removed.add(f"{table}.{index}")
    return form


# --- reading the typed strings as TOML values ------------------------------------------------


_ABSENT = object()  # the key is taken out of the file (its default applies)


def _number(text: str, kind: type) -> object:
    cleaned = text.strip().replace(",", ".") if kind is float else text.strip()
    try:
        return int(cleaned) if kind is int else float(cleaned)
    except ValueError:
        try:
            return float(cleaned)  # 2.5 where a whole number is needed: the check says so
        except ValueError:
            return text  # not a number: the check says "phải là một số"


def typed_value(decl: Setting, text: str | list[str]) -> object:
    """The TOML value of a field as typed, by its declared kind; ``_ABSENT`` when it is left
    empty and the key has a default (the key is removed rather than written empty)."""
    if decl.kind is bool:
        return text not in ("", [])
    if decl.kind is list:
        items = text if isinstance(text, list) else [t.strip() for t in text.split(",")]
        items = [i.strip() for i in items if i.strip()]
        if not items and (decl.default is None or decl.default == []):
            return _ABSENT
        return items
    assert isinstance(text, str)
    stripped = text.strip()
    if not stripped:
        if decl.required:
            return ""
        return "" if decl.default == "" else _ABSENT
    if decl.kind in (int, float):
        return _number(stripped, decl.kind)
    return stripped


def _same(old: Any, new: object) -> bool:
    plain = old.unwrap() if isinstance(old, Item) else old
    return type(plain) is type(new) and plain == new


def _put(table: Table | Any, key: str, value: object) -> None:
    """Set or remove one key, keeping an unchanged value as written and a changed value's
    own trailing comment."""
    if value is _ABSENT:
        if key in table:
            del table[key]
        return
    if key in table:
        old = table[key]
        if _same(old, value):
            return
        new = tomlkit.item(value)
        if isinstance(old, Item) and old.trivia.comment:
            new.trivia.comment_ws = old.trivia.comment_ws
            new.trivia.comment = old.trivia.comment
        table[key] = new
    else:
        table[key] = value


def _row_values(form: SettingsForm, table: str, index: str) -> dict[str, object]:
    values: dict[str, object] = {}
    for key in ROWS[table]:
        name = f"{table}.{index}.{key}"
        typed: str | list[str] = form.days.get(name, []) if key == "days" else form.value(name)
        values[key] = typed_value(declared(table)[key], typed)
    return values


def _blank(form: SettingsForm, table: str, index: str) -> bool:
    """The adding row left as shown (its kind, weekdays and "all" zones are prefilled)."""
    values = {k: form.value(f"{table}.{index}.{k}").strip() for k in ROWS[table]}
    values.pop("kind", None)
    if table == "slots" and values.get("zones") == "all":
        values.pop("zones")
    return not any(values.values())


def apply_form(text: str, form: SettingsForm) -> tuple[str, dict[str, dict[int, str]]]:
    """The new station.toml text, and for each row table which form row each array index of
    the new file came from (to put a problem about ``[[slots]][3]`` at its row)."""
    doc = tomlkit.parse(text)
    for table, key in SCALARS:
        value = typed_value(declared(table)[key], form.value(f"{table}.{key}"))
        absent = table not in doc or key not in doc[table]
        if absent and (value is _ABSENT or value == declared(table)[key].default):
            continue  # left as it was: the default still applies, nothing is written
        if table not in doc:
            doc[table] = tomlkit.table()
        _put(doc[table], key, value)
    origins: dict[str, dict[int, str]] = {}
    for table in ROWS:
        existing = doc.get(table)
        if existing is not None and not isinstance(existing, AoT):
            raise InputError(
                f"station.toml viết [[{table}]] theo cách trang này không sửa được; hãy sửa "
                "tệp bằng tay rồi kiểm tra bằng 'broadcast config check'."
            )
        kept: list[str] = []
        gone: list[int] = []
        for i, item in enumerate(existing.body if existing is not None else []):
            row = str(i)
            if f"{table}.{row}" in form.removed:
                gone.append(i)
                continue
            for key, value in _row_values(form, table, row).items():
                _put(item, key, value)
            if "days" in item and "weekdays" in item:
                del item["weekdays"]  # written under its new name
            kept.append(row)
        for i in reversed(gone):
            assert existing is not None
            del existing[i]
        if not _blank(form, table, NEW):
            added = tomlkit.table()
            for key, value in _row_values(form, table, NEW).items():
                if value is not _ABSENT and not (key == "kind" and value == "local"):
                    added[key] = value
            added.add(tomlkit.nl())
            if existing is None:
                existing = tomlkit.aot()
                doc[table] = existing
            existing.append(added)
            kept.append(NEW)
        origins[table] = dict(enumerate(kept))
    _apply_mix(doc, form)
    return tomlkit.dumps(doc), origins


def _apply_mix(doc: Any, form: SettingsForm) -> None:
    """Write the ``[mix.<profile>]`` keys of the form: a value typed sets its key, a field
    emptied removes it (the shipped profile's value applies again), and a profile table
    left with no key is taken out rather than kept empty."""
    mixes = doc.get("mix")
    if mixes is not None and not isinstance(mixes, dict):
        raise InputError(
            "station.toml viết [mix] theo cách trang này không sửa được; hãy sửa tệp bằng tay "
            "rồi kiểm tra bằng 'broadcast config check'."
        )
    emptied: set[str] = set()
    for name in MIX_FIELDS:
        _, profile, key = name.split(".")
        value = typed_value(setting(name), form.value(name))
        table = mixes.get(profile) if mixes is not None else None
        if table is None and value is _ABSENT:
            continue
        if mixes is None:
            mixes = doc["mix"] = tomlkit.table(is_super_table=True)
        if table is None:
            table = mixes[profile] = tomlkit.table()
        if not isinstance(table, dict):
            raise InputError(
                f"station.toml viết [mix.{profile}] theo cách trang này không sửa được; hãy "
                "sửa tệp bằng tay rồi kiểm tra bằng 'broadcast config check'."
            )
        _put(table, key, value)
        if value is _ABSENT:
            emptied.add(profile)
    for profile in emptied:
        if mixes is not None and not mixes[profile]:
            del mixes[profile]
    if mixes is not None and not mixes:
        del doc["mix"]


# --- problems at their fields ------------------------------------------------------------------


_KEY_AT = re.compile(r"^\[(\w+)\]\.(\w+)\b")
_MIX_KEY = re.compile(r"\[mix\.(\w+)\]\.(\w+)\b|'(\w+)'(?: = \S+)? trong \[mix\.(\w+)\]")
_ROW_KEY = re.compile(r"\[\[(zones|slots|rules)\]\]\[(\d+)\]\.(\w+)")
_MISSING_IN_ROW = re.compile(r"thiếu khóa '(\w+)' trong \[\[(zones|slots|rules)\]\]\[(\d+)\]")
_ROW = re.compile(r"\[\[(zones|slots|rules)\]\]\[(\d+)\]")
_KEY_IN = re.compile(r"'(\w+)' trong \[(\w+)\]")
_ZONE_BY_ID = re.compile(r"(?:thiếu khóa '(\w+)' trong )?\[\[zones\]\] '([^']+)'")


def _field_of(problem: str, origins: dict[str, dict[int, str]], zone_ids: list[str]) -> str:
    """The form field (or row) a ``config check`` problem is about; GENERAL if none."""
    scalars = {f"{t}.{k}" for t, k in SCALARS}

    def row(table: str, number: str) -> str | None:
        found = origins.get(table, {}).get(int(number) - 1)
        return None if found is None else f"{table}.{found}"

    if m := _MIX_KEY.search(problem):
        profile, key = (m[1], m[2]) if m[1] else (m[4], m[3])
        if f"mix.{profile}.{key}" in MIX_FIELDS:
            return f"mix.{profile}.{key}"
    if m := _ROW_KEY.search(problem):
        at = row(m[1], m[2])
        if at is not None:
            return f"{at}.{m[3]}" if m[3] in ROWS[m[1]] else at
    if m := _MISSING_IN_ROW.search(problem):
        at = row(m[2], m[3])
        if at is not None:
            return f"{at}.{m[1]}"
    if m := _ROW.search(problem):
        at = row(m[1], m[2])
        if at is not None:
            return at
    if (m := _ZONE_BY_ID.search(problem)) and m[2] in zone_ids:
        at = f"zones.{origins.get('zones', {}).get(zone_ids.index(m[2]), NEW)}"
        return f"{at}.{m[1]}" if m[1] in ROWS["zones"] else at
    for pattern, order in ((_KEY_AT, (1, 2)), (_KEY_IN, (2, 1))):
        if m := pattern.search(problem):
            name = f"{m[order[0]]}.{m[order[1]]}"
            if name in scalars:
                return name
    return GENERAL


def _zone_ids(text: str) -> list[str]:
    try:
        zones = load_toml(text, "station.toml", WorkspaceError).get("zones")
    except WorkspaceError:
        return []
    if not isinstance(zones, list):
        return []
    return [str(z.get("id", "")) if isinstance(z, dict) else "" for z in zones]


@dataclass(frozen=True)
class Saved:
    """A save that passed the check: whether the file changed, and the check's notices."""

    changed: bool
    notices: tuple[str, ...]


def save_form(path: Path, form: SettingsForm) -> Saved:
    """Write the form's settings into ``path`` if they pass ``config check``; else raise
    ``SettingsRefused`` (file unchanged)."""
    read_toml(path, WorkspaceError)  # a file already broken by hand is said plainly
    text = path.read_text(encoding="utf-8-sig")
    if form.version != file_version(text):
        raise InputError(
            "station.toml vừa được sửa ở nơi khác sau khi trang này mở; hãy tải lại trang "
            "rồi nhập lại thay đổi."
        )
    new_text, origins = apply_form(text, form)
    result = check_station_text(new_text, path)
    if result.problems:
        ids = _zone_ids(new_text)
        for problem in result.problems:
            at = _field_of(problem, origins, ids)
            if form.errors.get(at) and _MISSING_IN_ROW.search(problem):
                continue  # the key was refused above: "missing" would say it twice
            form.errors.setdefault(at, []).append(problem)
        form.notices = list(result.notices)
        raise SettingsRefused(form)
    if new_text != text:
        atomic_write_text(path, new_text)
    return Saved(new_text != text, tuple(result.notices))
