"""An emergency message uploaded as a recording becomes a script like any other.

A scheduler may have a message recorded (a phone, a handheld recorder) rather than written:
the flood warning read by the chairman. It must still pass the content approver, and the
approver must read what airs, so the upload carries a title and the written text of what it
says. That text is stored as a one-sentence Vietnamese script (article format
``recording``), and the uploaded audio, checked like an announcer's take
(``takes.importer.clean_recording``) and brought to the loudspeaker profile's loudness by
the mix stage's own mastering (``audio.master.master``), is stored as its Vietnamese render,
bound to that sentence's digest. The script is submitted for vetting at once; the
four-eyes rule of ``review.vetting`` decides whether its uploader may approve it. Once
approved it is an emergency choice like any produced script (``campaign.emergency_choices``)
and airs through the same confirm step. Nothing here decides who may approve: the vetting
stage does.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from broadcast.audio.loudness import Loudness
from broadcast.audio.master import master
from broadcast.audio.profiles import MixProfile
from broadcast.errors import InputError
from broadcast.model.article import Article
from broadcast.model.people import Person, Role
from broadcast.model.script import Role as SentenceRole
from broadcast.model.script import Script, ScriptSentence
from broadcast.model.time import station_now
from broadcast.people.permissions import require_role
from broadcast.review.vetting import ScriptVetting, script_state
from broadcast.store import records
from broadcast.store import vetting as vetting_store
from broadcast.store.files import sha256_file, temp_prefix
from broadcast.store.hashes import sentence_sha256
from broadcast.store.naming import slugify
from broadcast.store.renders import RenderRow, TextHash, save_render
from broadcast.store.scripts import insert_script
from broadcast.store.workspace import Workspace
from broadcast.takes.importer import clean_recording

EXTENSIONS = (".wav", ".mp3", ".m4a", ".ogg")
MIN_SPEECH_S = 1.0  # under a second of speech is no message (a click, a wrong file)
MAX_S = 10 * 60.0  # an emergency message is short; longer is a wrong file
MAX_TEXT = 2000  # characters of the written text: one paragraph a person reads
PROFILE = "loudspeaker"
ENGINE = "recording"  # the render's engine: recorded, not synthesised


@dataclass(frozen=True)
class StoredRecording:
    """An uploaded emergency recording as stored: its script, render and vetting state."""

    script_id: int
    slug: str
    title: str
    render_path: Path  # relative to the workspace
    duration_s: float
    loudness: Loudness | None  # None when the same upload was stored before
    state: ScriptVetting
    reused: bool = False


def _one_line(text: str, what: str) -> str:
    line = re.sub(r"\s+", " ", text).strip()
    if not line:
        raise InputError(f"Hãy ghi {what} của bản ghi âm: người duyệt phải đọc được điều sẽ phát.")
    return line


def store_recording(
    ws: Workspace, source: Path, *, name: str, title: str, text: str, person: Person
) -> StoredRecording:
    """Check ``source`` (an upload, ``name`` its own file name), store it as a one-sentence
    script whose Vietnamese render is the recording at the loudspeaker loudness, and
    submit it for vetting. Refuses (InputError, nothing stored) a file of another type, an
    undecodable, silent, too short or too long recording, and a missing title or text.
    The same file with the same title and text gives back what was stored."""
    require_role(person, Role.SCHEDULER, alternatives=(Role.PRODUCER,))
    title = _one_line(title, "tiêu đề")
    text = _one_line(text, "nội dung (lời) đã nói")
    if len(text) > MAX_TEXT:
        raise InputError(
            f"Nội dung ghi kèm dài quá {MAX_TEXT} ký tự; hãy ghi đúng lời đã nói trong bản thu."
        )
    own = PurePath(name).name or "ban-ghi-am"
    if PurePath(own).suffix.lower() not in EXTENSIONS:
        raise InputError(
            f"Tệp {own} không phải bản ghi âm; hãy tải lên tệp {', '.join(EXTENSIONS)}."
        )
    audio_sha = sha256_file(source)
    key = hashlib.sha256(
        json.dumps([ENGINE, title, text, audio_sha], ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    with ws.open_db() as db:
        existing = records.script_by_input(db, key, "vi")
        if existing is not None:
            out = records.script_outputs(db, existing.id, "vi").get("audio")
            return StoredRecording(
                existing.id,
                existing.slug,
                title,
                out.path if out else Path(),
                float(out.duration_s or 0.0) if out else 0.0,
                None,
                script_state(db, existing.id),
                reused=True,
            )
    profile = _profile(ws)
    ws.staging_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=temp_prefix("recording"), dir=ws.staging_dir))
    final: Path | None = None
    try:
        clean = stage / "clean.wav"
        kept_s = clean_recording(source, clean, name=own, min_speech_s=MIN_SPEECH_S, max_s=MAX_S)
        mastered = master(
            clean,
            duration_s=kept_s,
            timings=[(0.0, kept_s)],
            profile=profile,
            out=stage / f"mix.{profile.extension}",
        )
        sentence = ScriptSentence(SentenceRole.BODY, text, text)
        script = Script(
            title=title,
            language="vi",
            sentences=(sentence,),
            target_minutes=round(kept_s / 60, 3),
            estimated_seconds=kept_s,
        )
        article = Article(
            source=Path("ghi-am") / own, format=records.RECORDING_FORMAT, title=title,
            body=text, sha256=audio_sha,
        )  # fmt: skip
        now = station_now()
        with ws.open_db() as db, db.transaction() as conn:
            slug, script_name, version = records.allocate_slug(
                conn,
                f"{now:%Y-%m-%d}-khan-cap-{slugify(title)}",
                name=None,
                folder_taken=lambda s: (ws.out_dir / s).exists(),
            )
            script_id = insert_script(
                conn, article=article, script=script, slug=slug, timings=[(0.0, kept_s)],
                by=person.login,
            )  # fmt: skip
            records.set_script_version(
                conn, script_id, name=script_name, version=version, input_sha256=key
            )
            # Submitted at once: an emergency recording waits for its approver, never in
            # a draft nobody sees. The step names the uploader in the role they act in.
            role = Role.SCHEDULER if person.has(Role.SCHEDULER) else Role.PRODUCER
            vetting_store.record_step(
                conn, script_id, "vi", vetting_store.SUBMIT, person.login, role.value
            )
            relative = Path(ws.out_dir.name) / slug / f"{slug}.{PROFILE}.{profile.extension}"
            final = ws.root / relative
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(mastered.path), final)
            save_render(
                db,
                script_id,
                RenderRow(
                    kind="audio",
                    path=relative,
                    sha256=sha256_file(final),
                    duration_s=kept_s,
                    loudness_lufs=mastered.loudness.integrated_lufs,
                    loudness_range=mastered.loudness.range_lu,
                    true_peak_db=mastered.loudness.true_peak_db,
                    engine=ENGINE,
                    profile=PROFILE,
                ),
                texts=[TextHash(0, sentence_sha256(text, text))],
            )
            state = script_state(db, script_id)
    except BaseException:
        if final is not None:
            final.unlink(missing_ok=True)
            shutil.rmtree(final.parent, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return StoredRecording(script_id, slug, title, relative, kept_s, mastered.loudness, state)


def _profile(ws: Workspace) -> MixProfile:
    from broadcast.render.stages import mix_profile

    return mix_profile(ws, PROFILE)


@dataclass(frozen=True)
class PendingRecording:
    """An uploaded recording as the emergency page lists it until it can air."""

    script_id: int
    slug: str
    title: str
    text: str
    state: ScriptVetting
    uploaded_by: str | None


def pending_recordings(ws: Workspace) -> list[PendingRecording]:
    """Uploaded recordings not approved (yet): waiting for a second person, or returned."""
    from broadcast.store.renders import stored_sentences

    found = []
    with ws.open_db() as db:
        for script in records.recording_scripts(db):
            state = script_state(db, script.id)
            if state.approved:
                continue
            text = " ".join(s.written for s in stored_sentences(db, script.id))
            change = vetting_store.last_script_change(db.conn, script.id, script.language)
            found.append(
                PendingRecording(
                    script.id, script.slug, script.title, text, state,
                    change.actor if change else None,
                )
            )  # fmt: skip
    return found


def store_uploaded_recording(
    ws: Workspace, data: bytes, *, name: str, title: str, text: str, person: Person
) -> StoredRecording:
    """``store_recording`` for an upload's bytes: written to a staging folder under its own
    (base) name, which is removed afterwards whatever happens."""
    own = PurePath(name).name or "ban-ghi-am"
    if not data:
        raise InputError(f"Tệp {own} rỗng; hãy chọn đúng tệp bản ghi âm.")
    ws.staging_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=temp_prefix("upload"), dir=ws.staging_dir))
    try:
        source = folder / "upload"
        source.write_bytes(data)
        return store_recording(ws, source, name=own, title=title, text=text, person=person)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def approve_recording(ws: Workspace, script_id: int, person: Person) -> ScriptVetting:
    """The content approval of an uploaded recording, exactly as ``broadcast script
    approve`` gives it (``review.vetting.approve_script`` with the station's four-eyes
    setting, then the re-planning it does): its uploader is the one who made its text, so
    with four-eyes on a second person approves; with it off, the self-approval is recorded
    as such."""
    from broadcast.review.vetting import approve_script
    from broadcast.schedule.campaign import replan_for_script

    with ws.open_db() as db:
        if script_id not in {s.id for s in records.recording_scripts(db, limit=1000)}:
            raise InputError(
                f"Kịch bản số {script_id} không phải bản ghi âm khẩn cấp; hãy duyệt nó ở trang "
                "Duyệt nội dung."
            )
        state = approve_script(db, script_id, person, four_eyes=ws.station.four_eyes)
    replan_for_script(ws, script_id)
    return state
