"""The ``[report]`` and ``[asrun]`` tables of station.toml: declared once, validated here.

They are read from the raw file rather than from ``Station`` because they only matter to the
as-run log and the periodic report; the defaults are what a commune Center writes anyway.

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
from broadcast.store.station import Station


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


# A month's targets: no commune airs more than this many segments, plays or minutes.
_MAX_MONTHLY_TARGET = 100_000


def _number(table: dict[str, Any], key: str, default: float, where: str) -> float:
    value = table.get(key, default)
    # "not <=" also refuses nan; the upper bound refuses inf (int(inf) would raise).
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (0 <= value <= _MAX_MONTHLY_TARGET)
    ):
        raise WorkspaceError(
            f"station.toml: '{key}' trong [{where}] phải là một số từ 0 đến {_MAX_MONTHLY_TARGET}."
        )
    return float(value)


def _text(table: dict[str, Any], key: str, default: str, where: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise WorkspaceError(f"station.toml: '{key}' trong [{where}] phải là chuỗi chữ.")
    return value


def _raw(root: Path) -> dict[str, Any]:
    return read_toml(root / "station.toml", WorkspaceError)


def parse_report_settings(data: dict[str, Any], station: Station) -> ReportSettings:
    table = _table(data, "report")
    commune = station.commune or station.name
    known = {f.name for f in ReportSettings.__dataclass_fields__.values()}
    unknown = sorted(set(table) - known)
    if unknown:
        raise WorkspaceError(
            f"station.toml: khóa {', '.join(unknown)} trong [report] không có; "
            f"dùng {', '.join(sorted(known))}."
        )
    return ReportSettings(
        authority=_text(table, "authority", f"UBND XÃ {commune.upper()}", "report"),
        center=_text(table, "center", "Trung tâm Dịch vụ tổng hợp", "report"),
        place=_text(table, "place", commune, "report"),
        unit=_text(table, "unit", f"xã {commune}", "report"),
        signer_title=_text(table, "signer_title", "GIÁM ĐỐC", "report"),
        signer=_text(table, "signer", "", "report"),
        min_cchc_segments_per_month=int(_number(table, "min_cchc_segments_per_month", 1, "report")),
        min_cchc_plays_per_month=int(_number(table, "min_cchc_plays_per_month", 0, "report")),
        min_cchc_minutes_per_month=_number(table, "min_cchc_minutes_per_month", 0, "report"),
    )


def parse_asrun_settings(data: dict[str, Any]) -> AsrunSettings:
    table = _table(data, "asrun")
    return AsrunSettings(
        late_tolerance_minutes=_number(table, "late_tolerance_minutes", 5, "asrun"),
        match_window_minutes=_number(table, "match_window_minutes", 120, "asrun"),
    )


def load_report_settings(root: Path, station: Station) -> ReportSettings:
    return parse_report_settings(_raw(root), station)


def load_asrun_settings(root: Path) -> AsrunSettings:
    return parse_asrun_settings(_raw(root))
