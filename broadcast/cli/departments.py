"""``broadcast departments``: the departments' monthly articles for the portal (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.model.people import Role


@click.group()
def departments() -> None:
    """Bài viết hằng tháng của các cơ quan, đơn vị cho Trang thông tin điện tử.

    The departments' monthly articles for the commune portal.
    """


@departments.command("submit")
@click.argument("article", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--department", required=True, help="Mã đơn vị gửi bài. / Department id.")
@click.option("--month", default=None, help="Tháng của bài, vd. 2026-03. / Month (YYYY-MM).")
@click.pass_obj
def submit_cmd(app: AppContext, article: Path, department: str, month: str | None) -> None:
    """Ghi nhận bài viết một đơn vị đã gửi. / Record an article handed in by a department."""
    app.require(Role.PRODUCER, alternatives=(Role.ADMIN,))
    from broadcast.publish.departments import submit_file

    done = submit_file(app.workspace, article, department, app.person, month=month)
    if done.already:
        click.echo(f"Bài '{done.article}' của {done.department.name} đã được ghi nhận trước đây.")
        return
    timing = "đúng hạn" if done.on_time else "MUỘN"
    click.echo(
        f"Đã ghi nhận bài '{done.title}' của {done.department.name} cho tháng {done.month} "
        f"({timing}, hạn {done.due_date:%d/%m/%Y})."
    )


@departments.command("month")
@click.argument("month", required=False)
@json_option
@click.pass_obj
def month_cmd(app: AppContext, month: str | None, as_json: bool) -> None:
    """Đơn vị nào đã gửi, gửi muộn, chưa gửi trong tháng. / Who handed in, late, missing."""
    from broadcast.publish.departments import check_month, current_month, month_view, portal_items

    ws = app.workspace
    chosen = check_month(month) if month else current_month()
    with ws.open_db() as db:
        view = month_view(db, ws.station, chosen)
        posted = portal_items(db, chosen)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "month": chosen,
                    "portal_items": posted,
                    "departments": [d.as_json() for d in view],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"Tháng {chosen}: {posted} tin bài đã đăng lên Trang thông tin điện tử.")
    if not view:
        click.echo("Chưa khai báo đơn vị nào ([[departments]] trong station.toml).")
        return
    for item in view:
        click.echo(
            f"  {item.department.name} ({item.department.id}): {item.done}/"
            f"{item.department.per_month} bài, hạn {item.due_date:%d/%m} — {item.status}"
        )


COMMANDS = [departments]
