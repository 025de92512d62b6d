"""Sidecar cues follow the burned-in screens: a long sentence is several two-line cues.

The unit tests compare ``sidecar_cues`` with the timeline ``plan`` builds for the picture;
the end-to-end test renders a real clip through ``broadcast video`` and checks, on decoded
frames, that the text on screen in the middle of each SRT cue is that cue's text.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from helpers import make_workspace, run
from PIL import Image, ImageChops
from render_support import speech_spans, store_script

from broadcast.audio.ffmpeg import run_ffmpeg
from broadcast.script.model import Role
from broadcast.store.workspace import find_workspace
from broadcast.video.frames import (
    LANDSCAPE,
    MAX_LINES,
    VERTICAL,
    background,
    subtitle_block,
    subtitle_frame,
)
from broadcast.video.render import plan
from broadcast.video.screens import captions, sidecar_cues
from broadcast.video.subtitles import Cue, parse_srt, parse_vtt, write_srt, write_vtt

LONG = (
    "Người dân có thể nộp hồ sơ trực tuyến qua Cổng dịch vụ công quốc gia, nhận kết quả tại "
    "nhà qua dịch vụ bưu chính công ích, không phải đi lại nhiều lần, tiết kiệm thời gian và "
    "chi phí cho gia đình, đồng thời được cán bộ bộ phận một cửa hướng dẫn tận tình từng bước "
    "khi gặp khó khăn trong quá trình thực hiện thủ tục hành chính."
)
SHORT = "Xin trân trọng cảm ơn bà con đã lắng nghe!"
CUES = [
    Cue(1, 0.5, 2.0, "Ủy ban nhân dân xã thông báo."),
    Cue(2, 2.4, 22.4, LONG),
    Cue(3, 23.0, 25.0, SHORT),
]
DURATION = 26.0


def normalised(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def sentence_of(cues: list[Cue], sentence: str) -> list[Cue]:
    """The consecutive cues whose joined text is ``sentence`` (fails if there are none)."""
    for first in range(len(cues)):
        for last in range(first, len(cues)):
            joined = normalised(" ".join(c.text for c in cues[first : last + 1]))
            if joined == normalised(sentence):
                return cues[first : last + 1]
    raise AssertionError(f"no run of cues reads {sentence!r}")


@pytest.mark.parametrize("size", [VERTICAL, LANDSCAPE])
def test_a_long_sentence_becomes_contiguous_cues_of_two_lines(size) -> None:
    cues = sidecar_cues(CUES, size)
    long = sentence_of(cues, LONG)
    assert len(long) >= 2
    assert long[0].start == 2.4 and long[-1].end == 22.4
    assert all(a.end == b.start for a, b in zip(long, long[1:], strict=False))
    assert all(c.end > c.start for c in long)
    for cue in cues:
        lines = cue.text.split("\n")
        assert 1 <= len(lines) <= MAX_LINES, cue
        # the line breaks are where the picture breaks the same words
        assert tuple(lines) == subtitle_block(" ".join(lines), size).lines
    # short sentences keep one cue with their own times; cues are numbered from 1
    first = sentence_of(cues, CUES[0].text)
    assert [(c.index, c.start, c.end) for c in first] == [(1, 0.5, 2.0)]
    assert [(c.start, c.end) for c in sentence_of(cues, SHORT)] == [(23.0, 25.0)]
    assert [c.index for c in cues] == list(range(1, len(cues) + 1))


@pytest.mark.parametrize("size", [VERTICAL, LANDSCAPE])
def test_sidecar_cues_are_the_screens_the_renderer_draws(size) -> None:
    drawn = plan(CUES, DURATION, 2.0, size)
    on_screen = []
    for shot, after in zip(drawn.shots, [*drawn.shots[1:], None], strict=True):
        if shot.picture in drawn.screens:
            end = after.start if after else DURATION
            on_screen.append((drawn.screens[shot.picture].text, shot.start, end))
    expected = [(c.text.replace("\n", " "), c.start, c.end) for c in sidecar_cues(CUES, size)]
    assert on_screen == expected
    assert [(c.text, c.start, c.end) for c in captions(CUES, size)] == expected


def test_srt_and_vtt_of_the_screens_parse_back() -> None:
    cues = sidecar_cues(CUES, VERTICAL)
    want = [(round(c.start, 3), round(c.end, 3), c.text) for c in cues]
    srt, vtt = parse_srt(write_srt(cues)), parse_vtt(write_vtt(cues))
    assert [(c.start, c.end, c.text) for c in srt] == want
    assert [(c.start, c.end, c.text) for c in vtt] == want
    assert any("\n" in c.text for c in srt)  # a two-line screen keeps its break in the file


def test_an_overlapped_cue_waits_for_the_one_before() -> None:
    cues = sidecar_cues([Cue(1, 0.0, 2.0, "Một hai ba."), Cue(2, 1.5, 3.0, "Bốn năm.")])
    assert [(c.start, c.end) for c in cues] == [(0.0, 2.0), (2.0, 3.0)]
    assert sidecar_cues([Cue(1, 0.0, 2.0, "Một."), Cue(2, 0.5, 1.5, "Hai.")]) == [
        Cue(1, 0.0, 2.0, "Một.")
    ]


# --- end to end: `broadcast video` on a script with a long sentence ------------------------

SLUG = "2026-12-01-nop-ho-so"
SENTENCES = (
    (Role.OPENING, "Đây là Đài truyền thanh xã Mường La."),
    # no commas: espeak reads it without internal pauses, so silences are sentence bounds
    (
        Role.BODY,
        "Người dân có thể nộp hồ sơ trực tuyến qua Cổng dịch vụ công quốc gia và nhận kết "
        "quả tại nhà qua dịch vụ bưu chính công ích mà không phải đi lại nhiều lần trong "
        "quá trình thực hiện thủ tục hành chính tại xã.",
    ),
    (Role.CLOSING, "Cảm ơn bà con đã lắng nghe."),
)


def store_long_script(root: Path) -> None:
    store_script(root, SLUG, title="Nộp hồ sơ trực tuyến", sentences=SENTENCES)


def frame_at(clip: Path, seconds: float, out: Path) -> Image.Image:
    run_ffmpeg(
        ["-i", str(clip), "-vf", "fps=25", "-ss", f"{seconds}", "-frames:v", "1", str(out)],
        what="lấy khung hình",
    )
    return Image.open(out).convert("RGB")


def difference(a: Image.Image, b: Image.Image, box: tuple[int, int, int, int]) -> float:
    diff = ImageChops.difference(a.crop(box), b.crop(box)).convert("L")
    return sum(i * n for i, n in enumerate(diff.histogram())) / (diff.width * diff.height)


def test_rendered_clip_and_sidecars_show_the_same_screens(tmp_path) -> None:
    root = make_workspace(tmp_path / "ws")
    store_long_script(root)
    result = run("-w", root, "video", SLUG, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    srt = parse_srt(Path(data["srt"]).read_text(encoding="utf-8"))
    vtt = parse_vtt(Path(data["vtt"]).read_text(encoding="utf-8"))
    assert [(c.start, c.end, c.text) for c in vtt] == [(c.start, c.end, c.text) for c in srt]
    groups = [sentence_of(srt, text) for _, text in SENTENCES]
    assert sum(len(g) for g in groups) == len(srt)
    long = groups[1]
    assert len(long) >= 2 and all(len(c.text.split("\n")) <= MAX_LINES for c in srt)
    assert all(a.end == b.start for a, b in zip(long, long[1:], strict=False))

    # the picture in the middle of each cue of the long sentence shows that cue's text:
    # of all the screens' texts drawn afresh, the cue's own is the closest to the frame
    station = find_workspace(root).station
    plain = background(station.name, station.programme, VERTICAL)
    area = (108, 1250, 972, 1728)
    drawn = {c.text: subtitle_frame(plain, c.text.replace("\n", " ")) for c in srt}
    for number, cue in enumerate(long):
        frame = frame_at(Path(data["video"]), (cue.start + cue.end) / 2, tmp_path / f"{number}.png")
        closest = min(drawn, key=lambda text: difference(frame, drawn[text], area))
        assert closest == cue.text

    # each sentence's first cue starts, and its last ends, where the speech does
    wav = run("-w", root, "mix", SLUG, "--profile", "broadcast", "--json")
    assert wav.exit_code == 0, wav.output
    spans = speech_spans(Path(json.loads(wav.stdout)["path"]), noise_db=-60)
    for group in groups:
        start, end = group[0].start, group[-1].end
        span = max(spans, key=lambda s: min(s[1], end) - max(s[0], start))
        assert abs(span[0] - start) < 0.05 and abs(span[1] - end) < 0.05, (group, span)
