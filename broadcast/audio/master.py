"""Master a mixed timeline for one destination (a ``MixProfile``).

The chain is: band limits and dynamics on the voice, an optional music bed ducked under the
speech, fades, then ffmpeg's two-pass loudnorm and the profile's encoder. The bed is ducked by
volume automation computed from the sentence timings the mix already knows, not by a
sidechain compressor: the timings are exact, so the bed dips *before* the first syllable
instead of after it, and the ident is not mistaken for speech.

The encoded file is measured again (EBU R 128 integrated loudness, loudness range, true
peak); a result outside the profile's tolerance gets one corrective gain pass, and if that
still misses, the render fails instead of shipping a file that breaks the station's rules.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio.chime import SAMPLE_RATE
from broadcast.audio.ffmpeg import run_ffmpeg
from broadcast.audio.loudness import Loudness, ebur128_filter, measure, parse_ebur128
from broadcast.audio.profiles import MixProfile
from broadcast.errors import EngineError

DUCK_RAMP_S = 0.3  # the bed starts to dip this long before a sentence and recovers after it
BED_FADE_S = 1.5


@dataclass(frozen=True)
class Master:
    path: Path
    loudness: Loudness
    corrected: bool  # True when the corrective gain pass was needed


def speech_spans(
    timings: Sequence[tuple[float, float]], ramp: float = DUCK_RAMP_S
) -> list[tuple[float, float]]:
    """Sentence times merged where the gap is too short for the bed to come back up."""
    spans: list[tuple[float, float]] = []
    for start, end in sorted(timings):
        if spans and start - spans[-1][1] < 2 * ramp + 0.2:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def duck_expression(
    timings: Sequence[tuple[float, float]], duck_db: float, ramp: float = DUCK_RAMP_S
) -> str:
    """An ffmpeg ``volume`` expression: 1 when nobody speaks, ``duck_db`` under speech,
    with linear ramps. Merged spans never overlap, so a sum of their shapes is their max."""
    floor = 10 ** (duck_db / 20)
    shapes = [
        f"clip(min((t-{a - ramp:.3f})/{ramp},({b + ramp:.3f}-t)/{ramp}),0,1)"
        for a, b in speech_spans(timings, ramp)
    ]
    if not shapes:
        return "1"
    return f"1-{1 - floor:.5f}*min(1,{'+'.join(shapes)})"


def _graph(
    profile: MixProfile,
    duration_s: float,
    timings: Sequence[tuple[float, float]],
    has_bed: bool,
    tail: str,
) -> str:
    """The filter graph from inputs ``[0:a]`` (timeline) and ``[1:a]`` (bed) to ``[out]``."""
    voice = ",".join(f for f in (profile.band_filter(), profile.dynamics) if f) or "anull"
    layout = "mono" if profile.channels == 1 else "stereo"
    fades = (
        f"afade=t=in:d={profile.fade_in_ms / 1000:.3f},"
        f"afade=t=out:st={max(0.0, duration_s - profile.fade_out_ms / 1000):.3f}"
        f":d={profile.fade_out_ms / 1000:.3f}"
    )
    if not has_bed:
        return f"[0:a]{voice},{fades},aformat=channel_layouts={layout},{tail}[out]"
    bed_band = profile.band_filter()
    bed = (
        f"[1:a]aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=mono,"
        f"atrim=0:{duration_s:.3f},asetpts=N/SR/TB,volume={profile.bed_gain_db}dB,"
        f"volume='{duck_expression(timings, profile.duck_db)}':eval=frame,"
        f"afade=t=in:d={BED_FADE_S},"
        f"afade=t=out:st={max(0.0, duration_s - BED_FADE_S):.3f}:d={BED_FADE_S}"
        + (f",{bed_band}" if bed_band else "")
        + "[bed]"
    )
    return (
        f"[0:a]{voice},aformat=sample_fmts=fltp:channel_layouts=mono[voice];{bed};"
        f"[voice][bed]amix=inputs=2:normalize=0:duration=first,{fades},"
        f"aformat=channel_layouts={layout},{tail}[out]"
    )


def _inputs(timeline: Path, bed: Path | None) -> list[str]:
    args = ["-i", str(timeline)]
    if bed is not None:
        args += ["-stream_loop", "-1", "-i", str(bed)]
    return args


def master(
    timeline: Path,
    *,
    duration_s: float,
    timings: Sequence[tuple[float, float]],
    profile: MixProfile,
    out: Path,
    bed: Path | None = None,
) -> Master:
    """Write ``out`` (atomically) from the mono timeline WAV; see the module docstring.

    Loudness is set with one linear gain computed from an EBU R 128 measurement of the
    processed mix (what loudnorm's linear mode does), followed by a peak limiter; this
    avoids loudnorm's 192 kHz resampling, which made the encode pass five times slower.
    """
    # Aim under the ceiling: lossy encoders and the limiter's sample peaks leave
    # inter-sample peaks a little above the limit.
    margin = 0.8 if profile.codec.startswith("pcm") else 1.5
    out.parent.mkdir(parents=True, exist_ok=True)
    token = f"{os.getpid()}.{secrets.token_hex(4)}"
    pre = out.with_name(f".{out.stem}.{token}.pre.wav")
    tmp = out.with_name(f".{out.stem}.{token}.tmp.{out.suffix[1:]}")
    try:
        # The mix is measured by the pass that makes it (a branch of the graph), instead of
        # by a second ffmpeg reading the file back.
        scan = f"asplit[scan][mixed];[scan]{ebur128_filter(true_peak=False)},anullsink;[mixed]anull"
        log = run_ffmpeg(
            [
                *_inputs(timeline, bed),
                "-filter_complex",
                _graph(profile, duration_s, timings, bed is not None, scan),
                "-map",
                "[out]",
                "-c:a",
                "pcm_f32le",
                "-t",
                f"{duration_s:.3f}",
                str(pre),
            ],
            what=f"trộn âm thanh '{profile.name}'",
        )
        before = parse_ebur128(log, true_peak=False)
        if before.integrated_lufs < -70:
            raise EngineError("Bản trộn không có tiếng (im lặng): hãy kiểm tra giọng đọc.")
        gain = profile.loudness_lufs - before.integrated_lufs
        limit = 10 ** ((profile.true_peak_db - margin) / 20)
        run_ffmpeg(
            [
                "-i",
                str(pre),
                "-af",
                f"volume={gain:.2f}dB,alimiter=limit={limit:.4f}:level=false:attack=2:release=80",
                *profile.encode_args(),
                "-t",
                f"{duration_s:.3f}",
                str(tmp),
            ],
            what=f"mã hóa âm thanh '{profile.name}'",
        )
        loudness = measure(tmp)
        corrected = False
        if not _within(loudness, profile):
            loudness = _correct(tmp, loudness, profile, profile.true_peak_db - margin, duration_s)
            corrected = True
        os.replace(tmp, out)
    finally:
        pre.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    return Master(path=out, loudness=loudness, corrected=corrected)


def _within(loudness: Loudness, profile: MixProfile) -> bool:
    return (
        abs(loudness.integrated_lufs - profile.loudness_lufs) <= profile.tolerance_lu * 0.8
        and loudness.true_peak_db <= profile.true_peak_db
    )


def _correct(
    path: Path, loudness: Loudness, profile: MixProfile, peak_target: float, duration_s: float
) -> Loudness:
    """One plain gain (and a true-peak limiter) toward the target; fails if still outside."""
    gain = profile.loudness_lufs - loudness.integrated_lufs
    limit = 10 ** ((peak_target - 0.5) / 20)
    fixed = path.with_name(f"{path.stem}.fix{path.suffix}")
    try:
        run_ffmpeg(
            [
                "-i",
                str(path),
                "-af",
                f"volume={gain:.2f}dB,aresample=192000,alimiter=limit={limit:.4f}:level=false",
                *profile.encode_args(),
                "-t",
                f"{duration_s:.3f}",
                str(fixed),
            ],
            what="chỉnh độ lớn",
        )
        again = measure(fixed)
        os.replace(fixed, path)
    finally:
        fixed.unlink(missing_ok=True)
    if abs(again.integrated_lufs - profile.loudness_lufs) > profile.tolerance_lu or (
        again.true_peak_db > profile.true_peak_db
    ):
        raise EngineError(
            f"Không đạt độ lớn của cấu hình '{profile.name}' "
            f"({again.integrated_lufs:.1f} LUFS, đỉnh {again.true_peak_db:.1f} dBTP; cần "
            f"{profile.loudness_lufs:g} ± {profile.tolerance_lu:g} LU, đỉnh ≤ "
            f"{profile.true_peak_db:g} dBTP)."
        )
    return again
