"""An exported M3U8 folder is carried to the loudspeaker box whole: copied elsewhere (and
the workspace gone), every entry must still name a file there, with the render's bytes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from schedule_fixtures import add_render, add_script, grid_workspace, open_db, translate

from broadcast.schedule import campaign
from broadcast.schedule.exports import ExportFormat
from broadcast.schedule.m3u8 import parse_m3u8
from broadcast.schedule.model import Priority
from broadcast.store.workspace import Workspace, find_workspace

MONDAY = dt.date(2026, 3, 2)


def _media(root: Path, relative: str, content: bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _workspace(tmp_path: Path) -> Workspace:
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        one = add_script(db, "mot-cua", vi_seconds=90.0)
        translate(db, one, "blt", approve=True)
        add_render(db, one, "blt", 100.0)
    # Real bytes where the renders and the ident say they are.
    _media(root, "out/mot-cua/audio.mp3", b"vi-audio")
    _media(root, f"out/take-{one}-blt.mp3", b"blt-audio")
    _media(root, "voices/ident.mp3", b"ident")
    ws = find_workspace(root)
    campaign.add_item(
        ws,
        "mot-cua",
        starts=dt.datetime.combine(MONDAY, dt.time()),
        last_day=MONDAY + dt.timedelta(days=6),
        priority=Priority.NORMAL,
        min_plays=3,
        zones=("all",),
        languages=None,
        topic=None,
    )
    campaign.plan_days(ws, MONDAY, 2)
    return ws


def _entries(folder: Path) -> list[tuple[Path, str]]:
    return [
        (playlist, rel)
        for playlist in sorted(folder.rglob("*.m3u8"))
        for _d, _t, rel in parse_m3u8(playlist.read_text(encoding="utf-8"))
        if "://" not in rel  # relay slots name a stream
    ]


def test_exported_folder_copied_elsewhere_still_resolves(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    folder = tmp_path / "usb" / "lich"
    written = campaign.export_schedule(ws, None, None, ExportFormat.M3U8, folder)
    assert written and all(p.suffix == ".m3u8" for p in written)
    before = _entries(folder)
    assert len(before) >= 6  # ident + vi + blt in several slots
    for _playlist, rel in before:
        assert not rel.startswith("../.."), rel  # never climbs out of the folder
        assert rel.startswith("../media/"), rel

    box = tmp_path / "loa" / "the-nho"
    shutil.copytree(folder, box)  # as a copy to a USB stick or the box does
    shutil.rmtree(ws.root)  # the workspace is not on the box
    shutil.rmtree(folder)
    after = _entries(box)
    assert len(after) == len(before)
    contents = {(playlist.parent / rel).read_bytes() for playlist, rel in after}
    assert contents == {b"vi-audio", b"blt-audio", b"ident"}


def test_second_export_keeps_unchanged_media_and_live_playlists_stay_in_place(
    tmp_path: Path,
) -> None:
    ws = _workspace(tmp_path)
    folder = ws.out_dir / "lich-phat"
    campaign.export_schedule(ws, None, None, ExportFormat.M3U8, folder)
    bundled = folder / "media" / "out" / "mot-cua" / "audio.mp3"
    inode = bundled.stat().st_ino
    campaign.export_schedule(ws, None, None, ExportFormat.M3U8, folder)
    assert bundled.stat().st_ino == inode  # not copied again
    assert os.path.samefile(bundled, ws.root / "out" / "mot-cua" / "audio.mp3")  # hard link

    live = ws.out_dir / "playlists"
    campaign.export_schedule(ws, None, None, ExportFormat.M3U8, live)
    assert not (live / "media").exists()
    resolved = {(p.parent / rel).resolve() for p, rel in _entries(live)}
    assert (ws.root / "out" / "mot-cua" / "audio.mp3").resolve() in resolved
