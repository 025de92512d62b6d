"""Typed progress events of a production: which stage started, how far it is, how it ended.

A production runs stages one after another and, for the two mixes and the video, at once. A string
callback (``Progress``) cannot say which of two concurrent stages spoke, nor whether a stage
was taken from the cache; these events can, so the CLI prints its numbered steps and its
``--timings`` table, and a job turns them into one rising fraction, from the same stream.
They live here, below the stages, so that the render pipeline, the CLI and the worker all
read one shape whatever produced it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from broadcast.model.jobs import Progress

STEPS = 6  # the numbered steps a person sees: "[4/6] Trộn âm thanh…"


class Stage(StrEnum):
    """One timed stage of a production. The two mixes are separate stages (they run at the
    same time) but one step for the person watching."""

    READ = "read"
    SCRIPT = "script"
    VOICE = "voice"
    LOUDSPEAKER = "loudspeaker"
    WEB = "web"
    VIDEO = "video"
    SAVE = "save"

    @property
    def step(self) -> int:
        """The numbered step (1..STEPS) this stage belongs to."""
        return _STEP[self]

    @property
    def label(self) -> str:
        """What the step is called, in Vietnamese (the same for both mixes)."""
        return STEP_LABELS[self.step - 1]

    @property
    def timing_label(self) -> str:
        """The stage's own name in a timings table (the mixes told apart)."""
        return _TIMING_LABEL.get(self, self.label)


STEP_LABELS = (
    "Đọc bài viết",
    "Viết kịch bản phát thanh",
    "Đọc bằng giọng máy",
    "Trộn âm thanh và chuẩn hóa độ lớn",
    "Dựng video có phụ đề",
    "Lưu, duyệt nội dung và xếp lịch",
)
_STEP = {
    Stage.READ: 1,
    Stage.SCRIPT: 2,
    Stage.VOICE: 3,
    Stage.LOUDSPEAKER: 4,
    Stage.WEB: 4,
    Stage.VIDEO: 5,
    Stage.SAVE: 6,
}
_TIMING_LABEL = {
    Stage.LOUDSPEAKER: "Trộn âm thanh cho loa (MP3)",
    Stage.WEB: "Trộn âm thanh cho web (AAC)",
}


@dataclass(frozen=True)
class StageEvent:
    stage: Stage


@dataclass(frozen=True)
class StageStarted(StageEvent):
    """The stage begins (it may still find its output in the cache)."""


@dataclass(frozen=True)
class StageProgress(StageEvent):
    """How far the stage is (0..1 of this stage) and what it does now, in Vietnamese;
    ``done``/``total`` count items (sentences) when the stage counts any."""

    fraction: float
    message: str
    done: int = 0
    total: int = 0


@dataclass(frozen=True)
class StageFinished(StageEvent):
    """The stage ended: its wall time, and whether its output came from the cache (or
    from the stored production of the same input) rather than being made now."""

    seconds: float
    reused: bool


OnEvent = Callable[[StageEvent], None]


def no_event(_event: StageEvent) -> None:
    """The listener of a run nobody watches."""


@dataclass(frozen=True)
class StageTiming:
    stage: Stage
    seconds: float
    reused: bool


class StageClock:
    """Announces stages and records their wall times; shared by the threads of one run."""

    def __init__(self, on_event: OnEvent = no_event) -> None:
        self.on_event = on_event
        self._lock = threading.Lock()
        self._timings: list[StageTiming] = []

    @contextmanager
    def stage(self, stage: Stage) -> Iterator[Callable[[bool], None]]:
        """Time the block; it calls the yielded function with whether it reused its output.
        A block that raises is not recorded (there is no time to report for a failure)."""
        reused = [False]
        self.on_event(StageStarted(stage))
        start = time.perf_counter()

        def mark(value: bool) -> None:
            reused[0] = value

        yield mark
        self.finish(stage, time.perf_counter() - start, reused[0])

    def finish(self, stage: Stage, seconds: float, reused: bool) -> None:
        with self._lock:
            self._timings.append(StageTiming(stage, seconds, reused))
        self.on_event(StageFinished(stage, seconds, reused))

    @property
    def timings(self) -> tuple[StageTiming, ...]:
        """In the stages' order (as a person reads the table), whatever order concurrent
        stages finished in."""
        order = list(Stage)
        with self._lock:
            return tuple(sorted(self._timings, key=lambda t: order.index(t.stage)))


class ProgressAdapter:
    """Events turned into ``progress(fraction, message)`` for a listener of the old shape
    (a job's reporter): each step is an equal share of the whole, and the fraction never
    goes back even when the two mixes report in turn. Safe to call from several threads."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._lock = threading.Lock()
        self._high = 0.0

    def __call__(self, event: StageEvent) -> None:
        step = event.stage.step - 1
        if isinstance(event, StageStarted):
            fraction, message = step / STEPS, event.stage.label
        elif isinstance(event, StageProgress):
            fraction = (step + min(max(event.fraction, 0.0), 1.0)) / STEPS
            message = f"{event.stage.label}: {event.message}"
        elif isinstance(event, StageFinished):
            fraction, message = (step + 1) / STEPS, event.stage.label
        else:
            return
        with self._lock:
            self._high = max(self._high, fraction)
            fraction = self._high
        # Outside the lock: the listener may raise (a cancelled job) and unwind the stage.
        self._progress(fraction, message)
