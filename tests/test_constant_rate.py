"""A constant-rate track from a variable-rate clip (broadcast/video/constant_rate.py).

The clip here has what the article-image picture can have: a new picture every ~0.2 s at
irregular times (a test pattern that changes every frame), and audio. Every frame of the
24 fps result is decoded and compared with the picture the clip shows at the same moment;
the repeats written as skipped pictures must be bit-identical to the picture before them.
"""

from __future__ import annotations

import bisect
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from broadcast.audio.ffmpeg import ffmpeg_exe, probe, run_ffmpeg
from broadcast.video import constant_rate
from broadcast.video.constant_rate import Encoded, plan

FPS = 24
SIZE = (360, 640)


def test_each_picture_gets_the_first_slot_that_shows_it() -> None:
    # 0.45 and 0.455 share slot 11 (10.8 and 10.9 round up): the second is pushed to 12,
    # and the picture at 0.5 (slot 12) is pushed in turn; 1.99 s is past the last slot
    encoded, total = plan([0.0, 0.45, 0.455, 0.5, 1.0, 1.99], 1.98, FPS, [])
    assert total == 48
    assert [(e.source, e.slot) for e in encoded] == [(0, 0), (1, 11), (2, 12), (3, 13), (4, 24)]
    assert [e.key for e in encoded] == [True, False, False, False, False]


def test_a_cut_inside_a_picture_encodes_it_again_as_the_parts_first_frame() -> None:
    encoded, total = plan([0.0, 1.0, 2.0], 3.0, FPS, [0.5, 1.0, 2.5, 2.6])
    assert total == 72
    assert encoded == [
        Encoded(0, 0, True),
        Encoded(0, 12, True),  # the cut at 0.5 s falls inside picture 0: a second copy
        Encoded(1, 24, True),  # the cut at 1.0 s is where picture 1 starts: no copy
        Encoded(2, 48, False),
        Encoded(2, 60, True),  # two cuts in the last picture: two copies
        Encoded(2, 63, True),  # (2.6 s is slot 62.4, the next frame is 63)
    ]


def decode(path: Path, crop: str = "") -> np.ndarray:
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v:0", "-vf",
         f"{crop}format=gray", "-fps_mode", "passthrough", "-f", "rawvideo", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(-1, SIZE[1], SIZE[0]).astype(int)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6 s: a new test-pattern picture about every 0.2 s, never on the 24 fps grid, AAC."""
    out = tmp_path_factory.mktemp("vfr") / "clip.mp4"
    run_ffmpeg(
        ["-f", "lavfi", "-i", f"testsrc2=size={SIZE[0]}x{SIZE[1]}:rate=5:duration=6",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=6",
         "-vf", "settb=1/1000,setpts='(N*0.2+0.013*mod(N*7,5))/TB'",
         "-fps_mode", "passthrough", "-enc_time_base", "1/1000",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-video_track_timescale", "1000", "-c:a", "aac", "-t", "6", str(out)],
        what="dựng clip thử",
    )  # fmt: skip
    return out


@pytest.mark.slow
def test_parts_decode_to_the_clips_pictures_with_exact_repeats(clip, tmp_path) -> None:
    times = constant_rate.frame_times(clip)
    assert len(times) == 30 and times[1] == pytest.approx(0.2 + 0.013 * 2, abs=0.002)
    duration = probe(clip).duration_s
    cuts = [2.11, 4.0, 5.93]  # inside a picture, between two, inside the last picture
    encoded, total = plan(times, duration, FPS, cuts)
    assert total == round(duration * FPS)
    pictures = tmp_path / "pictures.h264"
    constant_rate.encode_pictures(clip, pictures, encoded, FPS, None)
    track = constant_rate.assemble(pictures.read_bytes(), encoded, total)
    assert len(constant_rate.access_units(track)) == total
    # a repeat costs a few bytes: the track is hardly bigger than the pictures x264 made
    assert len(track) < pictures.stat().st_size + 40 * total

    reference = decode(clip)
    bounds = [constant_rate.on_grid(c, FPS) for c in cuts]
    starts = {e.slot for e in encoded}
    at = 0
    for n, (first, end) in enumerate(zip([0, *bounds], [*bounds, total], strict=True)):
        piece = tmp_path / f"part{n}.h264"
        piece.write_bytes(constant_rate.cut(track, first, end))
        out = tmp_path / f"part{n}.mp4"
        constant_rate.mux(piece, FPS, clip, (first / FPS, end / FPS), out, "ghép thử")
        errors = subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-i", str(out), "-f", "null", "-"],
            capture_output=True, text=True,
        ).stderr  # fmt: skip
        assert errors == ""
        header = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-i", str(out)], capture_output=True, text=True
        ).stderr
        assert re.search(r"Video: h264.*, 24 fps", header), header
        assert probe(out).first("audio") is not None
        frames = decode(out)
        assert len(frames) == end - first  # each part starts on its own IDR
        for i, frame in enumerate(frames):
            slot = first + i
            k = bisect.bisect_right(times, slot / FPS + 1e-6) - 1
            mad = np.abs(reference[:, ::2, ::2] - frame[::2, ::2]).mean(axis=(1, 2))
            # the picture shown then, not its neighbour (consecutive pictures differ by > 3)
            assert mad[k] < 2 and mad[k] == mad.min(), (slot, k, mad[k])
            if i and slot not in starts:  # a skipped picture: the previous one, bit for bit
                assert np.array_equal(frame, frames[i - 1]), slot
        at += len(frames)
    assert at == total


def test_a_missing_delimiter_is_an_engine_error() -> None:
    from broadcast.errors import EngineError

    with pytest.raises(EngineError, match="phân cách"):
        constant_rate.access_units(b"\x00\x00\x00\x01\x67abc")
