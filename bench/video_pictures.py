"""Benchmark: the vertical clip of the 3-minute bench script with and without photos (issue 14).

Times ``video_stage`` cold on the same voice and web mix: first with the plain background
(the station has no photos; this run also pays the word segmenter's start-up, as the first
clip of ``bench/render.py`` does), then with four generated photos in ``[video]
photo_folder`` at ``motion_fps`` 4 and 0 (still). Prints wall time, encoded frames and file
size. Nothing is asserted: figures are for the closing notes.

    .venv/bin/python bench/video_pictures.py [--minutes 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render import clock, frame_count, make_workspace  # noqa: E402  (the bench's own helpers)


def photo(number: int) -> Image.Image:
    """A busy 4:3 picture (stripes and a disc): a hard case for the encoder."""
    image = Image.new("RGB", (1600, 1200), (40 + 40 * number, 120, 200 - 30 * number))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1600, 50):
        draw.line((x, 0, x + 400, 1200), fill=(255 - 20 * number, 200, 90), width=9)
    draw.ellipse((500, 300, 1100, 900), fill=(220, 60, 40))
    return image


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    args = parser.parse_args()

    from broadcast.render.stages import mix_profile, mix_stage, video_stage, voice_stage
    from broadcast.store.renders import stored_sentences
    from broadcast.store.workspace import find_workspace

    with tempfile.TemporaryDirectory() as tmp_name:
        ws, _, written = make_workspace(Path(tmp_name), args.minutes)
        with ws.open_db() as db:
            rows = stored_sentences(db, 1)
        voice = voice_stage(ws, [r.spoken for r in rows])
        breaks = {i for i, r in enumerate(rows) if r.role != "body"}
        web = mix_stage(ws, voice, mix_profile(ws, "web"), breaks_after=breaks)
        common = {"title": "Bench", "date_text": "01/01/2026"}
        print(
            f"{len(written)} sentences, {web.duration_s:.1f} s of audio, "
            f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
        )
        seconds, plain = clock(lambda: video_stage(ws, web, written, **common))
        print(
            f"  plain background            {seconds:6.2f} s  frames {frame_count(plain.video):4d}"
            f"  {plain.video.stat().st_size / 1e6:5.1f} MB"
        )
        (ws.root / "anh").mkdir()
        for number in range(4):
            photo(number).save(ws.root / "anh" / f"{number}.jpg", quality=90)
        toml = ws.root / "station.toml"
        original = toml.read_text(encoding="utf-8")
        for fps in (4, 0):
            toml.write_text(
                original + f'\n[video]\nphoto_folder = "anh"\nmotion_fps = {fps}\n',
                encoding="utf-8",
            )
            moved = find_workspace(ws.root)
            seconds, clip = clock(lambda ws=moved: video_stage(ws, web, written, **common))
            print(
                f"  photos, motion_fps {fps}        {seconds:6.2f} s  "
                f"frames {frame_count(clip.video):4d}  {clip.video.stat().st_size / 1e6:5.1f} MB"
            )
        print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
