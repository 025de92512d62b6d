"""Jobs: long work (voice, mix, video, produce, translate) run by a worker, not by a request.

The values the store returns for the ``jobs`` table and the stages' progress callback type.
They live below the store and the stages so that the web workspace, the CLI and the worker
all read one shape of a job, whatever ran it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

Progress = Callable[[float, str], None]
"""``progress(fraction, message)``: how far a stage is (0..1) and what it is doing now, in
Vietnamese. A stage calls it as often as it likes; whoever listens throttles the writes."""


def no_progress(_fraction: float, _message: str) -> None:
    """The callback of a run nobody watches."""


class JobKind(StrEnum):
    PRODUCE = "produce"
    VOICE = "voice"
    MIX = "mix"
    VIDEO = "video"
    TRANSLATE = "translate"
    PUBLISH = "publish"

    @property
    def label(self) -> str:
        return {
            "produce": "làm bản tin",
            "voice": "đọc giọng",
            "mix": "trộn âm thanh",
            "video": "dựng video",
            "translate": "dịch nháp",
            "publish": "xuất bản",
        }[self.value]


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            "queued": "đang chờ",
            "running": "đang chạy",
            "done": "xong",
            "failed": "lỗi",
            "cancelled": "đã hủy",
        }[self.value]

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


@dataclass(frozen=True)
class Job:
    """One row of the ``jobs`` table. ``args`` and ``result`` are the JSON objects stored
    (plain values only: they cross a process boundary through the queue and the database)."""

    id: int
    kind: JobKind
    args: Mapping[str, object]
    subject: str  # what the job is about, for lists: "<script slug> · blt"
    state: JobState
    progress: float
    message: str  # what is happening now, in Vietnamese
    error: str | None  # the Vietnamese sentence of a failed job
    result: Mapping[str, object] | None
    created_by: int | None  # person id
    created_at: str
    started_at: str | None
    finished_at: str | None
    heartbeat_at: str | None
    huey_id: str | None
    attempts: int  # how many times a worker started it
    worker: str | None = None  # "host:pid" of the process that last ran it
