"""A producer's hand on a stored Vietnamese script: start it from an article, read it as the
editor sees it, edit a sentence's written or spoken form, add or remove sentences of the
article, before sending it for vetting.

The web workspace's *Kịch bản* page and any command call these functions; every rule is
here. Each change is a row of the review audit ('edit-source'), so the four-eyes rule knows
who last changed the text, and the database triggers void an approval and the translations
of a changed sentence whoever writes it. Adding or removing sentences moves the positions
the translations are aligned on, so it is refused once a translation exists (make a new
version of the script from the article instead).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from broadcast.errors import InputError, NotFound
from broadcast.model.people import Person, Role
from broadcast.model.spoken import Rewrite
from broadcast.people.permissions import require_role
from broadcast.script.build import BodyUnit, build_script, check_target, prepare_body
from broadcast.script.duration import Pace, station_pace
from broadcast.script.glossary import Glossary
from broadcast.script.model import Role as SentenceRole
from broadcast.script.radio import MAX_SYLLABLES
from broadcast.script.save import SavedScript, store_script
from broadcast.script.segment import syllables
from broadcast.script.spoken import read_aloud
from broadcast.store import script_edits as store
from broadcast.store.db import Database
from broadcast.store.workspace import Workspace
from broadcast.text.ingest import read_article
from broadcast.text.model import Article
from broadcast.text.quality import assess_quality

MAX_SENTENCE_CHARS = 600
"""Longer than any radio sentence: a paste of a whole paragraph, not an edit."""
DURATIONS = (1.0, 2.0, 3.0, 4.0, 5.0)
"""The lengths the producer chooses from (minutes of the whole segment)."""

ROLE_LABELS = {
    SentenceRole.OPENING: "lời mở",
    SentenceRole.HEADLINE: "tiêu đề",
    SentenceRole.BODY: "nội dung",
    SentenceRole.CLOSING: "lời kết",
}


# --- starting a script ---------------------------------------------------------------------


def start_script(ws: Workspace, article: Path, minutes: float, person: Person) -> SavedScript:
    """Build the script of ``article`` at ``minutes`` and store it as a draft (as
    ``broadcast script build --save``); text a voice would misread is refused, as
    ``produce`` refuses it, with the quality check's own reason."""
    require_role(person, Role.PRODUCER)
    check_target(minutes, None)
    if minutes > 30:
        raise InputError("Độ dài bản tin tối đa 30 phút; hãy chọn ngắn hơn.")
    text = read_article(article)
    quality = assess_quality(f"{text.title}\n\n{text.body}")
    if not quality.ok:
        raise InputError(f"Chưa viết kịch bản từ bài này được. {quality.message}")
    from broadcast.script.spoken.station import station_glossary

    glossary = station_glossary(ws)
    script = build_script(text, ws.station, minutes, glossary)
    return store_script(ws, text, script, by=person.login, readings=glossary.station_key)


# --- the editor's view ---------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceView:
    position: int  # stored, 0-based
    role: SentenceRole
    written: str
    spoken: str
    seconds: float  # speech and the pause after it
    rewrites: tuple[Rewrite, ...]  # the automatic ones, while the spoken form is automatic
    by_hand: bool  # the spoken form differs from what the rules make of the written one
    too_long: bool

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def removable(self) -> bool:
        return self.role is SentenceRole.BODY


@dataclass(frozen=True)
class Addable:
    """A sentence of the article the script does not read (several radio sentences when
    the article's sentence is split to breathing length)."""

    index: int
    written: str
    parts: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class ScriptView:
    id: int
    slug: str
    title: str
    language: str
    target_minutes: float
    estimated_seconds: float
    sentences: tuple[SentenceView, ...]
    translations: int
    addable: tuple[Addable, ...] = field(default=())

    @property
    def can_change_list(self) -> bool:
        """Sentences may be added or removed only while nothing is aligned on them."""
        return self.translations == 0

    @property
    def target_seconds(self) -> float:
        return self.target_minutes * 60


def _facts(db: Database, script_id: int) -> store.ScriptFacts:
    facts = store.script_facts(db, script_id)
    if facts is None:
        raise NotFound(f"Không có kịch bản số {script_id}; hãy xem danh sách bài viết.")
    return facts


def _glossary(ws: Workspace) -> Glossary:
    from broadcast.script.spoken.station import station_glossary

    return station_glossary(ws)


def _sentence_views(
    rows: list[tuple[int, str, str, str]], ws: Workspace, glossary: Glossary, pace: Pace
) -> tuple[SentenceView, ...]:
    views = []
    for position, role_text, written, spoken in rows:
        role = SentenceRole(role_text)
        reading = read_aloud(written, glossary, southern=ws.station.southern_readings)
        automatic = reading.text == spoken
        views.append(
            SentenceView(
                position=position,
                role=role,
                written=written,
                spoken=spoken,
                seconds=round(
                    pace.sentence_seconds(spoken, section=role is not SentenceRole.BODY), 1
                ),
                rewrites=reading.rewrites if automatic else (),
                by_hand=not automatic,
                too_long=role is SentenceRole.BODY and syllables(spoken) > MAX_SYLLABLES,
            )
        )
    return tuple(views)


def _article(ws: Workspace, stored: store.StoredArticle) -> Article:
    from broadcast.store.paths import from_stored

    return Article(
        source=from_stored(ws.root, stored.source_path),
        format=stored.format,
        title=stored.title,
        body=stored.body,
        sha256=stored.sha256,
    )


def _units(ws: Workspace, db: Database, script_id: int, glossary: Glossary) -> list[BodyUnit]:
    stored = store.script_article(db, script_id)
    if stored is None:
        return []
    return prepare_body(_article(ws, stored), ws.station, glossary)


def _rows(db: Database, script_id: int) -> list[tuple[int, str, str, str]]:
    from broadcast.store.lifecycle import script_sentences

    return [(s.position, s.role, s.written, s.spoken) for s in script_sentences(db, script_id)]


def script_view(ws: Workspace, script_id: int, *, with_article: bool = True) -> ScriptView:
    """The script as the editor sees it; ``with_article`` also lists the article's
    sentences that could be added (slower: the article is read again)."""
    glossary = _glossary(ws)
    pace = station_pace(ws.station)
    with ws.open_db() as db:
        facts = _facts(db, script_id)
        rows = _rows(db, script_id)
        translations = store.translation_count(db, script_id)
        units = _units(ws, db, script_id, glossary) if with_article else []
    sentences = _sentence_views(rows, ws, glossary, pace)
    present = {s.written for s in sentences if s.role is SentenceRole.BODY}
    addable = tuple(
        Addable(
            u.index,
            u.written,
            tuple(p.written for p in u.parts),
            round(u.seconds, 1),
        )
        for u in units
        if not all(p.written in present for p in u.parts)
    )
    estimate = pace.total_seconds((s.spoken, s.role is not SentenceRole.BODY) for s in sentences)
    return ScriptView(
        id=facts.id,
        slug=facts.slug,
        title=facts.title,
        language=facts.language,
        target_minutes=facts.target_minutes,
        estimated_seconds=round(estimate, 1),
        sentences=sentences,
        translations=translations,
        addable=addable,
    )


# --- changes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """What a change did, in one sentence for the producer."""

    message: str
    voided: bool = False  # an approval of the script no longer holds


def _clean(text: str, what: str) -> str:
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in text.replace("\n", " ")):
        raise InputError(f"{what} có ký tự điều khiển lạ; hãy gõ lại câu trên một dòng.")
    value = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    if not value:
        raise InputError(f"{what} đang để trống; hãy nhập câu, hoặc bỏ câu khỏi kịch bản.")
    if len(value) > MAX_SENTENCE_CHARS:
        raise InputError(
            f"{what} dài {len(value)} ký tự (tối đa {MAX_SENTENCE_CHARS}); hãy tách thành câu "
            "ngắn hơn."
        )
    if not any(c.isalpha() for c in value):
        raise InputError(f"{what} không có chữ nào; hãy nhập lại.")
    return value


def _own_language(db: Database, facts: store.ScriptFacts) -> None:
    if facts.language != "vi":
        raise InputError(
            f"Kịch bản '{facts.slug}' là bản tiếng {facts.language}; chỉ sửa kịch bản tiếng Việt "
            "ở đây."
        )


def _approved(db: Database, script_id: int) -> bool:
    from broadcast.review.vetting import script_state

    return script_state(db, script_id).approved


def _voided_note(voided: bool) -> str:
    if not voided:
        return ""
    return " Kịch bản đã duyệt nay phải duyệt lại: hãy gửi duyệt."


def edit_sentence(
    ws: Workspace,
    script_id: int,
    position: int,
    person: Person,
    *,
    written: str,
    spoken: str,
) -> Change:
    """New written and/or spoken form of one sentence.

    A changed written form with the spoken form left as it was gets a new spoken form from
    the rules (station dictionary first); a spoken form the producer typed is kept as typed.
    """
    require_role(person, Role.PRODUCER)
    with ws.open_db() as db:
        facts = _facts(db, script_id)
        _own_language(db, facts)
        rows = {p: (w, s) for p, _r, w, s in _rows(db, script_id)}
        if position not in rows:
            raise InputError(f"Kịch bản '{facts.slug}' không có câu số {position + 1}.")
        old_written, old_spoken = rows[position]
        new_written = _clean(written, "Câu viết")
        typed_spoken = _clean(spoken, "Cách đọc")
        if typed_spoken != old_spoken:
            new_spoken = typed_spoken
        elif new_written != old_written:
            new_spoken = read_aloud(
                new_written, _glossary(ws), southern=ws.station.southern_readings
            ).text
        else:
            return Change(f"Câu {position + 1} không có gì thay đổi.")
        if (new_written, new_spoken) == (old_written, old_spoken):
            return Change(f"Câu {position + 1} không có gì thay đổi.")
        was_approved = _approved(db, script_id)
        with db.transaction() as conn:
            store.update_sentence(
                conn,
                script_id,
                facts.language,
                position,
                new_written,
                new_spoken,
                actor=person.login,
                detail=f"trước: {old_written} | đọc: {old_spoken}",
            )
        voided = was_approved and not _approved(db, script_id)
    return Change(f"Đã lưu câu {position + 1}.{_voided_note(voided)}", voided)


def _list_change_allowed(db: Database, facts: store.ScriptFacts) -> None:
    _own_language(db, facts)
    count = store.translation_count(db, facts.id)
    if count:
        raise InputError(
            f"Kịch bản '{facts.slug}' đã có {count} bản dịch xếp theo từng câu nên không thêm "
            "hay bỏ câu được; hãy sửa câu, hoặc viết kịch bản mới từ bài viết."
        )


def remove_sentence(ws: Workspace, script_id: int, position: int, person: Person) -> Change:
    """Take one body sentence out of the script (the framing sentences stay)."""
    require_role(person, Role.PRODUCER)
    with ws.open_db() as db:
        facts = _facts(db, script_id)
        _list_change_allowed(db, facts)
        rows = {p: (r, w) for p, r, w, _s in _rows(db, script_id)}
        if position not in rows:
            raise InputError(f"Kịch bản '{facts.slug}' không có câu số {position + 1}.")
        role, written = rows[position]
        if role != SentenceRole.BODY.value:
            raise InputError(
                f"Câu {position + 1} là {ROLE_LABELS[SentenceRole(role)]} của bản tin nên không "
                "bỏ được; hãy sửa câu đó nếu cần."
            )
        if sum(1 for r, _w in rows.values() if r == SentenceRole.BODY.value) <= 1:
            raise InputError("Đây là câu nội dung cuối cùng; bản tin cần ít nhất một câu nội dung.")
        was_approved = _approved(db, script_id)
        with db.transaction() as conn:
            store.delete_sentence(
                conn,
                script_id,
                facts.language,
                position,
                actor=person.login,
                detail=f"bỏ câu: {written}",
            )
        voided = was_approved and not _approved(db, script_id)
    return Change(f"Đã bỏ câu {position + 1} khỏi kịch bản.{_voided_note(voided)}", voided)


def add_sentence(ws: Workspace, script_id: int, index: int, person: Person) -> Change:
    """Put the article's sentence number ``index`` (of the body, as ``script_view`` lists
    them) back into the script, in the article's order among the body sentences."""
    require_role(person, Role.PRODUCER)
    glossary = _glossary(ws)
    with ws.open_db() as db:
        facts = _facts(db, script_id)
        _list_change_allowed(db, facts)
        units = {u.index: u for u in _units(ws, db, script_id, glossary)}
        unit = units.get(index)
        if unit is None:
            raise InputError("Bài viết không có câu này; hãy tải lại trang rồi chọn lại.")
        rows = _rows(db, script_id)
        present = {w for _p, r, w, _s in rows if r == SentenceRole.BODY.value}
        if all(p.written in present for p in unit.parts):
            raise InputError("Câu này đã có trong kịch bản.")
        where = _insert_at(rows, units, index)
        was_approved = _approved(db, script_id)
        with db.transaction() as conn:
            store.insert_sentences(
                conn,
                script_id,
                facts.language,
                where,
                [(SentenceRole.BODY.value, p.written, p.spoken) for p in unit.parts],
                actor=person.login,
                detail=f"thêm câu của bài: {unit.written}",
            )
        voided = was_approved and not _approved(db, script_id)
    count = len(unit.parts)
    what = f"câu {where + 1}" if count == 1 else f"các câu {where + 1}–{where + count}"
    return Change(f"Đã thêm {what} từ bài viết.{_voided_note(voided)}", voided)


def _insert_at(
    rows: list[tuple[int, str, str, str]], units: dict[int, BodyUnit], index: int
) -> int:
    """After the last body sentence that comes earlier in the article; else first among
    the body sentences (or before the closing words when none is left)."""
    unit_of = {part.written: u.index for u in units.values() for part in u.parts}
    body = [(p, w) for p, r, w, _s in rows if r == SentenceRole.BODY.value]
    after = [p for p, w in body if unit_of.get(w, -1) < index and w in unit_of]
    if after:
        return max(after) + 1
    if body:
        return min(p for p, _w in body)
    closing = [p for p, r, _w, _s in rows if r == SentenceRole.CLOSING.value]
    return min(closing) if closing else len(rows)
