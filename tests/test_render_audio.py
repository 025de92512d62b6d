"""Mix profiles measured on real renders: loudness, true peak, band limits, ducking.

Loudness and true peak come from ffmpeg's EBU R 128 scanner (``ebur128=peak=true``); spectra
and bed levels from the decoded samples with numpy. Speech is real espeak-ng for the
loudness checks; the band and ducking checks use tones as "voices" so that each frequency
band belongs to exactly one source.
"""

from __future__ import annotations

import dataclasses
import json
import socket
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from helpers import files_under, make_workspace, run
from render_support import band_level_db, samples, store_script

from broadcast.audio.ffmpeg import probe, run_ffmpeg
from broadcast.audio.loudness import measure
from broadcast.audio.profiles import PROFILES, get_profile
from broadcast.errors import InputError, WorkspaceError
from broadcast.render.stages import VoiceStage, mix_stage
from broadcast.store.workspace import find_workspace
from broadcast.voice.base import SpeechClip
from broadcast.voice.profiles import GTTS_URL_ENV

RATE = 22050


def tone_clip(seconds: float, *freqs: float, amplitude: float = 0.25) -> SpeechClip:
    t = np.arange(int(seconds * RATE)) / RATE
    wave = sum(np.sin(2 * np.pi * f * t) for f in freqs) * amplitude / len(freqs)
    return SpeechClip(pcm=(wave * 32767).astype("<i2").tobytes(), sample_rate=RATE)


def tone_voice(*clips: SpeechClip) -> VoiceStage:
    return VoiceStage(
        key=f"tones-{len(clips)}-{sum(len(c.pcm) for c in clips)}-{hash(clips[0].pcm)}",
        clips=clips,
        engine_label="tones",
        notice=None,
        synthesized=len(clips),
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("mix") / "ws")
    store_script(root)
    return root


@pytest.fixture(scope="module")
def mixes(workspace: Path) -> dict[str, dict]:
    out = {}
    for name in PROFILES:
        result = run("-w", workspace, "mix", "2026-11-24-lich-tiep-cong-dan", "--profile", name,
                     "--json")  # fmt: skip
        assert result.exit_code == 0, result.output
        out[name] = json.loads(result.stdout)
    return out


@pytest.mark.parametrize(
    ("name", "target", "tolerance", "ceiling", "codec", "rate", "channels"),
    [
        ("loudspeaker", -16.0, 1.0, -1.5, "mp3", 44100, "mono"),
        ("web", -16.0, 1.0, -1.5, "aac", 44100, "mono"),
        ("broadcast", -23.0, 0.5, -1.0, "pcm_s24le", 48000, "stereo"),
    ],
)
def test_each_profile_meets_its_loudness_and_format(
    mixes, workspace, name, target, tolerance, ceiling, codec, rate, channels
) -> None:
    path = Path(mixes[name]["path"])
    loud = measure(path)  # measured again here, independently of what the command reported
    assert abs(loud.integrated_lufs - target) <= tolerance, loud
    assert loud.true_peak_db <= ceiling, loud
    stream = probe(path).first("audio")
    assert stream is not None
    assert (stream.codec, stream.sample_rate, stream.channels) == (codec, rate, channels)
    conn = sqlite3.connect(workspace / "broadcast.db")
    row = conn.execute(
        "SELECT loudness_lufs, loudness_range, true_peak_db, profile, language FROM renders"
        " WHERE path = ?",
        (str(path.relative_to(workspace)),),
    ).fetchone()
    assert row is not None, "every render is stored with its figures"
    assert row[0] == pytest.approx(loud.integrated_lufs, abs=0.15)
    assert row[1] == pytest.approx(loud.range_lu, abs=0.15) and row[1] >= 0
    assert row[2] == pytest.approx(loud.true_peak_db, abs=0.15)
    assert row[3:] == (name, "vi")


def test_rerun_reuses_voice_and_mix_and_adds_no_row(mixes, workspace) -> None:
    before = sqlite3.connect(workspace / "broadcast.db").execute(
        "SELECT COUNT(*) FROM renders").fetchone()[0]  # fmt: skip
    result = run("-w", workspace, "mix", "2026-11-24-lich-tiep-cong-dan", "--json")
    assert result.exit_code == 0, result.output
    again = json.loads(result.stdout)
    assert again["reused"] == {"voice": True, "mix": True}
    assert again["written"] is False
    assert again["loudness_lufs"] == mixes["loudspeaker"]["loudness_lufs"]
    after = sqlite3.connect(workspace / "broadcast.db").execute(
        "SELECT COUNT(*) FROM renders").fetchone()[0]  # fmt: skip
    assert after == before


def test_every_mix_is_bound_to_the_approved_sentences(mixes, workspace) -> None:
    """Issue 9: a render records the hash of each sentence it voices, so the gate can tell
    it is current (and, after an edit, that it is not)."""
    from broadcast.review import gate
    from broadcast.store.db import Database

    with Database(workspace / "broadcast.db") as db:
        ids = [int(r[0]) for r in db.conn.execute("SELECT id FROM renders WHERE kind = 'audio'")]
        assert len(ids) == len(PROFILES)
        current = {t.text_sha256 for t in gate.approved_text_hashes(db, 1, "vi")}
        for render_id in ids:
            assert gate.render_problem(db, render_id) is None
            rows = db.conn.execute(
                "SELECT text_sha256 FROM render_texts WHERE render_id = ?", (render_id,)
            ).fetchall()
            assert {r[0] for r in rows} == current and len(rows) == 4


def test_loudspeaker_band_limits_on_a_spectrum(workspace) -> None:
    """Equal 60 Hz, 1 kHz and 10 kHz tones in; the horn profile keeps only the middle."""
    ws = find_workspace(workspace)
    voice = tone_voice(tone_clip(2.0, 60, 1000, 10000), tone_clip(2.0, 60, 1000, 10000))
    levels = {}
    for name in ("loudspeaker", "broadcast"):
        mix = mix_stage(ws, voice, get_profile(name), with_bed=False)
        x = samples(mix.audio, rate=44100)
        start, end = mix.timings[0]
        body = x[int((start + 0.3) * 44100) : int((end - 0.3) * 44100)]
        levels[name] = {
            "low": band_level_db(body, 44100, 20, 100),
            "speech": band_level_db(body, 44100, 300, 3400),
            "high": band_level_db(body, 44100, 9000, 11000),
        }
    horn, full = levels["loudspeaker"], levels["broadcast"]
    assert full["speech"] - full["low"] < 10, "the test signal does carry low energy"
    assert horn["speech"] - horn["low"] > 35, horn
    assert horn["speech"] - horn["high"] > 25, horn
    assert full["speech"] - full["high"] < 10


def test_music_bed_is_ducked_under_speech(workspace, tmp_path) -> None:
    ws = find_workspace(workspace)
    bed_dir = workspace / "audio"
    bed_dir.mkdir(exist_ok=True)
    run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=300:duration=2",
            "-ac",
            "2",
            str(bed_dir / "bed.wav"),
        ],
        what="tạo nhạc nền",
    )
    try:
        # a long section pause gives the bed time to come back up between two sentences
        profile = dataclasses.replace(get_profile("web"), section_pause_ms=3000)
        voice = tone_voice(tone_clip(2.0, 2000), tone_clip(2.0, 2000))
        mix = mix_stage(ws, voice, profile, breaks_after={0})
    finally:
        (bed_dir / "bed.wav").unlink()
    x = samples(mix.audio, rate=16000)
    (s1, e1), (s2, _e2) = mix.timings

    def bed_db(a: float, b: float) -> float:
        return band_level_db(x[int(a * 16000) : int(b * 16000)], 16000, 250, 350)

    under_speech = bed_db(s1 + 0.5, e1 - 0.5)
    alone = bed_db(e1 + 0.9, s2 - 0.9)  # ramps (0.3 s) are over, bed at its full level
    assert alone - under_speech > 10, (alone, under_speech)
    assert alone > band_level_db(samples(mix.audio, 16000)[: int(0.05 * 16000)], 16000, 250, 350)


def test_corrupt_ident_is_a_clear_error_and_writes_nothing(tmp_path) -> None:
    root = make_workspace(tmp_path / "ws")
    slug = store_script(root)
    (root / "audio").mkdir()
    (root / "audio" / "ident.mp3").write_bytes(b"ID3 but not really an mp3" * 10)
    result = run("-w", root, "mix", slug)
    assert result.exit_code == 2
    assert "ident.mp3" in result.stderr and "Traceback" not in result.output
    assert files_under(root / "out") == []
    count = sqlite3.connect(root / "broadcast.db").execute("SELECT COUNT(*) FROM renders")
    assert count.fetchone()[0] == 0


def test_station_overrides_are_checked() -> None:
    assert get_profile("loudspeaker", {"loudness_lufs": -18}).loudness_lufs == -18.0
    with pytest.raises(WorkspaceError, match="lufs"):
        get_profile("web", {"lufs": -14})
    with pytest.raises(WorkspaceError, match="sai kiểu"):
        get_profile("web", {"pause_ms": "dài"})
    with pytest.raises(InputError, match="loudspeaker, web, broadcast"):
        get_profile("radio")


def test_station_toml_override_changes_the_render(tmp_path) -> None:
    root = make_workspace(tmp_path / "ws")
    slug = store_script(root)
    with (root / "station.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[mix.broadcast]\nloudness_lufs = -20.0\n")
    result = run("-w", root, "mix", slug, "--profile", "broadcast", "--json")
    assert result.exit_code == 0, result.output
    assert abs(measure(Path(json.loads(result.stdout)["path"])).integrated_lufs + 20) <= 0.5


def test_fallback_voice_is_shown_and_recorded_on_the_render(tmp_path, monkeypatch) -> None:
    """An online voice that cannot be reached: the mix is read by the fallback voice, the
    user is told so, and the render row names both voices."""
    with socket.socket() as probe_port:  # a port nothing listens on: connection refused
        probe_port.bind(("127.0.0.1", 0))
        port = probe_port.getsockname()[1]
    monkeypatch.delenv(GTTS_URL_ENV, raising=False)
    root = make_workspace(tmp_path / "ws")
    slug = store_script(root)
    (root / "voices" / "gtts-vi.toml").write_text(
        f'url = "http://127.0.0.1:{port}"\nretries = 0\ntimeout_s = 1.0\n', encoding="utf-8"
    )
    result = run("-w", root, "mix", slug, "--voice", "gtts-vi")
    assert result.exit_code == 0, result.output
    assert "Lưu ý" in result.stderr and "espeak-vi-north" in result.stderr
    engine = sqlite3.connect(root / "broadcast.db").execute(
        "SELECT engine FROM renders WHERE kind = 'audio'"
    )
    recorded = engine.fetchone()[0]
    assert recorded.startswith("espeak-vi-north") and "dự phòng cho gtts-vi" in recorded


def test_voice_command_reports_cached_sentences(mixes, workspace) -> None:
    result = run("-w", workspace, "voice", "2026-11-24-lich-tiep-cong-dan", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["sentences"], data["synthesized"], data["reused"]) == (4, 0, True)
    assert 4 < data["seconds"] < 20 and data["engine"].startswith("espeak")


def test_unknown_script_is_a_clear_error(workspace) -> None:
    result = run("-w", workspace, "mix", "khong-co-kich-ban")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Không có kịch bản 'khong-co-kich-ban'" in result.stderr
