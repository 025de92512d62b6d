"""The argos engine through the real argostranslate package format, tokenizer and CTranslate2.

A tiny random-weight ``.argosmodel`` is built once per session (tests/argos_model.py). Every
test runs with the network blocked: a socket guard refuses and records any connection, and
proxies point at a closed loopback port, so a download attempt fails the test.
The target language code ``blt`` is used with OBVIOUSLY SYNTHETIC strings only ("‹blt› ZZ-…",
Tai Viet code points picked arbitrarily): nothing here is Thái.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argos_model import build_argosmodel
from helpers import make_workspace, run

from broadcast.errors import EngineError
from broadcast.store.workspace import find_workspace
from broadcast.translate.argos import packages_dir
from broadcast.translate.engines import get_engine
from broadcast.translate.protect import FindingKind, Mode, protect, translate_protected

SYNTHETIC_TERM = "‹blt› ZZ-UBND-01"  # synthetic stand-in for an approved target term
TAI_VIET_TERM = "\uaa80\uaa81\uaab5\uaa82 ZZ-02"  # arbitrary Tai Viet code points, synthetic


@pytest.fixture(scope="session")
def argos_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("argos")
    return build_argosmodel(folder / "vi_blt.argosmodel")


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Refuse and record every internet connection; the test fails if any was tried."""
    attempts: list[object] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            raise OSError("network blocked by the test")
        real_connect(self, address)  # type: ignore[arg-type]

    def guard_ex(self: socket.socket, address: object) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            return 111
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    real_getaddrinfo = socket.getaddrinfo

    def guard_dns(host: object, *args: object, **kwargs: object) -> object:
        if host not in (None, "localhost", "127.0.0.1", "::1"):
            attempts.append(host)
            raise socket.gaierror("name lookup blocked by the test")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", guard_dns)
    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket.socket, "connect_ex", guard_ex)
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    yield attempts
    assert attempts == [], f"network was attempted: {attempts}"


@pytest.fixture
def installed(tmp_path: Path, argos_package: Path) -> Path:
    ws = make_workspace(tmp_path / "ws")
    result = run("-w", ws, "mt", "install", argos_package)
    assert result.exit_code == 0, result.stderr
    return ws


@dataclass(frozen=True)
class Hit:
    """A term-base hit as termbase.find_terms returns it (fields used by protect)."""

    source: str
    target: str | None
    start: int
    end: int


def hit(text: str, source: str, target: str) -> Hit:
    start = text.index(source)
    return Hit(source, target, start, start + len(source))


def test_install_list_and_translate_through_the_real_path(installed: Path) -> None:
    folder = installed / "models" / "argos" / "packages" / "vi_blt"
    assert (folder / "model" / "model.bin").is_file()
    assert (folder / "sentencepiece.model").is_file()
    assert not (installed / "models" / "argos" / ".staging").exists()

    listed = run("-w", installed, "mt", "list")
    assert listed.exit_code == 0, listed.stderr
    assert "vi → blt" in listed.stdout
    rows = json.loads(run("-w", installed, "mt", "list", "--json").stdout)
    assert [(r["from_code"], r["to_code"], r["version"]) for r in rows] == [
        ("vi", "blt", "0.0.1-test")
    ]

    engine = get_engine("argos", find_workspace(installed))
    assert engine.name == "argos"
    assert engine.available("vi", "blt")
    assert not engine.available("vi", "hmn")
    texts = [
        "Người dân nộp hồ sơ tại bộ phận một cửa.",
        "",
        "Cán bộ hướng dẫn kê khai trực tuyến. Thủ tục được giải quyết trong ngày.",
    ]
    drafts = engine.translate(texts, "vi", "blt")
    assert isinstance(drafts, list) and len(drafts) == 3
    assert all(isinstance(d, str) for d in drafts)
    assert drafts[1] == ""
    assert drafts[0].strip() and drafts[2].strip()  # random weights: garbage, but something
    assert engine.translate(texts, "vi", "blt") == drafts  # deterministic on the CPU


def test_argostranslate_directories_stay_inside_a_workspace(installed: Path) -> None:
    get_engine("argos", find_workspace(installed)).translate(["Hồ sơ."], "vi", "blt")
    import argostranslate.settings as settings

    # argostranslate fixed its folders at its first import in this process, inside the
    # workspace that imported it first, never under the user's home.
    for folder in (settings.data_dir, settings.cache_dir, settings.package_data_dir):
        assert "models/argos" in Path(folder).as_posix()
        assert not Path(folder).is_relative_to(Path.home() / ".local")
    assert "ARGOS_PACKAGES_DIR" not in os.environ  # our environment changes were put back


def test_glossary_term_comes_out_exactly_through_mt(installed: Path) -> None:
    engine = get_engine("argos", find_workspace(installed))
    text = "Người dân nộp hồ sơ tại UBND xã để được hướng dẫn kê khai."
    second = "Cán bộ UBND xã tiếp nhận căn cước công dân."
    items = [
        protect(text, [hit(text, "UBND xã", SYNTHETIC_TERM)]),
        protect(
            second,
            [hit(second, "UBND xã", SYNTHETIC_TERM), hit(second, "căn cước", TAI_VIET_TERM)],
        ),
    ]
    drafts = translate_protected(engine, items, "vi", "blt")
    assert len(drafts) == 2
    assert drafts[0].text.count(SYNTHETIC_TERM) == 1
    assert drafts[0].findings == ()
    assert drafts[1].text.count(SYNTHETIC_TERM) == 1
    assert TAI_VIET_TERM in drafts[1].text  # Tai Viet code points unchanged
    assert drafts[1].text.index(SYNTHETIC_TERM) < drafts[1].text.index(TAI_VIET_TERM)
    assert drafts[1].findings == ()
    # The source term itself never went through the model.
    assert "UBND xã" not in drafts[0].text.replace(SYNTHETIC_TERM, "")


def test_placeholder_mode_is_checked_after_the_real_model(installed: Path) -> None:
    engine = get_engine("argos", find_workspace(installed))
    text = "Người dân nộp hồ sơ tại UBND xã."
    item = protect(text, [hit(text, "UBND xã", SYNTHETIC_TERM)], Mode.PLACEHOLDER)
    assert item.masked == "Người dân nộp hồ sơ tại ⟦1⟧."
    [draft] = translate_protected(engine, [item], "vi", "blt")
    kinds = {f.kind for f in draft.findings}
    # Random weights do not copy the placeholder: whatever came out, the check must say so.
    assert (SYNTHETIC_TERM in draft.text) == (FindingKind.TERM_MISSING not in kinds)
    assert ("⟦" in draft.text or "⟧" in draft.text) == (FindingKind.PLACEHOLDER_LEFT in kinds)
    assert draft.findings, "a random-weight model cannot have kept the term"


def test_download_attempts_are_refused(installed: Path) -> None:
    get_engine("argos", find_workspace(installed)).available("vi", "blt")
    import argostranslate.package as package

    remote = package.AvailablePackage(
        {"from_code": "vi", "to_code": "en", "links": ["https://example.invalid/x.argosmodel"]}
    )
    with pytest.raises(EngineError, match="không tải gì|tải dữ liệu từ mạng"):
        remote.download()


def test_reinstalling_a_pair_replaces_it(installed: Path, tmp_path: Path) -> None:
    newer = build_argosmodel(tmp_path / "newer.argosmodel", top="vi_blt_v2")
    result = run("-w", installed, "mt", "install", newer)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(run("-w", installed, "mt", "list", "--json").stdout)
    assert [(r["from_code"], r["to_code"], Path(r["folder"]).name) for r in rows] == [
        ("vi", "blt", "vi_blt_v2")
    ]
    assert not (packages_dir(find_workspace(installed)) / "vi_blt").exists()


def test_list_when_nothing_is_installed(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    result = run("-w", ws, "mt", "list")
    assert result.exit_code == 0
    assert "Chưa cài gói dịch máy nào" in result.stdout
    engine = get_engine("argos", find_workspace(ws))
    assert not engine.available("vi", "blt")
    with pytest.raises(EngineError, match="broadcast mt install"):
        engine.translate(["Hồ sơ."], "vi", "blt")


def _rewrite(source: Path, out: Path, change: str) -> Path:
    """A damaged copy of the good package, one fault per case."""
    with zipfile.ZipFile(source) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    if change == "two-tops":
        entries["other/README.md"] = b"x"
    elif change == "no-metadata":
        del entries["vi_blt/metadata.json"]
    elif change == "metadata-not-json":
        entries["vi_blt/metadata.json"] = b"{not json"
    elif change == "no-to-code":
        meta = json.loads(entries["vi_blt/metadata.json"])
        del meta["to_code"]
        entries["vi_blt/metadata.json"] = json.dumps(meta).encode()
    elif change == "no-model":
        del entries["vi_blt/model/model.bin"]
    elif change == "no-tokenizer":
        del entries["vi_blt/sentencepiece.model"]
    elif change == "zip-slip":
        entries["vi_blt/../../evil.txt"] = b"x"
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("two-tops", "đúng một thư mục gốc"),
        ("no-metadata", "thiếu tệp vi_blt/metadata.json"),
        ("metadata-not-json", "không phải JSON"),
        ("no-to-code", "to_code"),
        ("no-model", "model.bin"),
        ("no-tokenizer", "bộ tách từ"),
        ("zip-slip", "không an toàn"),
    ],
)
def test_bad_packages_are_refused_and_nothing_is_installed(
    tmp_path: Path, argos_package: Path, change: str, message: str
) -> None:
    ws = make_workspace(tmp_path / "ws")
    bad = _rewrite(argos_package, tmp_path / "bad.argosmodel", change)
    result = run("-w", ws, "mt", "install", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi:") and message in result.stderr
    assert result.stderr.count("\n") == 1  # one sentence, no traceback
    assert not (ws / "models").exists() or not any((ws / "models").rglob("*.bin"))
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("content", [b"", b"plain text, not a zip\n", b"PK\x03\x04broken"])
def test_non_zip_files_are_refused(tmp_path: Path, content: bytes) -> None:
    ws = make_workspace(tmp_path / "ws")
    bad = tmp_path / "model.argosmodel"
    bad.write_bytes(content)
    result = run("-w", ws, "mt", "install", bad)
    assert result.exit_code == 2
    assert "không phải gói .argosmodel" in result.stderr or "bị hỏng" in result.stderr
    assert not (ws / "models" / "argos" / "packages").exists() or not any(
        (ws / "models" / "argos" / "packages").iterdir()
    )


def test_missing_file_is_refused(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    result = run("-w", ws, "mt", "install", tmp_path / "nowhere.argosmodel")
    assert result.exit_code == 2
    assert "Không tìm thấy tệp" in result.stderr


def test_unknown_engine_lists_the_valid_names(tmp_path: Path) -> None:
    ws = find_workspace(make_workspace(tmp_path / "ws"))
    with pytest.raises(EngineError, match=r"'deepl'.*argos"):
        get_engine("deepl", ws)


def test_missing_argostranslate_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = make_workspace(tmp_path / "ws")
    # An import of a module set to None fails as if the package were not installed.
    monkeypatch.setitem(sys.modules, "argostranslate", None)
    with pytest.raises(EngineError, match=r"broadcast\[mt\]"):
        get_engine("argos", find_workspace(ws))
    result = run("-w", ws, "mt", "list")
    assert result.exit_code == 3
    assert "broadcast[mt]" in result.stderr


def test_a_broken_installed_folder_is_named_and_a_reinstall_still_works(
    tmp_path: Path, argos_package: Path
) -> None:
    ws = make_workspace(tmp_path / "ws")
    broken = ws / "models" / "argos" / "packages" / "vi_blt"
    broken.mkdir(parents=True)  # a folder left without metadata.json
    result = run("-w", ws, "mt", "list")
    assert result.exit_code == 3
    assert "vi_blt" in result.stderr and "bị hỏng" in result.stderr
    assert not get_engine("argos", find_workspace(ws)).available("vi", "blt")
    assert run("-w", ws, "mt", "install", argos_package).exit_code == 0
    assert "vi → blt" in run("-w", ws, "mt", "list").stdout
