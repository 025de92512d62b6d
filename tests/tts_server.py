"""A local stand-in for Google Translate's TTS endpoint, for the gTTS engine's tests.

It answers gTTS's batchexecute POST exactly as gTTS parses it (a ``jQ1olc`` line holding
base64 MP3) with real MP3 bytes made by ffmpeg, and it fails on demand: HTTP 500, a reply
that never comes (timeout), or a 200 with garbage instead of audio.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from broadcast.audio.ffmpeg import ffmpeg_exe

TONE_S = 0.6


def tone_mp3(seconds: float = TONE_S) -> bytes:
    """A real MP3 (a 440 Hz tone) encoded by ffmpeg, the bytes a TTS server would send."""
    import subprocess

    return subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-f", "lavfi", "-i",
         f"sine=frequency=440:duration={seconds}", "-ac", "1", "-ar", "24000",
         "-c:a", "libmp3lame", "-b:a", "48k", "-f", "mp3", "pipe:1"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip


@dataclass
class ServerState:
    mp3: bytes
    mode: str = "ok"  # ok | 500 | hang | garbage
    fail_next: int = 0  # the next N requests answer 500, then ``mode`` applies
    texts: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)  # time.monotonic() of each request
    lock: threading.Lock = field(default_factory=threading.Lock)


def batchexecute_reply(mp3: bytes) -> bytes:
    """The body shape gTTS 2.5 reads: it searches each line for jQ1olc","[\\"<base64>\\"]."""
    compact = (",", ":")  # Google's own spacing, which gTTS's regex depends on
    inner = json.dumps([base64.b64encode(mp3).decode("ascii")], separators=compact)
    rpc = json.dumps([["wrb.fr", "jQ1olc", inner, None, None, None, "generic"]], separators=compact)
    return f")]}}'\n\n{len(rpc)}\n{rpc}\n".encode()


def make_handler(state: ServerState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            rpc = json.loads(urllib.parse.parse_qs(body)["f.req"][0])
            text = json.loads(rpc[0][0][1])[0]
            with state.lock:
                state.texts.append(text)
                state.times.append(time.monotonic())
                failing = state.fail_next > 0
                state.fail_next -= 1 if failing else 0
                mode = "500" if failing else state.mode
            if mode == "hang":
                time.sleep(3)
            if mode == "500":
                self.send_response(500)
                self.end_headers()
                return
            payload = (
                b"<html>not audio</html>" if mode == "garbage" else batchexecute_reply(state.mp3)
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError):  # the client may have timed out
                self.wfile.write(payload)

    return Handler
