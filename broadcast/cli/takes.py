"""``broadcast takes sheet`` and ``broadcast takes import``: announcer takes."""

from __future__ import annotations

from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.model.people import Role


@click.group()
def takes() -> None:
    """Bản thu của phát thanh viên (tiếng Thái, Mông...). / Announcer takes."""


@takes.command()
@click.argument("script")
@click.option(
    "--lang",
    "language",
    default="vi",
    show_default=True,
    help="Ngôn ngữ của bản đọc (vd. vi, blt, hmn). / Language read.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "both"]),
    default="both",
    show_default=True,
    help="Dạng phiếu đọc. / Sheet format.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục ghi phiếu (mặc định takes/KỊCH_BẢN/). / Folder.",
)
@click.pass_obj
def sheet(app: AppContext, script: str, language: str, fmt: str, out_dir: Path | None) -> None:
    """In phiếu đọc: chữ to, câu đánh số, chỗ nghỉ. / Print a reading sheet."""  # fmt: skip
    from broadcast.takes.stage import write_sheet

    formats = ("html", "pdf") if fmt == "both" else (fmt,)
    for path in write_sheet(app.workspace, script, language, formats, out_dir):
        click.echo(str(path))


@takes.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--script", "script", required=True, help="Kịch bản (tên hoặc số). / Script.")
@click.option(
    "--lang",
    "language",
    default="vi",
    show_default=True,
    help="Ngôn ngữ của bản thu. / Language of the take.",
)
@click.option(
    "--min-silence",
    type=click.FloatRange(0.05, 5.0),
    default=0.35,
    show_default=True,
    help="Chỗ nghỉ giữa câu dài ít nhất (giây). / Minimum pause.",
)
@click.option(
    "--noise",
    type=click.FloatRange(-90.0, -10.0),
    default=-40.0,
    show_default=True,
    help="Ngưỡng im lặng (dB dưới đỉnh). / Silence threshold.",
)
@click.option(
    "--pace",
    type=float,
    default=None,
    help="Tốc độ đọc (âm tiết/phút; mặc định theo station.toml). / Reading pace.",
)
@click.pass_obj
def import_(
    app: AppContext,
    file: Path,
    script: str,
    language: str,
    min_silence: float,
    noise: float,
    pace: float | None,
) -> None:
    """Nhập bản thu: cắt lặng, lọc ù, chuẩn hóa, chia câu. / Import and align a take."""
    app.require(Role.PRODUCER)
    from broadcast.takes.importer import SplitSettings
    from broadcast.takes.stage import import_take_file

    take, result = import_take_file(
        app.workspace, file, script, language,
        settings=SplitSettings(min_silence_s=min_silence, noise_db=noise), pace_spm=pace,
    )  # fmt: skip
    for warning in result.warnings:
        click.echo(f"Cảnh báo: {warning}", err=True)
    click.echo(
        f"Đã nhập bản thu {take.script.slug} ({take.language}): {result.duration_s:.1f} giây "
        f"sau khi cắt lặng (gốc {result.original_s:.1f} giây), {len(result.spans)} câu, "
        f"chia theo {result.alignment.method}."
    )
    for line, (start, end) in zip(take.lines, result.spans, strict=True):
        click.echo(f"{line.number:>3}. {start:7.2f}–{end:7.2f}  {line.text[:60]}")
    click.echo(f"Lưu tại {result.folder}")


COMMANDS = [takes]
