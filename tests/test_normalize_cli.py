"""``broadcast normalize``: text, file and stdin batch input, readings, and bad input."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from helpers import make_workspace, run, runner

from broadcast.cli import cli
from broadcast.store.workspace import ENV_VAR

Y2025 = "hai nghìn không trăm hai mươi lăm"


@pytest.fixture(autouse=True)
def outside_any_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder with no workspace variable, as a user outside a station."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv(ENV_VAR, raising=False)
    return folder


def _cp1258(text: str) -> bytes:
    """Windows-1258 writes tones as combining marks, so encode the decomposed form."""
    return unicodedata.normalize("NFD", text).encode("cp1258")


def _southern_workspace(root: Path) -> Path:
    make_workspace(root)
    toml = root / "station.toml"
    text = toml.read_text(encoding="utf-8")
    assert "southern_readings = false" in text
    toml.write_text(text.replace("southern_readings = false", "southern_readings = true"), "utf-8")
    return root


def test_text_argument() -> None:
    result = run("normalize", "Quyết định số 239/QĐ-UBND ngày 01/4/2025")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Quyết định số hai trăm ba mươi chín, quyết định, Ủy ban nhân dân "
        f"ngày một tháng tư năm {Y2025}\n"
    )
    assert result.stderr == ""


def test_several_words_are_one_text() -> None:
    result = run("normalize", "UBND", "xã", "có", "105", "hộ")
    assert result.exit_code == 0
    assert result.stdout == "Ủy ban nhân dân xã có một trăm linh năm hộ\n"


def test_file(tmp_path: Path) -> None:
    path = tmp_path / "tin.txt"
    path.write_text("\ufeffTỷ lệ hồ sơ đạt 98,5%.\nHotline: 1900 1234\n", encoding="utf-8")
    result = run("normalize", "--file", path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Tỷ lệ hồ sơ đạt chín mươi tám phẩy năm phần trăm.\n"
        "hót lai: một chín không không, một hai ba bốn\n"
    )


def test_stdin_batch_keeps_one_line_per_line() -> None:
    lines = [
        "UBND xã Mường La",
        "",
        "giai đoạn 2022 -",
        "2025, tầm nhìn",
        "   ",
        "gọi 0912 345 678",
        "",
    ]
    result = runner().invoke(cli, ["normalize", "-"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    out = result.stdout.split("\n")
    assert out[-1] == ""
    assert out[:-1] == [
        "Ủy ban nhân dân xã Mường La",
        "",
        "giai đoạn hai nghìn không trăm hai mươi hai",
        f"{Y2025}, tầm nhìn",
        "",
        "gọi không chín một hai, ba bốn năm, sáu bảy tám",
        "",
    ]


def test_stdin_with_crlf_and_no_final_newline() -> None:
    result = runner().invoke(cli, ["normalize", "-"], input="thứ 2\r\n\r\ntháng 4")
    assert result.exit_code == 0
    assert result.stdout == "thứ hai\n\ntháng tư\n"


def test_southern_flag_and_northern_default() -> None:
    assert run("normalize", "1.105 hồ sơ").stdout == "một nghìn một trăm linh năm hồ sơ\n"
    result = run("normalize", "--southern", "1.105 hồ sơ")
    assert result.stdout == "một ngàn một trăm lẻ năm hồ sơ\n"


def test_station_setting_is_the_default(tmp_path: Path) -> None:
    root = _southern_workspace(tmp_path / "station")
    result = run("--workspace", root, "normalize", "1.105 hồ sơ")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "một ngàn một trăm lẻ năm hồ sơ\n"
    result = run("--workspace", root, "normalize", "--northern", "1.105 hồ sơ")
    assert result.stdout == "một nghìn một trăm linh năm hồ sơ\n"


def test_station_found_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _southern_workspace(tmp_path / "station")
    (root / "articles" / "sub").mkdir(parents=True)
    monkeypatch.chdir(root / "articles" / "sub")
    assert run("normalize", "năm 2105").stdout == "năm hai ngàn một trăm lẻ năm\n"


def test_a_named_workspace_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    result = run("--workspace", tmp_path / "none", "normalize", "UBND")
    assert result.exit_code == 2
    assert "station.toml" in result.stderr


def test_another_glossary(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(
        "term\texpansion\tspoken\tsource\tstatus\tnote\nHTX\thợp tác xã\t\ttest\tproposed\t\n",
        encoding="utf-8",
    )
    result = run("normalize", "--glossary", path, "HTX và UBND")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "hợp tác xã và u bê en dê\n"


@pytest.mark.parametrize("args", [[], [""], ["   "]])
def test_no_input(args: list[str]) -> None:
    result = run("normalize", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Lỗi: Chưa có văn bản")
    assert result.stderr.count("\n") == 1


def test_text_and_file_together(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    result = run("normalize", "--file", path, "UBND")
    assert result.exit_code == 2
    assert "không cả hai" in result.stderr


def test_missing_file_and_folder(tmp_path: Path) -> None:
    result = run("normalize", "--file", tmp_path / "absent.txt")
    assert result.exit_code == 2
    assert "Không tìm thấy tệp" in result.stderr
    result = run("normalize", "--file", tmp_path)
    assert result.exit_code == 2
    assert "là thư mục" in result.stderr


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "anh.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run("normalize", "--file", path)
    assert result.exit_code == 2
    assert "tệp nhị phân" in result.stderr
    assert "Traceback" not in result.stderr


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cu.txt"
    path.write_bytes(_cp1258("Ủy ban xã"))
    result = run("normalize", "--file", path)
    assert result.exit_code == 2
    assert "không phải văn bản UTF-8" in result.stderr
    assert result.stdout == ""


def test_stdin_not_utf8() -> None:
    result = runner().invoke(cli, ["normalize", "-"], input=_cp1258("Ủy ban"))
    assert result.exit_code == 2
    assert "Đầu vào chuẩn không phải văn bản UTF-8" in result.stderr


def test_bad_glossary_file(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("term,expansion\n", encoding="utf-8")
    result = run("normalize", "--glossary", path, "UBND")
    assert result.exit_code == 2
    assert "dòng 1" in result.stderr
