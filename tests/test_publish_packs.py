"""Social video packs made from a real vertical render, probed against their platform rows.

Every pack is decoded with ffmpeg: size and duration from its header, the frame rate from
the frames actually decoded, the split points compared with the sentence spans of the
clip's own SRT; the 1:1 variant's subtitles are measured in pixels on a decoded frame.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import make_workspace, run
from PIL import Image
from render_support import SENTENCES, store_script

from broadcast.audio.ffmpeg import ffmpeg_exe, probe, run_ffmpeg
from broadcast.errors import InputError
from broadcast.publish.packs import (
    caption_length,
    hashtags,
    load_platforms,
    make_caption,
    make_pack,
    make_packs,
    part_ranges,
    sentence_spans,
)
from broadcast.store.workspace import find_workspace
from broadcast.video.subtitles import parse_srt

PLATFORMS = load_platforms()


def decoded_fps(clip: Path) -> float:
    """Frames actually decoded per second of the clip (constant rate or not)."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(clip), "-map", "0:v", "-f",
         "null", "-"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    return int(re.findall(r"frame=\s*(\d+)", proc.stderr)[-1]) / probe(clip).duration_s


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    root = make_workspace(tmp_path_factory.mktemp("packs") / "ws")
    slug = store_script(root)
    started = time.perf_counter()
    result = run("-w", root, "video", slug, "--json")
    clip_s = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ws = find_workspace(root)
    started = time.perf_counter()
    files = dict(zip(PLATFORMS, make_packs(ws, slug, list(PLATFORMS)), strict=True))
    packs_s = time.perf_counter() - started
    # a test-only row with a 5 s limit forces the 4-sentence clip into several parts
    short = dataclasses.replace(PLATFORMS["facebook"], key="short", max_part_s=5.0)
    files["short"] = make_pack(ws, slug, short)
    print(f"\nvertical clip {clip_s:.1f} s, four packs {packs_s:.1f} s")
    return {"ws": ws, "slug": slug, "files": files, "video": data,
            "clip_s": clip_s, "packs_s": packs_s, "short": short}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(PLATFORMS))
def test_each_pack_meets_its_platform_row(packs, key) -> None:
    platform = PLATFORMS[key]
    files = packs["files"][key]
    folder = packs["ws"].out_dir / packs["slug"] / "publish" / key
    assert all(f.parent == folder and f.is_file() for f in files)
    videos = [f for f in files if f.suffix == ".mp4"]
    vertical = [f for f in videos if "1x1" not in f.name]
    square = [f for f in videos if "1x1" in f.name]
    assert len(vertical) == 1  # a 13-second segment fits every real platform in one part
    assert len(square) == (1 if platform.square else 0)
    for clip in videos:
        info = probe(clip)
        video, audio = info.first("video"), info.first("audio")
        want = (platform.width, platform.width if clip in square else platform.height)
        assert video is not None and (video.codec, video.width, video.height) == ("h264", *want)
        assert audio is not None and audio.codec == "aac"
        assert info.duration_s <= platform.max_part_s
        assert info.duration_s == pytest.approx(packs["video"]["duration_s"], abs=0.15)
        # The container's duration may run up to one AAC frame (~23 ms) past the last
        # picture, so frames / duration reads a 24 fps clip as 23.99: allow that much.
        assert platform.fps_min - 0.05 <= decoded_fps(clip) <= platform.fps_max + 0.05
        assert clip.stat().st_size <= platform.max_bytes
    caption = (folder / "caption.txt").read_text(encoding="utf-8").strip()
    assert caption_length(caption, platform.caption_count) <= platform.caption_limit
    assert caption.startswith("Lịch tiếp công dân")
    for tag in ("#CCHC", "#CaiCachHanhChinh", "#MuongLa", "#MườngLa"):
        assert tag in caption.split()
    if platform.title_limit:
        title = (folder / "title.txt").read_text(encoding="utf-8").strip()
        assert 0 < len(title) <= platform.title_limit
    cover = Image.open(folder / "cover.jpg")
    assert cover.format == "JPEG"
    assert cover.size == (platform.cover_width, platform.cover_height)


@pytest.mark.slow
def test_long_segment_is_split_between_sentences_only(packs) -> None:
    short = packs["short"]
    files = packs["files"]["short"]
    parts = sorted(f for f in files if f.name.startswith("video-part"))
    assert len(parts) >= 2
    assert len([f for f in files if f.name.startswith("video-1x1-part")]) == len(parts)
    srt = Path(packs["video"]["srt"]).read_text(encoding="utf-8")
    spans = sentence_spans(parse_srt(srt), [text for _, text in SENTENCES])
    pauses = [(a[1], b[0]) for a, b in zip(spans, spans[1:], strict=False)]
    at = 0.0
    for part in parts[:-1]:
        duration = probe(part).duration_s
        assert duration <= short.max_part_s
        at += duration
        # each cut lies in the silence between two sentences, never inside one
        assert any(end - 0.1 <= at <= start + 0.1 for end, start in pauses), (at, pauses)
    at += probe(parts[-1]).duration_s
    assert at == pytest.approx(packs["video"]["duration_s"], abs=0.3)
    caption = (parts[0].parent / "caption.txt").read_text(encoding="utf-8")
    assert f"({len(parts)} phần)" in caption


@pytest.mark.slow
def test_parts_show_the_clips_pictures_at_a_constant_rate(packs) -> None:
    """Only the distinct pictures are re-encoded and the repeats are skipped pictures: every
    decoded frame of every part must still be the clip's picture at that moment, every file
    must decode without a single error and declare the platform's constant rate."""
    from broadcast.publish.packs import find_clip
    from broadcast.video.constant_rate import frame_times

    _, clip = find_clip(packs["ws"], packs["slug"])
    small = "scale=135:240,format=gray"

    def frames(path: Path) -> np.ndarray:
        raw = subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-i", str(path), "-vf", small, "-fps_mode",
             "passthrough", "-f", "rawvideo", "-"],
            capture_output=True, check=True,
        ).stdout  # fmt: skip
        return np.frombuffer(raw, np.uint8).reshape(-1, 240, 135).astype(int)

    videos = {f.read_bytes(): f for files in packs["files"].values() for f in files}
    for video in (f for f in videos.values() if f.suffix == ".mp4"):  # equal files once
        errors = subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-i", str(video), "-f", "null", "-"],
            capture_output=True, text=True,
        ).stderr  # fmt: skip
        assert errors == "", (video, errors)
        header = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-i", str(video)], capture_output=True, text=True
        ).stderr
        assert re.search(r"Video: h264.*, 24 fps,", header), header
    times = frame_times(clip.video)
    pictures = frames(clip.video)
    parts = sorted(f for f in packs["files"]["short"] if f.name.startswith("video-part"))
    fps = packs["short"].fps
    at = 0
    for part in parts:
        for frame in frames(part):
            shown = bisect.bisect_right(times, at / fps + 1e-6) - 1
            mad = np.abs(pictures - frame).mean(axis=(1, 2))
            # (the plain background returns between sentences: equal pictures tie)
            assert mad[shown] < 1.5 and mad[shown] < mad.min() + 0.1, (at, shown, mad[shown])
            at += 1
    assert at == round(clip.duration_s * fps)


@pytest.mark.slow
def test_square_variant_keeps_subtitles_in_frame_and_legible(packs, tmp_path) -> None:
    folder = packs["ws"].out_dir / packs["slug"] / "publish" / "facebook"
    srt = parse_srt(Path(packs["video"]["srt"]).read_text(encoding="utf-8"))
    middle = (srt[1].start + srt[1].end) / 2
    frame = tmp_path / "square.png"
    run_ffmpeg(["-i", str(folder / "video-1x1.mp4"), "-vf", "fps=25", "-ss", f"{middle}",
                "-frames:v", "1", str(frame)], what="lấy khung hình")  # fmt: skip
    image = Image.open(frame).convert("L")
    # the 1080x1920 picture padded into 1080x1080: 607.5 px wide, centred; the vertical
    # clip's subtitle band (y 1250-1728) lands at y 703-972
    scale = 1080 / 1920
    left = int((1080 - 1080 * scale) / 2)
    band = image.crop((left, int(1250 * scale), 1080 - left, int(1728 * scale)))
    pixels = sorted(np.asarray(band).ravel().tolist())
    text = [p for p in pixels if p >= 200]
    assert len(text) / len(pixels) > 0.01  # the subtitle is there, not cropped away

    # WCAG contrast between the text and the median of the band behind it
    def luminance(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    light = luminance(sorted(text)[len(text) // 2])
    dark = luminance(pixels[len(pixels) // 2])
    assert (light + 0.05) / (dark + 0.05) >= 4.5
    # nothing of the picture is lost: the outer bars are padding, the picture is all inside
    assert np.asarray(image.crop((0, 0, left - 2, 1080))).max() < 60


def test_hashtags_and_captions_follow_vietnamese_convention() -> None:
    facebook = PLATFORMS["facebook"]
    assert hashtags("Mường La", facebook) == [
        "#CCHC", "#CaiCachHanhChinh", "#MuongLa", "#MườngLa"]  # fmt: skip
    assert hashtags("Đồng Văn", facebook)[2:] == ["#DongVan", "#ĐồngVăn"]
    assert hashtags("Mai Sơn", dataclasses.replace(facebook, diacritic_hashtags=False))[2:] == [
        "#MaiSon"
    ]
    # counted the way each platform counts: Vietnamese letters are 2-3 UTF-8 bytes
    assert caption_length("Mường", "chars") == 5
    assert caption_length("Mường", "bytes") == 8
    assert caption_length("a😀", "utf16") == 3
    tiny = dataclasses.replace(PLATFORMS["youtube"], caption_limit=120)
    tags = hashtags("Mường La", tiny)
    caption = make_caption("Lịch tiếp công dân " * 3, "Ủy ban nhân dân xã " * 20, tags, tiny)
    assert caption_length(caption, "bytes") <= 120
    assert caption.endswith(" ".join(tags))
    assert "…" in caption


def test_a_sentence_longer_than_the_limit_is_refused_not_cut() -> None:
    spans = [(2.0, 4.0), (4.5, 12.0), (12.5, 14.0)]
    assert part_ranges(spans, 15.0, 60) == [(0.0, 15.0)]
    assert part_ranges(spans, 15.0, 13) == [(0.0, 12.25), (12.25, 15.0)]
    with pytest.raises(InputError, match="câu dài hơn 5 giây"):
        part_ranges(spans, 15.0, 5)


def test_a_script_without_a_vertical_clip_is_refused(tmp_path) -> None:
    root = make_workspace(tmp_path / "ws")
    slug = store_script(root)
    with pytest.raises(InputError, match="Chưa có video dọc"):
        make_pack(find_workspace(root), slug, "tiktok")


def test_an_unapproved_script_is_refused_with_the_gate_sentence(tmp_path) -> None:
    root = make_workspace(tmp_path / "ws")
    article = tmp_path / "tiep-dan.md"
    article.write_text(
        "# Lịch tiếp công dân\n\n" + "\n\n".join(text for _, text in SENTENCES[1:3]) + "\n",
        encoding="utf-8",
    )
    made = run("-w", root, "script", article, "--minutes", "1", "--save")
    assert made.exit_code == 0, made.stderr
    slug = made.stderr.split("'")[1]
    with pytest.raises(InputError, match="chưa được duyệt nội dung"):
        make_pack(find_workspace(root), slug, "facebook")
    assert not (root / "out" / slug / "publish").exists()


@pytest.mark.slow
def test_publish_registry_writes_the_packs_reusing_earlier_parts(packs) -> None:
    """The ``publish`` channels are the packs; the clip encoded once at a platform's size
    and rate is kept and parts are cut from it by copying (a second run costs little)."""
    from broadcast.publish.publish import CHANNELS, publish

    assert {"facebook", "youtube", "tiktok", "zalo"} <= set(CHANNELS)
    started = time.perf_counter()
    done = publish(packs["ws"], packs["slug"], ["zalo", "tiktok"])
    assert time.perf_counter() - started < 5
    assert sorted(p.name for p in done.files["zalo"]) == [
        "caption.txt", "cover.jpg", "title.txt", "video-1x1.mp4", "video.mp4"]  # fmt: skip
    assert probe(done.files["tiktok"][0]).first("video").height == 1920
