"""Next-slot choice and M3U8 playlists, parsed back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from broadcast.schedule.m3u8 import PlaylistItem, parse_m3u8, render_m3u8
from broadcast.schedule.slots import next_slot
from broadcast.store.station import Slot, Station

STATION = Station(
    name="Đài xã",
    commune="Mường La",
    province="Sơn La",
    slots=(
        Slot(days=("tue", "fri"), start=dt.time(6, 0), minutes=30),
        Slot(days=("mon", "tue", "wed", "thu", "fri"), start=dt.time(17, 30), minutes=20),
    ),
)


def test_next_slot_same_day_later() -> None:
    tuesday_morning = dt.datetime(2026, 11, 24, 5, 0)  # a Tuesday
    start, slot = next_slot(STATION, tuesday_morning)
    assert start == dt.datetime(2026, 11, 24, 6, 0)
    assert slot.minutes == 30


def test_next_slot_skips_started_and_other_days() -> None:
    tuesday_noon = dt.datetime(2026, 11, 24, 12, 0)
    assert next_slot(STATION, tuesday_noon)[0] == dt.datetime(2026, 11, 24, 17, 30)
    friday_night = dt.datetime(2026, 11, 27, 20, 0)
    # Saturday and Sunday have no slot: next is Monday evening.
    assert next_slot(STATION, friday_night)[0] == dt.datetime(2026, 11, 30, 17, 30)


def test_slot_starting_exactly_now_is_not_next() -> None:
    at_six = dt.datetime(2026, 11, 24, 6, 0)
    assert next_slot(STATION, at_six)[0] == dt.datetime(2026, 11, 24, 17, 30)


def test_m3u8_relative_paths_round_trip(tmp_path: Path) -> None:
    playlist = tmp_path / "out" / "playlists" / "p.m3u8"
    items = [
        PlaylistItem(tmp_path / "out" / "a" / "audio.mp3", 181.4, "Dịch vụ công, trực tuyến"),
        PlaylistItem(tmp_path / "out" / "b" / "audio.mp3", 59.6, "Thông báo"),
    ]
    text = render_m3u8(items, playlist)
    assert text.startswith("#EXTM3U\n")
    parsed = parse_m3u8(text)
    assert [p[2] for p in parsed] == ["../a/audio.mp3", "../b/audio.mp3"]
    assert [p[0] for p in parsed] == [181.0, 60.0]
    assert parsed[0][1] == "Dịch vụ công, trực tuyến"
