"""``broadcast normalize``: the spoken form of Vietnamese text, alone, for checks and batches."""

from __future__ import annotations

from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.script import station_or_default
from broadcast.errors import InputError
from broadcast.script.glossary import load_glossary
from broadcast.script.spoken import decode_text, spoken_lines, to_spoken

STDIN = "-"


@click.command()
@click.argument("text", nargs=-1)
@click.option(
    "--file",
    "file_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Đọc văn bản từ tệp UTF-8. / Read the text from a UTF-8 file.",
)
@click.option(
    "--southern/--northern",
    default=None,
    help="Cách đọc miền Nam (lẻ, ngàn) hay miền Bắc (linh, nghìn); mặc định theo "
    "southern_readings của đài, không có thì miền Bắc. / Southern or Northern readings.",
)
@click.option(
    "--glossary",
    "glossary_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Tệp thuật ngữ TSV thay cho bảng thuật ngữ kèm theo. / Another glossary TSV.",
)
@click.pass_obj
def normalize(
    app: AppContext,
    text: tuple[str, ...],
    file_path: Path | None,
    southern: bool | None,
    glossary_path: Path | None,
) -> None:
    """In dạng đọc của văn bản: số, ngày, chữ viết tắt viết thành lời.

    TEXT is the text itself; `-` reads standard input and prints one line per input line.
    """
    glossary = load_glossary(glossary_path)
    if southern is None:
        southern = station_or_default(app).southern_readings
    if text == (STDIN,):
        data = click.get_binary_stream("stdin").read()
        lines = decode_text(data, name="Đầu vào chuẩn")
        click.echo(spoken_lines(lines, glossary, southern=southern), nl=False)
        return
    spoken = to_spoken(_written_input(text, file_path), glossary, southern=southern)
    click.echo(spoken, nl=not spoken.endswith("\n"))


def _written_input(text: tuple[str, ...], file_path: Path | None) -> str:
    """Exactly one source: the words on the command line or a file."""
    if text and file_path is not None:
        raise InputError("Chỉ đưa vào một nguồn: văn bản trên dòng lệnh hoặc --file, không cả hai.")
    if file_path is not None:
        return decode_text(_read_bytes(file_path), name=f"Tệp {file_path}")
    written = " ".join(text)
    if not written.strip():
        raise InputError(
            "Chưa có văn bản: hãy ghi văn bản sau lệnh, dùng --file TỆP, "
            "hoặc dấu - để đọc từ đầu vào chuẩn."
        )
    return written


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"Không tìm thấy tệp {path}.") from None
    except IsADirectoryError:
        raise InputError(f"{path} là thư mục, không phải tệp văn bản.") from None
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path} ({exc.strerror}).") from None


COMMANDS = [normalize]
