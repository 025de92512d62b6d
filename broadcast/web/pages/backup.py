"""*Sao lưu*: the admin downloads the whole workspace as one archive.

The archive is made by ``broadcast.backup.backup_workspace`` (the function behind
``broadcast backup``) into a temporary folder outside the workspace, sent, then removed: the
server keeps no copy (a backup left on the same disk would die with it). Restoring is done
from the command line (``broadcast restore``) into a new folder, never over a running station.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.responses import FileResponse, Response

from broadcast.backup import backup_workspace
from broadcast.model.people import Role
from broadcast.web.routing import Page, Routes

routes = Routes()
ADMIN = (Role.ADMIN,)


@routes.get("/sao-luu", "backup", roles=ADMIN, nav="Sao lưu")
async def backup(page: Page) -> Response:
    return page.render("backup/page.html", root=str(page.workspace.root))


@routes.post("/sao-luu", "backup_download", roles=ADMIN)
async def backup_download(page: Page) -> Response:
    scratch = Path(tempfile.mkdtemp(prefix="broadcast-sao-luu-"))
    try:
        made = await page.call(backup_workspace, page.workspace, scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return FileResponse(
        made.path,
        media_type="application/gzip",
        filename=made.path.name,
        background=BackgroundTask(shutil.rmtree, scratch, ignore_errors=True),
    )
