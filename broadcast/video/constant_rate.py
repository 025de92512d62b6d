"""A constant-frame-rate H.264 track from a variable-frame-rate clip, at the cost of its
distinct pictures only.

The vertical clip holds each picture only once (a few dozen for three minutes, a few per
second with a slow pan). The platforms want a constant 24 fps: 4,300 frames for three
minutes, which x264 encodes no faster than ~120 a second here. So x264 encodes only the
distinct pictures (``encode_pictures``), and every repeat is written by us as a P picture
whose macroblocks are all skipped (``broadcast.video.h264``): a dozen bytes, a bit-exact copy.

The grid: picture k starting at t_k gets the slot ceil(t_k * fps) (the first frame time at
which the clip shows it), pushed one slot later if the previous picture already has that
slot, and is repeated until the next picture's slot. A part of the track may begin at a
``cut``: the picture shown there is encoded a second time, as an IDR, so the part starts
with a picture that needs nothing before it (x264 repeats SPS/PPS before every IDR).
"""

from __future__ import annotations

import math
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio.ffmpeg import ffmpeg_exe, run_ffmpeg
from broadcast.errors import EngineError
from broadcast.lifecycle import bound_to_parent
from broadcast.video import h264

# CAVLC (a skip slice is one exp-Golomb number), no B-frames (output order = decode order,
# pic_order_cnt_type 2), one reference (a copy keeps the reference list right), no weighted
# prediction, a delimiter before every picture (to split access units), no IDR of its own;
# force-cfr (with fps=N added) writes the platform's rate into the VUI timing, which players
# and ffmpeg read as the stream's constant frame rate (h264_metadata rejects x264's VUI).
X264_PARAMS = "cabac=0:bframes=0:ref=1:weightp=0:aud=1:scenecut=0:keyint=infinite:force-cfr=1"
AUD = h264.START + bytes([h264.NAL_AUD])


@dataclass(frozen=True)
class Encoded:
    """One picture given to x264: which frame of the clip, its first slot, and whether a
    part begins there (then it is an IDR)."""

    source: int
    slot: int
    key: bool


def on_grid(at: float, fps: int) -> int:
    """The slot of the first frame at or after ``at`` seconds."""
    return math.ceil(at * fps - 1e-6)


def frame_times(clip: Path) -> list[float]:
    """Presentation times of the clip's video frames, in display order, read from the
    packets (stream copy into ``framecrc``: nothing is decoded)."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(clip), "-map", "0:v:0",
         "-c", "copy", "-f", "framecrc", "-"],
        capture_output=True, text=True, errors="replace", preexec_fn=bound_to_parent(),
    )  # fmt: skip
    base = re.search(r"^#tb 0: (\d+)/(\d+)", proc.stdout, re.M)
    if proc.returncode != 0 or base is None:
        raise EngineError(f"ffmpeg không đọc được các khung hình của {clip.name}.")
    unit = int(base.group(1)) / int(base.group(2))
    pts = [int(line.split(",")[2]) for line in proc.stdout.splitlines() if line[:2] == "0,"]
    if not pts:
        raise EngineError(f"Video {clip.name} không có khung hình nào; hãy dựng lại.")
    return [p * unit for p in sorted(pts)]


def plan(
    times: Sequence[float], duration_s: float, fps: int, cuts: Sequence[float]
) -> tuple[list[Encoded], int]:
    """The pictures to encode (with the duplicates that begin parts) and the number of
    slots of the whole track. Only the first ``len(slots)`` frames of the clip are used."""
    total = max(1, round(duration_s * fps))
    slots: list[int] = []
    for k, at in enumerate(times):
        slot = 0 if k == 0 else on_grid(at, fps)
        if slots and slot <= slots[-1]:
            slot = slots[-1] + 1
        slots.append(slot)
    # a picture that would start at or after the last frame is never seen at this rate (the
    # clip repeats its last picture a millisecond before its end): it is left out
    slots = [slot for slot in slots if slot < total]
    cut_slots = sorted({on_grid(c, fps) for c in cuts} - {0})
    encoded: list[Encoded] = []
    for k, slot in enumerate(slots):
        end = slots[k + 1] if k + 1 < len(slots) else total
        encoded.append(Encoded(k, slot, k == 0 or slot in cut_slots))
        encoded += [Encoded(k, c, True) for c in cut_slots if slot < c < end]
    return encoded, total


def encode_pictures(
    clip: Path,
    out: Path,
    encoded: Sequence[Encoded],
    fps: int,
    video_filter: str | None,
    preset: str = "ultrafast",
) -> None:
    """x264 on the distinct pictures only, raw Annex B into ``out``; the frames a part
    begins with are duplicated and forced to be IDRs.

    The duplicates are made by the ``fps`` filter: frame n of the clip is placed at second
    n + (number of duplicates before it), so a duplicated frame leaves a one-second hole
    that ``fps=1`` fills with a copy of it (``tpad`` for the clip's last frame, which has no
    successor to leave a hole before). ``loop=size=1`` would be the obvious tool, but which
    frame it repeats has changed between ffmpeg versions."""
    doubled = [e.source for j, e in enumerate(encoded) if j and e.source == encoded[j - 1].source]
    last = encoded[-1].source
    shifts = "".join(f"+gt(N,{source})" for source in doubled)
    chain = [f"setpts='(N{shifts})/TB'", "fps=1"] if doubled else []
    if doubled and doubled[-1] == last:
        chain.append(f"tpad=stop={doubled.count(last)}:stop_mode=clone")
    if video_filter:
        chain.append(video_filter)
    chain.append("setpts=N")  # strictly increasing for x264, whatever the clip had
    keys = "+".join(f"eq(n,{j})" for j, e in enumerate(encoded) if e.key)
    run_ffmpeg(
        ["-i", str(clip), "-an", "-sn", "-map", "0:v:0", "-fps_mode", "passthrough",
         "-vf", ",".join(chain),
         "-c:v", "libx264", "-preset", preset, "-crf", "23", "-pix_fmt", "yuv420p",
         "-frames:v", str(len(encoded)), "-x264-params", f"{X264_PARAMS}:fps={fps}",
         "-force_key_frames", f"expr:{keys}",
         "-f", "h264", str(out)],
        what="mã hóa các hình của video",
    )  # fmt: skip


def access_units(stream: bytes) -> list[bytes]:
    """The access units of a stream where each begins with a 4-byte-start-code delimiter."""
    starts = [m.start() for m in re.finditer(re.escape(AUD), stream)]
    if not starts or starts[0] != 0:
        raise EngineError("Luồng H.264 không có dấu phân cách khung hình; hãy báo lại lỗi.")
    return [stream[a:b] for a, b in zip(starts, [*starts[1:], len(stream)], strict=True)]


def assemble(stream: bytes, encoded: Sequence[Encoded], total: int) -> bytes:
    """The constant-rate track: each encoded picture with its ``frame_num`` counted again
    (every picture is a reference, numbered from the last IDR), then its repeats as skip
    pictures, up to ``total`` frames."""
    units = [h264.split_nals(au) for au in access_units(stream)]
    if len(units) != len(encoded):
        raise EngineError(f"x264 trả về {len(units)} hình thay vì {len(encoded)}; hãy báo lại lỗi.")
    sps: h264.Sps | None = None
    pps: h264.Pps | None = None
    out = bytearray()
    frame_num = 0
    skips: dict[int, bytes] = {}
    for k, (nals, picture) in enumerate(zip(units, encoded, strict=True)):
        end = encoded[k + 1].slot if k + 1 < len(encoded) else total
        idr = any(n[0] & 0x1F == h264.NAL_IDR for n in nals)
        if picture.key and not idr:
            raise EngineError("x264 không đặt khung IDR ở chỗ cắt phần; hãy báo lại lỗi.")
        for nal in nals:
            kind = nal[0] & 0x1F
            if kind == h264.NAL_SPS:
                sps = h264.parse_sps(nal)
            elif kind == h264.NAL_PPS:
                pps = h264.parse_pps(nal)
        if sps is None or pps is None:
            raise EngineError("Luồng H.264 thiếu SPS/PPS ở đầu; hãy báo lại lỗi.")
        h264.check_repeatable(sps, pps)
        modulo = 1 << sps.log2_max_frame_num
        frame_num = 0 if idr else (frame_num + 1) % modulo
        for nal in nals:
            if nal[0] & 0x1F in (h264.NAL_SLICE, h264.NAL_IDR):
                if not nal[0] & 0x60:
                    raise EngineError("x264 ghi một hình không tham chiếu; hãy báo lại lỗi.")
                nal = h264.with_frame_num(nal, sps, frame_num)
            out += h264.START + nal
        for _ in range(end - picture.slot - 1):
            frame_num = (frame_num + 1) % modulo
            if frame_num not in skips:
                skips[frame_num] = h264.AUD_P + h264.START + h264.skip_slice(sps, pps, frame_num)
            out += skips[frame_num]
    return bytes(out)


def cut(track: bytes, first: int, end: int) -> bytes:
    """Frames ``first`` to ``end`` (exclusive) of an assembled track; ``first`` must be a
    slot where a part begins (an IDR with its SPS/PPS)."""
    units = access_units(track)
    if first and not any(n[0] & 0x1F == h264.NAL_SPS for n in h264.split_nals(units[first])):
        raise EngineError("Chỗ cắt phần không phải khung IDR; hãy báo lại lỗi.")
    return b"".join(units[first:end])


def mux(
    track: Path,
    fps: int,
    audio_from: Path,
    span: tuple[float, float] | None,
    out: Path,
    what: str,
) -> None:
    """``track`` (raw H.264 at ``fps``) with the audio of ``audio_from`` over ``span``, both
    copied, never re-encoded; the stream's timing info says ``fps`` so that players and
    platforms read a constant rate."""
    cut_audio = ["-ss", f"{span[0]:.6f}", "-to", f"{span[1]:.6f}"] if span else []
    run_ffmpeg(
        ["-framerate", str(fps), "-i", str(track), *cut_audio, "-i", str(audio_from),
         "-map", "0:v:0", "-map", "1:a:0?", "-c", "copy",
         "-movflags", "+faststart", "-f", "mp4", str(out)],
        what=what,
    )  # fmt: skip


def constant_rate_clip(
    clip: Path,
    out: Path,
    fps: int,
    *,
    duration_s: float,
    cuts: Sequence[float] = (),
    video_filter: str | None = None,
    what: str = "ghép video tốc độ khung hình cố định",
) -> None:
    """``clip`` (variable rate) as a constant ``fps`` mp4 in ``out``: its distinct pictures
    encoded once (through ``video_filter`` when given, e.g. scale and pad), every repeat a
    skipped picture, an IDR at each of ``cuts`` (seconds), its audio copied.

    The work files sit beside ``out`` under ``partial-`` names and are removed; ``out`` is
    written last, so an interrupted call never leaves a half-made clip under its name."""
    encoded, total = plan(frame_times(clip), duration_s, fps, cuts)
    pictures = out.with_name(f"partial-{out.stem}.pictures.h264")
    track = out.with_name(f"partial-{out.stem}.h264")
    partial = out.with_name(f"partial-{out.name}")
    try:
        encode_pictures(clip, pictures, encoded, fps, video_filter)
        track.write_bytes(assemble(pictures.read_bytes(), encoded, total))
        mux(track, fps, clip, None, partial, what)
        partial.replace(out)
    finally:
        pictures.unlink(missing_ok=True)
        track.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
