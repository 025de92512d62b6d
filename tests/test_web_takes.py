"""*Bản thu* through the real application: upload a take made of real espeak-ng speech (the
same import as ``broadcast takes import``), see the waveform, play a sentence, move a
boundary and accept it; refusals come from the stage (an unapproved language, a file that
is not audio)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from render_support import SENTENCES, SLUG, store_script
from starlette.testclient import TestClient
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.store.workspace import Workspace
from broadcast.voice.base import SpeechClip, engine_class
from broadcast.voice.decode import SAMPLE_RATE, wav_bytes
from broadcast.web.app import create_app

GAP_S = 0.9


def take_wav() -> bytes:
    """The script's four sentences in espeak-ng's voice, with a pause after each."""
    engine = engine_class("espeak")(voice="vi", rate=160)
    parts = [np.zeros(SAMPLE_RATE, dtype="<i2")]
    for _role, text in SENTENCES:
        parts += [
            np.frombuffer(engine.synthesize(text).pcm, dtype="<i2"),
            np.zeros(round(GAP_S * SAMPLE_RATE), dtype="<i2"),
        ]
    return wav_bytes(SpeechClip(np.concatenate(parts).tobytes(), SAMPLE_RATE))


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = web_workspace(tmp_path_factory.mktemp("ban-thu") / "dai")
    store_script(ws.root)
    return ws


@pytest.fixture(scope="module")
def client(ws: Workspace) -> TestClient:
    return signed_in_client(create_app(ws), "producer")


def _upload(client: TestClient, data: bytes, language: str = "vi", name: str = "thu.wav"):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/ban-thu").text)
    return client.post(
        "/ban-thu",
        data={"csrf": token, "script": SLUG, "language": language, "pace": "250"},
        files={"file": (name, data, "audio/wav")},
    )


def test_upload_shows_boundaries_waveform_and_sentences(ws: Workspace, client: TestClient) -> None:
    uploaded = _upload(client, take_wav())
    assert uploaded.status_code == 303, uploaded.text
    page_url = uploaded.headers["location"]
    assert page_url.endswith("/ban-thu/1/vi")
    page = client.get(page_url).text
    assert page.count('type="number"') == 2 * len(SENTENCES)
    assert all(text in page for _role, text in SENTENCES)
    picture = client.get("/ban-thu/1/vi/song.png")
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
    clip = client.get("/ban-thu/1/vi/cau/2")
    assert clip.status_code == 200 and clip.content.startswith(b"RIFF")
    assert client.get("/ban-thu/1/vi/cau/9").status_code == 400
    listing = client.get("/ban-thu").text
    assert "/ban-thu/1/vi" in listing


def test_move_a_boundary_previews_then_recuts_on_accept(ws: Workspace, client: TestClient) -> None:
    manifest_path = ws.root / "takes" / SLUG / "vi" / "take.json"
    before = json.loads(manifest_path.read_text(encoding="utf-8"))
    spans = [(s["start"], s["end"]) for s in before["sentences"]]
    moved = [*spans]
    moved[1] = (spans[1][0] + 0.3, spans[1][1])
    fields = {}
    for number, (start, end) in enumerate(moved, start=1):
        fields[f"dau-{number}"] = f"{start:.2f}"
        fields[f"cuoi-{number}"] = f"{end:.2f}"
    preview = client.get("/ban-thu/1/vi/xem-truoc", params=fields, headers={"HX-Request": "true"})
    assert preview.status_code == 200 and "song.png?dau-1=" in preview.text
    assert client.get("/ban-thu/1/vi/song.png", params=fields).content.startswith(b"\x89PNG")
    clip = ws.root / "takes" / SLUG / "vi" / "sentences" / "002.wav"
    old_size = clip.stat().st_size
    token = csrf_from(client.get("/ban-thu/1/vi").text)
    accepted = client.post("/ban-thu/1/vi/nhan", data={"csrf": token, **fields})
    assert accepted.status_code == 200 and "Đã nhận ranh giới mới" in accepted.text
    after = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert after["method"] == "manual"
    assert after["sentences"][1]["start"] == pytest.approx(moved[1][0], abs=0.006)
    shorter = old_size - clip.stat().st_size
    assert shorter == pytest.approx(0.3 * SAMPLE_RATE * 2, abs=0.02 * SAMPLE_RATE * 2)
    # Overlapping sentences are refused by the stage, on the page, and nothing changes.
    fields["dau-3"] = f"{moved[1][0]:.2f}"
    refused = client.post("/ban-thu/1/vi/nhan", data={"csrf": token, **fields})
    assert refused.status_code == 400 and "bắt đầu trước khi câu 2 kết thúc" in refused.text
    assert json.loads(manifest_path.read_text(encoding="utf-8")) == after


def test_stage_refusals_are_shown(client: TestClient) -> None:
    not_audio = _upload(client, b"%PDF-1.4 khong phai am thanh", name="x.pdf")
    assert not_audio.status_code == 400 and "không phải âm thanh" in not_audio.text
    thai = _upload(client, take_wav(), language="blt")
    assert thai.status_code == 400 and "chưa được duyệt" in thai.text


def test_takes_page_is_the_producers(ws: Workspace) -> None:
    viewer = signed_in_client(create_app(ws), "viewer")
    assert viewer.get("/ban-thu").status_code == 403
    assert viewer.get("/ban-thu/1/vi/cau/1").status_code == 403
