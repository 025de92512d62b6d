"""Lifecycle commands (issue 10, item 5): `script list|show|archive|delete`,
`schedule list|remove|edit`, `glossary remove`, `tm remove` — each with --json parsed back
and its refusals.

Dates are relative to the station's today: a removal takes an item off the air "from now",
so a plan that starts tomorrow is entirely in the future and one that started yesterday is
partly history.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from helpers import run, runner, store_url
from schedule_fixtures import add_render, add_script, grid_workspace, open_db, raw, translate

from broadcast.cli import cli
from broadcast.model.time import station_now
from broadcast.schedule.m3u8 import parse_m3u8

pytestmark = pytest.mark.backends

TODAY = station_now().date()


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        one = add_script(db, "mot-cua", vi_seconds=90.0, title="Một cửa, liên thông")
        translate(db, one, "blt", approve=True)
        add_render(db, one, "blt", 100.0)
        add_script(db, "dich-vu-cong", vi_seconds=60.0)
    return root


def ok(*args: str | Path) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.stderr or result.stdout
    return result.stdout


def refused(*args: str | Path) -> str:
    result = run(*args)
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr
    return result.stderr


def _items(root: Path, *extra: str) -> list[dict[str, object]]:
    return json.loads(ok("-w", root, "schedule", "list", "--json", *extra))


def _scripts(root: Path, *extra: str) -> list[dict[str, object]]:
    return json.loads(ok("-w", root, "script", "list", "--json", *extra))


def _names_in_exports(folder: Path) -> set[str]:
    titles: set[str] = set()
    for path in folder.rglob("*.m3u8"):
        titles |= {title for _, title, _ in parse_m3u8(path.read_text(encoding="utf-8"))}
    return titles


def test_script_list_and_show_number_sentences_from_one(ws: Path) -> None:
    listed = _scripts(ws)
    assert [(s["number"], s["name"]) for s in listed] == [(1, "mot-cua"), (2, "dich-vu-cong")]
    assert listed[0]["language"] == "vi" and listed[0]["archived"] is False
    assert str(listed[0]["created_at"]).endswith("+07:00")
    text = ok("-w", ws, "script", "list")
    assert "#1" in text and "mot-cua" in text and "Một cửa, liên thông" in text

    shown = json.loads(ok("-w", ws, "script", "show", "mot-cua", "--json"))
    assert [s["number"] for s in shown["sentences"]] == [1, 2]
    assert shown["sentences"][0]["written"] == "Tin mot-cua."
    assert shown["translations"] == [
        {"language": "blt", "state": "approved", "segments": 2, "approved_segments": 2}
    ]
    assert {r["language"] for r in shown["renders"]} == {"vi", "blt"}
    by_number = json.loads(ok("-w", ws, "script", "show", "1", "--json"))
    assert by_number["name"] == "mot-cua"
    text = ok("-w", ws, "script", "show", "2")
    assert "  1. Tin dich-vu-cong." in text and "  2. Người dân" in text

    # The build still answers to `broadcast script BÀI`: anything not a subcommand is one.
    assert "Không có kịch bản 'khong-co'" in refused("-w", ws, "script", "show", "khong-co")
    assert "broadcast script list" in refused("-w", ws, "script", "show", "99")
    assert "broadcast script list" in refused(
        "-w", ws, "schedule", "add", "khong-co", "--from", _day(0), "--to", _day(1)
    )


def _schedule_and_export(ws: Path, first: int) -> Path:
    ok("-w", ws, "schedule", "add", "mot-cua", "--from", _day(first), "--to", _day(first + 6))
    ok("-w", ws, "schedule", "add", "dich-vu-cong", "--from", _day(first), "--to", _day(9))
    ok("-w", ws, "schedule", "plan", "--from", _day(first), "--days", "3")
    out = ws / "out" / "lich"
    ok("-w", ws, "schedule", "export", "--format", "m3u8", "--out", out)
    return out


def test_schedule_list_remove_future_item_rewrites_exports(ws: Path) -> None:
    out = _schedule_and_export(ws, first=1)
    items = _items(ws)
    assert [(i["number"], i["script"]) for i in items] == [(1, "mot-cua"), (2, "dich-vu-cong")]
    assert items[0]["languages"] == ["blt", "vi"] and items[0]["zones"] == ["all"]
    assert items[0]["valid_from"] == _day(1) and items[0]["removed"] is False
    assert any(t.startswith("Một cửa") for t in _names_in_exports(out))

    removed = json.loads(ok("-w", ws, "schedule", "remove", "1", "--json"))
    assert removed["number"] == 1 and removed["deleted"] is True  # no plan names it any more
    assert removed["rewritten"]
    assert [i["number"] for i in _items(ws, "--all")] == [2]
    titles = _names_in_exports(out)
    assert not any(t.startswith("Một cửa") for t in titles)
    assert any(t.startswith("Bản tin dich-vu-cong") for t in titles)
    with raw(ws) as conn:
        assert conn.execute("SELECT COUNT(*) FROM plan_entries WHERE item_id = 1").fetchone() == (
            0,
        )
    assert "broadcast schedule list" in refused("-w", ws, "schedule", "remove", "1")
    assert "broadcast schedule list" in refused("-w", ws, "schedule", "remove", "abc")


def test_removing_an_item_keeps_the_past_plan(ws: Path) -> None:
    _schedule_and_export(ws, first=-2)
    with raw(ws) as conn:
        before = conn.execute(
            "SELECT COUNT(*) FROM plan_entries WHERE item_id = 1 AND starts_at < ?", (_day(0),)
        ).fetchone()[0]
    assert before > 0
    ok("-w", ws, "schedule", "remove", "#1")
    kept = [i for i in _items(ws, "--all") if i["number"] == 1]
    assert kept and kept[0]["removed"] is True
    assert [i["number"] for i in _items(ws)] == [2]
    with raw(ws) as conn:
        past, future = conn.execute(
            "SELECT SUM(CASE WHEN starts_at < ? THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN starts_at >= ? THEN 1 ELSE 0 END) FROM plan_entries WHERE item_id = 1",
            (_day(0), _day(1)),
        ).fetchone()
    assert past == before and not future
    # Planning again never brings a removed item back.
    ok("-w", ws, "schedule", "plan", "--from", _day(0), "--days", "3")
    with raw(ws) as conn:
        assert conn.execute(
            "SELECT COUNT(*) FROM plan_entries WHERE item_id = 1 AND starts_at >= ?", (_day(0),)
        ).fetchone() == (0,)


def test_schedule_edit_validates_like_add(ws: Path) -> None:
    ok("-w", ws, "schedule", "add", "mot-cua", "--from", _day(1), "--to", _day(7))
    edited = json.loads(
        ok(
            "-w", ws, "schedule", "edit", "1", "--until", _day(3), "--zones",
            "trung-tam,ban-muong", "--priority", "priority", "--min-plays", "2", "--json",
        )
    )  # fmt: skip
    assert edited["valid_to"] == _day(3)
    assert edited["zones"] == ["trung-tam", "ban-muong"]
    assert edited["priority"] == "priority" and edited["min_plays_per_week"] == 2
    assert _items(ws)[0] == edited
    assert "--until" in refused("-w", ws, "schedule", "edit", "1", "--until", _day(0))
    assert "khong-co" in refused("-w", ws, "schedule", "edit", "1", "--zones", "khong-co")
    assert "--min-plays" in refused("-w", ws, "schedule", "edit", "1", "--min-plays", "-1")
    assert "Chưa có gì để sửa" in refused("-w", ws, "schedule", "edit", "1")
    assert _items(ws)[0] == edited  # refusals changed nothing


def test_delete_is_refused_for_scheduled_or_aired_scripts(ws: Path) -> None:
    ok("-w", ws, "schedule", "add", "mot-cua", "--from", _day(1), "--to", _day(3))
    message = refused("-w", ws, "script", "delete", "mot-cua", "--yes")
    assert "lịch phát" in message and "broadcast script archive mot-cua" in message
    with raw(ws) as conn:
        conn.execute(
            "INSERT INTO asrun_plays (origin, zone, started_at, duration_s, status, item_key,"
            " script_id) VALUES ('manual', 'trung-tam', '2026-03-02T06:00:00', 60, 'played',"
            " 'x', 2)"
        )
        conn.commit()
    message = refused("-w", ws, "script", "delete", "2", "--yes")
    assert "đã phát 1 lượt" in message and "archive" in message
    assert len(_scripts(ws)) == 2  # nothing deleted


def test_delete_removes_rows_and_out_files(ws: Path) -> None:
    folder = ws / "out" / "dich-vu-cong"
    folder.mkdir(parents=True)
    (folder / "audio.mp3").write_bytes(b"x")
    (folder / "script.md").write_text("x", encoding="utf-8")
    outside = ws.parent / "elsewhere.mp3"
    outside.write_bytes(b"keep")
    with raw(ws) as conn:
        conn.execute("UPDATE renders SET path = ? WHERE script_id = 2", (str(outside),))
        conn.commit()
    refused_answer = runner().invoke(
        cli, ["-w", str(ws), "script", "delete", "dich-vu-cong"], input="n\n"
    )
    assert refused_answer.exit_code == 1 and folder.exists()  # the confirmation said no
    assert "[c/K]" in refused_answer.output and "Đã hủy" in refused_answer.stderr
    # An unclear answer is asked again in Vietnamese; "k" (không) refuses too.
    again = runner().invoke(
        cli, ["-w", str(ws), "script", "delete", "dich-vu-cong"], input="maybe\nk\n"
    )
    assert again.exit_code == 1 and folder.exists()
    assert "Hãy gõ c (có) hoặc k (không)." in again.stderr
    done = json.loads(ok("-w", ws, "script", "delete", "dich-vu-cong", "--yes", "--json"))
    assert done["deleted"] is True and done["number"] == 2
    assert sorted(Path(p).name for p in done["files"]) == ["audio.mp3", "script.md"]
    assert not folder.exists() and outside.exists()  # never outside out/
    assert [s["name"] for s in _scripts(ws, "--all")] == ["mot-cua"]
    with raw(ws) as conn:
        counts = [
            conn.execute(f"SELECT COUNT(*) FROM {t} WHERE script_id = 2").fetchone()[0]
            for t in ("sentences", "renders", "translations")
        ]
        assert counts == [0, 0, 0]
        if store_url() is None:  # PostgreSQL checks every foreign key at each statement
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_archive_hides_and_takes_off_air(ws: Path) -> None:
    ok("-w", ws, "schedule", "add", "mot-cua", "--from", _day(1), "--to", _day(5))
    ok("-w", ws, "schedule", "plan", "--from", _day(1), "--days", "2")
    done = json.loads(ok("-w", ws, "script", "archive", "mot-cua", "--json"))
    assert done == {"number": 1, "name": "mot-cua", "archived": True, "removed_items": [1]}
    assert [s["name"] for s in _scripts(ws)] == ["dich-vu-cong"]
    archived = [s for s in _scripts(ws, "--all") if s["name"] == "mot-cua"]
    assert archived[0]["archived"] is True
    assert _items(ws) == []
    with raw(ws) as conn:
        assert (
            conn.execute("SELECT COUNT(*) FROM plan_entries WHERE kind = 'item'").fetchone()[0] == 0
        )
    ok("-w", ws, "script", "archive", "mot-cua", "--undo")
    assert [s["name"] for s in _scripts(ws)] == ["mot-cua", "dich-vu-cong"]


def test_glossary_remove(ws: Path) -> None:
    ok("-w", ws, "glossary", "add", "một cửa", "‹blt› ZZ-1", "-l", "blt", "--forbid", "‹blt› YY")
    ok("-w", ws, "glossary", "add", "một cửa", "‹blt› ZZ-2", "-l", "blt")
    one = json.loads(
        ok("-w", ws, "glossary", "remove", "Một Cửa", "-l", "blt", "--target", "‹blt› ZZ-2",
           "--json")
    )  # fmt: skip
    assert [r["target"] for r in one["removed"]] == ["‹blt› ZZ-2"]
    assert one["forbidden_removed"] == []  # a target is left: the variants stay with it
    message = refused("-w", ws, "glossary", "remove", "một cửa", "-l", "hmn")
    assert "broadcast glossary list --language hmn" in message
    rest = json.loads(ok("-w", ws, "glossary", "remove", "một cửa", "-l", "blt", "--json"))
    assert [r["target"] for r in rest["removed"]] == ["‹blt› ZZ-1"]
    assert rest["forbidden_removed"] == ["‹blt› YY"]
    assert json.loads(ok("-w", ws, "glossary", "list", "--json")) == []
    assert "'th'" in refused("-w", ws, "glossary", "remove", "một cửa", "-l", "th")


def test_tm_remove(ws: Path, tmp_path: Path) -> None:
    from broadcast.translate.memory import add

    with open_db(ws) as db:
        for target in ("‹blt› ZZ-A.", "‹blt› ZZ-B."):
            add(db, "Bà con nộp hồ sơ.", target, "blt")
    removed = json.loads(
        ok("-w", ws, "tm", "remove", "Bà con nộp hồ sơ.", "-l", "blt", "--target",
           "‹blt› ZZ-A.", "--json")
    )  # fmt: skip
    assert [u["target"] for u in removed["removed"]] == ["‹blt› ZZ-A."]
    left = json.loads(ok("-w", ws, "tm", "lookup", "Bà con nộp hồ sơ.", "-l", "blt", "--json"))
    assert [m["target"] for m in left] == ["‹blt› ZZ-B."]
    by_id = json.loads(ok("-w", ws, "tm", "remove", "--id", str(removed["removed"][0]["id"] + 1),
                          "--json"))  # fmt: skip
    assert [u["target"] for u in by_id["removed"]] == ["‹blt› ZZ-B."]
    assert "broadcast tm lookup" in refused("-w", ws, "tm", "remove", "Câu khác.", "-l", "blt")
    assert "--language" in refused("-w", ws, "tm", "remove", "Câu khác.")


def test_lifecycle_changes_need_their_role(ws: Path) -> None:
    ok("-w", ws, "schedule", "add", "mot-cua", "--from", _day(1), "--to", _day(3))
    ok("-w", ws, "user", "add", "xem", "--name", "Người Xem", "--role", "viewer")
    as_viewer = ("-w", ws, "--as", "xem")
    for command in (
        ("schedule", "remove", "1"),
        ("schedule", "edit", "1", "--min-plays", "1"),
        ("script", "archive", "mot-cua"),
        ("script", "delete", "dich-vu-cong", "--yes"),
        ("glossary", "remove", "một cửa", "-l", "blt"),
        ("tm", "remove", "Câu.", "-l", "blt"),
    ):
        assert "chưa có vai trò" in refused(*as_viewer, *command), command
    # Reading needs no role.
    assert [s["name"] for s in json.loads(ok(*as_viewer, "script", "list", "--json"))] == [
        "mot-cua",
        "dich-vu-cong",
    ]
    assert [i["number"] for i in json.loads(ok(*as_viewer, "schedule", "list", "--json"))] == [1]


def test_versions_are_listed_archived_and_deleted_together(ws: Path) -> None:
    with raw(ws) as conn:  # the second script becomes version 2 of the first (migration 10)
        conn.execute("UPDATE scripts SET name = 'mot-cua', version = 2 WHERE id = 2")
        conn.commit()
    latest = _scripts(ws)
    assert [(s["number"], s["version"]) for s in latest] == [(2, 2)]
    every = _scripts(ws, "--versions")
    assert [(s["number"], s["version"]) for s in every] == [(1, 1), (2, 2)]
    shown = json.loads(ok("-w", ws, "script", "show", "mot-cua", "--json"))
    assert shown["number"] == 2 and [v["version"] for v in shown["versions"]] == [1, 2]
    ok("-w", ws, "script", "archive", "mot-cua")
    assert _scripts(ws, "--versions") == []
    assert all(s["archived"] for s in _scripts(ws, "--all", "--versions"))
    done = json.loads(ok("-w", ws, "script", "delete", "mot-cua", "--yes", "--json"))
    assert done["deleted"] is True
    assert _scripts(ws, "--all", "--versions") == []
