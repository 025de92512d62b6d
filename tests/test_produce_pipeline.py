"""``produce`` as one library call: typed stage events, the two mixes side by side, timings.

One cold production in process (real espeak-ng, ffmpeg, SQLite) with a listener recording
every event and the thread it came from; then the CLI's ``--timings`` on the same input,
which hands back the stored production and says so stage by stage.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from pathlib import Path

import pytest
from helpers import make_workspace, run
from test_produce import ARTICLE

from broadcast.errors import EngineError, InputError
from broadcast.model.events import (
    STEPS,
    ProgressAdapter,
    Stage,
    StageEvent,
    StageFinished,
    StageProgress,
    StageStarted,
)
from broadcast.produce import ProduceResult, produce
from broadcast.render.pipeline import side_by_side
from broadcast.store.workspace import find_workspace

AT = "2026-11-24 05:00"
Seen = list[tuple[StageEvent, float, str]]


@pytest.fixture(scope="module")
def cold(tmp_path_factory) -> tuple[Path, Path, ProduceResult, Seen]:
    tmp = tmp_path_factory.mktemp("pipeline")
    root = make_workspace(tmp / "ws")
    article = tmp / "bai-viet.md"
    article.write_text(ARTICLE, encoding="utf-8")
    seen: Seen = []
    lock = threading.Lock()

    def listen(event: StageEvent) -> None:
        with lock:
            seen.append((event, time.perf_counter(), threading.current_thread().name))

    result = produce(
        find_workspace(root),
        article,
        minutes=0.5,
        now=dt.datetime.fromisoformat(AT),
        on_event=listen,
    )
    return root, article, result, seen


def _at(seen: Seen, kind: type, stage: Stage) -> tuple[float, str]:
    found = [(t, name) for e, t, name in seen if type(e) is kind and e.stage is stage]
    assert len(found) == 1, (kind, stage, found)
    return found[0]


def test_the_two_mixes_run_at_the_same_time_on_two_threads(cold) -> None:
    _, _, result, seen = cold
    loud_start, loud_thread = _at(seen, StageStarted, Stage.LOUDSPEAKER)
    web_start, web_thread = _at(seen, StageStarted, Stage.WEB)
    loud_end, _ = _at(seen, StageFinished, Stage.LOUDSPEAKER)
    web_end, _ = _at(seen, StageFinished, Stage.WEB)
    assert loud_thread != web_thread
    assert max(loud_start, web_start) < min(loud_end, web_end), "their times overlap"
    # the video follows the web mix (it muxes its audio, its cues are the mix's times), on
    # the web mix's thread, and only the loudspeaker's branch may still be running
    video_start, video_thread = _at(seen, StageStarted, Stage.VIDEO)
    assert video_start > web_end and video_thread == web_thread
    assert result.wall_s < sum(t.seconds for t in result.timings), "overlap saves time"


def test_every_stage_is_announced_timed_and_made_now(cold) -> None:
    _, _, result, seen = cold
    assert [t.stage for t in result.timings] == list(Stage), "in the stages' order"
    assert not result.reused and not any(t.reused for t in result.timings), "a cold run"
    assert all(t.seconds > 0 for t in result.timings)
    for stage in Stage:
        assert _at(seen, StageStarted, stage)[0] <= _at(seen, StageFinished, stage)[0]
    counted = [e for e, _, _ in seen if isinstance(e, StageProgress) and e.stage is Stage.VOICE]
    assert counted and [e.done for e in counted] == list(range(1, result.sentences + 1))
    assert all(e.total == result.sentences for e in counted)
    drawn = [e for e, _, _ in seen if isinstance(e, StageProgress) and e.stage is Stage.VIDEO]
    assert drawn and all(0 <= e.fraction <= 1 and e.message for e in drawn)


def test_timings_option_prints_each_stage_reused_from_the_stored_production(cold) -> None:
    root, article, _, _ = cold
    result = run("-w", root, "produce", article, "--minutes", "0.5", "--at", AT, "--timings")
    assert result.exit_code == 0, result.output
    assert "đã có, không làm lại" in result.stdout
    table = result.stdout[result.stdout.index("Thời gian từng bước:") :].splitlines()[1:]
    assert [line.split("  ")[1].strip() for line in table[:-1]] == [s.timing_label for s in Stage]
    assert all(line.endswith("(dùng lại bản đã có)") for line in table[1:-1]), table
    assert table[-1].strip().startswith("Cả lần chạy")
    steps = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert [line[: len("[1/6]")] for line in steps] == [f"[{n}/{STEPS}]" for n in range(1, 7)]
    assert steps[3] == "[4/6] Trộn âm thanh và chuẩn hóa độ lớn (đã có, không làm lại)…"


def test_json_carries_timings_only_when_asked(cold) -> None:
    root, article, _, _ = cold
    args = ("-w", root, "produce", article, "--minutes", "0.5", "--at", AT, "--json")
    plain = json.loads(run(*args).stdout)
    assert "timings" not in plain and plain["reused"] is True
    timed = json.loads(run(*args, "--timings").stdout)
    assert [t["stage"] for t in timed["timings"]][:3] == ["read", "script", "voice"]
    assert {t["stage"] for t in timed["timings"]} == {s.value for s in Stage}
    assert timed["wall_s"] > 0 and timed["parallel"] is True


def test_progress_adapter_gives_a_job_one_rising_fraction() -> None:
    heard: list[tuple[float, str]] = []
    adapt = ProgressAdapter(lambda fraction, message: heard.append((fraction, message)))
    adapt(StageStarted(Stage.VOICE))
    adapt(StageProgress(Stage.VOICE, 0.5, "câu 2/4", 2, 4))
    adapt(StageStarted(Stage.LOUDSPEAKER))
    adapt(StageStarted(Stage.WEB))
    adapt(StageFinished(Stage.WEB, 1.0, False))
    adapt(StageFinished(Stage.LOUDSPEAKER, 2.0, False))  # later, but no step back
    adapt(StageStarted(Stage.VIDEO))
    fractions = [f for f, _ in heard]
    assert fractions == sorted(fractions)
    assert heard[1] == (2.5 / STEPS, "Đọc bằng giọng máy: câu 2/4")
    assert heard[-1] == (4 / STEPS, "Dựng video có phụ đề")


def test_an_error_in_either_branch_is_raised_once_after_both_ended() -> None:
    ended: list[str] = []

    def slow() -> str:
        time.sleep(0.3)
        ended.append("there")
        return "there"

    def fails() -> str:
        raise EngineError("ffmpeg không trộn được (thử nghiệm).")

    with pytest.raises(EngineError, match="thử nghiệm"):
        side_by_side(fails, slow)
    assert ended == ["there"], "the other branch was waited for, not left running"
    with pytest.raises(EngineError, match="thử nghiệm"):
        side_by_side(lambda: "here", fails)

    def refused() -> str:
        raise InputError("Cấu hình trộn sai (thử nghiệm).")

    with pytest.raises(InputError):  # both failed: this thread's error is the one reported
        side_by_side(refused, fails)
    assert side_by_side(lambda: 1, lambda: "two") == (1, "two")
