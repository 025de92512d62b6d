"""``broadcast voice list``: every voice a station can name, and whether it can speak here.

A commune chooses a voice by ear and by what its PC has: whether the engine's package is
installed, whether the model or takes are present, whether it needs the network. Answering
that from the profile files alone (no synthesis, no network, no onnxruntime import) keeps the
list instant; a broken profile file is listed with its error instead of hiding the others.
"""

from __future__ import annotations

import importlib.util
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from broadcast.errors import BroadcastError
from broadcast.voice.piper import config_path, packages_missing
from broadcast.voice.profiles import (
    DEFAULT_PROFILE,
    VoiceProfile,
    load_profile,
    profile_names,
    station_profile,
)

if TYPE_CHECKING:
    from broadcast.store.workspace import Workspace

OFFLINE_ENGINES = frozenset({"espeak", "piper", "recording"})


@dataclass(frozen=True)
class VoiceEntry:
    """One row of the list; ``problem`` says why a voice cannot speak on this machine."""

    name: str
    engine: str
    language: str
    description: str
    offline: bool
    usable: bool
    problem: str | None
    default: bool
    fallback: str | None
    sample: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _problem(profile: VoiceProfile) -> str | None:
    """Why ``profile`` cannot speak on this machine now, or None."""
    if profile.engine == "piper":
        model = Path(profile.voice)
        if not model.is_file() or not config_path(model).is_file():
            return f"thiếu tệp mô hình {model.name} hoặc {config_path(model).name}"
        missing = packages_missing()
        return missing.rstrip(".") if missing else None
    if profile.engine == "edge" and importlib.util.find_spec("edge_tts") is None:
        return "cần gói edge-tts; cài thêm: pip install 'broadcast[edge]'"
    if profile.engine == "gtts" and importlib.util.find_spec("gtts") is None:
        return "cần gói gTTS"
    if profile.engine == "recording":
        folder = Path(profile.voice)
        if not folder.is_dir() or not any(folder.rglob("take.json")):
            return "chưa có bản thu nào ('broadcast takes import')"
    return None


def _is_default(profile: VoiceProfile, chosen: VoiceProfile | None, names: list[str]) -> bool:
    """The station reads with ``chosen``: a profile by name, or (``[audio] voice = "vi"``,
    the setting older than profiles) an espeak-ng voice, shown on the shipped profile
    with that voice and the default profile's fallback role."""
    if chosen is None:
        return False
    if chosen.name in names:
        return profile.name == chosen.name
    return (
        profile.engine == "espeak"
        and profile.voice == chosen.voice
        and (profile.name == DEFAULT_PROFILE or chosen.voice != "vi")
    )


def list_voices(workspace: Workspace) -> list[VoiceEntry]:
    """Every profile (shipped and the workspace's), the station's default marked."""
    names = profile_names(workspace)
    try:
        chosen: VoiceProfile | None = station_profile(workspace)
    except BroadcastError:
        chosen = None
    entries = []
    for name in names:
        sample = f"broadcast voice KỊCH_BẢN --voice {name}"
        try:
            profile = load_profile(name, workspace)
        except BroadcastError as exc:
            entries.append(
                VoiceEntry(name, "?", "?", "", False, False, exc.message, False, None, sample)
            )
            continue
        problem = _problem(profile)
        entries.append(
            VoiceEntry(
                name=name,
                engine=profile.engine,
                language=profile.language,
                description=profile.description,
                offline=profile.engine in OFFLINE_ENGINES,
                usable=problem is None,
                problem=problem,
                default=_is_default(profile, chosen, names),
                fallback=profile.fallback,
                sample=sample,
            )
        )
    return entries
