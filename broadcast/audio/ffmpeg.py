"""ffmpeg from the imageio-ffmpeg wheel: located, run and read back.

No system ffmpeg is needed. Callers get the binary through ``ffmpeg_exe()`` at the moment
they need it (never at import time), and errors come back as one ``EngineError`` sentence
with the tail of ffmpeg's own output for the log.
"""

from __future__ import annotations

import functools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import EngineError
from broadcast.lifecycle import bound_to_parent


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped in the imageio-ffmpeg wheel."""
    import imageio_ffmpeg

    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:  # the wheel has no binary for this platform
        raise EngineError(f"Không tìm thấy ffmpeg: {exc}.") from None


def run_ffmpeg(args: list[str], *, what: str) -> str:
    """Run ffmpeg with ``args`` and return its stderr (where it prints measurements)."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, errors="replace", preexec_fn=bound_to_parent()
    )
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise EngineError(f"ffmpeg không {what} được ({tail}).")
    return proc.stderr


@dataclass(frozen=True)
class Stream:
    kind: str  # "audio" or "video"
    codec: str
    width: int | None = None
    height: int | None = None
    sample_rate: int | None = None
    channels: str | None = None


@dataclass(frozen=True)
class MediaInfo:
    duration_s: float
    streams: tuple[Stream, ...]

    def first(self, kind: str) -> Stream | None:
        return next((s for s in self.streams if s.kind == kind), None)


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_STREAM = re.compile(r"Stream #\d+:\d+(?:\[\w+\])?(?:\(\w+\))?: (Audio|Video): (\w+)(.*)")
_SIZE = re.compile(r", (\d{2,5})x(\d{2,5})")
_RATE = re.compile(r", (\d+) Hz, ([\w.()]+)")


def probe(path: Path) -> MediaInfo:
    """Streams and duration of a media file, read from ``ffmpeg -i`` (the wheel has no ffprobe)."""
    if not path.is_file():
        raise EngineError(f"Không có tệp {path}.")
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        preexec_fn=bound_to_parent(),
    )
    match = _DURATION.search(proc.stderr)
    if match is None:
        raise EngineError(f"ffmpeg không đọc được tệp {path.name}.")
    hours, minutes, seconds = match.groups()
    duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    streams = []
    for kind, codec, rest in _STREAM.findall(proc.stderr):
        size = _SIZE.search(rest)
        rate = _RATE.search(rest)
        streams.append(
            Stream(
                kind=kind.lower(),
                codec=codec,
                width=int(size.group(1)) if size and kind == "Video" else None,
                height=int(size.group(2)) if size and kind == "Video" else None,
                sample_rate=int(rate.group(1)) if rate else None,
                channels=rate.group(2) if rate else None,
            )
        )
    return MediaInfo(duration_s=duration, streams=tuple(streams))
