"""The edge engine against a local websocket server on 127.0.0.1 that speaks edge-tts's
protocol (tests/edge_server.py): success, retry, fallback, concurrent endpoints, and the
failure paths through edge-tts's real network code (its ``proxy`` option aimed at local
sockets that refuse or never answer). Nothing here reaches Microsoft's service.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from edge_server import EdgeState, edge_server, spoken_text
from tts_server import tone_mp3

from broadcast.audio.ffmpeg import probe
from broadcast.audio.loudness import measure
from broadcast.errors import EngineError, WorkspaceError
from broadcast.store.station import Station
from broadcast.store.workspace import Workspace
from broadcast.voice.base import SpeechClip
from broadcast.voice.decode import wav_bytes
from broadcast.voice.edge import EdgeEngine
from broadcast.voice.profiles import EDGE_PROXY_ENV, EDGE_URL_ENV, load_profile
from broadcast.voice.synth import synthesize_profile

edge_tts = pytest.importorskip("edge_tts", reason="the broadcast[edge] extra is not installed")

SENTENCES = ["Xin chào bà con.", "Ủy ban nhân dân xã thông báo lịch tiếp công dân."]
TONE_S = 1.0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def mp3() -> bytes:
    return tone_mp3(TONE_S)


@pytest.fixture
def server(mp3: bytes, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, EdgeState]]:
    # edge-tts's aiohttp session trusts the environment: keep any proxy away from 127.0.0.1.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    state = EdgeState(mp3=mp3)
    with edge_server(state) as url:
        yield url, state


@pytest.fixture
def silent_proxy() -> Iterator[str]:
    """A proxy that accepts connections and never answers (a stalled network)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def _ws(
    root: Path,
    *,
    url: str | None = None,
    proxy: str | None = None,
    fallback: bool = True,
    timeout: float = 1.0,
    retries: int = 1,
    extra: str = "",
) -> Workspace:
    (root / "voices").mkdir(parents=True, exist_ok=True)
    keys = f'url = "{url}"\n' if url else ""
    keys += f'proxy = "{proxy}"\n' if proxy else ""
    keys += 'fallback = "espeak-vi-north"\n' if fallback else ""
    (root / "voices" / "edge-test.toml").write_text(
        f'engine = "edge"\nvoice = "vi-VN-HoaiMyNeural"\n{keys}'
        f"retries = {retries}\ntimeout_s = {timeout}\nbackoff_s = 0.05\n{extra}",
        encoding="utf-8",
    )
    return Workspace(root=root, station=Station(name="Đài xã", commune="X", province="Y"))


def _seconds(tmp_path: Path, clip: SpeechClip) -> float:
    """The clip's duration as ffmpeg reads it from a WAV file."""
    wav = tmp_path / "clip.wav"
    wav.write_bytes(wav_bytes(clip))
    return probe(wav).duration_s


def test_speaks_through_local_server(server, mp3: bytes, tmp_path: Path) -> None:
    url, state = server
    ws = _ws(tmp_path, url=url, retries=0, extra="rate = 150\npitch = 60\n")
    profile = load_profile("edge-test", ws)
    assert profile.url == url
    result = synthesize_profile(profile, SENTENCES[:1], tmp_path / "cache")
    assert not result.fallback_used and result.notice is None
    assert [s.engine for s in result.sentences] == ["edge"]
    # The served MP3 and what the engine returns, both measured by ffmpeg.
    served = tmp_path / "served.mp3"
    served.write_bytes(mp3)
    expected = probe(served).duration_s
    got = _seconds(tmp_path, result.clips[0])
    assert got > 0 and abs(got - expected) < 0.1
    assert measure(tmp_path / "clip.wav", true_peak=False).integrated_lufs > -30  # a tone
    # What edge-tts sent: the config, then SSML with our voice, text and settings.
    assert len(state.ssml) == 1 and "audio-24khz-48kbitrate-mono-mp3" in state.config[0]
    ssml = state.ssml[0]
    assert "vi-VN, HoaiMyNeural" in ssml and spoken_text(ssml) == SENTENCES[0]
    assert "rate='+20%'" in ssml and "pitch='+10Hz'" in ssml
    query = state.queries[0]
    assert query["TrustedClientToken"] == "local-test" and query["ConnectionId"]
    assert query["Sec-MS-GEC"]  # edge-tts's own token, computed offline
    # The endpoint was edge-tts's only for the call.
    assert edge_tts.communicate.WSS_URL == edge_tts.constants.WSS_URL
    # A re-run comes from the cache: no connection reaches the server.
    again = synthesize_profile(profile, SENTENCES[:1], tmp_path / "cache")
    assert len(state.queries) == 1 and all(s.cached for s in again.sentences)


def test_one_failure_is_retried(server, tmp_path: Path) -> None:
    url, state = server
    state.fail_next = 1  # the first handshake is answered with HTTP 500
    profile = load_profile("edge-test", _ws(tmp_path, url=url))
    result = synthesize_profile(profile, SENTENCES[:1], None)
    assert not result.fallback_used and result.sentences[0].engine == "edge"
    assert len(state.queries) == 2  # the 500, then the retry that succeeded
    assert state.times[1] - state.times[0] >= 0.05  # after the profile's backoff
    assert abs(_seconds(tmp_path, result.clips[0]) - TONE_S) < 0.15


@pytest.mark.parametrize("mode", ["500", "close", "garbage"])
def test_permanent_failure_falls_back_to_espeak_and_says_so(
    server, tmp_path: Path, mode: str
) -> None:
    url, state = server
    state.mode = mode
    cache = tmp_path / "cache"
    result = synthesize_profile(load_profile("edge-test", _ws(tmp_path, url=url)), SENTENCES, cache)
    assert result.fallback_used and result.used.name == "espeak-vi-north"
    assert {s.engine for s in result.sentences} == {"espeak"}
    assert "edge-test" in (result.notice or "") and "espeak-vi-north" in (result.notice or "")
    assert 2 <= len(state.queries) <= 4  # retries = 1: two per sentence in flight
    assert all(_seconds(tmp_path, c) > 0.5 for c in result.clips)
    assert len(list(cache.glob("*.wav"))) == 2  # only the espeak clips were cached


def test_two_endpoints_in_parallel_threads_never_mix(mp3: bytes) -> None:
    first, second = EdgeState(mp3=mp3), EdgeState(mp3=mp3)
    errors: list[BaseException] = []
    with edge_server(first) as url_a, edge_server(second) as url_b:

        def speak(url: str, tag: str) -> None:
            engine = EdgeEngine(url=url, retries=0, timeout_s=2.0)
            try:
                for n in range(3):
                    engine.synthesize(f"{tag} {n}")
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)

        threads = [
            threading.Thread(target=speak, args=(url, tag))
            for url, tag in [(url_a, "a"), (url_b, "b"), (url_a, "c")]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    assert sorted(spoken_text(s)[0] for s in first.ssml) == ["a"] * 3 + ["c"] * 3
    assert [spoken_text(s)[0] for s in second.ssml] == ["b"] * 3
    assert edge_tts.communicate.WSS_URL == edge_tts.constants.WSS_URL


def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "edge_tts", None)  # as if edge-tts were not installed
    with pytest.raises(EngineError, match=r"broadcast\[edge\]"):
        EdgeEngine().synthesize("Xin chào.")
    result = synthesize_profile(load_profile("edge-vi-hoaimy"), ["Xin chào bà con."])
    assert result.fallback_used and "broadcast[edge]" in (result.notice or "")


def test_refused_endpoint_falls_back_to_espeak(tmp_path: Path) -> None:
    ws = _ws(tmp_path, url=f"ws://127.0.0.1:{_closed_port()}/edge/v1")
    result = synthesize_profile(load_profile("edge-test", ws), ["Xin chào bà con."])
    assert result.used.engine == "espeak" and result.sentences[0].engine == "espeak"
    assert "edge-test" in (result.notice or "") and result.clips[0].duration_s > 0.5


def test_unreachable_proxy_falls_back_to_espeak(tmp_path: Path) -> None:
    ws = _ws(tmp_path, proxy=f"http://127.0.0.1:{_closed_port()}")
    result = synthesize_profile(load_profile("edge-test", ws), ["Xin chào bà con."])
    assert result.used.engine == "espeak" and result.sentences[0].engine == "espeak"
    assert "edge-test" in (result.notice or "") and result.clips[0].duration_s > 0.5


def test_stalled_network_times_out_without_fallback(tmp_path: Path, silent_proxy: str) -> None:
    ws = _ws(tmp_path, proxy=silent_proxy, fallback=False, timeout=0.5)
    began = time.monotonic()
    with pytest.raises(EngineError, match="Edge.*2 lần thử"):
        synthesize_profile(load_profile("edge-test", ws), ["Xin chào."], tmp_path / "cache")
    assert time.monotonic() - began < 6  # two attempts of at most 2 x timeout_s
    assert not (tmp_path / "cache").exists()


def test_endpoint_must_be_a_websocket_address(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="ws:// hoặc wss://"):
        load_profile("edge-test", _ws(tmp_path, url="http://127.0.0.1:3128"))
    with pytest.raises(EngineError, match="ws:// hoặc wss://"):
        EdgeEngine(url="127.0.0.1:9").synthesize("Xin chào.")
    (tmp_path / "voices" / "gtts-proxy.toml").write_text(
        'engine = "gtts"\nproxy = "http://127.0.0.1:3128"\n', encoding="utf-8"
    )
    ws = Workspace(root=tmp_path, station=Station(name="Đài xã", commune="X", province="Y"))
    with pytest.raises(WorkspaceError, match="'proxy' chỉ dùng cho giọng edge"):
        load_profile("gtts-proxy", ws)


def test_settings_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert EdgeEngine(rate=150, pitch=60)._settings() == ("+20%", "+10Hz")
    assert EdgeEngine(rate=100, pitch=50)._settings() == ("-20%", "+0Hz")
    assert load_profile("edge-vi-namminh").url is None  # edge-tts's own Microsoft address
    monkeypatch.setenv(EDGE_PROXY_ENV, "http://127.0.0.1:3128")
    monkeypatch.setenv(EDGE_URL_ENV, "ws://127.0.0.1:9/edge/v1")
    profile = load_profile("edge-vi-namminh")
    assert profile.proxy == "http://127.0.0.1:3128" and profile.url == "ws://127.0.0.1:9/edge/v1"
