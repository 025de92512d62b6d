"""Translation memory: exact, in-context and fuzzy matches, scores, and the prefilter.

Targets are OBVIOUSLY SYNTHETIC ('‹blt› ZZ-TM-n', 'XX hmn test n', Tai Viet code points
U+AA80–U+AADF): no Thái or Mông is invented here.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import make_workspace, open_db, raw_sql
from rapidfuzz import fuzz, process

from broadcast.errors import InputError
from broadcast.languages import registry
from broadcast.store.db import Database
from broadcast.translate import memory
from broadcast.translate.termbase import StationLanguages
from broadcast.translate.tmindex import index_for, length_window
from broadcast.translate.values import TMUnit

pytestmark = pytest.mark.backends

S1 = "Ủy ban nhân dân xã thông báo lịch tiếp công dân trong tháng ba."
S0 = "Kính thưa bà con."


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    root = make_workspace(tmp_path / "ws")
    with open_db(root) as database:
        yield database


def test_exact_in_context_and_fuzzy_are_ranked_and_scored(db: Database) -> None:
    assert memory.add(db, S1, "‹blt› ZZ-TM-1", "blt", previous="Một câu khác.")
    assert memory.add(db, S1, "‹blt› ZZ-TM-2", "blt", previous=S0)
    assert not memory.add(db, S1, "‹blt› ZZ-TM-2", "blt", previous=S0)  # already stored
    near = S1.replace("tháng ba", "tháng tư")
    memory.add(db, near, "‹blt› ZZ-TM-3", "blt")

    matches = memory.lookup(db, S1, "blt", previous=S0)
    assert [(m.kind, m.score, m.target) for m in matches] == [
        ("in-context", 100.0, "‹blt› ZZ-TM-2"),
        ("exact", 100.0, "‹blt› ZZ-TM-1"),
        ("fuzzy", matches[2].score, "‹blt› ZZ-TM-3"),
    ]
    assert 85.0 <= matches[2].score < 100.0
    # Without a context there is no in-context match; the newest exact pair comes first.
    assert [m.kind for m in memory.lookup(db, S1, "blt")][:2] == ["exact", "exact"]
    assert memory.lookup(db, S1, "blt")[0].target == "‹blt› ZZ-TM-2"
    assert memory.lookup(db, S1, "blt", limit=1)[0].kind == "exact"
    assert memory.lookup(db, S1, "hmn") == []


def test_fuzzy_scores_fall_with_the_size_of_the_edit(db: Database) -> None:
    memory.add(db, S1, "‹blt› ZZ-TM-1", "blt")
    one_word = S1.replace("lịch", "kế hoạch")
    case_only = S1.replace("Ủy ban", "ỦY BAN")
    rewritten = "Bà con đến nhà văn hóa xã để nghe phổ biến thủ tục."
    (m1,) = memory.lookup(db, one_word, "blt")
    (m2,) = memory.lookup(db, case_only, "blt")
    assert m1.kind == m2.kind == "fuzzy"
    assert 85.0 <= m1.score <= 96.0
    assert m1.score == pytest.approx(fuzz.ratio(one_word.casefold(), S1.casefold()), abs=0.05)
    assert m2.score == 99.9  # capitals only: above any real edit, never 100
    assert memory.lookup(db, rewritten, "blt") == []  # below the 70 % floor
    low = memory.lookup(db, rewritten, "blt", min_score=10)
    assert len(low) == 1 and low[0].score < 70


def test_matches_are_one_per_target_and_limited(db: Database) -> None:
    for i in range(6):
        memory.add(db, f"{S1[:-1]} số {i}.", f"‹blt› ZZ-TM-{i % 2}", "blt")
    matches = memory.lookup(db, f"{S1[:-1]} số 9.", "blt", limit=5)
    assert sorted(m.target for m in matches) == ["‹blt› ZZ-TM-0", "‹blt› ZZ-TM-1"]
    assert all(90 < m.score < 100 for m in matches)


def test_index_follows_new_and_deleted_rows(db: Database) -> None:
    memory.add(db, S1, "‹blt› ZZ-TM-1", "blt")
    query = S1.replace("tháng ba", "tháng năm")
    assert memory.lookup(db, query, "blt")[0].target == "‹blt› ZZ-TM-1"
    # memory.add shares its pair with the province on a province server, which is its own
    # layer of the memory there (tmindex); a SQLite file keeps it as the station's.
    layer = "station" if db.dialect == "sqlite" else "province"
    built = index_for(db, "blt", layer)
    memory.add(db, S1.replace("tháng ba", "tháng năm này"), "‹blt› ZZ-TM-2", "blt")
    assert memory.lookup(db, query, "blt")[0].target == "‹blt› ZZ-TM-2"
    assert index_for(db, "blt", layer) is built and len(built) == 2  # extended, not rebuilt
    # A pair deleted behind the index's back (another process) is never returned.
    other = raw_sql(db)
    other.execute("DELETE FROM tm_segments WHERE target = '‹blt› ZZ-TM-2'")
    other.commit()
    other.close()
    assert [m.target for m in memory.lookup(db, query, "blt")] == ["‹blt› ZZ-TM-1"]
    assert index_for(db, "blt", layer) is not built and len(index_for(db, "blt", layer)) == 1
    with pytest.raises(sqlite3.DatabaseError, match="never updated"):
        db.conn.execute("UPDATE tm_segments SET target = 'x'")


def test_prefilter_finds_the_brute_force_best_match(db: Database) -> None:
    """On a random memory the prefiltered lookup's best score equals a full rapidfuzz scan."""
    rng = random.Random(3)
    extra = "hồ sơ thủ tục hành chính cán bộ một cửa điện tử"
    words = S1[:-1].lower().split() + extra.split()
    sentences = (
        " ".join(rng.choice(words) for _ in range(rng.randint(6, 18))).capitalize() + "."
        for _ in range(1500)
    )
    sources = list(dict.fromkeys(sentences))
    units = [
        TMUnit(source=s, target=f"‹blt› ZZ-TM-{i}", language="blt") for i, s in enumerate(sources)
    ]
    memory.import_units(db, units, StationLanguages(codes=("vi", "blt"), registry=registry()))
    folded = [s.casefold() for s in sources]
    agree = 0
    for _ in range(40):
        words_of = rng.choice(sources)[:-1].split()
        words_of[rng.randrange(len(words_of))] = rng.choice(words)
        query = " ".join(words_of) + "."
        ours = memory.lookup(db, query, "blt", limit=1)
        brute = process.extractOne(query.casefold(), folded, scorer=fuzz.ratio)
        if ours and ours[0].kind != "fuzzy":
            agree += brute[1] == 100.0
        else:
            agree += bool(ours) and abs(ours[0].score - min(round(brute[1], 1), 99.9)) < 0.05
    assert agree >= 38


def test_length_window_bounds_the_ratio() -> None:
    low, high = length_window(100, 70)
    assert low == pytest.approx(53.85, abs=0.01) and high == pytest.approx(185.71, abs=0.01)
    a = "x" * 100
    assert fuzz.ratio(a, "x" * 53) < 70 <= fuzz.ratio(a, "x" * 54)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((S1, "‹blt› 1", "th"), "không dùng được"),
        ((S1, "‹blt› 1", "vi"), "không dùng được"),
        ((S1, "   ", "blt"), "trống"),
        ((S1, "XX hmn \uaa80\uaa81", "hmn"), "Thái Việt"),
        (("\uaa80\uaa81", "‹blt› 1", "blt"), "không phải chữ tiếng Việt"),
        ((S1, "‹blt› \x00", "blt"), "điều khiển"),
    ],
)
def test_add_refuses_bad_pairs(db: Database, args: tuple[str, str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        memory.add(db, *args)
    assert db.conn.execute("SELECT COUNT(*) FROM tm_segments").fetchone()[0] == 0


def test_tai_viet_targets_come_back_byte_identical(db: Database) -> None:
    target = "\uaa80\uaab5\uaa9b\uaac1 \uaa8d ‹blt› 12"  # synthetic
    memory.add(db, S1, target, "blt")
    (match,) = memory.lookup(db, S1, "blt")
    assert match.target.encode("utf-8") == target.encode("utf-8")
