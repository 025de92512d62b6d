"""File paths as the database keeps them: relative to the station's workspace folder.

On a province server a station's workspace is a sub-folder of a shared folder (NFS/SMB), and
every machine may mount that folder at its own place (``/srv/broadcast`` on the server,
``/mnt/dai`` on a worker). A path stored absolute names the file only on the machine that
wrote it, and only until the folder moves; a path stored relative to the workspace root is
resolved again with ``ws.root`` wherever it is read. So every file inside the workspace is
stored relative (POSIX separators), and a file outside it (an article read from a USB stick,
an export written to a chosen folder) stays absolute: it is not the workspace's, and moving
the workspace does not move it.

Rows written before this rule hold absolute paths; they are read as they are (an absolute
text resolves to itself), so old records keep working on the machine that wrote them.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath


def to_stored(root: Path, path: Path | str) -> str:
    """How the database keeps ``path``: relative to ``root`` (POSIX) when inside it, else the
    absolute path. A relative ``path`` is taken as already relative to ``root``."""
    given = Path(path)
    if not given.is_absolute():
        return PurePosixPath(*given.parts).as_posix() if given.parts else "."
    base, target = root.resolve(), given.resolve()
    if target.is_relative_to(base):
        return target.relative_to(base).as_posix()
    return str(target)


def from_stored(root: Path, text: str) -> Path:
    """The file a stored path names, seen from this machine's ``root`` (absolute texts, old
    rows and files outside the workspace, are returned as they are)."""
    path = Path(text)
    return path if path.is_absolute() else root / path


def stored_forms(root: Path, path: Path | str) -> list[str]:
    """Every text a row naming ``path`` may hold: the relative form written now, and the
    absolute one older rows hold (to find or replace them)."""
    forms = [to_stored(root, path)]
    absolute = str(from_stored(root, forms[0]).resolve())
    if absolute not in forms:
        forms.append(absolute)
    return forms
