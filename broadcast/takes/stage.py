"""The take stage as the CLI (and produce) call it: resolve the script, then sheet or import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import InputError
from broadcast.store import records
from broadcast.store.files import atomic_write_bytes
from broadcast.store.workspace import Workspace
from broadcast.takes.importer import SplitSettings, TakeImport, import_take, takes_folder
from broadcast.takes.lines import TakeLine, take_lines
from broadcast.takes.sheet import SheetHeader, sheet_html, sheet_pdf

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class ScriptTake:
    script: records.StoredScript
    language: str
    language_name: str
    lines: tuple[TakeLine, ...]


def script_take(ws: Workspace, ref: str, language: str) -> ScriptTake:
    """The script named ``ref`` and its approved lines in ``language`` (checked code)."""
    from broadcast.languages import resolve

    lang = resolve(language, ws.station.language_registry())
    with ws.open_db() as db:
        script = records.find_script(db, ref)
        lines = take_lines(db, script, lang.code)
    return ScriptTake(script, lang.code, lang.name, tuple(lines))


def write_sheet(
    ws: Workspace, ref: str, language: str, formats: tuple[str, ...], out_dir: Path | None
) -> list[Path]:
    """Write the reading sheet in each of ``formats``; returns the files written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(f"Định dạng phiếu đọc không hợp lệ; dùng: {', '.join(FORMATS)}.")
    take = script_take(ws, ref, language)
    header = SheetHeader(
        station=ws.station.name,
        title=take.script.title,
        language=take.language,
        language_name=take.language_name,
        slug=take.script.slug,
    )
    folder = out_dir or takes_folder(ws, take.script.slug, take.language).parent
    base = folder / f"phieu-doc-{take.language}"
    # Build everything first: a PDF that fails (missing font) leaves no lone HTML behind.
    outputs: list[tuple[Path, bytes]] = []
    if "html" in formats:
        outputs.append((base.with_suffix(".html"), sheet_html(header, take.lines).encode()))
    if "pdf" in formats:
        outputs.append((base.with_suffix(".pdf"), sheet_pdf(header, take.lines)))
    for path, data in outputs:
        atomic_write_bytes(path, data)
    return [path for path, _ in outputs]


def import_take_file(
    ws: Workspace,
    source: Path,
    ref: str,
    language: str,
    *,
    settings: SplitSettings | None = None,
    pace_spm: float | None = None,
) -> tuple[ScriptTake, TakeImport]:
    """Import ``source`` as the take of script ``ref`` in ``language``."""
    take = script_take(ws, ref, language)
    pace = pace_spm or ws.station.syllables_per_minute
    if pace <= 0:
        raise InputError("Tốc độ đọc (--pace) phải lớn hơn 0 âm tiết mỗi phút.")
    result = import_take(
        ws,
        source,
        slug=take.script.slug,
        language=take.language,
        lines=take.lines,
        pace_spm=pace,
        settings=settings,
    )
    return take, result
