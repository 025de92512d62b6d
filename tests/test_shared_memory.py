"""The province's shared translation memory and term base (issue 16, item 3).

On a province server (PostgreSQL) a pair approved in one station is offered to every other,
labelled with the station and the approver; a station's own pairs and terms come first and
its own approved term overrides the province's; a station that does not share keeps its
approvals to itself, and a station's own entries are never seen by another. On SQLite (one
station) every entry stays the station's own, as before, with the approver recorded.

Targets are OBVIOUSLY SYNTHETIC ('‹blt› ZZ …'): no Thái or Mông is invented here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import make_workspace, open_db, raw_sql, run
from schedule_fixtures import add_script
from station_fixtures import (
    A_SLUG,
    B_ADMIN,
    B_NAME,
    PROVINCE_ADMIN,
    TemplateFactory,
    add_station_b,
    database_url,
    province_database,
    superuser_rows,
)

from broadcast.model.review import DraftSegment
from broadcast.review import workflow
from broadcast.store import translations
from broadcast.store.db import Database
from broadcast.store.workspace import DATABASE_URL_VAR
from broadcast.translate import memory
from broadcast.translate.termbase import find_terms

S1 = "Ủy ban nhân dân xã thông báo lịch tiếp công dân trong tháng ba."
S2 = "Bà con mang theo căn cước công dân khi đến làm thủ tục."
S3 = "Người dân có thể nộp hồ sơ trực tuyến trên cổng dịch vụ công."
FUZZY = "Trạm y tế xã tiêm vắc xin cho trẻ em vào sáng thứ hai hằng tuần."


def _approve(
    db: Database,
    slug: str,
    pairs: list[tuple[str, str]],
    *,
    by: str = "lan",
    share: bool = True,
) -> None:
    """A script with a translation of ``pairs`` (source, target), every segment approved by
    ``by`` through the review workflow (QA, the memory)."""
    script_id = add_script(db, slug, approve=False)
    drafts = [
        DraftSegment(position, source, target, "editor")
        for position, (source, target) in enumerate(pairs)
    ]
    translations.create_translation(
        db, script_id=script_id, language="blt", engine=None, segments=drafts, actor="dich"
    )
    workflow.approve(db, script_id, "blt", None, by=by, role="reviewer", share_with_province=share)


def _tmx(path: Path, pairs: list[tuple[str, str]]) -> Path:
    units = "".join(
        f'<tu><tuv xml:lang="vi"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="blt"><seg>{target}</seg></tuv></tu>'
        for source, target in pairs
    )
    path.write_text(
        f'<tmx version="1.4"><header srclang="vi"/><body>{units}</body></tmx>', encoding="utf-8"
    )
    return path


# -- Both stores ------------------------------------------------------------------------------


@pytest.mark.backends
def test_an_approval_records_its_station_and_approver(tmp_path: Path, store_backend: str) -> None:
    root = make_workspace(tmp_path / "ws")
    with open_db(root) as db:
        _approve(db, "tin-a", [(S1, "‹blt› ZZ 1"), (S2, "‹blt› ZZ 2")], by="lan")
        [match] = memory.lookup(db, S2, "blt", previous=S1, limit=1)
        assert (match.kind, match.target) == ("in-context", "‹blt› ZZ 2")
        # The station's own approval, wherever it is kept, is 'this station' to itself.
        assert match.provenance.label == "trạm này" and not match.provenance.province
    raw = raw_sql(root)
    rows = raw.execute(
        "SELECT station_id, from_station, created_by FROM tm_segments ORDER BY id"
    ).fetchall()
    raw.close()
    # SQLite: one station, pairs stay its own (station 1); PostgreSQL: the province's.
    layer = 1 if store_backend == "sqlite" else None
    assert [tuple(r) for r in rows] == [(layer, 1, "lan"), (layer, 1, "lan")]


def test_province_layer_is_refused_on_sqlite(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    file = _tmx(tmp_path / "a.tmx", [(S1, "‹blt› ZZ 1")])
    refused = run("-w", root, "tm", "import", file, "--toan-tinh")
    assert refused.exit_code == 2
    assert "chỉ có trên máy chủ của tỉnh" in refused.stderr
    term = run("-w", root, "glossary", "add", "một cửa", "‹blt› ZZ MC", "-l", "blt", "--toan-tinh")
    assert term.exit_code == 2 and "--toan-tinh" in term.stderr
    with open_db(root) as db:
        assert memory.lookup(db, S1, "blt") == []
    # Without it, the station's own import, labelled as such.
    assert run("-w", root, "tm", "import", file).exit_code == 0
    shown = run("-w", root, "tm", "lookup", S1, "-l", "blt")
    assert shown.exit_code == 0 and "(trạm này)" in shown.stdout


# -- Two stations of one province (PostgreSQL) -------------------------------------------------


@dataclass(frozen=True)
class Province:
    url: str
    a: Path
    b: Path
    a_name: str


@pytest.fixture(scope="module")
def _province(
    pg_template: TemplateFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Province]:
    with province_database(pg_template, "shared_memory") as url:
        with database_url(url):
            a = make_workspace(tmp_path_factory.mktemp("tinh") / A_SLUG)
            b = add_station_b(a)
        [(name,)] = superuser_rows(url, "SELECT name FROM stations WHERE slug = %s", (A_SLUG,))
        yield Province(url, a, b, str(name))


@pytest.fixture
def province(_province: Province, monkeypatch: pytest.MonkeyPatch) -> Province:
    monkeypatch.setenv(DATABASE_URL_VAR, _province.url)
    return _province


@pytest.mark.postgres
def test_an_approval_in_a_is_offered_in_b_and_b_s_own_pair_ranks_first(
    province: Province,
) -> None:
    with open_db(province.a) as a:
        _approve(a, "tin-chung", [(S1, "‹blt› ZZ A-1")], by="a.duyet")
    with open_db(province.b) as b:
        [match] = memory.lookup(b, S1, "blt")
        assert (match.kind, match.score, match.target) == ("exact", 100.0, "‹blt› ZZ A-1")
        assert match.provenance.label == f"tỉnh — {province.a_name}, a.duyet"
    shown = run("-w", province.b, "--as", B_ADMIN, "tm", "lookup", S1, "-l", "blt")
    assert shown.exit_code == 0, shown.stderr
    assert f"(tỉnh — {province.a_name}, a.duyet)" in shown.stdout

    # B's own pair for the same source (an import of B's) comes first in B; A, which never
    # sees B's own pairs, keeps its own.
    file = _tmx(province.b.parent / "b.tmx", [(S1, "‹blt› ZZ B-1")])
    imported = run("-w", province.b, "--as", B_ADMIN, "tm", "import", file)
    assert imported.exit_code == 0, imported.stderr
    with open_db(province.b) as b:
        found = memory.lookup(b, S1, "blt")
        assert [(m.target, m.provenance.label) for m in found] == [
            ("‹blt› ZZ B-1", "trạm này"),
            ("‹blt› ZZ A-1", f"tỉnh — {province.a_name}, a.duyet"),
        ]
    with open_db(province.a) as a:
        assert [m.target for m in memory.lookup(a, S1, "blt")] == ["‹blt› ZZ A-1"]

    # B's approval (sharing, the default) goes to the province: A sees it, labelled B.
    with open_db(province.b) as b:
        _approve(b, "tin-b", [(S3, "‹blt› ZZ B-3")], by="b.duyet")
    with open_db(province.a) as a:
        [match] = memory.lookup(a, S3, "blt")
        assert match.provenance.label == f"tỉnh — {B_NAME}, b.duyet"

    # Writing the province's memory by import takes a province role.
    refused = run("-w", province.b, "--as", B_ADMIN, "tm", "import", file, "--toan-tinh")
    assert refused.exit_code == 2 and "vai trò toàn tỉnh" in refused.stderr
    ok = run("-w", province.b, "--as", PROVINCE_ADMIN, "tm", "import", file, "--toan-tinh")
    assert ok.exit_code == 0, ok.stderr
    with open_db(province.a) as a:
        assert {m.target for m in memory.lookup(a, S1, "blt")} == {"‹blt› ZZ A-1", "‹blt› ZZ B-1"}


@pytest.mark.postgres
def test_equal_fuzzy_scores_rank_the_station_s_own_first(province: Province) -> None:
    near_a = FUZZY.replace("thứ hai", "thứ hay")
    near_b = FUZZY.replace("thứ hai", "thứ hao")
    with open_db(province.a) as a:
        _approve(a, "tin-mo", [(near_a, "‹blt› ZZ mờ A")], by="a.duyet")
    file = _tmx(province.b.parent / "mo.tmx", [(near_b, "‹blt› ZZ mờ B")])
    assert run("-w", province.b, "--as", B_ADMIN, "tm", "import", file).exit_code == 0
    with open_db(province.b) as b:
        found = memory.lookup(b, FUZZY, "blt")
    assert [m.kind for m in found] == ["fuzzy", "fuzzy"]
    assert found[0].score == found[1].score  # the same size of edit
    assert [m.target for m in found] == ["‹blt› ZZ mờ B", "‹blt› ZZ mờ A"]
    with open_db(province.a) as a:  # A's index is A's: B's own pair is not in it
        assert [m.target for m in memory.lookup(a, FUZZY, "blt")] == ["‹blt› ZZ mờ A"]


@pytest.mark.postgres
def test_a_station_that_does_not_share_keeps_its_approvals(province: Province) -> None:
    toml = province.a / "station.toml"
    before = toml.read_text(encoding="utf-8")
    toml.write_text(before + "\n[translation]\nshare_with_province = false\n", encoding="utf-8")
    try:
        with open_db(province.a) as a:
            script_id = add_script(a, "tin-rieng", approve=False)
            translations.create_translation(
                a,
                script_id=script_id,
                language="blt",
                engine=None,
                segments=[DraftSegment(0, S2, "‹blt› ZZ riêng A", "editor")],
                actor="dich",
            )
        approved = run(
            "-w",
            province.a,
            "--as",
            PROVINCE_ADMIN,
            "review",
            "approve",
            "tin-rieng",
            "--lang",
            "blt",
        )
        assert approved.exit_code == 0, approved.stderr
    finally:
        toml.write_text(before, encoding="utf-8")
    rows = superuser_rows(
        province.url,
        "SELECT t.station_id, s.slug, t.created_by FROM tm_segments t"
        " JOIN stations s ON s.id = t.station_id WHERE t.target = %s",
        ("‹blt› ZZ riêng A",),
    )
    assert [(r[1], r[2]) for r in rows] == [("xa-a", PROVINCE_ADMIN)]
    with open_db(province.a) as a:
        assert [m.provenance.label for m in memory.lookup(a, S2, "blt")] == ["trạm này"]
    with open_db(province.b) as b:
        assert memory.lookup(b, S2, "blt") == []


@pytest.mark.postgres
def test_b_s_own_approved_term_overrides_the_province_s(province: Province) -> None:
    text = "Bà con đến bộ phận một cửa của xã."
    shared = run(
        "-w", province.a, "--as", PROVINCE_ADMIN, "glossary", "add", "một cửa", "‹blt› ZZ MC tỉnh",
        "-l", "blt", "--status", "approved", "--toan-tinh",
    )  # fmt: skip
    assert shared.exit_code == 0, shared.stderr
    # A station's admin cannot write the province's term base.
    refused = run(
        "-w", province.b, "--as", B_ADMIN, "glossary", "add", "một cửa", "‹blt› ZZ MC x",
        "-l", "blt", "--toan-tinh",
    )  # fmt: skip
    assert refused.exit_code == 2 and "vai trò toàn tỉnh" in refused.stderr
    with open_db(province.b) as b:
        [hit] = find_terms(b, text, "blt")
        assert hit.target == "‹blt› ZZ MC tỉnh"
        assert hit.provenance.label == f"tỉnh — {province.a_name}, {PROVINCE_ADMIN}"
    # B's own approved target: no conflict with the province's, and it wins in B only.
    own = run(
        "-w", province.b, "--as", B_ADMIN, "glossary", "add", "một cửa", "‹blt› ZZ MC B",
        "-l", "blt", "--status", "approved",
    )  # fmt: skip
    assert own.exit_code == 0, own.stderr
    with open_db(province.b) as b:
        [hit] = find_terms(b, text, "blt")
        assert (hit.target, hit.provenance.label) == ("‹blt› ZZ MC B", "trạm này")
    with open_db(province.a) as a:
        [hit] = find_terms(a, text, "blt")
        assert hit.target == "‹blt› ZZ MC tỉnh"
    listed = run("-w", province.b, "--as", B_ADMIN, "glossary", "list", "-l", "blt")
    assert listed.exit_code == 0, listed.stderr
    lines = [line for line in listed.stdout.splitlines() if "một cửa" in line]
    assert len(lines) == 2 and "ZZ MC B" in lines[0] and "[tỉnh — " in lines[1]
    # An export is the term base as the station uses it: one approved target per term.
    exported = run("-w", province.b, "--as", B_ADMIN, "glossary", "export", "-", "-l", "blt")
    assert "ZZ MC B" in exported.stdout and "ZZ MC tỉnh" not in exported.stdout
    exported = run("-w", province.a, "--as", PROVINCE_ADMIN, "glossary", "export", "-")
    assert "ZZ MC tỉnh" in exported.stdout and "ZZ MC B" not in exported.stdout


@pytest.mark.postgres
def test_a_station_removes_only_its_own_pairs(province: Province) -> None:
    source = "Xã tổ chức họp dân về đường giao thông nông thôn vào tối nay."
    with open_db(province.a) as a:
        _approve(a, "tin-xoa", [(source, "‹blt› ZZ xoá A")], by="a.duyet")
    file = _tmx(province.b.parent / "xoa.tmx", [(source, "‹blt› ZZ xoá B")])
    assert run("-w", province.b, "--as", B_ADMIN, "tm", "import", file).exit_code == 0
    removed = run("-w", province.b, "--as", B_ADMIN, "tm", "remove", source, "-l", "blt")
    assert removed.exit_code == 0, removed.stderr
    assert "ZZ xoá B" in removed.stdout and "ZZ xoá A" not in removed.stdout
    with open_db(province.b) as b:  # the province's pair stays, for B as for everyone
        assert [m.target for m in memory.lookup(b, source, "blt")] == ["‹blt› ZZ xoá A"]
    refused = run(
        "-w", province.b, "--as", B_ADMIN, "tm", "remove", source, "-l", "blt", "--toan-tinh"
    )
    assert refused.exit_code == 2 and "vai trò toàn tỉnh" in refused.stderr
    # A, whose reviewer approved the shared pair, may take it back.
    taken = run("-w", province.a, "--as", PROVINCE_ADMIN, "tm", "remove", source, "-l", "blt")
    assert taken.exit_code == 0 and "ZZ xoá A" in taken.stdout, taken.stderr
    with open_db(province.b) as b:
        assert memory.lookup(b, source, "blt") == []


@pytest.mark.postgres
def test_a_draft_from_another_station_s_pair_says_whose_it_is(province: Province) -> None:
    body = "Người dân nộp hồ sơ trực tuyến."  # the second sentence of add_script's scripts
    with open_db(province.a) as a:
        _approve(a, "tin-nguon", [(body, "‹blt› ZZ HS A")], by="a.duyet")
    with open_db(province.b) as b:
        add_script(b, "tin-nhap", approve=False)
    drafted = run("-w", province.b, "--as", B_ADMIN, "translate", "tin-nhap", "--to", "blt")
    assert drafted.exit_code == 0, drafted.stderr
    shown = run("-w", province.b, "--as", B_ADMIN, "review", "show", "tin-nhap", "--lang", "blt")
    assert shown.exit_code == 0, shown.stderr
    assert f"bộ nhớ: khớp hoàn toàn (tỉnh — {province.a_name}, a.duyet)" in shown.stdout
    assert "‹blt› ZZ HS A" in shown.stdout


@pytest.mark.postgres
def test_another_station_s_own_pair_extends_this_station_s_index(province: Province) -> None:
    from broadcast.translate.tmindex import index_for

    with open_db(province.b) as b:
        built = index_for(b, "blt", "province")
        size = len(built)
    with open_db(province.a) as a:
        memory.add(a, "Câu riêng của xã A về chợ phiên.", "‹blt› ZZ riêng 2", "blt", share=False)
        memory.add(a, "Câu chung của xã A về chợ phiên.", "‹blt› ZZ chung 2", "blt")
    with open_db(province.b) as b:
        again = index_for(b, "blt", "province")
        # The change counter moved by two, B sees one new pair: counted, not rebuilt.
        assert again is built and len(again) == size + 1
        assert "Câu chung của xã A về chợ phiên." in again.sources
        assert "Câu riêng của xã A về chợ phiên." not in again.sources
        own_b = index_for(b, "blt", "station")
    with open_db(province.a) as a:
        # One index of the province's pairs serves every station (not one copy each); the
        # stations' own layers are theirs.
        assert index_for(a, "blt", "province") is again
        own_a = index_for(a, "blt", "station")
        assert "Câu riêng của xã A về chợ phiên." in own_a.sources
    assert own_a is not own_b
