"""`schedule add … --priority emergency --now`: an interrupt playlist for every zone
concerned, for the current minute, recorded, rewritten when its content is voided, and
refused for content that is not approved."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from helpers import run
from schedule_fixtures import add_render, add_script, grid_workspace, open_db, raw, translate

from broadcast.model.time import station_now
from broadcast.schedule.m3u8 import parse_m3u8

pytestmark = pytest.mark.backends


def _workspace(tmp_path: Path) -> Path:
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        script_id = add_script(db, "lu-quet", vi_seconds=60.0, title="Cảnh báo lũ quét")
        translate(db, script_id, "blt", approve=True)
        add_render(db, script_id, "blt", 70.0)
    return root


def _entries(playlist: Path) -> list[tuple[float, str, str]]:
    return parse_m3u8(playlist.read_text(encoding="utf-8"))


def test_now_interrupts_every_zone_concerned_this_minute(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    before = station_now().replace(second=0)  # the commune's minute, not the server's
    result = run(
        "-w", root, "schedule", "add", "lu-quet", "--priority", "emergency", "--now",
        "--zones", "ban-muong,trung-tam", "--json",
    )  # fmt: skip
    after = station_now().replace(second=0)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    interrupts = {i["zone"]: i for i in data["interrupts"]}
    assert set(interrupts) == {"ban-muong", "trung-tam"}
    for zone, interrupt in interrupts.items():
        start = dt.datetime.fromisoformat(interrupt["start"])
        assert before <= start <= after, "the current minute, not the next slot"
        playlist = Path(interrupt["playlist"])
        assert playlist.parent == root / "out" / "playlists"
        assert playlist.name == f"khan-cap_{start:%Y-%m-%d_%H%M}_{zone}.m3u8"
    # Parsed back: the zone's languages in its order (ban-muong: blt then vi).
    muong = _entries(Path(interrupts["ban-muong"]["playlist"]))
    assert [(d, Path(p).name) for d, _, p in muong] == [(70, "take-1-blt.mp3"), (60, "audio.mp3")]
    assert all(title == "Cảnh báo lũ quét" for _, title, _ in muong)
    centre = _entries(Path(interrupts["trung-tam"]["playlist"]))
    assert [Path(p).name for _, _, p in centre] == ["audio.mp3"]
    recorded = (
        raw(root)
        .execute(
            "SELECT i.zone, i.starts_at, s.priority FROM interrupts i"
            " JOIN schedule_items s ON s.id = i.item_id ORDER BY i.zone"
        )
        .fetchall()
    )
    assert [(z, p) for z, _, p in recorded] == [
        ("ban-muong", "emergency"),
        ("trung-tam", "emergency"),
    ]
    assert recorded[0][1] == interrupts["ban-muong"]["start"] + ":00"

    # A raw SQL edit of the approved Thái text voids it: the next command rewrites the
    # interrupt without the Thái render.
    conn = raw(root)
    with conn:
        conn.execute("UPDATE segments SET target = target || ' sửa' WHERE position = 0")
    conn.close()
    shown = run("-w", root, "schedule", "plan", "--from", f"{after:%Y-%m-%d}", "--days", "1")
    assert shown.exit_code == 0, shown.output
    assert [Path(p).name for _, _, p in _entries(Path(interrupts["ban-muong"]["playlist"]))] == [
        "audio.mp3"
    ]


def test_now_is_refused_for_unapproved_content_and_without_emergency(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    conn = raw(root)
    with conn:  # the Vietnamese text changed after its approval: not approved any more
        conn.execute("UPDATE sentences SET written = 'Tin đã sửa.' WHERE position = 0")
    conn.close()
    refused = run("-w", root, "schedule", "add", "lu-quet", "--priority", "emergency", "--now")
    assert refused.exit_code == 2
    assert "Traceback" not in refused.output and "duyệt" in refused.stderr
    assert not list((root / "out").glob("playlists/khan-cap_*"))
    assert raw(root).execute("SELECT COUNT(*) FROM interrupts").fetchone()[0] == 0
    plain = run("-w", root, "schedule", "add", "lu-quet", "--now")
    assert plain.exit_code == 2 and "--priority emergency" in plain.stderr
    missing = run("-w", root, "schedule", "add", "lu-quet")
    assert missing.exit_code == 2 and "--from" in missing.stderr


def test_removing_an_emergency_item_empties_its_interrupt_playlists(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    added = run(
        "-w", root, "schedule", "add", "lu-quet", "--priority", "emergency", "--now", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    data = json.loads(added.stdout)
    playlists = [Path(i["playlist"]) for i in data["interrupts"]]
    assert playlists and all(_entries(p) for p in playlists)
    removed = run("-w", root, "schedule", "remove", str(data["item_id"]))
    assert removed.exit_code == 0, removed.output
    # The files stay where the loudspeaker boxes read them, but name nothing any more.
    for playlist in playlists:
        assert playlist.is_file() and _entries(playlist) == []
