"""The video stage, checked on real pictures and a real ffmpeg encode (no mocks)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from broadcast.audio.ffmpeg import probe, run_ffmpeg
from broadcast.errors import BroadcastError, EngineError, InputError
from broadcast.video.fonts import WEIGHTS, font_path, load_font
from broadcast.video.frames import (
    MAX_LINES,
    background,
    split_for_screen,
    subtitle_block,
    subtitle_frame,
    title_card,
    wrap_words,
)
from broadcast.video.render import Shot, ffconcat, render_clip, timeline
from broadcast.video.subtitles import Cue

STATION = "Đài Truyền thanh xã Mường La"
PROGRAMME = "Chuyên mục Cải cách hành chính"
TITLE = "Lịch tiếp công dân tháng 7 năm 2025"
DATE = "Thứ Hai, ngày 14 tháng 7 năm 2025"
LONG = (
    "Người dân có thể nộp hồ sơ trực tuyến qua Cổng dịch vụ công quốc gia, nhận kết quả tại "
    "nhà qua dịch vụ bưu chính công ích, không phải đi lại nhiều lần, tiết kiệm thời gian và "
    "chi phí cho gia đình, đồng thời được cán bộ bộ phận một cửa hướng dẫn tận tình từng bước "
    "khi gặp khó khăn trong quá trình thực hiện thủ tục hành chính."
)
CUES = [
    Cue(1, 0.5, 2.0, "Ủy ban nhân dân xã Mường La thông báo lịch tiếp dân."),
    Cue(2, 2.5, 4.0, "Người dân mang theo căn cước công dân khi đến làm thủ tục."),
    Cue(3, 4.2, 5.5, "Xin trân trọng cảm ơn bà con đã lắng nghe!"),
]
DURATION = 6.0
SUBTITLE_AREA = (108, 1250, 972, 1728)  # inside the lower safe area of 1080x1920


# --- helpers -------------------------------------------------------------------------------


def tone(path: Path, seconds: float) -> Path:
    run_ffmpeg(
        ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", str(path)],
        what="tạo âm thử",
    )
    return path


def frame_at(clip: Path, seconds: float, out: Path) -> Image.Image:
    """The picture on screen at ``seconds``.

    ``-ss`` before ``-i`` would return the first frame *after* the time (a still picture
    starts earlier), so the stream is made constant-rate first and then cut.
    """
    run_ffmpeg(
        ["-i", str(clip), "-vf", "fps=25", "-ss", f"{seconds}", "-frames:v", "1", str(out)],
        what="lấy khung hình",
    )
    return Image.open(out).convert("RGB")


def difference(a: Image.Image, b: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Mean absolute difference (0-255) of two pictures inside ``box``."""
    diff = ImageChops.difference(a.crop(box), b.crop(box)).convert("L")
    return sum(i * n for i, n in enumerate(diff.histogram())) / (diff.width * diff.height)


def white_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Share of near-white pixels: subtitle letters are the only white in that area."""
    grey = image.crop(box).convert("L")
    return sum(grey.histogram()[200:]) / (grey.width * grey.height)


def render(tmp: Path, cues: list[Cue], duration: float) -> Path:
    return render_clip(
        audio=tone(tmp / "voice.wav", duration),
        cues=cues,
        duration_s=duration,
        station=STATION,
        programme=PROGRAMME,
        title=TITLE,
        date_text=DATE,
        out_mp4=tmp / "out" / "clip.mp4",
        work_dir=tmp / "work",
    )


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return render(tmp_path_factory.mktemp("clip"), CUES, DURATION)


# --- fonts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("weight", WEIGHTS)
def test_font_path_points_at_be_vietnam_pro(weight):
    path = font_path(weight)
    assert path.is_file()
    assert path.name == f"BeVietnamPro-{weight}.ttf"


def test_unknown_weight_is_a_clear_error():
    with pytest.raises(EngineError, match="Regular"):
        font_path("Heavy")  # type: ignore[arg-type]


# --- frames --------------------------------------------------------------------------------


def test_wrap_never_splits_a_word():
    font = load_font("SemiBold", 60)
    lines = wrap_words(LONG, font, 500)
    assert len(lines) > 3
    assert " ".join(lines) == LONG
    assert all(font.getlength(line) <= 500 for line in lines)


def test_a_word_wider_than_the_line_stays_whole():
    font = load_font("SemiBold", 60)
    assert wrap_words("Ngườiiiiiiiiiiiiii dân", font, 100) == ["Ngườiiiiiiiiiiiiii", "dân"]


def test_subtitle_shrinks_to_fit_two_lines():
    short, longer = subtitle_block("Xin cảm ơn."), subtitle_block(LONG[:60])
    assert len(short.lines) == 1
    assert len(longer.lines) <= MAX_LINES
    assert longer.font.size < short.font.size


def test_split_for_screen_keeps_words_and_order():
    parts = split_for_screen(LONG)
    assert len(parts) >= 2
    assert " ".join(parts) == LONG
    assert all(len(subtitle_block(p).lines) <= MAX_LINES for p in parts)
    assert split_for_screen("Xin cảm ơn.") == ["Xin cảm ơn."]


def test_title_card_is_a_vertical_picture_with_text():
    card = title_card(STATION, PROGRAMME, TITLE, DATE)
    assert card.size == (1080, 1920)
    assert card.mode == "RGB"
    assert white_share(card, (108, 600, 972, 1100)) > 0.02  # the title is drawn
    assert difference(card, background(STATION, PROGRAMME), (0, 600, 1080, 1100)) > 2


def test_subtitle_is_drawn_in_the_lower_safe_area_only():
    plain = background(STATION, PROGRAMME)
    framed = subtitle_frame(plain, CUES[0].text)
    assert framed.size == plain.size
    assert white_share(framed, SUBTITLE_AREA) > 0.01
    assert white_share(plain, SUBTITLE_AREA) == 0
    bottom_margin = (0, 1730, 1080, 1920)
    assert difference(framed, plain, bottom_margin) == 0
    assert difference(framed, plain, (0, 0, 107, 1920)) == 0  # left margin untouched


def test_diacritics_are_drawn_and_decomposed_text_looks_the_same():
    plain = background(STATION, PROGRAMME)
    marked = subtitle_frame(plain, "Ủy ban nhân dân")
    bare = subtitle_frame(plain, "Uy ban nhan dan")
    decomposed = subtitle_frame(plain, unicodedata.normalize("NFD", "Ủy ban nhân dân"))
    assert difference(marked, bare, SUBTITLE_AREA) > 0
    assert difference(marked, decomposed, SUBTITLE_AREA) == 0


# --- timeline ------------------------------------------------------------------------------


def test_ffconcat_repeats_the_last_picture_and_fills_the_duration():
    shots = [Shot(0.0, "title.bmp"), Shot(0.5, "cue-0001.bmp"), Shot(2.0, "background.bmp")]
    text = ffconcat(shots, 6.0)
    assert text.startswith("ffconcat version 1.0\n")
    files = [line for line in text.splitlines() if line.startswith("file ")]
    assert files[-2:] == ["file 'background.bmp'", "file 'background.bmp'"]
    durations = [float(line.split()[1]) for line in text.splitlines() if line.startswith("dur")]
    assert durations == pytest.approx([0.5, 1.5, 3.999])


def test_timeline_drops_slivers_without_losing_time():
    shots = [
        Shot(0.0, "title.bmp"),
        Shot(1.0, "cue-0001.bmp"),
        Shot(2.0, "background.bmp"),
        Shot(2.005, "cue-0002.bmp"),  # 5 ms gap between two sentences
        Shot(9.0, "background.bmp"),  # after the end
    ]
    assert timeline(shots, 5.0) == [
        Shot(0.0, "title.bmp"),
        Shot(1.0, "cue-0001.bmp"),
        Shot(2.005, "cue-0002.bmp"),
    ]


# --- render --------------------------------------------------------------------------------


def test_clip_has_the_expected_streams_and_duration(clip):
    info = probe(clip)
    video, audio = info.first("video"), info.first("audio")
    assert video is not None and audio is not None
    assert (video.codec, video.width, video.height) == ("h264", 1080, 1920)
    assert audio.codec == "aac"
    assert len(info.streams) == 2
    assert info.duration_s == pytest.approx(DURATION, abs=0.1)
    assert clip.stat().st_size > 10_000
    assert [p.name for p in clip.parent.iterdir()] == ["clip.mp4"]  # no temp file left


def test_subtitles_appear_only_while_their_sentence_plays(clip, tmp_path):
    title = frame_at(clip, 0.2, tmp_path / "title.bmp")
    first = frame_at(clip, 1.25, tmp_path / "first.png")
    gap = frame_at(clip, 2.25, tmp_path / "gap.png")
    second = frame_at(clip, 3.25, tmp_path / "second.png")
    third = frame_at(clip, 4.85, tmp_path / "third.png")
    end = frame_at(clip, 5.9, tmp_path / "end.png")
    for with_text in (first, second, third):
        assert white_share(with_text, SUBTITLE_AREA) > 0.01
    for without in (title, gap, end):
        assert white_share(without, SUBTITLE_AREA) < 0.001
    assert difference(first, title, SUBTITLE_AREA) > 5
    assert difference(second, gap, SUBTITLE_AREA) > 5
    assert difference(first, second, SUBTITLE_AREA) > 1


def test_title_card_stays_behind_a_sentence_that_starts_early(clip, tmp_path):
    title = frame_at(clip, 0.2, tmp_path / "title.bmp")
    first = frame_at(clip, 1.25, tmp_path / "first.png")
    gap = frame_at(clip, 2.25, tmp_path / "gap.png")
    title_area = (108, 600, 972, 1100)
    assert difference(first, title, title_area) < 2  # title still on screen under cue 1
    assert difference(gap, title, title_area) > 2  # gone after the first sentence


def test_first_sentence_at_zero_is_drawn_over_the_title_card(tmp_path):
    clip = render(tmp_path, [Cue(1, 0.0, 1.5, "Ủy ban nhân dân xã thông báo.")], 3.0)
    start = frame_at(clip, 0.4, tmp_path / "start.png")
    assert white_share(start, SUBTITLE_AREA) > 0.01
    assert white_share(start, (108, 600, 972, 1100)) > 0.02
    assert probe(clip).duration_s == pytest.approx(3.0, abs=0.1)


def test_missing_audio_is_an_input_error_and_writes_no_clip(tmp_path):
    out = tmp_path / "out" / "clip.mp4"
    with pytest.raises(InputError):
        render_clip(
            audio=tmp_path / "absent.wav",
            cues=CUES,
            duration_s=DURATION,
            station=STATION,
            programme=PROGRAMME,
            title=TITLE,
            date_text=DATE,
            out_mp4=out,
            work_dir=tmp_path / "work",
        )
    assert not out.exists()


def test_unreadable_audio_fails_cleanly_without_partial_file(tmp_path):
    audio = tmp_path / "voice.wav"
    audio.write_text("không phải âm thanh", encoding="utf-8")
    out = tmp_path / "out" / "clip.mp4"
    with pytest.raises(BroadcastError):
        render_clip(
            audio=audio,
            cues=CUES,
            duration_s=DURATION,
            station=STATION,
            programme=PROGRAMME,
            title=TITLE,
            date_text=DATE,
            out_mp4=out,
            work_dir=tmp_path / "work",
        )
    assert list(out.parent.iterdir()) == []


def test_a_sentence_too_long_for_two_lines_is_shown_in_screens(tmp_path):
    clip = render(tmp_path, [Cue(1, 0.2, 3.8, LONG)], 4.0)
    early = frame_at(clip, 0.8, tmp_path / "early.png")
    late = frame_at(clip, 3.4, tmp_path / "late.png")
    assert white_share(early, SUBTITLE_AREA) > 0.01
    assert white_share(late, SUBTITLE_AREA) > 0.01
    assert difference(early, late, SUBTITLE_AREA) > 1
