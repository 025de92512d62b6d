"""``broadcast worker``: run the workspace's jobs in a process of their own."""

from __future__ import annotations

import click

from broadcast.cli.context import AppContext


@click.command()
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="Số luồng chạy việc cùng lúc. / Jobs run at once.",
)
@click.pass_obj
def worker(app: AppContext, workers: int) -> None:
    """Chạy các công việc dài (đọc, trộn, dựng video, làm bản tin, dịch nháp) của hàng đợi,
    đến khi bị dừng (Ctrl-C hoặc SIGTERM). / Run queued jobs until stopped."""
    from broadcast.jobs.workers import Recovery, run_consumer

    ws = app.workspace

    def started(fixed: Recovery) -> None:
        if fixed.requeued or fixed.failed:
            click.echo(
                f"Công việc bị gián đoạn trước đó: {len(fixed.requeued)} được chạy lại, "
                f"{len(fixed.failed)} được đánh dấu lỗi.",
                err=True,
            )
        click.echo(
            f"Đang chạy công việc của {ws.root} với {workers} luồng; dừng bằng Ctrl-C.",
            err=True,
        )

    given_up = run_consumer(ws, workers=workers, started=started)
    left = len(given_up.requeued) + len(given_up.failed)
    tail = f"; {left} công việc đang dở được trả lại hàng đợi hoặc đánh dấu lỗi" if left else ""
    click.echo(f"Đã dừng bộ chạy việc{tail}.", err=True)


COMMANDS = [worker]
