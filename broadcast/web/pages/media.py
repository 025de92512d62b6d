"""``/tep/...``: the one route that serves media files (renders and sentence previews).

Only files under the workspace's ``out/`` folder and the sentence-preview caches are served,
named by their path relative to the workspace (as render rows store them). The path is
resolved (symlinks followed) BEFORE the check, so ``..``, an absolute path or a symlink that
leads out of those folders is answered 404 like a file that does not exist: a signed-in
person learns nothing about the rest of the disk. ``FileResponse`` answers Range requests,
so audio and video players can seek.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response

from broadcast.store.workspace import Workspace
from broadcast.web.routing import ANYONE, Page, Routes

routes = Routes()

PREVIEW_CACHES = ("preview",)  # broadcast.render.preview.PREVIEW_FOLDER
"""The sub-folder of the workspace cache holding the sentence previews a page may play."""

MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".srt": "application/x-subrip",
    ".vtt": "text/vtt",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}


def media_roots(ws: Workspace) -> tuple[Path, ...]:
    """The folders whose files may be served, resolved."""
    return (
        ws.out_dir.resolve(),
        *((ws.cache_dir / name).resolve() for name in PREVIEW_CACHES),
    )


def media_file(ws: Workspace, relative: str) -> Path | None:
    """The served file for a workspace-relative path, or None when it is not a file inside
    one of ``media_roots`` (after resolving every ``..`` and symlink)."""
    if not relative or "\x00" in relative or "\\" in relative:
        return None
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts:
        return None
    try:
        path = (ws.root / pure).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not path.is_file():
        return None
    if not any(path.is_relative_to(root) for root in media_roots(ws)):
        return None
    return path


def media_path(ws: Workspace, path: Path | str) -> str | None:
    """The ``/tep/`` path of a file (absolute or workspace-relative) when it may be served,
    for links; None otherwise."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.resolve().relative_to(ws.root.resolve())
        except ValueError:
            return None
    text = candidate.as_posix()
    return text if media_file(ws, text) is not None else None


@routes.get("/tep/{path:path}", "media", roles=ANYONE)
async def media(page: Page) -> Response:
    relative = str(page.request.path_params.get("path", ""))
    found = await page.call(media_file, page.workspace, relative)
    if found is None:
        raise HTTPException(status_code=404)
    download = page.request.query_params.get("tai") == "1"
    return FileResponse(
        found,
        media_type=MEDIA_TYPES.get(found.suffix.lower()),
        filename=found.name if download else None,
        content_disposition_type="attachment" if download else "inline",
    )
