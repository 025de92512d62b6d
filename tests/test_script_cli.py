"""``broadcast summarize`` and ``broadcast script`` through the CLI; topic in the database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import make_workspace, run

from broadcast.script.model import Role, Script, ScriptSentence, Topic
from broadcast.store import records
from broadcast.store.db import Database
from broadcast.text.ingest import read_article

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "articles" / "dich-vu-cong-truc-tuyen.md"
)


@pytest.fixture()
def no_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with no station.toml above it and no BROADCAST_WORKSPACE."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BROADCAST_WORKSPACE", raising=False)
    return tmp_path


def test_summarize_json_totals_add_up(seed, no_workspace) -> None:
    result = run("summarize", seed("000"), "--minutes", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    sentences = data["sentences"]
    assert data["target"]["seconds"] == 60
    assert 51 <= data["total"]["seconds"] <= 60
    assert data["total"]["sentences"] == len(sentences) > 2
    assert abs(sum(s["seconds"] for s in sentences) - data["total"]["seconds"]) < 0.2
    assert sum(s["syllables"] for s in sentences) == data["total"]["syllables"]
    assert [s["index"] for s in sentences] == sorted(s["index"] for s in sentences)
    assert sentences[0]["index"] == 0 and "239/QĐ-UBND" in sentences[0]["text"]
    assert all(isinstance(s["score"], float) for s in sentences)


def test_summarize_text_by_words(no_workspace) -> None:
    result = run("summarize", EXAMPLE, "--words", "60")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("Thực hiện Kế hoạch số 15/KH-UBND")
    body = " ".join(lines)
    assert len(body.replace("/", " ").replace("-", " ").split()) <= 70
    # The summary alone on stdout (issue 11); its counts go to stderr.
    assert not any(line.startswith("(") and "giây" in line for line in lines)
    assert "giây)" in result.stderr and "câu" in result.stderr


def test_script_json_has_framing_both_forms_topic_and_source(no_workspace) -> None:
    result = run("script", EXAMPLE, "--minutes", "1.5", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    roles = [s["role"] for s in data["sentences"]]
    assert roles[:2] == ["opening", "headline"] and roles[-1] == "closing"
    assert roles.count("body") >= 3
    assert data["sentences"][0]["written"].startswith("Đây là Đài truyền thanh xã.")
    assert "Chuyên mục Cải cách hành chính" in data["sentences"][0]["written"]
    assert data["topic"]["key"] == "chinh-quyen-so" and data["topic"]["guessed"] is True
    assert data["source"] == str(EXAMPLE)
    assert abs(data["estimated_seconds"] - 90) <= 0.15 * 90
    for sentence in data["sentences"]:
        assert sentence["written"] and sentence["spoken"]
        assert not any(ch.isdigit() for ch in sentence["spoken"]), sentence["spoken"]
    assert any(s["written"] != s["spoken"] for s in data["sentences"])


def test_script_topic_override_and_workspace_station(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    result = run(
        "-w", root, "script", EXAMPLE, "--topic", "thu-tuc", "--minutes", "1", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["topic"]["key"] == "thu-tuc" and data["topic"]["guessed"] is False
    assert "Đài truyền thanh xã Mường La" in data["sentences"][0]["written"]


def test_script_text_output(no_workspace) -> None:
    result = run("script", EXAMPLE, "--minutes", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Xã Mường La đẩy mạnh dịch vụ công trực tuyến năm 2026")
    assert "Lĩnh vực: xây dựng chính quyền điện tử, chính quyền số" in result.stdout
    assert "[opening]" in result.stdout and "[closing]" in result.stdout
    assert "(đọc:" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("summarize", "khong-co.txt"), "khong-co.txt"),
        (("script", "khong-co.txt"), "khong-co.txt"),
        (("summarize", str(EXAMPLE), "--minutes", "1", "--words", "50"), "--minutes hoặc --words"),
        (("summarize", str(EXAMPLE), "--minutes", "0"), "--minutes"),
        (("script", str(EXAMPLE), "--topic", "thể thao"), "thể thao"),
        (("script", str(EXAMPLE), "--minutes", "-1"), "--minutes"),
    ],
)
def test_bad_input_exits_2_with_one_message(
    no_workspace, args: tuple[str, ...], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_explicit_missing_workspace_is_an_error(tmp_path: Path) -> None:
    result = run("-w", tmp_path / "none", "summarize", EXAMPLE)
    assert result.exit_code == 2
    assert "station.toml" in result.stderr


def test_invalid_pace_setting_is_reported(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    toml = root / "station.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('pace = "voice"', 'pace = "x"'))
    result = run("-w", root, "script", EXAMPLE)
    assert result.exit_code == 2
    assert "pace" in result.stderr


def test_migration_2_and_save_production_store_the_topic(tmp_path: Path) -> None:
    db_path = tmp_path / "broadcast.db"
    with Database(db_path) as db:
        assert db.schema_version() >= 2
        script = Script(
            title="Tin",
            language="vi",
            sentences=(ScriptSentence(Role.BODY, "Một câu.", "Một câu."),),
            target_minutes=1,
            estimated_seconds=5,
            topic=Topic.PUBLIC_FINANCE,
        )
        records.save_production(
            db,
            article=read_article(EXAMPLE),
            script=script,
            slug="tin",
            timings=[(0.0, 1.0)],
            renders=[],
        )
        assert records.script_topic(db, "tin") is Topic.PUBLIC_FINANCE
        records.set_script_topic(db, "tin", Topic.CIVIL_SERVICE)
        assert records.script_topic(db, "tin") is Topic.CIVIL_SERVICE
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT topic FROM scripts").fetchone()[0] == "cong-vu"


def test_a_version_1_database_gains_the_topic_column(tmp_path: Path) -> None:
    from broadcast.store import db as dbmodule

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT '')"
    )
    version, name, first = dbmodule.MIGRATIONS[0]
    first(conn)
    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name))
    conn.commit()
    conn.close()
    with Database(path) as db:
        columns = {row[1] for row in db.conn.execute("PRAGMA table_info(scripts)")}
        assert "topic" in columns and db.schema_version() >= 2


def test_produce_stores_the_guessed_topic(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    result = run("-w", root, "produce", EXAMPLE, "--minutes", "0.5", "--at", "2026-11-24 05:00")
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(root / "broadcast.db")
    assert conn.execute("SELECT topic FROM scripts").fetchone()[0] == "chinh-quyen-so"


def test_script_warns_but_prints_when_diacritics_are_missing(seed, no_workspace) -> None:
    """Seed 002 lost its tone marks: a preview still prints, with the reason on stderr."""
    result = run("script", seed("002"), "--minutes", "1")
    assert result.exit_code == 0, result.output
    assert "Cảnh báo" in result.stderr and "dấu" in result.stderr
    assert result.stdout.strip()
    clean = run("script", EXAMPLE, "--minutes", "1")
    assert "Cảnh báo" not in clean.stderr
