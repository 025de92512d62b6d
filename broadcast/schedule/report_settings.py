"""The ``[report]`` and ``[asrun]`` tables of station.toml, checked by their one declaration
(``broadcast.store.station.SETTINGS``) and read from the settings loaded with the workspace.

They are kept out of ``Station``'s fields (read from ``Station.raw``) because they only matter
to the as-run log and the periodic report; the defaults are what a commune Center writes.

    [report]
    authority = "UBND XÃ MƯỜNG LA"            # cơ quan chủ quản (góc trái)
    center = "Trung tâm Dịch vụ tổng hợp"    # đơn vị báo cáo
    unit = "xã Mường La"                       # tên trong tiêu đề: "hệ thống truyền thanh ..."
    place = "Mường La"                         # địa danh ở dòng ngày tháng
    signer_title = "GIÁM ĐỐC"
    signer = ""                                # họ tên người ký (để trống: ký tay)
    min_cchc_segments_per_month = 1            # chỉ tiêu: số bản tin CCHC khác nhau mỗi tháng
    min_cchc_plays_per_month = 0               # 0 = không đặt chỉ tiêu
    min_cchc_minutes_per_month = 0

    [asrun]
    late_tolerance_minutes = 5    # phát sau giờ dự kiến quá mức này là "phát muộn"
    match_window_minutes = 120    # lượt phát cách giờ dự kiến xa hơn thì không ghép
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.errors import WorkspaceError
from broadcast.safeparse import read_toml
from broadcast.store.station import Station, declared


@dataclass(frozen=True)
class ReportSettings:
    authority: str
    center: str
    place: str
    unit: str
    signer_title: str = "GIÁM ĐỐC"
    signer: str = ""
    min_cchc_segments_per_month: int = 1
    min_cchc_plays_per_month: int = 0
    min_cchc_minutes_per_month: float = 0.0


@dataclass(frozen=True)
class AsrunSettings:
    late_tolerance_minutes: float = 5.0
    match_window_minutes: float = 120.0


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise WorkspaceError(f"station.toml: [{name}] phải là một bảng.")
    return table


def _raw(root: Path) -> dict[str, Any]:
    return read_toml(root / "station.toml", WorkspaceError)


def _values(data: dict[str, Any], name: str, computed: dict[str, Any]) -> dict[str, Any]:
    """Every key of ``[name]`` checked by its one declaration (``SETTINGS``); a key left
    out takes the declared default, or the one ``computed`` from the station."""
    table = _table(data, name)
    settings = declared(name)
    unknown = sorted(set(table) - set(settings))
    if unknown:
        raise WorkspaceError(
            f"station.toml: khóa {', '.join(unknown)} trong [{name}] không có; "
            f"dùng {', '.join(settings)}."
        )
    return {
        key: s.check(table[key], f"[{name}].{key}")
        if key in table
        else computed.get(key, s.default)
        for key, s in settings.items()
    }


def parse_report_settings(data: dict[str, Any], station: Station) -> ReportSettings:
    commune = station.commune or station.name
    computed = {
        "authority": f"UBND XÃ {commune.upper()}",
        "place": commune,
        "unit": f"xã {commune}",
    }
    return ReportSettings(**_values(data, "report", computed))


def parse_asrun_settings(data: dict[str, Any]) -> AsrunSettings:
    return AsrunSettings(**_values(data, "asrun", {}))


def load_report_settings(root: Path, station: Station) -> ReportSettings:
    """From the settings loaded with the workspace (the file only for a Station built in code)."""
    return parse_report_settings(station.raw or _raw(root), station)


def load_asrun_settings(root: Path, station: Station | None = None) -> AsrunSettings:
    return parse_asrun_settings(station.raw if station and station.raw else _raw(root))
