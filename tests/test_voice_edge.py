"""The edge engine, tested as far as is honest without Microsoft's service.

edge-tts connects to a fixed wss:// address with TLS pinned to certifi's roots, so it cannot
be pointed at a local server without patching its internals. What is tested here is what
the toolkit controls: the missing-extra message, and the failure path through edge-tts's real
network code (its ``proxy`` option aimed at local sockets that refuse or never answer) ending
in the profile's fallback voice, recorded.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from broadcast.errors import EngineError
from broadcast.store.station import Station
from broadcast.store.workspace import Workspace
from broadcast.voice.edge import EdgeEngine
from broadcast.voice.profiles import EDGE_PROXY_ENV, load_profile
from broadcast.voice.synth import synthesize_profile

pytest.importorskip("edge_tts", reason="the broadcast[edge] extra is not installed")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


def _ws(root: Path, proxy: str, fallback: bool = True, timeout: float = 1.0) -> Workspace:
    (root / "voices").mkdir(parents=True, exist_ok=True)
    extra = 'fallback = "espeak-vi-north"\n' if fallback else ""
    (root / "voices" / "edge-test.toml").write_text(
        f'engine = "edge"\nvoice = "vi-VN-HoaiMyNeural"\nurl = "{proxy}"\n'
        f"retries = 1\ntimeout_s = {timeout}\nbackoff_s = 0.05\n{extra}",
        encoding="utf-8",
    )
    return Workspace(root=root, station=Station(name="Đài xã", commune="X", province="Y"))


def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "edge_tts", None)  # as if edge-tts were not installed
    with pytest.raises(EngineError, match=r"broadcast\[edge\]"):
        EdgeEngine().synthesize("Xin chào.")
    result = synthesize_profile(load_profile("edge-vi-hoaimy"), ["Xin chào bà con."])
    assert result.fallback_used and "broadcast[edge]" in (result.notice or "")


def test_unreachable_service_falls_back_to_espeak(tmp_path: Path) -> None:
    ws = _ws(tmp_path, f"http://127.0.0.1:{_closed_port()}")
    result = synthesize_profile(load_profile("edge-test", ws), ["Xin chào bà con."])
    assert result.used.engine == "espeak" and result.sentences[0].engine == "espeak"
    assert "edge-test" in (result.notice or "") and result.clips[0].duration_s > 0.5


def test_stalled_network_times_out_without_fallback(tmp_path: Path, silent_proxy: str) -> None:
    ws = _ws(tmp_path, silent_proxy, fallback=False, timeout=0.5)
    began = time.monotonic()
    with pytest.raises(EngineError, match="Edge.*2 lần thử"):
        synthesize_profile(load_profile("edge-test", ws), ["Xin chào."], tmp_path / "cache")
    assert time.monotonic() - began < 6  # two attempts of at most 2 x timeout_s
    assert not (tmp_path / "cache").exists()


def test_profile_rate_and_pitch_become_edge_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert EdgeEngine(rate=150, pitch=60)._settings() == ("+20%", "+10Hz")
    assert EdgeEngine(rate=100, pitch=50)._settings() == ("-20%", "+0Hz")
    monkeypatch.setenv(EDGE_PROXY_ENV, "http://127.0.0.1:3128")
    assert load_profile("edge-vi-namminh").url == "http://127.0.0.1:3128"
