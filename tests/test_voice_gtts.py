"""The gTTS engine against a local server on 127.0.0.1: success, retry, fallback, offline."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from tts_server import TONE_S, ServerState, make_handler, tone_mp3

from broadcast.audio.ffmpeg import probe
from broadcast.errors import EngineError
from broadcast.store.station import Station
from broadcast.store.workspace import Workspace
from broadcast.voice.decode import wav_bytes
from broadcast.voice.profiles import GTTS_URL_ENV, load_profile
from broadcast.voice.synth import synthesize_profile

SENTENCES = ["Xin chào bà con.", "Ủy ban nhân dân xã thông báo lịch tiếp công dân."]
LONG = (
    "Từ ngày mùng một tháng sáu, người dân có thể nộp hồ sơ đăng ký khai sinh, đăng ký "
    "thường trú và cấp đổi căn cước trực tuyến trên cổng dịch vụ công quốc gia, không cần "
    "đến trụ sở ủy ban, và nhận kết quả qua dịch vụ bưu chính công ích tại nhà."
)


@pytest.fixture(scope="module")
def mp3() -> bytes:
    return tone_mp3()


@pytest.fixture
def server(mp3: bytes) -> Iterator[tuple[str, ServerState]]:
    state = ServerState(mp3=mp3)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", state
    httpd.shutdown()
    httpd.server_close()


def workspace(
    root: Path, url: str, extra: str = "", retries: int = 1, backoff: float = 0.05
) -> Workspace:
    """A workspace whose voices/ overrides the shipped gtts-vi profile's server and retries."""
    (root / "voices").mkdir(parents=True)
    (root / "voices" / "gtts-vi.toml").write_text(
        f'url = "{url}"\nretries = {retries}\ntimeout_s = 1.0\nbackoff_s = {backoff}\n',
        encoding="utf-8",
    )
    if extra:
        (root / "voices" / "gtts-only.toml").write_text(extra, encoding="utf-8")
    return Workspace(root=root, station=Station(name="Đài xã", commune="X", province="Y"))


def measured_duration(tmp_path: Path, clip) -> float:
    wav = tmp_path / "clip.wav"
    wav.write_bytes(wav_bytes(clip))
    return probe(wav).duration_s


def test_speaks_through_local_server_and_chunks_long_text(server, tmp_path: Path) -> None:
    url, state = server
    profile = load_profile("gtts-vi", workspace(tmp_path, url))
    assert profile.url == url and profile.retries == 1  # workspace keys over the shipped file
    result = synthesize_profile(profile, [SENTENCES[0], LONG], tmp_path / "cache")
    assert not result.fallback_used and result.notice is None
    assert [s.engine for s in result.sentences] == ["gtts", "gtts"]
    # gTTS sends at most 100 characters per request: the long sentence took several.
    assert len(state.texts) >= 4 and all(len(t) <= 100 for t in state.texts)
    chunks = [t for t in state.texts if t != SENTENCES[0]]  # sentences run side by side
    words = " ".join(chunks).replace(",", " ").split()
    assert words == LONG.replace(",", " ").split()  # gTTS drops commas where it splits
    first = measured_duration(tmp_path, result.clips[0])
    assert abs(first - TONE_S) < 0.15
    long_s = measured_duration(tmp_path, result.clips[1])
    assert abs(long_s - len(chunks) * TONE_S) < 0.1 * len(chunks) + 0.1
    # A re-run is served from the cache: no request reaches the server.
    before = len(state.texts)
    again = synthesize_profile(profile, [SENTENCES[0], LONG], tmp_path / "cache")
    assert len(state.texts) == before and all(s.cached for s in again.sentences)


def test_one_failure_is_retried(server, tmp_path: Path) -> None:
    url, state = server
    state.fail_next = 1
    profile = load_profile("gtts-vi", workspace(tmp_path, url))
    result = synthesize_profile(profile, SENTENCES[:1], None)
    assert not result.fallback_used
    assert len(state.texts) == 2  # the 500, then the retry that succeeded
    assert measured_duration(tmp_path, result.clips[0]) > 0.3


def test_retries_wait_longer_each_time(server, tmp_path: Path) -> None:
    url, state = server
    state.fail_next = 2
    profile = load_profile("gtts-vi", workspace(tmp_path, url, retries=2, backoff=0.2))
    result = synthesize_profile(profile, SENTENCES[:1], None)
    assert not result.fallback_used and len(state.times) == 3
    first, second = (b - a for a, b in zip(state.times, state.times[1:], strict=False))
    assert 0.2 <= first < 1.0 and 0.4 <= second < 1.5  # waits 0.2 s, then twice that


@pytest.mark.parametrize("mode", ["500", "garbage", "hang"])
def test_permanent_failure_falls_back_to_espeak_and_says_so(
    server, tmp_path: Path, mode: str
) -> None:
    url, state = server
    state.mode = mode
    profile = load_profile("gtts-vi", workspace(tmp_path, url))
    cache = tmp_path / "cache"
    result = synthesize_profile(profile, SENTENCES, cache)
    assert result.fallback_used and result.used.name == "espeak-vi-north"
    assert {s.engine for s in result.sentences} == {"espeak"}
    assert "gtts-vi" in (result.notice or "") and "espeak-vi-north" in (result.notice or "")
    assert "dự phòng" in result.engine_label
    # Attempts are bounded (retries = 1: two per sentence in flight), then the whole
    # script switched to the fallback voice.
    assert 2 <= len(state.texts) <= 4
    assert all(measured_duration(tmp_path, c) > 0.5 for c in result.clips)
    assert len(list(cache.glob("*.wav"))) == 2  # only the espeak clips were cached


def test_offline_without_fallback_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    ws = workspace(
        tmp_path,
        dead,
        extra=f'engine = "gtts"\nurl = "{dead}"\nretries = 1\ntimeout_s = 0.5\nbackoff_s = 0.05\n',
    )
    cache = tmp_path / "cache"
    with pytest.raises(EngineError, match="gTTS.*2 lần thử"):
        synthesize_profile(load_profile("gtts-only", ws), SENTENCES, cache)
    assert not cache.exists() or not any(cache.iterdir())


def test_server_address_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(GTTS_URL_ENV, "http://127.0.0.1:9")
    assert load_profile("gtts-vi").url == "http://127.0.0.1:9"
    monkeypatch.delenv(GTTS_URL_ENV)
    assert load_profile("gtts-vi").url is None  # gTTS's own Google address
