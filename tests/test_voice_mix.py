"""Real espeak-ng speech and a real ffmpeg mix, measured."""

from __future__ import annotations

import re
from array import array
from pathlib import Path

import pytest

from broadcast.audio.chime import SAMPLE_RATE, chime_pcm
from broadcast.audio.ffmpeg import probe, run_ffmpeg
from broadcast.audio.loudness import measure
from broadcast.audio.mix import MixSettings, mix_segment
from broadcast.errors import EngineError
from broadcast.voice.base import engine_class
from broadcast.voice.synth import synthesize_all

SENTENCES = [
    "Đây là Đài truyền thanh xã Mường La.",
    "Ủy ban nhân dân xã tổ chức tuyên truyền cải cách hành chính năm hai nghìn không trăm "
    "hai mươi sáu.",
    "Người dân có thể nộp hồ sơ trực tuyến tại cổng dịch vụ công quốc gia.",
]


@pytest.fixture(scope="module")
def engine():
    return engine_class("espeak")(voice="vi", rate=125)


def test_espeak_speaks_vietnamese_with_length_following_text(engine) -> None:
    short = engine.synthesize("Xin chào bà con.")
    long = engine.synthesize(SENTENCES[1])
    assert short.sample_rate == 22050
    assert 0.5 < short.duration_s < 3.0
    assert long.duration_s > 3 * short.duration_s
    samples = array("h", long.pcm)
    assert max(abs(s) for s in samples) > 3000, "speech should not be silent"


def test_unknown_engine_and_voice_are_clear_errors() -> None:
    with pytest.raises(EngineError, match="espeak"):
        engine_class("nosuch")
    with pytest.raises(EngineError, match="không có giọng"):
        engine_class("espeak")(voice="zz-nonexistent").synthesize("xin chào")


def test_sentence_cache_is_reused(engine, tmp_path: Path) -> None:
    first = synthesize_all(engine, SENTENCES[:2], tmp_path)
    cached = sorted(tmp_path.glob("*.wav"))
    assert len(cached) == 2
    mtimes = [p.stat().st_mtime_ns for p in cached]
    second = synthesize_all(engine, SENTENCES[:2], tmp_path)
    assert [c.pcm for c in first] == [c.pcm for c in second]
    assert [p.stat().st_mtime_ns for p in sorted(tmp_path.glob("*.wav"))] == mtimes


def test_chime_is_short_and_audible() -> None:
    samples = array("h", chime_pcm())
    assert len(samples) == int(1.4 * SAMPLE_RATE)
    assert 12000 < max(abs(s) for s in samples) < 20000


@pytest.fixture(scope="module")
def mixed(engine, tmp_path_factory):
    clips = [engine.synthesize(t) for t in SENTENCES * 3]
    work = tmp_path_factory.mktemp("mix")
    return mix_segment(clips, work, MixSettings(), breaks_after={0}), clips


def test_mix_hits_loudness_target_and_true_peak(mixed) -> None:
    result, _ = mixed
    loud = measure(result.mp3)
    assert abs(loud.integrated_lufs - (-16.0)) <= 1.0
    assert loud.true_peak_db <= -1.5
    assert result.loudness == loud


def test_mix_is_mono_44k_mp3_and_duration_matches_timings(mixed) -> None:
    result, clips = mixed
    info = probe(result.mp3)
    audio = info.first("audio")
    assert audio is not None and audio.codec == "mp3"
    assert audio.sample_rate == 44100 and audio.channels == "mono"
    assert abs(info.duration_s - result.duration_s) < 0.1
    starts = [s for s, _ in result.timings]
    assert starts == sorted(starts)
    for (start, end), clip in zip(result.timings, clips, strict=True):
        assert abs((end - start) - clip.duration_s) < 0.02
    assert result.timings[-1][1] < result.duration_s
    speech = sum(c.duration_s for c in clips)
    assert speech < result.duration_s < speech + 2 * 1.4 + len(clips) * 0.9 + 1.5


def test_pauses_between_sentences_are_silent(mixed) -> None:
    result, _ = mixed
    log = run_ffmpeg(
        ["-i", str(result.wav), "-af", "silencedetect=noise=-45dB:d=0.3", "-f", "null", "-"],
        what="dò khoảng lặng",
    )
    silences = [
        (float(a), float(b))
        for a, b in zip(
            re.findall(r"silence_start: ([\d.]+)", log),
            re.findall(r"silence_end: ([\d.]+)", log),
            strict=False,
        )
    ]
    gaps = [
        (end, nxt) for (_, end), (nxt, _) in zip(result.timings, result.timings[1:], strict=False)
    ]
    for gap_start, gap_end in gaps:
        assert any(s <= gap_start + 0.15 and e >= gap_end - 0.15 for s, e in silences), (
            f"no silence found between {gap_start:.2f} and {gap_end:.2f}"
        )
