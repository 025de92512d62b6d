"""An imported take as people check it: its sentence boundaries, a waveform picture, moving
a boundary, and the takes still to record.

``broadcast takes import`` (and the web workspace's *Bản thu*) cut a take at the pauses it
finds; a pause inside a sentence or a missed one puts a boundary in the wrong place. The
producer looks at the waveform with the boundaries drawn on it, listens to each sentence,
moves the boundaries that are wrong and accepts: ``move_boundaries`` checks the new spans and
re-cuts the sentence clips from the kept take, replacing the take folder whole (as the
import does), so the recording voice never reads a half-written take.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from broadcast.errors import InputError
from broadcast.store.files import atomic_write_bytes, atomic_write_text, temp_prefix
from broadcast.store.workspace import Workspace
from broadcast.takes.importer import takes_folder
from broadcast.voice.base import SpeechClip
from broadcast.voice.decode import read_wav, wav_bytes
from broadcast.voice.recording import MANIFEST

MIN_SENTENCE_S = 0.2  # a shorter "sentence" is a slip of the mouse, not a sentence
METHOD_LABELS = {
    "pauses": "chỗ nghỉ giữa câu",
    "longest-pauses": "những chỗ nghỉ dài nhất",
    "proportional": "độ dài từng câu (không đủ chỗ nghỉ)",
    "manual": "người sản xuất chỉnh tay",
}


@dataclass(frozen=True)
class TakeSentence:
    number: int
    text: str
    start: float  # seconds into the kept take
    end: float
    clip: str  # relative to the take folder ('sentences/001.wav')


@dataclass(frozen=True)
class StoredTake:
    """An imported take of one script in one language, from its manifest."""

    folder: Path
    slug: str
    language: str
    duration_s: float
    method: str
    warnings: tuple[str, ...]
    sentences: tuple[TakeSentence, ...]

    @property
    def audio(self) -> Path:
        return self.folder / "take.wav"

    @property
    def method_label(self) -> str:
        """How the boundaries were set, in Vietnamese."""
        return METHOD_LABELS.get(self.method, self.method)

    def clip(self, number: int) -> Path:
        """The cut file of sentence ``number`` (1-based); InputError when there is none."""
        for sentence in self.sentences:
            if sentence.number == number:
                return self.folder / sentence.clip
        raise InputError(f"Bản thu không có câu số {number}.")

    @property
    def spans(self) -> tuple[tuple[float, float], ...]:
        return tuple((s.start, s.end) for s in self.sentences)


def load_take(ws: Workspace, slug: str, language: str) -> StoredTake | None:
    """The take of ``slug`` in ``language``, or None when none was imported."""
    folder = takes_folder(ws, slug, language)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return StoredTake(
        folder=folder,
        slug=slug,
        language=language,
        duration_s=float(data["duration"]),
        method=str(data.get("method", "")),
        warnings=tuple(str(w) for w in data.get("warnings", ())),
        sentences=tuple(
            TakeSentence(
                int(s["number"]), str(s["text"]), float(s["start"]), float(s["end"]), str(s["clip"])
            )
            for s in data["sentences"]
        ),
    )


def check_spans(spans: Sequence[tuple[float, float]], count: int, duration_s: float) -> None:
    """Refuse (InputError, one sentence) spans that are not one per sentence, in order,
    inside the take and at least ``MIN_SENTENCE_S`` long."""
    if len(spans) != count:
        raise InputError(f"Cần đúng {count} cặp mốc đầu–cuối, mỗi câu một cặp.")
    previous_end = 0.0
    for number, (start, end) in enumerate(spans, start=1):
        if not (np.isfinite(start) and np.isfinite(end)):
            raise InputError(f"Mốc của câu {number} không phải là số giây.")
        if start < 0 or end > duration_s + 1e-6:
            raise InputError(f"Câu {number} phải nằm trong bản thu (0 đến {duration_s:.2f} giây).")
        if end - start < MIN_SENTENCE_S:
            raise InputError(
                f"Câu {number} phải dài ít nhất {MIN_SENTENCE_S:.1f} giây (cuối sau đầu)."
            )
        if start < previous_end - 1e-6:
            raise InputError(f"Câu {number} bắt đầu trước khi câu {number - 1} kết thúc.")
        previous_end = end


def move_boundaries(
    ws: Workspace, slug: str, language: str, spans: Sequence[tuple[float, float]]
) -> StoredTake:
    """Accept new sentence spans for a take: check them, re-cut every sentence clip from the
    kept take and rewrite the manifest, replacing the take folder at once."""
    take = load_take(ws, slug, language)
    if take is None:
        raise InputError(f"Chưa có bản thu của {slug} ({language}); hãy tải bản thu lên trước.")
    rounded = [(round(float(a), 3), round(float(b), 3)) for a, b in spans]
    check_spans(rounded, len(take.sentences), take.duration_s)
    kept = read_wav(take.audio)
    samples = np.frombuffer(kept.pcm, dtype="<i2")
    rate = kept.sample_rate
    manifest = json.loads((take.folder / MANIFEST).read_text(encoding="utf-8"))
    ws.staging_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=temp_prefix("take"), dir=ws.staging_dir))
    try:
        out = stage / "take"
        shutil.copytree(take.folder, out)
        for entry, (start, end) in zip(manifest["sentences"], rounded, strict=True):
            piece = samples[round(start * rate) : round(end * rate)]
            atomic_write_bytes(out / entry["clip"], wav_bytes(SpeechClip(piece.tobytes(), rate)))
            entry["start"], entry["end"] = start, end
        manifest["method"] = "manual"
        manifest["warnings"] = []
        atomic_write_text(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        take.folder.replace(stage / "old")
        out.replace(take.folder)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    found = load_take(ws, slug, language)
    assert found is not None
    return found


def waveform_png(
    take: StoredTake, spans: Sequence[tuple[float, float]] | None = None, *, width_px: int = 1100
) -> bytes:
    """The take's waveform (peak envelope) with each sentence's span shaded and numbered:
    ``spans`` are proposed ones to preview (the stored ones when None)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from broadcast.video.fonts import font_path

    clip = read_wav(take.audio)
    x = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float64) / 32768
    columns = max(1, min(width_px, x.size))
    edges = np.linspace(0, x.size, columns + 1).astype(int)
    peaks = np.array(
        [np.abs(x[a:b]).max() if b > a else 0.0 for a, b in zip(edges[:-1], edges[1:], strict=True)]
    )
    times = edges[:-1] / clip.sample_rate
    font = FontProperties(fname=str(font_path("Regular")), size=9)
    figure = Figure(figsize=(width_px / 100, 2.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.fill_between(times, -peaks, peaks, color="#5f6368", linewidth=0)
    for number, (start, end) in enumerate(spans if spans is not None else take.spans, start=1):
        axes.axvspan(start, end, color="#0b5394" if number % 2 else "#b22222", alpha=0.18)
        axes.axvline(start, color="#137333", linewidth=1.2)
        axes.axvline(end, color="#b3261e", linewidth=1.2)
        axes.text((start + end) / 2, 0.9, str(number), ha="center", fontproperties=font)
    axes.set_xlim(0, max(take.duration_s, 0.1))
    axes.set_ylim(-1.05, 1.05)
    axes.set_yticks([])
    axes.set_xlabel("giây", fontproperties=font)
    for label in axes.get_xticklabels():
        label.set_fontproperties(font)
    axes.spines[["top", "right", "left"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@dataclass(frozen=True)
class TakeNeeded:
    script_id: int
    slug: str
    title: str
    language: str


def takes_to_record(ws: Workspace) -> list[TakeNeeded]:
    """Approved translations (they may go on air) that have no imported take yet: what the
    announcers still have to record."""
    from broadcast.review.gate import is_approved
    from broadcast.store.translations import list_translations

    needed: list[TakeNeeded] = []
    with ws.open_db() as db:
        for summary in list_translations(db):
            if not is_approved(db, summary.script_id, summary.language):
                continue
            if (takes_folder(ws, summary.slug, summary.language) / MANIFEST).is_file():
                continue
            needed.append(
                TakeNeeded(summary.script_id, summary.slug, summary.title, summary.language)
            )
    return needed


def imported_takes(ws: Workspace) -> list[tuple[str, str]]:
    """(slug, language) of every imported take, newest first."""
    root = ws.root / "takes"
    found = sorted(root.glob(f"*/*/{MANIFEST}"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [(p.parent.parent.name, p.parent.name) for p in found]
