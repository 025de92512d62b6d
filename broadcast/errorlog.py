"""The crash log: where an unexpected error's traceback goes instead of the user's screen.

A commune user who sees forty lines of Python cannot act on them, and may paste them into a
chat with the station's data in them. Every error we did not foresee is therefore written,
with its traceback, to ``<workspace>/logs/loi.log`` (or the user's cache folder when no
workspace is found) under a short error number; the user sees one sentence with that number
and the file to send to whoever maintains the toolkit.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from broadcast import __version__
from broadcast.model.time import station_now
from broadcast.store.workspace import ENV_VAR, STATION_FILE

LOG_FOLDER = "logs"
LOG_NAME = "loi.log"
# One crash log never grows past this: the oldest half is dropped when it would.
MAX_LOG_BYTES = 2 * 1024 * 1024
# The exit code of an error we did not foresee: EX_SOFTWARE of sysexits.h ("internal software
# error"); not 1 (a bare Python crash), 2/3 (our refusals) nor 4 (`schedule plan --strict`).
UNEXPECTED_EXIT_CODE = 70


@dataclass(frozen=True)
class Crash:
    """What the user is told: the error number and where its details were written."""

    code: str
    log: Path | None  # None when no folder could be written to

    def sentence(self, command: str) -> str:
        where = (
            f"chi tiết đã ghi vào {self.log}"
            if self.log is not None
            else "không ghi được tệp nhật ký lỗi"
        )
        return (
            f"Lỗi không lường trước (mã {self.code}) khi chạy '{command}'; {where}: hãy gửi "
            "mã lỗi và tệp đó cho người phụ trách kỹ thuật."
        )


def _workspace_root(explicit: Path | None) -> Path | None:
    """The workspace folder, found as ``find_workspace`` does but without reading station.toml
    (which may be the very thing that failed)."""
    if explicit is None and os.environ.get(ENV_VAR):
        explicit = Path(os.environ[ENV_VAR])
    if explicit is not None:
        root = explicit.expanduser()
        return root if (root / STATION_FILE).is_file() else None
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / STATION_FILE).is_file():
            return folder
    return None


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "broadcast" / LOG_FOLDER


def _append(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    if path.is_file() and path.stat().st_size > MAX_LOG_BYTES:
        kept = path.read_bytes()[-MAX_LOG_BYTES // 2 :]
        path.write_bytes(kept[kept.find(b"\n") + 1 :])
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
    return path


def record_crash(exc: BaseException, workspace: Path | None = None) -> Crash:
    """Write ``exc`` with its traceback to the crash log and return its error number.

    Never raises: a log that cannot be written (a full disk, no memory left to format the
    traceback) must not turn into a traceback on the screen itself.
    """
    now = station_now()
    code = f"E-{now:%Y%m%d}-{secrets.token_hex(3)}"
    try:
        text = (
            f"===== {code} {now.isoformat(timespec='seconds')} broadcast {__version__} "
            f"(Python {sys.version.split()[0]})\n"
            f"lệnh: {' '.join(sys.argv)}\n" + "".join(traceback.format_exception(exc)) + "\n"
        )
        folders: list[Path] = []
        root = _workspace_root(workspace)
        if root is not None:
            folders.append(root / LOG_FOLDER)
        with contextlib.suppress(Exception):  # no home folder (a service account)
            folders.append(_cache_folder())
    except Exception:  # MemoryError included: report the number without a log
        return Crash(code, None)
    for folder in folders:
        try:
            return Crash(code, _append(folder, text))
        except Exception:  # OSError, or the disk filled while writing
            continue
    return Crash(code, None)
