"""``broadcast station add|list`` and province roles (issue 16, item 2) through the real CLI.

On a province server (PostgreSQL) the first ``broadcast init`` makes the province admin, who
adds the other stations: a row in the database and a folder beside the first station's,
with its own admin. A station's admin adds nothing, and nothing is written when a command is
refused. A province role (``user grant … --toan-tinh``, province admin only) is held in every
station. On SQLite (one station) neither exists and both are refused with one sentence.

The PostgreSQL tests share one province built once for the module (two stations, A and B);
a test that must start from an empty province makes its own (``pg_store_url``).
"""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from helpers import INIT_ARGS, approve_content, make_workspace, run, runner
from schedule_fixtures import add_script, translate
from station_fixtures import (
    A_SLUG,
    B_ADMIN,
    B_NAME,
    B_SLUG,
    PROVINCE_ADMIN,
    TemplateFactory,
    add_station_b,
    database_url,
    init_station_a,
    province_database,
    station_id,
    superuser_rows,
)

from broadcast.cli import cli
from broadcast.store.db import Database
from broadcast.store.workspace import DATABASE_URL_VAR, find_workspace

PG = pytest.mark.postgres
ADMIN = ("--as", PROVINCE_ADMIN)
"""The province admin acts by name: once A has an admin of its own, that one is A's default
person (``store.people.first_admin``: the station's own admin first)."""
PROVINCE_REVIEWER = ("reviewer", "--lang", "blt", "--toan-tinh")


@dataclass(frozen=True)
class Province:
    url: str
    a: Path  # station A's folder (the first station, made by `init`)
    b: Path  # station B's folder (made by `station add`, admin b.admin)


@pytest.fixture(scope="module")
def _province(
    pg_template: TemplateFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Province]:
    with province_database(pg_template, "stations") as url:
        with database_url(url):
            a = init_station_a(tmp_path_factory.mktemp("tinh") / A_SLUG)
            b = add_station_b(a)
        yield Province(url, a, b)


@pytest.fixture
def province(_province: Province, monkeypatch: pytest.MonkeyPatch) -> Province:
    """The module's province; this test's commands use its database."""
    monkeypatch.setenv(DATABASE_URL_VAR, _province.url)
    return _province


@pytest.fixture
def empty_province(pg_store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Province:
    """A province of its own: station A just made by `init`, B not yet added (b = where B's
    folder would go)."""
    monkeypatch.setenv(DATABASE_URL_VAR, pg_store_url)
    a = init_station_a(tmp_path / "tinh" / A_SLUG)
    return Province(pg_store_url, a, a.parent / B_SLUG)


def refused(result: Result, *words: str) -> None:
    """Exit 2 with one Vietnamese sentence on stderr naming ``words``, nothing on stdout."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    message = result.stderr.strip()
    assert message.startswith("Lỗi: ") and "\n" not in message, message
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in message, message
    assert result.stdout == ""


def stations(url: str) -> list[tuple[object, ...]]:
    return superuser_rows(url, "SELECT id, slug, name FROM stations ORDER BY id")


def station_script(db: Database, slug: str) -> int:
    return int(db.conn.execute("SELECT id FROM scripts WHERE slug = ?", (slug,)).fetchone()[0])


def listed(result: Result) -> list[tuple[bool, str]]:
    """`station list` lines → (current?, code)."""
    assert result.exit_code == 0, result.stderr
    return [(line.startswith("*"), line[1:].split()[0]) for line in result.stdout.splitlines()]


# -- init and station add ----------------------------------------------------------------


@PG
def test_first_init_on_an_empty_database_makes_the_province_admin(province: Province) -> None:
    result = run("-w", province.a, *ADMIN, "user", "list")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].split()[0] == PROVINCE_ADMIN
    assert "quản trị (toàn tỉnh)" in result.stdout
    # A person of the whole province (no station), admin of the province and of A.
    people = superuser_rows(
        province.url, "SELECT station_id FROM people WHERE login = %s", (PROVINCE_ADMIN,)
    )
    assert people == [(None,)]
    roles = superuser_rows(
        province.url,
        "SELECT r.station_id FROM person_roles r JOIN people p ON p.id = r.person_id"
        " WHERE p.login = %s AND r.role = 'admin' ORDER BY r.station_id",
        (PROVINCE_ADMIN,),
    )
    assert roles == [(station_id(province.url, A_SLUG),), (None,)]


@PG
def test_station_add_makes_the_row_the_folder_beside_and_the_admin(province: Province) -> None:
    assert stations(province.url) == [
        (1, A_SLUG, "Đài truyền thanh xã Mường La"),
        (2, B_SLUG, B_NAME),
    ]
    assert province.b == province.a.parent / B_SLUG
    toml = tomllib.loads((province.b / "station.toml").read_text(encoding="utf-8"))
    assert toml["database"]["station"] == B_SLUG
    assert toml["station"]["name"] == B_NAME
    # Same province and languages as the station it was added from.
    a_toml = tomllib.loads((province.a / "station.toml").read_text(encoding="utf-8"))
    assert toml["station"]["province"] == a_toml["station"]["province"] == "Sơn La"
    assert toml["station"]["languages"] == a_toml["station"]["languages"]
    assert find_workspace(province.b).station_slug == B_SLUG
    # B's admin: a person of B holding every role in B, none in A or the province.
    b_id = station_id(province.url, B_SLUG)
    assert superuser_rows(
        province.url, "SELECT station_id FROM people WHERE login = %s", (B_ADMIN,)
    ) == [(b_id,)]
    held = superuser_rows(
        province.url,
        "SELECT DISTINCT r.station_id FROM person_roles r JOIN people p ON p.id = r.person_id"
        " WHERE p.login = %s",
        (B_ADMIN,),
    )
    assert held == [(b_id,)]
    result = run("-w", province.b, "--as", B_ADMIN, "user", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert '"role": "admin"' in result.stdout and "toàn tỉnh" not in result.stdout


@PG
def test_station_list_shows_the_stations_a_person_may_work_in(province: Province) -> None:
    # The province admin: every station, the workspace's own marked.
    assert listed(run("-w", province.a, *ADMIN, "station", "list")) == [
        (True, A_SLUG),
        (False, B_SLUG),
    ]
    assert listed(run("-w", province.b, "--as", PROVINCE_ADMIN, "station", "list")) == [
        (False, A_SLUG),
        (True, B_SLUG),
    ]
    # B's admin: B only.
    assert listed(run("-w", province.b, "--as", B_ADMIN, "station", "list")) == [(True, B_SLUG)]
    as_json = run("-w", province.b, "--as", B_ADMIN, "station", "list", "--json")
    assert as_json.exit_code == 0, as_json.stderr
    assert '"slug": "xa-b"' in as_json.stdout and A_SLUG not in as_json.stdout


@PG
def test_a_station_admin_may_not_add_a_station(province: Province) -> None:
    before = stations(province.url)
    result = run(
        "-w",
        province.a,
        *ADMIN,
        "user",
        "add",
        "a.admin",
        "--name",
        "Quản trị A",
        "--role",
        "admin",
    )
    assert result.exit_code == 0, result.stderr
    for folder, login in ((province.b, B_ADMIN), (province.a, "a.admin")):
        add = ["station", "add", "xa-c", "--ten", "Xã C", "--quan-tri", "c.admin"]
        result = run("-w", folder, "--as", login, *add)
        refused(result, "không phải người quản trị của tỉnh")
    assert stations(province.url) == before
    assert not (province.a.parent / "xa-c").exists()
    assert superuser_rows(province.url, "SELECT 1 FROM people WHERE login = 'c.admin'") == []


@PG
@pytest.mark.parametrize(
    ("code", "admin", "words"),
    [
        ("Xa C!", None, ("Mã trạm 'Xa C!' không hợp lệ",)),
        ("xa_c", None, ("Mã trạm 'xa_c' không hợp lệ",)),
        ("-", None, ("không hợp lệ",)),
        ("x" * 41, None, ("tối đa 40 ký tự",)),
        ("xa-c", B_ADMIN, ("Đã có người dùng 'b.admin'",)),
        ("xa-c", PROVINCE_ADMIN.upper(), ("Đã có người dùng 'QUANTRI'",)),
        ("xa-c", "không hợp lệ", ("không hợp lệ",)),
        (A_SLUG, None, ("đã có dữ liệu",)),  # A's own folder
        (B_SLUG, None, ("đã có dữ liệu",)),
    ],
)
def test_bad_station_add_is_refused_and_writes_nothing(
    province: Province, code: str, admin: str | None, words: tuple[str, ...]
) -> None:
    before = stations(province.url)
    folders = sorted(p.name for p in province.a.parent.iterdir())
    people = superuser_rows(province.url, "SELECT count(*) FROM people")
    extra = ["--quan-tri", admin] if admin else []
    refused(run("-w", province.a, *ADMIN, "station", "add", code, "--ten", "Xã C", *extra), *words)
    assert stations(province.url) == before
    assert sorted(p.name for p in province.a.parent.iterdir()) == folders
    assert superuser_rows(province.url, "SELECT count(*) FROM people") == people


@PG
def test_a_folder_already_full_is_refused_and_left_as_it_was(empty_province: Province) -> None:
    p = empty_province
    p.b.mkdir()
    (p.b / "ghi-chu.txt").write_text("của ai đó", encoding="utf-8")
    refused(run("-w", p.a, "station", "add", B_SLUG, "--ten", B_NAME), "đã có dữ liệu")
    assert [s[1] for s in stations(p.url)] == [A_SLUG]
    assert [f.name for f in p.b.iterdir()] == ["ghi-chu.txt"]
    # A file where the folder would go is "full" too, not a crash.
    (p.b / "ghi-chu.txt").unlink()
    p.b.rmdir()
    p.b.write_text("một tệp", encoding="utf-8")
    refused(run("-w", p.a, "station", "add", B_SLUG, "--ten", B_NAME), "đã có dữ liệu")
    assert [s[1] for s in stations(p.url)] == [A_SLUG]
    assert p.b.read_text(encoding="utf-8") == "một tệp"


@PG
def test_a_folder_that_cannot_be_made_leaves_no_station_row(
    empty_province: Province, tmp_path: Path
) -> None:
    p = empty_province
    p.b.symlink_to(tmp_path / "khong-co")  # a link to nowhere: the folder cannot be made
    result = run("-w", p.a, "station", "add", B_SLUG, "--ten", B_NAME, "--quan-tri", B_ADMIN)
    refused(result, f"Không tạo được thư mục {p.b}", "trạm chưa được thêm")
    assert [s[1] for s in stations(p.url)] == [A_SLUG]  # the row written first is gone
    assert superuser_rows(p.url, "SELECT 1 FROM people WHERE login = %s", (B_ADMIN,)) == []
    assert p.b.is_symlink() and not (tmp_path / "khong-co").exists()


@PG
def test_a_code_already_taken_is_refused_even_when_its_folder_is_gone(
    empty_province: Province, tmp_path: Path
) -> None:
    p = empty_province
    made = add_station_b(p.a)
    shutil.move(made, tmp_path / "elsewhere")  # the folder went away; the row stays
    before = stations(p.url)
    refused(run("-w", p.a, "station", "add", B_SLUG, "--ten", "Khác"), "Đã có trạm mã 'xa-b'")
    assert stations(p.url) == before
    assert not p.b.exists()
    # An empty folder of that name is no excuse either: it is left empty.
    p.b.mkdir()
    refused(run("-w", p.a, "station", "add", B_SLUG, "--ten", "Khác"), "Đã có trạm mã 'xa-b'")
    assert stations(p.url) == before and list(p.b.iterdir()) == []


@PG
def test_an_empty_folder_of_the_code_is_used(empty_province: Province) -> None:
    empty_province.b.mkdir()
    made = add_station_b(empty_province.a)
    assert made == empty_province.b and (made / "station.toml").is_file()
    assert [s[1] for s in stations(empty_province.url)] == [A_SLUG, B_SLUG]


@PG
def test_init_of_another_station_is_refused_with_the_station_add_command(
    province: Province,
) -> None:
    before = stations(province.url)
    folder = province.a.parent / "xa-z"
    result = run("init", folder, *INIT_ARGS)
    refused(result, "Trạm 'xa-z' chưa có trên máy chủ của tỉnh", "broadcast station add xa-z")
    assert not folder.exists()
    assert stations(province.url) == before


# -- SQLite: one station -------------------------------------------------------------------


@pytest.fixture
def sqlite_ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(DATABASE_URL_VAR, raising=False)
    return make_workspace(tmp_path / "tinh" / A_SLUG)


def test_sqlite_station_add_is_refused_and_list_shows_the_one_station(sqlite_ws: Path) -> None:
    refused(
        run("-w", sqlite_ws, "station", "add", B_SLUG, "--ten", B_NAME, "--quan-tri", B_ADMIN),
        "tệp SQLite của một trạm",
        "máy chủ PostgreSQL của tỉnh",
    )
    assert [p.name for p in sqlite_ws.parent.iterdir()] == [A_SLUG]
    assert listed(run("-w", sqlite_ws, "station", "list")) == [(True, A_SLUG)]
    result = run("-w", sqlite_ws, "user", "list")
    assert B_ADMIN not in result.stdout and "toàn tỉnh" not in result.stdout


def test_sqlite_refuses_province_roles(sqlite_ws: Path) -> None:
    run("-w", sqlite_ws, "user", "add", "x.rev", "--name", "X", "--role", "viewer")
    for args in (
        ("user", "grant", "x.rev", "reviewer", "--lang", "blt", "--toan-tinh"),
        ("user", "add", "y.rev", "--name", "Y", "--role", *PROVINCE_REVIEWER),
    ):
        refused(run("-w", sqlite_ws, *args), "Vai trò toàn tỉnh chỉ có trên máy chủ của tỉnh")
    people = {
        p["login"]: p["roles"]
        for p in json.loads(run("-w", sqlite_ws, "user", "list", "--json").stdout)
    }
    assert "y.rev" not in people
    assert [r["role"] for r in people["x.rev"]] == ["viewer"]


# -- province roles ------------------------------------------------------------------------


@PG
def test_a_province_reviewer_reviews_in_every_station(province: Province) -> None:
    result = run(
        "-w", province.a, *ADMIN, "user", "add", "x.rev", "--name", "Xa Rev", "--role", "viewer"
    )
    assert result.exit_code == 0, result.stderr
    # A person of A: not seen in B until the province role is given.
    refused(run("-w", province.b, "--as", "x.rev", "user", "list"), "Không có người dùng 'x.rev'")
    result = run("-w", province.a, *ADMIN, "user", "grant", "x.rev", *PROVINCE_REVIEWER)
    assert result.exit_code == 0, result.stderr
    assert "toàn tỉnh" in result.stdout
    assert listed(run("-w", province.b, "--as", "x.rev", "station", "list")) == [
        (False, A_SLUG),
        (True, B_SLUG),
    ]
    # A script with a blt draft in each station (made as each station's connection).
    for folder, slug, admin in (
        (province.a, "tin-a", PROVINCE_ADMIN),
        (province.b, "tin-b", B_ADMIN),
    ):
        with find_workspace(folder).open_db() as db:
            script = add_script(db, slug, approve=False)
            approve_content(db, script, admin)
            translate(db, script, "blt", approve=False)
    for folder, slug in ((province.a, "tin-a"), (province.b, "tin-b")):
        result = run("-w", folder, "--as", "x.rev", "review", "approve", slug, "--lang", "blt")
        assert result.exit_code == 0, (folder.name, result.stderr)
    rows = superuser_rows(
        province.url,
        "SELECT DISTINCT s.slug, a.approved_by, a.station_id FROM approvals a"
        " JOIN scripts s ON s.id = a.script_id WHERE a.language = 'blt' ORDER BY s.slug",
    )
    a_id, b_id = station_id(province.url, A_SLUG), station_id(province.url, B_SLUG)
    assert rows == [("tin-a", "x.rev", a_id), ("tin-b", "x.rev", b_id)]
    # The province role is for blt only; A's viewer role does not follow x.rev to B.
    with find_workspace(province.b).open_db() as db:
        translate(db, station_script(db, "tin-b"), "hmn", approve=False)
    result = run("-w", province.b, "--as", "x.rev", "review", "approve", "tin-b", "--lang", "hmn")
    refused(result, "duyệt bản dịch", "hmn")
    people = json.loads(run("-w", province.b, "--as", "x.rev", "user", "list", "--json").stdout)
    assert [r["role"] for p in people if p["login"] == "x.rev" for r in p["roles"]] == ["reviewer"]


@PG
def test_only_the_province_admin_grants_province_roles(province: Province) -> None:
    def province_roles() -> list[tuple[object, ...]]:
        return superuser_rows(
            province.url,
            "SELECT person_id, role, language FROM person_roles WHERE station_id IS NULL"
            " ORDER BY 1, 2, 3",
        )

    for login, role in (("a.admin2", "admin"), ("y.rev", "viewer")):
        result = run(
            "-w", province.a, *ADMIN, "user", "add", login, "--name", login, "--role", role
        )
        assert result.exit_code == 0, result.stderr
    before = province_roles()
    for folder, login, target in (
        (province.a, "a.admin2", "y.rev"),
        (province.b, B_ADMIN, B_ADMIN),
    ):
        who = ("-w", folder, "--as", login, "user")
        result = run(*who, "grant", target, *PROVINCE_REVIEWER)
        refused(result, "không phải người quản trị của tỉnh", "vai trò toàn tỉnh")
        result = run(*who, "add", "z.rev", "--name", "Z", "--role", *PROVINCE_REVIEWER)
        refused(result, "không phải người quản trị của tỉnh")
    assert province_roles() == before
    assert superuser_rows(province.url, "SELECT 1 FROM people WHERE login = 'z.rev'") == []


@PG
def test_a_station_admin_cannot_set_passwords_of_province_people(province: Province) -> None:
    def passwd(folder: Path, actor: str, login: str) -> Result:
        return runner().invoke(
            cli,
            ["-w", str(folder), "--as", actor, "user", "passwd", login, "--stdin"],
            input="mat-khau-rat-dai-1\n",
            catch_exceptions=False,
        )

    def hashed(login: str) -> bool:
        rows = superuser_rows(
            province.url, "SELECT password_hash IS NOT NULL FROM people WHERE login = %s", (login,)
        )
        return bool(rows[0][0])

    for args in (
        ("user", "add", "w.rev", "--name", "W Rev", "--role", "viewer"),
        ("user", "grant", "w.rev", "reviewer", "--lang", "blt", "--toan-tinh"),
    ):
        assert run("-w", province.a, *ADMIN, *args).exit_code == 0
    # B's admin may not take over the province admin, nor A's person seen in B by a role.
    refused(passwd(province.b, B_ADMIN, PROVINCE_ADMIN), "người dùng của cả tỉnh")
    refused(passwd(province.b, B_ADMIN, "w.rev"), "người của một trạm khác")
    assert not hashed(PROVINCE_ADMIN) and not hashed("w.rev")
    # The province admin may, in the person's own station; B's admin for B's own people.
    assert passwd(province.a, PROVINCE_ADMIN, "w.rev").exit_code == 0
    assert passwd(province.b, B_ADMIN, B_ADMIN).exit_code == 0
    assert passwd(province.b, PROVINCE_ADMIN, PROVINCE_ADMIN).exit_code == 0
    assert hashed("w.rev") and hashed(B_ADMIN) and hashed(PROVINCE_ADMIN)
