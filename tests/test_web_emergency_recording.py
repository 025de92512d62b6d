"""*Phát khẩn cấp* from an uploaded recording, through the real application, real ffmpeg
and real SQLite: the upload is stored as a script waiting for vetting (not airable), its
uploader cannot approve it while the four-eyes rule is on, a second person's approval makes
it a choice, and the confirmed emergency plays a file at the loudspeaker loudness. A file
that is not audio, or a silent one, is refused with nothing stored."""

from __future__ import annotations

import subprocess
from pathlib import Path

from helpers import files_under, table_counts
from schedule_fixtures import GRID, write_grid
from starlette.testclient import TestClient
from web_support import ADMIN, PASSWORD, csrf_from, signed_in_client, web_workspace

from broadcast.audio.ffmpeg import ffmpeg_exe
from broadcast.audio.loudness import measure
from broadcast.model.people import Grant, Role
from broadcast.people import accounts
from broadcast.people.acting import resolve_person
from broadcast.render.stages import mix_profile
from broadcast.review.vetting import script_state
from broadcast.schedule.campaign import emergency_choices
from broadcast.schedule.m3u8 import parse_m3u8
from broadcast.store import records
from broadcast.store.renders import stored_sentences
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app

ON_DUTY = "truc.dai"  # schedules AND approves content: four-eyes, not a missing role, refuses
TITLE = "Cảnh báo lũ quét chiều nay"
TEXT = "Bà con không qua suối Nậm Pàn từ chiều nay đến khi có thông báo mới."


def recording_workspace(root: Path, *, four_eyes: bool = True) -> Workspace:
    web_workspace(root)
    write_grid(root, GRID)
    if not four_eyes:
        station = root / "station.toml"
        station.write_text(station.read_text("utf-8") + "\n[review]\nfour_eyes = false\n", "utf-8")
    ws = find_workspace(root)
    with ws.open_db() as db:
        admin = resolve_person(db, ADMIN, environ={}).person
        grants = [Grant(Role.SCHEDULER, ""), Grant(Role.CONTENT_APPROVER, "")]
        accounts.add_person(db, admin, ON_DUTY, "Trực đài", grants, password=PASSWORD)
    return ws


def audio(root: Path, source: str, name: str, seconds: float = 3.0) -> bytes:
    """A WAV made by ffmpeg from a lavfi source (a tone standing in for a voice)."""
    path = root / name
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", source, "-t", str(seconds),
         "-ac", "1", "-ar", "22050", str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def upload(client: TestClient, data: bytes, name: str, text: str = TEXT) -> str:
    token = csrf_from(client.get("/khan-cap").text)
    response = client.post(
        "/khan-cap/ghi-am",
        data={"csrf": token, "title": TITLE, "text": text},
        files={"file": (name, data, "audio/wav")},
    )
    return f"{response.status_code} {response.text}"


def recording_id(ws: Workspace) -> tuple[int, str]:
    with ws.open_db() as db:
        [script] = records.recording_scripts(db)
    return script.id, script.slug


def test_recording_waits_for_a_second_person_then_airs_at_loudspeaker_loudness(
    tmp_path: Path,
) -> None:
    ws = recording_workspace(tmp_path / "dai")
    tone = audio(tmp_path, "sine=frequency=440", "giong.wav")
    duty = signed_in_client(create_app(ws), ON_DUTY)

    result = upload(duty, tone, "canh-bao.wav")
    assert result.startswith("200 "), result
    assert "Đã lưu bản ghi âm" in result and "chờ duyệt nội dung" in result
    script_id, slug = recording_id(ws)
    assert emergency_choices(ws) == []  # stored, not airable
    with ws.open_db() as db:
        [sentence] = stored_sentences(db, script_id)
    assert sentence.written == TEXT  # what the approver reads is what was declared said
    token = csrf_from(duty.get("/khan-cap").text)
    early = duty.post("/khan-cap/xem", data={"csrf": token, "script": slug, "zones": ["trung-tam"]})
    assert early.status_code == 400 and "chưa có bản thu nào đã duyệt" in early.text

    own = duty.post(f"/khan-cap/ghi-am/{script_id}/duyet", data={"csrf": token})
    assert own.status_code == 400 and "nguyên tắc bốn mắt" in own.text
    with ws.open_db() as db:
        assert not script_state(db, script_id).approved

    approver = signed_in_client(create_app(ws), "content.approver")
    reading = approver.get(f"/duyet/{script_id}").text
    assert TEXT in reading and f"{slug}.loudspeaker.mp3" in reading  # reads it, hears it
    token = csrf_from(reading)
    approved = approver.post(f"/duyet/{script_id}/duyet", data={"csrf": token})
    assert approved.status_code == 200 and "Đã duyệt nội dung" in approved.text
    assert [c.title for c in emergency_choices(ws)] == [TITLE]

    token = csrf_from(duty.get("/khan-cap").text)
    chosen = {"csrf": token, "script": slug, "zones": ["trung-tam"], "confirm": "yes"}
    aired = duty.post("/khan-cap/phat", data=chosen)
    assert aired.status_code == 200, aired.text
    [playlist] = (ws.out_dir / "playlists").glob("khan-cap_*_trung-tam.m3u8")
    [(_, title, path)] = parse_m3u8(playlist.read_text("utf-8"))
    assert title == TITLE
    played = (playlist.parent / path).resolve()
    assert played.is_relative_to(ws.out_dir.resolve())
    profile = mix_profile(ws, "loudspeaker")
    loudness = measure(played)
    assert abs(loudness.integrated_lufs - profile.loudness_lufs) <= profile.tolerance_lu
    assert loudness.true_peak_db <= profile.true_peak_db
    # The recording is the voice the approver heard: no synthetic re-voicing replaces it.
    from broadcast.errors import InputError
    from broadcast.render.jobs import run_mix

    try:
        run_mix(ws, slug)
    except InputError as exc:
        assert "bản ghi âm" in exc.message
    else:
        raise AssertionError("a recording's script was re-voiced by the synthetic voice")
    assert [p for p in (ws.out_dir / slug).iterdir() if p.suffix == ".mp3"] == [played]


def test_not_audio_or_silence_is_refused_with_nothing_stored(tmp_path: Path) -> None:
    ws = recording_workspace(tmp_path / "dai")
    client = signed_in_client(create_app(ws), "scheduler")
    before = table_counts(ws.root / "broadcast.db")
    out_before = files_under(ws.out_dir)

    binary = upload(client, bytes(range(256)) * 64, "canh-bao.wav")
    assert binary.startswith("400 ") and "không phải âm thanh đọc được" in binary
    assert "canh-bao.wav" in binary  # named as the person knows it, not the staging name
    document = upload(client, b"%PDF-1.4 not audio", "thong-bao.pdf")
    assert document.startswith("400 ") and "không phải bản ghi âm" in document
    quiet = upload(client, audio(tmp_path, "anullsrc=r=22050:cl=mono", "lang.wav"), "lang.wav")
    assert quiet.startswith("400 ") and "im lặng" in quiet
    untold = upload(client, audio(tmp_path, "sine=frequency=440", "a.wav"), "a.wav", text=" ")
    assert untold.startswith("400 ") and "người duyệt phải đọc được" in untold

    assert table_counts(ws.root / "broadcast.db") == before
    assert files_under(ws.out_dir) == out_before
    assert not ws.staging_dir.exists() or not any(ws.staging_dir.iterdir())  # no leftovers


def test_single_person_station_uploader_approves_on_the_spot(tmp_path: Path) -> None:
    ws = recording_workspace(tmp_path / "dai", four_eyes=False)
    duty = signed_in_client(create_app(ws), ON_DUTY)
    assert upload(duty, audio(tmp_path, "sine=frequency=330", "g.wav"), "g.wav").startswith("200")
    script_id, _ = recording_id(ws)
    token = csrf_from(duty.get("/khan-cap").text)
    done = duty.post(f"/khan-cap/ghi-am/{script_id}/duyet", data={"csrf": token})
    assert done.status_code == 200 and "Đã duyệt bản ghi âm" in done.text
    with ws.open_db() as db:
        state = script_state(db, script_id)
    assert state.approved and state.self_approved and state.by == ON_DUTY
    assert [c.title for c in emergency_choices(ws)] == [TITLE]
