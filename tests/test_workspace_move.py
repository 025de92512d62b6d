"""A station's workspace folder moved whole (an NFS share mounted at another place on another
machine presents the same thing): the database keeps naming every render, export, report and
article it holds, because paths inside the workspace are stored relative to it
(``broadcast.store.paths``) and resolved again with the workspace's root where they are read.

One real ``produce`` (espeak-ng, ffmpeg), a plan export and a report are made in one folder;
the folder is moved with ``shutil.move``; then the CLI, the web and the functions behind them
find every file at the new place, and rewriting the exports after a removal writes them there
(not at the old place, which is gone). Runs on SQLite and on PostgreSQL, where the database
does not move at all: exactly the province server's case.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from helpers import raw_sql, run
from web_support import ADMIN, signed_in_client, web_workspace

from broadcast.model.time import station_now
from broadcast.schedule.m3u8 import parse_m3u8
from broadcast.schedule.report_view import version_docx
from broadcast.store.paths import from_stored, stored_forms, to_stored
from broadcast.store.workspace import find_workspace
from broadcast.web.app import create_app

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "articles" / "dich-vu-cong-truc-tuyen.md"
)


def _stored(root: Path) -> dict[str, list[str]]:
    """Every path column the store writes for this workspace, as stored."""
    conn = raw_sql(root)
    try:
        queries = {
            "renders": "SELECT path FROM renders",
            "exports": "SELECT path FROM playlist_exports WHERE withdrawn_at IS NULL",
            "export_dirs": "SELECT out_dir FROM playlist_exports WHERE out_dir IS NOT NULL",
            "articles": "SELECT source_path FROM articles",
            "reports": "SELECT folder FROM report_versions",
        }
        return {k: [str(r[0]) for r in conn.execute(q).fetchall()] for k, q in queries.items()}
    finally:
        conn.close()


def test_inside_is_stored_relative_outside_absolute_and_old_rows_still_read(
    tmp_path: Path,
) -> None:
    root = tmp_path / "dai" / "muong-la"
    (root / "out").mkdir(parents=True)
    inside = root / "out" / "bai" / "audio.mp3"
    usb = tmp_path / "usb" / "bai.md"
    assert to_stored(root, inside) == "out/bai/audio.mp3"
    assert to_stored(root, root / "out" / ".." / "articles" / "x.md") == "articles/x.md"
    assert to_stored(root, usb) == str(usb)  # not the workspace's: kept where it is
    assert to_stored(root, tmp_path / "dai" / "muong-la-2" / "x") == str(
        tmp_path / "dai/muong-la-2/x"
    )
    assert to_stored(root, "out/bai/audio.mp3") == "out/bai/audio.mp3"  # stored text again
    # Read back against wherever the workspace is now; an old absolute row as it is.
    moved = tmp_path / "nfs" / "muong-la"
    assert from_stored(moved, "out/bai/audio.mp3") == moved / "out" / "bai" / "audio.mp3"
    assert from_stored(moved, str(inside)) == inside
    # A row written before the rule is found (and replaced) under its absolute form.
    assert stored_forms(root, inside) == ["out/bai/audio.mp3", str(inside.resolve())]
    assert stored_forms(root, usb) == [str(usb)]


@pytest.mark.backends
@pytest.mark.slow
def test_a_moved_workspace_still_finds_its_renders_exports_and_reports(tmp_path: Path) -> None:
    before = tmp_path / "mount-a" / "muong-la"
    web_workspace(before, people=False)
    station = before / "station.toml"
    station.write_text(station.read_text("utf-8") + "\n[review]\nfour_eyes = false\n", "utf-8")
    article = before / "articles" / EXAMPLE.name
    shutil.copyfile(EXAMPLE, article)
    tomorrow = station_now().date() + dt.timedelta(days=1)
    made = run(
        "-w", before, "produce", article, "--minutes", "1", "--approve", "--json",
        "--at", f"{tomorrow:%Y-%m-%d} 05:00",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    exported = run("-w", before, "schedule", "export", "--format", "m3u8", "--out",
                   before / "out" / "xuat")  # fmt: skip
    assert exported.exit_code == 0, exported.output
    report = run("-w", before, "report", "--period", f"{tomorrow:%Y-%m}")
    assert report.exit_code == 0, report.output

    stored = _stored(before)
    assert all(stored[k] for k in ("renders", "exports", "export_dirs", "articles", "reports"))
    for kind, paths in stored.items():
        assert not [p for p in paths if Path(p).is_absolute()], f"{kind} stored absolute"

    shutil.move(tmp_path / "mount-a", tmp_path / "mount-b")
    after = tmp_path / "mount-b" / "muong-la"
    assert not before.exists()
    ws = find_workspace(after)

    # Every stored file is found at the new place.
    stored = _stored(after)
    for kind in ("renders", "exports", "articles"):
        for path in stored[kind]:
            assert (after / path).is_file(), f"{kind}: {path}"
    conn = raw_sql(after)
    report_ids = [int(r[0]) for r in conn.execute("SELECT id FROM report_versions").fetchall()]
    conn.close()
    docx = version_docx(ws, report_ids[0])
    assert docx is not None and docx.is_file() and docx.is_relative_to(after)

    # The CLI lists the renders by the paths that resolve in the moved folder.
    shown = run("-w", after, "script", "show", "1", "--json")
    assert shown.exit_code == 0, shown.output
    renders = json.loads(shown.stdout)["renders"]
    assert {r["kind"] for r in renders} >= {"audio", "video"}
    assert all((after / r["path"]).is_file() for r in renders)

    # The web serves the loudspeaker file through its workspace-relative path.
    audio = next(p for p in stored["renders"] if p.endswith("audio.mp3"))
    client = signed_in_client(create_app(ws), ADMIN)
    served = client.get(f"/tep/{audio}")
    assert served.status_code == 200 and served.content == (after / audio).read_bytes()

    # Removing the item rewrites the exports where they now are, not at the old place.
    removed = run("-w", after, "schedule", "remove", "1", "--json")
    assert removed.exit_code == 0, removed.output
    result = json.loads(removed.stdout)
    rewritten = [Path(p) for p in result["rewritten"]]
    assert rewritten and all(p.resolve().is_relative_to(after.resolve()) for p in rewritten)
    assert not before.exists(), "nothing is written at the old mount point"
    for playlist in (after / "out" / "xuat").rglob("*.m3u8"):
        for _, _, target in parse_m3u8(playlist.read_text(encoding="utf-8")):
            assert (playlist.parent / target).resolve().is_file(), f"{playlist} -> {target}"

    # A new version of the article is the next version of the same script: the article's
    # row is found by its workspace-relative path.
    article = after / "articles" / EXAMPLE.name
    article.write_text(article.read_text("utf-8") + "\nBài thêm một đoạn mới.\n", "utf-8")
    saved = run("-w", after, "script", "build", article, "--minutes", "1", "--save")
    assert saved.exit_code == 0, saved.output
    listed = run("-w", after, "script", "list")
    assert "(bản 2)" in listed.stdout, listed.stdout
