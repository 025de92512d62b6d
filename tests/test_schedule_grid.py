"""The station grid in station.toml: parsed, defaults for older files, clear errors."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from helpers import make_workspace, run
from schedule_fixtures import GRID, grid_workspace, write_grid

from broadcast.errors import WorkspaceError
from broadcast.schedule.grid import ALL_ZONES, SlotEnd, SlotKind, load_grid, parse_grid
from broadcast.schedule.slots import next_slot
from broadcast.store.station import load_station

LANGS = ("vi", "blt", "hmn")


def test_full_grid_parses() -> None:
    grid = parse_grid(copy.deepcopy(GRID), LANGS)
    assert grid.zone_ids == ("ban-muong", "trung-tam", "ban-mong")
    assert grid.zone("ban-muong").languages == ("blt", "vi")
    assert grid.zone("ban-muong").villages == ("Bản Mường", "Bản Hìn")
    sang = grid.slots[0]
    assert sang.zones == grid.zone_ids  # "all"
    assert sang.start == dt.time(6, 0) and sang.minutes == 15 and sang.kind is SlotKind.LOCAL
    relay = grid.slots[2]
    assert relay.kind is SlotKind.RELAY and relay.url == "http://127.0.0.1:8000/vov1.mp3"
    assert grid.slot_end is SlotEnd.FINISH and grid.ident_seconds == 10
    rule = grid.rules[0]
    assert rule.applies(dt.datetime(2026, 3, 3, 6, 0))  # a Tuesday morning
    assert not rule.applies(dt.datetime(2026, 3, 3, 17, 30))
    assert not rule.applies(dt.datetime(2026, 3, 4, 6, 0))  # Wednesday


def test_old_station_file_still_works(tmp_path: Path) -> None:
    """The [[slots]] that `broadcast init` writes (days/start/minutes/zones=["all"])."""
    root = make_workspace(tmp_path / "ws")
    station = load_station(root / "station.toml")
    grid = load_grid(root / "station.toml", station.languages)
    assert grid.zone_ids == (ALL_ZONES,)
    assert grid.zone(ALL_ZONES).languages == station.languages
    assert [(s.start, s.minutes) for s in grid.slots] == [
        (s.start, s.minutes) for s in station.slots
    ]
    assert all(s.zones == (ALL_ZONES,) for s in grid.slots)


def test_grid_file_still_loads_as_station_and_produce_skips_relays(tmp_path: Path) -> None:
    root = grid_workspace(tmp_path / "ws")
    station = load_station(root / "station.toml")
    assert [s.kind for s in station.slots] == ["local", "local", "relay"]
    # Sunday 18:00: the next slot is the relay at 19:00, which produce must not use.
    start, slot = next_slot(station, dt.datetime(2026, 3, 8, 18, 0))
    assert slot.kind == "local" and start == dt.datetime(2026, 3, 9, 6, 0)


def _broken(change: Any) -> dict[str, Any]:
    grid = copy.deepcopy(GRID)
    change(grid)
    return grid


CASES = [
    (
        lambda g: g["slots"].append(
            {"id": "trua", "days": ["wed"], "start": "06:10", "minutes": 20, "zones": ["trung-tam"]}
        ),
        "chồng lên nhau",
    ),
    (lambda g: g["slots"][1].__setitem__("zones", ["ban-xa"]), "Không có cụm loa ban-xa"),
    (lambda g: g["zones"][0].__setitem__("languages", ["blt", "nut"]), "nut"),
    (lambda g: g["zones"][0].__setitem__("languages", ["th"]), "Thái Lan"),
    (lambda g: g["slots"][2].pop("url"), "cần 'url'"),
    (lambda g: g["slots"][0].__setitem__("kind", "stream"), "kind"),
    (lambda g: g["slots"][0].__setitem__("start", "6h"), "không hợp lệ"),
    (lambda g: g["slots"][0].__setitem__("minutes", 0), "minutes"),
    (lambda g: g["slots"][0].__setitem__("days", ["mon", "funday"]), "funday"),
    (lambda g: g["slots"][0].__setitem__("start", "23:50"), "nửa đêm"),
    (lambda g: g["schedule"].__setitem__("slot_end", "fade"), "'slot_end'"),
    (lambda g: g["rules"][0].__setitem__("topic", "the-thao"), "chủ đề 'the-thao'"),
    (lambda g: g["zones"].append(dict(g["zones"][0])), "id cụm loa bị lặp"),
    (lambda g: g["zones"][1].pop("name"), "thiếu khóa 'name'"),
    (lambda g: g["schedule"].__setitem__("ident_seconds", 500), "ident_seconds"),
]


@pytest.mark.parametrize(("change", "message"), CASES)
def test_malformed_grids_are_refused_in_vietnamese(change: Any, message: str) -> None:
    with pytest.raises(WorkspaceError) as err:
        parse_grid(_broken(change), LANGS)
    assert message in err.value.message


def test_overlap_names_both_slots_and_zone() -> None:
    grid = _broken(
        lambda g: g["slots"].append(
            {"id": "trua", "days": ["wed"], "start": "17:35", "minutes": 5, "zones": ["ban-muong"]}
        )
    )
    with pytest.raises(WorkspaceError) as err:
        parse_grid(grid, LANGS)
    assert "'chieu' và 'trua'" in err.value.message and "ban-muong" in err.value.message
    # Touching slots are fine.
    ok = _broken(
        lambda g: g["slots"].append(
            {"id": "toi", "days": ["wed"], "start": "17:40", "minutes": 5, "zones": ["ban-muong"]}
        )
    )
    assert len(parse_grid(ok, LANGS).slots) == 4


def test_cli_reports_bad_grid_and_writes_nothing(tmp_path: Path) -> None:
    root = grid_workspace(tmp_path / "ws")
    write_grid(root, _broken(lambda g: g["slots"][1].__setitem__("zones", ["ban-xa"])))
    result = run("-w", root, "schedule", "plan", "--from", "2026-03-02", "--days", "7")
    assert result.exit_code == 2
    assert "Không có cụm loa ban-xa" in result.stderr
    assert "Traceback" not in result.stderr
    before = (root / "broadcast.db").stat().st_size
    assert before > 0
    (root / "station.toml").write_text("[station\nname=", encoding="utf-8")
    result = run("-w", root, "schedule", "show")
    assert result.exit_code == 2 and "station.toml không đọc được" in result.stderr
