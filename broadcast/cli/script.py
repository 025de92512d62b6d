"""``broadcast summarize`` and ``broadcast script``: the script stage from the command line."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import click

from broadcast.cli.context import AppContext
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


def station_or_default(app: AppContext) -> Station:
    """The workspace's station, or the defaults when the user named no workspace and no
    station.toml surrounds the current folder: summaries and spoken forms need no database.

    A workspace named by --workspace or the environment, or a station.toml found above, must
    be valid as for any command; only finding none falls back to the defaults.
    """
    from broadcast.store.workspace import ENV_VAR, STATION_FILE

    named = app.workspace_option is not None or bool(os.environ.get(ENV_VAR))
    here = Path.cwd().resolve()
    if named or any((f / STATION_FILE).is_file() for f in (here, *here.parents)):
        return app.workspace.station
    return Station(name="Đài truyền thanh xã", commune="", province="")


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
    from broadcast.script.glossary import load_glossary
    from broadcast.script.report import summary_json, summary_text
    from broadcast.text.ingest import read_article

    check_target(minutes, words)
    station = station_or_default(app)
    text = read_article(article)
    _warn_if_bad(text.body)
    summary = summarize_article(text, station, load_glossary(), minutes=minutes, words=words)
    if fmt == "json":
        click.echo(summary_json(summary, source=str(article), title=text.title))
    else:
        click.echo(summary_text(summary))


@click.command()
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
def script(
    app: AppContext, article: Path, minutes: float, topic: str | None, fmt: str, save: bool
) -> None:
    """Viết kịch bản phát thanh từ bài viết. / Build the radio script of an article."""
    from broadcast.script.build import article_topic, build_script, check_target
    from broadcast.script.duration import station_pace
    from broadcast.script.glossary import load_glossary
    from broadcast.script.report import script_json, script_text
    from broadcast.script.topic import parse_topic
    from broadcast.text.ingest import read_article

    check_target(minutes, None)
    chosen = parse_topic(topic) if topic is not None else None
    station = station_or_default(app)
    text = read_article(article)
    _warn_if_bad(text.body)
    result = build_script(text, station, minutes, load_glossary(), topic=chosen)
    if save:
        from broadcast.script.save import store_script

        saved = store_script(app.workspace, text, result, by=os.environ.get("USER") or "producer")
        click.echo(f"Đã lưu kịch bản '{saved.slug}' (số {saved.id}).", err=True)
    if fmt == "json":
        guess = article_topic(text)
        if chosen is not None:
            guess = dataclasses.replace(guess, topic=chosen, edited=True)
        click.echo(script_json(result, station_pace(station), guess))
    else:
        click.echo(script_text(result))


COMMANDS = [summarize, script]
