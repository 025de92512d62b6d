"""``broadcast report``: the quarterly, half-year or yearly report from the as-run log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from broadcast.cli.context import AppContext


@click.command()
@click.option(
    "--period",
    required=True,
    help="Kỳ báo cáo: 2026-Q1 (quý), 2026-H1 (6 tháng), 2026 (năm), 2026-03 (tháng). "
    "/ Reporting period.",
)
@click.option(
    "--out",
    "out_root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục đặt báo cáo (mặc định out/reports). / Folder to write the report folder in.",
)
@click.option(
    "--date",
    "report_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Ngày ghi trên báo cáo (mặc định hôm nay). / Date printed on the report.",
)
@click.pass_obj
def report(
    app: AppContext, period: str, out_root: Path | None, report_date: dt.datetime | None
) -> None:
    """Viết báo cáo kết quả tuyên truyền (.docx, CSV, HTML có biểu đồ) từ nhật ký phát.

    Write the period report (.docx, CSV, HTML with charts) from the as-run log; each run
    writes a new version, earlier ones are kept.
    """
    from broadcast.schedule.report import make_report

    files = make_report(
        app.workspace,
        period,
        out_root=out_root,
        today=report_date.date() if report_date else None,
        made_by=app.person.login,
    )
    click.echo(f"Đã viết báo cáo (bản {files.version}) vào {files.folder}:")
    for path in (files.docx, files.html, *files.csv):
        click.echo(f"  {path.name}")
    if files.provisional:
        click.echo("Kỳ báo cáo chưa kết thúc: số liệu là số liệu tạm tính.")


COMMANDS = [report]
