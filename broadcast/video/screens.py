"""Subtitle screens: what the picture shows when, for the renderer and the sidecars alike.

A sentence too long for two lines is burned in as several two-line screens sharing the
sentence's time. The SRT/WebVTT sidecars must show the same screens at the same moments,
or a web player would put a five-line, twenty-second cue over a picture that shows two
lines at a time. Both the renderer (``broadcast.video.render.plan``) and the sidecar writer
(``broadcast.render.stages.video_stage``) take their screens from ``captions`` here, so the
two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from broadcast.video.frames import VERTICAL, Size, split_for_screen, subtitle_block
from broadcast.video.subtitles import Cue


@dataclass(frozen=True)
class Caption:
    """One screen of subtitle: part ``part`` (from 0) of sentence ``sentence`` (from 1)."""

    sentence: int
    part: int
    start: float
    end: float
    text: str  # the words on screen, on one line: the picture wraps them itself


def captions(cues: Sequence[Cue], size: Size = VERTICAL) -> list[Caption]:
    """Every screen of ``cues`` in time order, each timed by its share of the letters.

    A cue overlapping the one before it waits for it to end (and disappears if nothing of it
    is left); the first screen of a sentence starts at the sentence start and the last ends
    at its end, with no gap between the screens of one sentence.
    """
    result: list[Caption] = []
    clock = 0.0
    for number, cue in enumerate(sorted(cues, key=lambda c: c.start), start=1):
        start = max(cue.start, clock)
        if start >= cue.end:
            continue
        parts = split_for_screen(cue.text, size)
        total = sum(len(p) for p in parts)
        done = 0
        begin = start
        for part, text in enumerate(parts):
            done += len(text)
            # the last screen ends exactly at the sentence end, not at a rounded sum
            end = cue.end if part == len(parts) - 1 else start + (cue.end - start) * done / total
            result.append(Caption(number, part, begin, end, text))
            begin = end
        clock = cue.end
    return result


def caption_lines(text: str, size: Size = VERTICAL) -> tuple[str, ...]:
    """The lines of a screen exactly as the picture wraps them (the same font-fitting)."""
    return subtitle_block(text, size).lines


def sidecar_cues(cues: Sequence[Cue], size: Size = VERTICAL) -> list[Cue]:
    """Cues for the SRT/WebVTT files: one per screen the picture shows, broken into lines
    where the picture breaks them, numbered from 1."""
    return [
        Cue(number, c.start, c.end, "\n".join(caption_lines(c.text, size)))
        for number, c in enumerate(captions(cues, size), start=1)
    ]
