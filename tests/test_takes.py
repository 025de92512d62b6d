"""Announcer takes: a take built from real espeak-ng speech, imported, trimmed and aligned.

The take is made the way a handheld recorder would give it: leading and trailing silence, a
pause between sentences and a low 40 Hz rumble under everything, encoded as MP3. Target texts
for Thái (blt) are OBVIOUSLY SYNTHETIC ("‹blt› ZZ-…", arbitrary Tai Viet code points), never
real Thái.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from helpers import make_workspace, run

from broadcast.audio.ffmpeg import ffmpeg_exe
from broadcast.errors import EngineError
from broadcast.review.model import DraftSegment
from broadcast.script.model import Role, Script, ScriptSentence
from broadcast.store import records, translations
from broadcast.store.workspace import find_workspace
from broadcast.text.model import Article
from broadcast.voice.base import engine_class
from broadcast.voice.profiles import load_profile, take_profile
from broadcast.voice.synth import synthesize_profile

RATE = 22050
SENTENCES = (
    (Role.OPENING, "Đây là Đài truyền thanh xã Mường La."),
    (Role.HEADLINE, "Cải cách hành chính"),
    (Role.BODY, "Người dân có thể nộp hồ sơ trực tuyến tại cổng dịch vụ công."),
    (Role.CLOSING, "Cảm ơn bà con đã lắng nghe."),
)
LEAD_S, GAP_S, TRAIL_S = 1.0, 0.9, 1.3
# Synthetic Tai Viet code points (U+AA80–U+AADF), not words of any language.
TAVT = "\uaa80\uaa81\uaab5\uaa82 \uaa8a\uaa8b\uaabe"


@pytest.fixture(scope="module")
def ws_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("takes") / "ws")
    ws = find_workspace(root)
    script = Script(
        title="Cải cách hành chính xã Mường La",
        language="vi",
        sentences=tuple(ScriptSentence(role, text, text) for role, text in SENTENCES),
        target_minutes=1.0,
        estimated_seconds=20.0,
    )
    article = Article(Path("bai.txt"), "txt", script.title, "Nội dung.", "0" * 64)
    with ws.open_db() as db:
        records.save_production(
            db, article=article, script=script, slug="ban-tin", timings=[(0, 0)] * 4, renders=[]
        )
        drafts = [
            DraftSegment(i, text, f"‹blt› ZZ-{i} {TAVT}.", "editor")
            for i, (_role, text) in enumerate(SENTENCES)
        ]
        translations.create_translation(
            db, script_id=1, language="blt", engine=None, segments=drafts, actor="test"
        )
        loaded = translations.load_translation(db, 1, "blt")
        translations.approve_segments(db, loaded, [0, 1, 2, 3], by="Lò Văn A", role="editor")
    return root


def _speech(text: str) -> np.ndarray:
    """espeak-ng audio of ``text`` with its own edge silence cut, so the sentence's true
    start and end are known exactly."""
    clip = engine_class("espeak")(voice="vi", rate=160).synthesize(text)
    x = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float64)
    loud = np.flatnonzero(np.abs(x) > np.abs(x).max() * 0.01)
    return x[loud[0] : loud[-1] + 1]


@pytest.fixture(scope="module")
def take(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[float, float]]]:
    """An MP3 take and the true (start, end) of every sentence in it."""
    parts, truth, t = [np.zeros(round(LEAD_S * RATE))], [], LEAD_S
    for _role, text in SENTENCES:
        speech = _speech(text)
        truth.append((t, t + speech.size / RATE))
        parts += [speech, np.zeros(round(GAP_S * RATE))]
        t += speech.size / RATE + GAP_S
    parts[-1] = np.zeros(round(TRAIL_S * RATE))
    signal = np.concatenate(parts)
    signal *= 20000 / np.abs(signal).max()
    signal += 2500 * np.sin(2 * np.pi * 40 * np.arange(signal.size) / RATE)  # rumble
    pcm = np.clip(signal, -32768, 32767).astype("<i2").tobytes()
    path = tmp_path_factory.mktemp("rec") / "ban-thu.mp3"
    subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1",
         "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "96k", str(path)],
        input=pcm, capture_output=True, check=True,
    )  # fmt: skip
    return path, truth


def _low_band_share(wav: Path) -> float:
    """Share of the signal's energy below 60 Hz."""
    raw = subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-i", str(wav), "-f", "s16le", "-ac", "1", "-ar", str(RATE),
         "pipe:1"], capture_output=True, check=True,
    ).stdout  # fmt: skip
    x = np.frombuffer(raw, dtype="<i2").astype(np.float64)
    power = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(x.size, 1 / RATE)
    return float(power[freqs < 60].sum() / power.sum())


def test_import_trims_filters_and_aligns_sentences(ws_root: Path, take) -> None:
    source, truth = take
    result = run("-w", ws_root, "takes", "import", source, "--script", "ban-tin",
                 "--lang", "vi", "--pace", "250")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    folder = ws_root / "takes" / "ban-tin" / "vi"
    manifest = json.loads((folder / "take.json").read_text(encoding="utf-8"))
    assert manifest["method"] == "pauses" and manifest["warnings"] == []
    # Leading and trailing silence are gone: the take runs from the first to the last word.
    speech_span = truth[-1][1] - truth[0][0]
    assert abs(manifest["trimmed_start"] - LEAD_S) < 0.1
    assert abs(manifest["duration"] - speech_span) < 0.2
    # Every sentence boundary within 100 ms of where the sentence really is.
    offset = manifest["trimmed_start"]
    for entry, (start, end) in zip(manifest["sentences"], truth, strict=True):
        assert abs(entry["start"] + offset - start) < 0.1, entry
        assert abs(entry["end"] + offset - end) < 0.1, entry
    # The rumble is filtered out: little energy left under 60 Hz.
    assert _low_band_share(source) > 0.05
    assert _low_band_share(folder / "take.wav") < 0.005
    assert "4 câu" in result.stdout


def test_take_is_a_voice_for_the_mix(ws_root: Path, take) -> None:
    source, truth = take
    assert run("-w", ws_root, "takes", "import", source, "--script", "1", "--lang", "vi",
               "--pace", "250").exit_code == 0  # fmt: skip
    ws = find_workspace(ws_root)
    profile = load_profile("recording", ws).for_language("vi")
    voiced = synthesize_profile(profile, [text for _r, text in SENTENCES], ws.cache_dir / "v")
    assert [s.engine for s in voiced.sentences] == ["recording"] * 4
    for clip, (start, end) in zip(voiced.clips, truth, strict=True):
        assert abs(clip.duration_s - (end - start)) < 0.15
    assert not (ws.cache_dir / "v").exists()  # takes are served from takes/, never cached
    one_script = take_profile(ws, "ban-tin", "vi")
    assert synthesize_profile(one_script, [SENTENCES[3][1]]).clips == voiced.clips[3:]
    with pytest.raises(EngineError, match="Chưa có bản thu"):
        synthesize_profile(take_profile(ws, "ban-tin", "hmn"), [SENTENCES[0][1]])


def test_too_many_or_too_few_pauses_fall_back_with_a_warning(ws_root: Path, take) -> None:
    source, truth = take
    few = run("-w", ws_root, "takes", "import", source, "--script", "ban-tin",
              "--pace", "250", "--min-silence", "2.0")  # fmt: skip
    assert few.exit_code == 0
    assert "chia theo số âm tiết" in few.stderr
    many = run("-w", ws_root, "takes", "import", source, "--script", "ban-tin",
               "--pace", "250", "--min-silence", "0.06", "--noise", "-20")  # fmt: skip
    assert many.exit_code == 0
    manifest = json.loads((ws_root / "takes/ban-tin/vi/take.json").read_text(encoding="utf-8"))
    # At -20 dB with 60 ms pauses the gaps inside words count too: the longest ones win.
    assert manifest["method"] == "longest-pauses" and "dài nhất" in many.stderr
    offset = manifest["trimmed_start"]
    for entry, (start, _end) in zip(manifest["sentences"], truth, strict=True):
        assert abs(entry["start"] + offset - start) < 0.15


def _write_pcm(path: Path, pcm: bytes) -> Path:
    subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1",
         "-i", "pipe:0", str(path)], input=pcm, capture_output=True, check=True,
    )  # fmt: skip
    return path


@pytest.mark.parametrize("kind", ["corrupt", "silent", "wrong-length", "empty"])
def test_bad_takes_are_refused_and_leave_nothing(ws_root: Path, tmp_path: Path, kind) -> None:
    if kind == "corrupt":
        bad = tmp_path / "hong.mp3"
        bad.write_bytes(b"ID3" + bytes(range(256)) * 40)
        expected = "không phải âm thanh"
    elif kind == "silent":
        bad = _write_pcm(tmp_path / "lang.wav", bytes(RATE * 2 * 3))
        expected = "im lặng"
    elif kind == "empty":
        bad = tmp_path / "rong.wav"
        bad.write_bytes(b"")
        expected = "không phải âm thanh"
    else:  # one sentence of speech for a four-sentence script
        pcm = np.concatenate([np.zeros(RATE), _speech(SENTENCES[1][1]), np.zeros(RATE)])
        bad = _write_pcm(tmp_path / "ngan.wav", pcm.astype("<i2").tobytes())
        expected = "nhầm bản thu"
    result = run("-w", ws_root, "takes", "import", bad, "--script", "ban-tin", "--lang", "blt")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert not (ws_root / "takes" / "ban-tin" / "blt").exists()
    staging = ws_root / ".staging"
    assert not staging.exists() or not any(staging.iterdir())


def test_reading_sheet_html_and_pdf_for_thai(ws_root: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    result = run("-w", ws_root, "takes", "sheet", "ban-tin", "--lang", "blt", "--out", tmp_path)
    assert result.exit_code == 0, result.stderr
    html_path, pdf_path = (Path(p) for p in result.stdout.split())
    page = html_path.read_text(encoding="utf-8")
    assert page.count("<li value=") == 4 and "‹blt› ZZ-2" in page and TAVT in page
    assert "// nghỉ dài" in page and "/ nghỉ ngắn" in page
    reader = PdfReader(str(pdf_path))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Cải cách hành chính xã Mường La" in text  # Vietnamese diacritics survive
    assert "ZZ-3" in text and "\uaa80" in text  # Tai Viet drawn with its own font
    fonts = {
        str(f["/BaseFont"])
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
        if "/BaseFont" in f.get_object()
    }
    assert any("BeVietnamPro" in f for f in fonts) and any("TaiViet" in f for f in fonts)


def test_sheet_refuses_unapproved_language_and_unknown_script(ws_root: Path) -> None:
    unapproved = run("-w", ws_root, "takes", "sheet", "ban-tin", "--lang", "hmn")
    assert unapproved.exit_code == 2 and "chưa được duyệt" in unapproved.stderr
    missing = run("-w", ws_root, "takes", "sheet", "khong-co", "--lang", "vi")
    assert missing.exit_code == 2 and "khong-co" in missing.stderr
    thai = run("-w", ws_root, "takes", "sheet", "ban-tin", "--lang", "th")
    assert thai.exit_code == 2 and "blt" in thai.stderr
