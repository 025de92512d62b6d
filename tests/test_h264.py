"""The H.264 bitstream pieces behind the constant-rate packs (broadcast/video/h264.py).

Field values are checked against hand-worked codes from the standard, and against a real
x264 stream made with the parameters the packs use.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from broadcast.audio.ffmpeg import run_ffmpeg
from broadcast.errors import EngineError
from broadcast.video import h264
from broadcast.video.constant_rate import X264_PARAMS


def test_emulation_prevention_round_trips_and_never_leaves_a_start_code() -> None:
    # 7.4.1: 00 00 followed by 00..03 gets an 03 inserted; the decoder removes it
    assert h264.escape(b"\x00\x00\x01\x80") == b"\x00\x00\x03\x01\x80"
    assert h264.escape(b"\x00\x00\x00\x00\x80") == b"\x00\x00\x03\x00\x00\x80"
    assert h264.escape(b"\x00" * 5 + b"\x80") == b"\x00\x00\x03\x00\x00\x03\x00\x80"
    assert h264.unescape(b"\x00\x00\x03\x03\x80") == b"\x00\x00\x03\x80"
    rng = random.Random(14)
    for _ in range(500):
        rbsp = bytes(rng.choice([0, 0, 0, 1, 2, 3, 4, 0x80]) for _ in range(40)) + b"\x80"
        nal = h264.escape(rbsp)
        assert all(bytes([0, 0, b]) not in nal for b in (0, 1, 2))
        assert h264.unescape(nal) == rbsp


def test_exp_golomb_codes_match_the_standard() -> None:
    # 9.1: ue(0) = 1, ue(3) = 00100, se(-2) = ue(4) = 00101, se(1) = ue(1) = 010
    writer = h264.BitWriter()
    writer.ue(0)
    writer.ue(3)
    writer.se(-2)
    writer.se(1)
    assert "".join(map(str, writer.bits)) == "1" + "00100" + "00101" + "010"
    reader = h264.BitReader(writer.rbsp())
    assert (reader.ue(), reader.ue(), reader.se(), reader.se()) == (0, 3, -2, 1)
    assert reader.u(1) == 1  # the stop bit, then zeros to the byte boundary
    assert reader.pos % 8 != 0 and not any(reader.u(1) for _ in range(-reader.pos % 8))


@pytest.fixture(scope="module")
def x264_stream(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Six frames of a 360x640 test pattern (not a multiple of 16 wide: cropped SPS),
    encoded as the packs encode, IDR at frame 3."""
    out = tmp_path_factory.mktemp("h264") / "six.h264"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=size=360x640:rate=24:duration=0.25",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-x264-params", f"{X264_PARAMS}:fps=24", "-force_key_frames", "expr:eq(n,3)",
         "-f", "h264", str(out)],
        what="mã hóa thử",
    )  # fmt: skip
    return h264.split_nals(Path(out).read_bytes())


def test_parameter_sets_of_an_x264_stream_allow_skipped_copies(x264_stream) -> None:
    kinds = [n[0] & 0x1F for n in x264_stream]
    assert kinds.count(h264.NAL_AUD) == 6
    assert kinds.count(h264.NAL_SPS) == 2  # repeated before the forced IDR
    assert [k for k in kinds if k in (h264.NAL_IDR, h264.NAL_SLICE)] == [5, 1, 1, 5, 1, 1]
    sps = h264.parse_sps(next(n for n in x264_stream if n[0] & 0x1F == h264.NAL_SPS))
    pps = h264.parse_pps(next(n for n in x264_stream if n[0] & 0x1F == h264.NAL_PPS))
    assert (sps.width_mbs, sps.height_mbs, sps.mbs) == (23, 40, 920)
    assert sps.poc_type == 2 and sps.frame_mbs_only and sps.max_num_ref_frames == 1
    assert not pps.cabac and not pps.weighted_pred
    h264.check_repeatable(sps, pps)
    with pytest.raises(EngineError, match="CAVLC"):
        h264.check_repeatable(sps, pps.__class__(**{**pps.__dict__, "cabac": True}))


def test_frame_num_is_rewritten_in_place_and_nothing_else(x264_stream) -> None:
    sps = h264.parse_sps(next(n for n in x264_stream if n[0] & 0x1F == h264.NAL_SPS))
    slices = [n for n in x264_stream if n[0] & 0x1F in (h264.NAL_IDR, h264.NAL_SLICE)]
    assert [h264.read_frame_num(n, sps) for n in slices] == [0, 1, 2, 0, 1, 2]
    later = h264.with_frame_num(slices[2], sps, 9)
    assert h264.read_frame_num(later, sps) == 9
    rbsp, at = h264.slice_frame_num_at(slices[2], sps)
    new = h264.unescape(later)
    assert len(new) == len(rbsp)

    def bits(data: bytes) -> str:
        return "".join(f"{b:08b}" for b in data)

    width = sps.log2_max_frame_num
    assert bits(new)[:at] == bits(rbsp)[:at]
    assert bits(new)[at + width :] == bits(rbsp)[at + width :]


def test_the_skip_slice_says_what_the_standard_requires(x264_stream) -> None:
    sps = h264.parse_sps(next(n for n in x264_stream if n[0] & 0x1F == h264.NAL_SPS))
    pps = h264.parse_pps(next(n for n in x264_stream if n[0] & 0x1F == h264.NAL_PPS))
    nal = h264.skip_slice(sps, pps, 5)
    assert nal[0] == 0x41  # nal_ref_idc 2, non-IDR slice
    r = h264.BitReader(h264.unescape(nal)[1:])
    assert (r.ue(), r.ue(), r.ue()) == (0, 5, pps.pps_id)  # first MB, P, PPS
    assert r.u(sps.log2_max_frame_num) == 5
    assert (r.u(1), r.u(1), r.u(1), r.se()) == (0, 0, 0, 0)  # no overrides, sliding window
    if pps.deblocking_filter_control_present:
        assert r.ue() == 1
    assert r.ue() == sps.mbs  # every macroblock skipped
    assert r.u(1) == 1 and r.pos > 8 * (len(h264.unescape(nal)) - 2)  # then trailing bits
    assert h264.read_frame_num(nal, sps) == 5
