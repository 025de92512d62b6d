"""Drafts aligned with the script, each segment labelled with where its text came from.

Target strings are OBVIOUSLY SYNTHETIC ("‹blt› XX …", "ZZ-term", Tai Viet code points picked
arbitrarily): no Thái or Mông is invented.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run
from review_fixtures import SENTENCES, TAVT, save, workspace

from broadcast.languages import registry
from broadcast.store.translations import load_translation
from broadcast.translate import memory, termbase
from broadcast.translate.values import Term, TermStatus

TERM_TARGET = "‹blt› ZZ-term"  # synthetic approved target of 'cải cách hành chính'


def add_term(db: object, term: str, target: str, language: str = "blt") -> None:
    languages = termbase.StationLanguages(codes=("vi", "blt", "hmn"), registry=registry())
    termbase.add_term(
        db,  # type: ignore[arg-type]
        Term(term=term, language=language, target=target, status=TermStatus.APPROVED),
        languages,
    )


@pytest.fixture
def drafted(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    with ws.open_db() as db:
        add_term(db, "cải cách hành chính", TERM_TARGET)
        add_term(db, "hồ sơ", "‹blt› ZZ-HS")
        # exact (no previous sentence), in context, and fuzzy matches in the memory
        memory.add(db, SENTENCES[0][1], f"‹blt› XX opening {TAVT}.", "blt")
        memory.add(
            db, SENTENCES[3][1], "‹blt› XX UBND ‹blt› ZZ-HS.", "blt", previous=SENTENCES[2][1]
        )
        memory.add(
            db,
            "Cán bộ một cửa hỗ trợ bà con kê khai hồ sơ tại xã và thị trấn.",
            "‹blt› XX fuzzy ‹blt› ZZ-HS.",
            "blt",
        )
    result = run("-w", ws.root, "translate", saved.slug, "--to", "blt,hmn")
    assert result.exit_code == 0, result.stderr
    yield ws.root, saved.slug


def test_draft_segments_say_where_their_text_came_from(drafted: tuple[Path, str]) -> None:
    root, slug = drafted
    conn = sqlite3.connect(root / "broadcast.db")
    rows = conn.execute(
        "SELECT g.position, g.source, g.target, g.origin, g.score, g.state FROM segments g"
        " JOIN translations t ON t.id = g.translation_id WHERE t.language = 'blt'"
        " ORDER BY g.position"
    ).fetchall()
    conn.close()
    # one segment per script sentence, same order, same Vietnamese text (framing included)
    assert [r[1] for r in rows] == [text for _role, text in SENTENCES]
    origins = [(r[3], r[4]) for r in rows]
    assert origins[0] == ("tm-exact", 100.0)
    assert rows[0][2] == f"‹blt› XX opening {TAVT}."  # Tai Viet unchanged from the memory
    assert origins[1] == ("glossary", None)  # the headline is one approved term
    assert rows[1][2] == TERM_TARGET
    assert origins[2] == ("empty", None) and rows[2][2] == ""
    assert origins[3][0] == "tm-in-context"
    assert origins[4][0] == "tm-fuzzy" and 70 <= origins[4][1] < 100
    assert origins[5] == ("empty", None)
    assert {r[5] for r in rows} == {"draft"}


def test_draft_lists_terms_with_approved_targets(drafted: tuple[Path, str]) -> None:
    root, slug = drafted
    result = run("-w", root, "review", "show", slug, "--lang", "blt")
    assert result.exit_code == 0, result.stderr
    assert "bộ nhớ: gần đúng" in result.output
    assert "bộ nhớ: khớp cả ngữ cảnh" in result.output
    assert "thuật ngữ: hồ sơ = ‹blt› ZZ-HS" in result.output
    assert "Chưa có bản dịch." in result.output  # QA on the empty segments
    with workspace_db(root) as db:
        translation = load_translation(db, 1, "blt")
        terms = {t.source: t.target for s in translation.segments for t in s.terms}
        assert terms == {"cải cách hành chính": TERM_TARGET, "hồ sơ": "‹blt› ZZ-HS"}
        # hmn has no memory or terms: every segment is left to the translator
        hmn = load_translation(db, 1, "hmn")
        assert {s.origin for s in hmn.segments} == {"empty"}


def workspace_db(root: Path):  # type: ignore[no-untyped-def]
    from broadcast.store.db import Database

    return Database(root / "broadcast.db")


def test_second_draft_of_a_language_is_refused(drafted: tuple[Path, str]) -> None:
    root, slug = drafted
    result = run("-w", root, "translate", slug, "--to", "blt")
    assert result.exit_code == 2
    assert "đã có bản dịch" in result.stderr


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("th", "blt"),
        ("xx", "Không biết mã ngôn ngữ"),
        ("tyz", "chưa khai báo"),
        ("vi", "khác tiếng Việt"),
        ("blt,th", "Thái Lan"),
    ],
)
def test_bad_target_languages_are_refused_and_nothing_written(
    tmp_path: Path, to: str, message: str
) -> None:
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    result = run("-w", ws.root, "translate", saved.slug, "--to", to)
    assert result.exit_code == 2
    assert message in result.stderr
    conn = sqlite3.connect(ws.root / "broadcast.db")
    assert conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == 0
    conn.close()


def test_unknown_script_is_refused(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    result = run("-w", ws.root, "translate", "khong-co", "--to", "blt")
    assert result.exit_code == 2
    assert "Không có kịch bản 'khong-co'" in result.stderr


def test_named_engine_without_model_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    result = run("-w", ws.root, "translate", saved.slug, "--to", "blt", "--engine", "argos")
    assert result.exit_code != 0
    assert "argos" in result.stderr
    conn = sqlite3.connect(ws.root / "broadcast.db")
    assert conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == 0
    conn.close()


def test_script_save_stores_a_script_without_audio(tmp_path: Path, seed) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(tmp_path / "ws")
    result = run("-w", ws.root, "script", seed("000"), "--minutes", "1", "--save")
    assert result.exit_code == 0, result.stderr
    assert "Đã lưu kịch bản" in result.stderr
    conn = sqlite3.connect(ws.root / "broadcast.db")
    assert conn.execute("SELECT COUNT(*) FROM renders").fetchone()[0] == 0
    roles = [r[0] for r in conn.execute("SELECT role FROM sentences ORDER BY position")]
    assert roles[0] == "opening" and roles[-1] == "closing"
    conn.close()
    assert not any((ws.root / "out").iterdir())
