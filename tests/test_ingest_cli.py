"""`broadcast ingest` and the refusal of `broadcast produce` on bad text, through CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from helpers import files_under, make_workspace, run, table_counts

from broadcast.text.legacy import encode_vni

SeedFinder = Callable[[str], Path]


def test_ingest_text_shows_cleaned_text_and_report(seed: SeedFinder) -> None:
    result = run("ingest", seed("001"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    lines = out.splitlines()
    assert lines[0].startswith("Chất lượng văn bản: ĐẠT (ok)")
    assert lines[2] == (
        "Kế hoạch tuyên truyền Cải cách hành chính nhà nước phường Thảo Nguyên năm 2025"
    )
    assert "Căn cứ Quyết định số 1783/QĐ-UBND ngày 14 tháng 7 năm 2025" in out
    assert "đã ký lên văn bản này" not in out  # the stamps are reported, not printed
    assert "Định dạng: txt; bảng mã: utf-8" in out
    assert "4 dấu chữ ký số" in out and "1 nơi nhận và khối chữ ký" in out
    assert "1 số trang" in out
    assert lines[-1].startswith("Chất lượng văn bản: ĐẠT")


def test_ingest_json_on_a_seed(seed: SeedFinder) -> None:
    result = run("ingest", seed("003"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "txt" and data["encoding"] == "utf-8"
    assert data["title"] == "Kế hoạch tuyên truyền công tác cải cách hành chính năm 2023"
    assert data["counts"]["paragraphs"] == len(data["paragraphs"]) > 30
    assert data["counts"]["sentences"] >= data["counts"]["paragraphs"]
    assert 2000 < data["counts"]["syllables"] < 4000
    assert data["removed_counts"]["url"] >= 1 and data["removed_counts"]["page_number"] >= 1
    assert all(item["kind"] in data["removed_counts"] for item in data["removed"])
    assert data["quality"]["kind"] == "ok"
    assert data["quality"]["marked_share"] > 0.8


def test_ingest_reports_bad_quality_but_exits_zero(seed: SeedFinder) -> None:
    result = run("ingest", seed("002"))
    assert result.exit_code == 0
    assert result.stdout.startswith("Chất lượng văn bản: KHÔNG ĐẠT (no_diacritics)")
    data = json.loads(run("ingest", seed("002"), "--format", "json").stdout)
    assert data["quality"]["kind"] == "no_diacritics"


def test_ingest_reports_a_detected_legacy_encoding(tmp_path: Path, seed: SeedFinder) -> None:
    path = tmp_path / "vni.txt"
    path.write_bytes(encode_vni(seed("004").read_text(encoding="utf-8")))
    data = json.loads(run("ingest", path, "--format", "json").stdout)
    assert data["encoding"] == "vni"
    assert data["title"] == "Kế hoạch tuyên truyền Cải cách hành chính năm 2026"
    assert data["quality"]["kind"] == "ok"


def test_ingest_of_a_missing_file_fails_with_one_sentence(tmp_path: Path) -> None:
    result = run("ingest", tmp_path / "khong-co.txt")
    assert result.exit_code == 2
    assert "Không tìm thấy tệp" in result.stderr
    assert "Traceback" not in result.output


def test_produce_refuses_text_without_diacritics_and_writes_nothing(
    tmp_path: Path, seed: SeedFinder
) -> None:
    root = make_workspace(tmp_path / "ws")
    result = run("-w", root, "produce", seed("002"), "--minutes", "0.25")
    assert result.exit_code == 2
    error = result.stderr.strip().splitlines()[-1]
    assert "mất dấu" in error and "--allow-bad-text" in error
    assert files_under(root / "out") == []
    assert not (root / ".staging").exists() or files_under(root / ".staging") == []
    assert set(table_counts(root / "broadcast.db").values()) == {0}


def test_produce_accepts_bad_text_with_the_override(tmp_path: Path, seed: SeedFinder) -> None:
    root = make_workspace(tmp_path / "ws")
    result = run(
        "-w", root, "produce", seed("002"), "--minutes", "0.25", "--allow-bad-text", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert Path(data["audio"]).is_file() and Path(data["video"]).is_file()
    assert table_counts(root / "broadcast.db")["articles"] == 1
