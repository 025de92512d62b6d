"""The mix path made fast (issue 15, item 3) without changing what it produces.

The timeline is joined once instead of copied at every sentence, the chime is synthesised
once per process, the mix is measured by the pass that makes it, and the encoders use the
faster settings measured by ``bench/aac.py``. Each test checks that the faster path gives the
same result as the slow one (byte for byte, or the same measurement), or that the chosen
encoder setting keeps the quality the profile promises, on real espeak-ng speech.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pytest
from helpers import make_workspace
from render_support import samples

from broadcast.audio.chime import SAMPLE_RATE, chime_pcm
from broadcast.audio.ffmpeg import run_ffmpeg
from broadcast.audio.loudness import ebur128_filter, measure, parse_ebur128
from broadcast.audio.mix import MixSettings, assemble, trim_silence
from broadcast.render.stages import VoiceStage, mix_profile, mix_stage
from broadcast.store.workspace import find_workspace
from broadcast.voice.base import SpeechClip, engine_class

SENTENCES = (
    "Đây là Đài truyền thanh xã Mường La.",
    "Ủy ban nhân dân xã tiếp công dân vào sáng thứ Hai.",
    "Bà con mang theo căn cước công dân.",
)


def _tone(seconds: float, rate: int, freq: float) -> SpeechClip:
    t = np.arange(int(seconds * rate)) / rate
    wave = 0.3 * np.sin(2 * np.pi * freq * t)
    wave[: rate // 20] = 0  # leading and trailing silence, trimmed by the mix
    wave[-rate // 10 :] = 0
    return SpeechClip(pcm=(wave * 32767).astype("<i2").tobytes(), sample_rate=rate)


def _pydub_timeline(clips: list[SpeechClip], breaks: set[int], settings: MixSettings) -> bytes:
    """The timeline as the mix built it before: pydub's ``+`` one piece at a time."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydub import AudioSegment

    def silent(ms: int) -> AudioSegment:
        return AudioSegment.silent(duration=ms, frame_rate=SAMPLE_RATE)

    chime = AudioSegment(data=chime_pcm(), sample_width=2, frame_rate=SAMPLE_RATE, channels=1)
    timeline = chime + silent(500)
    for index, clip in enumerate(clips):
        clip = trim_silence(clip)
        speech = AudioSegment(data=clip.pcm, sample_width=2, frame_rate=clip.sample_rate,
                              channels=1).set_frame_rate(SAMPLE_RATE)  # fmt: skip
        timeline += speech + silent(settings.section_pause_ms if index in breaks else 450)
    return bytes((timeline + chime + silent(300)).raw_data)


def test_joined_timeline_is_byte_identical_to_the_step_by_step_one() -> None:
    clips = [_tone(1.3, 22050, 440), _tone(0.7, 24000, 660), _tone(2.1, 16000, 330)]
    settings = MixSettings()
    timeline, timings = assemble(clips, {1}, settings)
    assert bytes(timeline.raw_data) == _pydub_timeline(clips, {1}, settings)
    # each timing is the sentence's own sound: loud inside, starting after the ident
    pcm = np.frombuffer(timeline.raw_data, dtype="<i2").astype(float)
    assert timings[0][0] == pytest.approx(len(chime_pcm()) / 2 / SAMPLE_RATE + 0.5, abs=0.001)
    for (_, end), (next_start, _) in zip(timings, timings[1:], strict=False):
        assert end < next_start
    for start, end in timings:
        inside = pcm[int(start * SAMPLE_RATE) + 50 : int(end * SAMPLE_RATE) - 50]
        assert np.sqrt(np.mean(inside**2)) > 3000


def test_chime_is_synthesised_once_per_process() -> None:
    assert chime_pcm() is chime_pcm()


def test_measuring_inside_the_mixing_pass_equals_measuring_the_file(tmp_path: Path) -> None:
    """What ``master`` now does for its gain: an ``asplit`` branch scanned while the file is
    written gives the figures a second ffmpeg reading the file gives."""
    out = tmp_path / "mixed.wav"
    scan = f"asplit[scan][mixed];[scan]{ebur128_filter(true_peak=False)},anullsink"
    log = run_ffmpeg(
        ["-f", "lavfi", "-i", "sine=f=500:d=4,volume=0.3", "-filter_complex",
         f"[0:a]{scan};[mixed]anull[out]", "-map", "[out]", "-c:a", "pcm_f32le", str(out)],
        what="thử đo",
    )  # fmt: skip
    inline = parse_ebur128(log, true_peak=False)
    separate = measure(out, true_peak=False)
    assert inline.integrated_lufs == pytest.approx(separate.integrated_lufs, abs=0.05)
    assert inline.integrated_lufs < -5  # a real figure, not the silent -70


@pytest.fixture(scope="module")
def mixes(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Real espeak-ng speech mixed for the loudspeaker and the web, each also written
    losslessly (FLAC: same chain and limiter ceiling, no lossy encoder) for comparison."""
    engine = engine_class("espeak")(voice="vi", rate=125)
    clips = tuple(engine.synthesize(text) for text in SENTENCES)
    voice = VoiceStage(key="speed-speech", clips=clips, engine_label="espeak", notice=None,
                       synthesized=len(clips))  # fmt: skip
    ws = find_workspace(make_workspace(tmp_path_factory.mktemp("speed") / "ws"))
    out = {}
    for name in ("loudspeaker", "web"):
        profile = mix_profile(ws, name)
        lossless = dataclasses.replace(profile, codec="flac", extension="flac", bitrate=None)
        out[name] = (mix_stage(ws, voice, profile).audio, mix_stage(ws, voice, lossless).audio)
    return out


def _speech_snr_db(reference: np.ndarray, coded: np.ndarray) -> float:
    """Segmental SNR over 20 ms frames of speech (as bench/aac.py computes it)."""
    frame = 320  # 20 ms at 16 kHz
    n = min(len(reference), len(coded)) // frame
    ref = reference[: n * frame].reshape(n, frame)
    err = ref - coded[: n * frame].reshape(n, frame)
    power = np.mean(ref**2, axis=1)
    speech = power > 10 ** (-45 / 10)
    snr = 10 * np.log10(power[speech] / (np.mean(err[speech] ** 2, axis=1) + 1e-12))
    return float(np.mean(np.clip(snr, -10, 40)))


@pytest.mark.parametrize(("name", "floor_db"), [("web", 33.0), ("loudspeaker", 20.0)])
def test_fast_encoder_settings_keep_the_speech(mixes, name: str, floor_db: float) -> None:
    """Segmental SNR of the coded speech against the same mix written losslessly, read at
    16 kHz (the speech band). Measured here: web (mono 128k, fast coder) 38.6 dB, as the
    stereo 160k it replaces (39.0 dB); loudspeaker (LAME level 7) 26.0 dB, default 25.3 dB.
    The floors leave a margin for other ffmpeg builds, and fail on a real loss."""
    coded, lossless = mixes[name]
    assert _speech_snr_db(samples(lossless), samples(coded)) > floor_db
    assert measure(coded).integrated_lufs == pytest.approx(-16.0, abs=1.0)
