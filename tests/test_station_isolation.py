"""Stations of one province server see nothing of each other (issue 16, item 2).

Station A (the first, made by ``init``) is given everything a commune makes: a script with
an approved translation and renders, a draft awaiting review, a schedule item and a plan,
an as-run log, a report, a term, a memory pair and its people. Station B is added by the
province admin. Then every query path B's admin has in the CLI (lists, a script by A's slug
or id, review, scheduling, planning, as-run, report, term base, memory, people) shows or
touches nothing of A, and A's people are refused in B's folder.

The proof does not rest on the domain code: the domain queries are unfiltered and row-level
security alone hides A (``broadcast/store/postgres_schema/m18_stations.sql``). So after every
test the rows of A, read as the superuser past row-level security, are exactly as built
(``station_fixtures.fingerprint``), and a store-level test sends what the domain never
would (a station's connection reading, updating and inserting rows of another station).

Scripts, renders and translations are stored through the store functions as the schedule
tests do (no audio made); translated texts are OBVIOUSLY SYNTHETIC ("‹blt› ZZ …").
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from helpers import run
from schedule_fixtures import add_render, add_script, open_db, translate
from station_fixtures import (
    A_SLUG,
    B_ADMIN,
    B_SLUG,
    PROVINCE_ADMIN,
    TemplateFactory,
    add_station_b,
    database_url,
    fingerprint,
    init_station_a,
    province_database,
    station_id,
    station_tables,
    superuser_rows,
)

from broadcast.store import schedule as schedule_store
from broadcast.store.db import Database, DatabaseRefusal
from broadcast.store.workspace import DATABASE_URL_VAR

pytestmark = pytest.mark.postgres

SLUG = "tin-a"  # A's script
TERM = ("một cửa liên thông", "‹blt› ZZ-THUAT-NGU-A")
TM_SOURCE, TM_TARGET = "Câu riêng của xã A.", "‹blt› ZZ-BO-NHO-A"
TMX = (
    '<tmx version="1.4"><header srclang="vi"/><body><tu>'
    f'<tuv xml:lang="vi"><seg>{TM_SOURCE}</seg></tuv>'
    f'<tuv xml:lang="blt"><seg>{TM_TARGET}</seg></tuv>'
    "</tu></body></tmx>"
)


@dataclass(frozen=True)
class Province:
    url: str
    a: Path
    b: Path
    a_id: int
    b_id: int
    script_id: int  # A's script
    render_id: int  # its Vietnamese render
    a_rows: dict[str, tuple[int, str]]  # A's rows when built (station_fixtures.fingerprint)


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


def _build_a(root: Path) -> tuple[int, int]:
    """Everything a commune makes, in station A; returns (script id, vi render id)."""
    with open_db(root) as db:  # a plain connection works for the first station, A
        script = add_script(db, SLUG, vi_seconds=90.0)
        translate(db, script, "blt", approve=True)
        add_render(db, script, "blt", 100.0)
        translate(db, script, "hmn", approve=False)  # a draft awaiting review
        render = schedule_store.latest_audio_renders(db, script)["vi"].render_id
    w = ("-w", root, "--as", PROVINCE_ADMIN)
    _ok(run(*w, "schedule", "add", SLUG, "--from", "2026-03-02", "--to", "2026-03-15"))
    _ok(run(*w, "schedule", "plan", "--from", "2026-03-02", "--days", "2"))
    log = root / "asrun.json"
    plays = [
        {
            "zone": "trung-tam",
            "start": "2026-03-02T06:00",
            "render": render,
            "duration": 90,
            "status": "played",
        }
    ]
    log.write_text(json.dumps(plays), encoding="utf-8")
    _ok(run(*w, "asrun", "import", log))
    _ok(run(*w, "report", "--period", "2026-Q1", "--date", "2026-04-05"))
    _ok(run(*w, "glossary", "add", *TERM, "-l", "blt", "--status", "approved"))
    (root / "a.tmx").write_text(TMX, encoding="utf-8")
    _ok(run(*w, "tm", "import", root / "a.tmx"))
    _ok(run(*w, "user", "add", "a.person", "--name", "Người xã A", "--role", "producer"))
    # A person of the province holding a role in A only (a province role given, then taken
    # back): seen in every station, working in none but A.
    province_reviewer = ("reviewer", "--lang", "blt", "--toan-tinh")
    _ok(run(*w, "user", "add", "p.tinh", "--name", "Người tỉnh", "--role", *province_reviewer))
    _ok(run(*w, "user", "grant", "p.tinh", "producer"))
    _ok(run(*w, "user", "revoke", "p.tinh", *province_reviewer))
    return script, render


@pytest.fixture(scope="module")
def _province(
    pg_template: TemplateFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Province]:
    with province_database(pg_template, "isolation") as url:
        with database_url(url):
            a = init_station_a(tmp_path_factory.mktemp("tinh") / A_SLUG, grid=True)
            script, render = _build_a(a)
            b = add_station_b(a)
        a_id, b_id = station_id(url, A_SLUG), station_id(url, B_SLUG)
        yield Province(url, a, b, a_id, b_id, script, render, fingerprint(url, a_id))


@pytest.fixture
def province(_province: Province, monkeypatch: pytest.MonkeyPatch) -> Iterator[Province]:
    """The module's province; after the test, A's rows must be exactly as built."""
    monkeypatch.setenv(DATABASE_URL_VAR, _province.url)
    yield _province
    assert fingerprint(_province.url, _province.a_id) == _province.a_rows


def in_b(p: Province, *args: str | Path) -> Result:
    """A command in B's folder as B's admin."""
    return run("-w", p.b, "--as", B_ADMIN, *args)


def not_found(result: Result, *words: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    message = result.stderr.strip()
    assert message.startswith("Lỗi: ") and "\n" not in message, message
    for word in words:
        assert word in message, message


MARCH_DIFF = ("asrun", "diff", "--from", "2026-03-01", "--to", "2026-03-31", "--json")


def months(reports: Path) -> list[dict[str, str]]:
    """The month rows of a first-quarter report's CSV (plays per month)."""
    with (reports / "bao-cao-2026-Q1" / "theo-thang.csv").open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_a_has_what_the_tests_look_for(province: Province) -> None:
    """The control: each thing B must not see is there for A."""
    scripts = json.loads(_ok(run("-w", province.a, "script", "list", "--all", "--json")).stdout)
    assert [s["slug"] for s in scripts] == [SLUG]
    assert SLUG in _ok(run("-w", province.a, "review", "list")).stdout
    assert "#1" in _ok(run("-w", province.a, "schedule", "list", "--all")).stdout
    terms = json.loads(_ok(run("-w", province.a, "glossary", "list", "--json")).stdout)
    assert TERM[1] in json.dumps(terms, ensure_ascii=False)
    assert TM_TARGET in _ok(run("-w", province.a, "tm", "export", "-")).stdout
    assert "a.person" in _ok(run("-w", province.a, "user", "list")).stdout
    diff = json.loads(_ok(run("-w", province.a, *MARCH_DIFF)).stdout)
    assert diff["planned"] > 0 and diff["aired"] == 1
    assert [m["Số lượt phát"] for m in months(province.a / "out" / "reports")] == ["0", "0", "1"]
    counts = {table: rows for table, (rows, _hash) in province.a_rows.items()}
    built = {"scripts": 1, "translations": 2, "segments": 4, "renders": 2, "approvals": 4,
             "schedule_items": 1, "plan_slots": 8, "asrun_plays": 1, "report_versions": 1,
             "terms": 1, "people": 1}  # fmt: skip
    assert {table: counts[table] for table in built} == built
    assert counts["tm_segments"] >= 1 and counts["person_roles"] >= 2


def test_b_lists_nothing_of_a(province: Province) -> None:
    assert json.loads(_ok(in_b(province, "script", "list", "--all", "--json")).stdout) == []
    assert "Chưa có bản dịch nào" in _ok(in_b(province, "review", "list")).stdout
    assert "Chưa có mục phát nào" in _ok(in_b(province, "schedule", "list", "--all")).stdout
    diff = json.loads(_ok(in_b(province, *MARCH_DIFF)).stdout)
    assert (diff["planned"], diff["aired"], diff["differences"]) == (0, 0, [])
    assert json.loads(_ok(in_b(province, "glossary", "list", "--json")).stdout) == []
    exported = _ok(in_b(province, "tm", "export", "-")).stdout
    assert TM_TARGET not in exported and TM_SOURCE not in exported
    lookup = _ok(in_b(province, "tm", "lookup", TM_SOURCE, "-l", "blt", "--json")).stdout
    assert TM_TARGET not in lookup
    people = {
        p["login"]: [r["role"] for r in p["roles"]]
        for p in json.loads(_ok(in_b(province, "user", "list", "--json")).stdout)
    }
    # B's admin and the province's people, with their roles in B or the province only: none
    # of A's people, none of the roles held in A.
    assert set(people) == {PROVINCE_ADMIN, B_ADMIN, "p.tinh"}
    assert people[PROVINCE_ADMIN] == ["admin"]  # the province role; A's seven are hidden
    assert people["p.tinh"] == []  # producer in A
    assert "reviewer" in people[B_ADMIN]


@pytest.mark.parametrize(
    "args",
    [
        ("script", "show", SLUG),
        ("script", "show", "1"),  # A's script id
        ("script", "show", SLUG, "--json"),
        ("review", "show", SLUG, "--lang", "blt"),
        ("review", "approve", SLUG, "--lang", "hmn"),  # A's draft awaiting review
        ("review", "history", SLUG, "--lang", "blt"),
        ("script", "approve", SLUG),
        ("script", "archive", SLUG),
        ("schedule", "add", SLUG, "--from", "2026-03-16", "--to", "2026-03-20"),
    ],
    ids=lambda a: " ".join(a),
)
def test_a_script_by_slug_or_id_is_not_found_in_b(province: Province, args: tuple[str]) -> None:
    not_found(in_b(province, *args), "Không có kịch bản")


@pytest.mark.parametrize("command", ["remove", "edit"])
def test_a_schedule_item_is_not_found_in_b(province: Province, command: str) -> None:
    extra = ("--until", "2026-03-31") if command == "edit" else ()
    result = in_b(province, "schedule", command, "1", *extra)  # A's item #1
    assert result.exit_code == 2, result.stdout
    assert "#1" in result.stderr or "1" in result.stderr


def test_b_plans_imports_and_reports_nothing_of_a(province: Province, tmp_path: Path) -> None:
    plan = _ok(in_b(province, "schedule", "plan", "--from", "2026-03-02", "--days", "2"))
    assert "0 lượt phát" in plan.stdout
    # An as-run log naming A's render by id is B's mistake, not a way into A.
    log = tmp_path / "b.json"
    log.write_text(
        json.dumps(
            [
                {
                    "zone": "all",
                    "start": "2026-03-02T06:00",
                    "render": province.render_id,
                    "duration": 90,
                    "status": "played",
                }
            ]
        ),
        encoding="utf-8",
    )
    not_found(in_b(province, "asrun", "import", log), f"không có bản thu số {province.render_id}")
    # The report of the quarter A aired in: B's counts are zero.
    out = tmp_path / "reports"
    _ok(in_b(province, "report", "--period", "2026-Q1", "--date", "2026-04-05", "--out", out))
    folder = out / "bao-cao-2026-Q1"
    with (folder / "ban-tin.csv").open(encoding="utf-8-sig") as f:
        assert list(csv.DictReader(f)) == []
    assert [m["Số lượt phát"] for m in months(out)] == ["0", "0", "0"]
    assert SLUG not in (folder / "bao-cao-2026-Q1.html").read_text(encoding="utf-8")


def test_people_of_a_are_refused_in_b(province: Province) -> None:
    # A's person is not even seen in B.
    for args in (("user", "list"), ("station", "list")):
        not_found(
            run("-w", province.b, "--as", "a.person", *args), "Không có người dùng 'a.person'"
        )
    # Nor can B take A's login for one of its own.
    result = in_b(province, "user", "add", "a.person", "--name", "Người xã B", "--role", "viewer")
    not_found(result, "Đã có người dùng 'a.person'")
    # A province person seen everywhere, with no role in B: refused by `member`.
    for args in (("user", "list"), ("station", "list")):
        not_found(run("-w", province.b, "--as", "p.tinh", *args), "không có vai trò nào ở trạm này")
    # In A, both work.
    _ok(run("-w", province.a, "--as", "a.person", "user", "list"))
    _ok(run("-w", province.a, "--as", "p.tinh", "user", "list"))


# -- the store itself ------------------------------------------------------------------------


def test_row_level_security_hides_a_from_a_connection_of_b(province: Province) -> None:
    """Queries the domain never sends, on every table and view with a station_id."""
    shared = {"people", "person_roles", "terms", "term_forbidden", "tm_segments"}
    names = station_tables(province.url)
    assert {"scripts", "renders", "people", "schedule_items", "asrun_plays"} <= set(names)
    views = [
        str(r[0])
        for r in superuser_rows(
            province.url,
            "SELECT table_name FROM information_schema.views WHERE table_schema = current_schema()",
        )
    ]
    assert "planned_plays" in views
    db = Database(province.url)
    try:
        db.use_station(province.b_id)
        for name in names:
            seen = db.conn.execute(
                f"SELECT count(*) FROM {name} WHERE station_id = ?", (province.a_id,)
            ).fetchone()[0]
            assert seen == 0, name
            total = db.conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            mine = "station_id = %s" + (" OR station_id IS NULL" if name in shared else "")
            expected = superuser_rows(
                province.url, f"SELECT count(*) FROM {name} WHERE {mine}", (province.b_id,)
            )[0][0]
            if name != "people":  # people: also those holding a role in B (none of A here)
                assert total == expected, name
        # The views read their tables as the connection's station: B has made no script, so
        # they are empty for B although they hold A's rows.
        for name in views:
            assert db.conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == 0, name
        assert (
            sum(
                int(str(superuser_rows(province.url, f"SELECT count(*) FROM {name}")[0][0]))
                for name in views
            )
            > 0
        )
        # Writes aimed at A's rows reach nothing.
        with db.transaction() as conn:
            assert conn.execute("UPDATE scripts SET title = 'x'").rowcount == 0
            assert (
                conn.execute("DELETE FROM renders WHERE id = ?", (province.render_id,)).rowcount
                == 0
            )
            assert (
                conn.execute(
                    "UPDATE people SET display_name = 'x' WHERE login = 'a.person'"
                ).rowcount
                == 0
            )
        # Widened reading (province_wide) sees A, but a row for A still cannot be written.
        with db.province_wide():
            seen = db.conn.execute(
                "SELECT count(*) FROM scripts WHERE station_id = ?", (province.a_id,)
            ).fetchone()[0]
            assert seen == 1
        with pytest.raises(DatabaseRefusal) as refused, db.transaction() as conn:
            conn.execute(
                "INSERT INTO articles (source_path, sha256, title, body, format, station_id)"
                " VALUES ('x.txt', 'x', 'x', 'x', 'txt', ?)",
                (province.a_id,),
            )
        assert "row-level security" in str(refused.value.__cause__)
        assert "thuộc một trạm khác" in refused.value.message
    finally:
        db.close()
