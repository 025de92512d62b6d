"""``broadcast cache prune``: free the disk space of cached outputs nothing needs."""

from __future__ import annotations

import json

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.1f} kB"


@click.group()
def cache() -> None:
    """Bộ nhớ đệm của không gian làm việc (.cache). / The workspace cache."""


@cache.command()
@click.option(
    "--dry-run",
    is_flag=True,
    help="Chỉ liệt kê, không xóa gì. / List what would be removed, remove nothing.",
)
@json_option
@click.pass_obj
def prune(app: AppContext, dry_run: bool, as_json: bool) -> None:
    """Xóa các kết quả trung gian không còn bản ghi nào cần. / Remove unreferenced outputs."""
    from broadcast.render.prune import GRACE_S, prune_cache

    ws = app.workspace
    result = prune_cache(ws, dry_run=dry_run)
    if as_json:
        data = {
            "dry_run": result.dry_run,
            "removed": [str(e.path.relative_to(ws.root)) for e in result.removed],
            "bytes": result.freed,
            "kept": result.kept,
            "recent": result.recent,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for entry in result.removed:
        click.echo(f"  {entry.path.relative_to(ws.root)}  ({_size(entry.size)})")
    count, freed = len(result.removed), _size(result.freed)
    if dry_run:
        click.echo(f"Sẽ xóa {count} mục, giải phóng {freed}; chưa xóa gì (--dry-run).")
    else:
        click.echo(f"Đã xóa {count} mục không còn dùng, giải phóng {freed}.")
    click.echo(f"Giữ {result.kept} mục còn bản ghi hoặc câu đã lưu cần đến.")
    if result.recent:
        click.echo(
            f"Giữ thêm {result.recent} mục mới dùng trong {GRACE_S // 60} phút qua "
            "(có thể một lượt làm bản tin đang cần); chạy lại sau để xóa."
        )


COMMANDS = [cache]
