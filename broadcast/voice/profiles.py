"""Voice profiles: which engine speaks, in which voice, and who stands in when it fails.

Profiles are TOML files: the toolkit ships some (the repository's ``voices/``) and a station
overrides or adds its own in the workspace's ``voices/``. A workspace file with the name of a
shipped profile changes only the keys it sets, so a station can slow a voice down without
copying the rest. Every file is validated here, in one place, so a wrong key is reported with
the file and key instead of surfacing as an odd engine error mid-render.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from broadcast.errors import InputError, WorkspaceError
from broadcast.safeparse import load_toml

if TYPE_CHECKING:
    from broadcast.store.workspace import Workspace

DEFAULT_PROFILE = "espeak-vi-north"
GTTS_URL_ENV = "BROADCAST_GTTS_URL"
EDGE_URL_ENV = "BROADCAST_EDGE_URL"
EDGE_PROXY_ENV = "BROADCAST_EDGE_PROXY"

# key -> (type, lowest, highest); numbers outside the range are mistakes, not preferences.
_NUMBERS: dict[str, tuple[type, float, float]] = {
    "rate": (int, 60, 400),
    "pitch": (int, 0, 100),
    "retries": (int, 0, 10),
    "timeout_s": (float, 0.1, 300.0),
    "backoff_s": (float, 0.0, 60.0),
}
_STRINGS = ("description", "engine", "language", "voice", "fallback", "url", "proxy")
KNOWN_KEYS = frozenset(_NUMBERS) | frozenset(_STRINGS)


@dataclass(frozen=True)
class VoiceProfile:
    """A validated voice profile. Fields other than ``name``/``description``/``source`` are
    the ones that change the audio, so they (and the engine version) make the cache key."""

    name: str
    engine: str
    language: str = "vi"
    voice: str = "vi"
    rate: int = 125
    pitch: int = 50
    fallback: str | None = None
    url: str | None = None  # the service address (gTTS server, Edge websocket endpoint)
    proxy: str | None = None  # an HTTP proxy on the way to it (Edge only)
    timeout_s: float = 10.0
    retries: int = 2
    backoff_s: float = 0.5  # first wait before a retry; doubles each time
    description: str = ""
    source: str = ""
    # The fallback profile itself, resolved by ``load_profile`` so synthesis needs no workspace.
    fallback_to: VoiceProfile | None = None

    def audio_fields(self) -> str:
        """What enters the sentence cache key (never the URL: the same voice from a mirror
        is the same audio; for Piper only the model's file name, which carries its checksum,
        so a moved workspace keeps its cache)."""
        voice = Path(self.voice).name if self.engine == "piper" else self.voice
        return (
            f"{self.engine}|{self.language}|{voice}|{self.rate}|{self.pitch}"
            if self.engine != "recording"
            else f"{self.engine}|{self.language}"
        )

    def for_language(self, language: str) -> VoiceProfile:
        """The same profile reading another language (announcer takes exist per language)."""
        return dataclasses.replace(self, language=language)


def _check(name: str, data: dict[str, Any], where: str) -> dict[str, Any]:
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise WorkspaceError(
            f"{where}: khóa không hợp lệ {', '.join(unknown)}; "
            f"các khóa dùng được: {', '.join(sorted(KNOWN_KEYS))}."
        )
    clean: dict[str, Any] = {}
    for key in _STRINGS:
        if key in data:
            value = data[key]
            if not isinstance(value, str) or not value.strip():
                raise WorkspaceError(f"{where}: '{key}' phải là một chuỗi không rỗng.")
            clean[key] = value.strip()
    for key, (kind, low, high) in _NUMBERS.items():
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise WorkspaceError(f"{where}: '{key}' phải là một số.")
            if kind is int and not isinstance(value, int):
                raise WorkspaceError(f"{where}: '{key}' phải là số nguyên.")
            if not low <= value <= high:
                raise WorkspaceError(f"{where}: '{key}' = {value} nằm ngoài {low:g}–{high:g}.")
            clean[key] = kind(value)
    if "engine" not in clean:
        raise WorkspaceError(
            f"{where}: thiếu khóa 'engine' (espeak, piper, gtts, edge, recording)."
        )
    if "proxy" in clean and clean["engine"] != "edge":
        raise WorkspaceError(f"{where}: khóa 'proxy' chỉ dùng cho giọng edge.")
    if clean.get("fallback") == name:
        raise WorkspaceError(f"{where}: giọng dự phòng không thể là chính nó.")
    return clean


def parse_profile(name: str, data: dict[str, Any], where: str) -> VoiceProfile:
    """Validate the merged TOML of one profile; the engine must be a registered one."""
    from broadcast.voice.base import engine_class

    clean = _check(name, data, where)
    try:
        engine = engine_class(clean["engine"])
    except Exception as exc:
        raise WorkspaceError(f"{where}: {getattr(exc, 'message', exc)}") from None
    profile = VoiceProfile(name=name, source=where, **clean)
    problem = engine.check_profile(profile)
    if problem:
        raise WorkspaceError(f"{where}: {problem}")
    return profile


def _read_toml(text: str, where: str) -> dict[str, Any]:
    return load_toml(text, where, WorkspaceError)


def _sources(workspace: Workspace | None) -> dict[str, list[tuple[str, str]]]:
    """name -> [(where, toml text)], shipped first, then the workspace's override."""
    from broadcast.shipped import shipped_dir

    found: dict[str, list[tuple[str, str]]] = {}
    shipped = shipped_dir("voices")
    for entry in sorted(shipped.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            name = entry.name.removesuffix(".toml")
            found.setdefault(name, []).append((f"voices/{entry.name}", entry.read_text("utf-8")))
    if workspace is not None:
        folder = workspace.root / "voices"
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise WorkspaceError(f"Không đọc được {path}: {exc}.") from None
            found.setdefault(path.stem, []).append((str(path), text))
    return found


def profile_names(workspace: Workspace | None = None) -> list[str]:
    """Every profile a user can name: shipped ones and the workspace's own."""
    return sorted(_sources(workspace))


def _load_one(name: str, sources: dict[str, list[tuple[str, str]]]) -> VoiceProfile:
    if name not in sources:
        raise InputError(
            f"Không có giọng đọc '{name}'; các giọng có sẵn: {', '.join(sorted(sources))}."
        )
    merged: dict[str, Any] = {}
    where = ""
    for where, text in sources[name]:
        merged.update(_read_toml(text, where))
    return parse_profile(name, merged, where)


def load_profile(name: str, workspace: Workspace | None = None) -> VoiceProfile:
    """The profile ``name`` with its fallback chain checked (every link exists, no loop).

    Environment settings for online engines are applied here so engines never read the
    environment themselves: ``BROADCAST_GTTS_URL`` (gTTS server), ``BROADCAST_EDGE_URL`` (Edge
    websocket endpoint) and ``BROADCAST_EDGE_PROXY``.
    A recording profile's ``voice`` folder and a Piper profile's model are resolved inside
    the workspace.
    """
    sources = _sources(workspace)
    chain = [_load_one(name, sources)]
    while chain[-1].fallback is not None:
        names = [p.name for p in chain]
        nxt = chain[-1].fallback
        if nxt in names:
            loop = " -> ".join([*names, nxt])
            raise WorkspaceError(f"{chain[-1].source}: giọng dự phòng tạo vòng lặp ({loop}).")
        chain.append(_load_one(nxt, sources))
    resolved: VoiceProfile | None = None
    for profile in reversed(chain):
        resolved = dataclasses.replace(_with_environment(profile, workspace), fallback_to=resolved)
    assert resolved is not None
    return resolved


def _with_environment(profile: VoiceProfile, workspace: Workspace | None) -> VoiceProfile:
    if profile.engine == "gtts" and os.environ.get(GTTS_URL_ENV):
        return dataclasses.replace(profile, url=os.environ[GTTS_URL_ENV])
    if profile.engine == "edge":
        url = os.environ.get(EDGE_URL_ENV) or profile.url
        proxy = os.environ.get(EDGE_PROXY_ENV) or profile.proxy
        return dataclasses.replace(profile, url=url, proxy=proxy)
    if profile.engine in ("recording", "piper") and workspace is not None:
        # A takes folder or a Piper model: both live inside the workspace.
        folder = Path(profile.voice)
        if not folder.is_absolute():
            folder = workspace.root / folder
        return dataclasses.replace(profile, voice=str(folder))
    return profile


def take_profile(workspace: Workspace, slug: str, language: str) -> VoiceProfile:
    """The ``recording`` profile limited to one script's takes in ``language``: sentences
    shared by many scripts (the opening, the closing) then come from this script's take."""
    base = load_profile("recording", workspace)
    folder = Path(base.voice) / slug
    return dataclasses.replace(base, voice=str(folder), language=language)


def station_profile(workspace: Workspace) -> VoiceProfile:
    """The profile a station reads with by default: ``[audio] voice`` in station.toml names a
    profile, or (as before profiles existed) an espeak-ng voice such as 'vi'."""
    station = workspace.station
    if station.voice in profile_names(workspace):
        return load_profile(station.voice, workspace)
    base = load_profile(DEFAULT_PROFILE, workspace)
    return dataclasses.replace(
        base, name=f"espeak-{station.voice}", voice=station.voice, rate=station.speech_rate
    )
