"""``produce`` as one library call: typed stage events, the mixes and video overlapped, timings.

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
from broadcast.render.pipeline import overlapped
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
    # the video starts from the web mix's plan while that mix is encoded, on a third
    # thread (this one), and ends after it: it muxes the finished mix's audio last
    video_start, video_thread = _at(seen, StageStarted, Stage.VIDEO)
    video_end, _ = _at(seen, StageFinished, Stage.VIDEO)
    assert web_start < video_start < web_end < video_end
    assert video_thread == threading.current_thread().name not in {loud_thread, web_thread}
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


def test_the_follower_starts_from_the_plan_and_waits_for_the_result() -> None:
    order: list[str] = []

    def early(on_plan) -> str:  # type: ignore[no-untyped-def]
        on_plan("plan")
        time.sleep(0.2)
        order.append("early done")
        return "mix"

    def follow(plan: str, result) -> str:  # type: ignore[no-untyped-def]
        order.append(f"follow from {plan}")
        return f"video of {result()}"

    assert overlapped(early, lambda: "other", follow) == ("mix", "other", "video of mix")
    assert order == ["follow from plan", "early done"], "it did not wait for the whole mix"


def test_an_error_in_any_branch_is_raised_once_after_all_ended() -> None:
    ended: list[str] = []

    def slow() -> str:
        time.sleep(0.3)
        ended.append("beside")
        return "beside"

    def fails(on_plan=None) -> str:  # type: ignore[no-untyped-def]
        raise EngineError("ffmpeg không trộn được (thử nghiệm).")

    def fails_after_plan(on_plan) -> str:  # type: ignore[no-untyped-def]
        on_plan("plan")
        time.sleep(0.1)
        raise EngineError("ffmpeg không mã hóa được (thử nghiệm).")

    def follow(plan: str, result) -> str:  # type: ignore[no-untyped-def]
        return f"video of {result()}"

    with pytest.raises(EngineError, match="trộn được"):  # before the plan: no hang
        overlapped(fails, slow, follow)
    assert ended == ["beside"], "the other branch was waited for, not left running"
    with pytest.raises(EngineError, match="mã hóa được"):  # after it: the mux step raises
        overlapped(fails_after_plan, slow, follow)
    with pytest.raises(EngineError, match="trộn được"):
        overlapped(lambda on_plan: on_plan("plan") or "mix", fails, lambda plan, result: 1)

    def refused(plan: str, result) -> str:  # type: ignore[no-untyped-def]
        raise InputError("Khổ video sai (thử nghiệm).")

    ended.clear()
    with pytest.raises(InputError):  # the follower's own error, after the others ended
        overlapped(lambda on_plan: on_plan("plan") or "mix", slow, refused)
    assert ended == ["beside"]
