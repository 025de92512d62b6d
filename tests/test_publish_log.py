"""The publication log: `broadcast publish log|list`, its refusals and the per-channel counts
the reports read (real SQLite, the CLI as users run it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from helpers import run
from review_fixtures import save, workspace

from broadcast.publish.log import counts_per_channel
from broadcast.script.model import Role, Script, ScriptSentence
from broadcast.script.save import store_script
from broadcast.store.workspace import Workspace
from broadcast.text.model import Article

URL = "https://muongla.sonla.gov.vn/tin-tuc/cchc/ho-so-truc-tuyen-123"


@pytest.fixture
def ws(tmp_path: Path) -> tuple[Workspace, str]:
    made = workspace(tmp_path / "ws")
    return made, save(made).slug


def _log(ws: Workspace, *args: str):  # type: ignore[no-untyped-def]
    return run("-w", ws.root, "publish", "log", *args)


def test_record_and_list(ws: tuple[Workspace, str]) -> None:
    space, slug = ws
    done = _log(space, slug, "--channel", "portal", "--where", URL, "--at", "2026-12-03 09:30",
                "--note", "tin CCHC tháng 12")  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert "Trang thông tin điện tử" in done.stdout and "2026-12-03 09:30" in done.stdout
    loa = _log(space, slug, "--channel", "loa", "--where", "Cụm loa bản Nà Sành",
               "--at", "2026-12-04T06:05:00+07:00")  # fmt: skip
    assert loa.exit_code == 0, loa.stderr

    listed = run("-w", space.root, "publish", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["channel"], r["at"]) for r in rows] == [
        ("loa", "2026-12-04T06:05:00"),
        ("portal", "2026-12-03T09:30:00"),
    ]
    assert rows[1]["where"] == URL and rows[1]["script"] == slug
    assert rows[1]["note"] == "tin CCHC tháng 12" and rows[1]["by"]

    only_portal = json.loads(
        run("-w", space.root, "publish", "list", slug, "--channel", "portal", "--json").stdout
    )
    assert [r["channel"] for r in only_portal] == ["portal"]
    text = run("-w", space.root, "publish", "list")
    assert URL in text.stdout and "Nà Sành" in text.stdout


def test_an_offset_time_becomes_station_time(ws: tuple[Workspace, str]) -> None:
    space, slug = ws
    done = _log(space, slug, "--channel", "facebook", "--where", "https://facebook.com/p/1",
                "--at", "2026-12-03T02:00:00Z", "--json")  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["at"] == "2026-12-03T09:00:00"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--channel", "myspace", "--where", URL), "Không có kênh 'myspace'"),
        (("--channel", "portal", "--where", "trang của xã"), "http://"),
        (("--channel", "portal", "--where", "   "), "Chưa ghi nơi đăng"),
        (("--channel", "portal", "--where", URL, "--at", "hôm qua"), "không hợp lệ"),
        (("--channel", "portal", "--where", URL, "--at", "2099-01-01 08:00"), "tương lai"),
    ],
)
def test_refusals(ws: tuple[Workspace, str], args: tuple[str, ...], words: str) -> None:
    space, slug = ws
    result = _log(space, slug, *args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert json.loads(run("-w", space.root, "publish", "list", "--json").stdout) == []


def test_unapproved_script_and_viewer_are_refused(ws: tuple[Workspace, str]) -> None:
    space, _ = ws
    article = Article(source=Path("khac.txt"), title="Bài chưa duyệt", body="Một câu thử.",
                      format="txt", sha256="1" * 64)  # fmt: skip
    script = Script(
        title="Bài chưa duyệt",
        language="vi",
        sentences=(ScriptSentence(Role.BODY, "Một câu thử.", "Một câu thử."),),
        target_minutes=1.0,
        estimated_seconds=5.0,
    )
    draft = store_script(space, article, script, by="producer", now=dt.datetime(2026, 12, 2, 8))
    refused = _log(space, draft.slug, "--channel", "portal", "--where", URL)
    assert refused.exit_code == 2
    assert "chưa được duyệt nội dung" in refused.stderr

    added = run("-w", space.root, "user", "add", "xem", "--name", "Người Xem", "--role", "viewer")
    assert added.exit_code == 0, added.output
    viewer = run("-w", space.root, "--as", "xem", "publish", "log", save(space).slug,
                 "--channel", "portal", "--where", URL)  # fmt: skip
    assert viewer.exit_code == 2
    assert "vai trò" in viewer.stderr
    assert json.loads(run("-w", space.root, "publish", "list", "--json").stdout) == []


def test_counts_per_channel_per_period(ws: tuple[Workspace, str]) -> None:
    space, slug = ws
    for channel, where, at in (
        ("portal", URL, "2026-11-30 23:50"),  # November, station time
        ("portal", URL + "-b", "2026-12-01 00:10"),
        ("portal", URL + "-c", "2026-12-05 10:00"),
        ("loa", "Cụm loa trung tâm", "2026-12-02 06:00"),
        ("zalo", "https://zalo.me/oa/post/9", "2026-12-02 07:00"),
    ):
        assert _log(space, slug, "--channel", channel, "--where", where, "--at", at).exit_code == 0
    december = counts_per_channel(space, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert december == {"loa": 1, "portal": 2, "zalo": 1}
    assert counts_per_channel(space, dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == {"portal": 1}
