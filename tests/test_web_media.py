"""``/tep/...``: only files under out/ and the sentence-preview caches are served, with
Range support; anything else (``..``, absolute paths, symlinks out, other workspace files)
is a 404, as if it did not exist."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from web_support import ADMIN, signed_in_client, web_workspace

from broadcast.store.workspace import Workspace
from broadcast.web.app import create_app


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = web_workspace(tmp_path_factory.mktemp("media") / "dai", people=False)
    folder = ws.out_dir / "ban-tin"
    folder.mkdir(parents=True)
    (folder / "audio.mp3").write_bytes(bytes(range(256)) * 40)
    preview = ws.cache_dir / "preview"
    preview.mkdir(parents=True)
    (preview / "cau.wav").write_bytes(b"RIFF" + b"\0" * 60)
    voice_cache = ws.cache_dir / "voice"
    voice_cache.mkdir(parents=True)
    (voice_cache / "khac.wav").write_bytes(b"RIFF" + b"\0" * 60)
    (ws.root / "bi-mat.txt").write_text("không được lộ", encoding="utf-8")
    os.symlink(ws.root / "station.toml", folder / "lien-ket.mp3")
    os.symlink(ws.root, folder / "thu-muc")
    return ws


@pytest.fixture(scope="module")
def client(ws: Workspace) -> TestClient:
    return signed_in_client(create_app(ws), ADMIN)


def test_a_render_is_served_whole_and_by_range(client: TestClient, ws: Workspace) -> None:
    whole = client.get("/tep/out/ban-tin/audio.mp3")
    assert whole.status_code == 200
    assert whole.content == (ws.out_dir / "ban-tin" / "audio.mp3").read_bytes()
    assert whole.headers["content-type"] == "audio/mpeg"
    assert whole.headers.get("accept-ranges") == "bytes"
    part = client.get("/tep/out/ban-tin/audio.mp3", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.content == bytes(range(10, 20))
    assert part.headers["content-range"] == f"bytes 10-19/{256 * 40}"


def test_download_asks_for_an_attachment(client: TestClient) -> None:
    got = client.get("/tep/out/ban-tin/audio.mp3?tai=1")
    assert got.status_code == 200
    assert got.headers["content-disposition"].startswith("attachment")


def test_sentence_preview_cache_is_served(client: TestClient) -> None:
    assert client.get("/tep/.cache/preview/cau.wav").status_code == 200
    assert client.get("/tep/.cache/voice/khac.wav").status_code == 404  # other caches: no


@pytest.mark.parametrize(
    "path",
    [
        "/tep/station.toml",
        "/tep/broadcast.db",
        "/tep/bi-mat.txt",
        "/tep/out/../station.toml",
        "/tep/out/%2E%2E/station.toml",
        "/tep/out/ban-tin/..%2F..%2Fstation.toml",
        "/tep//etc/passwd",
        "/tep/%2Fetc%2Fpasswd",
        "/tep/out/ban-tin/lien-ket.mp3",  # a symlink that leads out of out/
        "/tep/out/ban-tin/thu-muc/station.toml",  # through a symlinked folder
        "/tep/out/ban-tin",  # a folder
        "/tep/out/ban-tin/khong-co.mp3",
        "/tep/.web/secret.key",
    ],
)
def test_anything_outside_media_folders_is_not_found(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert "không được lộ" not in response.text and "[station]" not in response.text


def test_media_needs_sign_in(ws: Workspace) -> None:
    anonymous = TestClient(create_app(ws), follow_redirects=False)
    assert anonymous.get("/tep/out/ban-tin/audio.mp3").status_code == 303
    assert Path(ws.out_dir / "ban-tin" / "audio.mp3").is_file()
