"""Voice profiles: shipped files, workspace overrides, validation in one place, the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from broadcast.errors import InputError, WorkspaceError
from broadcast.store.station import Station
from broadcast.store.workspace import Workspace
from broadcast.voice.profiles import load_profile, profile_names, station_profile
from broadcast.voice.synth import MIN_PROCESS_BATCH, profile_cache_key, synthesize_profile

SHIPPED = {
    "espeak-vi-north",
    "espeak-vi-central",
    "espeak-vi-south",
    "gtts-vi",
    "edge-vi-hoaimy",
    "edge-vi-namminh",
    "recording",
}
TEXT = "Ủy ban nhân dân xã thông báo lịch tiếp công dân tháng mười hai."


def workspace(root: Path, **files: str) -> Workspace:
    (root / "voices").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / "voices" / f"{name}.toml").write_text(text, encoding="utf-8")
    return Workspace(root=root, station=Station(name="Đài xã", commune="X", province="Y"))


def test_shipped_profiles_load_with_their_fallbacks() -> None:
    assert set(profile_names()) >= SHIPPED
    for name in SHIPPED:
        profile = load_profile(name)
        if profile.engine in ("gtts", "edge"):
            assert profile.fallback_to is not None and profile.fallback_to.engine == "espeak"
    assert load_profile("edge-vi-namminh").voice == "vi-VN-NamMinhNeural"


def test_three_espeak_accents_speak_differently() -> None:
    names = ["espeak-vi-north", "espeak-vi-central", "espeak-vi-south"]
    results = [synthesize_profile(load_profile(n), [TEXT]) for n in names]
    pcms = [r.clips[0].pcm for r in results]
    assert len(set(pcms)) == 3
    for pcm in pcms:
        samples = np.frombuffer(pcm, dtype="<i2")
        assert samples.size > 22050 and np.abs(samples).max() > 3000


def test_unknown_profile_lists_the_valid_ones(tmp_path: Path) -> None:
    ws = workspace(tmp_path, **{"giong-xa": 'engine = "espeak"\nvoice = "vi"\n'})
    with pytest.raises(InputError) as info:
        load_profile("nosuch", ws)
    assert "giong-xa" in info.value.message and "gtts-vi" in info.value.message


def test_workspace_overrides_keys_and_adds_profiles(tmp_path: Path) -> None:
    ws = workspace(
        tmp_path,
        **{
            "espeak-vi-south": "rate = 110\n",
            "cham": 'engine = "espeak"\nvoice = "vi"\nrate = 90\nfallback = "espeak-vi-south"\n',
        },
    )
    south = load_profile("espeak-vi-south", ws)
    assert (south.rate, south.voice) == (110, "vi-VN-x-south")
    assert load_profile("espeak-vi-south").rate == 125  # the shipped file is untouched
    slow = load_profile("cham", ws)
    assert slow.fallback_to is not None and slow.fallback_to.rate == 110
    assert profile_cache_key(south, TEXT) != profile_cache_key(
        load_profile("espeak-vi-south"), TEXT
    )
    recording = load_profile("recording", ws)
    assert Path(recording.voice) == tmp_path / "takes"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('engine = "espeak"\nspeed = 3\n', "khóa không hợp lệ speed"),
        ('engine = "espeak"\nrate = 5000\n', "'rate' = 5000"),
        ('engine = "espeak"\nrate = "fast"\n', "'rate' phải là một số"),
        ('voice = "vi"\n', "thiếu khóa 'engine'"),
        ('engine = "festival"\n', "festival"),
        ('engine = "espeak"\nvoice = "vi-VN-x-hue"\n', "vi-vn-x-central"),
        ('engine = "gtts"\nvoice = "vn"\n', "tiếng Việt là 'vi'"),
        ('engine = "espeak"\nfallback = "khong-co"\n', "khong-co"),
        ('engine = "espeak"\nfallback = "vong-b"\n', "vòng lặp"),
        ("engine = \n", "không đọc được"),
    ],
)
def test_bad_profile_files_name_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    ws = workspace(tmp_path, vong=text, **{"vong-b": 'engine = "espeak"\nfallback = "vong"\n'})
    with pytest.raises((WorkspaceError, InputError), match=expected):
        load_profile("vong", ws)


def test_station_voice_maps_to_a_profile(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    assert station_profile(ws).engine == "espeak" and station_profile(ws).voice == "vi"
    named = Workspace(
        root=tmp_path, station=Station(name="Đ", commune="X", province="Y", voice="gtts-vi")
    )
    assert station_profile(named).name == "gtts-vi"


def test_cache_hit_on_rerun_and_miss_on_changed_rate(tmp_path: Path) -> None:
    profile = load_profile("espeak-vi-north")
    texts = [TEXT, "Xin chào bà con.", "Hẹn gặp lại."]
    first = synthesize_profile(profile, texts, tmp_path)
    assert not any(s.cached for s in first.sentences)
    files = sorted(tmp_path.glob("*.wav"))
    stamps = [p.stat().st_mtime_ns for p in files]
    again = synthesize_profile(profile, texts, tmp_path)
    assert all(s.cached for s in again.sentences)
    assert [p.stat().st_mtime_ns for p in sorted(tmp_path.glob("*.wav"))] == stamps
    assert again.clips == first.clips
    import dataclasses

    faster = synthesize_profile(dataclasses.replace(profile, rate=170), texts[:1], tmp_path)
    assert not faster.sentences[0].cached
    assert faster.clips[0].duration_s < first.clips[0].duration_s * 0.9


def test_parallel_synthesis_matches_sequential() -> None:
    profile = load_profile("espeak-vi-north")
    texts = [f"Câu số {i}: bà con nộp hồ sơ." for i in range(MIN_PROCESS_BATCH)]  # uses the pool
    one = synthesize_profile(profile, texts, workers=1)
    two = synthesize_profile(profile, texts, workers=2)
    for a, b in zip(one.clips, two.clips, strict=True):
        assert abs(a.duration_s - b.duration_s) < 0.05 * a.duration_s
