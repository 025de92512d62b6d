"""One segment through the cached render stages: voice, then both mixes and the video at once.

``produce`` (CLI, web workspace and worker alike) renders through ``render_segment``, so
the composition of the stages lives once. The two mixes need only the voice and run at the
same time: each spends most of its time in an ffmpeg subprocess (encoder and loudness
passes), so on a two-core PC they overlap instead of queueing. The video needs from the web
mix only its sentence times until its very last step (muxing the web audio in as it is), so
it draws and encodes its pictures from the mix's plan while the two mixes are encoded: the
three branches share the two cores instead of the video waiting for the web mix.

Every stage is timed and announced as typed events (``broadcast.model.events``); the
result carries the timings for ``produce --timings``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, TypeVar

from broadcast.model.events import (
    OnEvent,
    Stage,
    StageClock,
    StageProgress,
    StageTiming,
    no_event,
)
from broadcast.render.stages import (
    MixPlan,
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

P = TypeVar("P")
E = TypeVar("E")
B = TypeVar("B")
F = TypeVar("F")


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
    """Voice, then the loudspeaker mix, the web mix and the video at once (one after the
    other when ``parallel`` is off), the video with its sidecars and thumbnail; each from
    the stage cache when it is there.

    An error in any branch is raised once, as its stage raised it (the web mix's when it
    failed, since the video waits for it; else the video's); the other branches are waited
    for, so no thread outlives the call, and a stage cut short leaves nothing in the cache
    (each stage builds in a private folder)."""
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

    def mix(stage: Stage, on_plan: Callable[[MixPlan], None] | None = None) -> MixStage:
        with clock.stage(stage) as mark:
            made = mix_stage(
                ws,
                voice,
                mix_profile(ws, stage.value),
                breaks_after=data.breaks_after,
                with_bed=data.with_bed,
                on_plan=on_plan,
            )
            mark(made.reused)
        return made

    def video(web: MixStage | MixPlan, audio: Callable[[], MixStage] | None = None) -> VideoStage:
        with clock.stage(Stage.VIDEO) as mark:
            made = video_stage(
                ws,
                web,
                data.written,
                title=data.title,
                date_text=data.date_text,
                video_format=data.video_format,
                images=data.images,
                on_step=lambda done, message: emit(StageProgress(Stage.VIDEO, done, message)),
                audio=audio,
            )
            mark(made.reused)
        return made

    if not parallel:
        loudspeaker = mix(Stage.LOUDSPEAKER)
        web = mix(Stage.WEB)
        return SegmentRenders(voice, loudspeaker, web, video(web), clock.timings)

    # Three branches on the two cores: both mixes in threads (mostly ffmpeg subprocesses),
    # the video on this thread, drawing and encoding its pictures from the web mix's plan
    # while that mix is still encoded, and muxing its audio last.
    def web_mix(on_plan: Callable[[MixPlan], None]) -> MixStage:
        return mix(Stage.WEB, on_plan=on_plan)

    def loudspeaker_mix() -> MixStage:
        return mix(Stage.LOUDSPEAKER)

    def web_video(plan: MixPlan, web_done: Callable[[], MixStage]) -> VideoStage:
        return video(plan, audio=web_done)

    web, loudspeaker, made = overlapped(web_mix, loudspeaker_mix, web_video)
    return SegmentRenders(voice, loudspeaker, web, made, clock.timings)


def overlapped(
    early: Callable[[Callable[[P], None]], E],
    beside: Callable[[], B],
    follow: Callable[[P, Callable[[], E]], F],
) -> tuple[E, B, F]:
    """``early`` and ``beside`` in two threads, and on this thread ``follow``, which starts
    as soon as ``early`` announces its plan (the argument it is given) and may wait for
    ``early``'s result through the call it receives; the three results.

    This thread keeps ``follow`` so that Ctrl-C and SIGTERM (delivered to the main thread)
    interrupt it at once. An error is raised once, after the other branches ended (their
    stages finish or fail inside their own build folders): ``early``'s when it failed
    (``follow`` raises it too, waiting for it), else ``follow``'s, else ``beside``'s."""
    plan: Future[P] = Future()

    def first() -> E:
        try:
            return early(plan.set_result)
        except BaseException as exc:
            if not plan.done():  # ``follow`` is waiting for the plan: it fails with this
                plan.set_exception(exc)
            raise

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="broadcast-mix") as pool:
        early_future = pool.submit(first)
        beside_future = pool.submit(beside)
        try:
            followed = follow(plan.result(), early_future.result)
        except BaseException:
            others: list[Future[Any]] = [early_future, beside_future]
            wait(others)
            raise
        return early_future.result(), beside_future.result(), followed
