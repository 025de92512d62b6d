"""``broadcast glossary``: the translation term base (Vietnamese term -> target term)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.model.people import Person, Role

STDOUT = "-"
LANGUAGE = click.option(
    "--language",
    "-l",
    default=None,
    help="Mã ngôn ngữ đích (blt, hmn...). / Target language code.",
)
FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "tbx"]),
    default=None,
    help="csv hoặc tbx (mặc định theo đuôi tệp). / File format (default: by extension).",
)
PROVINCE = click.option(
    "--toan-tinh",
    "province",
    is_flag=True,
    help="Ghi vào bảng thuật ngữ chung của tỉnh (máy chủ tỉnh; người có vai trò toàn tỉnh). "
    "/ Write to the province's shared term base.",
)


@click.group()
def glossary() -> None:
    """Bảng thuật ngữ dịch: thuật ngữ tiếng Việt và bản dịch theo từng ngôn ngữ.

    Translation term base: target terms per Vietnamese term and language.
    """


@glossary.command("list")
@LANGUAGE
@click.option(
    "--status",
    type=click.Choice(["approved", "proposed"]),
    default=None,
    help="Chỉ thuật ngữ đã duyệt hoặc đề xuất. / Only approved or proposed terms.",
)
@json_option
@click.pass_obj
def list_command(app: AppContext, language: str | None, status: str | None, as_json: bool) -> None:
    """Liệt kê thuật ngữ. / List the term base."""
    from broadcast.translate.termbase import list_terms
    from broadcast.translate.values import TermStatus

    code = _language(app, language) if language else None
    with app.workspace.open_db() as db:
        terms = list_terms(db, code, TermStatus(status) if status else None)
    if as_json:
        rows = [
            {k: v for k, v in asdict(t).items() if k not in ("where", "provenance")}
            | {"from": t.provenance.label}
            for t in terms
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not terms:
        click.echo("Bảng thuật ngữ chưa có mục nào.")
        return
    for t in terms:
        mark = "✓" if t.status == "approved" else "?"
        line = f"{mark} {t.term} [{t.language}] → {t.target}"
        if t.forbidden:
            line += f"  (không dùng: {', '.join(t.forbidden)})"
        if t.note:
            line += f"  — {t.note}"
        if t.provenance.province:
            line += f"  [{t.provenance.label}]"
        click.echo(line)


@glossary.command("add")
@click.argument("term")
@click.argument("target")
@click.option("--language", "-l", required=True, help="Mã ngôn ngữ đích. / Target language.")
@click.option(
    "--status",
    type=click.Choice(["approved", "proposed"]),
    default="proposed",
    show_default=True,
    help="Trạng thái. / Status.",
)
@click.option("--note", default="", help="Ghi chú. / Note.")
@click.option("--source", default="", help="Nguồn (văn bản, người đề xuất). / Where from.")
@click.option(
    "--forbid",
    multiple=True,
    help="Biến thể không được dùng (lặp lại được). / A forbidden variant (repeatable).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Bản duyệt cũ (nếu có) chuyển thành đề xuất. / Demote the old approved target.",
)
@PROVINCE
@click.pass_obj
def add_command(
    app: AppContext,
    term: str,
    target: str,
    language: str,
    status: str,
    note: str,
    source: str,
    forbid: tuple[str, ...],
    replace: bool,
    province: bool,
) -> None:
    """Thêm hoặc sửa một thuật ngữ của trạm này, hoặc của cả tỉnh (--toan-tinh). / Add or
    update one target term."""
    person = _writer(app, province)
    from broadcast.translate.termbase import StationLanguages, add_term
    from broadcast.translate.values import Term, TermStatus

    entry = Term(
        term=term,
        language=language,
        target=target,
        status=TermStatus(status),
        note=note,
        source=source,
        forbidden=forbid,
    )
    ws = app.workspace
    with ws.open_db() as db:
        summary = add_term(
            db,
            entry,
            StationLanguages.of(ws.station),
            replace_approved=replace,
            by=person,
            province=province,
        )
    verb = "Đã thêm" if summary.added else "Đã cập nhật" if summary.updated else "Đã có sẵn"
    click.echo(f"{verb}: {term} [{language}] → {target} ({status}).")


@glossary.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@FORMAT
@PROVINCE
@click.pass_obj
def import_command(app: AppContext, file: Path, fmt: str | None, province: bool) -> None:
    """Nhập thuật ngữ từ CSV hoặc TBX (tất cả hoặc không gì) cho trạm này, hoặc cho cả tỉnh
    (--toan-tinh). / Import CSV or TBX."""
    person = _writer(app, province)
    from broadcast.translate.termbase import StationLanguages
    from broadcast.translate.termfiles import import_term_file

    ws = app.workspace
    with ws.open_db() as db:
        summary = import_term_file(
            db, file, StationLanguages.of(ws.station), fmt, by=person, province=province
        )
    click.echo(
        f"Đã nhập {summary.total} thuật ngữ từ {file.name}: {summary.added} mới, "
        f"{summary.updated} cập nhật, {summary.unchanged} không đổi."
    )


@glossary.command("export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@FORMAT
@LANGUAGE
@click.pass_obj
def export_command(app: AppContext, file: Path, fmt: str | None, language: str | None) -> None:
    """Xuất bảng thuật ngữ ra CSV hoặc TBX (- là đầu ra chuẩn). / Export as CSV or TBX."""
    from broadcast.store.files import atomic_write_bytes
    from broadcast.translate.termfiles import export_terms, term_format

    to_stdout = str(file) == STDOUT
    chosen = term_format(None if to_stdout else file, fmt or ("csv" if to_stdout else None))
    code = _language(app, language) if language else None
    with app.workspace.open_db() as db:
        data, count = export_terms(db, chosen, code, bom=not to_stdout)
    if to_stdout:
        click.get_binary_stream("stdout").write(data)
        return
    atomic_write_bytes(file, data)
    click.echo(f"Đã xuất {count} thuật ngữ ra {file}.")


@glossary.command("remove")
@click.argument("term")
@click.option("--language", "-l", required=True, help="Mã ngôn ngữ đích. / Target language.")
@click.option(
    "--target",
    default=None,
    help="Chỉ xoá bản dịch này (mặc định: mọi bản dịch của thuật ngữ). / Only this target.",
)
@PROVINCE
@json_option
@click.pass_obj
def remove_command(
    app: AppContext, term: str, language: str, target: str | None, province: bool, as_json: bool
) -> None:
    """Xoá một thuật ngữ (hoặc một bản dịch của nó) của trạm này, hoặc của cả tỉnh
    (--toan-tinh). / Remove a term or one of its targets."""
    from broadcast.translate.removal import remove_term

    code = _language(app, language)
    # Who approves the terms of a language corrects them; the province's, a province role.
    person = app.person if province else app.require(Role.REVIEWER, code)
    with app.workspace.open_db() as db:
        removed, variants = remove_term(db, term, code, target, by=person, province=province)
    if as_json:
        rows = [asdict(r) for r in removed]
        click.echo(
            json.dumps(
                {"removed": rows, "forbidden_removed": variants}, ensure_ascii=False, indent=2
            )
        )
        return
    for r in removed:
        click.echo(f"Đã xoá: {r.term} [{r.language}] → {r.target} ({r.status}).")
    if variants:
        click.echo(f"Đã xoá cả các biến thể không dùng: {', '.join(variants)}.")


def _writer(app: AppContext, province: bool) -> Person:
    """Who writes: for the station, a translator or reviewer there (a viewer changes
    nothing); for the province, whoever holds a province role, checked by the write."""
    if province:
        return app.person
    return app.require(Role.TRANSLATOR, alternatives=(Role.REVIEWER,))


def _language(app: AppContext, tag: str) -> str:
    """A target language the station declares, or one clear sentence ('th' included)."""
    from broadcast.translate.termbase import StationLanguages

    return StationLanguages.of(app.workspace.station).target(tag, "").code


COMMANDS = [glossary]
