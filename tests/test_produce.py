"""`broadcast produce` end to end through the CLI, with real espeak-ng, ffmpeg and SQLite."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import files_under, make_workspace, run, table_counts

from broadcast.audio.ffmpeg import probe
from broadcast.audio.loudness import measure
from broadcast.schedule.m3u8 import parse_m3u8
from broadcast.video.subtitles import Cue, parse_srt

ARTICLE = """\
# Xã Mường La hướng dẫn nộp hồ sơ trực tuyến

Ngày 27/01/2026, UBND xã Mường La ban hành kế hoạch tuyên truyền cải cách hành chính năm 2026.

Trong quý I, Bộ phận Một cửa tiếp nhận 1.250 hồ sơ thủ tục hành chính, trong đó 875 hồ sơ được
nộp trực tuyến, đạt 70%.

Người dân có thể nộp hồ sơ tại Cổng Dịch vụ công quốc gia hoặc qua ứng dụng VNeID trên điện
thoại di động.

Từ ngày 01/4/2026, xã bố trí tổ công nghệ số cộng đồng tại 12 bản để hỗ trợ người cao tuổi.
"""

AT = "2026-11-24 05:00"  # a Tuesday before the 06:00 slot


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("produce")
    root = make_workspace(tmp / "ws")
    # A station of one person (its first admin makes and approves the content), as the demo:
    # the four-eyes rule is off and each self-approval is recorded (tests/test_vetting.py).
    station = root / "station.toml"
    station.write_text(station.read_text("utf-8") + "\n[review]\nfour_eyes = false\n", "utf-8")
    article = tmp / "bai-viet.md"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run(
        "-w", root, "produce", article, "--minutes", "1", "--at", AT, "--approve", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return root, data, result


def _sentences(root: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(root / "broadcast.db")
    conn.row_factory = sqlite3.Row
    return conn.execute("SELECT * FROM sentences ORDER BY position").fetchall()


def test_outputs_exist_and_json_lists_them(produced) -> None:
    root, data, result = produced
    for key in ("audio", "video", "srt", "script"):
        assert Path(data[key]).is_file(), key
        assert Path(data[key]).resolve().is_relative_to(root.resolve() / "out")
    assert data["playlists"], "approved at once: planned, and its playlists listed"
    for playlist in data["playlists"]:
        assert Path(playlist).resolve().is_relative_to(root.resolve() / "out" / "playlists")
    assert data["approved"] is True and data["state"] == "đã duyệt"
    assert data["version"] == 1 and data["reused"] is False
    conn = sqlite3.connect(root / "broadcast.db")
    own = conn.execute(
        "SELECT self_approved FROM approvals WHERE script_id = ? AND segment_id IS NULL",
        (data["script_id"],),
    ).fetchall()
    conn.close()
    assert own == [(1,)], "its maker approved it: recorded as a self-approval"
    assert "[6/6]" in result.stderr, "progress shows every stage"


def test_audio_duration_matches_sentence_timings(produced) -> None:
    root, data, _ = produced
    rows = _sentences(root)
    info = probe(Path(data["audio"]))
    last_end = rows[-1]["end_ms"] / 1000
    spoken = sum((r["end_ms"] - r["start_ms"]) / 1000 for r in rows)
    assert last_end + 2.0 < info.duration_s < last_end + 3.0, "pause, closing chime, tail"
    assert spoken < info.duration_s < spoken + 1.4 * 2 + 1.0 * len(rows) + 1.0
    assert 20 < info.duration_s < 90, "a one-minute target stays near a minute"


def test_audio_loudness_and_format(produced) -> None:
    _, data, _ = produced
    loud = measure(Path(data["audio"]))
    assert abs(loud.integrated_lufs + 16.0) <= 1.0
    assert loud.true_peak_db <= -1.5
    stream = probe(Path(data["audio"])).first("audio")
    assert stream is not None
    assert (stream.codec, stream.sample_rate, stream.channels) == ("mp3", 44100, "mono")


def test_video_streams_size_and_duration(produced) -> None:
    _, data, _ = produced
    video = Path(data["video"])
    info = probe(video)
    v, a = info.first("video"), info.first("audio")
    assert v is not None and (v.codec, v.width, v.height) == ("h264", 1080, 1920)
    assert a is not None and a.codec == "aac"
    assert abs(info.duration_s - data["duration_s"]) < 0.25
    assert video.stat().st_size > 50_000


def _by_sentence(cues: list[Cue], sentences: list[str]) -> list[list[Cue]]:
    """Cues grouped by sentence: a sentence too long for two lines is shown (and cued) as
    several screens; each group's joined text must be exactly its sentence."""
    groups: list[list[Cue]] = []
    at = 0
    for sentence in sentences:
        group: list[Cue] = []
        while " ".join(c.text.replace("\n", " ") for c in group) != sentence:
            assert at < len(cues), f"no cues read {sentence!r}"
            group.append(cues[at])
            at += 1
        groups.append(group)
    assert at == len(cues)
    return groups


def test_srt_cues_follow_the_script_inside_the_audio(produced) -> None:
    root, data, _ = produced
    cues = parse_srt(Path(data["srt"]).read_text(encoding="utf-8"))
    rows = _sentences(root)
    groups = _by_sentence(cues, [r["written"] for r in rows])
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:], strict=False))
    assert all(len(c.text.split("\n")) <= 2 for c in cues)
    assert cues[-1].end <= data["duration_s"]
    for group, row in zip(groups, rows, strict=True):
        assert abs(group[0].start - row["start_ms"] / 1000) < 0.002
        assert abs(group[-1].end - row["end_ms"] / 1000) < 0.002
        assert all(a.end == b.start for a, b in zip(group, group[1:], strict=False))


def test_spoken_form_has_no_digits_or_abbreviations(produced) -> None:
    root, _, _ = produced
    for row in _sentences(root):
        assert not any(ch.isdigit() for ch in row["spoken"]), row["spoken"]
        assert "UBND" not in row["spoken"]
    roles = [r["role"] for r in _sentences(root)]
    assert roles[0] == "opening" and roles[1] == "headline" and roles[-1] == "closing"


def _slot_playlist(data: dict, stamp: str) -> Path:
    found = [Path(p) for p in data["playlists"] if Path(p).name.startswith(stamp)]
    assert len(found) == 1, data["playlists"]
    return found[0]


def _audio_entries(playlist: Path) -> list[tuple[float, str, Path]]:
    """The entries of a slot playlist that are segments (not the station ident)."""
    return [
        (duration, title, (playlist.parent / rel).resolve())
        for duration, title, rel in parse_m3u8(playlist.read_text(encoding="utf-8"))
        if rel.endswith("audio.mp3")
    ]


def test_playlist_lists_the_segment_for_the_next_slot(produced) -> None:
    root, data, _ = produced
    playlist = _slot_playlist(data, "2026-11-24_0600")
    entries = _audio_entries(playlist)
    assert len(entries) == 1
    duration, title, path = entries[0]
    assert path == Path(data["audio"]).resolve()
    assert abs(duration - data["duration_s"]) <= 1
    assert title.startswith("Xã Mường La hướng dẫn nộp hồ sơ trực tuyến")


def test_database_records_the_production(produced) -> None:
    root, data, _ = produced
    counts = table_counts(root / "broadcast.db")
    assert counts["articles"] == 1 and counts["scripts"] == 1
    assert counts["sentences"] == data["sentences"] >= 4
    assert counts["renders"] == 3 and counts["playlist_entries"] == 0, "one schedule: the plan"
    conn = sqlite3.connect(root / "broadcast.db")
    lufs = conn.execute("SELECT loudness_lufs FROM renders WHERE kind='audio'").fetchone()[0]
    assert lufs == pytest.approx(data["loudness_lufs"])
    items = conn.execute("SELECT id, valid_from, valid_to FROM schedule_items").fetchall()
    assert items == [(data["item_id"], "2026-11-24", "2026-11-30")], "7 days from --at"
    planned = conn.execute(
        "SELECT COUNT(*) FROM planned_plays WHERE item_id = ?", (data["item_id"],)
    ).fetchone()[0]
    assert planned == len(data["playlists"]) > 0


def test_second_production_shares_the_slot(produced, tmp_path: Path) -> None:
    root, data, _ = produced
    article = tmp_path / "thong-bao.txt"
    article.write_text(
        "Thông báo lịch tiếp công dân\n\nUBND xã Mường La tiếp công dân vào sáng thứ 2 hằng "
        "tuần tại trụ sở xã. Bà con có kiến nghị về thủ tục hành chính xin đến đúng giờ.\n",
        encoding="utf-8",
    )
    result = run(
        "-w", root, "produce", article, "--minutes", "0.5", "--at", AT, "--approve", "--json"
    )
    assert result.exit_code == 0, result.output
    second = json.loads(result.stdout)
    assert second["item_id"] != data["item_id"]
    playlist = _slot_playlist(second, "2026-11-24_0600")
    titles = sorted(t.split(" [")[0] for _, t, _ in _audio_entries(playlist))
    assert titles == ["Thông báo lịch tiếp công dân", "Xã Mường La hướng dẫn nộp hồ sơ trực tuyến"]
    assert second["out_dir"] != data["out_dir"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("khong-co.txt", None, "Không tìm thấy"),
        ("rong.txt", b"", "rỗng"),
        ("trang.txt", b"  \n\n\t \n", "rỗng"),
        ("nhi-phan.txt", bytes(range(256)) * 8, "nhị phân"),
        ("bang.xlsx", b"PK\x03\x04 not really", "không hỗ trợ"),
    ],
)
def test_bad_articles_fail_cleanly_and_write_nothing(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    root = make_workspace(tmp_path / "ws")
    article = tmp_path / name
    if content is not None:
        article.write_bytes(content)
    result = run("-w", root, "produce", article)
    assert result.exit_code >= 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) <= 2, "one clear message, not a dump"
    assert files_under(root / "out") == []
    assert not (root / ".staging").exists() or files_under(root / ".staging") == []
    assert set(table_counts(root / "broadcast.db").values()) == {0}


def test_produce_reads_a_docx_article(tmp_path: Path) -> None:
    import docx

    root = make_workspace(tmp_path / "ws")
    document = docx.Document()
    document.add_heading("Lịch tiếp công dân tháng 12/2026", level=1)
    document.add_paragraph(
        "UBND xã Mường La tiếp công dân vào sáng thứ 2 hằng tuần tại trụ sở xã. "
        "Bà con có kiến nghị về thủ tục hành chính xin mang theo giấy tờ tùy thân."
    )
    article = tmp_path / "lich.docx"
    document.save(article)
    result = run("-w", root, "produce", article, "--minutes", "0.5", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    cues = parse_srt(Path(data["srt"]).read_text(encoding="utf-8"))
    assert any(c.text.replace("\n", " ") == "Lịch tiếp công dân tháng 12/2026" for c in cues)
    assert any("thứ 2 hằng tuần" in c.text.replace("\n", " ") for c in cues)


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "broadcast", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("broadcast, phiên bản")  # click words in Vietnamese
