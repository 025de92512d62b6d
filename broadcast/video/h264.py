"""Just enough of the H.264 bitstream (Annex B) to repeat a picture without encoding it.

A still-picture clip made constant-rate is mostly repeats: 24 frames a second of which a
handful differ. x264 cannot go faster than a few hundred full-HD frames a second on two
cores, but a repeat needs no encoder at all: a P slice in which every macroblock is skipped
decodes to a bit-exact copy of the previous picture, and in CAVLC it is a dozen bytes
(``mb_skip_run`` = the number of macroblocks). This module reads the few SPS/PPS fields such
a slice depends on, rewrites ``frame_num`` in x264's own slice headers (every inserted copy
is a reference picture, so the numbering after it moves on) and writes the skip slices.

Only the stream x264 writes with ``cabac=0:bframes=0:ref=1:weightp=0:aud=1`` is supported
(checked, with an ``EngineError`` otherwise): CAVLC, frames only, no B-frames (then x264 uses
``pic_order_cnt_type`` 2, output order = decode order), one reference picture, an access
unit delimiter before every picture. References: ITU-T H.264 (08/2021) 7.3.1-7.3.4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadcast.errors import EngineError

START = b"\x00\x00\x00\x01"
NAL_SLICE, NAL_IDR, NAL_SEI, NAL_SPS, NAL_PPS, NAL_AUD = 1, 5, 6, 7, 8, 9
# primary_pic_type 1 (I or P slices), then the stop bit: the delimiter of a skip picture
AUD_P = START + bytes([NAL_AUD, 0x30])
HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


def split_nals(stream: bytes) -> list[bytes]:
    """The NAL units of an Annex B stream (header byte first, still escaped, no start code)."""
    nals = []
    at = stream.find(b"\x00\x00\x01")
    while at >= 0:
        begin = at + 3
        nxt = stream.find(b"\x00\x00\x01", begin)
        end = len(stream) if nxt < 0 else nxt
        nal = stream[begin:end]
        if nxt >= 0:  # the zero before a 4-byte start code belongs to the next one
            nal = nal.rstrip(b"\x00")
        if nal:
            nals.append(nal)
        at = nxt
    return nals


def unescape(nal: bytes) -> bytes:
    """The RBSP of a NAL unit: every emulation-prevention byte (00 00 03) removed.

    Inside a NAL unit 00 00 03 is always an escape, and the count of zeros starts again
    after it, which is exactly how ``bytes.replace`` scans (left to right, no overlap)."""
    return nal.replace(b"\x00\x00\x03", b"\x00\x00")


_NEEDS_ESCAPE = re.compile(b"\x00\x00(?=[\x00-\x03])")


def escape(rbsp: bytes) -> bytes:
    """A NAL unit from an RBSP: 03 inserted wherever two zeros precede a byte <= 3."""
    return _NEEDS_ESCAPE.sub(b"\x00\x00\x03", rbsp)


class BitReader:
    """Reads the fixed-width and exp-Golomb fields of an RBSP, most significant bit first."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0  # in bits

    def u(self, n: int) -> int:
        value = 0
        for _ in range(n):
            if self.pos >= 8 * len(self.data):
                raise EngineError("Luồng H.264 bị cụt giữa chừng; hãy dựng lại video.")
            bit = (self.data[self.pos >> 3] >> (7 - (self.pos & 7))) & 1
            value = (value << 1) | bit
            self.pos += 1
        return value

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
            if zeros > 31:
                raise EngineError("Luồng H.264 có mã exp-Golomb sai; hãy dựng lại video.")
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self) -> int:
        k = self.ue()
        return (k + 1) // 2 if k % 2 else -(k // 2)


class BitWriter:
    """Writes fields the way ``BitReader`` reads them, then the RBSP trailing bits."""

    def __init__(self) -> None:
        self.bits: list[int] = []

    def u(self, n: int, value: int) -> None:
        self.bits += [(value >> (n - 1 - i)) & 1 for i in range(n)]

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(2 * code.bit_length() - 1, code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def rbsp(self) -> bytes:
        """The bits so far, the stop bit and zero alignment, as bytes."""
        bits = [*self.bits, 1]
        bits += [0] * (-len(bits) % 8)
        return bytes(int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits), 8))


@dataclass(frozen=True)
class Sps:
    """The sequence parameter set fields a skip slice and a frame_num rewrite depend on."""

    sps_id: int
    log2_max_frame_num: int
    poc_type: int
    log2_max_poc_lsb: int
    delta_pic_order_always_zero: bool
    max_num_ref_frames: int
    width_mbs: int
    height_mbs: int
    frame_mbs_only: bool

    @property
    def mbs(self) -> int:
        """PicSizeInMbs of a frame."""
        return self.width_mbs * self.height_mbs


@dataclass(frozen=True)
class Pps:
    """The picture parameter set fields a skip slice depends on."""

    pps_id: int
    sps_id: int
    cabac: bool
    bottom_field_pic_order_in_frame_present: bool
    weighted_pred: bool
    deblocking_filter_control_present: bool
    redundant_pic_cnt_present: bool


def _skip_scaling_list(reader: BitReader, size: int) -> None:
    last = following = 8
    for _ in range(size):
        if following:
            following = (last + reader.se() + 256) % 256
        last = following or last


def parse_sps(nal: bytes) -> Sps:
    """The fields of an SPS NAL unit (7.3.2.1.1) up to ``frame_mbs_only_flag``."""
    r = BitReader(unescape(nal)[1:])
    profile = r.u(8)
    r.u(16)  # constraint flags, level
    sps_id = r.ue()
    if profile in HIGH_PROFILES:
        chroma = r.ue()
        if chroma == 3:
            r.u(1)
        r.ue(), r.ue(), r.u(1)  # bit depths, qpprime_y_zero_transform_bypass
        if r.u(1):  # seq_scaling_matrix_present_flag
            for i in range(12 if chroma == 3 else 8):
                if r.u(1):
                    _skip_scaling_list(r, 16 if i < 6 else 64)
    log2_max_frame_num = r.ue() + 4
    poc_type = r.ue()
    log2_max_poc_lsb, always_zero = 0, False
    if poc_type == 0:
        log2_max_poc_lsb = r.ue() + 4
    elif poc_type == 1:
        always_zero = bool(r.u(1))
        r.se(), r.se()
        for _ in range(r.ue()):
            r.se()
    max_refs = r.ue()
    r.u(1)  # gaps_in_frame_num_value_allowed_flag
    width_mbs = r.ue() + 1
    height_units = r.ue() + 1
    frame_mbs_only = bool(r.u(1))
    return Sps(
        sps_id=sps_id,
        log2_max_frame_num=log2_max_frame_num,
        poc_type=poc_type,
        log2_max_poc_lsb=log2_max_poc_lsb,
        delta_pic_order_always_zero=always_zero,
        max_num_ref_frames=max_refs,
        width_mbs=width_mbs,
        height_mbs=height_units * (1 if frame_mbs_only else 2),
        frame_mbs_only=frame_mbs_only,
    )


def parse_pps(nal: bytes) -> Pps:
    """The fields of a PPS NAL unit (7.3.2.2) up to ``redundant_pic_cnt_present_flag``."""
    r = BitReader(unescape(nal)[1:])
    pps_id, sps_id = r.ue(), r.ue()
    cabac = bool(r.u(1))
    bottom = bool(r.u(1))
    if r.ue() != 0:
        raise EngineError("Luồng H.264 dùng nhóm lát (slice group), không hỗ trợ.")
    r.ue(), r.ue()  # num_ref_idx_l0/l1_default_active_minus1
    weighted_pred = bool(r.u(1))
    r.u(2)
    r.se(), r.se(), r.se()  # pic_init_qp, pic_init_qs, chroma_qp_index_offset
    deblocking = bool(r.u(1))
    r.u(1)  # constrained_intra_pred_flag
    redundant = bool(r.u(1))
    return Pps(pps_id, sps_id, cabac, bottom, weighted_pred, deblocking, redundant)


def check_repeatable(sps: Sps, pps: Pps) -> None:
    """Refuse a stream whose pictures a skip slice could not repeat exactly."""
    if pps.cabac or not sps.frame_mbs_only or sps.poc_type != 2 or pps.weighted_pred:
        raise EngineError(
            "Luồng H.264 không đúng dạng cần để lặp ảnh (cần CAVLC, không B-frame, "
            "không trọng số); đây là lỗi của chương trình, hãy báo lại."
        )


def slice_frame_num_at(nal: bytes, sps: Sps) -> tuple[bytes, int]:
    """The RBSP of a slice NAL unit and the bit position of its ``frame_num``."""
    rbsp = unescape(nal)
    r = BitReader(rbsp)
    r.u(8)  # NAL header
    r.ue(), r.ue(), r.ue()  # first_mb_in_slice, slice_type, pic_parameter_set_id
    return rbsp, r.pos


def with_frame_num(nal: bytes, sps: Sps, frame_num: int) -> bytes:
    """``nal`` (a slice) with ``frame_num`` rewritten in place (the field has a fixed width)."""
    rbsp, pos = slice_frame_num_at(nal, sps)
    bits = bytearray(rbsp)
    width = sps.log2_max_frame_num
    for i in range(width):
        bit = (frame_num >> (width - 1 - i)) & 1
        at = pos + i
        mask = 1 << (7 - (at & 7))
        bits[at >> 3] = (bits[at >> 3] | mask) if bit else (bits[at >> 3] & ~mask)
    return escape(bytes(bits))


def read_frame_num(nal: bytes, sps: Sps) -> int:
    """The ``frame_num`` of a slice NAL unit (for checks and tests)."""
    rbsp, pos = slice_frame_num_at(nal, sps)
    r = BitReader(rbsp)
    r.pos = pos
    return r.u(sps.log2_max_frame_num)


def skip_slice(sps: Sps, pps: Pps, frame_num: int) -> bytes:
    """A reference P slice covering the whole frame with every macroblock skipped (7.3.3,
    7.3.4): its picture is the previous one, bit for bit (P_Skip with all neighbours skipped
    predicts a zero motion vector, and nothing is added to it)."""
    check_repeatable(sps, pps)
    w = BitWriter()
    w.u(8, (2 << 5) | NAL_SLICE)  # nal_ref_idc 2: a reference picture, like x264's P frames
    w.ue(0)  # first_mb_in_slice
    w.ue(5)  # slice_type P (all slices of the picture)
    w.ue(pps.pps_id)
    w.u(sps.log2_max_frame_num, frame_num % (1 << sps.log2_max_frame_num))
    if pps.redundant_pic_cnt_present:
        w.ue(0)
    w.u(1, 0)  # num_ref_idx_active_override_flag
    w.u(1, 0)  # ref_pic_list_modification_flag_l0
    w.u(1, 0)  # adaptive_ref_pic_marking_mode_flag: sliding window
    w.se(0)  # slice_qp_delta
    if pps.deblocking_filter_control_present:
        w.ue(1)  # disable_deblocking_filter_idc: nothing to filter in a copy
    w.ue(sps.mbs)  # mb_skip_run: the whole picture
    return escape(w.rbsp())
