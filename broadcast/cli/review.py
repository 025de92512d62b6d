"""``broadcast review``: editors' states, QA, approval, history and file exchange."""

from __future__ import annotations

from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.model.people import Person
from broadcast.model.time import station_now
from broadcast.review.workflow import require_editor

SCRIPT = click.argument("script_ref", metavar="KỊCH_BẢN")
LANG = click.option(
    "--lang", "language", required=True, help="Ngôn ngữ của bản dịch, vd. blt. / Language."
)
BY = click.option(
    "--by",
    default=None,
    metavar="TÊN",
    help="Tên đăng nhập người thực hiện, như --as (mặc định người đang dùng). / Who acts.",
)
# Kept so that older scripts still run: the role recorded is the one the step needs, held by
# the acting person (reviewer to approve or send back, translator or reviewer to edit).
ROLE = click.option("--role", default=None, hidden=True)


def _positions(
    ctx: click.Context, param: click.Parameter, numbers: tuple[int, ...]
) -> tuple[int, ...]:
    """Segments are numbered from 1 for people (as the script's sentences are everywhere);
    the stages take stored positions, which start at 0."""
    if any(n < 1 for n in numbers):
        raise click.BadParameter("số đoạn bắt đầu từ 1 (xem 'broadcast review show').")
    return tuple(n - 1 for n in numbers)


def _numbers(positions: tuple[int, ...] | list[int]) -> str:
    """Stored positions as people read them: from 1."""
    return ", ".join(str(p + 1) for p in positions)


SEGMENTS = click.option(
    "--segment",
    "segments",
    type=int,
    multiple=True,
    callback=_positions,
    help="Số đoạn, từ 1 (lặp lại được; mặc định tất cả). / Segment number(s) from 1.",
)


def _refresh_on_air(app: AppContext) -> None:
    """After a change that can void approvals: stale renders leave the plan and playlists."""
    from broadcast.cli.onair import refresh_on_air

    refresh_on_air(app.workspace)


def _who(app: AppContext, by: str | None) -> Person:
    """The acting person (``--by`` names one for this command, as the top-level --as)."""
    return app.acting_as(by)


@click.group()
def review() -> None:
    """Duyệt bản dịch: xem, sửa, duyệt, trả lại, lịch sử, trao đổi tệp. / Review translations."""


@review.command("list")
@click.option("--lang", "language", default=None, help="Chỉ một ngôn ngữ. / One language.")
@click.pass_obj
def list_(app: AppContext, language: str | None) -> None:
    """Liệt kê các bản dịch và trạng thái. / List translations and their states."""
    from broadcast.review.report import summaries_text
    from broadcast.store.translations import list_translations

    with app.workspace.open_db() as db:
        click.echo(summaries_text(list_translations(db, language)))


@review.command()
@SCRIPT
@LANG
@click.pass_obj
def show(app: AppContext, script_ref: str, language: str) -> None:
    """Xem bản dịch song song với câu gốc và các lỗi kiểm tra. / Show side by side with QA."""
    from broadcast.review.report import translation_text
    from broadcast.review.workflow import qa_translation
    from broadcast.store.records import find_script
    from broadcast.store.translations import load_translation

    ws = app.workspace
    with ws.open_db() as db:
        translation = load_translation(db, find_script(db, script_ref).id, language)
        findings = qa_translation(db, translation, known=ws.station.language_registry())
        click.echo(translation_text(translation, findings))


@review.command()
@SCRIPT
@LANG
@BY
@click.pass_obj
def edit(app: AppContext, script_ref: str, language: str, by: str | None) -> None:
    """Sửa bản dịch trong $EDITOR (câu gốc và bản dịch cạnh nhau). / Edit in $EDITOR."""

    from broadcast.review import sidebyside
    from broadcast.review.exchange import save_editor_session
    from broadcast.review.qa import blocking
    from broadcast.review.workflow import qa_translation
    from broadcast.store.records import find_script
    from broadcast.store.translations import load_translation

    ws = app.workspace
    with ws.open_db() as db:
        script = find_script(db, script_ref)
        editor = _who(app, by)
        require_editor(editor, language)
        translation = load_translation(db, script.id, language)
        edited = click.edit(sidebyside.render(translation), extension=".txt", require_save=True)
        if edited is None:
            click.echo("Không có thay đổi nào được lưu.")
            return
        targets = sidebyside.parse(translation, edited)
        stamp = station_now().strftime("%Y%m%d-%H%M%S")
        changed = save_editor_session(
            db,
            translation,
            targets,
            actor=editor.login,
            edited=edited,
            keep=ws.out_dir / f"ban-sua-{script.slug}-{language}-{stamp}.txt",
        )
        after = load_translation(db, script.id, language)
        errors = blocking(qa_translation(db, after, known=ws.station.language_registry()))
    click.echo(f"Đã lưu {len(changed)} đoạn sửa; còn {len(errors)} lỗi chặn duyệt.")
    _refresh_on_air(app)


@review.command()
@SCRIPT
@LANG
@SEGMENTS
@BY
@ROLE
@click.pass_obj
def approve(
    app: AppContext,
    script_ref: str,
    language: str,
    segments: tuple[int, ...],
    by: str | None,
    role: str | None,
) -> None:
    """Duyệt các đoạn (ghi người, vai trò, thời điểm, mã băm). / Approve segments."""
    from broadcast.review.workflow import approve as approve_segments
    from broadcast.store.records import find_script

    ws = app.workspace
    with ws.open_db() as db:
        script = find_script(db, script_ref)
        outcome = approve_segments(
            db,
            script.id,
            language,
            segments,
            by=_who(app, by),
            known=ws.station.language_registry(),
            four_eyes=ws.station.four_eyes,
            share_with_province=ws.station.share_with_province,
        )
    click.echo(
        f"Đã duyệt {len(outcome.approved)} đoạn ({len(outcome.already)} đã duyệt từ trước); "
        f"bản dịch {language}: {outcome.state.label}."
    )


@review.command()
@SCRIPT
@LANG
@SEGMENTS
@click.option("--note", required=True, help="Lý do cần sửa. / What must change.")
@BY
@ROLE
@click.pass_obj
def reject(
    app: AppContext,
    script_ref: str,
    language: str,
    segments: tuple[int, ...],
    note: str,
    by: str | None,
    role: str | None,
) -> None:
    """Trả lại các đoạn cần sửa, kèm ghi chú. / Send segments back with a note."""
    from broadcast.review.workflow import reject as reject_segments
    from broadcast.store.records import find_script

    with app.workspace.open_db() as db:
        script = find_script(db, script_ref)
        done = reject_segments(db, script.id, language, segments, by=_who(app, by), note=note)
    click.echo(f"Đã trả lại {len(done)} đoạn để sửa.")
    _refresh_on_air(app)


@review.command()
@SCRIPT
@click.option("--lang", "language", default=None, help="Chỉ một ngôn ngữ. / One language.")
@click.pass_obj
def history(app: AppContext, script_ref: str, language: str | None) -> None:
    """Lịch sử duyệt (không xóa, không sửa được). / Append-only review history."""
    from broadcast.review.report import history_text
    from broadcast.store.records import find_script
    from broadcast.store.translations import audit_trail

    with app.workspace.open_db() as db:
        click.echo(history_text(audit_trail(db, find_script(db, script_ref).id, language)))


FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["xliff", "docx"]),
    default=None,
    help="xliff (XLIFF 2.0) hoặc docx (bảng song ngữ); mặc định theo đuôi tệp. / Format.",
)


@review.command("export")
@SCRIPT
@LANG
@FORMAT
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Tệp ghi ra (.xlf hoặc .docx). / Output file.",
)
@BY
@click.pass_obj
def export_(
    app: AppContext,
    script_ref: str,
    language: str,
    fmt: str | None,
    output: Path,
    by: str | None,
) -> None:
    """Xuất bản dịch ra XLIFF 2.0 hoặc .docx song ngữ. / Export to XLIFF 2.0 or .docx."""
    from broadcast.review.transfer import export_translation

    with app.workspace.open_db() as db:
        used = export_translation(db, script_ref, language, output, fmt, actor=_who(app, by).login)
    click.echo(f"Đã xuất {output} ({used}).")


@review.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--lang", "language", default=None, help="Ngôn ngữ mong đợi (kiểm tra). / Expected language."
)
@FORMAT
@click.option(
    "--as-draft",
    is_flag=True,
    help="Vẫn nhập các đoạn đã được sửa sau khi xuất tệp: văn bản của tệp thành bản nháp, "
    "văn bản đang có được giữ trong lịch sử. / Apply texts edited since the export as drafts.",
)
@BY
@click.pass_obj
def import_(
    app: AppContext,
    file: Path,
    language: str | None,
    fmt: str | None,
    as_draft: bool,
    by: str | None,
) -> None:
    """Nhập lại tệp XLIFF hoặc .docx đã sửa (không ghi đè đoạn đã duyệt, không ghi đè đoạn
    đã sửa sau khi xuất). / Import an edited file; never overwrites approved segments or
    texts edited since the export."""
    from broadcast.review.transfer import import_file

    ws = app.workspace
    person = _who(app, by)
    # A translator or reviewer (of --lang when given; of some language otherwise).
    require_editor(person, language)
    with ws.open_db() as db:
        report = import_file(
            db,
            file,
            fmt,
            actor=person.login,
            station=ws.station,
            expect_language=language,
            as_draft=as_draft,
        )
    click.echo(f"Đã nhập '{report.slug}' ({report.language}): {len(report.changed)} đoạn thay đổi.")
    _refresh_on_air(app)
    if report.skipped_approved:
        click.echo(
            "Bỏ qua các đoạn đã duyệt có nội dung khác trong tệp: "
            f"{_numbers(report.skipped_approved)} (trả lại bằng 'review reject' "
            "rồi nhập lại nếu cần sửa).",
            err=True,
        )
    if report.not_approved:
        click.echo(
            "Tệp đánh dấu 'final' cho các đoạn "
            f"{_numbers(report.not_approved)}: đã nhập như chờ duyệt; duyệt bằng "
            "'broadcast review approve'.",
            err=True,
        )
    if report.as_draft:
        click.echo(
            f"Đoạn {_numbers(report.as_draft)} đã được sửa sau khi xuất tệp: "
            "văn bản của tệp được lưu thành bản nháp, văn bản trước đó xem trong "
            f"'broadcast review history {report.slug} --lang {report.language}'.",
            err=True,
        )
    if report.kept_newer:
        click.echo(
            f"Đoạn {_numbers(report.kept_newer)} được sửa sau khi xuất nhưng "
            "tệp không sửa chúng: giữ nguyên văn bản mới hơn.",
            err=True,
        )


COMMANDS = [review]
