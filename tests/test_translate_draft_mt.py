"""Drafts through the real argos path: a tiny random-weight ``.argosmodel`` (built by
tests/argos_model.py, never downloaded, never mocked) fills the segments the memory cannot,
and an approved glossary term reaches the draft exactly.

The pair vi -> blt here is a TEST model: its output is garbage and nothing is Thái. The
approved term target is OBVIOUSLY SYNTHETIC.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from argos_model import build_argosmodel
from helpers import run
from review_fixtures import SENTENCES, save, workspace

from broadcast.languages import registry
from broadcast.store.translations import load_translation
from broadcast.translate import memory, termbase
from broadcast.translate.values import Term, TermStatus

TERM_TARGET = "‹blt› ZZ-HS-02"  # synthetic approved target of 'hồ sơ'


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any internet connection attempt fails the test."""
    attempts: list[object] = []
    real = socket.socket.connect

    def guard(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            raise OSError("network blocked by the test")
        real(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guard)
    yield
    assert attempts == []


def test_mt_fills_what_memory_cannot_and_keeps_terms(tmp_path: Path) -> None:
    package = build_argosmodel(tmp_path / "model" / "vi_blt.argosmodel")
    ws = workspace(tmp_path / "ws")
    installed = run("-w", ws.root, "mt", "install", package)
    assert installed.exit_code == 0, installed.stderr
    saved = save(ws)
    with ws.open_db() as db:
        termbase.add_term(
            db,
            Term(term="hồ sơ", language="blt", target=TERM_TARGET, status=TermStatus.APPROVED),
            termbase.StationLanguages(codes=("vi", "blt", "hmn"), registry=registry()),
        )
        memory.add(db, SENTENCES[0][1], "‹blt› XX opening ZZ ZZ.", "blt")

    result = run("-w", ws.root, "translate", saved.slug, "--to", "blt", "--engine", "argos")
    assert result.exit_code == 0, result.stderr
    assert "máy dịch argos" in result.output
    with ws.open_db() as db:
        segments = load_translation(db, saved.id, "blt").segments
    assert segments[0].origin == "tm-exact"
    assert {s.origin for s in segments[1:]} == {"mt:argos"}
    assert all(s.target.strip() for s in segments)
    # 'hồ sơ' is in sentences 3 and 4: its approved target is in both drafts, verbatim.
    for position in (3, 4):
        assert TERM_TARGET in segments[position].target
        assert [t.target for t in segments[position].terms] == [TERM_TARGET]
    # the default engine is used without being named once a model is installed (hmn: none)
    more = run("-w", ws.root, "translate", saved.slug, "--to", "hmn")
    assert more.exit_code == 0, more.stderr
    with ws.open_db() as db:
        assert {s.origin for s in load_translation(db, saved.id, "hmn").segments} == {"empty"}
