"""``broadcast summarize`` and ``broadcast script``: the script stage from the command line."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import ask_yes_no, json_option
from broadcast.script.glossary import Glossary
from broadcast.store.station import Station

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Dạng kết quả. / Output format.",
)
ARTICLE = click.argument("article", type=click.Path(path_type=Path, dir_okay=False))


def _in_workspace(app: AppContext) -> bool:
    """Whether the user named a workspace (--workspace, the environment) or a station.toml
    surrounds the current folder; such a workspace must then be valid as for any command."""
    from broadcast.store.workspace import ENV_VAR, STATION_FILE

    named = app.workspace_option is not None or bool(os.environ.get(ENV_VAR))
    here = Path.cwd().resolve()
    return named or any((f / STATION_FILE).is_file() for f in (here, *here.parents))


def station_or_default(app: AppContext) -> Station:
    """The workspace's station, or the defaults when the user named no workspace and no
    station.toml surrounds the current folder: summaries and spoken forms need no database.
    """
    if _in_workspace(app):
        return app.workspace.station
    return Station(name="Đài truyền thanh xã", commune="", province="")


def glossary_for(app: AppContext) -> Glossary:
    """The shipped glossary with the station's saved readings (``broadcast spoken add``) on
    top when a workspace is in use; the shipped one alone otherwise."""
    from broadcast.script.glossary import load_glossary
    from broadcast.script.spoken.station import station_glossary

    if _in_workspace(app):
        return station_glossary(app.workspace)
    return load_glossary()


def _warn_if_bad(body: str) -> None:
    """These commands only print, so bad text earns a warning; ``produce`` refuses it."""
    from broadcast.text.quality import assess_quality

    report = assess_quality(body)
    if not report.ok:
        click.echo(f"Cảnh báo: {report.message}", err=True)


@click.command()
@ARTICLE
@click.option(
    "--minutes",
    type=float,
    default=None,
    help="Độ dài phần thân bài (phút, mặc định 1). / Target length of the body in minutes.",
)
@click.option(
    "--words", type=int, default=None, help="Số chữ (âm tiết) tối đa. / Maximum syllables."
)
@FORMAT
@click.pass_obj
def summarize(
    app: AppContext, article: Path, minutes: float | None, words: int | None, fmt: str
) -> None:
    """Tóm tắt bài viết theo độ dài. / Summarise an article to a length."""
    from broadcast.script.build import check_target, summarize_article
    from broadcast.script.report import summary_json, summary_stats, summary_text
    from broadcast.text.ingest import read_article

    check_target(minutes, words)
    station = station_or_default(app)
    text = read_article(article)
    _warn_if_bad(text.body)
    summary = summarize_article(text, station, glossary_for(app), minutes=minutes, words=words)
    if fmt == "json":
        click.echo(summary_json(summary, source=str(article), title=text.title))
    else:
        click.echo(summary_text(summary))
        click.echo(summary_stats(summary), err=True)


BUILD = "build"


class ScriptGroup(click.Group):
    """``broadcast script``: a group whose first word may also be an article.

    ``broadcast script bai.txt`` built a script long before the group had subcommands
    (list, show, submit...), and scripts and the README still say so: anything that is not a
    subcommand name (nor --help) is handed to ``script build``.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [BUILD, *args]
        return super().parse_args(ctx, args)


@click.group(cls=ScriptGroup)
def script() -> None:
    """Kịch bản phát thanh: viết từ bài ('broadcast script BÀI' là 'script build BÀI'),
    liệt kê, xem, lưu trữ, xoá.

    Radio scripts: build one from an article ('broadcast script FILE'), list, show,
    archive, delete.
    """


@script.command(BUILD)
@ARTICLE
@click.option(
    "--minutes",
    type=float,
    default=3.0,
    show_default=True,
    help="Độ dài cả bản tin (phút). / Target length of the whole segment in minutes.",
)
@click.option(
    "--topic",
    default=None,
    help="Lĩnh vực CCHC (mặc định: đoán từ bài), vd. chinh-quyen-so, thu-tuc, the-che, "
    "bo-may, cong-vu, tai-chinh. / CCHC area.",
)
@FORMAT
@click.option(
    "--save",
    is_flag=True,
    help="Lưu kịch bản vào cơ sở dữ liệu (không làm âm thanh) để biên dịch. / Store the "
    "script without audio, for translation.",
)
@click.pass_obj
def build(
    app: AppContext, article: Path, minutes: float, topic: str | None, fmt: str, save: bool
) -> None:
    """Viết kịch bản phát thanh từ bài viết. / Build the radio script of an article."""
    from broadcast.script.build import article_topic, build_script, check_target
    from broadcast.script.duration import station_pace
    from broadcast.script.report import script_json, script_text
    from broadcast.script.topic import parse_topic
    from broadcast.text.ingest import read_article

    check_target(minutes, None)
    chosen = parse_topic(topic) if topic is not None else None
    station = station_or_default(app)
    text = read_article(article)
    _warn_if_bad(text.body)
    glossary = glossary_for(app)
    result = build_script(text, station, minutes, glossary, topic=chosen)
    if save:
        from broadcast.model.people import Role
        from broadcast.people.permissions import require_role
        from broadcast.script.save import store_script

        require_role(app.person, Role.PRODUCER)
        saved = store_script(
            app.workspace, text, result, by=app.person.login, readings=glossary.station_key
        )
        if saved.reused:
            click.echo(
                f"Kịch bản '{saved.slug}' (số {saved.id}) đã có, không làm lại: bài viết và "
                "tùy chọn không đổi.",
                err=True,
            )
        else:
            version = f", phiên bản {saved.version}" if saved.version > 1 else ""
            click.echo(f"Đã lưu kịch bản '{saved.slug}' (số {saved.id}{version}).", err=True)
    if fmt == "json":
        guess = article_topic(text)
        if chosen is not None:
            guess = dataclasses.replace(guess, topic=chosen, edited=True)
        click.echo(script_json(result, station_pace(station), guess))
    else:
        click.echo(script_text(result))


COMMANDS = [summarize, script]


def _attach_vetting() -> None:
    """submit / approve / return (helper X's module, kept apart from list/show/...)."""
    from broadcast.cli.vetting import VETTING_COMMANDS

    for command in VETTING_COMMANDS:
        script.add_command(command)


_attach_vetting()


@script.command("list")
@click.option(
    "--all", "show_all", is_flag=True, help="Cả kịch bản đã lưu trữ. / Archived ones too."
)
@click.option(
    "--versions", is_flag=True, help="Mọi phiên bản, không chỉ bản mới nhất. / Every version."
)
@json_option
@click.pass_obj
def list_command(app: AppContext, show_all: bool, versions: bool, as_json: bool) -> None:
    """Liệt kê kịch bản đã lưu: số, tên, trạng thái. / List stored scripts."""
    from broadcast.script.catalog import list_scripts

    entries = list_scripts(app.workspace, include_archived=show_all, all_versions=versions)
    if as_json:
        click.echo(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo(
            "Chưa có kịch bản nào; tạo bằng 'broadcast produce BÀI' hoặc 'broadcast "
            "script BÀI --save'."
        )
        return
    for e in entries:
        s = e.script
        data = e.as_json()
        version = f" (bản {s.version})" if s.version is not None else ""
        archived = " [đã lưu trữ]" if s.archived_at else ""
        click.echo(
            f"#{s.id:<4} {s.name}{version}  [{s.language}] {e.state}  {data['created_at']}"
            f"{archived}\n      {s.title}"
        )


@script.command("show")
@click.argument("ref", metavar="KỊCH_BẢN")
@json_option
@click.pass_obj
def show_command(app: AppContext, ref: str, as_json: bool) -> None:
    """Xem một kịch bản: các câu (đánh số từ 1), bản dịch, bản thu, lịch phát. / Show one."""
    from broadcast.model.review import ReviewState
    from broadcast.model.schedule import Priority
    from broadcast.script.catalog import local_time, show_script

    detail = show_script(app.workspace, ref)
    if as_json:
        click.echo(json.dumps(detail.as_json(), ensure_ascii=False, indent=2))
        return
    s = detail.entry.script
    version = f", bản {s.version}" if s.version is not None else ""
    click.echo(f"Kịch bản #{s.id} '{s.name}'{version}: {s.title}")
    click.echo(
        f"Ngôn ngữ {s.language}; trạng thái: {detail.entry.state}; tạo lúc "
        f"{local_time(s.created_at)}" + (" (đã lưu trữ)" if s.archived_at else "") + "."
    )
    if len(detail.versions) > 1:
        listed = ", ".join(f"bản {v.version} (#{v.id}, {v.slug})" for v in detail.versions)
        click.echo(f"Các phiên bản: {listed}.")
    for sentence in detail.sentences:
        click.echo(f"{sentence.position + 1:>3}. {sentence.written}")
        if sentence.spoken != sentence.written:
            click.echo(f"     đọc: {sentence.spoken}")
    for t in detail.translations:
        state = ReviewState(t.state).label
        click.echo(f"Bản dịch {t.language}: {state}, đã duyệt {t.approved}/{t.segments} câu.")
    for r in detail.renders:
        click.echo(f"Bản làm #{r.id} {r.kind} [{r.language}]: {r.path}")
    for i in detail.items:
        removed = " (đã gỡ)" if i.removed_at else ""
        click.echo(
            f"Mục phát #{i.id}: {i.valid_from} → {i.valid_to}, {Priority(i.priority).label}, "
            f"cụm loa {', '.join(i.zones)}{removed}"
        )


@script.command("archive")
@click.argument("ref", metavar="KỊCH_BẢN")
@click.option("--undo", is_flag=True, help="Bỏ lưu trữ (hiện lại trong danh sách). / Un-archive.")
@json_option
@click.pass_obj
def archive_command(app: AppContext, ref: str, undo: bool, as_json: bool) -> None:
    """Lưu trữ: ẩn khỏi danh sách, thôi phát từ bây giờ, giữ lịch sử. / Archive a script."""
    from broadcast.model.people import Role
    from broadcast.script.catalog import archive_script, restore_script

    person = app.require(Role.PRODUCER)
    if undo:
        row = restore_script(app.workspace, ref)
        if as_json:
            click.echo(json.dumps({"number": row.id, "name": row.slug, "archived": False}))
        else:
            click.echo(f"Đã bỏ lưu trữ kịch bản '{row.slug}' (số {row.id}).")
        return
    done = archive_script(app.workspace, ref, by=person.login)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "number": done.script.id,
                    "name": done.script.slug,
                    "archived": True,
                    "removed_items": done.items,
                },
                ensure_ascii=False,
            )
        )
        return
    click.echo(f"Đã lưu trữ kịch bản '{done.script.slug}' (số {done.script.id}).")
    if done.items:
        click.echo(
            f"Đã gỡ {len(done.items)} mục phát ({', '.join(f'#{i}' for i in done.items)}) "
            "khỏi lịch từ bây giờ."
        )
    for line in done.lines:
        click.echo(line)


@script.command("edit")
@click.argument("ref", metavar="KỊCH_BẢN")
@click.argument("number", metavar="SỐ_CÂU", type=click.IntRange(min=1))
@click.option("--written", default=None, help="Câu viết mới (phụ đề). / New written form.")
@click.option(
    "--spoken",
    default=None,
    help="Cách đọc mới; bỏ trống thì làm lại theo câu viết mới. / New spoken form.",
)
@click.option("--remove", is_flag=True, help="Bỏ câu nội dung này. / Remove this body sentence.")
@click.pass_obj
def edit_command(
    app: AppContext, ref: str, number: int, written: str | None, spoken: str | None, remove: bool
) -> None:
    """Sửa hoặc bỏ một câu của kịch bản tiếng Việt (như trang Kịch bản). / Edit a sentence."""
    from broadcast.model.people import Role
    from broadcast.script.edit import edit_sentence, remove_sentence
    from broadcast.store.lifecycle import script_by_ref, script_sentences

    ws = app.workspace
    person = app.require(Role.PRODUCER)
    with ws.open_db() as db:
        row = script_by_ref(db, ref)
        current = {s.position: s for s in script_sentences(db, row.id)}
    if remove:
        change = remove_sentence(ws, row.id, number - 1, person)
    else:
        if written is None and spoken is None:
            raise click.UsageError("Hãy cho --written, --spoken hoặc --remove.")
        old = current.get(number - 1)
        change = edit_sentence(
            ws,
            row.id,
            number - 1,
            person,
            written=written if written is not None else (old.written if old else ""),
            spoken=spoken if spoken is not None else (old.spoken if old else ""),
        )
    click.echo(change.message)
    from broadcast.cli.onair import refresh_on_air

    refresh_on_air(ws)  # a voided approval takes its renders off the air, said on stderr


@script.command("delete")
@click.argument("ref", metavar="KỊCH_BẢN")
@click.option("--yes", is_flag=True, help="Không hỏi lại. / Do not ask for confirmation.")
@json_option
@click.pass_obj
def delete_command(app: AppContext, ref: str, yes: bool, as_json: bool) -> None:
    """Xoá kịch bản chưa phát và chưa vào lịch, cùng bản dịch và tệp trong out/. / Delete."""
    from broadcast.model.people import Role
    from broadcast.script.catalog import delete_script, show_script

    ws = app.workspace
    app.require(Role.PRODUCER)
    if not yes:
        row = show_script(ws, ref).entry.script
        if not ask_yes_no(f"Xoá hẳn kịch bản '{row.slug}' (số {row.id}), bản dịch và tệp của nó?"):
            raise click.exceptions.Abort()  # the boundary says "Đã hủy; không thay đổi gì."
    done = delete_script(ws, ref)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "number": done.script.id,
                    "name": done.script.slug,
                    "deleted": True,
                    "files": [str(p) for p in done.files],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(
        f"Đã xoá kịch bản '{done.script.slug}' (số {done.script.id}) và {len(done.files)} tệp."
    )
