"""The language registry is data (broadcast/languages.toml), extendable per station.

Tai Viet strings here are arbitrary code points of U+AA80–U+AADF, synthetic, not Thái.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers import make_workspace, run

from broadcast.errors import InputError, WorkspaceError
from broadcast.languages import (
    LANGUAGES,
    builtin_languages,
    parse_languages,
    resolve,
    script_of,
)
from broadcast.store.station import parse_station, station_to_toml
from broadcast.store.workspace import find_workspace

TAI_VIET_SYNTHETIC = "\uaa80\uaa92\uaab1 \uaac0"  # synthetic code points, not a word


def test_shipped_registry_lists_every_language_with_scripts_and_iso_codes() -> None:
    registry = builtin_languages()
    for code in ("vi", "blt", "twh", "hnj", "mww", "hmn", "tyz", "nut", "ium", "en"):
        assert code in registry, code
        assert len(registry[code].iso639_3) == 3
        assert "Latn" in registry[code].scripts
    assert set(registry["blt"].scripts) == {"Latn", "Tavt"}
    assert set(registry["twh"].scripts) == {"Latn", "Tavt"}
    assert registry["hmn"].scripts == ("Latn",)
    assert "RPA" in registry["hmn"].note and "RPA" in registry["hnj"].note
    assert registry["vi"].iso639_3 == "vie"
    assert "th" not in registry


def test_languages_mapping_and_parse_keep_their_old_behaviour() -> None:
    assert LANGUAGES["blt"] == "tiếng Thái (Thái Đen, Tai Dam)"
    assert list(LANGUAGES)[0] == "vi" and len(LANGUAGES) == 10
    assert parse_languages("blt, HMN") == ("vi", "blt", "hmn")
    with pytest.raises(InputError, match="blt"):
        parse_languages("vi,th")
    with pytest.raises(InputError, match="Không biết mã ngôn ngữ xx"):
        parse_languages("vi,xx")


def test_resolve_accepts_full_tags_and_refuses_th() -> None:
    assert resolve("hmn-Latn-VN").code == "hmn"
    assert resolve("vi_VN").code == "vi"
    with pytest.raises(InputError, match="twh"):
        resolve("th-TH")


@pytest.mark.parametrize(
    ("text", "scripts"),
    [
        ("Ủy ban nhân dân xã", {"Latn"}),
        (TAI_VIET_SYNTHETIC, {"Tavt"}),
        (f"‹blt› ZZ-01 {TAI_VIET_SYNTHETIC}", {"Latn", "Tavt"}),
        ("123/QĐ-UBND", {"Latn"}),
        ("12 - 34 … «»", set()),
        ("ภาษาไทย", {"Thai"}),
        ("Москва", {"Cyrl"}),
    ],
)
def test_script_of(text: str, scripts: set[str]) -> None:
    assert script_of(text) == scripts


def _write_station(root: Path, extra: str, languages: str = '["vi", "blt", "xyz"]') -> None:
    path = root / "station.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'languages = [\n    "vi",\n    "blt",\n    "hmn",\n]', f"languages = {languages}"
    )
    text = text.replace('languages = ["vi", "blt", "hmn"]', f"languages = {languages}")
    assert f"languages = {languages}" in text
    path.write_text(text + "\n" + extra, encoding="utf-8")


XYZ = """
[languages.xyz]
name = "tiếng Xyz (thử nghiệm)"
scripts = ["Latn"]
iso639_3 = "xyz"
note = "synthetic test language"

[languages.blt]
note = "ghi chú riêng của đài"
"""


def test_station_adds_and_overrides_languages(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    _write_station(root, XYZ)
    station = find_workspace(root).station
    registry = station.language_registry()
    assert registry["xyz"].name == "tiếng Xyz (thử nghiệm)"
    assert registry["blt"].note == "ghi chú riêng của đài"
    assert set(registry["blt"].scripts) == {"Latn", "Tavt"}  # kept from the shipped entry
    again = parse_station(tomllib.loads(station_to_toml(station)))
    assert again.added_languages == station.added_languages
    # The added language is usable: a synthetic term for it goes into the term base.
    result = run("-w", root, "glossary", "add", "UBND", "XYZ test 1", "-l", "xyz")
    assert result.exit_code == 0, result.stderr
    assert "XYZ test 1" in run("-w", root, "glossary", "list", "-l", "xyz").stdout


@pytest.mark.parametrize(
    ("extra", "languages", "message"),
    [
        ("", '["vi", "th"]', "blt"),
        ("", '["vi", "xyz"]', "Không biết mã ngôn ngữ xyz"),
        ('[languages.xyz]\nname = "X"\nscripts = "Latn"\n', '["vi", "xyz"]', "scripts"),
        ('[languages.xyz]\nscripts = ["Latn"]\n', '["vi", "xyz"]', "name"),
        ('[languages.th]\nname = "Thái Lan"\n', '["vi"]', "twh"),
    ],
)
def test_bad_station_languages_are_one_clear_error(
    tmp_path: Path, extra: str, languages: str, message: str
) -> None:
    root = make_workspace(tmp_path / "ws")
    _write_station(root, extra, languages)
    with pytest.raises(WorkspaceError, match=message):
        find_workspace(root)
    result = run("-w", root, "glossary", "list")
    assert result.exit_code == 2
    assert "station.toml" in result.stderr and message in result.stderr
