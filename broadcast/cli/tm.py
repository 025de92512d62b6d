"""``broadcast tm``: the translation memory (approved sentence pairs) and its TMX exchange."""

from __future__ import annotations

import json
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.model.people import Person, Role

STDOUT = "-"
PROVINCE = click.option(
    "--toan-tinh",
    "province",
    is_flag=True,
    help="Ghi vào phần chung của tỉnh (máy chủ tỉnh; người có vai trò toàn tỉnh). / "
    "Write to the province's shared memory.",
)


@click.group()
def tm() -> None:
    """Bộ nhớ dịch: các cặp câu đã duyệt, dùng lại khi dịch bài mới.

    Translation memory: approved sentence pairs reused in new drafts.
    """


@tm.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@PROVINCE
@click.pass_obj
def import_command(app: AppContext, file: Path, province: bool) -> None:
    """Nhập tệp TMX 1.4 (tất cả hoặc không gì) cho trạm này, hoặc cho cả tỉnh
    (--toan-tinh). / Import a TMX 1.4 file, all or nothing."""
    person = _writer(app, province)
    from broadcast.translate.memory import import_tmx_file
    from broadcast.translate.termbase import StationLanguages

    ws = app.workspace
    with ws.open_db() as db:
        summary = import_tmx_file(
            db, file, StationLanguages.of(ws.station), by=person, province=province
        )
    where = "phần chung của tỉnh" if province else "trạm này"
    click.echo(
        f"Đã nhập {summary.total} cặp câu từ {file.name} vào {where}: {summary.added} mới, "
        f"{summary.unchanged} đã có."
    )


@tm.command("export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--language", "-l", default=None, help="Chỉ một ngôn ngữ. / Only one language.")
@click.pass_obj
def export_command(app: AppContext, file: Path, language: str | None) -> None:
    """Xuất bộ nhớ dịch ra TMX 1.4 (- là đầu ra chuẩn). / Export as TMX 1.4."""
    from broadcast.store.files import atomic_write_bytes
    from broadcast.translate.memory import export_tmx

    ws = app.workspace
    code = _language(app, language) if language else None
    with ws.open_db() as db:
        data, count = export_tmx(db, code)
    if str(file) == STDOUT:
        click.get_binary_stream("stdout").write(data)
        return
    atomic_write_bytes(file, data)
    click.echo(f"Đã xuất {count} cặp câu ra {file}.")


@tm.command("lookup")
@click.argument("sentence")
@click.option("--language", "-l", required=True, help="Mã ngôn ngữ đích. / Target language.")
@click.option("--previous", default=None, help="Câu đứng trước (ngữ cảnh). / Previous sentence.")
@click.option("--limit", type=click.IntRange(1, 50), default=3, show_default=True)
@json_option
@click.pass_obj
def lookup_command(
    app: AppContext, sentence: str, language: str, previous: str | None, limit: int, as_json: bool
) -> None:
    """Tìm câu đã dịch giống câu này. / Find memory matches for a sentence."""
    from broadcast.translate.memory import lookup

    code = _language(app, language)
    with app.workspace.open_db() as db:
        matches = lookup(db, sentence, code, previous=previous, limit=limit)
    if as_json:
        rows = [
            {
                "kind": str(m.kind),
                "score": m.score,
                "source": m.source,
                "target": m.target,
                "from": m.provenance.label,
            }
            for m in matches
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not matches:
        click.echo("Không có câu nào đủ giống trong bộ nhớ dịch.")
    for m in matches:
        click.echo(
            f"{m.score:5.1f}% {m.kind} ({m.provenance.label}): {m.source}\n       → {m.target}"
        )


@tm.command("remove")
@click.argument("sentence", required=False)
@click.option("--language", "-l", default=None, help="Mã ngôn ngữ đích. / Target language.")
@click.option("--target", default=None, help="Chỉ cặp có câu dịch này. / Only this target.")
@click.option("--id", "unit_id", type=int, default=None, help="Số của cặp câu. / Pair number.")
@PROVINCE
@json_option
@click.pass_obj
def remove_command(
    app: AppContext,
    sentence: str | None,
    language: str | None,
    target: str | None,
    unit_id: int | None,
    province: bool,
    as_json: bool,
) -> None:
    """Xoá cặp câu sai khỏi bộ nhớ dịch của trạm này, hoặc của cả tỉnh (--toan-tinh). /
    Remove wrong pairs from the memory."""
    from broadcast.translate.removal import remove_units

    code = _language(app, language) if language else None
    # The memory holds what reviewers approved; the province's, what a province role checks.
    person = app.person if province else app.require(Role.REVIEWER, code)
    with app.workspace.open_db() as db:
        removed = remove_units(
            db,
            unit_id=unit_id,
            source=sentence,
            language=code,
            target=target,
            by=person,
            province=province,
        )
    if as_json:
        rows = [
            {"id": u.id, "language": u.language, "source": u.source, "target": u.target}
            for u in removed
        ]
        click.echo(json.dumps({"removed": rows}, ensure_ascii=False, indent=2))
        return
    for u in removed:
        click.echo(f"Đã xoá cặp câu số {u.id} [{u.language}]: {u.source}\n       → {u.target}")


def _writer(app: AppContext, province: bool) -> Person:
    """Who writes: for the station, a translator or reviewer there (a viewer changes
    nothing); for the province, whoever holds a province role, checked by the write."""
    if province:
        return app.person
    return app.require(Role.TRANSLATOR, alternatives=(Role.REVIEWER,))


def _language(app: AppContext, tag: str) -> str:
    """A target language the station declares, or one clear sentence."""
    from broadcast.translate.termbase import StationLanguages

    return StationLanguages.of(app.workspace.station).target(tag, "").code


COMMANDS = [tm]
