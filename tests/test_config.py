"""Settings declared once (issue 10, items 7 and 8): config check/show, unknown and old keys,
init options, click's help words and times in Vietnamese."""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import make_workspace, run

from broadcast.model.time import local
from broadcast.render.settings import render_settings
from broadcast.schedule.grid import workspace_grid
from broadcast.schedule.report_settings import load_report_settings
from broadcast.store.workspace import find_workspace

OVERLAP = '\n[[slots]]\nid = "trua"\ndays = ["mon"]\nstart = "06:10"\nminutes = 10\n'


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _flat(text: str) -> str:
    """Help pages wrap long lines: compare words, not line breaks."""
    return re.sub(r"\s+", " ", text)


def test_check_reports_every_problem_with_its_path_and_writes_nothing(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    station = root / "station.toml"
    text = station.read_text(encoding="utf-8")
    second = text.index('start = "17:30"')
    station.write_text(
        text[:second] + text[second:].replace("minutes = 30", "minuts = 30", 1) + OVERLAP,
        encoding="utf-8",
    )  # [[slots]][2] misspelt; [[slots]][3] ('trua', 06:10) overlaps the 06:00 slot
    _edit(station, "speech_rate = 125", 'speech_rate = "nhanh"')  # wrong type
    before = station.read_bytes(), sorted(p.name for p in root.rglob("*"))

    result = run("-w", root, "config", "check")

    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Lỗi:")]
    assert any("[[slots]][2].minuts" in e and "ý bạn là 'minutes'?" in e for e in errors)
    assert any("[audio].speech_rate" in e and "phải là một số" in e for e in errors)
    assert any("'slot-1' và 'trua' chồng lên nhau ở cụm loa 'all' ngày mon" in e for e in errors)
    assert "chưa ghi gì" in result.stderr
    assert (station.read_bytes(), sorted(p.name for p in root.rglob("*"))) == before
    # The same file given by name, as JSON: the same problems.
    data = json.loads(run("config", "check", station, "--json").stdout)
    assert data["file"] == str(station)
    assert [f"Lỗi: {p}" for p in data["problems"]] == errors


def test_check_finds_an_overlapping_slot_and_an_unknown_zone(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    station = root / "station.toml"
    station.write_text(
        station.read_text(encoding="utf-8")
        + OVERLAP
        + '\n[[slots]]\nid = "toi"\nstart = "20:00"\nminutes = 10\nzones = ["ban-xa"]\n',
        encoding="utf-8",
    )
    result = run("config", "check", station)
    assert result.exit_code == 2
    assert "khung giờ 'slot-1' và 'trua' chồng lên nhau ở cụm loa 'all'" in result.stderr
    assert "Không có cụm loa ban-xa ([[slots]][4])" in result.stderr
    assert run("config", "check", root / "station.toml").exit_code == 2
    # A clean file passes.
    clean = make_workspace(tmp_path / "ok") / "station.toml"
    ok = run("config", "check", clean)
    assert ok.exit_code == 0 and "không có lỗi" in ok.stdout


def test_unknown_key_refused_on_load_with_the_nearest_key(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    _edit(root / "station.toml", "pause_ms = 450", "pause_mss = 450")
    result = run("-w", root, "config", "show")
    assert result.exit_code == 2
    assert "[audio].pause_mss" in result.stderr and "ý bạn là 'pause_ms'?" in result.stderr
    _edit(root / "station.toml", "pause_mss = 450", "pause_ms = 450\n\n[vidoe]\nx = 1")
    result = run("-w", root, "config", "show")
    assert result.exit_code == 2 and "ý bạn là 'video'?" in result.stderr


def test_old_keys_still_read_with_a_notice_naming_the_new_one(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    station = root / "station.toml"
    station.write_text(
        station.read_text(encoding="utf-8").replace("\ndays = [", "\nweekdays = [", 1),
        encoding="utf-8",
    )
    _edit(station, "pause_ms = 450", "pause_ms = 450\nloudness_lufs = -18.0")
    result = run("-w", root, "config", "show", "--json")
    assert result.exit_code == 0, result.stderr
    assert "[[slots]][1].weekdays là khóa cũ" in result.stderr
    assert "[[slots]] days" in result.stderr
    assert "[audio].loudness_lufs là khóa cũ" in result.stderr
    assert "[mix.loudspeaker] loudness_lufs" in result.stderr
    entries = {e["path"]: e for e in json.loads(result.stdout)}
    # Still read: the slot keeps its days, the loudspeaker its loudness.
    assert entries["[[slots]][1] weekdays"]["value"] == [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ]
    assert entries["[mix.loudspeaker] loudness_lufs"]["value"] == -18.0


def test_show_gives_values_and_origins(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    station = root / "station.toml"
    station.write_text(
        station.read_text(encoding="utf-8") + "\n[mix.web]\nfade_out_ms = 500\n", encoding="utf-8"
    )
    lines = station.read_text(encoding="utf-8").splitlines()
    result = run("-w", root, "config", "show", "--json")
    assert result.exit_code == 0, result.stderr
    entries = {e["path"]: e for e in json.loads(result.stdout)}
    pace = entries["[script] pace"]
    assert pace["value"] == "voice" and lines[pace["line"] - 1].startswith("pace =")
    assert pace["origin"] == f"station.toml dòng {pace['line']}"
    web = entries["[mix.web] fade_out_ms"]
    assert web["value"] == 500 and lines[web["line"] - 1] == "fade_out_ms = 500"
    assert entries["[mix.web] loudness_lufs"]["origin"] == "cấu hình có sẵn 'web'"
    assert entries["[report] authority"] == {
        "path": "[report] authority",
        "value": "UBND XÃ MƯỜNG LA",
        "origin": "mặc định",
        "line": None,
    }
    minutes = entries["[[slots]][2] minutes"]
    assert minutes["value"] == 30 and lines[minutes["line"] - 1] == "minutes = 30"
    text = run("-w", root, "config", "show").stdout
    assert "[script] southern_readings = false  ← station.toml dòng" in text


def test_init_options_are_written_and_read_back(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    result = run(
        "init", root, "--station", "Đài xã", "--commune", "Mường La", "--province", "Sơn La",
        "--languages", "vi,blt",
        "--zone", "ban-muong:Cụm loa bản Mường", "--zone", "trung-tam:Trung tâm xã",
        "--portal", "dichvucong.gov.vn", "--hotline", "0212 3456 789",
        "--signer", "Lò Văn A", "--signer-title", "PHÓ GIÁM ĐỐC",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    ws = find_workspace(root)
    grid = workspace_grid(ws)
    assert grid.zone_ids == ("ban-muong", "trung-tam")
    assert grid.zone("ban-muong").name == "Cụm loa bản Mường"
    assert grid.zone("trung-tam").languages == ("vi", "blt")
    assert render_settings(ws).closing_lines() == (
        "Nộp hồ sơ trực tuyến tại", "dichvucong.gov.vn", "Đường dây nóng", "0212 3456 789",
    )  # fmt: skip
    report = load_report_settings(ws.root, ws.station)
    assert (report.signer, report.signer_title) == ("Lò Văn A", "PHÓ GIÁM ĐỐC")
    assert run("config", "check", root / "station.toml").exit_code == 0
    # A malformed zone is refused before anything is written.
    bad = run("init", tmp_path / "bad", *["--station", "a", "--commune", "b", "--province", "c"],
              "--zone", "Bản Mường")  # fmt: skip
    assert bad.exit_code == 2 and "MÃ:Tên" in bad.stderr
    assert not (tmp_path / "bad").exists()


def test_help_is_in_vietnamese() -> None:
    top = run("--help")
    assert top.exit_code == 0
    words = _flat(top.stdout)
    for vietnamese in ("Cách dùng: ", "Tùy chọn:", "Lệnh:", "Hiện trợ giúp này rồi thoát.",
                       "Hiện phiên bản rồi thoát.", "config"):  # fmt: skip
        assert vietnamese in words
    sub = _flat(run("init", "--help").stdout)
    assert "init [TÙY_CHỌN] THƯ_MỤC" in sub and "Cách dùng: " in sub
    # click's type names (TEXT, DIRECTORY, INTEGER) in Vietnamese too, never option names.
    edit = _flat(run("review", "edit", "--help").stdout)
    assert "--lang CHỮ" in edit and "TEXT" not in edit
    assert "[bắt buộc]" in sub and "[mặc định: vi]" in sub
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "[required]",
                    "[default:"):  # fmt: skip
        assert english not in words and english not in sub
    assert run("--version").stdout.startswith("broadcast, phiên bản ")
    nested = _flat(run("config", "check", "--help").stdout)
    assert "config check [TÙY_CHỌN]" in nested and "Tùy chọn:" in nested


def test_times_are_shown_in_vietnam_time() -> None:
    assert local("2026-03-01T20:05:00Z") == "2026-03-02 03:05 +07:00"
    assert local("2026-03-02T01:05:00+00:00") == "2026-03-02 08:05 +07:00"
    assert local("không phải giờ") == "không phải giờ" and local(None) == ""
