"""The term base: validation, conflicts reported not merged, and finding terms in text.

Every target string is OBVIOUSLY SYNTHETIC ('‹blt› ZZ-...', 'XX hmn test ...', arbitrary
Tai Viet code points): no Thái or Mông is invented here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import make_workspace, open_db, raw_sql

from broadcast.errors import InputError
from broadcast.store.db import Database
from broadcast.store.workspace import find_workspace
from broadcast.translate.termbase import (
    StationLanguages,
    TermConflictError,
    add_term,
    find_terms,
    import_terms,
    list_terms,
)
from broadcast.translate.values import Term, TermStatus

A = TermStatus.APPROVED
P = TermStatus.PROPOSED
pytestmark = pytest.mark.backends

TAVT = "\uaa80\uaa81\uaa82"  # synthetic Tai Viet code points


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


@pytest.fixture()
def db(ws: Path) -> Iterator[Database]:
    with open_db(ws) as database:
        yield database


@pytest.fixture()
def langs(ws: Path) -> StationLanguages:
    return StationLanguages.of(find_workspace(ws).station)


def count_terms(ws: Path) -> tuple[int, int]:
    conn = raw_sql(ws)
    try:
        terms = conn.execute("SELECT COUNT(*) FROM terms").fetchone()[0]
        forbidden = conn.execute("SELECT COUNT(*) FROM term_forbidden").fetchone()[0]
        return terms, forbidden
    finally:
        conn.close()


def t(term: str, target: str, language: str = "blt", status: TermStatus = A, **kw) -> Term:
    return Term(term=term, language=language, target=target, status=status, **kw)


def test_find_terms_longest_first_case_insensitive_at_word_boundaries(
    db: Database, langs: StationLanguages
) -> None:
    import_terms(
        db,
        [
            t("ủy ban nhân dân", "‹blt› ZZ-UB-01"),
            t("Ủy ban nhân dân xã", "‹blt› ZZ-UBX-02", forbidden=("‹blt› ZZ-bad",)),
            t("xã", "‹blt› ZZ-XA-03", status=P),
            t("CCHC", f"‹blt› {TAVT}"),
            t("CCHC", "XX hmn test 1", language="hmn"),
        ],
        langs,
    )
    text = "ỦY BAN NHÂN DÂN  xã Mường La và ủy ban nhân dân tỉnh bàn về CCHC; xãhội, CCHC-2026."
    hits = find_terms(db, text, "blt")
    found = [(text[h.start : h.end], h.source, h.target, h.status) for h in hits]
    assert found == [
        ("ỦY BAN NHÂN DÂN  xã", "Ủy ban nhân dân xã", "‹blt› ZZ-UBX-02", "approved"),
        ("ủy ban nhân dân", "ủy ban nhân dân", "‹blt› ZZ-UB-01", "approved"),
        ("CCHC", "CCHC", f"‹blt› {TAVT}", "approved"),
        ("CCHC", "CCHC", f"‹blt› {TAVT}", "approved"),
    ]  # 'xãhội' is not the word 'xã'; 'xã' inside the longer term is not found again
    assert hits[0].forbidden == ("‹blt› ZZ-bad",)
    proposed = find_terms(db, "Cán bộ xã.", "blt")
    assert [(h.source, h.target, h.status, h.proposed) for h in proposed] == [
        ("xã", None, "proposed", ("‹blt› ZZ-XA-03",))
    ]
    assert [h.target for h in find_terms(db, text, "hmn")] == ["XX hmn test 1"] * 2
    assert find_terms(db, text, "twh") == []


def test_conflict_with_database_is_reported_and_nothing_written(
    ws: Path, db: Database, langs: StationLanguages
) -> None:
    import_terms(db, [t("UBND", "‹blt› ZZ-UBND-01")], langs)
    before = count_terms(ws)
    rows = [
        t("TTHC", "‹blt› ZZ-TTHC-01", where="tệp, dòng 2"),
        t("ubnd", "‹blt› ZZ-UBND-99", where="tệp, dòng 3"),
    ]
    with pytest.raises(TermConflictError) as caught:
        import_terms(db, rows, langs)
    (conflict,) = caught.value.conflicts
    assert conflict.language == "blt"
    assert set(conflict.targets) == {"‹blt› ZZ-UBND-01", "‹blt› ZZ-UBND-99"}
    assert set(conflict.places) == {"cơ sở dữ liệu", "tệp, dòng 3"}
    assert "ZZ-UBND-99" in caught.value.message and "dòng 3" in caught.value.message
    assert count_terms(ws) == before  # TTHC, valid, was not imported either


def test_conflict_within_one_file(ws: Path, db: Database, langs: StationLanguages) -> None:
    rows = [
        t("hồ sơ", "‹blt› ZZ-HS-01", where="dòng 2"),
        t("Hồ sơ", "‹blt› ZZ-HS-02", where="dòng 5"),
        t("hồ sơ", "XX hmn test 2", language="hmn", where="dòng 6"),
    ]
    with pytest.raises(TermConflictError) as caught:
        import_terms(db, rows, langs)
    assert [(c.language, c.places) for c in caught.value.conflicts] == [
        ("blt", ("dòng 2", "dòng 5"))
    ]
    assert count_terms(ws) == (0, 0)


def test_a_file_may_move_the_approval_by_listing_both_targets(
    db: Database, langs: StationLanguages
) -> None:
    import_terms(db, [t("một cửa", "‹blt› ZZ-MC-01")], langs)
    summary = import_terms(
        db, [t("một cửa", "‹blt› ZZ-MC-01", status=P), t("một cửa", "‹blt› ZZ-MC-02")], langs
    )
    assert (summary.added, summary.updated) == (1, 1)
    assert {(x.target, x.status) for x in list_terms(db, "blt")} == {
        ("‹blt› ZZ-MC-01", P),
        ("‹blt› ZZ-MC-02", A),
    }


def test_add_refuses_a_second_approved_target_unless_replacing(
    db: Database, langs: StationLanguages
) -> None:
    add_term(db, t("dịch vụ công", "‹blt› ZZ-DVC-01"), langs)
    with pytest.raises(TermConflictError):
        add_term(db, t("dịch vụ công", "‹blt› ZZ-DVC-02"), langs)
    add_term(db, t("dịch vụ công", "‹blt› ZZ-DVC-02"), langs, replace_approved=True)
    assert [h.target for h in find_terms(db, "Dịch vụ công trực tuyến", "blt")] == [
        "‹blt› ZZ-DVC-02"
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (t("UBND", "‹x› 1", language="th"), "twh"),
        (t("UBND", "‹x› 1", language="zz"), "Không biết mã ngôn ngữ zz"),
        (t("UBND", "XX 1", language="tyz"), "không phải ngôn ngữ của đài"),
        (t("UBND", "XX 1", language="vi"), "ngôn ngữ nguồn"),
        (t("UBND", f"XX hmn {TAVT}", language="hmn"), "Thái Việt"),
        (t("UBND", "ภาษา", language="blt"), "Thái Lan"),
        (t("UBND", "‹blt› ok", forbidden=("ภาษา",)), "Thái Lan"),
        (t(TAVT, "‹blt› 1"), "không phải chữ tiếng Việt"),
        (t("UBND", "  "), "thiếu"),
        (t("—", "‹blt› 1"), "không có chữ hay số"),
        (t("UBND", "‹blt› a\x07b"), "ký tự điều khiển"),
        (t("UBND", "‹blt› 1", forbidden=("‹blt› 1",)), "biến thể bị cấm"),
    ],
)
def test_bad_rows_import_nothing(
    ws: Path, db: Database, langs: StationLanguages, row: Term, message: str
) -> None:
    good = t("TTHC", "‹blt› ZZ-TTHC-01")
    with pytest.raises(InputError, match=message):
        import_terms(db, [good, row], langs)
    assert count_terms(ws) == (0, 0)


def test_same_target_with_two_statuses_in_one_file_is_refused(
    ws: Path, db: Database, langs: StationLanguages
) -> None:
    rows = [t("UBND", "‹blt› 1", where="dòng 2"), t("UBND", "‹blt› 1", status=P, where="dòng 4")]
    with pytest.raises(InputError, match="dòng 4"):
        import_terms(db, rows, langs)
    assert count_terms(ws) == (0, 0)


def test_tai_viet_targets_are_stored_byte_identical(db: Database, langs: StationLanguages) -> None:
    target = f"{TAVT} \uaab5\uaac1 ‹blt› 7"  # synthetic
    import_terms(db, [t("phường", target)], langs)
    (stored,) = list_terms(db, "blt")
    assert stored.target.encode("utf-8") == target.encode("utf-8")


def test_find_terms_sees_every_change_of_the_term_base(
    ws: Path, db: Database, langs: StationLanguages
) -> None:
    text = "Hồ sơ nộp tại bộ phận một cửa."
    assert find_terms(db, text, "blt") == []
    add_term(db, t("một cửa", "‹blt› ZZ-MC-01", status=P), langs)
    assert [(h.source, h.target) for h in find_terms(db, text, "blt")] == [("một cửa", None)]
    add_term(db, t("một cửa", "‹blt› ZZ-MC-01"), langs)  # now approved
    add_term(db, t("hồ sơ", "‹blt› ZZ-HS-01"), langs)
    hits = find_terms(db, text, "blt")
    assert [(h.start, h.target) for h in hits] == [(0, "‹blt› ZZ-HS-01"), (22, "‹blt› ZZ-MC-01")]
    # A change written by another connection (another process) is seen too.
    other = raw_sql(ws)
    other.execute(
        "INSERT INTO term_forbidden (term_key, language, variant)"
        " VALUES ('một cửa', 'blt', '‹blt› ZZ-no')"
    )
    other.commit()
    other.close()
    assert find_terms(db, text, "blt")[1].forbidden == ("‹blt› ZZ-no",)
