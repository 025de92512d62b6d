"""`broadcast video` in both formats, checked on decoded frames, sidecars and real audio.

Frames are decoded with ffmpeg and measured in pixels; cue times are compared with the
speech that silencedetect finds in the rendered audio; Tai Viet strings in these tests are
SYNTHETIC runs of code points from U+AA80-U+AADF, not Thái text.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest
from helpers import make_workspace, run
from PIL import Image, ImageChops, ImageDraw, ImageFont
from render_support import SENTENCES, speech_spans, store_script

from broadcast.audio.ffmpeg import ffmpeg_exe, probe, run_ffmpeg
from broadcast.errors import EngineError
from broadcast.render.jobs import run_mix
from broadcast.render.stages import video_stage
from broadcast.store.files import sha256_file
from broadcast.store.workspace import find_workspace
from broadcast.video.fonts import TAI_VIET_ENV, coverage, face_for, font_files_for, font_path
from broadcast.video.frames import subtitle_block
from broadcast.video.render import render_clip
from broadcast.video.subtitles import Cue, parse_srt, parse_vtt

# SYNTHETIC Tai Viet: consecutive code points of the block, not words of any language.
TAI_VIET = (
    "".join(chr(c) for c in range(0xAA80, 0xAA8C))
    + " "
    + "".join(chr(c) for c in range(0xAA8C, 0xAA96))
)
AREAS = {  # the lower safe area, where subtitles sit
    "vertical": (108, 1250, 972, 1728),
    "landscape": (192, 640, 1728, 972),
}
SIZES = {"vertical": (1080, 1920), "landscape": (1920, 1080)}


def frame_at(clip: Path, seconds: float, out: Path) -> Image.Image:
    """The picture on screen at ``seconds`` (decoded from the start, made constant-rate)."""
    run_ffmpeg(
        ["-i", str(clip), "-vf", "fps=25", "-ss", f"{seconds}", "-frames:v", "1", str(out)],
        what="lấy khung hình",
    )
    return Image.open(out).convert("RGB")


def white_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    grey = image.crop(box).convert("L")
    return sum(grey.histogram()[200:]) / (grey.width * grey.height)


def frame_count(clip: Path) -> int:
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(clip), "-map", "0:v", "-f",
         "null", "-"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    return int(re.findall(r"frame=\s*(\d+)", proc.stderr)[-1])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = make_workspace(tmp_path_factory.mktemp("video") / "ws")
    slug = store_script(root)
    toml = (root / "station.toml").read_text(encoding="utf-8")
    toml = toml.replace(
        "[station]\n", '[station]\nportal = "dichvucong.gov.vn"\nhotline = "0212 3456 789"\n', 1
    )
    (root / "station.toml").write_text(toml, encoding="utf-8")
    data, seconds = {}, {}
    for fmt, extra in (("vertical", ["--progress-bar"]), ("landscape", ["--cfr"])):
        started = time.perf_counter()
        result = run("-w", root, "video", slug, "--format", fmt, *extra, "--json")
        seconds[fmt] = time.perf_counter() - started
        assert result.exit_code == 0, result.output
        data[fmt] = json.loads(result.stdout)
    wav = run("-w", root, "mix", slug, "--profile", "broadcast", "--json")
    assert wav.exit_code == 0, wav.output
    return {"root": root, "slug": slug, "data": data, "seconds": seconds,
            "wav": Path(json.loads(wav.stdout)["path"])}  # fmt: skip


@pytest.mark.parametrize("fmt", ["vertical", "landscape"])
def test_clip_streams_size_and_duration(rendered, fmt) -> None:
    data = rendered["data"][fmt]
    info = probe(Path(data["video"]))
    video, audio = info.first("video"), info.first("audio")
    assert video is not None and (video.codec, video.width, video.height) == ("h264", *SIZES[fmt])
    assert audio is not None and (audio.codec, audio.channels) == ("aac", "mono")
    assert info.duration_s == pytest.approx(data["duration_s"], abs=0.1)


def sentence_cues(cues: list[Cue]) -> list[list[Cue]]:
    """SRT cues grouped by script sentence: a sentence too long for two lines is several
    screens, hence several cues; each group's joined text must be its sentence."""
    groups: list[list[Cue]] = []
    for _, sentence in SENTENCES:
        group: list[Cue] = []
        while " ".join(" ".join(c.text.split()) for c in group) != sentence:
            assert len(group) < len(cues), f"no cues read {sentence!r}"
            group.append(cues[sum(len(g) for g in groups) + len(group)])
        groups.append(group)
    assert sum(len(g) for g in groups) == len(cues)
    return groups


def test_cue_times_match_the_spoken_sentences(rendered) -> None:
    """Each sentence's first SRT cue starts, and its last ends, within 50 ms of the speech
    silencedetect finds; the cues of one sentence follow each other without a gap."""
    cues = parse_srt(Path(rendered["data"]["vertical"]["srt"]).read_text(encoding="utf-8"))
    groups = sentence_cues(cues)
    assert len(groups) == 4
    spans = speech_spans(rendered["wav"], noise_db=-60)  # pauses are digital silence
    for group in groups:
        start, end = group[0].start, group[-1].end
        assert all(a.end == b.start for a, b in zip(group, group[1:], strict=False))
        span = max(spans, key=lambda s: min(s[1], end) - max(s[0], start))
        assert abs(span[0] - start) < 0.05, (group, span)
        assert abs(span[1] - end) < 0.05, (group, span)


def test_webvtt_parses_back_to_the_same_cues(rendered) -> None:
    data = rendered["data"]["vertical"]
    vtt = parse_vtt(Path(data["vtt"]).read_text(encoding="utf-8"))
    srt = parse_srt(Path(data["srt"]).read_text(encoding="utf-8"))
    assert Path(data["vtt"]).read_text(encoding="utf-8").startswith("WEBVTT\n")
    assert [(c.start, c.end, c.text) for c in vtt] == [(c.start, c.end, c.text) for c in srt]
    # at most two lines, broken where the picture breaks them
    assert " ".join(vtt[1].text.split("\n")) == "Ủy ban nhân dân xã tiếp công dân vào sáng thứ Hai."
    assert all(len(c.text.split("\n")) <= 2 for c in vtt)


def test_each_format_has_its_own_sidecars_broken_like_its_picture(rendered) -> None:
    """A landscape line holds more words than a vertical one, so each format's sidecars
    carry that format's line breaks, in files of their own."""
    vertical, landscape = rendered["data"]["vertical"], rendered["data"]["landscape"]
    assert vertical["srt"] != landscape["srt"] and vertical["vtt"] != landscape["vtt"]
    texts = {}
    for fmt, data in (("vertical", vertical), ("landscape", landscape)):
        cues = parse_srt(Path(data["srt"]).read_text(encoding="utf-8"))
        for cue in cues:
            words = " ".join(cue.text.split())
            assert tuple(cue.text.split("\n")) == subtitle_block(words, SIZES[fmt]).lines
        texts[fmt] = [c.text for c in cues]
    assert texts["vertical"] != texts["landscape"]


@pytest.mark.parametrize("fmt", ["vertical", "landscape"])
def test_a_frame_at_a_cue_shows_its_text_and_a_pause_does_not(rendered, fmt, tmp_path) -> None:
    data = rendered["data"][fmt]
    cues = parse_srt(Path(data["srt"]).read_text(encoding="utf-8"))
    clip = Path(data["video"])
    during = frame_at(clip, (cues[1].start + cues[1].end) / 2, tmp_path / "during.png")
    pause = frame_at(clip, (cues[1].end + cues[2].start) / 2, tmp_path / "pause.png")
    assert during.size == SIZES[fmt]
    assert white_share(during, AREAS[fmt]) > 0.01
    assert white_share(pause, AREAS[fmt]) < 0.001


def test_progress_bar_advances_and_closing_card_shows_contacts(rendered, tmp_path) -> None:
    data = rendered["data"]["vertical"]
    clip, duration = Path(data["video"]), data["duration_s"]
    cues = parse_srt(Path(data["srt"]).read_text(encoding="utf-8"))
    early = frame_at(clip, cues[0].start + 0.2, tmp_path / "early.png")
    late = frame_at(clip, cues[3].start + 0.2, tmp_path / "late.png")
    end = frame_at(clip, duration - 0.3, tmp_path / "end.png")
    row = round(1920 * (1 - 0.1 / 3)) + 2

    def filled(image: Image.Image) -> int:  # accent-blue pixels along the bar
        return sum(1 for x in range(1080) if image.getpixel((x, row))[0] > 90)

    assert 0 < filled(early) < filled(late) < 1080
    middle = (108, 500, 972, 1200)
    assert white_share(end, middle) > 0.01, "portal and hotline are drawn"
    assert white_share(late, middle) < 0.001


def test_thumbnails_are_pngs_of_half_the_frame(rendered) -> None:
    for fmt, (width, height) in SIZES.items():
        path = Path(rendered["data"][fmt]["thumbnail"])
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == (width // 2, height // 2)


def test_vfr_by_default_cfr_on_request_and_both_seek(rendered, tmp_path) -> None:
    vertical, landscape = (Path(rendered["data"][f]["video"]) for f in ("vertical", "landscape"))
    duration = rendered["data"]["landscape"]["duration_s"]
    assert frame_count(vertical) < 40, "one picture per change, not 25 a second"
    assert abs(frame_count(landscape) - 25 * duration) <= 2
    for clip in (vertical, landscape):
        for at in (0.5, duration / 2, duration - 0.5):
            out = tmp_path / f"seek-{clip.stem}-{at:.1f}.png"
            run_ffmpeg(["-ss", f"{at}", "-i", str(clip), "-frames:v", "1", str(out)], what="tua")
            assert Image.open(out).size == Image.open(out).size and out.stat().st_size > 1000


def test_rerun_reuses_every_stage_and_changes_nothing(rendered) -> None:
    root, slug, first = rendered["root"], rendered["slug"], rendered["data"]["vertical"]
    hashes = {k: sha256_file(Path(first[k])) for k in ("video", "srt", "vtt", "thumbnail")}
    started = time.perf_counter()
    result = run("-w", root, "video", slug, "--format", "vertical", "--progress-bar", "--json")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    again = json.loads(result.stdout)
    assert again["reused"] == {"voice": True, "mix": True, "video": True}
    assert again["written"] is False
    assert {k: sha256_file(Path(again[k])) for k in hashes} == hashes
    assert elapsed < rendered["seconds"]["vertical"] / 2


def test_tai_viet_is_drawn_with_noto_sans_tai_viet(tmp_path) -> None:
    files = font_files_for(TAI_VIET, "SemiBold")
    assert [f.name for f in files] == ["BeVietnamPro-SemiBold.ttf", "NotoSansTaiViet-Regular.ttf"]
    assert all(ord(ch) in coverage(files[1]) for ch in TAI_VIET if not ch.isspace())
    assert not any(ord(ch) in coverage(font_path("SemiBold")) for ch in TAI_VIET[:3])

    def ink(draw_text) -> Image.Image:
        image = Image.new("L", (1400, 200))
        draw_text(ImageDraw.Draw(image))
        return image

    face = face_for(TAI_VIET, "SemiBold", 64)
    noto = ImageFont.truetype(str(files[1]), 64)
    bevn = ImageFont.truetype(str(files[0]), 64)
    ours = ink(lambda d: face.draw_centred(d, 700, 120, TAI_VIET, 255))
    left = 700 - noto.getlength(TAI_VIET) / 2
    direct = ink(lambda d: d.text((left, 120), TAI_VIET, font=noto, fill=255, anchor="ls"))
    tofu = ink(lambda d: d.text((left, 120), TAI_VIET, font=bevn, fill=255, anchor="ls"))
    assert ours.getbbox() is not None
    assert ImageChops.difference(ours, direct).getbbox() is None, "same glyphs as Noto"
    assert ImageChops.difference(ours, tofu).getbbox() is not None


def test_a_tai_viet_subtitle_appears_in_a_rendered_clip(tmp_path) -> None:
    audio = tmp_path / "tone.wav"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=2", str(audio)], what="tone")
    clip = render_clip(
        audio=audio,
        cues=[Cue(1, 0.3, 1.8, TAI_VIET)],
        duration_s=2.0,
        station="Đài truyền thanh xã Mường La",
        programme="Chuyên mục Cải cách hành chính",
        title="Thử chữ Thái",
        date_text="24/11/2026",
        out_mp4=tmp_path / "tv.mp4",
        work_dir=tmp_path / "work",
        size=(1920, 1080),
    )
    during = frame_at(clip, 1.0, tmp_path / "tv.png")
    assert white_share(during, AREAS["landscape"]) > 0.01


def test_missing_tai_viet_font_is_a_clear_error_and_leaves_nothing(
    rendered, monkeypatch, tmp_path
) -> None:
    root = rendered["root"]
    ws = find_workspace(root)
    mix = run_mix(ws, rendered["slug"], profile="web").mix
    monkeypatch.setenv(TAI_VIET_ENV, str(tmp_path / "khong-co.ttf"))
    before = sorted((root / ".cache" / "stages" / "video").iterdir())
    with pytest.raises(EngineError, match="fonts-noto-core"):
        video_stage(ws, mix, [TAI_VIET] * 4, title="Thử", date_text="24/11/2026")
    assert sorted((root / ".cache" / "stages" / "video").iterdir()) == before


def test_corrupt_background_is_a_clear_error_and_writes_nothing(rendered) -> None:
    root = rendered["root"]
    before = sorted(p for p in (root / "out").rglob("*"))
    (root / "video").mkdir(exist_ok=True)
    (root / "video" / "background.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken" * 20)
    try:
        result = run("-w", root, "video", rendered["slug"])
    finally:
        (root / "video" / "background.png").unlink()
    assert result.exit_code == 2
    assert "ảnh nền background.png" in result.stderr and "Traceback" not in result.output
    assert sorted(p for p in (root / "out").rglob("*")) == before


def test_unapproved_language_is_refused_before_any_work(rendered) -> None:
    root = rendered["root"]
    before = sorted(p for p in (root / "out").rglob("*"))
    result = run("-w", root, "video", rendered["slug"], "--lang", "blt")
    assert result.exit_code == 2
    assert "chưa được duyệt" in result.stderr
    assert sorted(p for p in (root / "out").rglob("*")) == before
