"""As-run log: CSV/JSON imports, hand confirmations, and reconciliation with a hand-made plan.

Scripts and renders are stored through the store functions (no produce run: too slow); the
plan is built by hand as typed values and saved with the planner's store function, so the
reconciliation reads exactly the rows a real plan leaves.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest
from helpers import raw_sql, run
from schedule_fixtures import add_script, grid_workspace, open_db

from broadcast.schedule.asrun import parse_moment, parse_seconds, reconcile
from broadcast.schedule.asrun_model import Deviation, PlannedPlay, Play, PlayStatus
from broadcast.schedule.model import EntryKind, Plan, PlannedEntry, PlannedSlot, Priority
from broadcast.store import schedule as schedule_store

pytestmark = pytest.mark.backends

DAY = dt.date(2026, 3, 3)
SIX = dt.datetime(2026, 3, 3, 6, 0)

# Plays of the morning slot of 2026-03-03 as a loudspeaker system exports them: BOM, ';',
# Vietnamese headers, Windows and Linux paths of the copied files, seconds or not.
CSV = (
    "\ufeffCụm loa;Thời gian bắt đầu;Tệp;Thời lượng (giây);Trạng thái\r\n"
    "ban-muong;2026-03-03 06:00:12;D:\\loa\\tin-a\\audio.mp3;120;đã phát\r\n"
    "ban-muong;2026-03-03T06:15;/srv/loa/tin-c/audio.mp3;60;Đã phát\r\n"
    "trung-tam;2026-03-03 06:00;out/tin-a/audio.mp3;0;không phát\r\n"
    "trung-tam;2026-03-03 06:05:00;nhac/quoc-ca.mp3;95;đã phát\r\n"
    "ban-muong;2026-03-03 17:30;out/tin-b/audio.mp3;1:30;phát dở\r\n"
)


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    """Three vi scripts with renders, items for them, and a hand-made plan for one morning.

    ban-muong 06:00: ident (10 s), A at 06:00:10, B at 06:02:10, C at 06:03:40;
    trung-tam 06:00: A at 06:00:00.
    """
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        renders, items = {}, {}
        for slug, seconds in (("tin-a", 120.0), ("tin-b", 90.0), ("tin-c", 60.0)):
            script_id = add_script(db, slug, vi_seconds=seconds)
            ref = schedule_store.latest_audio_renders(db, script_id)["vi"]
            renders[slug] = ref
            items[slug] = schedule_store.add_item(
                db,
                script_id=script_id,
                priority=Priority.NORMAL,
                starts=dt.datetime(2026, 3, 1),
                last_day=dt.date(2026, 3, 31),
                min_plays_per_week=0,
                zones=["ban-muong", "trung-tam"],
                topic=None,
                renders=[ref],
            )

        def entry(slug: str, offset: float) -> PlannedEntry:
            ref = renders[slug]
            return PlannedEntry(
                EntryKind.ITEM, offset, ref.duration_s, items[slug], ref.render_id, "vi"
            )

        ident = PlannedEntry(EntryKind.IDENT, 0, 10)
        slots = [
            PlannedSlot(
                "ban-muong",
                "sang",
                SIX,
                900,
                None,
                (ident, entry("tin-a", 10), entry("tin-b", 130), entry("tin-c", 220)),
            ),
            PlannedSlot("trung-tam", "sang", SIX, 900, None, (entry("tin-a", 0),)),
        ]
        schedule_store.save_plan(db, Plan(DAY, 1, slots))
    return root


def counts(root: Path) -> tuple[int, int]:
    conn = raw_sql(root)
    try:
        plays = conn.execute("SELECT COUNT(*) FROM asrun_plays").fetchone()[0]
        imports = conn.execute("SELECT COUNT(*) FROM asrun_imports").fetchone()[0]
        return plays, imports
    finally:
        conn.close()


def diff_json(root: Path) -> dict[str, object]:
    result = run(
        "-w", root, "asrun", "diff", "--from", "2026-03-03", "--to", "2026-03-03", "--json"
    )
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def kinds(data: dict[str, object]) -> list[tuple[str, str, str | None]]:
    diffs = data["differences"]
    assert isinstance(diffs, list)
    return [(d["kind"], d["zone"], d["script"] or d["path"]) for d in diffs]


def test_csv_import_then_diff_lists_missed_late_and_extra(ws: Path) -> None:
    log = ws / "asrun.csv"
    log.write_text(CSV, encoding="utf-8")
    result = run("-w", ws, "asrun", "import", log)
    assert result.exit_code == 0, result.stderr
    assert "Đã nhập 5 lượt phát" in result.stdout
    assert counts(ws) == (5, 1)

    data = diff_json(ws)
    assert data["planned"] == 4 and data["aired"] == 2 and data["on_time"] == 1
    assert sorted(kinds(data)) == sorted(
        [
            ("missed", "trung-tam", "tin-a"),  # marked "không phát" by the player
            ("missed", "ban-muong", "tin-b"),  # nothing near 06:02:10
            ("late", "ban-muong", "tin-c"),  # 06:15 for 06:03:40
            ("extra", "trung-tam", "nhac/quoc-ca.mp3"),  # not ours
            ("extra", "ban-muong", "tin-b"),  # 17:30: far outside the match window
        ]
    )
    late = next(d for d in data["differences"] if d["kind"] == "late")  # type: ignore[union-attr]
    assert late["delay_s"] == pytest.approx(11 * 60 + 20)
    text = run("-w", ws, "asrun", "diff", "--from", "2026-03-03", "--to", "2026-03-03")
    assert "phát muộn" in text.stdout and "ngoài kế hoạch" in text.stdout
    assert "muộn 11 phút" in text.stdout


def test_same_file_twice_and_same_plays_as_json_do_not_duplicate(ws: Path) -> None:
    log = ws / "asrun.csv"
    log.write_text(CSV, encoding="utf-8")
    assert run("-w", ws, "asrun", "import", log).exit_code == 0
    again = run("-w", ws, "asrun", "import", log)
    assert again.exit_code == 0 and "đã được nhập trước đây" in again.stdout
    assert counts(ws) == (5, 1)

    with open_db(ws) as db:
        render_a = schedule_store.latest_audio_renders(db, 1)["vi"].render_id
        items = sorted(schedule_store.item_catalog(db))
    # The same plays named the other ways: render id, campaign item id, and the same file.
    plays = [
        {
            "zone": "ban-muong",
            "start": "2026-03-03T06:00:12+07:00",
            "render": render_a,
            "duration": 120,
            "status": "played",
        },
        {"zone": "ban-muong", "start": "2026-03-02T23:15:00Z", "item": items[2], "duration": 60},
        {
            "zone": "trung-tam",
            "start": "2026-03-03T06:05",
            "file": "nhac/quoc-ca.mp3",
            "duration": "95",
            "status": "ok",
        },
        {
            "zone": "trung-tam",
            "start": "2026-03-03T06:20",
            "render": render_a,
            "duration": 120,
            "status": "played",
        },
    ]
    export = ws / "asrun.json"
    export.write_text(json.dumps({"plays": plays}), encoding="utf-8")
    result = run("-w", ws, "asrun", "import", export)
    assert result.exit_code == 0, result.stderr
    assert "Đã nhập 1 lượt phát" in result.stdout and "3 lượt đã có" in result.stdout
    assert counts(ws) == (6, 2)
    # The new 06:20 play is the only late A in trung-tam: the "missed" mark is now paired
    # first (earliest in the window), so A there stays missed and 06:20 is extra.
    assert ("extra", "trung-tam", "tin-a") in kinds(diff_json(ws))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "bad-time.csv",
            "zone,start,file,duration,status\n"
            "ban-muong,2026-03-03 06:00,out/tin-a/audio.mp3,120,played\n"
            "ban-muong,03-2026 6h,out/tin-b/audio.mp3,90,played\n",
            "dòng 3: thời gian '03-2026 6h'",
        ),
        (
            "bad-zone.csv",
            "zone;start;render;duration\nban-xa;2026-03-03 06:00;1;120\n",
            "dòng 2: cụm loa 'ban-xa' không có",
        ),
        (
            "bad-render.csv",
            "zone;start;render;duration\nban-muong;2026-03-03 06:00;999;120\n",
            "dòng 2: không có bản thu số 999",
        ),
        (
            "bad-status.csv",
            "zone;start;render;duration;status\nban-muong;2026-03-03 06:00;1;120;hmm\n",
            "dòng 2: trạng thái 'hmm'",
        ),
        (
            "short-row.csv",
            "zone;start;render;duration\nban-muong;2026-03-03 06:00;1;120\nban-muong;x\n",
            "dòng 3: có 2 cột",
        ),
        (
            # Cut right after the last delimiter: the empty status would read as "played".
            "cut-last-row.csv",
            "zone,start,render,duration,status\nban-muong,2026-03-03 06:00,1,120,played\n"
            "ban-muong,2026-03-03 06:30,1,185,",
            "dòng 3: tệp kết thúc giữa dòng",
        ),
        (
            "unclosed-quote.csv",
            'zone,start,render,duration\nban-muong,2026-03-03 06:00,1,120\nban-muong,"2026',
            "dòng 3: CSV hỏng",
        ),
        ("no-columns.csv", "a;b;c\n1;2;3\n", "thiếu cột zone, start, render/item/file"),
        (
            "bad-language.csv",
            "zone;start;file;duration;language\nban-muong;2026-03-03 06:00;x.mp3;60;th\n",
            "dòng 2: không biết mã ngôn ngữ 'th'",
        ),
        (
            "bad-duration.json",
            json.dumps(
                [
                    {"zone": "ban-muong", "start": "2026-03-03T06:00", "render": 1, "duration": 9},
                    {
                        "zone": "ban-muong",
                        "start": "2026-03-03T06:05",
                        "render": 1,
                        "duration": "lâu",
                    },
                ]
            ),
            "mục thứ 2: thời lượng 'lâu'",
        ),
        ("broken.json", '[{"zone": "ban-muong",', "JSON hỏng ở dòng 1"),
        ("empty.csv", "", "trống"),
        ("binary.csv", "\x00\x01\x02PK", "không phải văn bản"),
    ],
)
def test_malformed_files_import_nothing(ws: Path, name: str, content: str, expected: str) -> None:
    bad = ws / name
    bad.write_text(content, encoding="utf-8")
    result = run("-w", ws, "asrun", "import", bad)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1  # one sentence, no traceback
    assert counts(ws) == (0, 0)


def test_not_utf8_and_missing_file(ws: Path) -> None:
    legacy = ws / "cp1258.csv"
    text = unicodedata.normalize("NFD", "zone;start;render\nbản;2026-03-03 06:00;1\n")
    legacy.write_bytes(text.encode("cp1258"))  # Windows-1258 writes tones as marks
    result = run("-w", ws, "asrun", "import", legacy)
    assert result.exit_code == 2 and "không phải UTF-8" in result.stderr
    missing = run("-w", ws, "asrun", "import", ws / "nope.csv")
    assert missing.exit_code == 2 and "Không tìm thấy" in missing.stderr
    assert counts(ws) == (0, 0)


def test_confirm_by_hand_then_diff(ws: Path) -> None:
    result = run(
        "-w",
        ws,
        "asrun",
        "confirm",
        "--zone",
        "ban-muong",
        "--slot",
        "2026-03-03 06:00",
        "--all",
        "--missed",
        "2",
    )
    assert result.exit_code == 0, result.stderr
    assert "Đã ghi 2 mục đã phát và 1 mục không phát" in result.stdout
    # Marking again is idempotent, and the operator's later word wins.
    again = run(
        "-w",
        ws,
        "asrun",
        "confirm",
        "--zone",
        "ban-muong",
        "--slot",
        "2026-03-03 06:00",
        "--item",
        "2",
    )
    assert again.exit_code == 0, again.stderr
    assert counts(ws) == (3, 0)
    data = diff_json(ws)
    assert sorted(kinds(data)) == [("missed", "trung-tam", "tin-a")]
    assert data["on_time"] == 3


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--zone", "ban-xa", "--slot", "2026-03-03 06:00", "--all"], "Không có cụm loa 'ban-xa'"),
        (["--zone", "ban-muong", "--slot", "2026-03-04 06:00", "--all"], "Không có kế hoạch"),
        (["--zone", "ban-muong", "--slot", "2026-03-03 06:00", "--item", "4"], "không có mục số 4"),
        (["--zone", "ban-muong", "--slot", "2026-03-03 06:00"], "--all, --item N hoặc --missed N"),
        (["--zone", "ban-muong", "--slot", "sáng nay", "--all"], "không đúng dạng"),
    ],
)
def test_confirm_errors(ws: Path, args: list[str], expected: str) -> None:
    result = run("-w", ws, "asrun", "confirm", *args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert counts(ws) == (0, 0)


def test_diff_bad_dates(ws: Path) -> None:
    result = run("-w", ws, "asrun", "diff", "--from", "03/03/2026", "--to", "2026-03-03")
    assert result.exit_code == 2 and "--from '03/03/2026'" in result.stderr
    result = run("-w", ws, "asrun", "diff", "--from", "2026-03-04", "--to", "2026-03-03")
    assert result.exit_code == 2 and "trước ngày đầu" in result.stderr


def test_parse_moment_and_seconds() -> None:
    assert parse_moment("2026-03-03T06:00") == SIX
    assert parse_moment("2026-03-03 06:00:05") == SIX.replace(second=5)
    assert parse_moment("2026-03-02T23:00:00Z") == SIX  # UTC converted to Vietnam time
    assert parse_moment("2026-03-03T06:00:00+07:00") == SIX
    assert parse_moment("03/03/2026 06:00") == SIX
    for bad in ("2026-03-03", "06:00", "hôm nay", "2026-13-03 06:00"):
        with pytest.raises(ValueError):
            parse_moment(bad)
    assert parse_seconds("185") == 185 and parse_seconds("185,5") == 185.5
    assert parse_seconds("3:05") == 185 and parse_seconds("0:03:05") == 185
    with pytest.raises(ValueError):
        parse_seconds("-3")


def test_reconcile_on_typed_values() -> None:
    """The matching rule itself: each plan takes the earliest play of its render in reach."""

    def plan(minute: int, render: int, zone: str = "z") -> PlannedPlay:
        start = SIX + dt.timedelta(minutes=minute)
        return PlannedPlay(zone, SIX, minute, render, f"s{render}", "vi", start, 60.0)

    def play(
        id_: int,
        minute: int,
        render: int | None,
        status: PlayStatus = PlayStatus.PLAYED,
        zone: str = "z",
    ) -> Play:
        start = SIX + dt.timedelta(minutes=minute)
        return Play(id_, zone, start, 60.0, status, render, None, "vi", None, "import")

    planned = [plan(0, 1), plan(1, 2), plan(2, 3), plan(0, 1, zone="y")]
    plays = [
        play(1, 0, 1),  # on time
        play(2, 9, 3),  # 7 minutes late
        play(3, 2, 2, PlayStatus.PARTIAL),  # partial still aired, on time
        play(4, 0, 1, zone="x"),  # other zone: extra, and y's plan is missed
        play(5, 3, None),  # unknown file: extra
    ]
    result = reconcile(planned, plays, late_tolerance_s=300)
    assert (result.planned, result.aired, result.on_time) == (4, 3, 2)
    assert [d.planned.zone for d in result.of_kind(Deviation.MISSED) if d.planned] == ["y"]
    assert [d.actual.id for d in result.of_kind(Deviation.LATE) if d.actual] == [2]
    assert sorted(d.actual.id for d in result.of_kind(Deviation.EXTRA) if d.actual) == [4, 5]
