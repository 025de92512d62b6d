"""``produce``: one article through every stage to audio, video and a campaign item.

Outputs are built in a staging folder and moved into ``out/`` only when every stage has
succeeded; the database rows are written in one transaction with that move. A failed run
therefore leaves neither half a folder in ``out/`` nor orphan rows. A run killed outright
(SIGKILL, power cut) between the move and the commit leaves its folder marked as its own
(``.broadcast-run``); the next command's start-up sweep removes it, or adopts it if the
commit did happen.

Versions, not copies: the same article with the same options gives back the stored script
and renders ("đã có, không làm lại"); a changed article (or other options) at the same place
makes the next version of the same script. Produce writes no playlist of its own: the
segment becomes a campaign item of the planner, which waits for the content approval
("chờ duyệt nội dung") unless the person running it may approve and asks to
(``approve=True``); then the item is planned at once and its playlists exported. Under the
four-eyes rule the maker of a script may not approve it: ``--approve`` by the person who
would make the script (or who made the unchanged article's script) is refused before any
rendering, with nothing written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.errors import InputError
from broadcast.model.events import (
    STEP_LABELS,
    OnEvent,
    Stage,
    StageClock,
    StageStarted,
    StageTiming,
    no_event,
)
from broadcast.model.time import station_now
from broadcast.schedule.model import Priority
from broadcast.script.save import input_sha256, stored_article
from broadcast.store import records
from broadcast.store.files import atomic_write_text, sha256_file, temp_prefix
from broadcast.store.hashes import sentence_sha256
from broadcast.store.naming import slugify
from broadcast.store.renders import set_render_details
from broadcast.store.workspace import Workspace, mark_run, unmark_run
from broadcast.text.ingest import read_article
from broadcast.text.model import Article
from broadcast.text.quality import require_good_text

if TYPE_CHECKING:
    from broadcast.model.people import Person
    from broadcast.script.glossary import Glossary
    from broadcast.script.model import Script

STAGES = STEP_LABELS  # the six numbered steps a person sees ("[4/6] Trộn âm thanh…")

AWAITING = "chờ duyệt nội dung"
DEFAULT_DAYS = 7  # a produced segment airs for a week unless told otherwise


@dataclass(frozen=True)
class ProduceResult:
    script_id: int
    slug: str
    name: str  # the script's name, shared by its versions
    version: int
    reused: bool  # the same input was produced before: nothing was made again
    out_dir: Path
    audio: Path
    video: Path
    srt: Path
    script_text: Path
    duration_s: float
    loudness_lufs: float
    true_peak_db: float
    sentences: int
    approved: bool
    state: str  # the vetting state's Vietnamese name
    item_id: int | None
    playlists: tuple[Path, ...] = field(default=())
    versions: tuple[records.ScriptVersion, ...] = field(default=())  # the history, oldest first
    timings: tuple[StageTiming, ...] = field(default=())  # each stage's wall time, in order
    wall_s: float = 0.0  # the whole call (less than the timings' sum: the mixes overlap)
    parallel: bool = True  # the two mixes and the video overlapped

    def as_json(self, *, timings: bool = False) -> str:
        """The result for ``--json`` and for a job's stored result; with ``timings`` also
        each stage's wall time and whether it was reused."""
        extra: dict[str, object] = {}
        if timings:
            extra["wall_s"] = round(self.wall_s, 3)
            extra["parallel"] = self.parallel
            extra["timings"] = [
                {
                    "stage": t.stage.value,
                    "label": t.stage.timing_label,
                    "seconds": round(t.seconds, 3),
                    "reused": t.reused,
                }
                for t in self.timings
            ]
        return json.dumps(
            {
                "script_id": self.script_id,
                "slug": self.slug,
                "name": self.name,
                "version": self.version,
                "reused": self.reused,
                "out_dir": str(self.out_dir),
                "audio": str(self.audio),
                "video": str(self.video),
                "srt": str(self.srt),
                "script": str(self.script_text),
                "duration_s": round(self.duration_s, 2),
                "loudness_lufs": self.loudness_lufs,
                "true_peak_db": self.true_peak_db,
                "sentences": self.sentences,
                "approved": self.approved,
                "state": self.state,
                "item_id": self.item_id,
                "playlists": [str(p) for p in self.playlists],
                "versions": [
                    {"version": v.version, "slug": v.slug, "id": v.id, "created_at": v.created_at}
                    for v in self.versions
                ],
                **extra,
            },
            ensure_ascii=False,
            indent=2,
        )


def script_text(script: Script) -> str:
    """The script as an announcer reads it: written form, with the spoken form beneath."""
    lines = [f"# {script.title}", ""]
    for number, sentence in enumerate(script.sentences, start=1):
        lines.append(f"{number}. [{sentence.role.value}] {sentence.written}")
        if sentence.spoken != sentence.written:
            lines.append(f"   (đọc: {sentence.spoken})")
    return "\n".join(lines) + "\n"


def _require_approver(person: Person | None) -> None:
    from broadcast.review.vetting import can_approve

    if person is None or not can_approve(person):
        who = f"Người dùng '{person.login}'" if person is not None else "Người chạy lệnh"
        raise InputError(
            f"{who} chưa có vai trò 'duyệt nội dung' nên không dùng được --approve; bỏ --approve "
            "để bản tin chờ người duyệt, hoặc nhờ người quản trị cấp vai trò bằng 'broadcast "
            "user grant'."
        )


def produce(
    ws: Workspace,
    article_path: Path,
    *,
    minutes: float = 3.0,
    title: str | None = None,
    now: dt.datetime | None = None,
    on_event: OnEvent = no_event,
    allow_bad_text: bool = False,
    approve: bool = False,
    person: Person | None = None,
    zones: tuple[str, ...] = ("all",),
    days: int = DEFAULT_DAYS,
    priority: Priority = Priority.NORMAL,
    parallel: bool = True,
) -> ProduceResult:
    """Run every stage for Vietnamese; see the module docstring for the guarantees.

    The one production call of the CLI, the web workspace and the workers: ``on_event``
    hears typed stage events (``broadcast.model.events``; ``ProgressAdapter`` turns them
    into a job's fraction), and the result carries each stage's wall time. ``parallel``
    off runs the mixes and the video one after the other (to measure what overlapping saves)."""
    from broadcast.schedule.grid import ALL_ZONES, workspace_grid

    started = time.perf_counter()
    clock = StageClock(on_event)
    now = now or station_now()
    if person is not None:  # refused before any work, not after minutes of rendering
        from broadcast.model.people import Role as PersonRole
        from broadcast.people.permissions import require_role

        require_role(person, PersonRole.PRODUCER, alternatives=(PersonRole.CONTENT_APPROVER,))
    if approve:
        _require_approver(person)
    if days < 1 or days > 366:
        raise InputError("Số ngày phát (--days) phải từ 1 đến 366.")
    grid = workspace_grid(ws)
    zone_ids = grid.resolve_zones(zones) if zones != (ALL_ZONES,) else (ALL_ZONES,)

    with clock.stage(Stage.READ):
        article = read_article(article_path, title=title)
        if not allow_bad_text:  # a voice reading text without its tones misleads listeners
            require_good_text(f"{article.title}\n\n{article.body}", article_path)
        from broadcast.script.spoken.station import station_glossary

        # The station's saved readings change what the voice says: they are part of the input.
        glossary = station_glossary(ws)
        key = input_sha256(article, minutes, readings=glossary.station_key)

    with ws.open_db() as db:
        existing = records.script_by_input(db, key, "vi")
        outputs = records.script_outputs(db, existing.id, "vi") if existing else {}
    stored = _stored(ws, existing, outputs)
    if stored is not None and approve and person is not None:
        # The unchanged article's script: its maker (or last editor) may not approve it under
        # the four-eyes rule; refused here, before the item or any approval is written.
        from broadcast.review.vetting import check_self_approval

        with ws.open_db() as db:
            check_self_approval(db, stored.script_id, person, four_eyes=ws.station.four_eyes)
    if stored is not None:
        for stage in (Stage.SCRIPT, Stage.VOICE, Stage.LOUDSPEAKER, Stage.WEB, Stage.VIDEO):
            clock.finish(stage, 0.0, True)  # the stored renders are handed back
        made = stored
    else:
        made_now = _make(
            ws,
            article,
            minutes,
            now,
            key,
            existing,
            outputs,
            clock,
            person,
            approver=person if approve else None,
            glossary=glossary,
            parallel=parallel,
        )
        if made_now is None:
            with ws.open_db() as db:
                existing = records.script_by_input(db, key, "vi")
                outputs = records.script_outputs(db, existing.id, "vi") if existing else {}
            made_now = _stored(ws, existing, outputs)
            if made_now is None:
                raise InputError(
                    "Một người khác vừa làm bản tin từ chính bài này nhưng chưa xong; hãy chạy "
                    "lại lệnh sau ít phút."
                )
        made = made_now

    # Announced once the rows are committed (a kill at "[6/6]" finds the segment stored);
    # its time counts the copy into out/ and the commit too.
    clock.on_event(StageStarted(Stage.SAVE))
    start = time.perf_counter()
    result = _vet_and_schedule(
        ws,
        made,
        now,
        approve=approve,
        person=person,
        zones=zone_ids,
        days=days,
        priority=priority,
    )
    clock.finish(Stage.SAVE, made.save_s + time.perf_counter() - start, made.reused)
    wall_s = time.perf_counter() - started
    return dataclasses.replace(result, timings=clock.timings, wall_s=wall_s, parallel=parallel)


class _MadeMeanwhile(Exception):
    """Another run stored the same input while this one rendered: this run's work is
    dropped (nothing of it was written) and the stored production is handed back."""


@dataclass(frozen=True)
class _Made:
    script_id: int
    slug: str
    name: str
    version: int
    reused: bool
    out_dir: Path
    duration_s: float
    loudness_lufs: float
    true_peak_db: float
    sentences: int
    topic: str | None
    save_s: float = 0.0  # copying into out/ and committing the rows


def _stored(
    ws: Workspace,
    existing: records.ScriptVersion | None,
    outputs: dict[str, records.StoredOutput],
) -> _Made | None:
    """The stored production of this very input, when its files are all still there."""
    if existing is None or "audio" not in outputs or "video" not in outputs:
        return None
    folder = ws.root / outputs["audio"].path.parent
    names = ("audio.mp3", "video.mp4", "subtitles.srt", "script.txt")
    if not all((folder / n).is_file() for n in names):
        return None
    audio = outputs["audio"]
    with ws.open_db() as db:
        count = len(records.sentence_hashes(db, existing.id))
        topic = records.script_topic(db, existing.slug)
    return _Made(
        existing.id,
        existing.slug,
        existing.name,
        existing.version,
        True,
        folder,
        float(audio.duration_s or 0),
        float(audio.loudness_lufs or 0),
        float(audio.true_peak_db or 0),
        count,
        topic.value if topic else None,
    )


def _make(
    ws: Workspace,
    article: Article,
    minutes: float,
    now: dt.datetime,
    key: str,
    existing: records.ScriptVersion | None,
    outputs: dict[str, records.StoredOutput],
    clock: StageClock,
    person: Person | None,
    *,
    approver: Person | None = None,
    glossary: Glossary | None = None,
    parallel: bool = True,
) -> _Made | None:
    """Build, render and store; None when another run stored the same input meanwhile.

    With ``approver`` (``--approve``) the four-eyes rule is checked once the text is known
    and before any rendering: the script approved will be one saved earlier from this input
    with these very sentences (its maker counts) or a new one made by the approver."""
    # Imported here: a re-run handed the stored production back loads neither the script
    # builder (its scorer's numpy) nor the render stages, and answers in a fraction of a second.
    from broadcast.render.pipeline import SegmentInput, render_segment
    from broadcast.script.build import build_script
    from broadcast.script.glossary import load_glossary
    from broadcast.script.model import Role
    from broadcast.text.images import read_article_images

    station = ws.station
    with clock.stage(Stage.SCRIPT):
        script = build_script(article, station, minutes, glossary or load_glossary())
    hashes = [sentence_sha256(s.written, s.spoken) for s in script.sentences]
    if approver is not None:
        from broadcast.review.vetting import check_self_approval

        with ws.open_db() as db:
            saved = (
                existing
                if existing is not None and records.sentence_hashes(db, existing.id) == hashes
                else None
            )
            check_self_approval(
                db, saved.id if saved else None, approver, four_eyes=station.four_eyes
            )

    ws.staging_dir.mkdir(parents=True, exist_ok=True)
    # The process id in the name tells the start-up sweep whether its owner still runs.
    stage = Path(tempfile.mkdtemp(prefix=temp_prefix("produce"), dir=ws.staging_dir))
    stage.chmod(0o755)  # mkdtemp makes it private; out/ is shared with players and editors
    try:
        # The same cached stages as `broadcast voice|mix|video`: a re-run reuses them.
        written = [s.written for s in script.sentences]
        renders = render_segment(
            ws,
            SegmentInput(
                spoken=[s.spoken for s in script.sentences],
                written=written,
                breaks_after={i for i, s in enumerate(script.sentences) if s.role is not Role.BODY},
                title=script.title,
                date_text=now.strftime("%d/%m/%Y"),
                images=read_article_images(article, written),
            ),
            clock=clock,
            parallel=parallel,
        )
        voice, mix, web, clip = renders.voice, renders.loudspeaker, renders.web, renders.video
        save_start = time.perf_counter()
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

        ws.out_dir.mkdir(exist_ok=True)
        try:
            with ws.open_db() as db, db.transaction() as conn:
                # Read again under the write lock: another run may have stored this very input
                # while this one rendered (two producers, one article). Theirs is the script.
                existing = records.script_by_input(db, key, script.language)
                outputs = (
                    records.script_outputs(db, existing.id, script.language) if existing else {}
                )
                if existing is not None and "audio" in outputs:
                    raise _MadeMeanwhile
                # A script saved earlier (`script --save`) from this input, not voiced yet and
                # with the same sentences: these renders are its own; no new row.
                attach = (
                    existing
                    if existing is not None
                    and "audio" not in outputs
                    and records.sentence_hashes(db, existing.id) == hashes
                    and not (ws.out_dir / existing.slug).exists()
                    else None
                )
                if attach is not None:
                    slug, name, version = attach.slug, attach.name, attach.version
                else:
                    prior = existing or records.latest_version_from_source(
                        db, stored_article(ws, article)[1], script.language
                    )
                    # Chosen inside the write transaction: two runs never take the same name.
                    slug, name, version = records.allocate_slug(
                        conn,
                        f"{now:%Y-%m-%d}-{slugify(script.title)}",
                        name=prior.name if prior else None,
                        folder_taken=lambda s: (ws.out_dir / s).exists(),
                    )
                final = ws.out_dir / slug
                # Until the rows are committed the folder is marked as this run's: a kill in
                # between leaves a marked folder that the next start removes.
                mark_run(stage)
                stage.replace(final)
                try:
                    rel = final.relative_to(ws.root)
                    rows = [
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
                    ids = records.save_production(
                        db,
                        article=stored_article(ws, article)[0],
                        script=script,
                        slug=slug,
                        timings=mix.timings,
                        renders=rows,
                        script_id=attach.id if attach is not None else None,
                        by=person.login if person is not None else "producer",
                    )
                    records.set_script_version(
                        conn, ids["script"], name=name, version=version, input_sha256=key
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
                except BaseException:
                    shutil.rmtree(final, ignore_errors=True)
                    raise
        except _MadeMeanwhile:
            return None
        unmark_run(final)  # committed: the folder belongs to the stored segment now
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return _Made(
        ids["script"],
        slug,
        name,
        version,
        False,
        final,
        mix.duration_s,
        mix.loudness.integrated_lufs,
        mix.loudness.true_peak_db,
        len(script.sentences),
        script.topic.value if script.topic else None,
        time.perf_counter() - save_start,
    )


def _vet_and_schedule(
    ws: Workspace,
    made: _Made,
    now: dt.datetime,
    *,
    approve: bool,
    person: Person | None,
    zones: tuple[str, ...],
    days: int,
    priority: Priority,
) -> ProduceResult:
    """The campaign item (one per script, whatever its versions), the approval when asked
    for, and, once approved, the plan of the item's days with their playlists."""
    from broadcast.review.vetting import approve_script, script_state, submit_script
    from broadcast.schedule.campaign import add_pending_item, replan_for_script

    with ws.open_db() as db:
        item_id = add_pending_item(
            db,
            made.script_id,
            first_day=now.date(),
            days=days,
            zones=zones,
            priority=priority,
            topic=made.topic,
        )
        state = script_state(db, made.script_id)
        if approve and not state.approved and person is not None:
            four_eyes = ws.station.four_eyes
            state = approve_script(db, made.script_id, person, four_eyes=four_eyes)
        elif not state.approved and person is not None:
            # Sent to the content approvers: "chờ duyệt nội dung" (a no-op if already so).
            state = submit_script(db, made.script_id, person)
    playlists: list[Path] = []
    if state.approved:
        playlists = replan_for_script(ws, made.script_id, today=now.date())
    with ws.open_db() as db:
        if item_id is None:
            from broadcast.store import schedule as schedule_store

            family = schedule_store.family_items(db, made.script_id)
            item_id = family[-1].id if family else None
        versions = tuple(records.script_versions(db, made.name))
    return ProduceResult(
        script_id=made.script_id,
        slug=made.slug,
        name=made.name,
        version=made.version,
        reused=made.reused,
        out_dir=made.out_dir,
        audio=made.out_dir / "audio.mp3",
        video=made.out_dir / "video.mp4",
        srt=made.out_dir / "subtitles.srt",
        script_text=made.out_dir / "script.txt",
        duration_s=made.duration_s,
        loudness_lufs=made.loudness_lufs,
        true_peak_db=made.true_peak_db,
        sentences=made.sentences,
        approved=state.approved,
        state=state.label,
        item_id=item_id,
        playlists=tuple(playlists),
        versions=versions,
    )
