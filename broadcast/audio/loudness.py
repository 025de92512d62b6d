"""Loudness measured the way broadcasters do: ffmpeg's EBU R 128 scanner.

The same measurement serves the mix (to store figures with every render) and the tests (to
check a render against its target), so there is one parser of ffmpeg's summary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio.ffmpeg import run_ffmpeg
from broadcast.errors import EngineError


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    range_lu: float
    true_peak_db: float


def _last_float(pattern: str, text: str) -> float:
    found = re.findall(pattern, text)
    if not found:
        raise EngineError("ffmpeg không đo được độ lớn âm thanh.")
    return float(found[-1])


def measure(path: Path, *, true_peak: bool = True) -> Loudness:
    """Integrated loudness, loudness range and true peak of a file.

    ``true_peak=False`` skips the 4x oversampled peak scan (a third of the time) when only
    the loudness is needed; the peak is then reported as 0.0 dBTP.
    """
    log = run_ffmpeg(
        ["-i", str(path), "-af", ebur128_filter(true_peak=true_peak), "-f", "null", "-"],
        what="đo độ lớn",
    )
    return parse_ebur128(log, true_peak=true_peak)


def ebur128_filter(*, true_peak: bool = True) -> str:
    """The scanner as a filter, so a pass that already reads the audio can measure it too.

    ``framelog=quiet`` keeps only the summary: the default logs a line every 100 ms
    (1,800 lines for three minutes) that nobody reads but Python has to receive."""
    return "ebur128=framelog=quiet" + (":peak=true" if true_peak else "")


def parse_ebur128(log: str, *, true_peak: bool = True) -> Loudness:
    """The figures of the last ebur128 summary in an ffmpeg log."""
    summary = log[log.rfind("Summary:") :]
    peak = _last_float(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary) if true_peak else 0.0
    return Loudness(
        integrated_lufs=_last_float(r"I:\s+(-?[\d.]+|-inf) LUFS", summary),
        range_lu=_last_float(r"LRA:\s+(-?[\d.]+) LU\b", summary),
        true_peak_db=peak,
    )


def loudnorm_first_pass(
    path: Path, target_lufs: float, true_peak_db: float, pre_filter: str = ""
) -> dict[str, str]:
    """The analysis pass of ffmpeg's two-pass loudnorm; its figures drive the second pass.

    ``pre_filter`` is the chain that the second pass will put before loudnorm, so that the
    analysis sees the same signal.
    """
    chain = f"{pre_filter}," if pre_filter else ""
    log = run_ffmpeg(
        [
            "-i",
            str(path),
            "-af",
            f"{chain}loudnorm=I={target_lufs}:TP={true_peak_db}:LRA=11:print_format=json",
            "-f",
            "null",
            "-",
        ],
        what="phân tích độ lớn",
    )
    start = log.rfind("{")
    end = log.rfind("}")
    try:
        data = json.loads(log[start : end + 1])
    except ValueError:
        raise EngineError("ffmpeg loudnorm không trả về số đo.") from None
    return {str(k): str(v) for k, v in data.items()}


def loudnorm_filter(measured: dict[str, str], target_lufs: float, true_peak_db: float) -> str:
    """The second-pass filter, fed with the first pass's measurements."""
    return (
        f"loudnorm=I={target_lufs}:TP={true_peak_db}:LRA=11"
        f":measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
        f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
        f":offset={measured['target_offset']}:linear=true"
    )
