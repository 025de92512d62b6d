"""``broadcast web``: serve the web workspace on the Center's PC or server."""

from __future__ import annotations

import subprocess
import sys

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
    help="Số việc dài (giọng, trộn, video) làm cùng lúc; 0 khi đã chạy 'broadcast worker' "
    "riêng. / Jobs run at once.",
)
@click.option(
    "--worker-threads",
    is_flag=True,
    help="Làm việc dài trong chính tiến trình máy chủ (mặc định: một tiến trình "
    "'broadcast worker' con, để trang web vẫn nhanh khi đang dựng video). / Run jobs in "
    "server threads instead of a child worker process.",
)
@click.pass_obj
def web(app: AppContext, host: str, port: int, workers: int, worker_threads: bool) -> None:
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
    child: subprocess.Popen[bytes] | None = None
    if workers and worker_threads:
        from broadcast.jobs.workers import WorkerPool

        pool = WorkerPool(ws, workers)
        recovered = pool.start()
        if recovered.requeued or recovered.failed:
            click.echo(
                f"Công việc dang dở từ lần chạy trước: chạy lại {len(recovered.requeued)}, "
                f"báo hỏng {len(recovered.failed)}.",
                err=True,
            )
    elif workers:
        # A child process rather than threads: a render's Python work would otherwise share
        # the interpreter lock with the pages (bench/web.py: translate page p95 about 350 ms
        # while a video renders with threads, about 110 ms with the worker process). It dies
        # with the server (parent-death signal) and is stopped with it.
        from broadcast.lifecycle import bound_to_parent

        child = subprocess.Popen(
            [sys.executable, "-m", "broadcast", "-w", str(ws.root), "worker",
             "--workers", str(workers)],
            preexec_fn=bound_to_parent(),  # noqa: PLW1509 - only sets the death signal
        )  # fmt: skip
    from broadcast.store.db import keep_connections

    keep_connections()  # one connection per server thread, not one per page (see Database.kept)
    click.echo("Nhấn Ctrl+C để dừng.", err=True)
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        if pool is not None:
            pool.stop()
        if child is not None:
            child.terminate()  # the worker hands back unfinished jobs on SIGTERM
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


COMMANDS = [web]
