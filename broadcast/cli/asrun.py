"""``broadcast asrun``: import, confirm and reconcile the log of what was aired."""

from __future__ import annotations

import json
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.model.people import Role


@click.group()
def asrun() -> None:
    """Nhật ký phát thực tế (as-run): nhập, xác nhận, đối chiếu với kế hoạch.

    The as-run log: import, confirm by hand, reconcile with the plan.
    """


@asrun.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
def import_cmd(app: AppContext, file: Path) -> None:
    """Nhập nhật ký phát CSV hoặc JSON của hệ thống loa. / Import a CSV or JSON as-run log.

    Cột / columns: zone, start (ISO 8601), render | item | file, duration (giây), status.
    """
    app.require(Role.SCHEDULER)
    from broadcast.schedule.asrun import import_into

    result = import_into(app.workspace, file)
    if result.already_imported:
        click.echo(f"Tệp {result.source} đã được nhập trước đây; không thêm gì.")
        return
    click.echo(
        f"Đã nhập {result.added} lượt phát từ {result.source} ({result.format.upper()}, "
        f"{result.rows} dòng; {result.duplicates} lượt đã có trong nhật ký)."
    )


@asrun.command()
@click.option("--zone", required=True, help="Cụm loa. / Zone id.")
@click.option(
    "--slot", required=True, help='Giờ bắt đầu khung phát, vd. "2026-03-03 06:00". / Slot start.'
)
@click.option("--all", "all_items", is_flag=True, help="Mọi mục đã phát. / Every item played.")
@click.option(
    "--item",
    "items",
    type=int,
    multiple=True,
    help="Số thứ tự mục đã phát (1, 2, ...; lặp lại được). / Item number played.",
)
@click.option(
    "--missed",
    type=int,
    multiple=True,
    help="Số thứ tự mục không phát được. / Item number not played.",
)
@click.pass_obj
def confirm(
    app: AppContext,
    zone: str,
    slot: str,
    all_items: bool,
    items: tuple[int, ...],
    missed: tuple[int, ...],
) -> None:
    """Đánh dấu bằng tay các mục của một khung phát. / Mark a slot's plays by hand."""
    app.require(Role.SCHEDULER)
    from broadcast.schedule.asrun import confirm_in

    plays = confirm_in(app.workspace, zone, slot, all_items=all_items, played=items, missed=missed)
    aired = sum(1 for p in plays if p.status.aired)
    click.echo(
        f"Đã ghi {aired} mục đã phát và {len(plays) - aired} mục không phát "
        f"cho cụm loa {zone}, khung {slot}."
    )


@asrun.command("diff")
@click.option("--from", "start", required=True, help="Từ ngày YYYY-MM-DD. / First day.")
@click.option("--to", "end", required=True, help="Đến ngày YYYY-MM-DD. / Last day.")
@json_option
@click.pass_obj
def diff_cmd(app: AppContext, start: str, end: str, as_json: bool) -> None:
    """Đối chiếu kế hoạch với thực tế phát. / Plan against as-run: missed, late, extra."""
    from broadcast.schedule.asrun import diff_in
    from broadcast.schedule.asrun_report import reconciliation_json, reconciliation_text

    result = diff_in(app.workspace, start, end)
    if as_json:
        click.echo(json.dumps(reconciliation_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(reconciliation_text(result))


COMMANDS = [asrun]
