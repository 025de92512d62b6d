"""One segment through the cached render stages: voice, both mixes side by side, the video.

``produce`` (CLI, web workspace and worker alike) renders through ``render_segment``, so
the composition of the stages lives once. The two mixes need only the voice and run at the
same time: each spends most of its time in an ffmpeg subprocess (encoder and loudness
passes), so on a two-core PC they overlap instead of queueing (the web AAC and then the
video on this thread, the loudspeaker's MP3 on a second one). The video needs the web mix
(its audio is muxed as is and its cue times are the mix's), so it follows that mix, and
runs beside whatever remains of the loudspeaker's.

Every stage is timed and announced as typed events (``broadcast.model.events``); the
result carries the timings for ``produce --timings``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TypeVar

from broadcast.model.events import (
    OnEvent,
    Stage,
    StageClock,
    StageProgress,
    StageTiming,
    no_event,
)
from broadcast.render.stages import (
    MixStage,
    VideoStage,
    VoiceStage,
    mix_profile,
    mix_stage,
    video_stage,
    voice_stage,
)
from broadcast.store.workspace import Workspace
from broadcast.text.images import PlacedImage

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class SegmentInput:
    """What the render stages need of one script in one language."""

    spoken: Sequence[str]  # what the voice reads
    written: Sequence[str]  # what the subtitles show
    breaks_after: set[int]  # sentences followed by the longer section pause
    title: str
    date_text: str
    language: str = "vi"
    images: Sequence[PlacedImage] = ()
    voice_profile: str | None = None
    video_format: str = "vertical"
    with_bed: bool = True


@dataclass(frozen=True)
class SegmentRenders:
    voice: VoiceStage
    loudspeaker: MixStage
    web: MixStage
    video: VideoStage
    timings: tuple[StageTiming, ...] = field(default=())

    @property
    def reused(self) -> bool:
        return all(t.reused for t in self.timings)


def render_segment(
    ws: Workspace,
    data: SegmentInput,
    *,
    clock: StageClock | None = None,
    on_event: OnEvent = no_event,
    parallel: bool = True,
) -> SegmentRenders:
    """Voice, then the loudspeaker mix beside the web mix and the video that follows it
    (one after the other when ``parallel`` is off), the video with its sidecars and
    thumbnail; each from the stage cache when it is there.

    An error in either branch is raised once, as its stage raised it (the web branch's when
    both fail); the other branch is waited for, so no thread outlives the call, and a stage
    cut short leaves nothing in the cache (each stage builds in a private folder)."""
    clock = clock or StageClock(on_event)
    emit = clock.on_event
    total = max(len(data.spoken), 1)

    def on_sentence(done: int) -> None:
        message = f"câu {done}/{total}"
        emit(StageProgress(Stage.VOICE, done / total, message, done, total))

    with clock.stage(Stage.VOICE) as reused:
        voice = voice_stage(
            ws,
            data.spoken,
            language=data.language,
            profile_name=data.voice_profile,
            on_sentence=on_sentence,
        )
        reused(voice.reused)

    def mix(stage: Stage) -> MixStage:
        with clock.stage(stage) as mark:
            made = mix_stage(
                ws,
                voice,
                mix_profile(ws, stage.value),
                breaks_after=data.breaks_after,
                with_bed=data.with_bed,
            )
            mark(made.reused)
        return made

    def web_then_video() -> tuple[MixStage, VideoStage]:
        web = mix(Stage.WEB)
        with clock.stage(Stage.VIDEO) as mark:
            video = video_stage(
                ws,
                web,
                data.written,
                title=data.title,
                date_text=data.date_text,
                video_format=data.video_format,
                images=data.images,
                on_step=lambda done, message: emit(StageProgress(Stage.VIDEO, done, message)),
            )
            mark(video.reused)
        return web, video

    if parallel:  # the video needs only the web mix: it may overlap the loudspeaker's too
        (web, video), loudspeaker = side_by_side(web_then_video, lambda: mix(Stage.LOUDSPEAKER))
    else:
        loudspeaker = mix(Stage.LOUDSPEAKER)
        web, video = web_then_video()
    return SegmentRenders(voice, loudspeaker, web, video, clock.timings)


def side_by_side(here: Callable[[], T], there: Callable[[], U]) -> tuple[T, U]:
    """``here()`` on this thread while ``there()`` runs on another; both results.

    This thread keeps one branch so that Ctrl-C and SIGTERM (delivered to the main thread)
    interrupt its ffmpeg at once; the other branch is then waited for (its stage finishes or
    fails inside its own build folder) before the interruption goes on unwinding."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="broadcast-mix") as pool:
        other: Future[U] = pool.submit(there)
        try:
            first = here()
        except BaseException:
            # The sibling's own error, if any, is dropped: this one is reported.
            wait([other])
            raise
        return first, other.result()
