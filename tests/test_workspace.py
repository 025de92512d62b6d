"""broadcast init, station.toml validation and workspace discovery."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import pytest
from helpers import INIT_ARGS, make_workspace, run

from broadcast.errors import WorkspaceError
from broadcast.store.db import MIGRATIONS, Database
from broadcast.store.station import load_station
from broadcast.store.workspace import find_workspace


def test_init_writes_station_folders_and_database(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    data = tomllib.loads((root / "station.toml").read_text(encoding="utf-8"))
    assert data["station"]["name"] == "Đài truyền thanh xã Mường La"
    assert data["station"]["province"] == "Sơn La"
    assert data["station"]["languages"] == ["vi", "blt", "hmn"]
    assert data["slots"], "a new station needs broadcast slots"
    for folder in ("articles", "glossary", "voices", "out"):
        assert (root / folder).is_dir()
    conn = sqlite3.connect(root / "broadcast.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [v for v, _, _ in MIGRATIONS]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "scripts", "sentences", "renders", "playlist_entries"} <= tables


def test_station_round_trips(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    station = load_station(root / "station.toml")
    assert station.commune == "Mường La"
    assert station.fill(station.opening).startswith("Đây là Đài truyền thanh xã Mường La")


def test_init_refuses_existing_workspace(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    before = (root / "station.toml").read_bytes()
    result = run("init", root, *INIT_ARGS)
    assert result.exit_code == 2
    assert "đã là một không gian làm việc" in result.stderr
    assert (root / "station.toml").read_bytes() == before


@pytest.mark.parametrize(
    ("languages", "message"),
    [("vi,th", "blt"), ("vi,xx", "Không biết mã ngôn ngữ xx")],
)
def test_init_rejects_bad_languages(tmp_path: Path, languages: str, message: str) -> None:
    args = list(INIT_ARGS)
    args[args.index("--languages") + 1] = languages
    result = run("init", tmp_path / "ws", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "ws").exists()


def test_workspace_found_from_subfolder_env_and_option(tmp_path: Path, monkeypatch) -> None:
    root = make_workspace(tmp_path / "ws").resolve()
    monkeypatch.delenv("BROADCAST_WORKSPACE", raising=False)
    assert find_workspace(cwd=root / "out").root == root
    monkeypatch.setenv("BROADCAST_WORKSPACE", str(root))
    assert find_workspace(cwd=tmp_path).root == root
    assert find_workspace(root, cwd=tmp_path).root == root


def test_missing_workspace_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("BROADCAST_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    result = run("produce", "bai.txt")
    assert result.exit_code == 2
    assert "Không tìm thấy không gian làm việc" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[station]\nname = 'x'\n", "thiếu khóa 'commune'"),
        ("not toml = = 1", "không đọc được"),
        (
            "[station]\nname='a'\ncommune='b'\nprovince='c'\n"
            "[[slots]]\ndays=['mon']\nstart='25:00'\nminutes=30\n",
            "giờ '25:00'",
        ),
        (
            "[station]\nname='a'\ncommune='b'\nprovince='c'\n"
            "[[slots]]\ndays=['monday']\nstart='06:00'\nminutes=30\n",
            "không hợp lệ",
        ),
    ],
)
def test_bad_station_toml_is_reported(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "station.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkspaceError, match=message):
        load_station(path)


def test_migrations_apply_once(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Database(path) as db:
        first = db.schema_version()
    with Database(path) as db:
        assert db.schema_version() == first == MIGRATIONS[-1][0]
        count = db.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
        assert count == len(MIGRATIONS)


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    with Database(tmp_path / "b.db") as db:
        with pytest.raises(RuntimeError), db.transaction() as conn:
            conn.execute(
                "INSERT INTO articles (source_path, sha256, title, body, format)"
                " VALUES ('a', 'b', 'c', 'd', 'txt')"
            )
            raise RuntimeError("boom")
        assert db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
