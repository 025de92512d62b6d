"""Accounts and roles (issue 10): the first admin made by init, `broadcast user ...`, the
acting person (--as, BROADCAST_USER, [people] default, first admin) and role refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from helpers import INIT_ARGS, make_workspace, open_db, raw_sql, run, runner
from review_fixtures import save, workspace

from broadcast.cli import cli
from broadcast.errors import InputError
from broadcast.model.people import ANY_LANGUAGE, Role
from broadcast.people.acting import resolve_person

pytestmark = pytest.mark.backends


def _people(root: Path) -> dict[str, dict[str, object]]:
    result = run("-w", root, "user", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return {p["login"]: p for p in json.loads(result.stdout)}


def _add(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run("-w", root, "user", "add", *args, env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_init_makes_the_first_admin_with_every_role(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    result = run("init", root, *INIT_ARGS, "--admin", "lo.van.a", "--admin-name", "Lò Văn A")
    assert result.exit_code == 0, result.stderr
    assert "Người quản trị: Lò Văn A (lo.van.a)" in result.stdout
    people = _people(root)
    assert list(people) == ["lo.van.a"]
    roles = {(r["role"], r["language"]) for r in people["lo.van.a"]["roles"]}  # type: ignore[union-attr]
    assert {role for role, _ in roles} == {r.value for r in Role}
    assert ("translator", ANY_LANGUAGE) in roles and ("reviewer", ANY_LANGUAGE) in roles
    assert people["lo.van.a"]["password"] is False  # the CLI needs none


def test_init_refuses_a_login_it_cannot_use_before_writing_anything(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    result = run("init", root, *INIT_ARGS, "--admin", "Lò Văn A")
    assert result.exit_code == 2
    assert "Tên đăng nhập 'Lò Văn A' không hợp lệ" in result.stderr
    assert not (root / "station.toml").exists() and not (root / "broadcast.db").exists()


def test_user_add_grant_revoke_and_refusals(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    admin = next(iter(_people(root)))
    out = _add(root, "an", "--name", "Nguyễn Thị An", "--role", "reviewer", "--lang", "blt")
    assert "Đã thêm Nguyễn Thị An (an): duyệt bản dịch (blt)." in out
    _add(root, "xem", "--name", "Người Xem", "--role", "viewer")

    # A login is taken inside the insert (the UNIQUE constraint), in any case.
    again = run("-w", root, "user", "add", "AN", "--name", "Khác", "--role", "viewer")
    assert again.exit_code == 2 and "Đã có người dùng 'AN'" in again.stderr
    # A per-language role needs its language; the others refuse one.
    no_lang = run("-w", root, "user", "add", "b", "--name", "B", "--role", "translator")
    assert no_lang.exit_code == 2 and "--lang" in no_lang.stderr
    bad_role = run("-w", root, "user", "add", "b", "--name", "B", "--role", "editor")
    assert bad_role.exit_code == 2 and "Không có vai trò 'editor'" in bad_role.stderr

    # Only an admin manages accounts: the refusal names the missing role and who grants it.
    refused = run("-w", root, "--as", "an", "user", "add", "c", "--name", "C", "--role", "viewer")
    assert refused.exit_code == 2
    assert "Nguyễn Thị An (an) chưa có vai trò 'quản trị'" in refused.stderr
    assert "broadcast user grant an admin" in refused.stderr
    assert "c" not in _people(root)

    result = run("-w", root, "user", "grant", "an", "dịch", "--lang", "hmn")
    assert result.exit_code == 0 and "Đã cấp vai trò 'dịch (hmn)' cho an." in result.stdout
    result = run("-w", root, "user", "grant", "an", "translator", "--lang", "hmn")
    assert "an đã có vai trò 'dịch (hmn)'." in result.stdout
    roles = {(r["role"], r["language"]) for r in _people(root)["an"]["roles"]}  # type: ignore[union-attr]
    assert roles == {("reviewer", "blt"), ("translator", "hmn")}
    result = run("-w", root, "user", "revoke", "an", "reviewer", "--lang", "blt")
    assert result.exit_code == 0 and "Đã thu hồi" in result.stdout
    roles = {(r["role"], r["language"]) for r in _people(root)["an"]["roles"]}  # type: ignore[union-attr]
    assert roles == {("translator", "hmn")}

    # The last admin cannot lose the role: nobody could manage accounts any more.
    last = run("-w", root, "user", "revoke", admin, "admin")
    assert last.exit_code == 2 and "người quản trị cuối cùng" in last.stderr
    assert "admin" in {r["role"] for r in _people(root)[admin]["roles"]}  # type: ignore[union-attr]


def test_passwd_stores_an_argon2_hash_and_never_echoes(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    _add(root, "an", "--name", "An", "--role", "viewer")
    secret = "mật-khẩu-thử-1"
    # Prompted twice, hidden: the password never appears in what the terminal shows.
    result = runner().invoke(
        cli, ["-w", str(root), "user", "passwd", "an"], input=f"{secret}\n{secret}\n"
    )
    assert result.exit_code == 0, result.output
    assert secret not in result.output and "Đã đặt mật khẩu cho An (an)." in result.output
    with raw_sql(root) as conn:
        stored = conn.execute("SELECT password_hash FROM people WHERE login = 'an'").fetchone()[0]
    assert stored.startswith("$argon2id$") and secret not in stored
    assert PasswordHasher().verify(stored, secret)

    # --stdin for scripts; an admin sets anyone's, a person only their own.
    other = "mat-khau-khac-2"
    result = runner().invoke(
        cli, ["-w", str(root), "user", "passwd", "an", "--stdin"], input=f"{other}\n"
    )
    assert result.exit_code == 0 and other not in result.output
    with raw_sql(root) as conn:
        stored = conn.execute("SELECT password_hash FROM people WHERE login = 'an'").fetchone()[0]
    assert PasswordHasher().verify(stored, other)
    admin = next(p for p in _people(root) if p != "an")
    refused = runner().invoke(
        cli, ["-w", str(root), "--as", "an", "user", "passwd", admin, "--stdin"], input=f"{other}\n"
    )
    assert refused.exit_code == 2 and "chưa có vai trò 'quản trị'" in refused.stderr
    short = runner().invoke(
        cli, ["-w", str(root), "user", "passwd", "an", "--stdin"], input="ngan\n"
    )
    assert short.exit_code == 2 and "ít nhất 8 ký tự" in short.stderr


def test_the_acting_person_is_found_in_order(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    _add(root, "an", "--name", "An", "--role", "viewer")
    _add(root, "chi", "--name", "Chi", "--role", "viewer")
    with open_db(root) as db:
        admin = resolve_person(db, None, environ={})
        assert admin.person.has(Role.ADMIN) and admin.source == "quản trị đầu tiên"
        assert resolve_person(db, None, environ={}, station_default="chi").person.login == "chi"
        env = {"BROADCAST_USER": "an"}
        assert resolve_person(db, None, environ=env, station_default="chi").person.login == "an"
        assert resolve_person(db, "Chi", environ=env).person.login == "chi"  # --as wins
        with pytest.raises(InputError, match="Không có người dùng 'dung'.*broadcast user add"):
            resolve_person(db, "dung", environ={})

    # Through the CLI: BROADCAST_USER, overridden by --as; the station's [people] default.
    adding = ("user", "add", "x", "--name", "X", "--role", "viewer")
    refused = run("-w", root, *adding, env={"BROADCAST_USER": "an"})
    assert refused.exit_code == 2 and "An (an) chưa có vai trò 'quản trị'" in refused.stderr
    admin_login = admin.person.login
    ok = run("-w", root, "--as", admin_login, *adding, env={"BROADCAST_USER": "an"})
    assert ok.exit_code == 0, ok.stderr
    station = root / "station.toml"
    station.write_text(station.read_text("utf-8") + '\n[people]\ndefault = "chi"\n', "utf-8")
    by_default = run("-w", root, "user", "add", "y", "--name", "Y", "--role", "viewer")
    assert by_default.exit_code == 2 and "Chi (chi) chưa có vai trò" in by_default.stderr
    unknown = run("-w", root, "--as", "Lò Văn B", "user", "list")
    assert unknown.exit_code == 2
    assert 'broadcast user add lo.van.b --name "Lò Văn B"' in unknown.stderr


def test_a_workspace_older_than_accounts_gets_its_first_admin(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    with raw_sql(root) as conn:  # as if made before migration 9
        conn.execute("DELETE FROM people")
    result = run("-w", root, "--as", "bien.tap", "user", "list")
    assert result.exit_code == 0, result.stderr
    assert "đã tạo người quản trị đầu tiên 'bien.tap'" in result.stderr
    assert list(_people(root)) == ["bien.tap"]


def test_roles_are_checked_per_language_and_a_viewer_changes_nothing(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")  # the review fixtures' team: binh translates, an reviews
    saved = save(ws)
    root = ws.root
    _add(root, "xem", "--name", "Người Xem", "--role", "viewer")
    _add(root, "dich.blt", "--name", "Dịch Thái", "--role", "translator", "--lang", "blt")
    assert run("-w", root, "translate", saved.slug, "--to", "blt,hmn").exit_code == 0

    # A translator of blt cannot draft hmn, nor approve anything.
    drafted = run("-w", root, "--as", "dich.blt", "translate", saved.slug, "--to", "hmn")
    assert drafted.exit_code == 2 and "chưa có vai trò 'dịch' tiếng hmn" in drafted.stderr
    assert "broadcast user grant dich.blt translator --lang hmn" in drafted.stderr
    approving = run(
        "-w", root, "--as", "dich.blt", "review", "approve", saved.slug, "--lang", "blt"
    )
    assert approving.exit_code == 2 and "chưa có vai trò 'duyệt bản dịch' tiếng blt" in (
        approving.stderr
    )
    before = raw_sql(root).execute("SELECT COUNT(*) FROM review_audit").fetchone()[0]
    for args in (
        ("review", "reject", saved.slug, "--lang", "blt", "--note", "x"),
        ("script", "submit", saved.slug),
        ("script", "approve", saved.slug),
        ("script", "return", saved.slug, "--comment", "x"),
        ("user", "grant", "xem", "producer"),
    ):
        refused = run("-w", root, "--as", "xem", *args)
        assert refused.exit_code == 2, args
        assert "Người Xem (xem) chưa có vai trò" in refused.stderr, args
    after = raw_sql(root).execute("SELECT COUNT(*) FROM review_audit").fetchone()[0]
    assert after == before  # nothing recorded: the viewer changed nothing
