"""Mix profiles: one timeline, three destinations with different ears and rules.

* ``loudspeaker``: outdoor horn speakers reproduce roughly 150 Hz to 7 kHz; energy outside
  that band only heats the driver and muddies speech, so it is filtered out, and gentle
  compression keeps quiet syllables above the street noise. Mono MP3, the format the
  commune players accept.
* ``web``: phones and social platforms normalise to about -14/-16 LUFS; mono AAC in .m4a
  (the mix is mono speech, so a second channel only doubled the encoder's work; below).
* ``broadcast``: what a provincial station ingests: 48 kHz WAV at EBU R 128 (-23 LUFS).

A station overrides any field in ``station.toml`` under ``[mix.<profile>]`` (for example
``[mix.loudspeaker] loudness_lufs = -18``); overrides are validated here, in one place.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from broadcast.errors import InputError, WorkspaceError
from broadcast.safeparse import read_toml
from broadcast.store.station import SETTINGS

# Speech from a TTS engine peaks ~18 dB above its loudness; a soft knee compressor and a
# limiter leave loudnorm room to reach the target with a plain gain instead of pumping.
GENTLE_DYNAMICS = (
    "acompressor=threshold=-24dB:ratio=3:attack=5:release=120:makeup=4:knee=6,"
    "alimiter=limit=0.7:level=false"
)


@dataclass(frozen=True)
class MixProfile:
    """Everything that decides how a timeline becomes a file for one destination."""

    name: str
    extension: str  # file suffix without the dot
    codec: str  # ffmpeg audio encoder
    sample_rate: int
    channels: int
    loudness_lufs: float
    tolerance_lu: float  # allowed distance of the measured integrated loudness
    true_peak_db: float
    highpass_hz: float | None = None
    lowpass_hz: float | None = None
    dynamics: str = GENTLE_DYNAMICS
    bitrate: str | None = None
    pause_ms: int = 450
    section_pause_ms: int = 900
    fade_in_ms: int = 30
    fade_out_ms: int = 300
    bed_gain_db: float = -20.0  # music bed level when nobody speaks, before normalisation
    duck_db: float = -15.0  # further reduction of the bed while speech plays

    def band_filter(self) -> str:
        """Steep (6th-order) band limits: three cascaded 2-pole sections per edge."""
        parts = []
        if self.highpass_hz:
            parts += [f"highpass=f={self.highpass_hz:g}:p=2"] * 3
        if self.lowpass_hz:
            parts += [f"lowpass=f={self.lowpass_hz:g}:p=2"] * 3
        return ",".join(parts)

    def encode_args(self) -> list[str]:
        args = ["-c:a", self.codec, "-ar", str(self.sample_rate), "-ac", str(self.channels)]
        if self.bitrate:
            args += ["-b:a", self.bitrate]
        if self.codec == "aac":
            # ffmpeg's default AAC search ("twoloop") was the slowest step of a render; the
            # "fast" coder without temporal noise shaping and noise substitution measured
            # closest to the voice and quickest (figures at the web profile below).
            args += ["-aac_coder", "fast", "-aac_tns", "0", "-aac_pns", "0"]
        if self.codec == "libmp3lame":
            # LAME's search level 7 instead of its default: 1.2 s instead of 2.2 s of CPU for
            # 3 minutes, and no worse below 8 kHz, the only band a horn speaker reproduces
            # (bench/aac.py: SNR 25.2 vs 23.6 dB, log-spectral distance 3.4 vs 4.0 dB).
            args += ["-compression_level", "7"]
        return args

    def cache_params(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


PROFILES: dict[str, MixProfile] = {
    "loudspeaker": MixProfile(
        name="loudspeaker",
        extension="mp3",
        codec="libmp3lame",
        sample_rate=44100,
        channels=1,
        loudness_lufs=-16.0,
        tolerance_lu=1.0,
        true_peak_db=-1.5,
        highpass_hz=150,
        lowpass_hz=7000,
        bitrate="128k",
    ),
    # Mono 128 kb/s, ffmpeg's "fast" AAC coder without TNS/PNS: the waveform error of the
    # stereo 160k it replaces (spectrum 0.5 dB further off), at half its CPU time and a
    # fifth of ffmpeg's default setting's.
    # bench/aac.py on a 3-minute web mix, 2 cores under load 9: CPU seconds of the encode,
    # segmental SNR over speech frames and log-spectral distance 0-8 kHz against the
    # lossless mix (higher SNR and lower distance are better):
    #   stereo 160k twoloop (ffmpeg default)   13.7 s   31.4 dB   3.58 dB
    #   stereo 160k fast (until now)            5.6 s   38.1 dB   2.00 dB
    #   stereo 128k fast, no TNS/PNS            4.1 s   36.9 dB   2.63 dB
    #   mono 128k fast                          3.0 s   38.1 dB   2.89 dB
    #   mono 128k fast, no TNS/PNS (chosen)     2.7 s   38.3 dB   2.50 dB
    #   mono 96k fast, no TNS/PNS               2.3 s   36.8 dB   3.74 dB
    #   loudspeaker MP3 mono 128k (LAME -q 7)   1.2 s   25.2 dB   3.40 dB
    # The mix is mono speech (the bed is mixed to mono too): a second channel carried
    # nothing. A mono file measures -16 LUFS as BS.1770 defines it; a player that sends it
    # to both speakers plays it about 3 dB louder than the old dual-mono stereo file did.
    "web": MixProfile(
        name="web",
        extension="m4a",
        codec="aac",
        sample_rate=44100,
        channels=1,
        loudness_lufs=-16.0,
        tolerance_lu=1.0,
        true_peak_db=-1.5,
        highpass_hz=70,
        bitrate="128k",
    ),
    "broadcast": MixProfile(
        name="broadcast",
        extension="wav",
        codec="pcm_s24le",
        sample_rate=48000,
        channels=2,
        loudness_lufs=-23.0,
        tolerance_lu=0.5,
        true_peak_db=-1.0,
        highpass_hz=40,
        # EBU R 128 material keeps its dynamics: a limiter only, no compression.
        dynamics="alimiter=limit=0.9:level=false",
    ),
}

# Fields a station may override, with the types each may have in TOML and, for numbers, the
# range a person could mean: taken from the one declaration of station settings
# (``broadcast.store.station.SETTINGS``, table ``mix.*``), never repeated here.
_OVERRIDABLE: dict[str, tuple[tuple[type, ...], float, float]] = {
    s.key: (
        (int, float) if s.kind is float else (s.kind,),
        s.low if s.low is not None else 0,
        s.high if s.high is not None else 0,
    )
    for s in SETTINGS
    if s.table == "mix.*"
}
_BITRATE = re.compile(r"[1-9][0-9]{1,2}k")


def profile_names() -> tuple[str, ...]:
    return tuple(PROFILES)


def get_profile(name: str, overrides: dict[str, Any] | None = None) -> MixProfile:
    """The profile ``name`` with a station's overrides applied and checked."""
    if name not in PROFILES:
        raise InputError(f"Không có cấu hình trộn '{name}'; chọn một trong: {', '.join(PROFILES)}.")
    changes: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        declared = _OVERRIDABLE.get(key)
        if declared is None:
            raise WorkspaceError(
                f"station.toml: khóa '{key}' trong [mix.{name}] không được hỗ trợ; "
                f"dùng: {', '.join(_OVERRIDABLE)}."
            )
        kinds, low, high = declared
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise WorkspaceError(f"station.toml: khóa '{key}' trong [mix.{name}] sai kiểu.")
        if isinstance(value, str):
            if not _BITRATE.fullmatch(value):
                raise WorkspaceError(
                    f"station.toml: '{key}' trong [mix.{name}] phải có dạng như \"128k\"."
                )
        elif not low <= cast(float, value) <= high:  # nan compares false: refused too
            raise WorkspaceError(
                f"station.toml: '{key}' = {value} trong [mix.{name}] nằm ngoài khoảng "
                f"{low:g}–{high:g}."
            )
        changes[key] = float(cast(float, value)) if float in kinds else value
    profile = dataclasses.replace(PROFILES[name], **changes)
    if not -40 <= profile.loudness_lufs <= -5 or profile.true_peak_db > 0:
        raise WorkspaceError(
            f"station.toml: độ lớn hoặc đỉnh trong [mix.{name}] nằm ngoài khoảng hợp lý."
        )
    return profile


def station_overrides(station_toml: Path) -> dict[str, dict[str, Any]]:
    """The ``[mix.*]`` tables of a station.toml file (empty when it has none)."""
    return mix_overrides(read_toml(station_toml, WorkspaceError))


def mix_overrides(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The ``[mix.*]`` tables of a parsed station.toml (``Station.raw``)."""
    mix = data.get("mix", {})
    if not isinstance(mix, dict) or not all(isinstance(v, dict) for v in mix.values()):
        raise WorkspaceError("station.toml: [mix.<cấu hình>] phải là các bảng.")
    return {str(k): dict(v) for k, v in mix.items()}


def workspace_profile(station_toml: Path, name: str) -> MixProfile:
    """The profile as a workspace's station defines it."""
    return get_profile(name, station_overrides(station_toml).get(name))
