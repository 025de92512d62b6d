"""Click's own usage errors, said in Vietnamese.

Click words its parsing errors ("No such option", "Missing argument") in English and has no
catalogue we could ship without gettext files, so the handful of messages a commune user
actually meets are rewritten here, at the same boundary as every other error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import click

# (English pattern, Vietnamese replacement); applied in order, each at most once.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"No such option: (\S+)", r"Không có tùy chọn \1."),
    (r"\s*Did you mean (\S+)\?", r" Có phải là \1?"),
    (r"\(Possible options: (.+)\)", r"(các tùy chọn gần giống: \1)"),
    (r"No such command '(.+?)'\.", r"Không có lệnh '\1'."),
    (r"Missing argument '(.+?)'\.", r"Thiếu đối số '\1'."),
    (r"Missing option '(.+?)'\.", r"Thiếu tùy chọn '\1'."),
    (r"Got unexpected extra arguments? \((.+)\)", r"Thừa đối số (\1)."),
    (r"Option '(.+?)' requires an argument\.", r"Tùy chọn '\1' cần một giá trị."),
    (r"Option '(.+?)' does not take a value\.", r"Tùy chọn '\1' không nhận giá trị."),
    (r"Invalid value for '(.+?)': ", r"Giá trị không hợp lệ cho '\1': "),
    (r"'(.+?)' is not one of (.+)\.", r"'\1' không thuộc \2."),
    (r"'(.+?)' is not a valid (float|integer)( range)?\.", r"'\1' không phải là số hợp lệ."),
    (r"'(.+?)' does not match the formats? (.+)\.", r"'\1' không đúng dạng \2."),
    (r"(\S+) is not in the range (.+)\.", r"\1 nằm ngoài khoảng \2."),
    (r"(File|Path|Directory) '(.+?)' does not exist\.", r"Không tìm thấy '\2'."),
    (r"(File|Path) '(.+?)' is a directory\.", r"'\2' là một thư mục, không phải tệp."),
    (r"Directory '(.+?)' is a file\.", r"'\1' là một tệp, không phải thư mục."),
)


def vietnamese(message: str) -> str:
    """Rewrite the English phrases of a click usage message; unknown ones pass unchanged."""
    for pattern, replacement in _PHRASES:
        message = re.sub(pattern, replacement, message, count=1)
    return message


class VietnameseUsageError(click.UsageError):
    """A usage error shown as: usage line, where to find help, then ``Lỗi: ...``."""

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.ctx
        if ctx is not None:
            click.echo(ctx.get_usage().replace("Usage:", "Cách dùng:", 1), file=file, err=True)
            click.echo(
                f"Xem '{ctx.command_path} --help' để biết cách dùng. / See --help.",
                file=file,
                err=True,
            )
            click.echo(err=True, file=file)
        click.secho(f"Lỗi: {self.format_message()}", fg="red", file=file, err=True)


def translated(exc: click.UsageError) -> VietnameseUsageError:
    return VietnameseUsageError(vietnamese(exc.format_message()), ctx=exc.ctx)


# click >= 8.2 raises this UsageError subclass to show a group's help when it is given no
# arguments: that is help, shown by click itself, not an error to translate.
_HELP_NOT_ERROR: tuple[type[click.UsageError], ...] = tuple(
    getattr(click.exceptions, name)
    for name in ("NoArgsIsHelpError",)
    if hasattr(click.exceptions, name)
)


@contextmanager
def usage_errors_in_vietnamese() -> Iterator[None]:
    """Re-raise click's usage errors from the block in Vietnamese (once: nested groups)."""
    try:
        yield
    except click.UsageError as exc:
        if isinstance(exc, (VietnameseUsageError, *_HELP_NOT_ERROR)):
            raise
        raise translated(exc) from None


# --- Click's own help words ----------------------------------------------------------------

_HEADINGS = {"Options": "Tùy chọn", "Commands": "Lệnh", "Arguments": "Đối số"}
_HELP_WORDS: tuple[tuple[str, str], ...] = (
    (r"Show this message and exit\.", "Hiện trợ giúp này rồi thoát."),
    (r"Show the version and exit\.", "Hiện phiên bản rồi thoát."),
    (r"\[required\]", "[bắt buộc]"),
    (r"\[default: ", "[mặc định: "),
    (r"\[env var: ", "[biến môi trường: "),
)


# The metavars click derives from a parameter's type, as they appear in an option's term
# ("--lang TEXT"); ours (KỊCH_BẢN, TÊN...) are already Vietnamese.
_METAVARS = {
    "TEXT": "CHỮ",
    "INTEGER": "SỐ_NGUYÊN",
    "FLOAT": "SỐ",
    "DIRECTORY": "THƯ_MỤC",
    "FILE": "TỆP",
    "PATH": "ĐƯỜNG_DẪN",
    "FILENAME": "TỆP",
}
_METAVAR = re.compile(r"(?<![\w-])(" + "|".join(_METAVARS) + r")(?![\w-])")


def metavar_words(term: str) -> str:
    """'--lang TEXT' -> '--lang CHỮ' (only whole upper-case words, never an option name)."""
    return _METAVAR.sub(lambda m: _METAVARS[m.group(1)], term)


def help_words(text: str) -> str:
    """Click's English words in a help column, in Vietnamese."""
    for pattern, replacement in _HELP_WORDS:
        text = re.sub(pattern, replacement, text)
    return text


class VietnameseHelpFormatter(click.HelpFormatter):
    """Click's help page with its own words (Usage, Options, Commands, [required],
    [default: …], the --help line) in Vietnamese; our help texts are already bilingual."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[TÙY_CHỌN]").replace("COMMAND [ARGS]", "LỆNH [ĐỐI_SỐ]")
        args = metavar_words(args)
        super().write_usage(prog, args, "Cách dùng: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl(
            [(metavar_words(term), help_words(text)) for term, text in rows], col_max, col_spacing
        )


class VietnameseContext(click.Context):
    formatter_class = VietnameseHelpFormatter


def vietnamese_help(command: click.Command) -> None:
    """Give ``command`` and every subcommand the Vietnamese help formatter (click makes each
    subcommand's context from that command's own ``context_class``)."""
    command.context_class = VietnameseContext
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            vietnamese_help(sub)
