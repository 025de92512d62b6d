"""How long a script takes on air, before any audio exists.

The summary must fit a loudspeaker slot, so its length is decided from text alone. A
sentence takes ``syllables x seconds-per-syllable + commas x comma-pause + overhead``; the
three coefficients depend on who reads:

* the station's TTS voice (espeak-ng, at the station's ``speech_rate``): coefficients were
  measured with real espeak-ng on 80 sentences of the seed plans (spoken form) and fitted by
  least squares; ``calibrate`` re-measures them, and a test checks the table still holds;
* a human announcer: the station's ``syllables_per_minute`` (``[script] pace = "announcer"``).

Around the speech, the mix adds what ``broadcast.audio.mix.assemble`` adds: a chime and a
short silence at each end, the station's pause after each body sentence and a longer
section pause after the opening, the headline and the closing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from broadcast.script.segment import syllables
from broadcast.store.station import Station

# (voice, espeak rate) -> (seconds per syllable, seconds per comma/semicolon/colon, overhead)
ESPEAK_TABLE: dict[tuple[str, int], tuple[float, float, float]] = {
    ("vi", 80): (0.4518, 0.4945, -0.0977),
    ("vi", 100): (0.3846, 0.4055, -0.0729),
    ("vi", 125): (0.3077, 0.3186, -0.0248),
    ("vi", 150): (0.2584, 0.2586, 0.0104),
    ("vi", 175): (0.2223, 0.2065, 0.0138),
    ("vi", 200): (0.1965, 0.1689, 0.0237),
    ("vi", 250): (0.1594, 0.1087, 0.0328),
    ("vi-VN-x-central", 80): (0.4614, 0.4958, -0.0029),
    ("vi-VN-x-central", 100): (0.3929, 0.4042, -0.0053),
    ("vi-VN-x-central", 125): (0.3139, 0.3227, 0.0388),
    ("vi-VN-x-central", 150): (0.2633, 0.2585, 0.0480),
    ("vi-VN-x-central", 175): (0.2266, 0.2106, 0.0566),
    ("vi-VN-x-central", 200): (0.2012, 0.1709, 0.0364),
    ("vi-VN-x-central", 250): (0.1614, 0.1215, 0.0468),
    ("vi-VN-x-south", 80): (0.4727, 0.4499, -0.0401),
    ("vi-VN-x-south", 100): (0.4003, 0.3720, -0.0205),
    ("vi-VN-x-south", 125): (0.3212, 0.2926, 0.0167),
    ("vi-VN-x-south", 150): (0.2692, 0.2319, 0.0288),
    ("vi-VN-x-south", 175): (0.2322, 0.1865, 0.0388),
    ("vi-VN-x-south", 200): (0.2046, 0.1533, 0.0313),
    ("vi-VN-x-south", 250): (0.1645, 0.1065, 0.0604),
}

# What broadcast.audio.mix.assemble puts around the speech (MixSettings defaults).
CHIME_S = 1.4
FRAME_S = CHIME_S + 0.5 + CHIME_S + 0.3
SECTION_PAUSE_S = 0.9
# An announcer breathes at commas too; a short pause, not the voice table's measured one.
ANNOUNCER_COMMA_S = 0.25

_COMMA = re.compile(r"[,;:]")


@dataclass(frozen=True)
class Pace:
    """Reading-time coefficients for one reader, plus the pauses the mix inserts."""

    syllable_s: float
    comma_s: float
    overhead_s: float
    pause_s: float
    section_pause_s: float = SECTION_PAUSE_S
    frame_s: float = FRAME_S

    @property
    def syllables_per_minute(self) -> float:
        return 60 / self.syllable_s

    def speech_seconds(self, spoken: str) -> float:
        """Seconds the reader needs for one sentence of spoken-form text (no pause after)."""
        count = syllables(spoken)
        if count == 0:
            return 0.0
        seconds = count * self.syllable_s + len(_COMMA.findall(spoken)) * self.comma_s
        return max(0.0, seconds + self.overhead_s)

    def sentence_seconds(self, spoken: str, *, section: bool = False) -> float:
        """One sentence with the pause the mix puts after it."""
        pause = self.section_pause_s if section else self.pause_s
        return self.speech_seconds(spoken) + pause

    def total_seconds(self, sentences: Iterable[tuple[str, bool]]) -> float:
        """A whole segment: (spoken text, is a section break) pairs plus chimes."""
        return self.frame_s + sum(self.sentence_seconds(t, section=s) for t, s in sentences)


def _interpolate(
    rate: int, points: Sequence[tuple[int, tuple[float, float, float]]]
) -> tuple[float, float, float]:
    """Linear in 1/rate between measured rates: reading time is inversely proportional."""
    rates = [r for r, _ in points]
    if rate <= rates[0] or rate >= rates[-1]:
        edge_rate, coef = points[0] if rate <= rates[0] else points[-1]
        scale = edge_rate / rate
        return (coef[0] * scale, coef[1] * scale, coef[2])
    i = bisect.bisect_left(rates, rate)
    if rates[i] == rate:
        return points[i][1]
    (r0, c0), (r1, c1) = points[i - 1], points[i]
    t = (1 / rate - 1 / r0) / (1 / r1 - 1 / r0)
    return (
        c0[0] + t * (c1[0] - c0[0]),
        c0[1] + t * (c1[1] - c0[1]),
        c0[2] + t * (c1[2] - c0[2]),
    )


def espeak_coefficients(voice: str, rate: int) -> tuple[float, float, float]:
    """Calibrated coefficients of an espeak-ng voice; unknown voices use the Northern one."""
    known = {v for v, _ in ESPEAK_TABLE}
    name = voice if voice in known else "vi"
    points = sorted((r, c) for (v, r), c in ESPEAK_TABLE.items() if v == name)
    return _interpolate(rate, points)


def voice_pace(voice: str, rate: int, pause_ms: int) -> Pace:
    syllable_s, comma_s, overhead_s = espeak_coefficients(voice, rate)
    return Pace(syllable_s, comma_s, overhead_s, pause_s=pause_ms / 1000)


def announcer_pace(syllables_per_minute: float, pause_ms: int) -> Pace:
    return Pace(60 / syllables_per_minute, ANNOUNCER_COMMA_S, 0.0, pause_s=pause_ms / 1000)


def station_pace(station: Station) -> Pace:
    """The pace of whoever reads this station's segments (see the module docstring)."""
    if station.pace == "announcer":
        return announcer_pace(station.syllables_per_minute, station.pause_ms)
    return voice_pace(station.voice, station.speech_rate, station.pause_ms)


def calibrate(
    speak: Callable[[str], float], sentences: Sequence[str]
) -> tuple[float, float, float]:
    """Fit (seconds/syllable, seconds/comma, overhead) to a voice: ``speak`` returns seconds.

    Used to build ``ESPEAK_TABLE`` and to check it against the installed espeak-ng.
    """
    import numpy as np

    rows = [[syllables(s), len(_COMMA.findall(s)), 1.0] for s in sentences if syllables(s)]
    seconds = [speak(s) for s in sentences if syllables(s)]
    coef, *_ = np.linalg.lstsq(np.array(rows, float), np.array(seconds, float), rcond=None)
    return (float(coef[0]), float(coef[1]), float(coef[2]))
