"""``broadcast backup`` and ``broadcast restore``: the workspace as one archive and back."""

from __future__ import annotations

from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.model.people import Role


@click.command()
@click.argument("dest", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.pass_obj
def backup(app: AppContext, dest: Path) -> None:
    """Sao lưu cả không gian làm việc (cơ sở dữ liệu, station.toml, bài viết, thuật ngữ,
    giọng đọc, bản thu, sản phẩm) vào một tệp .tar.gz; DEST là tệp mới hoặc thư mục (mặc
    định: thư mục hiện tại). / Back up the workspace into one archive."""
    from broadcast.backup import backup_workspace

    app.require(Role.ADMIN)
    result = backup_workspace(app.workspace, dest)
    mb = result.bytes / (1024 * 1024)
    click.echo(f"Đã sao lưu {result.files} tệp ({mb:.1f} MB) vào {result.path}.")


@click.command()
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("new_dir", type=click.Path(path_type=Path, file_okay=False))
def restore(archive: Path, new_dir: Path) -> None:
    """Khôi phục bản sao lưu vào một thư mục mới, kiểm tra cơ sở dữ liệu và lập lại lịch để
    so với lịch đã lưu. / Restore a backup into a new workspace and verify it."""
    from broadcast.backup import restore_workspace

    restored = restore_workspace(archive, new_dir)
    click.echo(
        f"Đã khôi phục {restored.files} tệp vào {restored.workspace.root}; cơ sở dữ liệu "
        "toàn vẹn (integrity_check: ok)."
    )
    if restored.jobs_closed:
        click.echo(
            f"{restored.jobs_closed} công việc đang dở lúc sao lưu được đánh dấu lỗi; hãy chạy "
            "lại nếu cần.",
            err=True,
        )
    if restored.plan_days is None:
        click.echo("Bản sao lưu chưa có lịch phát nào để so.")
    elif restored.plan_same:
        first, last = restored.plan_days
        click.echo(
            f"Lập lại lịch {first:%d/%m/%Y}–{last:%d/%m/%Y} cho đúng lịch đã lưu "
            f"({restored.plan_slots} khung giờ)."
        )
    else:
        shown = ", ".join(restored.plan_differences[:5])
        click.echo(
            f"Lưu ý: lập lại lịch khác lịch đã lưu ở {len(restored.plan_differences)} khung giờ "
            f"({shown}); lịch đã lưu được giữ nguyên, hãy xem rồi chạy 'broadcast schedule "
            "plan' nếu cần.",
            err=True,
        )


COMMANDS = [backup, restore]
