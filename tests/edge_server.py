"""A local stand-in for Microsoft Edge's read-aloud websocket, for the edge engine's tests.

It speaks the protocol edge-tts 7 speaks (read from its ``communicate.py``): the client sends
a ``Path:speech.config`` text frame and a ``Path:ssml`` text frame; the service answers with
text frames ``Path:turn.start`` and ``Path:audio.metadata``, then binary frames (two bytes
big-endian header length, the headers ending in ``Path:audio\\r\\n``, then MP3 bytes) and a
text frame ``Path:turn.end``. The MP3 is real (ffmpeg, see ``tts_server.tone_mp3``).

It fails on demand: the handshake answered with HTTP 500, a websocket closed without audio,
a reply that never comes (timeout), or "audio" frames that are not audio.

The server runs aiohttp.web (edge-tts's own dependency) in a thread with its own event loop,
on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

CHUNK = 4096  # the real service sends the MP3 in pieces of a few kilobytes


@dataclass
class EdgeState:
    mp3: bytes
    mode: str = "ok"  # ok | 500 | close | hang | garbage
    fail_next: int = 0  # the next N connections get an HTTP 500 handshake, then ``mode``
    fail_mode: str = "500"  # what those N failures are
    ssml: list[str] = field(default_factory=list)  # every SSML document received
    queries: list[dict[str, str]] = field(default_factory=list)  # each handshake's query
    config: list[str] = field(default_factory=list)  # every speech.config body received
    times: list[float] = field(default_factory=list)  # time.monotonic() of each connection
    lock: threading.Lock = field(default_factory=threading.Lock)


def _text_frame(path: str, body: str, request_id: str) -> str:
    return (
        f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
        f"Path:{path}\r\n\r\n{body}"
    )


def _audio_frame(data: bytes, request_id: str) -> bytes:
    headers = f"X-RequestId:{request_id}\r\nContent-Type:audio/mpeg\r\nPath:audio\r\n".encode()
    return len(headers).to_bytes(2, "big") + headers + data


def spoken_text(ssml: str) -> str:
    """The text inside the SSML's <prosody> element (what the voice would read)."""
    found = re.search(r"<prosody[^>]*>(.*)</prosody>", ssml, re.S)
    return found.group(1) if found else ""


async def _speak(ws: web.WebSocketResponse, state: EdgeState, mode: str, request_id: str) -> None:
    if mode == "close":
        await ws.close()
        return
    if mode == "hang":
        await asyncio.sleep(3)
        return
    await ws.send_str(_text_frame("turn.start", '{"context":{"serviceTag":"local"}}', request_id))
    meta = {
        "Metadata": [
            {
                "Type": "SentenceBoundary",
                "Data": {"Offset": 1000000, "Duration": 5000000, "text": {"Text": "local"}},
            }
        ]
    }
    await ws.send_str(_text_frame("audio.metadata", json.dumps(meta), request_id))
    audio = b"\x00not an mp3 at all\xff" * 64 if mode == "garbage" else state.mp3
    for start in range(0, len(audio), CHUNK):
        await ws.send_bytes(_audio_frame(audio[start : start + CHUNK], request_id))
    await ws.send_str(_text_frame("turn.end", "{}", request_id))


def make_app(state: EdgeState) -> web.Application:
    async def handle(request: web.Request) -> web.StreamResponse:
        with state.lock:
            state.queries.append(dict(request.query))
            state.times.append(time.monotonic())
            failing = state.fail_next > 0
            state.fail_next -= 1 if failing else 0
            mode = state.fail_mode if failing else state.mode
        if mode == "500":
            return web.Response(status=500, text="local failure")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                break
            head, _, body = message.data.partition("\r\n\r\n")
            if "Path:speech.config" in head:
                with state.lock:
                    state.config.append(body)
            elif "Path:ssml" in head:
                with state.lock:
                    state.ssml.append(body)
                request_id = re.search(r"X-RequestId:(\w+)", head)
                await _speak(ws, state, mode, request_id.group(1) if request_id else "0")
                break
        await ws.close()
        return ws

    app = web.Application()
    app.router.add_get("/edge/v1", handle)
    return app


@contextmanager
def edge_server(state: EdgeState) -> Iterator[str]:
    """Run the server on 127.0.0.1 in a thread; yields its ws:// endpoint."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(make_app(state), handle_signals=False, shutdown_timeout=0.5)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"ws://127.0.0.1:{port}/edge/v1?TrustedClientToken=local-test"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
