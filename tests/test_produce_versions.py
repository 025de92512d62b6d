"""Versions, not copies; one schedule: `produce` and `script --save` on the same article
give one script and one campaign item; a changed article gives version 2 of that script;
the segment waits for content approval unless --approve; the planner is the only playlist
writer and never lists one segment twice in a slot. Real espeak-ng, ffmpeg and SQLite."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import make_workspace, run

from broadcast.schedule.m3u8 import parse_m3u8
from broadcast.store.db import Database
from broadcast.store.records import script_versions

ARTICLE = """\
# Lịch tiếp công dân tháng 12

UBND xã Mường La tiếp công dân vào sáng thứ Hai hằng tuần tại trụ sở xã.

Bà con có kiến nghị về thủ tục hành chính xin mang theo giấy tờ tùy thân.
"""
CHANGED = ARTICLE.replace("sáng thứ Hai", "sáng thứ Ba")
pytestmark = pytest.mark.slow  # five real productions (espeak-ng, ffmpeg) in the fixture
AT = "2026-11-24 05:00"  # a Tuesday before the 06:00 slot


def _produce(root: Path, article: Path, *extra: str, by: str = "sx") -> dict:
    options = ("--minutes", "0.5", "--at", AT, *extra)
    result = run("-w", root, "--as", by, "produce", article, *options)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return json.loads(result.stdout) if "--json" in extra else {"text": result.stdout}


def _rows(root: Path, sql: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(root / "broadcast.db")
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """One workspace through the whole story, each step's output kept for the tests."""
    tmp = tmp_path_factory.mktemp("versions")
    root = make_workspace(tmp / "ws")
    # Two people (the four-eyes rule): 'sx' produces, 'nd' vets and approves the content.
    for login, role in (("sx", "producer"), ("nd", "content_approver")):
        added = run("-w", root, "user", "add", login, "--name", f"Người {login}", "--role", role)
        assert added.exit_code == 0, added.output
    article = tmp / "tiep-dan.md"
    article.write_text(ARTICLE, encoding="utf-8")
    steps = {"waiting": _produce(root, article, "--json")}
    steps["approved"] = _produce(root, article, "--approve", "--json", by="nd")
    steps["again_text"] = _produce(root, article, "--approve", by="nd")
    article.write_text(CHANGED, encoding="utf-8")
    steps["v2_waiting"] = _produce(root, article, "--json")
    steps["v2"] = _produce(root, article, "--approve", "--json", by="nd")
    return root, article, steps


def test_without_approve_it_waits_for_content_approval(story) -> None:
    _, _, steps = story
    first = steps["waiting"]
    assert first["approved"] is False and first["state"] == "chờ duyệt nội dung"
    assert first["playlists"] == [] and first["item_id"] is not None


def test_with_approve_it_is_planned_and_its_playlists_listed(story) -> None:
    root, _, steps = story
    first, approved = steps["waiting"], steps["approved"]
    assert approved["approved"] is True and approved["state"] == "đã duyệt"
    assert approved["playlists"]
    at_six = [p for p in approved["playlists"] if Path(p).name.startswith("2026-11-24_0600")]
    assert len(at_six) == 1
    paths = [rel for _, _, rel in parse_m3u8(Path(at_six[0]).read_text(encoding="utf-8"))]
    audio = [(Path(at_six[0]).parent / rel).resolve() for rel in paths if "audio" in rel]
    # Once, and (the story went on) now the approved version 2 of the same item.
    assert audio == [Path(steps["v2"]["audio"]).resolve()]
    assert Path(first["audio"]).resolve() != audio[0]


def test_same_article_twice_is_one_script_and_one_item(story) -> None:
    root, _, steps = story
    first, approved = steps["waiting"], steps["approved"]
    assert approved["reused"] is True
    assert approved["script_id"] == first["script_id"] and approved["slug"] == first["slug"]
    assert approved["item_id"] == first["item_id"]
    assert "đã có, không làm lại" in steps["again_text"]["text"]
    out_dirs = sorted(p.name for p in (root / "out").iterdir() if p.name != "playlists")
    assert out_dirs == [first["slug"], f"{first['slug']}.v2"], "no '-2' copies"


def test_changed_article_is_version_2_of_the_same_script(story) -> None:
    root, _, steps = story
    first, v2 = steps["waiting"], steps["v2"]
    assert steps["v2_waiting"]["reused"] is False and v2["reused"] is True
    assert v2["version"] == 2 and v2["name"] == first["name"] == first["slug"]
    assert v2["script_id"] != first["script_id"]
    with Database(root / "broadcast.db") as db:
        history = script_versions(db, first["name"])
    assert [(v.version, v.id) for v in history] == [(1, first["script_id"]), (2, v2["script_id"])]
    assert [(v["version"], v["slug"]) for v in v2["versions"]] == [
        (1, first["slug"]),
        (2, f"{first['slug']}.v2"),
    ], "the history, as produce --json lists it"
    # The old version's renders are kept; the one item now plays version 2.
    assert Path(first["audio"]).is_file()
    assert _rows(root, "SELECT id, script_id FROM schedule_items") == [
        (first["item_id"], v2["script_id"])
    ]
    assert v2["item_id"] == first["item_id"]
    played = _rows(
        root, "SELECT DISTINCT script_id FROM planned_plays WHERE item_id = ?", v2["item_id"]
    )
    assert played == [(v2["script_id"],)]


def test_script_save_of_a_produced_article_returns_it(story) -> None:
    root, article, steps = story
    result = run("-w", root, "script", article, "--minutes", "0.5", "--save")
    assert result.exit_code == 0, result.output
    assert "đã có, không làm lại" in result.stderr
    assert f"số {steps['v2']['script_id']}" in result.stderr
    assert _rows(root, "SELECT COUNT(*) FROM scripts") == [(2,)]


def test_a_slot_never_lists_one_segment_twice(story) -> None:
    root, _, steps = story
    name = steps["v2"]["name"]
    added = run("-w", root, "schedule", "add", name, "--from", "2026-11-24", "--to", "2026-11-24")
    assert added.exit_code == 0, added.output
    planned = run("-w", root, "schedule", "plan", "--from", "2026-11-24", "--days", "1")
    assert planned.exit_code == 0, planned.output
    per_slot = _rows(
        root,
        "SELECT slot_starts_at, zone, COUNT(*) FROM planned_plays WHERE render_id = ?"
        " GROUP BY slot_starts_at, zone",
        _rows(root, "SELECT render_id FROM schedule_item_renders LIMIT 1")[0][0],
    )
    assert per_slot and all(count == 1 for _, _, count in per_slot)


def test_approve_is_refused_without_the_content_approver_role(story) -> None:
    root, article, _ = story
    for login, role in (("bien-tap", "producer"), ("khach", "viewer")):
        added = run("-w", root, "user", "add", login, "--name", f"Người {login}", "--role", role)
        assert added.exit_code == 0, added.output
    before = _rows(root, "SELECT COUNT(*) FROM scripts")
    refused = run("-w", root, "--as", "bien-tap", "produce", article, "--approve")
    assert refused.exit_code == 2 and "duyệt nội dung" in refused.stderr
    viewer = run("-w", root, "--as", "khach", "produce", article)
    assert viewer.exit_code == 2 and "sản xuất" in viewer.stderr
    assert "Traceback" not in refused.output + viewer.output
    assert _rows(root, "SELECT COUNT(*) FROM scripts") == before


def test_script_approve_later_plans_the_waiting_item(story, tmp_path: Path) -> None:
    """The other way to air a produced segment: a content approver approves it afterwards
    (`script approve`), and the item produce made is planned from today, once."""
    root, _, _ = story
    article = tmp_path / "nuoc-sach.md"
    article.write_text(
        "# Cấp nước sạch cho bản Hìn\n\nUBND xã Mường La thông báo lịch cấp nước sạch cho "
        "bản Hìn từ thứ Hai tuần sau.\n",
        encoding="utf-8",
    )
    # Made by someone who holds both roles: the four-eyes rule still keeps them from
    # approving it, also through 'produce --approve' of the unchanged article ("đã có").
    added = run(
        "-w", root, "user", "add", "sx.nd", "--name", "Hai Vai", "--role", "producer",
        "--role", "content_approver",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    produce = ("produce", article, "--minutes", "0.25", "--days", "2", "--json")
    result = run("-w", root, "--as", "sx.nd", *produce)
    assert result.exit_code == 0, result.output
    waiting = json.loads(result.stdout)
    assert waiting["approved"] is False and waiting["playlists"] == []
    before = _rows(root, "SELECT COUNT(*) FROM approvals")
    plans = _rows(root, "SELECT COUNT(*) FROM plan_entries")
    own = run("-w", root, "--as", "sx.nd", *produce, "--approve")
    assert own.exit_code == 2, own.output
    assert f"'sx.nd' là người tạo kịch bản '{waiting['slug']}'" in own.stderr
    assert "four_eyes = false" in own.stderr and "Traceback" not in own.output
    assert _rows(root, "SELECT COUNT(*) FROM approvals") == before
    assert _rows(root, "SELECT COUNT(*) FROM plan_entries") == plans
    approved = run("-w", root, "--as", "nd", "script", "approve", waiting["slug"], "--json")
    assert approved.exit_code == 0, approved.output
    playlists = json.loads(approved.stdout)["playlists"]
    assert playlists and all(Path(p).is_file() for p in playlists)
    assert _rows(
        root, "SELECT COUNT(*) FROM schedule_items WHERE script_id = ?", waiting["script_id"]
    ) == [(1,)]
    planned = _rows(
        root, "SELECT COUNT(*) FROM planned_plays WHERE item_id = ?", waiting["item_id"]
    )[0][0]
    assert planned == len(playlists)
