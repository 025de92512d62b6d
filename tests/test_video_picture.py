"""The article's pictures behind the subtitles (issue 14, item 3), checked on decoded frames.

A .docx article with two generated photos goes through the real `script` and `video`
commands; frames decoded from the encoded clip show the station's logo on the title card,
each photo behind the sentences near where it stood, and its slow pan. Legibility is
measured as WCAG contrast between the subtitle's letters and its box over a white, a black
and a noise picture. Frames for a person to look at are saved to build/frames/ (full size)
and, with BROADCAST_UPDATE_DOC_FRAMES=1, docs/frames/ (360 px wide, kept in the repository
and listed in the README).
"""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import numpy as np
import pytest
from helpers import make_workspace, run
from PIL import Image, ImageDraw
from render_support import SENTENCES, store_script

from broadcast.audio.ffmpeg import probe, run_ffmpeg
from broadcast.errors import WorkspaceError
from broadcast.render.settings import render_settings
from broadcast.store.workspace import find_workspace
from broadcast.text.images import FoundImage, place_images
from broadcast.video.frames import LOGO_HEIGHT, SAFE_MARGIN, subtitle_overlay
from broadcast.video.pictures import Picture, photo_slots, step_count
from broadcast.video.render import Motion, plan, render_clip
from broadcast.video.subtitles import Cue, parse_srt

REPO = Path(__file__).resolve().parent.parent
LEAD = "Ủy ban nhân dân xã Mường La đẩy mạnh tiếp nhận hồ sơ trực tuyến để bà con đỡ đi lại."
SECOND = "Cán bộ bộ phận một cửa hướng dẫn bà con kê khai hồ sơ trên điện thoại."
THIRD = "Xã đã lắp thêm máy tính tra cứu thủ tục ngay tại quầy tiếp nhận."
LAST = "Bà con cần hỗ trợ xin liên hệ bộ phận một cửa của xã trong giờ hành chính."
GREEN_SKY, GREEN_FIELD = (90, 160, 230), (60, 150, 60)  # photo A: a blue sky over rice fields
DUSK_SKY, DUSK_FIELD = (240, 150, 60), (120, 80, 40)  # photo B: an orange sky over dry land
WALL = (235, 225, 200)  # the house in both photos
LOGO_COLOUR = (230, 0, 230)
SIZE = (1080, 1920)


def frame_at(clip: Path, seconds: float, out: Path) -> Image.Image:
    """The picture on screen at ``seconds`` (made constant-rate first, then cut)."""
    run_ffmpeg(
        ["-i", str(clip), "-vf", "fps=25", "-ss", f"{seconds}", "-frames:v", "1", str(out)],
        what="lấy khung hình",
    )
    return Image.open(out).convert("RGB")


def photo(sky: tuple[int, int, int], field: tuple[int, int, int]) -> Image.Image:
    """A 4:3 'news photo': sky, sun, hills and a house, drawn here (never downloaded)."""
    image = Image.new("RGB", (1200, 900), sky)
    draw = ImageDraw.Draw(image)
    draw.ellipse((880, 90, 1040, 250), fill=(255, 236, 160))
    draw.polygon([(0, 520), (300, 330), (640, 540), (960, 360), (1200, 520), (1200, 900),
                  (0, 900)], fill=field)  # fmt: skip
    draw.rectangle((420, 560, 700, 760), fill=WALL)
    draw.polygon([(400, 560), (560, 440), (720, 560)], fill=(150, 40, 30))
    draw.rectangle((530, 650, 590, 760), fill=(90, 60, 40))
    return image


def logo_file(path: Path) -> Path:
    """A logo with transparent margins around a solid disc: the margins must not show."""
    logo = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((75, 25, 225, 175), fill=(*LOGO_COLOUR, 255))
    logo.save(path, "PNG")
    return path


def docx_with_photos(folder: Path) -> Path:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_paragraph("Xã Mường La nhận hồ sơ trực tuyến", style="Title")
    document.add_paragraph(LEAD)
    photo(GREEN_SKY, GREEN_FIELD).save(folder / "a.jpg", quality=92)
    document.add_picture(str(folder / "a.jpg"), width=Cm(8))
    document.add_paragraph("Ảnh: Cánh đồng của xã.")
    document.add_paragraph(SECOND)
    document.add_paragraph(THIRD)
    photo(DUSK_SKY, DUSK_FIELD).save(folder / "b.jpg", quality=92)
    document.add_picture(str(folder / "b.jpg"), width=Cm(8))
    document.add_paragraph("Ảnh: Quầy tiếp nhận hồ sơ.")
    document.add_paragraph(LAST)
    path = folder / "bai-co-anh.docx"
    document.save(str(path))
    return path


def mean_colour(image: Image.Image, box: tuple[int, int, int, int]) -> np.ndarray:
    return np.asarray(image.crop(box), dtype=np.float64).reshape(-1, 3).mean(axis=0)


def closest(colour: np.ndarray, *candidates: tuple[int, int, int]) -> tuple[int, int, int]:
    return min(candidates, key=lambda c: float(np.abs(colour - np.array(c)).sum()))


def wall_left(frame: Image.Image) -> int:
    """The leftmost column where the house's wall (in both photos) shows, in the photo's rows
    (the grey edges of subtitle letters below could have the wall's colour)."""
    pixels = np.asarray(frame.crop((0, 700, SIZE[0], 1200)), dtype=np.float64)
    near = np.abs(pixels - np.array(WALL)).sum(axis=2) < 40
    columns = np.flatnonzero(near.sum(axis=0) >= 20)
    assert columns.size, "the house is not on the frame"
    return int(columns[0])


def keep_for_people(frames: dict[str, Image.Image]) -> None:
    """Full-size PNGs in build/frames/ on every run; the 360 px copies the README shows in
    docs/frames/ only when BROADCAST_UPDATE_DOC_FRAMES=1, so a test run never changes a
    file of the repository."""
    full, small = REPO / "build" / "frames", REPO / "docs" / "frames"
    full.mkdir(parents=True, exist_ok=True)
    for name, image in frames.items():
        image.save(full / f"{name}.png", "PNG")
        if os.environ.get("BROADCAST_UPDATE_DOC_FRAMES") != "1":
            continue
        small.mkdir(parents=True, exist_ok=True)
        high = round(image.height * 360 / image.width)
        image.resize((360, high), Image.Resampling.LANCZOS).save(
            small / f"{name}.png", "PNG", optimize=True
        )


# --- placement (no rendering) ----------------------------------------------------------------


def png_bytes(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_images_go_to_the_sentences_taken_from_where_they_stood() -> None:
    paragraphs = [LEAD, SECOND, THIRD, LAST]
    sentences = [
        "Đây là Đài truyền thanh xã Mường La.",  # the opening: from no paragraph
        LEAD,
        THIRD.replace("Xã đã", "Xã vừa"),  # radio style changed a word; SECOND was dropped
        LAST,
        "Cảm ơn bà con đã lắng nghe.",
    ]
    images = [
        FoundImage(png_bytes((200, 0, 0)), "", "", ""),  # at the top
        FoundImage(png_bytes((0, 200, 0)), "", "", SECOND),  # SECOND is not in the script
        FoundImage(png_bytes((0, 0, 200)), "", "", LAST),
        FoundImage(b"not a picture", "", "", LEAD),
    ]
    placed = place_images(images, paragraphs, sentences)
    assert [p.sentence for p in placed] == [1, 2, 3]
    assert [Image.open(io.BytesIO(p.data)).getpixel((0, 0)) for p in placed] == [
        (200, 0, 0),
        (0, 200, 0),
        (0, 0, 200),
    ]


def test_images_of_unknown_place_are_spread_over_the_script() -> None:
    images = [FoundImage(png_bytes((9, 9, 9)), "", "", "\x00") for _ in range(3)]
    placed = place_images(images, [LEAD], [f"câu {n}" for n in range(9)])
    assert [p.sentence for p in placed] == [0, 3, 6]


def test_photo_folder_pictures_change_every_few_sentences_and_cycle() -> None:
    assert photo_slots(2, 10) == [(0, 0), (1, 3), (0, 6), (1, 9)]
    assert photo_slots(0, 10) == []


def test_motion_is_a_few_distinct_pictures_a_second_at_most() -> None:
    cues = [Cue(n + 1, 2.0 + 3 * n, 4.5 + 3 * n, f"Câu số {n + 1} của bản tin.") for n in range(6)]
    image = Image.new("RGB", (8, 6))
    pictures = [Picture(image, 0), Picture(image, 3)]
    moving = plan(cues, 20.0, 2.0, SIZE, Motion(pictures, [c.start for c in cues], 20.0, 4.0))
    still = plan(cues, 20.0, 2.0, SIZE, Motion(pictures, [c.start for c in cues], 20.0, 0.0))
    steps = {s.step for s in moving.screens.values() if s.step}
    # 18 s of pictures at 4 a second, plus a new picture where a subtitle comes or goes
    assert 40 <= len(steps) <= 18 * 4
    assert len(moving.shots) <= 18 * 4 + 2 * len(cues) + 1
    gaps = [b.start - a.start for a, b in zip(moving.shots, moving.shots[1:], strict=False)]
    assert min(gaps) > 0.02
    assert {s.step[1] for s in still.screens.values() if s.step} == {0}  # 0 fps: no motion
    assert step_count(100.0, 4.0, SIZE) < 100 * 4  # a long shot moves slowly, not more often


# --- logo and photo folder settings ------------------------------------------------------------


def test_missing_or_broken_logo_is_one_sentence_at_load(tmp_path) -> None:
    root = make_workspace(tmp_path / "ws")
    toml = root / "station.toml"
    original = toml.read_text(encoding="utf-8")
    toml.write_text(original + '\n[video]\nlogo = "logo.png"\n', encoding="utf-8")
    with pytest.raises(WorkspaceError, match="không có tệp logo 'logo.png'"):
        render_settings(find_workspace(root))
    (root / "logo.png").write_text("không phải ảnh", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="không phải ảnh đọc được"):
        render_settings(find_workspace(root))
    checked = run("-w", root, "config", "check")
    assert checked.exit_code == 2 and "[video] logo" in checked.stdout + checked.stderr
    logo_file(root / "logo.png")
    toml.write_text(
        original + '\n[video]\nlogo = "logo.png"\nphoto_folder = "anh"\nmotion_fps = 2\n',
        encoding="utf-8",
    )
    with pytest.raises(WorkspaceError, match=r"không có thư mục ảnh 'anh'"):
        render_settings(find_workspace(root))
    (root / "anh").mkdir()
    settings = render_settings(find_workspace(root))
    assert (settings.logo, settings.motion_fps) == ((root / "logo.png").resolve(), 2.0)


# --- the clip of an article with photos --------------------------------------------------------


@pytest.fixture(scope="module")
def article_clip(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("picture")
    root = make_workspace(folder / "ws")
    logo_file(root / "logo.png")
    with (root / "station.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[video]\nlogo = "logo.png"\n')
    made = run("-w", root, "script", docx_with_photos(folder), "--minutes", "1", "--save")
    assert made.exit_code == 0, made.output
    slug = made.stderr.split("'")[1]
    result = run("-w", root, "video", slug, "--json")
    assert result.exit_code == 0, result.output
    clip = root / "out" / slug / "video.mp4"
    cues = parse_srt((root / "out" / slug / "subtitles.srt").read_text(encoding="utf-8"))
    return {"clip": clip, "cues": cues, "folder": folder, "root": root}


def _cue(cues: list[Cue], words: str) -> Cue:
    return next(c for c in cues if words in " ".join(c.text.split()))


@pytest.mark.slow
def test_logo_photos_and_pan_on_decoded_frames(article_clip) -> None:
    clip, cues, folder = article_clip["clip"], article_clip["cues"], article_clip["folder"]
    assert isinstance(clip, Path) and isinstance(cues, list) and isinstance(folder, Path)
    info = probe(clip)
    video = info.first("video")
    assert video is not None and (video.codec, video.width, video.height) == ("h264", *SIZE)

    # the title card: the logo's disc centred above the station name, its margins unseen
    title = frame_at(clip, 0.5, folder / "title.png")
    unit = min(SIZE)
    top = SIZE[1] * SAFE_MARGIN * 0.6
    high = round(unit * LOGO_HEIGHT)
    centre = mean_colour(title, (530, round(top + high / 2) - 10, 550, round(top + high / 2) + 10))
    assert np.abs(centre - np.array(LOGO_COLOUR)).max() < 30, centre
    corner = mean_colour(title, (540 - high + 2, round(top) + 2, 540 - high + 12, round(top) + 12))
    assert np.abs(corner - np.array(LOGO_COLOUR)).max() > 100, corner  # transparent: not drawn

    # photo A behind the lead's sentence, photo B behind the sentence after it stood
    lead, third = _cue(cues, LEAD[:30]), _cue(cues, THIRD[:25])
    photo_area = (300, 700, 780, 900)  # the sky of the photo, fitted across the width
    over_a = frame_at(clip, (lead.start + lead.end) / 2, folder / "a.png")
    over_b = frame_at(clip, (third.start + third.end) / 2, folder / "b.png")
    assert closest(mean_colour(over_a, photo_area), GREEN_SKY, DUSK_SKY) == GREEN_SKY
    assert closest(mean_colour(over_b, photo_area), GREEN_SKY, DUSK_SKY) == DUSK_SKY
    subtitle_area = (108, 1250, 972, 1728)
    grey = np.asarray(over_a.crop(subtitle_area).convert("L"))
    assert (grey > 200).mean() > 0.01  # white letters over the photo's frame

    # the pan: the same photo, moved between two moments of its time on screen (the first
    # photo's window slides rightwards, so the house moves left)
    second = _cue(cues, SECOND[:25])
    early = frame_at(clip, lead.start + 0.3, folder / "early.png")
    late = frame_at(clip, second.end - 0.3, folder / "late.png")
    assert wall_left(late) < wall_left(early) - 4, (wall_left(early), wall_left(late))
    assert closest(mean_colour(late, photo_area), GREEN_SKY, DUSK_SKY) == GREEN_SKY

    keep_for_people(
        {
            "title-card-logo": title,
            "subtitle-over-photo": over_a,
            "pan-early": early,
            "pan-late": late,
        }
    )


# --- legibility ---------------------------------------------------------------------------------


def luminance(pixels: np.ndarray) -> np.ndarray:
    """WCAG 2.x relative luminance of sRGB pixels (0-255)."""
    c = pixels.astype(np.float64) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def test_wcag_luminance_of_white_and_black() -> None:
    assert luminance(np.array([[255, 255, 255], [0, 0, 0]])).tolist() == [1.0, 0.0]


@pytest.mark.slow
def test_subtitles_stay_legible_over_white_black_and_busy_pictures(tmp_path) -> None:
    rng = random.Random(14)
    noise = Image.frombytes("RGB", (540, 960), rng.randbytes(540 * 960 * 3))
    backgrounds = {
        "white": Image.new("RGB", SIZE, (255, 255, 255)),
        "black": Image.new("RGB", SIZE, (0, 0, 0)),
        "noise": noise.resize(SIZE, Image.Resampling.NEAREST),
    }
    texts = [
        "Bà con mang theo căn cước công dân khi đến làm thủ tục.",
        "Ủy ban nhân dân xã tiếp công dân vào sáng thứ Hai hằng tuần.",
        "Hồ sơ nộp trực tuyến được trả kết quả tại nhà qua bưu điện.",
    ]
    cues = [Cue(n + 1, 2.2 + 1.8 * n, 3.7 + 1.8 * n, text) for n, text in enumerate(texts)]
    run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=8", str(tmp_path / "a.wav")],
               what="tạo âm thử")  # fmt: skip
    clip = render_clip(
        audio=tmp_path / "a.wav",
        cues=cues,
        duration_s=8.0,
        station="Đài Truyền thanh xã Mường La",
        programme="Chuyên mục Cải cách hành chính",
        title="Thử độ tương phản",
        date_text="06/12/2026",
        out_mp4=tmp_path / "clip.mp4",
        work_dir=tmp_path / "work",
        pictures=[Picture(image, n) for n, image in enumerate(backgrounds.values())],
    )
    for name, cue in zip(backgrounds, cues, strict=True):
        frame = frame_at(clip, (cue.start + cue.end) / 2, tmp_path / f"{name}.png")
        overlay = subtitle_overlay(cue.text, SIZE)
        left, top = overlay.at
        width, height = overlay.image.size
        pixels = np.asarray(frame.crop((left, top, left + width, top + height))).reshape(
            (height, width, 3)
        )
        # the box's own pixels: its top padding, away from the rounded corners, has no text
        pad = max(4, round(height * 0.06))
        box_l = luminance(pixels[2:pad, 30 : width - 30].reshape(-1, 3))
        text_l = luminance(pixels.reshape(-1, 3))
        lightest_box = float(np.percentile(box_l, 95))
        letters = float(np.percentile(text_l, 99))
        ratio = (letters + 0.05) / (lightest_box + 0.05)
        assert ratio >= 4.5, (name, ratio)
        if name == "white":  # the picture really is white right above the box
            above = np.asarray(frame.crop((left, top - 40, left + width, top - 10)).convert("L"))
            assert above.mean() > 230, above.mean()
        print(f"contrast over {name}: {ratio:.2f}")  # the figure reported with -s


@pytest.mark.slow
def test_an_article_without_photos_uses_the_station_photo_folder(article_clip) -> None:
    """Four sentences, two photos in the folder: the first from the start, the second from
    the fourth sentence (a new photo every three), in name order."""
    root, folder = article_clip["root"], article_clip["folder"]
    assert isinstance(root, Path) and isinstance(folder, Path)
    (root / "anh").mkdir()
    photo(GREEN_SKY, GREEN_FIELD).save(root / "anh" / "1-canh-dong.jpg", quality=92)
    photo(DUSK_SKY, DUSK_FIELD).save(root / "anh" / "2-chieu.png")
    with (root / "station.toml").open("a", encoding="utf-8") as toml:
        toml.write('photo_folder = "anh"\n')  # the [video] table is the file's last
    slug = store_script(root, "2026-12-06-khong-co-anh")
    result = run("-w", root, "video", slug, "--json")
    assert result.exit_code == 0, result.output
    clip = root / "out" / slug / "video.mp4"
    cues = parse_srt((root / "out" / slug / "subtitles.srt").read_text(encoding="utf-8"))
    second, fourth = _cue(cues, SENTENCES[1][1][:20]), _cue(cues, SENTENCES[3][1][:20])
    photo_area = (300, 700, 780, 900)
    early = frame_at(clip, (second.start + second.end) / 2, folder / "folder-1.png")
    late = frame_at(clip, (fourth.start + fourth.end) / 2, folder / "folder-2.png")
    assert closest(mean_colour(early, photo_area), GREEN_SKY, DUSK_SKY) == GREEN_SKY
    assert closest(mean_colour(late, photo_area), GREEN_SKY, DUSK_SKY) == DUSK_SKY
