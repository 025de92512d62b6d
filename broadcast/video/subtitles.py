"""Subtitle cues and the SRT sidecar.

The cues come from the sentence timings the voice stage measured, so the burned-in text and
the SRT file say the same thing at the same moment. Parsing is strict: an editor who fixes an
SRT by hand gets told which block is broken instead of a clip with silently missing text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from broadcast.errors import InputError


@dataclass(frozen=True)
class Cue:
    """One subtitle: text shown from ``start`` to ``end`` seconds; ``index`` counts from 1."""

    index: int
    start: float
    end: float
    text: str


# Hours may exceed two digits in theory; minutes and seconds may not exceed 59.
_TIME = r"(\d{2,}):([0-5]\d):([0-5]\d),(\d{3})"
_TIMING = re.compile(rf"^{_TIME}\s+-->\s+{_TIME}(?:\s+.*)?$")


def format_timestamp(seconds: float) -> str:
    """``HH:MM:SS,mmm``; rounded to whole milliseconds first so 59.9996 never prints as 60."""
    total_ms = max(0, round(seconds * 1000))
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d},{millis:03d}"


def write_srt(cues: Sequence[Cue]) -> str:
    """SRT text (write it as UTF-8); cues are renumbered so the file is always well-formed."""
    blocks = []
    for number, cue in enumerate(cues, start=1):
        text = unicodedata.normalize("NFC", cue.text).strip()
        timing = f"{format_timestamp(cue.start)} --> {format_timestamp(cue.end)}"
        blocks.append(f"{number}\n{timing}\n{text}\n")
    return "\n".join(blocks)


def parse_srt(text: str) -> list[Cue]:
    """Cues of an SRT file; raises ``InputError`` naming the first broken block."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in re.split(r"\n[ \t]*\n", text.strip()) if b.strip()]
    cues: list[Cue] = []
    for number, block in enumerate(blocks, start=1):
        cue = _parse_block(block, number)
        if cues and cue.start < cues[-1].start:
            raise InputError(
                f"Phụ đề khối {number} bắt đầu trước khối {number - 1}: "
                "hãy sắp xếp lại theo thời gian."
            )
        cues.append(cue)
    return cues


def _parse_block(block: str, number: int) -> Cue:
    lines = [line.strip() for line in block.strip().split("\n")]
    if len(lines) < 3:
        raise InputError(
            f"Phụ đề khối {number} thiếu dòng: cần số thứ tự, thời gian và ít nhất một dòng chữ."
        )
    if not lines[0].isdigit():
        raise InputError(f"Phụ đề khối {number}: dòng đầu phải là số thứ tự, gặp {lines[0]!r}.")
    match = _TIMING.match(lines[1])
    if match is None:
        raise InputError(
            f"Phụ đề khối {number}: dòng thời gian sai dạng {lines[1]!r} "
            "(cần HH:MM:SS,mmm --> HH:MM:SS,mmm)."
        )
    start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
    if end <= start:
        raise InputError(f"Phụ đề khối {number}: thời điểm kết thúc phải sau thời điểm bắt đầu.")
    body = unicodedata.normalize("NFC", "\n".join(lines[2:]))
    return Cue(index=int(lines[0]), start=start, end=end, text=body)


def _seconds(parts: Sequence[str]) -> float:
    hours, minutes, secs, millis = (int(p) for p in parts)
    return hours * 3600 + minutes * 60 + secs + millis / 1000


def cues_from_timings(texts: Sequence[str], timings: Sequence[tuple[float, float]]) -> list[Cue]:
    """One cue per spoken sentence, numbered from 1, checked so the video timeline is sound."""
    if len(texts) != len(timings):
        raise InputError(
            f"Số câu ({len(texts)}) khác số mốc thời gian ({len(timings)}): hãy tạo lại giọng đọc."
        )
    cues: list[Cue] = []
    for number, (text, (start, end)) in enumerate(zip(texts, timings, strict=True), start=1):
        clean = unicodedata.normalize("NFC", text).strip()
        if not clean:
            raise InputError(f"Câu {number} không có chữ để làm phụ đề.")
        if start < 0 or end <= start:
            raise InputError(f"Câu {number} có mốc thời gian sai ({start:.3f}–{end:.3f} giây).")
        if cues and start < cues[-1].end - 0.001:
            raise InputError(f"Câu {number} bắt đầu trước khi câu {number - 1} kết thúc.")
        cues.append(Cue(index=number, start=start, end=end, text=clean))
    return cues


# --- WebVTT ---------------------------------------------------------------------------------

_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME}\s+-->\s+{_VTT_TIME}(?:\s+.*)?$")


def format_vtt_timestamp(seconds: float) -> str:
    """``HH:MM:SS.mmm`` (WebVTT uses a dot where SRT has a comma)."""
    return format_timestamp(seconds).replace(",", ".")


def write_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT text for web players (HTML5 <track>, Facebook, YouTube)."""
    blocks = ["WEBVTT\n"]
    for number, cue in enumerate(cues, start=1):
        text = unicodedata.normalize("NFC", cue.text).strip()
        # "-->" inside a cue would end it early; an arrow reads the same
        text = text.replace("-->", "→")
        timing = f"{format_vtt_timestamp(cue.start)} --> {format_vtt_timestamp(cue.end)}"
        blocks.append(f"{number}\n{timing}\n{text}\n")
    return "\n".join(blocks)


def parse_vtt(text: str) -> list[Cue]:
    """Cues of a WebVTT file (identifiers optional, NOTE/STYLE blocks skipped)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b.strip() for b in re.split(r"\n[ \t]*\n", text.strip()) if b.strip()]
    if not blocks or not blocks[0].startswith("WEBVTT"):
        raise InputError("Tệp phụ đề không phải WebVTT: dòng đầu phải là 'WEBVTT'.")
    cues: list[Cue] = []
    for number, block in enumerate(blocks[1:], start=1):
        lines = block.split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        if "-->" not in lines[0]:
            lines = lines[1:]
        match = _VTT_TIMING.match(lines[0].strip()) if lines else None
        if match is None or len(lines) < 2:
            raise InputError(f"Phụ đề WebVTT khối {number}: thiếu hoặc sai dòng thời gian.")
        groups = match.groups()
        start = _vtt_seconds(groups[:4])
        end = _vtt_seconds(groups[4:])
        if end <= start:
            raise InputError(f"Phụ đề WebVTT khối {number}: kết thúc phải sau bắt đầu.")
        body = unicodedata.normalize("NFC", "\n".join(line.strip() for line in lines[1:]))
        cues.append(Cue(index=len(cues) + 1, start=start, end=end, text=body))
    return cues


def _vtt_seconds(parts: Sequence[str | None]) -> float:
    hours, minutes, secs, millis = (int(p or 0) for p in parts)
    return hours * 3600 + minutes * 60 + secs + millis / 1000
