"""``broadcast produce``: one article to audio, video and a playlist entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option


@click.command()
@click.argument("article", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--minutes",
    type=click.FloatRange(0.25, 30),
    default=3.0,
    show_default=True,
    help="Độ dài mục tiêu (phút). / Target length in minutes.",
)
@click.option("--title", default=None, help="Tiêu đề bản tin (mặc định: lấy từ bài).")
@click.option(
    "--at",
    "at",
    type=click.DateTime(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]),
    default=None,
    help="Xếp lịch như thể bây giờ là lúc này (mặc định: hiện tại). "
    "/ Schedule as if it were this time.",
)
@click.option(
    "--allow-bad-text",
    is_flag=True,
    help="Vẫn làm bản tin khi bài viết mất dấu, hỏng chữ hoặc không phải tiếng Việt. "
    "/ Produce even from text without diacritics, mangled or not Vietnamese.",
)
@json_option
@click.pass_obj
def produce(
    app: AppContext,
    article: Path,
    minutes: float,
    title: str | None,
    at: dt.datetime | None,
    allow_bad_text: bool,
    as_json: bool,
) -> None:
    """Làm bản tin từ một bài viết. / Produce a segment from an article."""
    from broadcast.produce import STAGES
    from broadcast.produce import produce as run_produce

    ws = app.workspace

    def progress(index: int, label: str) -> None:
        click.echo(f"[{index}/{len(STAGES)}] {label}…", err=True)

    def on_sentence(done: int, total: int) -> None:
        if done == total or done % 5 == 0:
            click.echo(f"      câu {done}/{total}", err=True)

    result = run_produce(
        ws,
        article,
        minutes=minutes,
        title=title,
        now=at,
        progress=progress,
        on_sentence=on_sentence,
        allow_bad_text=allow_bad_text,
    )
    from broadcast.cli.onair import refresh_on_air

    refresh_on_air(ws)  # a void made since the last command (even by SQL) leaves the air
    if as_json:
        click.echo(result.as_json())
        return
    click.echo(
        f"Xong: {result.sentences} câu, {result.duration_s:.1f} giây, "
        f"{result.loudness_lufs:.1f} LUFS, đỉnh {result.true_peak_db:.1f} dBTP."
    )
    click.echo(f"  Âm thanh (loa): {result.audio}")
    click.echo(f"  Video:          {result.video}")
    click.echo(f"  Phụ đề SRT:     {result.srt}")
    click.echo(f"  Kịch bản:       {result.script_text}")
    click.echo(
        f"  Danh sách phát: {result.playlist} (khung giờ {result.slot_start:%H:%M %d/%m/%Y})"
    )


COMMANDS = [produce]
