"""The ``broadcast`` command: a thin layer of options over the stage functions.

Errors from the stages (``BroadcastError``) are turned into one line on stderr and an exit
code here, at a single boundary, so no command repeats that handling. Every other exception
is turned into one sentence with an error number, its traceback written to the crash log
(``broadcast.errorlog``), never to the screen.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from broadcast import __version__
from broadcast.cli.context import AppContext
from broadcast.cli.usage import usage_errors_in_vietnamese, vietnamese_help
from broadcast.errorlog import UNEXPECTED_EXIT_CODE, record_crash
from broadcast.errors import BroadcastError
from broadcast.lifecycle import install_signal_handlers
from broadcast.store.db import explain as explain_database_error

_ARGS_KEY = "broadcast.args"


class BroadcastGroup(click.Group):
    """The error boundary of every command, and lazy loading of the command modules.

    ``homes`` maps a command name to the module of ``broadcast.cli`` that defines it; that
    module is imported the first time the command is asked for, so ``broadcast normalize``
    does not pay for importing the scheduler, the reports and the web server."""

    homes: dict[str, str] = {}
    lines: dict[str, str] = {}

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from ``lines``, so ``broadcast --help`` imports no command."""
        rows = []
        for name in self.list_commands(ctx):
            line = self.lines.get(name)
            if line is None:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                line = command.get_short_help_str(formatter.width - 6 - len(name))
            rows.append((name, line))
        if rows:
            with formatter.section("Lệnh"):
                formatter.write_dl(rows)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.homes})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        home = self.homes.get(cmd_name)
        if home is not None and cmd_name not in self.commands:
            module = importlib.import_module(f"broadcast.cli.{home}")
            for command in module.COMMANDS:
                vietnamese_help(command)  # click's help words in Vietnamese, as for the group
                self.add_command(command)
        return self.commands.get(cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_ARGS_KEY] = list(args)  # for naming the command in an unexpected error
        # The group's own options are parsed before invoke, outside its error boundary.
        with usage_errors_in_vietnamese():
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with usage_errors_in_vietnamese():
                return super().invoke(ctx)
        except BroadcastError as exc:
            click.secho(f"Lỗi: {exc.message}", fg="red", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as exc:
            click.echo("Đã dừng theo yêu cầu; không có gì được ghi dở.", err=True)
            # 130 for Ctrl-C; a SIGTERM/SIGHUP turned into lifecycle.Stopped carries 128+N.
            ctx.exit(getattr(exc, "exit_code", 130))
        except click.exceptions.Abort:
            # A confirmation answered "no" (or Ctrl-C at a prompt): click would say "Aborted!".
            click.echo("Đã hủy; không thay đổi gì.", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException):
            raise  # click's own exits and usage errors: click prints and exits as usual
        except sqlite3.Error as exc:
            # A database failure met outside a write transaction (a read of a damaged or
            # vanished file): the same sentence a transaction would give, else a crash report.
            known = explain_database_error(exc)
            if known is None:
                _report_crash(ctx, exc)
            else:
                click.secho(f"Lỗi: {known.message}", fg="red", err=True)
                ctx.exit(known.exit_code)
        except BrokenPipeError:
            # The reader went away (`broadcast ingest bai.txt | head`): not an error to report.
            # Point stdout at /dev/null so Python's final flush does not raise again.
            with contextlib.suppress(OSError, ValueError, AttributeError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(141)  # 128 + SIGPIPE, as a shell reports a command killed by a closed pipe
        except Exception as exc:
            # Anything not foreseen: one sentence with an error number on screen, the
            # traceback in the workspace's crash log, never on the user's screen.
            _report_crash(ctx, exc)


def _report_crash(ctx: click.Context, exc: Exception) -> NoReturn:
    app = ctx.obj if isinstance(ctx.obj, AppContext) else None
    crash = record_crash(exc, app.workspace_option if app else None)
    click.secho(f"Lỗi: {crash.sentence(_command_line(ctx))}", fg="red", err=True)
    ctx.exit(UNEXPECTED_EXIT_CODE)


def _command_line(ctx: click.Context) -> str:
    """'broadcast asrun import': the command the user ran, without options or file names."""
    words = [ctx.info_name or "broadcast"]
    command: click.Command = ctx.command
    for arg in ctx.meta.get(_ARGS_KEY, []):
        if not isinstance(command, click.Group):
            break
        sub = command.get_command(ctx, arg) if not arg.startswith("-") else None
        if sub is not None:  # anything else is an option or its value
            words.append(arg)
            command = sub
    return " ".join(words)


@click.group(cls=BroadcastGroup)
@click.version_option(__version__, prog_name="broadcast", message="%(prog)s, phiên bản %(version)s")
@click.option(
    "-w",
    "--workspace",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục làm việc của đài (mặc định: $BROADCAST_WORKSPACE hoặc thư mục hiện tại "
    "và các thư mục cha). / Station workspace.",
)
@click.option(
    "--as",
    "as_person",
    default=None,
    metavar="TÊN",
    help="Thay mặt người dùng này (tên đăng nhập; mặc định $BROADCAST_USER, rồi người mặc "
    "định của đài). / Act as this person.",
)
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, as_person: str | None) -> None:
    """Công cụ làm bản tin truyền thanh cải cách hành chính cho xã.

    Turns commune articles on administrative reform into loudspeaker audio, video clips
    and playlists.
    """
    ctx.obj = AppContext(workspace_option=workspace, as_option=as_person)


# Where each command lives (one module per command group, each listing its commands in
# ``COMMANDS``) and the line ``broadcast --help`` shows for it. Kept here so that running one
# command imports one module and the help list imports none; tests/test_cli_lazy.py checks
# the homes against the modules' own COMMANDS lists.
COMMAND_INDEX: dict[str, tuple[str, str]] = {
    "init": ("workspace", "Tạo không gian làm việc của đài."),
    "user": ("user", "Người dùng và vai trò: thêm, liệt kê, cấp, thu hồi, mật khẩu."),
    "station": ("station", "Các trạm trên máy chủ của tỉnh: thêm, liệt kê."),
    "produce": ("produce", "Làm bản tin từ một bài viết."),
    "ingest": ("text", "Đọc và làm sạch một bài viết, in văn bản và báo cáo."),
    "normalize": ("normalize", "In dạng đọc của văn bản: số, ngày, chữ viết tắt."),
    "summarize": ("script", "Tóm tắt bài viết theo độ dài."),
    "script": ("script", "Kịch bản phát thanh: viết, liệt kê, xem, duyệt, lưu trữ."),
    "spoken": ("spoken", "Từ điển cách đọc của đài (chữ viết tắt, địa danh)."),
    "mt": ("mt", "Gói dịch máy (argostranslate) của đài."),
    "glossary": ("glossary", "Bảng thuật ngữ dịch theo từng ngôn ngữ."),
    "tm": ("tm", "Bộ nhớ dịch: các cặp câu đã duyệt, dùng lại khi dịch."),
    "schedule": ("schedule", "Lịch phát theo cụm loa: mục phát, lập lịch, xuất."),
    "asrun": ("asrun", "Nhật ký phát thực tế: nhập, xác nhận, đối chiếu."),
    "report": ("report", "Báo cáo kết quả tuyên truyền (.docx, CSV, HTML)."),
    "translate": ("translate", "Tạo bản dịch nháp theo từng câu của kịch bản."),
    "review": ("review", "Duyệt bản dịch: xem, sửa, duyệt, trả lại, trao đổi tệp."),
    "mix": ("render", "Trộn âm thanh theo cấu hình nơi phát."),
    "video": ("render", "Dựng video có phụ đề, tệp SRT/WebVTT và ảnh bìa."),
    "voice": ("voice", "Đọc kịch bản thành giọng nói; cài và liệt kê giọng đọc."),
    "takes": ("takes", "Bản thu của phát thanh viên (tiếng Thái, Mông...)."),
    "cache": ("cache", "Bộ nhớ đệm của không gian làm việc (.cache)."),
    "config": ("config", "Cấu hình đài (station.toml)."),
    "web": ("web", "Mở không gian làm việc trên trình duyệt."),
    "worker": ("worker", "Chạy các công việc dài của hàng đợi đến khi bị dừng."),
    "backup": ("backup", "Sao lưu cả không gian làm việc vào một tệp .tar.gz."),
    "restore": ("backup", "Khôi phục bản sao lưu vào một thư mục mới và kiểm tra."),
    "departments": ("departments", "Bài viết hằng tháng của các cơ quan, đơn vị."),
    "publish": ("publish", "Xuất bản kịch bản đã duyệt: cổng thông tin, mạng xã hội."),
}
COMMAND_HOMES = {name: home for name, (home, _line) in COMMAND_INDEX.items()}
cli.homes = COMMAND_HOMES
cli.lines = {name: line for name, (_home, line) in COMMAND_INDEX.items()}
vietnamese_help(cli)  # click's own help words (Usage, Options, ...) in Vietnamese


def main() -> None:
    install_signal_handlers()  # SIGTERM and SIGHUP clean up as Ctrl-C does
    cli(prog_name="broadcast")
