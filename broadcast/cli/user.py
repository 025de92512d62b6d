"""``broadcast user``: people of the workspace and their roles."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

import click

from broadcast.cli.context import AppContext
from broadcast.model.people import Person, Role

ROLE_HELP = ", ".join(f"{r.value} ({r.label})" for r in Role)
LOGIN = click.argument("login", metavar="TÊN_ĐĂNG_NHẬP")
LANG = click.option(
    "--lang",
    "language",
    default=None,
    help="Ngôn ngữ của vai trò dịch/duyệt bản dịch, vd. blt ('*' = mọi ngôn ngữ). / Language.",
)
PROVINCE = click.option(
    "--toan-tinh",
    "province",
    is_flag=True,
    help="Vai trò cho mọi trạm của tỉnh (máy chủ tỉnh; chỉ người quản trị tỉnh cấp). / "
    "Province-wide role.",
)


def _person_json(person: Person) -> dict[str, object]:
    return {
        "login": person.login,
        "name": person.display_name,
        "active": person.active,
        "password": person.has_password,
        "roles": [
            {"role": g.role.value, "label": g.role.label, "language": g.language or None}
            for g in person.grants
        ],
    }


@click.group()
def user() -> None:
    """Người dùng và vai trò: thêm, liệt kê, cấp, thu hồi, mật khẩu. / People and roles."""


@user.command("add")
@LOGIN
@click.option("--name", "display_name", required=True, help="Họ tên đầy đủ. / Full name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    help=f"Vai trò (lặp lại được): {ROLE_HELP}. / Role(s).",
)
@LANG
@PROVINCE
@click.pass_obj
def add(
    app: AppContext,
    login: str,
    display_name: str,
    roles: tuple[str, ...],
    language: str | None,
    province: bool,
) -> None:
    """Thêm người dùng (chỉ người quản trị). / Add a person (admins only)."""
    from broadcast.model.people import parse_role
    from broadcast.people.accounts import add_person, parse_grant

    grants = []
    for text in roles:
        try:
            per_language = parse_role(text).per_language
        except ValueError:
            per_language = False  # parse_grant says what is wrong
        grants.append(
            replace(parse_grant(text, language if per_language else None), province=province)
        )
    with app.workspace.open_db() as db:
        person = add_person(db, app.person, login, display_name, grants)
    click.echo(f"Đã thêm {person.label}: {person.roles_label}.")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON. / JSON output.")
@click.pass_obj
def list_(app: AppContext, as_json: bool) -> None:
    """Liệt kê người dùng và vai trò. / List people and their roles."""
    from broadcast.people.accounts import list_people

    _ = app.person  # anyone known may look; an unknown --as is refused here too
    with app.workspace.open_db() as db:
        people = list_people(db)
    if as_json:
        click.echo(json.dumps([_person_json(p) for p in people], ensure_ascii=False, indent=2))
        return
    for p in people:
        locked = "" if p.active else " [đã khóa]"
        click.echo(f"{p.login:<16} {p.display_name}{locked}\n{'':<16} {p.roles_label}")


@user.command()
@LOGIN
@click.argument("role", metavar="VAI_TRÒ")
@LANG
@PROVINCE
@click.pass_obj
def grant(app: AppContext, login: str, role: str, language: str | None, province: bool) -> None:
    """Cấp một vai trò (chỉ người quản trị). / Grant a role (admins only)."""
    from broadcast.people.accounts import grant as grant_role
    from broadcast.people.accounts import parse_grant

    new = replace(parse_grant(role, language), province=province)
    with app.workspace.open_db() as db:
        added = grant_role(db, app.person, login, new)
    click.echo(
        f"Đã cấp vai trò '{new.label}' cho {login}."
        if added
        else f"{login} đã có vai trò '{new.label}'."
    )


@user.command()
@LOGIN
@click.argument("role", metavar="VAI_TRÒ")
@LANG
@PROVINCE
@click.pass_obj
def revoke(app: AppContext, login: str, role: str, language: str | None, province: bool) -> None:
    """Thu hồi một vai trò (chỉ người quản trị). / Revoke a role (admins only)."""
    from broadcast.people.accounts import parse_grant
    from broadcast.people.accounts import revoke as revoke_role

    old = replace(parse_grant(role, language), province=province)
    with app.workspace.open_db() as db:
        removed = revoke_role(db, app.person, login, old)
    click.echo(
        f"Đã thu hồi vai trò '{old.label}' của {login}."
        if removed
        else f"{login} không có vai trò '{old.label}'."
    )


@user.command()
@LOGIN
@click.option(
    "--stdin",
    "from_stdin",
    is_flag=True,
    help="Đọc mật khẩu từ dòng đầu của đầu vào chuẩn (cho kịch bản). / Read it from stdin.",
)
@click.pass_obj
def passwd(app: AppContext, login: str, from_stdin: bool) -> None:
    """Đặt mật khẩu (cho không gian làm việc trên web; lưu dạng băm argon2). / Set a password."""
    from broadcast.errors import InputError
    from broadcast.people.accounts import set_password

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Mật khẩu mới", hide_input=True, confirmation_prompt="Nhập lại mật khẩu"
        )
    if not password:
        raise InputError("Mật khẩu trống; hãy nhập mật khẩu ít nhất 8 ký tự.")
    with app.workspace.open_db() as db:
        person = set_password(db, app.person, login, password)
    click.echo(f"Đã đặt mật khẩu cho {person.label}.")


COMMANDS = [user]
