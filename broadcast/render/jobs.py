"""``voice``, ``mix`` and ``video`` on a stored script: stages, outputs in ``out/``, rows.

Outputs go to ``out/<slug>/`` beside what ``produce`` wrote (``audio.mp3`` is the
loudspeaker mix, ``video.mp4`` the vertical clip; other profiles and formats carry their
name, other languages their code: ``audio-web.m4a``, ``video-landscape.mp4``,
``audio.blt.mp3``). A file whose content did not change is not rewritten and adds no row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio.loudness import Loudness
from broadcast.audio.profiles import MixProfile
from broadcast.errors import InputError
from broadcast.model.jobs import Progress, no_progress
from broadcast.render.cache import publish
from broadcast.render.stages import (
    MixStage,
    VideoStage,
    VoiceStage,
    mix_profile,
    mix_stage,
    video_stage,
    voice_stage,
)
from broadcast.store.db import Database
from broadcast.store.files import sha256_file
from broadcast.store.records import StoredScript, find_script, is_recording
from broadcast.store.renders import (
    RenderRow,
    TextHash,
    save_render,
    script_date,
    stored_sentences,
)
from broadcast.store.workspace import Workspace
from broadcast.text.images import PlacedImage, script_images

Report = Callable[[str], None]


@dataclass(frozen=True)
class ScriptInput:
    """What the stages need from a stored script in one language."""

    script: StoredScript
    language: str
    spoken: list[str]  # what the voice reads
    written: list[str]  # what the subtitles show
    breaks_after: set[int]  # sentences followed by the longer section pause
    date_text: str
    texts: tuple[TextHash, ...]  # the approved texts voiced, recorded with every render


def load_script(db: Database, ref: str, language: str) -> ScriptInput:
    """A stored script, in ``language`` only if that language is approved for air, with the
    hashes of the approved texts read (every render made from it records them)."""
    from broadcast.review.gate import renderable_sentences, renderable_text_hashes

    script = find_script(db, ref)
    if is_recording(db, script.id):
        # Its audio is the uploaded recording, the very voice the approver heard: a
        # synthetic voice must never replace it (a changed text needs a new recording).
        raise InputError(
            f"Bản tin '{script.title}' là bản ghi âm tải lên: không đọc lại bằng giọng máy "
            "được; muốn sửa thì tải bản ghi âm mới ở trang Phát khẩn cấp."
        )
    sentences = stored_sentences(db, script.id)
    # Hashes first: they raise the gate's sentence when the language is not approved (the
    # script's own language may be rendered before its content approval, never aired).
    texts = renderable_text_hashes(db, script.id, language)
    if language == script.language:
        spoken = [s.spoken for s in sentences]
        written = [s.written for s in sentences]
    else:
        written = renderable_sentences(db, script.id, language)
        spoken = list(written)
    return ScriptInput(
        script=script,
        language=language,
        spoken=spoken,
        written=written,
        breaks_after={i for i, s in enumerate(sentences) if s.role != "body"},
        date_text=script_date(db, script.id).strftime("%d/%m/%Y"),
        texts=texts,
    )


def _article_images(ws: Workspace, db: Database, script_id: int) -> list[PlacedImage]:
    """The pictures of the script's original article (when it is still the file the text
    was read from), placed at the Vietnamese sentences a translation follows one to one."""
    from broadcast.store.publications import article_source

    sentences = [s.written for s in stored_sentences(db, script_id)]
    return script_images(ws, article_source(db, script_id), sentences)


def _name(stem: str, suffix: str, language: str) -> str:
    return f"{stem}.{suffix}" if language == "vi" else f"{stem}.{language}.{suffix}"


def _rel(ws: Workspace, path: Path) -> Path:
    return path.relative_to(ws.root)


@dataclass(frozen=True)
class VoiceJob:
    slug: str
    language: str
    voice: VoiceStage


@dataclass(frozen=True)
class MixJob:
    slug: str
    language: str
    profile: str
    path: Path
    duration_s: float
    loudness: Loudness
    voice: VoiceStage
    mix: MixStage
    written: bool  # the output file changed


@dataclass(frozen=True)
class VideoJob:
    slug: str
    language: str
    video: VideoStage
    mix: MixStage
    voice: VoiceStage
    paths: dict[str, Path]
    written: bool

    @property
    def reused(self) -> bool:
        return self.voice.reused and self.mix.reused and self.video.reused


def _voice(
    ws: Workspace,
    data: ScriptInput,
    voice_profile: str | None,
    progress: Progress = no_progress,
    share: float = 1.0,
) -> VoiceStage:
    """The voice stage, reporting each sentence ready as a fraction of ``share``: the part
    of the whole job that voicing is (mix and video go on after it)."""
    total = max(len(data.spoken), 1)

    def on_sentence(done: int) -> None:
        progress(share * done / total, f"Đang đọc câu {done}/{total}")

    progress(0.0, f"Đang đọc {total} câu bằng giọng máy")
    return voice_stage(
        ws,
        data.spoken,
        language=data.language,
        profile_name=voice_profile,
        on_sentence=on_sentence,
    )


def run_voice(
    ws: Workspace,
    ref: str,
    *,
    language: str = "vi",
    voice_profile: str | None = None,
    progress: Progress = no_progress,
) -> VoiceJob:
    with ws.open_db() as db:
        data = load_script(db, ref, language)
    return VoiceJob(data.script.slug, language, _voice(ws, data, voice_profile, progress))


def _audio_name(profile: str, extension: str, language: str) -> str:
    stem = "audio" if profile == "loudspeaker" else f"audio-{profile}"
    return _name(stem, extension, language)


def _save_audio(
    ws: Workspace, db: Database, data: ScriptInput, voice: VoiceStage, mix: MixStage
) -> tuple[Path, bool]:
    dest = (
        ws.out_dir
        / data.script.slug
        / _audio_name(mix.profile.name, mix.profile.extension, data.language)
    )
    changed = publish(mix.audio, dest)
    _, added = save_render(
        db,
        data.script.id,
        RenderRow(
            kind="audio",
            path=_rel(ws, dest),
            sha256=sha256_file(dest),
            language=data.language,
            duration_s=mix.duration_s,
            loudness_lufs=mix.loudness.integrated_lufs,
            loudness_range=mix.loudness.range_lu,
            true_peak_db=mix.loudness.true_peak_db,
            engine=voice.engine_label,
            profile=mix.profile.name,
            stage_key=mix.key,
        ),
        texts=data.texts,
    )
    return dest, changed or added


def _mixed(
    ws: Workspace,
    db: Database,
    ref: str,
    language: str,
    profile: MixProfile,
    voice_profile: str | None,
    with_bed: bool,
    progress: Progress = no_progress,
    voice_share: float = 0.6,
) -> tuple[ScriptInput, VoiceStage, MixStage]:
    """The stored script, its voice and its mix to ``profile``: what mix and video share."""
    data = load_script(db, ref, language)
    voice = _voice(ws, data, voice_profile, progress, voice_share)
    progress(voice_share, "Đang trộn âm thanh và chuẩn hóa độ lớn")
    mix = mix_stage(ws, voice, profile, breaks_after=data.breaks_after, with_bed=with_bed)
    return data, voice, mix


def run_mix(
    ws: Workspace,
    ref: str,
    *,
    profile: str = "loudspeaker",
    language: str = "vi",
    voice_profile: str | None = None,
    with_bed: bool = True,
    progress: Progress = no_progress,
) -> MixJob:
    chosen = mix_profile(ws, profile)
    with ws.open_db() as db:
        data, voice, mix = _mixed(
            ws, db, ref, language, chosen, voice_profile, with_bed, progress, 0.6
        )
        progress(0.95, "Đang lưu bản âm thanh")
        dest, written = _save_audio(ws, db, data, voice, mix)
    return MixJob(
        slug=data.script.slug,
        language=language,
        profile=profile,
        path=dest,
        duration_s=mix.duration_s,
        loudness=mix.loudness,
        voice=voice,
        mix=mix,
        written=written,
    )


def run_video(
    ws: Workspace,
    ref: str,
    *,
    video_format: str = "vertical",
    language: str = "vi",
    voice_profile: str | None = None,
    cfr: bool = False,
    progress_bar: bool | None = None,
    with_bed: bool = True,
    progress: Progress = no_progress,
) -> VideoJob:
    """The clip with the web mix (AAC) as its sound, sidecars and thumbnail."""
    chosen = mix_profile(ws, "web")
    with ws.open_db() as db:
        data, voice, mix = _mixed(
            ws, db, ref, language, chosen, voice_profile, with_bed, progress, 0.3
        )
        progress(0.45, "Đang dựng video có phụ đề")
        images = _article_images(ws, db, data.script.id)
        video = video_stage(
            ws,
            mix,
            data.written,
            title=data.script.title,
            date_text=data.date_text,
            video_format=video_format,
            cfr=cfr,
            progress_bar=progress_bar,
            images=images,
            on_step=lambda done, message: progress(0.45 + 0.5 * done, message),
        )
        folder = ws.out_dir / data.script.slug
        suffix = "" if video_format == "vertical" else f"-{video_format}"
        paths = {
            "video": folder / _name(f"video{suffix}", "mp4", language),
            # sidecars follow the format's screens (line breaks, splits): one pair per format
            "srt": folder / _name(f"subtitles{suffix}", "srt", language),
            "vtt": folder / _name(f"subtitles{suffix}", "vtt", language),
            "thumbnail": folder / _name(f"thumbnail{suffix}", "png", language),
        }
        sources = {
            "video": video.video,
            "srt": video.srt,
            "vtt": video.vtt,
            "thumbnail": video.thumbnail,
        }
        progress(0.95, "Đang lưu video, phụ đề và ảnh bìa")
        written = False
        for role, dest in paths.items():
            written |= publish(sources[role], dest)
            kind = {"srt": "subtitles", "vtt": "subtitles"}.get(role, role)
            _, added = save_render(
                db,
                data.script.id,
                RenderRow(
                    kind=kind,
                    path=_rel(ws, dest),
                    sha256=sha256_file(dest),
                    language=language,
                    duration_s=video.duration_s if role == "video" else None,
                    engine=voice.engine_label if role == "video" else None,
                    profile="web" if role == "video" else None,
                    format=video_format if role in ("video", "thumbnail") else role,
                    stage_key=video.key,
                ),
                texts=data.texts,
            )
            written |= added
    return VideoJob(
        slug=data.script.slug,
        language=language,
        video=video,
        mix=mix,
        voice=voice,
        paths=paths,
        written=written,
    )
