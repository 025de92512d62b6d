"""The station ident: a short chime synthesised here, so no copyrighted jingle is needed."""

from __future__ import annotations

import functools
import math
from array import array

SAMPLE_RATE = 44100
# A rising major arpeggio (C6, E6, G6) each note ringing with an exponential decay,
# the familiar "attention" sound of public-address systems.
NOTES = ((1046.5, 0.0), (1318.5, 0.22), (1568.0, 0.44))


@functools.cache
def chime_pcm(seconds: float = 1.4, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Mono 16-bit PCM of the chime, peaking near -6 dBFS.

    Synthesised in pure Python (about 0.5 s under load) and asked for by every mix, so it
    is computed once per process; ``bytes`` are immutable, sharing them is safe."""
    total = int(seconds * sample_rate)
    samples = [0.0] * total
    for freq, onset in NOTES:
        start = int(onset * sample_rate)
        for i in range(start, total):
            t = (i - start) / sample_rate
            envelope = math.exp(-4.0 * t) * min(1.0, t / 0.005)
            samples[i] += envelope * (
                math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
            )
    peak = max(abs(s) for s in samples) or 1.0
    scale = 0.5 * 32767 / peak
    return array("h", (int(s * scale) for s in samples)).tobytes()
