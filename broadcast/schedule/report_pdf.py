"""The report's PDF, converted from its .docx by LibreOffice (Debian's libreoffice-writer-nogui).

The PDF is what the .docx looks like when opened, page for page, so it is made from the
.docx rather than drawn a second time; it is written beside the .docx once and reused.
LibreOffice runs headless with a profile of its own in a temporary folder: two conversions
at once (two people downloading) would otherwise fight over the user's profile lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from broadcast.errors import EngineError

TIMEOUT_S = 180


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path) -> Path:
    """``x.docx`` -> ``x.pdf`` beside it (made once; an existing newer PDF is reused)."""
    target = docx.with_suffix(".pdf")
    if target.exists() and target.stat().st_mtime >= docx.stat().st_mtime:
        return target
    program = soffice()
    if program is None:
        raise EngineError(
            "Chưa cài LibreOffice nên không tạo được tệp PDF; hãy cài gói "
            "libreoffice-writer-nogui (apt-get install libreoffice-writer-nogui) "
            "hoặc tải tệp .docx."
        )
    with tempfile.TemporaryDirectory(prefix="broadcast-soffice-") as work:
        profile = Path(work) / "profile"
        out = Path(work) / "out"
        out.mkdir()
        try:
            done = subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out),
                    str(docx),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
                env={**os.environ, "HOME": work},
            )
        except subprocess.TimeoutExpired as exc:
            raise EngineError(
                f"LibreOffice không chuyển xong {docx.name} sang PDF sau {TIMEOUT_S} giây; "
                "hãy thử lại hoặc tải tệp .docx."
            ) from exc
        made = out / target.name
        if done.returncode != 0 or not made.exists():
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
            raise EngineError(
                f"LibreOffice không chuyển được {docx.name} sang PDF ({detail[0]}); "
                "hãy tải tệp .docx."
            )
        staged = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(made, staged)
        os.replace(staged, target)
    return target
