"""``broadcast web``: serve the web workspace on the Center's PC or server."""

from __future__ import annotations

import click

from broadcast.cli.context import AppContext


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ĐỊA_CHỈ",
    help="Địa chỉ lắng nghe; 0.0.0.0 để máy khác trong mạng của xã mở được. / Listen address.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    metavar="CỔNG",
    help="Cổng. / Port.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(0, 16),
    metavar="SỐ",
    help="Số luồng làm việc dài (giọng, trộn, video) chạy cùng máy chủ; 0 khi đã chạy "
    "'broadcast worker' riêng. / Job worker threads started with the server.",
)
@click.pass_obj
def web(app: AppContext, host: str, port: int, workers: int) -> None:
    """Mở không gian làm việc trên trình duyệt. / Serve the web workspace."""
    import uvicorn

    from broadcast.people.login import needs_first_password
    from broadcast.web.app import create_app

    ws = app.workspace
    application = create_app(ws)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}"
    with ws.open_db() as db:
        first = needs_first_password(db)
    click.echo(f"Không gian làm việc của {ws.station.name}: {base}/", err=True)
    if first is not None:
        click.echo(
            f"Người quản trị '{first.login}' chưa có mật khẩu. Mở {base}/bat-dau?ma="
            f"{application.state.setup_token} để đặt mật khẩu quản trị (mã dùng một lần, hết "
            "hiệu lực khi tắt máy chủ).",
            err=True,
        )
    pool = None
    if workers:
        from broadcast.jobs.workers import WorkerPool

        pool = WorkerPool(ws, workers)
        recovered = pool.start()
        if recovered.requeued or recovered.failed:
            click.echo(
                f"Công việc dang dở từ lần chạy trước: chạy lại {len(recovered.requeued)}, "
                f"báo hỏng {len(recovered.failed)}.",
                err=True,
            )
    from broadcast.store.db import keep_connections

    keep_connections()  # one connection per server thread, not one per page (see Database.kept)
    click.echo("Nhấn Ctrl+C để dừng.", err=True)
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        if pool is not None:
            pool.stop()


COMMANDS = [web]
