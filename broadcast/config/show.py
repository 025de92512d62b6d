"""``broadcast config show``: every setting's effective value and where it came from.

A value comes from station.toml (with its line), from the declaration's default, or from a
shipped mix profile; a station that sounds wrong is then explained without reading code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from broadcast.audio.profiles import PROFILES
from broadcast.render.stages import mix_profile
from broadcast.schedule.grid import workspace_grid
from broadcast.schedule.report_settings import load_asrun_settings, load_report_settings
from broadcast.store.station import (
    ARRAY_TABLES,
    SETTINGS,
    Setting,
    declared,
    table_label,
)
from broadcast.store.workspace import STATION_FILE, Workspace

DEFAULT = "mặc định"

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\"-]+)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


@dataclass(frozen=True)
class Entry:
    """One effective setting: ``[[slots]][1] minutes = 30`` from ``station.toml dòng 12``."""

    path: str
    value: Any
    origin: str
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "value": self.value, "origin": self.origin, "line": self.line}


def key_lines(text: str) -> dict[str, int]:
    """Line numbers of the keys of a TOML text: ``script.pace``, ``slots[2].minutes``,
    ``mix.loudspeaker.pause_ms`` (tomllib keeps no positions; headers and ``key =`` lines
    are enough for a station file)."""
    found: dict[str, int] = {}
    counts: dict[str, int] = {}
    prefix = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _ARRAY_HEADER.match(line):
            name = match.group(1).replace('"', "")
            counts[name] = counts.get(name, 0) + 1
            prefix = f"{name}[{counts[name]}]"
        elif match := _TABLE_HEADER.match(line):
            prefix = match.group(1).replace('"', "")
        elif (match := _KEY.match(line)) and prefix:
            found.setdefault(f"{prefix}.{match.group(1)}", number)
    return found


def _plain(value: Any) -> Any:
    """A JSON- and print-friendly form (times as HH:MM, tuples as lists)."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "strftime"):
        return value.strftime("%H:%M")
    if hasattr(value, "value") and not isinstance(value, int | float | str):
        return value.value
    return value


def effective_settings(ws: Workspace) -> list[Entry]:
    """Every declared setting of the workspace with its effective value and origin."""
    text = (ws.root / STATION_FILE).read_text(encoding="utf-8")
    lines = key_lines(text)
    raw = ws.station.raw
    entries: list[Entry] = []

    def from_file(key_path: str, label: str, value: Any) -> Entry:
        line = lines.get(key_path)
        where = f"{STATION_FILE} dòng {line}" if line else STATION_FILE
        return Entry(label, _plain(value), where, line)

    report = load_report_settings(ws.root, ws.station)
    asrun = load_asrun_settings(ws.root, ws.station)
    computed: dict[str, Any] = {"report": report, "asrun": asrun}
    tables = [t for t in dict.fromkeys(s.table for s in SETTINGS) if "*" not in t]
    for table in tables:
        if table in ARRAY_TABLES:
            continue
        given = raw.get(table, {})
        for s in declared(table).values():
            label = f"[{table}] {s.key}"
            if s.key in given:
                entries.append(from_file(f"{table}.{s.key}", label, given[s.key]))
            elif s.replaced_by:
                continue
            else:
                entries.append(Entry(label, _plain(_default(ws, computed, s)), DEFAULT))
    entries += _grid_entries(ws, raw, from_file)
    entries += _department_entries(ws, raw, from_file)
    entries += _mix_entries(ws, raw, from_file)
    for code, table in raw.get("languages", {}).items():
        for key, value in table.items():
            entries.append(from_file(f"languages.{code}.{key}", f"[languages.{code}] {key}", value))
    return entries


def _default(ws: Workspace, computed: dict[str, Any], s: Setting) -> Any:
    """A default as it takes effect: report defaults are derived from the commune name."""
    if s.table in computed:
        return getattr(computed[s.table], s.key)
    if s.table in ("script", "audio", "review") and hasattr(ws.station, s.key):
        return getattr(ws.station, s.key)
    return s.default


def _grid_entries(ws: Workspace, raw: dict[str, Any], from_file: Any) -> list[Entry]:
    grid = workspace_grid(ws)
    entries: list[Entry] = []
    objects: dict[str, tuple[Any, ...]] = {
        "zones": grid.zones,
        "slots": grid.slots,
        "rules": grid.rules,
    }
    attribute = {"days": "weekdays", "weekdays": "weekdays", "from": "start", "to": "end"}
    for table, items in objects.items():
        given = raw.get(table, [])
        for index, item in enumerate(items, start=1):
            table_given = given[index - 1] if index <= len(given) else {}
            for s in declared(table).values():
                label = f"{table_label(table)}[{index}] {s.key}"
                value = getattr(item, attribute.get(s.key, s.key), None)
                if s.key in table_given:
                    entries.append(from_file(f"{table}[{index}].{s.key}", label, value))
                elif not s.replaced_by:
                    entries.append(Entry(label, _plain(value), DEFAULT))
    return entries


def _department_entries(ws: Workspace, raw: dict[str, Any], from_file: Any) -> list[Entry]:
    """Each ``[[departments]]`` row (issue 14) with its monthly assignment as it takes
    effect: topics, due day (the 15th unless given) and articles per month."""
    from broadcast.publish.departments import departments

    entries: list[Entry] = []
    given = raw.get("departments", [])
    for index, item in enumerate(departments(ws.station), start=1):
        table_given = given[index - 1] if index <= len(given) else {}
        for s in declared("departments").values():
            label = f"{table_label('departments')}[{index}] {s.key}"
            value = getattr(item, s.key)
            if s.key in table_given:
                entries.append(from_file(f"departments[{index}].{s.key}", label, value))
            elif not s.replaced_by:
                entries.append(Entry(label, _plain(value), DEFAULT))
    return entries


def _mix_entries(ws: Workspace, raw: dict[str, Any], from_file: Any) -> list[Entry]:
    """Each shipped profile's fields as this station has them, and which layer set them:
    ``[mix.NAME]``, then ``[audio]`` (the pause; old loudness keys), then the profile."""
    entries: list[Entry] = []
    given = raw.get("mix", {})
    audio = raw.get("audio", {})
    for name in PROFILES:
        profile = mix_profile(ws, name)
        for s in declared("mix.*").values():
            label = f"[mix.{name}] {s.key}"
            value = getattr(profile, s.key)
            if s.key in given.get(name, {}):
                entries.append(from_file(f"mix.{name}.{s.key}", label, value))
            elif s.key in audio and (s.key == "pause_ms" or name == "loudspeaker"):
                entries.append(from_file(f"audio.{s.key}", label, value))
            else:
                entries.append(Entry(label, _plain(value), f"cấu hình có sẵn '{name}'"))
    return entries
