"""The Piper engine, ``voice install`` and ``voice list`` on a tiny generated voice.

The voice is built by ``piper_voice.py`` with random weights and the real interface (ONNX
inputs ``input``/``input_lengths``/``scales``, output ``output``, a config with the keys of a
real ``.onnx.json``), so piper-tts's real load and synthesis path runs, as does onnxruntime.
Its audio is NOISE, never speech: these tests check lengths, sample rates, timings and
refusals, not how a voice sounds.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import make_workspace, run
from piper_voice import SAMPLE_RATE, voice_config, write_voice
from render_support import SENTENCES, SLUG, store_script

from broadcast.errors import InputError
from broadcast.render.jobs import run_mix
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.voice.install import install_voice
from broadcast.voice.profiles import load_profile, station_profile
from broadcast.voice.synth import MIN_PROCESS_BATCH, synthesize_profile

pytest.importorskip("piper")
pytest.importorskip("onnx")

PROFILE = "piper-vi-thu-nghiem-x-low"
SHORT = "Xin chào bà con."
LONG = "Ủy ban nhân dân xã tiếp công dân vào sáng thứ Hai hằng tuần tại trụ sở xã."


@pytest.fixture(scope="module")
def downloaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pair a station would have downloaded: NAME.onnx and NAME.onnx.json."""
    return write_voice(tmp_path_factory.mktemp("download"))


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory, downloaded: Path) -> Workspace:
    """A workspace (vi, blt, hmn) with the tiny voice installed and one stored script."""
    root = make_workspace(tmp_path_factory.mktemp("ws") / "ws")
    store_script(root)
    ws = find_workspace(root)
    done = install_voice(ws, downloaded)
    assert done.profile == PROFILE
    return ws


def _fresh(tmp_path: Path) -> Workspace:
    return find_workspace(make_workspace(tmp_path / "ws"))


def _seconds(pcm: bytes, rate: int) -> float:
    return len(pcm) / 2 / rate


def test_install_copies_the_pair_and_writes_a_profile(station: Workspace) -> None:
    profile = load_profile(PROFILE, station)
    model = Path(profile.voice)
    assert profile.engine == "piper" and profile.language == "vi"
    assert model.is_file() and model.with_name(model.name + ".json").is_file()
    assert model.parent == station.root / "voices" / "piper"
    # Without piper-tts, the station's espeak-ng voice reads instead.
    assert profile.fallback_to is not None and profile.fallback_to.engine == "espeak"


def test_synthesis_length_rate_and_sample_rate(station: Workspace) -> None:
    profile = load_profile(PROFILE, station)
    result = synthesize_profile(profile, [SHORT, LONG], workers=1)
    assert not result.fallback_used and result.used.engine == "piper"
    short, long = result.clips
    assert short.sample_rate == long.sample_rate == SAMPLE_RATE
    assert 0.1 < short.duration_s < long.duration_s
    samples = np.frombuffer(long.pcm, dtype="<i2")
    assert np.abs(samples).max() > 10000  # noise at the engine's level, not silence
    fast = synthesize_profile(dataclasses.replace(profile, rate=250), [LONG], workers=1)
    # rate 250 against 125: every phoneme half as long.
    assert fast.clips[0].duration_s == pytest.approx(long.duration_s / 2, rel=0.05)


def test_worker_processes_load_their_own_voice(station: Workspace) -> None:
    """The parent has the model loaded already (previous test or this warm-up); forked
    workers must load their own and produce the same audio as the parent."""
    profile = load_profile(PROFILE, station)
    texts = [f"Câu thử số {n} của bản tin." for n in range(MIN_PROCESS_BATCH)]
    alone = synthesize_profile(profile, texts, workers=1)
    pooled = synthesize_profile(profile, texts, workers=2)
    assert [c.pcm for c in pooled.clips] == [c.pcm for c in alone.clips]


def test_mix_timings_are_monotonic_and_inside_the_audio(station: Workspace) -> None:
    job = run_mix(station, SLUG, voice_profile=PROFILE, with_bed=False)
    assert "piper" in job.voice.engine_label
    timings = job.mix.timings
    assert len(timings) == len(SENTENCES)
    for (start, end), clip in zip(timings, job.voice.clips, strict=True):
        assert 0 <= start < end <= job.duration_s
        assert end - start == pytest.approx(clip.duration_s, abs=0.05)
    assert all(a[1] <= b[0] for a, b in zip(timings, timings[1:], strict=False))


def test_missing_package_falls_back_with_the_install_hint(
    tmp_path: Path, downloaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _fresh(tmp_path)
    install_voice(ws, downloaded)
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if the extra were not installed
    # Another workspace, so another model path: this process has not loaded it yet.
    result = synthesize_profile(load_profile(PROFILE, ws), [SHORT], workers=1)
    assert result.used.engine == "espeak"
    assert result.notice is not None and "pip install 'broadcast[piper]'" in result.notice


def test_station_setting_chooses_the_default_voice(tmp_path: Path, downloaded: Path) -> None:
    ws = _fresh(tmp_path)
    assert station_profile(ws).engine == "espeak"  # no neural voice: espeak-ng as before
    install_voice(ws, downloaded)
    assert station_profile(ws).engine == "espeak"  # installing does not switch by itself
    toml = ws.root / "station.toml"
    toml.write_text(
        toml.read_text("utf-8").replace('voice = "vi"', f'voice = "{PROFILE}"'), "utf-8"
    )
    ws = find_workspace(ws.root)
    assert station_profile(ws).name == PROFILE
    listed = json.loads(run("--workspace", ws.root, "voice", "list", "--json").output)
    assert [v["name"] for v in listed if v["default"]] == [PROFILE]


def test_voice_list_json(station: Workspace) -> None:
    result = run("--workspace", station.root, "voice", "list", "--json")
    assert result.exit_code == 0, result.output
    voices = {v["name"]: v for v in json.loads(result.output)}
    piper = voices[PROFILE]
    assert (piper["engine"], piper["language"], piper["offline"], piper["usable"]) == (
        "piper",
        "vi",
        True,
        True,
    )
    assert piper["sample"] == f"broadcast voice KỊCH_BẢN --voice {PROFILE}"
    assert voices["espeak-vi-north"]["offline"] and voices["espeak-vi-north"]["default"]
    assert not voices["edge-vi-hoaimy"]["offline"]
    assert not voices["recording"]["usable"]  # no takes imported yet


def test_voice_list_reports_a_missing_model(tmp_path: Path, downloaded: Path) -> None:
    ws = _fresh(tmp_path)
    done = install_voice(ws, downloaded)
    done.model.unlink()
    voices = {
        v["name"]: v
        for v in json.loads(run("--workspace", ws.root, "voice", "list", "--json").output)
    }
    assert not voices[PROFILE]["usable"] and done.model.name in voices[PROFILE]["problem"]
    text = run("--workspace", ws.root, "voice", "list").output
    assert "chưa dùng được" in text and PROFILE in text


def test_voice_script_still_runs_as_before(station: Workspace) -> None:
    result = run("--workspace", station.root, "voice", SLUG, "--voice", PROFILE, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sentences"] == len(SENTENCES)


# --- refusals: one Vietnamese sentence, nothing copied --------------------------------------


def _nothing_installed(ws: Workspace) -> None:
    voices = ws.root / "voices"
    assert not (voices / "piper").exists()
    assert not list(voices.glob("piper-*.toml"))


def _refused(ws: Workspace, *args: Path) -> str:
    result = run("--workspace", ws.root, "voice", "install", *args)
    assert result.exit_code == 2, result.output
    _nothing_installed(ws)
    message = result.stderr.strip()
    assert "chưa chép gì" in message
    return message


def test_refuses_a_model_without_its_json(tmp_path: Path, downloaded: Path) -> None:
    ws = _fresh(tmp_path)
    alone = tmp_path / "dl" / "vi_VN-le-medium.onnx"
    alone.parent.mkdir()
    alone.write_bytes(downloaded.read_bytes())
    assert "Thiếu tệp cấu hình vi_VN-le-medium.onnx.json" in _refused(ws, alone)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"audio": {"rate": 22050}}, "audio.sample_rate"),  # wrong sample rate field
        ({"phoneme_id_map": None}, "phoneme_id_map"),
        ({"num_symbols": 100}, "num_symbols"),  # the map uses ids up to 165
        ({"language": {"code": "de_DE", "family": "de"}, "espeak": {"voice": "de"}}, "'de'"),
    ],
)
def test_refuses_a_json_that_does_not_fit(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    ws = _fresh(tmp_path)
    config = {k: v for k, v in voice_config(**change).items() if v is not None}
    model = write_voice(tmp_path / "dl", config=config)
    assert expected in _refused(ws, model)


def test_refuses_broken_json(tmp_path: Path, downloaded: Path) -> None:
    ws = _fresh(tmp_path)
    json_file = tmp_path / "hong.onnx.json"
    json_file.write_text('{"audio": {"sample_rate": 22050', "utf-8")
    assert "không phải JSON hợp lệ" in _refused(ws, downloaded, json_file)


def test_refuses_a_file_that_is_not_onnx(tmp_path: Path, downloaded: Path) -> None:
    ws = _fresh(tmp_path)
    fake = tmp_path / "vi_VN-gia-medium.onnx"
    fake.write_bytes(b"<html>404 Not Found</html>" * 40)
    fake.with_name(fake.name + ".json").write_bytes(
        downloaded.with_name(downloaded.name + ".json").read_bytes()
    )
    assert "không phải tệp mô hình ONNX" in _refused(ws, fake)


def test_refuses_onnx_with_other_inputs(tmp_path: Path) -> None:
    ws = _fresh(tmp_path)
    model = write_voice(tmp_path / "dl", input_name="tokens")
    message = _refused(ws, model)
    assert "không phải mô hình giọng Piper" in message and "tokens" in message


def test_refuses_a_json_from_another_voice(tmp_path: Path) -> None:
    """A model whose phoneme table is smaller than the config's map: the pair does not
    belong together, found by reading the config's highest id once."""
    ws = _fresh(tmp_path)
    small = write_voice(tmp_path / "small", config=voice_config(num_symbols=40))
    config = tmp_path / "other.onnx.json"
    config.write_text(json.dumps(voice_config()), "utf-8")
    with pytest.raises(InputError) as info:
        install_voice(ws, small, config)
    assert "không cùng một giọng" in info.value.message
    _nothing_installed(ws)


def test_reinstall_needs_replace_and_points_at_the_new_model(
    tmp_path: Path, downloaded: Path
) -> None:
    """The same pair again is a no-op; another model under the same name is refused until
    --replace, then the profile names the new file (its checksum differs: no stale cache)."""
    ws = _fresh(tmp_path)
    first = json.loads(run("--workspace", ws.root, "voice", "install", downloaded, "--json").output)
    again = json.loads(run("--workspace", ws.root, "voice", "install", downloaded, "--json").output)
    assert (first["profile"], first["unchanged"], again["unchanged"]) == (PROFILE, False, True)
    other = write_voice(tmp_path / "moi", config=voice_config(num_symbols=170))
    refused = run("--workspace", ws.root, "voice", "install", other)
    assert refused.exit_code == 2 and "--replace" in refused.stderr
    assert Path(load_profile(PROFILE, ws).voice).name == Path(first["model"]).name
    replaced = run("--workspace", ws.root, "voice", "install", other, "--replace", "--json")
    assert replaced.exit_code == 0, replaced.output
    new_model = Path(load_profile(PROFILE, ws).voice)
    assert new_model.name == Path(json.loads(replaced.output)["model"]).name
    assert new_model.name != Path(first["model"]).name and new_model.is_file()
