"""``broadcast config check``: every problem of a station.toml, each with its path.

Loading a workspace stops at the first problem (a command cannot run on half a station);
a person mending the file wants them all at once, so each part is checked separately here
on the keys that passed the declaration, and nothing is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadcast.audio.profiles import get_profile
from broadcast.errors import BroadcastError, InputError, WorkspaceError
from broadcast.render.settings import render_settings
from broadcast.safeparse import load_toml, read_toml
from broadcast.schedule.grid import parse_grid
from broadcast.schedule.report_settings import parse_asrun_settings, parse_report_settings
from broadcast.store.station import Station, check_keys, parse_station, station_to_toml
from broadcast.store.workspace import ENV_VAR, STATION_FILE, Workspace


@dataclass
class CheckResult:
    """What ``config check`` found: problems (the file is refused) and notices (old keys)."""

    path: Path
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _say(message: str) -> str:
    return message.removeprefix("station.toml: ")


def _attempt(result: CheckResult, action: Any, *args: Any) -> Any:
    try:
        return action(*args)
    except BroadcastError as exc:
        message = _say(exc.message)
        if message not in result.problems:
            result.problems.append(message)
        return None


def check_station_file(path: Path) -> CheckResult:
    """Check ``path`` (a station.toml) against the declaration and every part's rules."""
    result = CheckResult(path=path)
    try:
        data = read_toml(path, WorkspaceError)
    except WorkspaceError as exc:
        result.problems.append(_say(exc.message))
        return result
    return _check_data(result, data)


def check_station_text(text: str, path: Path) -> CheckResult:
    """Check the text a station.toml would get, before it is written (the settings page
    writes only what passes exactly this check)."""
    result = CheckResult(path=path)
    try:
        data = load_toml(text, STATION_FILE, WorkspaceError)
    except WorkspaceError as exc:
        result.problems.append(_say(exc.message))
        return result
    return _check_data(result, data)


def check_new_station(station: Station, root: Path) -> None:
    """Refuse, before anything is written, a station ``broadcast init`` would write wrongly
    (a zone id used twice, a signer name of 3000 characters): the first problem is raised."""
    data = load_toml(station_to_toml(station), STATION_FILE, WorkspaceError)
    result = _check_data(CheckResult(path=root / STATION_FILE), data)
    if result.problems:
        raise InputError(f"Không tạo được station.toml: {result.problems[0]}")


def _check_data(result: CheckResult, data: dict[str, Any]) -> CheckResult:
    clean, problems, notices = check_keys(data)
    result.problems += [str(p) for p in problems]
    result.notices += notices
    station: Station | None = _attempt(result, parse_station, clean)
    languages: tuple[str, ...] = station.languages if station else _declared_languages(clean)
    grid_problems: list[str] = []
    _attempt(result, parse_grid, clean, languages, grid_problems)
    result.problems += [_say(m) for m in grid_problems if _say(m) not in result.problems]
    if station is not None:
        _attempt(result, parse_report_settings, clean, station)
        ws = Workspace(root=result.path.parent.resolve(), station=station)
        _attempt(result, render_settings, ws)
    _attempt(result, parse_asrun_settings, clean)
    for name, overrides in clean.get("mix", {}).items():
        _attempt(result, get_profile, name, overrides)
    return result


def _declared_languages(clean: dict[str, Any]) -> tuple[str, ...]:
    """The station's languages when the station could not be read for another reason (a
    slot's length out of range): checking the zones against ("vi",) alone would blame every
    zone that airs Thái or Mông for a mistake elsewhere."""
    table = clean.get("station")
    listed = table.get("languages") if isinstance(table, dict) else None
    if isinstance(listed, list) and "vi" in listed:
        return tuple(str(code) for code in listed)
    return ("vi",)


def station_file(explicit: Path | None, cwd: Path | None = None) -> Path:
    """The station.toml to check, found as the workspace is (``--workspace``, the
    environment, the folder and its parents) but without loading it: loading stops at the
    first problem, the check must see the file whatever is wrong in it."""
    if explicit is None and os.environ.get(ENV_VAR):
        explicit = Path(os.environ[ENV_VAR])
    if explicit is not None:
        return explicit.expanduser() / STATION_FILE
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / STATION_FILE).is_file():
            return folder / STATION_FILE
    raise WorkspaceError(
        "Không tìm thấy station.toml ở thư mục này hay thư mục cha; "
        "hãy chỉ tệp: 'broadcast config check ĐƯỜNG/DẪN/station.toml'."
    )
