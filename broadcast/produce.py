"""``produce``: one article through every stage to audio, video and a playlist entry.

Outputs are built in a staging folder and moved into ``out/`` only when every stage has
succeeded; the database rows are written in one transaction after that. A failed run
therefore leaves neither half a folder in ``out/`` nor orphan rows. A run killed outright
(SIGKILL, power cut) between the move and the commit leaves its folder marked as its own
(``.broadcast-run``); the next command's start-up sweep removes it, or adopts it if the
commit did happen, so the re-run gets the same folder name.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from broadcast.render.stages import mix_profile, mix_stage, video_stage, voice_stage
from broadcast.schedule.onair import write_slot_playlist
from broadcast.schedule.slots import next_slot
from broadcast.script.build import build_script
from broadcast.script.glossary import load_glossary
from broadcast.script.model import Role, Script
from broadcast.store import records
from broadcast.store.files import atomic_write_text, sha256_file, temp_prefix
from broadcast.store.naming import slugify
from broadcast.store.renders import set_render_details
from broadcast.store.workspace import Workspace, mark_run, unmark_run
from broadcast.text.ingest import read_article
from broadcast.text.quality import require_good_text

STAGES = (
    "Đọc bài viết",
    "Viết kịch bản phát thanh",
    "Đọc bằng giọng máy",
    "Trộn âm thanh và chuẩn hóa độ lớn",
    "Dựng video có phụ đề",
    "Xếp vào lịch phát",
)

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class ProduceResult:
    slug: str
    out_dir: Path
    audio: Path
    video: Path
    srt: Path
    script_text: Path
    playlist: Path
    slot_start: dt.datetime
    duration_s: float
    loudness_lufs: float
    true_peak_db: float
    sentences: int

    def as_json(self) -> str:
        return json.dumps(
            {
                "slug": self.slug,
                "out_dir": str(self.out_dir),
                "audio": str(self.audio),
                "video": str(self.video),
                "srt": str(self.srt),
                "script": str(self.script_text),
                "playlist": str(self.playlist),
                "slot_start": self.slot_start.isoformat(timespec="minutes"),
                "duration_s": round(self.duration_s, 2),
                "loudness_lufs": self.loudness_lufs,
                "true_peak_db": self.true_peak_db,
                "sentences": self.sentences,
            },
            ensure_ascii=False,
            indent=2,
        )


def _unique_slug(ws: Workspace, db: records.Database, base: str) -> str:
    slug, n = base, 2
    while records.slug_taken(db, slug) or (ws.out_dir / slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def script_text(script: Script) -> str:
    """The script as an announcer reads it: written form, with the spoken form beneath."""
    lines = [f"# {script.title}", ""]
    for number, sentence in enumerate(script.sentences, start=1):
        lines.append(f"{number}. [{sentence.role.value}] {sentence.written}")
        if sentence.spoken != sentence.written:
            lines.append(f"   (đọc: {sentence.spoken})")
    return "\n".join(lines) + "\n"


def produce(
    ws: Workspace,
    article_path: Path,
    *,
    minutes: float = 3.0,
    title: str | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    on_sentence: Callable[[int, int], None] | None = None,
    allow_bad_text: bool = False,
) -> ProduceResult:
    """Run every stage for Vietnamese; see the module docstring for the failure guarantees."""
    report = progress or (lambda _i, _label: None)
    now = now or dt.datetime.now()
    station = ws.station

    report(1, STAGES[0])
    article = read_article(article_path, title=title)
    if not allow_bad_text:  # a voice reading text without its tones misleads listeners
        require_good_text(f"{article.title}\n\n{article.body}", article_path)

    report(2, STAGES[1])
    script = build_script(article, station, minutes, load_glossary())

    ws.staging_dir.mkdir(parents=True, exist_ok=True)
    # The process id in the name tells the start-up sweep whether its owner still runs.
    stage = Path(tempfile.mkdtemp(prefix=temp_prefix("produce"), dir=ws.staging_dir))
    stage.chmod(0o755)  # mkdtemp makes it private; out/ is shared with players and editors
    try:
        report(3, STAGES[2])
        # The same cached stages as `broadcast voice|mix|video`: a re-run reuses them.
        spoken = [s.spoken for s in script.sentences]
        voice = voice_stage(
            ws,
            spoken,
            on_sentence=(lambda n: on_sentence(n, len(spoken))) if on_sentence else None,
        )

        report(4, STAGES[3])
        breaks = {i for i, s in enumerate(script.sentences) if s.role is not Role.BODY}
        mix = mix_stage(ws, voice, mix_profile(ws, "loudspeaker"), breaks_after=breaks)
        web = mix_stage(ws, voice, mix_profile(ws, "web"), breaks_after=breaks)

        report(5, STAGES[4])
        clip = video_stage(
            ws,
            web,
            [s.written for s in script.sentences],
            title=script.title,
            date_text=now.strftime("%d/%m/%Y"),
        )
        for source, name in (
            (mix.audio, "audio.mp3"),
            (clip.video, "video.mp4"),
            (clip.srt, "subtitles.srt"),
            (clip.vtt, "subtitles.vtt"),
            (clip.thumbnail, "thumbnail.png"),
        ):
            shutil.copyfile(source, stage / name)
            (stage / name).chmod(0o644)
        atomic_write_text(stage / "script.txt", script_text(script))

        report(6, STAGES[5])
        slot_start, slot = next_slot(station, now)
        with ws.open_db() as db:
            slug = _unique_slug(ws, db, f"{now:%Y-%m-%d}-{slugify(script.title)}")
            final = ws.out_dir / slug
            ws.out_dir.mkdir(exist_ok=True)
            # Until the rows are committed the folder is marked as this run's: a kill in
            # between leaves a marked folder that the next start removes (no "-2" slug).
            mark_run(stage)
            stage.replace(final)
            try:
                rel = final.relative_to(ws.root)
                renders = [
                    records.RenderRecord(
                        "audio",
                        rel / "audio.mp3",
                        sha256_file(final / "audio.mp3"),
                        mix.duration_s,
                        mix.loudness.integrated_lufs,
                        mix.loudness.true_peak_db,
                        engine=voice.engine_label,
                    ),
                    records.RenderRecord(
                        "video",
                        rel / "video.mp4",
                        sha256_file(final / "video.mp4"),
                        mix.duration_s,
                    ),
                    records.RenderRecord(
                        "subtitles", rel / "subtitles.srt", sha256_file(final / "subtitles.srt")
                    ),
                ]
                playlist = _playlist_path(ws, slot_start, slot.zones[0])
                with db.transaction():
                    ids = records.save_production(
                        db,
                        article=article,
                        script=script,
                        slug=slug,
                        timings=mix.timings,
                        renders=renders,
                    )
                    records.add_playlist_entry(
                        db,
                        render_id=ids["audio"],
                        slot_start=slot_start.isoformat(),
                        zone=slot.zones[0],
                        playlist_path=playlist.relative_to(ws.root),
                    )
                    set_render_details(
                        db,
                        ids["audio"],
                        profile=mix.profile.name,
                        loudness_range=mix.loudness.range_lu,
                        stage_key=mix.key,
                    )
                    set_render_details(
                        db,
                        ids["video"],
                        profile=web.profile.name,
                        video_format=clip.format,
                        stage_key=clip.key,
                    )
                    _write_playlist(ws, db, slot_start, slot.zones[0], playlist)
            except BaseException:
                shutil.rmtree(final, ignore_errors=True)
                raise
            unmark_run(final)  # committed: the folder belongs to the stored segment now
    finally:
        shutil.rmtree(stage, ignore_errors=True)

    return ProduceResult(
        slug=slug,
        out_dir=final,
        audio=final / "audio.mp3",
        video=final / "video.mp4",
        srt=final / "subtitles.srt",
        script_text=final / "script.txt",
        playlist=playlist,
        slot_start=slot_start,
        duration_s=mix.duration_s,
        loudness_lufs=mix.loudness.integrated_lufs,
        true_peak_db=mix.loudness.true_peak_db,
        sentences=len(script.sentences),
    )


def _playlist_path(ws: Workspace, slot_start: dt.datetime, zone: str) -> Path:
    return ws.out_dir / "playlists" / f"{slot_start:%Y-%m-%d_%H%M}_{slugify(zone)}.m3u8"


def _write_playlist(
    ws: Workspace, db: records.Database, slot_start: dt.datetime, zone: str, playlist: Path
) -> None:
    # Only current renders are left in the slot's rows (triggers of migration 8), and the
    # file is recorded so that a later void rewrites it.
    write_slot_playlist(ws, db, slot_start.isoformat(), zone, playlist)
