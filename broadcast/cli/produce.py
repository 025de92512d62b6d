"""``broadcast produce``: one article to audio, video and a campaign item of the planner."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.schedule.model import Priority

if TYPE_CHECKING:
    from broadcast.model.events import StageEvent
    from broadcast.produce import ProduceResult


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
    help="Làm như thể bây giờ là lúc này: ngày của bản tin và ngày bắt đầu phát "
    "(mặc định: hiện tại). / Produce as if it were this time.",
)
@click.option(
    "--approve",
    is_flag=True,
    help="Duyệt nội dung luôn (người chạy lệnh phải có vai trò duyệt nội dung) và xếp lịch "
    "ngay. / Approve the content now (content approvers only) and plan it at once.",
)
@click.option(
    "--zones",
    "zones_text",
    default="all",
    show_default=True,
    help="Các cụm loa phát, cách nhau bằng dấu phẩy, hoặc all. / Zones.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 366),
    default=7,
    show_default=True,
    help="Số ngày phát, kể từ hôm nay. / Days on air, from today.",
)
@click.option(
    "--priority",
    type=click.Choice([p.value for p in Priority if p is not Priority.EMERGENCY]),
    default="normal",
    show_default=True,
    help="Loại tin: thông thường hoặc ưu tiên (tin khẩn cấp: 'broadcast schedule add "
    "--priority emergency --now'). / Priority class.",
)
@click.option(
    "--allow-bad-text",
    is_flag=True,
    help="Vẫn làm bản tin khi bài viết mất dấu, hỏng chữ hoặc không phải tiếng Việt. "
    "/ Produce even from text without diacritics, mangled or not Vietnamese.",
)
@click.option(
    "--timings",
    is_flag=True,
    help="In thời gian của từng bước (và bước nào dùng lại bản đã có) sau kết quả. "
    "/ Print each stage's wall time after the result.",
)
@json_option
@click.pass_obj
def produce(
    app: AppContext,
    article: Path,
    minutes: float,
    title: str | None,
    at: dt.datetime | None,
    approve: bool,
    zones_text: str,
    days: int,
    priority: str,
    allow_bad_text: bool,
    timings: bool,
    as_json: bool,
) -> None:
    """Làm bản tin từ một bài viết. / Produce a segment from an article."""
    from broadcast.produce import produce as run_produce

    ws = app.workspace
    person = app.person  # who produces (and approves, with --approve)
    zones = tuple(dict.fromkeys(z.strip() for z in zones_text.split(",") if z.strip()))

    from broadcast.cli.onair import refresh_on_air

    refresh_on_air(ws)  # a void made since the last command (even by SQL) leaves the air
    result = run_produce(
        ws,
        article,
        minutes=minutes,
        title=title,
        now=at,
        on_event=_StepPrinter(),
        allow_bad_text=allow_bad_text,
        approve=approve,
        person=person,
        zones=zones or ("all",),
        days=days,
        priority=Priority(priority),
    )
    if as_json:
        click.echo(result.as_json(timings=timings))
        return
    _print_result(result)
    if timings:
        _print_timings(result)


def _print_result(result: ProduceResult) -> None:
    if result.reused:
        click.echo(
            f"Bản tin '{result.slug}' (phiên bản {result.version}) đã có, không làm lại: "
            "bài viết và tùy chọn không đổi."
        )
    else:
        version = f", phiên bản {result.version}" if result.version > 1 else ""
        click.echo(
            f"Xong '{result.slug}'{version}: {result.sentences} câu, {result.duration_s:.1f} "
            f"giây, {result.loudness_lufs:.1f} LUFS, đỉnh {result.true_peak_db:.1f} dBTP."
        )
    if len(result.versions) > 1:
        history = ", ".join(f"{v.version}: {v.slug}" for v in result.versions)
        click.echo(f"  Các phiên bản:  {history}")
    click.echo(f"  Âm thanh (loa): {result.audio}")
    click.echo(f"  Video:          {result.video}")
    click.echo(f"  Phụ đề SRT:     {result.srt}")
    click.echo(f"  Kịch bản:       {result.script_text}")
    item = f"mục phát #{result.item_id}" if result.item_id is not None else "mục phát"
    if not result.approved:
        click.echo(
            f"  Trạng thái:     {result.state} — {item} chỉ được xếp lịch sau khi người có vai "
            f"trò duyệt nội dung chạy 'broadcast script approve {result.slug}'."
        )
        return
    click.echo(f"  Trạng thái:     {result.state}; {item} đã được xếp lịch.")
    if result.playlists:
        click.echo(f"  Danh sách phát: {len(result.playlists)} tệp, ví dụ {result.playlists[0]}")
    else:
        click.echo(
            "  Danh sách phát: chưa có khung giờ nào còn trống trong những ngày phát; xem "
            "'broadcast schedule plan'."
        )


class _StepPrinter:
    """The numbered steps on stderr ("[4/6] Trộn âm thanh…"), each once although the two
    mixes are two stages, and every fifth sentence voiced."""

    def __init__(self) -> None:
        self._shown: set[int] = set()
        self._lock = threading.Lock()  # the two mixes report from two threads

    def __call__(self, event: StageEvent) -> None:
        from broadcast.model.events import STEPS, StageFinished, StageProgress, StageStarted

        step = event.stage.step
        if isinstance(event, StageStarted | StageFinished):
            with self._lock:
                if step in self._shown:
                    return
                self._shown.add(step)
            # A step finished without starting is the stored production's, handed back.
            stored = " (đã có, không làm lại)" if isinstance(event, StageFinished) else ""
            click.echo(f"[{step}/{STEPS}] {event.stage.label}{stored}…", err=True)
        elif isinstance(event, StageProgress) and _shown_count(event.done, event.total):
            click.echo(f"      câu {event.done}/{event.total}", err=True)


def _shown_count(done: int, total: int) -> bool:
    """Every fifth sentence voiced, and the last: enough to see it move, not a flood."""
    return total > 0 and (done == total or done % 5 == 0)


def _print_timings(result: ProduceResult) -> None:
    """Each stage's wall time; the mixes and the video overlapped, so the total is the wall
    time of the run, not the sum of the rows."""
    click.echo("Thời gian từng bước:")
    width = max((len(t.stage.timing_label) for t in result.timings), default=0)
    for t in result.timings:
        note = "  (dùng lại bản đã có)" if t.reused else ""
        click.echo(f"  {t.stage.timing_label:<{width}}  {t.seconds:7.2f} giây{note}")
    overlapped = result.parallel and not result.reused
    together = " (hai bản trộn và video làm cùng lúc)" if overlapped else ""
    click.echo(f"  {'Cả lần chạy':<{width}}  {result.wall_s:7.2f} giây{together}")


COMMANDS = [produce]
