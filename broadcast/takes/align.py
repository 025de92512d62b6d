"""Cut a take into sentences at the announcer's pauses.

ffmpeg's ``silencedetect`` lists the pauses. When the announcer paused exactly once between
sentences the cut is exact. Extra pauses (a breath mid-sentence) are resolved by keeping the
longest ones, since the sheet asks for a full second between sentences; too few pauses (two
sentences read in one breath) fall back to cutting in proportion to each sentence's
syllables. Both fallbacks warn, because subtitles may then drift.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_START = re.compile(r"silence_start: (-?[\d.]+)")
_END = re.compile(r"silence_end: (-?[\d.]+)")


@dataclass(frozen=True)
class Silence:
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


def parse_silences(log: str, duration_s: float) -> list[Silence]:
    """Silences from silencedetect's log; one still open at the end runs to ``duration_s``."""
    starts = [max(0.0, float(x)) for x in _START.findall(log)]
    ends = [float(x) for x in _END.findall(log)]
    ends += [duration_s] * (len(starts) - len(ends))
    return [Silence(s, min(e, duration_s)) for s, e in zip(starts, ends, strict=True)]


@dataclass(frozen=True)
class Alignment:
    """Sentence spans (seconds, start/end of speech) and how they were found."""

    spans: tuple[tuple[float, float], ...]
    method: str  # "pauses", "longest-pauses" or "proportional"
    pauses_found: int
    warning: str | None = None


def speech_bounds(silences: Sequence[Silence], duration_s: float) -> tuple[float, float]:
    """Where speech starts and ends: after a leading and before a trailing silence."""
    start, end = 0.0, duration_s
    if silences and silences[0].start <= 0.02:
        start = silences[0].end
    if silences and silences[-1].end >= duration_s - 0.02 and silences[-1].start > start:
        end = silences[-1].start
    return start, end


def align(start: float, end: float, pauses: Sequence[Silence], weights: Sequence[int]) -> Alignment:
    """Spans of ``len(weights)`` sentences between ``start`` and ``end``."""
    need = len(weights) - 1
    inside = [p for p in pauses if p.start > start and p.end < end]
    warning = None
    if len(inside) == need:
        chosen, method = list(inside), "pauses"
    elif len(inside) > need:
        chosen = sorted(sorted(inside, key=lambda p: -p.length)[:need], key=lambda p: p.start)
        method = "longest-pauses"
        warning = (
            f"Bản thu có {len(inside)} chỗ nghỉ cho {need + 1} câu: đã cắt ở {need} chỗ nghỉ "
            "dài nhất; hãy nghe lại chỗ chuyển câu."
        )
    else:
        total = sum(max(1, w) for w in weights)
        cuts, acc = [], 0
        for weight in weights[:-1]:
            acc += max(1, weight)
            at = start + (end - start) * acc / total
            cuts.append(Silence(at, at))
        chosen, method = cuts, "proportional"
        warning = (
            f"Bản thu chỉ có {len(inside)} chỗ nghỉ cho {need + 1} câu: đã chia theo số âm "
            "tiết, phụ đề có thể lệch; nên thu lại và nghỉ rõ giữa các câu, hoặc chỉnh "
            "--min-silence / --noise."
        )
    edges = [start, *[x for p in chosen for x in (p.start, p.end)], end]
    spans = tuple((edges[i], edges[i + 1]) for i in range(0, len(edges), 2))
    return Alignment(spans=spans, method=method, pauses_found=len(inside), warning=warning)
