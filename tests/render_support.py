"""Shared by the render tests: a stored script made in code, and audio read back as samples.

The script is written with the same store function ``produce`` uses, so the ``voice``,
``mix`` and ``video`` commands find it exactly as they would after a production.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from helpers import approve_content, open_db

from broadcast.audio.ffmpeg import ffmpeg_exe
from broadcast.script.model import Role, Script, ScriptSentence
from broadcast.store.records import save_production
from broadcast.text.model import Article

SLUG = "2026-11-24-lich-tiep-cong-dan"
TITLE = "Lịch tiếp công dân"
# Short sentences without commas: espeak reads them without internal pauses, so every
# silence longer than a few hundred milliseconds in the mix is a sentence boundary.
SENTENCES = (
    (Role.OPENING, "Đây là Đài truyền thanh xã Mường La."),
    (Role.BODY, "Ủy ban nhân dân xã tiếp công dân vào sáng thứ Hai."),
    (Role.BODY, "Bà con mang theo căn cước công dân."),
    (Role.CLOSING, "Cảm ơn bà con đã lắng nghe."),
)


def store_script(
    root: Path,
    slug: str = SLUG,
    *,
    title: str = TITLE,
    sentences: tuple[tuple[Role, str], ...] = SENTENCES,
) -> str:
    """Store a Vietnamese script (four short sentences by default) in the workspace at
    ``root``; returns its slug."""
    article = Article(
        source=root / "articles" / f"{slug}.md",
        format="md",
        title=title,
        body="\n\n".join(text for _, text in sentences),
        sha256="0" * 64,
    )
    script = Script(
        title=title,
        language="vi",
        sentences=tuple(ScriptSentence(role=r, written=t, spoken=t) for r, t in sentences),
        target_minutes=0.25,
        estimated_seconds=12.0,
    )
    db = open_db(root)
    try:
        ids = save_production(
            db,
            article=article,
            script=script,
            slug=slug,
            timings=[(0.0, 0.0)] * len(sentences),
            renders=[],
        )
    finally:
        db.close()
    approve_content(root / "broadcast.db", ids["script"])  # Vietnamese airs once vetted
    return slug


def samples(path: Path, rate: int = 16000) -> np.ndarray:
    """Mono float samples of any file ffmpeg reads (channels averaged)."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(rate)]
        + ["-f", "f32le", "-"],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(proc.stdout, dtype="<f4").astype(np.float64)


def band_level_db(x: np.ndarray, rate: int, low: float, high: float) -> float:
    """Energy (dB) of ``x`` between ``low`` and ``high`` Hz, from its FFT."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    band = spectrum[(freqs >= low) & (freqs < high)].sum()
    return float(10 * np.log10(band + 1e-20))


def speech_spans(
    path: Path, noise_db: int = -45, min_silence: float = 0.25
) -> list[tuple[float, float]]:
    """Where sound is, by ffmpeg's silencedetect: the complement of the silences."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-af",
         f"silencedetect=noise={noise_db}dB:d={min_silence}", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    starts = [float(x.split("silence_start: ")[1].split()[0]) for x in proc.stderr.splitlines()
              if "silence_start: " in x]  # fmt: skip
    ends = [float(x.split("silence_end: ")[1].split()[0]) for x in proc.stderr.splitlines()
            if "silence_end: " in x]  # fmt: skip
    spans, sound_from = [], 0.0
    for start, end in zip(starts, ends, strict=False):
        if start > sound_from:
            spans.append((sound_from, start))
        sound_from = end
    return spans
