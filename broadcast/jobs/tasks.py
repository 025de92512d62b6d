"""The kinds of job and their life: submitted by a person, run by a worker, watched by anyone.

Each kind calls the very stage function its CLI command calls (``run_voice``, ``run_mix``,
``run_video``, ``produce``, ``translate_script``, ``publish``), so a job and a command can
never differ in a rule. Roles are checked twice: when the job is submitted (the person learns
at once) and when it starts (a role revoked meanwhile counts). The gate and every other stage
rule apply inside the stage as they do for the CLI.

Progress reaches the database through ``Reporter``: the stage calls it as often as it likes,
from the worker thread; a thread of the reporter writes the latest value at most every
``Reporter.INTERVAL_S`` (and a heartbeat every ``HEARTBEAT_S``), so a job costs the database
at most four small writes a second, and no write happens inside a stage's transaction.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import BroadcastError, InputError
from broadcast.model.jobs import Job, JobKind, JobState, Progress
from broadcast.model.people import Person, Role
from broadcast.people.permissions import require_role
from broadcast.store import jobs as store
from broadcast.store.db import Database
from broadcast.store.workspace import Workspace, find_workspace

HEARTBEAT_S = 5.0
QUEUED = "Đang chờ đến lượt"
STARTING = "Đang bắt đầu"
DONE = "Xong"
CANCELLED = "Đã hủy theo yêu cầu"


class JobCancelled(Exception):
    """Raised inside a stage (from its progress callback) once the job was cancelled, to
    unwind it through its own clean-up; not a BroadcastError, so nothing reports it as a
    failure."""


class JobTimedOut(Exception):
    """Raised inside a stage (from its progress callback) once the job ran longer than the
    station's ``[jobs] timeout_minutes``: it unwinds through its clean-up as a cancel does,
    and the job is recorded failed, saying so."""


def timeout_s(ws: Workspace) -> float:
    """The station's ``[jobs] timeout_minutes`` in seconds."""
    return ws.station.timeout_minutes * 60.0


def timed_out(minutes: float) -> str:
    return (
        f"Công việc chạy quá {minutes:g} phút nên đã dừng; hãy chạy lại, hoặc báo người quản "
        "trị tăng [jobs] timeout_minutes nếu công việc này vốn dài."
    )


def worker_id() -> str:
    """Who runs a job: "host:pid", enough to tell later whether that process still lives."""
    return f"{socket.gethostname()}:{os.getpid()}"


# --- the kinds -------------------------------------------------------------------------------

Args = dict[str, object]


@dataclass(frozen=True)
class KindSpec:
    """A kind of job: its arguments (name -> default; ``REQUIRED`` for none), the check
    made before it is queued and before it runs (returns the job's subject), and the run."""

    defaults: Mapping[str, object]
    check: Callable[[Workspace, Person, Args], str]
    run: Callable[[Workspace, Person, Args, Progress], dict[str, object]]


REQUIRED = object()


def _args(kind: JobKind, given: Mapping[str, object]) -> Args:
    """The kind's arguments with defaults filled in; unknown, missing or mistyped ones are
    refused in one sentence naming them."""
    spec = KINDS[kind]
    unknown = sorted(set(given) - set(spec.defaults))
    if unknown:
        raise InputError(
            f"Công việc {kind.label} không có tham số {', '.join(unknown)}; các tham số: "
            f"{', '.join(spec.defaults)}."
        )
    args: Args = {}
    for name, default in spec.defaults.items():
        value = given.get(name, default)
        if value is REQUIRED:
            raise InputError(f"Công việc {kind.label} cần tham số '{name}'; hãy điền vào.")
        if not _type_ok(value, default):
            raise InputError(
                f"Tham số '{name}' của công việc {kind.label} không đúng kiểu "
                f"({value!r}); hãy kiểm tra lại."
            )
        args[name] = value
    return args


def _type_ok(value: object, default: object) -> bool:
    """A value of the default's type (a whole number where a decimal one is expected too);
    text, a flag or nothing where the default is nothing."""
    if value is None or default is REQUIRED:
        return True
    if default is None:
        return isinstance(value, str | bool)
    if isinstance(value, bool) != isinstance(default, bool):
        return False
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


def _text(args: Args, name: str) -> str:
    return str(args[name])


def _optional(args: Args, name: str) -> str | None:
    value = args.get(name)
    return None if value is None else str(value)


def _render_check(ws: Workspace, person: Person, args: Args) -> str:
    """Renders need the producer's role (as ``broadcast voice|mix|video``); the subject is
    the stored script's slug and the language."""
    from broadcast.store.records import find_script

    require_role(person, Role.PRODUCER)
    with ws.open_db() as db:
        slug = find_script(db, _text(args, "script")).slug
    return f"{slug} · {_text(args, 'language')}"


def _rel(ws: Workspace, path: Path) -> str:
    try:
        return str(path.relative_to(ws.root))
    except ValueError:
        return str(path)


def _run_voice(ws: Workspace, person: Person, args: Args, progress: Progress) -> Args:
    from broadcast.render.jobs import run_voice

    job = run_voice(
        ws,
        _text(args, "script"),
        language=_text(args, "language"),
        voice_profile=_optional(args, "voice_profile"),
        progress=progress,
    )
    stage = job.voice
    return {
        "script": job.slug,
        "language": job.language,
        "sentences": len(stage.clips),
        "synthesized": stage.synthesized,
        "seconds": round(stage.seconds, 2),
        "engine": stage.engine_label,
        "notice": stage.notice,
        "reused": stage.reused,
    }


def _run_mix(ws: Workspace, person: Person, args: Args, progress: Progress) -> Args:
    from broadcast.render.jobs import run_mix

    job = run_mix(
        ws,
        _text(args, "script"),
        profile=_text(args, "profile"),
        language=_text(args, "language"),
        voice_profile=_optional(args, "voice_profile"),
        with_bed=bool(args["with_bed"]),
        progress=progress,
    )
    loud = job.loudness
    return {
        "script": job.slug,
        "language": job.language,
        "profile": job.profile,
        "path": _rel(ws, job.path),
        "duration_s": round(job.duration_s, 2),
        "loudness_lufs": loud.integrated_lufs,
        "loudness_range_lu": loud.range_lu,
        "true_peak_db": loud.true_peak_db,
        "notice": job.voice.notice,
        "reused": {"voice": job.voice.reused, "mix": job.mix.reused},
        "written": job.written,
    }


def _run_video(ws: Workspace, person: Person, args: Args, progress: Progress) -> Args:
    from broadcast.render.jobs import run_video

    bar = args.get("progress_bar")
    job = run_video(
        ws,
        _text(args, "script"),
        video_format=_text(args, "video_format"),
        language=_text(args, "language"),
        voice_profile=_optional(args, "voice_profile"),
        cfr=bool(args["cfr"]),
        progress_bar=None if bar is None else bool(bar),
        with_bed=bool(args["with_bed"]),
        progress=progress,
    )
    return {
        "script": job.slug,
        "language": job.language,
        "format": job.video.format,
        **{role: _rel(ws, path) for role, path in job.paths.items()},
        "duration_s": round(job.video.duration_s, 2),
        "cues": len(job.video.cues),
        "notice": job.voice.notice,
        "reused": job.reused,
        "written": job.written,
    }


def _article(ws: Workspace, args: Args) -> Path:
    path = Path(_text(args, "article")).expanduser()
    return path if path.is_absolute() else ws.root / path


def _produce_check(ws: Workspace, person: Person, args: Args) -> str:
    """As ``broadcast produce``: a producer (or content approver), and ``approve`` only for
    a content approver; the article must exist."""
    from broadcast.review.vetting import can_approve
    from broadcast.schedule.model import Priority

    require_role(person, Role.PRODUCER, alternatives=(Role.CONTENT_APPROVER,))
    if args["approve"] and not can_approve(person):
        require_role(person, Role.CONTENT_APPROVER)
    try:
        priority = Priority(_text(args, "priority"))
    except ValueError:
        priority = Priority.EMERGENCY
    if priority is Priority.EMERGENCY:
        raise InputError(
            "Loại tin của bản tin phải là 'normal' hoặc 'priority'; tin khẩn cấp dùng "
            "'broadcast schedule add --priority emergency --now'."
        )
    path = _article(ws, args)
    if not path.exists():
        raise InputError(f"Không tìm thấy bài viết {path}; hãy tải bài lên rồi chạy lại.")
    return path.name


def _run_produce(ws: Workspace, person: Person, args: Args, progress: Progress) -> Args:
    """The CLI's very ``produce``; its typed stage events become the job's rising fraction
    and message (``ProgressAdapter``), and its result keeps each stage's wall time."""
    from broadcast.model.events import ProgressAdapter
    from broadcast.produce import produce
    from broadcast.schedule.model import Priority
    from broadcast.schedule.onair import refresh

    refresh(ws)  # as the CLI: a void made since the last run leaves the air first
    zones = args["zones"]
    result = produce(
        ws,
        _article(ws, args),
        minutes=float(str(args["minutes"])),
        title=_optional(args, "title"),
        on_event=ProgressAdapter(progress),
        allow_bad_text=bool(args["allow_bad_text"]),
        approve=bool(args["approve"]),
        person=person,
        zones=tuple(str(z) for z in zones) if isinstance(zones, list) else (str(zones),),
        days=int(str(args["days"])),
        priority=Priority(_text(args, "priority")),
    )
    value = json.loads(result.as_json(timings=True))
    return dict(value) if isinstance(value, dict) else {}


def _translate_check(ws: Workspace, person: Person, args: Args) -> str:
    from broadcast.store.records import find_script
    from broadcast.translate.draft import editable_languages

    codes = editable_languages(ws, _text(args, "to"), person)
    with ws.open_db() as db:
        slug = find_script(db, _text(args, "script")).slug
    return f"{slug} · {', '.join(codes)}"


def _run_translate(ws: Workspace, person: Person, args: Args, progress: Progress) -> Args:
    from broadcast.translate.draft import DraftResult, translate_script

    progress(0.05, "Đang dịch nháp theo bộ nhớ, thuật ngữ và máy dịch")
    script, results = translate_script(
        ws,
        _text(args, "script"),
        _text(args, "to"),
        person,
        engine=_optional(args, "engine"),
        update=bool(args["update"]),
    )
    languages: list[dict[str, object]] = []
    for r in results:
        if isinstance(r, DraftResult):
            languages.append({"language": r.language, "segments": len(r.segments)})
        else:
            languages.append({"language": r.language, "refilled": len(r.refilled)})
    return {"script": script.slug, "languages": languages}


def _publish_check(ws: Workspace, person: Person, args: Args) -> str:
    """As ``broadcast publish``: the producer's role, known channels and an approved script
    (the stage's own gate, so the person learns at once); the subject names the channels."""
    from broadcast.publish.publish import parse_channels
    from broadcast.review.gate import require_approved
    from broadcast.store.records import find_script

    require_role(person, Role.PRODUCER)
    channels = parse_channels(_optional(args, "to"))
    with ws.open_db() as db:
        script = find_script(db, _text(args, "script"))
        require_approved(db, script.id, script.language)
    return f"{script.slug} · {', '.join(channels)}"


def _run_publish(ws: Workspace, person: Person, args: Args, progress: Progress) -> Args:
    """``publish`` one channel at a time, so the progress says which channel is being made
    (a social pack re-encodes the video) and a cancel stops between channels."""
    from broadcast.publish.log import LOG_CHANNELS
    from broadcast.publish.publish import parse_channels, publish

    channels = parse_channels(_optional(args, "to"))
    written: dict[str, list[str]] = {}
    slug = _text(args, "script")
    for index, name in enumerate(channels):
        label = LOG_CHANNELS.get(name, name)
        step = f"({index + 1}/{len(channels)})"
        progress(index / len(channels), f"Đang làm tệp cho kênh {label} {step}")
        result = publish(ws, _text(args, "script"), [name])
        slug = result.script.slug
        written[name] = [_rel(ws, path) for path in result.files.get(name, [])]
    progress(1.0, "Đã xuất bản xong")
    return {
        "script": slug,
        "channels": written,
        "files": sum(len(paths) for paths in written.values()),
    }


_RENDER = {"script": REQUIRED, "language": "vi", "voice_profile": None}
KINDS: dict[JobKind, KindSpec] = {
    JobKind.VOICE: KindSpec(_RENDER, _render_check, _run_voice),
    JobKind.MIX: KindSpec(
        {**_RENDER, "profile": "loudspeaker", "with_bed": True}, _render_check, _run_mix
    ),
    JobKind.VIDEO: KindSpec(
        {
            **_RENDER,
            "video_format": "vertical",
            "cfr": False,
            "progress_bar": None,
            "with_bed": True,
        },
        _render_check,
        _run_video,
    ),
    JobKind.PRODUCE: KindSpec(
        {
            "article": REQUIRED,
            "minutes": 3.0,
            "title": None,
            "approve": False,
            "zones": ["all"],
            "days": 7,
            "priority": "normal",
            "allow_bad_text": False,
        },
        _produce_check,
        _run_produce,
    ),
    JobKind.TRANSLATE: KindSpec(
        {"script": REQUIRED, "to": REQUIRED, "engine": None, "update": False},
        _translate_check,
        _run_translate,
    ),
    JobKind.PUBLISH: KindSpec({"script": REQUIRED, "to": None}, _publish_check, _run_publish),
}


def parse_kind(text: str) -> JobKind:
    try:
        return JobKind(text)
    except ValueError:
        names = ", ".join(f"{k.value} ({k.label})" for k in JobKind)
        raise InputError(f"Không có loại công việc '{text}'; các loại: {names}.") from None


# --- submit, read, cancel --------------------------------------------------------------------


def submit(ws: Workspace, kind: JobKind | str, args: Mapping[str, object], person: Person) -> int:
    """Check the person's roles and the arguments, record the job and queue it; its id.

    Refused (InputError, nothing recorded) when the person may not do this work or an
    argument is wrong, as the CLI command would refuse it."""
    from broadcast.jobs.queue import enqueue

    chosen = kind if isinstance(kind, JobKind) else parse_kind(kind)
    full = _args(chosen, args)
    subject = KINDS[chosen].check(ws, person, full)
    with ws.open_db() as db:
        job_id = store.insert_job(
            db, chosen, full, subject=subject, created_by=person.id, message=QUEUED
        )
        try:
            huey_id = enqueue(ws, job_id)
        except Exception:
            store.fail(db, job_id, None, "Không đưa được công việc vào hàng đợi; hãy thử lại.")
            raise
        store.set_huey_id(db, job_id, huey_id)
    return job_id


def get(ws: Workspace, job_id: int) -> Job:
    with ws.open_db() as db:
        job = store.get_job(db, job_id)
    if job is None:
        raise InputError(f"Không có công việc số {job_id}; hãy xem danh sách công việc.")
    return job


def list_jobs(
    ws: Workspace,
    *,
    states: tuple[JobState, ...] = (),
    kinds: tuple[JobKind, ...] = (),
    person: Person | None = None,
    limit: int = 50,
) -> list[Job]:
    """Newest first; ``person`` keeps only the jobs that person submitted."""
    with ws.open_db() as db:
        return store.list_jobs(
            db,
            states=states,
            kinds=kinds,
            created_by=person.id if person is not None else None,
            limit=limit,
        )


def cancel(ws: Workspace, job_id: int, person: Person) -> Job:
    """Cancel a queued or running job: its submitter or an admin may. A running stage stops
    at its next progress report and unwinds through its own clean-up."""
    job = get(ws, job_id)
    if job.created_by != person.id:
        require_role(person, Role.ADMIN)
    if job.state.finished:
        raise InputError(
            f"Công việc số {job_id} đã kết thúc ({job.state.label}) nên không hủy được nữa."
        )
    with ws.open_db() as db:
        store.cancel(db, job_id, CANCELLED)
    return get(ws, job_id)


# --- running ---------------------------------------------------------------------------------


class Reporter:
    """The progress callback of one run, and the thread that writes it (throttled)."""

    INTERVAL_S = 0.25  # at most four progress writes a second
    LOOK_S = 1.0  # between two reads of a silent job's row (cancelled meanwhile?)

    def __init__(
        self, ws: Workspace, job_id: int, attempt: int, limit_s: float | None = None
    ) -> None:
        import time

        self.ws = ws
        self.job_id = job_id
        self.attempt = attempt
        self.deadline = time.monotonic() + (timeout_s(ws) if limit_s is None else limit_s)
        self._lock = threading.Lock()
        self._latest: tuple[float, str] | None = None
        self._stop = threading.Event()
        self.cancelled = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"broadcast-job-{job_id}-progress", daemon=True
        )

    def __call__(self, fraction: float, message: str) -> None:
        import time

        if self.cancelled.is_set():
            raise JobCancelled
        if time.monotonic() > self.deadline:
            raise JobTimedOut
        with self._lock:
            self._latest = (fraction, message)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        import time

        last_write = last_look = time.monotonic()
        with self.ws.open_db() as db:
            while True:
                stopping = self._stop.wait(self.INTERVAL_S)
                with self._lock:
                    latest, self._latest = self._latest, None
                now = time.monotonic()
                owned = True
                try:
                    if latest is None and now - last_write < HEARTBEAT_S:
                        if now - last_look >= self.LOOK_S:  # a cheap read: cancelled yet?
                            job = store.get_job(db, self.job_id)
                            owned = job is not None and self._owns(job)
                            last_look = now
                    else:
                        if latest is None:  # nothing new: the heartbeat repeats the last
                            job = store.get_job(db, self.job_id)
                            latest = (job.progress, job.message) if job else (0.0, "")
                        owned = store.report(db, self.job_id, self.attempt, *latest)
                        last_write = last_look = now
                except BroadcastError:
                    pass  # a busy database: the next beat tries again
                if not owned:
                    self.cancelled.set()
                if stopping:
                    return

    def _owns(self, job: Job) -> bool:
        return job.state is JobState.RUNNING and job.attempts == self.attempt


def execute(root: Path, job_id: int) -> None:
    """Run one job to its end (the body of the Huey task): claim it, run its stage with a
    reporter, and record done, failed (the stage's Vietnamese sentence) or nothing (it was
    cancelled or given up meanwhile)."""
    ws = find_workspace(root)
    # On a province server the job's session lock is held on a connection of its own for the
    # whole run: a second message for the same job (re-queued while this worker only seemed
    # dead) finds it taken and leaves, and the recovery of any machine sees this run alive.
    holder = None if isinstance(ws.database, Path) else Database(ws.database)
    try:
        if holder is not None and not store.hold_job_lock(holder, job_id):
            return
        _execute(ws, job_id)
    finally:
        if holder is not None:
            holder.close()  # the server lets the lock go with the connection


def _execute(ws: Workspace, job_id: int) -> None:
    from broadcast.errorlog import record_crash
    from broadcast.store.people import person_by_id

    with ws.open_db() as db:
        attempt = store.claim(db, job_id, worker_id(), STARTING)
        if attempt is None:
            return  # cancelled while queued, or another worker took it
        job = store.get_job(db, job_id)
        person = person_by_id(db, job.created_by) if job and job.created_by else None
    assert job is not None
    reporter = Reporter(ws, job_id, attempt)
    reporter.start()
    outcome: tuple[str, object]
    try:
        if person is None:
            raise InputError(
                "Không còn người đã tạo công việc này trong không gian làm việc; hãy tạo lại."
            )
        spec = KINDS[job.kind]
        args = _args(job.kind, job.args)
        spec.check(ws, person, args)  # a role revoked since the job was queued counts
        outcome = ("done", spec.run(ws, person, args, reporter))
    except JobCancelled:
        outcome = ("cancelled", None)
    except JobTimedOut:
        outcome = ("failed", timed_out(timeout_s(ws) / 60.0))
    except BroadcastError as exc:
        outcome = ("failed", exc.message)
    except Exception as exc:  # noqa: BLE001 - the job records it; the worker lives on
        crash = record_crash(exc, ws.root)
        outcome = ("failed", crash.sentence(f"broadcast {job.kind.value}"))
    finally:
        reporter.stop()
    with ws.open_db() as db:
        state, value = outcome
        if state == "done" and isinstance(value, dict):
            store.finish(db, job_id, attempt, value, DONE)
        elif state == "failed":
            store.fail(db, job_id, attempt, str(value))
