"""``broadcast publish``: one approved script -> everything the Center publishes.

Each channel (the commune portal, each social platform) is one function that writes its
files under ``out/<script>/publish/<channel>/`` and returns them. The registry below maps a
channel name to that function, so a new channel is one module and one line here; the gate is
checked once here, before any channel runs, and again by each channel function itself (a
channel called directly, from a job or the web, must not bypass it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from broadcast.errors import InputError
from broadcast.publish.packs import social_channels
from broadcast.store.records import StoredScript, find_script
from broadcast.store.workspace import Workspace

Channel = Callable[[Workspace, StoredScript], list[Path]]


def _portal(ws: Workspace, script: StoredScript) -> list[Path]:
    from broadcast.publish.portal import make_portal_item

    return make_portal_item(ws, script).files


# channel name -> function writing out/<script>/publish/<channel>/ (other helpers add lines)
CHANNELS: dict[str, Channel] = {
    "portal": _portal,
    **social_channels(),  # facebook, youtube, tiktok, zalo: one per row of platforms.toml
}


@dataclass(frozen=True)
class Published:
    """What one ``publish`` run wrote, per channel, in the order the channels were asked."""

    script: StoredScript
    files: dict[str, list[Path]] = field(default_factory=dict)


def parse_channels(text: str | None) -> list[str]:
    """'portal,facebook' -> ['portal', 'facebook']; None or '' means every channel."""
    if not text or not text.strip():
        return list(CHANNELS)
    names: list[str] = []
    for raw in text.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name not in CHANNELS:
            raise InputError(
                f"Không có kênh xuất bản '{name}'; hãy chọn trong: {', '.join(CHANNELS)}."
            )
        if name not in names:
            names.append(name)
    if not names:
        raise InputError(f"Chưa chọn kênh xuất bản nào; hãy chọn trong: {', '.join(CHANNELS)}.")
    return names


def publish(ws: Workspace, ref: str, channels: Sequence[str]) -> Published:
    """Write every asked channel's files for the script ``ref`` (name, slug or number).

    Refuses an unapproved script with the gate's own sentence, before writing anything."""
    from broadcast.review.gate import require_approved

    with ws.open_db() as db:
        script = find_script(db, ref)
        require_approved(db, script.id, script.language)
    for name in channels:
        if name not in CHANNELS:
            raise InputError(
                f"Không có kênh xuất bản '{name}'; hãy chọn trong: {', '.join(CHANNELS)}."
            )
    result = Published(script)
    for name in channels:
        result.files[name] = CHANNELS[name](ws, script)
    return result
