"""The translation editor's workbench: one translation seen segment by segment, as the web
page *Bản dịch* shows it (modelled on Weblate's and Pontoon's translate page).

Everything the page shows or does is decided here, below the web layer, from the same
functions the CLI's ``broadcast review`` uses: QA findings come from ``review.qa`` through
``workflow.qa_translation`` (and, for a text not yet saved, ``qa.check_segment`` with the
live glossary terms), approvals go through ``workflow.approve`` (QA gate, four-eyes rule,
approval bound to the text's hash), edits through ``workflow.save_edits``. What this module
adds is what a page needs and a command line does not: the text the editor *saw* (its
SHA-256) is carried back with every action, so that nobody approves or overwrites a text
they were not shown; filters, neighbours, suggestions with a diff, the history of one
segment with a way back to an earlier text, comments, and the on-screen keyboard's letters
for the language's script.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from broadcast.errors import BroadcastError, InputError
from broadcast.languages import SOURCE_LANGUAGE, TAI_VIET, Language
from broadcast.model.people import Person, Role
from broadcast.model.time import local
from broadcast.review import workflow
from broadcast.review.model import (
    AuditEntry,
    ReviewState,
    Segment,
    Translation,
    TranslationSummary,
    origin_label,
    text_sha256,
)
from broadcast.review.qa import Finding, check_segment
from broadcast.store import translations as store
from broadcast.store.db import Database

if TYPE_CHECKING:
    from broadcast.store.station import Station
    from broadcast.store.workspace import Workspace
    from broadcast.translate.values import TermHit

# ---------------------------------------------------------------------------------------
# Who sees which languages


def my_languages(person: Person, station: Station) -> tuple[str, ...]:
    """The station's translation languages this person translates or reviews: a translator
    or reviewer sees only these (an admin without such a role sees none)."""
    return tuple(
        code
        for code in station.languages
        if code != SOURCE_LANGUAGE
        and (person.has(Role.TRANSLATOR, code) or person.has(Role.REVIEWER, code))
    )


def station_language(station: Station, code: str) -> Language:
    """The station's language ``code`` (from the URL), or InputError: checked before any
    role check, so an unknown code is 'no such language', not 'no such role'."""
    if code == SOURCE_LANGUAGE or code not in station.languages:
        raise InputError(
            f"Đài không có bản dịch tiếng '{code[:20]}'; các ngôn ngữ dịch của đài: "
            f"{', '.join(c for c in station.languages if c != SOURCE_LANGUAGE)}."
        )
    return station.language_registry()[code]


def overview(db: Database, person: Person, station: Station) -> list[TranslationSummary]:
    """The translations in this person's languages, newest script first."""
    found: list[TranslationSummary] = []
    for code in my_languages(person, station):
        found += store.list_translations(db, code)
    return sorted(found, key=lambda s: (-s.script_id, s.language))


@dataclass(frozen=True)
class Untranslated:
    """A vetted Vietnamese script with no translation yet in one of my languages."""

    script_id: int
    slug: str
    title: str
    language: str


def waiting_for_draft(ws: Workspace, person: Person) -> list[Untranslated]:
    """The newest versions of the scripts whose content is approved (what may be
    translated, by the vetting rule) that have no translation yet in my languages."""
    from broadcast.script.catalog import list_scripts

    mine = my_languages(person, ws.station)
    if not mine:
        return []
    found: list[Untranslated] = []
    with ws.open_db() as db:
        done = {(s.script_id, s.language) for s in overview(db, person, ws.station)}
    for entry in list_scripts(ws):
        row = entry.script
        if row.language != SOURCE_LANGUAGE or entry.state_key != "approved":
            continue
        for code in mine:
            if (row.id, code) not in done:
                found.append(Untranslated(row.id, row.slug, row.title, code))
    return found


# ---------------------------------------------------------------------------------------
# Filters


@dataclass(frozen=True)
class Filter:
    slug: str
    label: str


FILTERS: tuple[Filter, ...] = (
    Filter("tat-ca", "tất cả"),
    Filter("cho-duyet", "chờ duyệt"),
    Filter("can-sua", "cần sửa"),
    Filter("cua-toi", "của tôi"),
)
DEFAULT_FILTER = "tat-ca"


def check_filter(slug: str | None) -> str:
    if not slug:
        return DEFAULT_FILTER
    if slug not in {f.slug for f in FILTERS}:
        raise InputError(
            f"Không có bộ lọc '{slug[:20]}'; chọn một trong: {', '.join(f.label for f in FILTERS)}."
        )
    return slug


# ---------------------------------------------------------------------------------------
# The translation as the page shows it


@dataclass(frozen=True)
class SourcePiece:
    """A run of the source sentence; ``term`` is set for a glossary term (highlighted)."""

    text: str
    term: TermHit | None = None


@dataclass(frozen=True)
class SegmentView:
    segment: Segment
    findings: tuple[Finding, ...]
    hits: tuple[TermHit, ...]
    last_editor: str | None

    @property
    def position(self) -> int:
        return self.segment.position

    @property
    def number(self) -> int:
        """Segments are numbered from 1 for people, as everywhere."""
        return self.segment.position + 1

    @property
    def sha(self) -> str:
        return text_sha256(self.segment.target)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.blocking)

    @property
    def approved(self) -> bool:
        return self.segment.state is ReviewState.APPROVED

    @property
    def pieces(self) -> tuple[SourcePiece, ...]:
        return source_pieces(self.segment.source, self.hits)

    def mine(self, login: str) -> bool:
        return self.last_editor is not None and self.last_editor.casefold() == login.casefold()

    def batch_skip(self, login: str, four_eyes: bool) -> str | None:
        """Why batch approval leaves this segment out ('approved', 'empty', 'findings',
        'own'), or None when it goes in: a finding, even a warning, is for a person to
        look at, and the four-eyes rule keeps an editor's own texts for someone else."""
        if self.approved:
            return "approved"
        if not self.segment.target.strip():
            return "empty"
        if self.findings:
            return "findings"
        if four_eyes and self.mine(login):
            return "own"
        return None

    def matches(self, slug: str, login: str) -> bool:
        state = self.segment.state
        if slug == "cho-duyet":
            return state in (ReviewState.DRAFT, ReviewState.IN_REVIEW)
        if slug == "can-sua":
            return state is ReviewState.CHANGES_REQUESTED
        if slug == "cua-toi":
            return self.mine(login)
        return True


@dataclass(frozen=True)
class Workbench:
    translation: Translation
    language: Language
    views: tuple[SegmentView, ...]

    def view_at(self, position: int) -> SegmentView | None:
        for view in self.views:
            if view.position == position:
                return view
        return None

    def shown(self, slug: str, login: str) -> list[SegmentView]:
        return [v for v in self.views if v.matches(slug, login)]

    def current(self, position: int | None, slug: str, login: str) -> SegmentView | None:
        """The segment to edit: the one asked for, else the first one the filter shows."""
        if position is not None:
            view = self.view_at(position)
            if view is None:
                raise InputError(
                    f"Không có đoạn số {position + 1} trong bản dịch (có {len(self.views)} đoạn)."
                )
            return view
        shown = self.shown(slug, login)
        return shown[0] if shown else None

    def neighbours(self, position: int, around: int = 2) -> tuple[list[SegmentView], ...]:
        """The segments just before and just after ``position``, in script order."""
        index = [v.position for v in self.views].index(position)
        return (
            list(self.views[max(0, index - around) : index]),
            list(self.views[index + 1 : index + 1 + around]),
        )

    def next_position(self, position: int, slug: str, login: str) -> int | None:
        """The next segment after ``position`` that the filter shows (wrapping round), or
        None when it shows no other: where save-and-next and approve-and-next go."""
        shown = [v.position for v in self.shown(slug, login) if v.position != position]
        after = [p for p in shown if p > position]
        if after:
            return after[0]
        return shown[0] if shown else None

    def batch_ready(self, slug: str, login: str, four_eyes: bool) -> list[SegmentView]:
        """The segments the filter shows that batch approval would approve now."""
        return [v for v in self.shown(slug, login) if v.batch_skip(login, four_eyes) is None]

    def counts(self) -> dict[str, int]:
        states = [v.segment.state for v in self.views]
        return {
            "tong": len(states),
            "da-duyet": states.count(ReviewState.APPROVED),
            "can-sua": states.count(ReviewState.CHANGES_REQUESTED),
            "co-loi": sum(1 for v in self.views if v.blocking),
        }


def load_workbench(db: Database, script_id: int, language: Language) -> Workbench:
    """The translation with every segment's QA findings, glossary hits and last editor."""
    from broadcast.store.vetting import last_editor
    from broadcast.translate import termbase

    translation = store.load_translation(db, script_id, language.code)
    findings = workflow.qa_translation(db, translation, known={language.code: language})
    views = []
    for segment in translation.segments:
        views.append(
            SegmentView(
                segment=segment,
                findings=tuple(f for f in findings if f.position == segment.position),
                hits=tuple(termbase.find_terms(db, segment.source, language.code)),
                last_editor=last_editor(db.conn, script_id, language.code, segment.position),
            )
        )
    return Workbench(translation, language, tuple(views))


def source_pieces(source: str, hits: Sequence[TermHit]) -> tuple[SourcePiece, ...]:
    """The source cut at its glossary terms (``TermHit`` indexes the NFC text)."""
    text = unicodedata.normalize("NFC", source)
    pieces: list[SourcePiece] = []
    at = 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < at:
            continue
        if hit.start > at:
            pieces.append(SourcePiece(text[at : hit.start]))
        pieces.append(SourcePiece(text[hit.start : hit.end], hit))
        at = hit.end
    if at < len(text):
        pieces.append(SourcePiece(text[at:]))
    return tuple(pieces)


def check_text(
    db: Database, translation: Translation, position: int, text: str, language: Language
) -> list[Finding]:
    """QA findings of a text the editor is typing, before it is saved: the same checks, with
    the glossary as it is now, that approval will run."""
    segment = _segment(translation, position)
    terms = workflow.live_terms(db, segment.source, translation.language)
    return check_segment(position, segment.source, clean_input(text), terms, language)


# ---------------------------------------------------------------------------------------
# Suggestions


@dataclass(frozen=True)
class DiffPart:
    """``op``: '=' kept, '-' only in the old text, '+' only in the new one."""

    op: str
    text: str


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> tuple[DiffPart, ...]:
    """A word-level diff, for a suggestion against the current target and for history."""
    a = _TOKEN.findall(old)
    b = _TOKEN.findall(new)
    parts: list[DiffPart] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(DiffPart("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(DiffPart("-", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(DiffPart("+", "".join(b[j1:j2])))
    return tuple(parts)


@dataclass(frozen=True)
class Suggestion:
    text: str
    label: str  # 'bộ nhớ: khớp hoàn toàn', 'máy dịch argos'
    score: float | None  # match percentage (memory); None for machine translation
    source: str  # the Vietnamese sentence the memory pair was made for
    diff: tuple[DiffPart, ...] = field(default=())
    # Where a memory pair came from: 'trạm này' or 'tỉnh — Xã A, lan' (issue 16); '' for a
    # machine translation.
    where: str = ""


MAX_SUGGESTIONS = 9  # one key each: Alt+1 .. Alt+9


def suggestions(
    ws: Workspace, db: Database, translation: Translation, position: int
) -> list[Suggestion]:
    """Memory matches (with their percentage) and, where an engine serves the language, a
    machine translation of the sentence, each with a diff against the current target."""
    from broadcast.translate import memory

    segment = _segment(translation, position)
    previous = translation.segment_at(position - 1)
    found: list[Suggestion] = []
    for match in memory.lookup(
        db,
        segment.source,
        translation.language,
        previous=previous.source if previous else None,
        limit=MAX_SUGGESTIONS,
    ):
        kind = {"in-context": "tm-in-context", "exact": "tm-exact"}.get(match.kind, "tm-fuzzy")
        found.append(
            Suggestion(
                text=match.target,
                label=origin_label(kind, match.score),
                score=round(float(match.score), 1),
                source=match.source,
                diff=word_diff(segment.target, match.target),
                where=match.provenance.label,
            )
        )
    machine = _machine(ws, db, segment.source, translation.language)
    if machine is not None and all(s.text != machine[1] for s in found):
        found.append(
            Suggestion(
                text=machine[1],
                label=origin_label(f"mt:{machine[0]}", None),
                score=None,
                source=segment.source,
                diff=word_diff(segment.target, machine[1]),
            )
        )
    return found[:MAX_SUGGESTIONS]


def _machine(ws: Workspace, db: Database, source: str, language: str) -> tuple[str, str] | None:
    """(engine, text) from the default engine when it can translate into ``language`` here;
    None otherwise (no model for Thái or Mông exists offline), quietly, as drafts do."""
    from broadcast.translate import protect, termbase
    from broadcast.translate.draft import DEFAULT_ENGINE
    from broadcast.translate.engines import get_engine

    try:
        engine = get_engine(DEFAULT_ENGINE, ws)
        if not engine.available(SOURCE_LANGUAGE, language):
            return None
        hits = termbase.find_terms(db, source, language)
        [output] = protect.translate_protected(
            engine, [protect.protect(source, hits)], SOURCE_LANGUAGE, language
        )
    except BroadcastError:
        return None
    text = output.text.strip()
    return (engine.name, text) if text else None


# ---------------------------------------------------------------------------------------
# Actions: each carries the SHA-256 of the text the editor was shown


def clean_input(text: str) -> str:
    """What a browser's text box sends, as the stages keep text: NFC (an on-screen tone mark
    typed after its letter becomes one character) and without the CR of CRLF."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def save_segment(
    db: Database,
    script_id: int,
    language: str,
    position: int,
    text: str,
    *,
    seen: str,
    by: Person,
) -> bool:
    """Store the editor's text for one segment; False when it is the text already stored.

    ``seen`` is the SHA-256 of the text the editor started from: if someone changed the
    segment meanwhile, nothing is written (ChangedMeanwhile), so no one's work is lost.
    """
    workflow.require_editor(by, language)
    text = clean_input(text)
    with db.transaction():
        translation = store.load_translation(db, script_id, language)
        segment = _seen(translation, position, seen)
        if text == segment.target:
            return False
        return bool(workflow.save_edits(db, translation, {position: text}, actor=by))


def approve_seen(
    db: Database,
    script_id: int,
    language: Language,
    seen: Mapping[int, str],
    *,
    by: Person,
    four_eyes: bool,
    share_with_province: bool = True,
) -> workflow.ApproveOutcome:
    """Approve the segments at ``seen``'s positions, each only if its text is still the one
    the reviewer was shown (``seen`` maps position -> SHA-256); QA, the four-eyes rule and
    where the memory pairs go are ``workflow.approve``'s."""
    if not seen:
        raise InputError("Chưa chọn đoạn nào để duyệt.")
    with db.transaction():
        translation = store.load_translation(db, script_id, language.code)
        for position, sha in seen.items():
            _seen(translation, position, sha)
        return workflow.approve(
            db,
            script_id,
            language.code,
            sorted(seen),
            by=by,
            known={language.code: language},
            four_eyes=four_eyes,
            share_with_province=share_with_province,
        )


def approve_typed(
    db: Database,
    script_id: int,
    language: Language,
    position: int,
    typed: str,
    *,
    seen: str,
    by: Person,
    four_eyes: bool,
    share_with_province: bool = True,
) -> workflow.ApproveOutcome:
    """Approve-and-next: the reviewer approves the text they were shown; if the box holds a
    different text, that is an edit to save first (and, by the four-eyes rule, for someone
    else to approve), never something approved unseen."""
    if text_sha256(clean_input(typed)) != seen:
        raise InputError(
            f"Đoạn {position + 1}: văn bản trong ô đã khác bản đang lưu; hãy lưu trước "
            "(Ctrl+Enter), rồi một người duyệt khác duyệt bản sửa."
        )
    return approve_seen(
        db,
        script_id,
        language,
        {position: seen},
        by=by,
        four_eyes=four_eyes,
        share_with_province=share_with_province,
    )


@dataclass(frozen=True)
class BatchOutcome:
    approved: tuple[int, ...]
    with_findings: tuple[int, ...]  # skipped: a QA finding (blocking or warning) to look at
    own: tuple[int, ...]  # skipped: last edited by the approver (four-eyes rule)
    empty: tuple[int, ...]  # skipped: no text yet
    changed: tuple[int, ...]  # skipped: changed since the page was shown
    state: ReviewState


def batch_approve(
    db: Database,
    script_id: int,
    language: Language,
    seen: Mapping[int, str],
    *,
    by: Person,
    four_eyes: bool,
    share_with_province: bool = True,
) -> BatchOutcome:
    """Approve in one go every segment shown (``seen``) that is not approved yet and has no
    QA finding at all; the others are skipped and counted, not refused: a finding, even a
    warning, is for a person to look at one by one."""
    from broadcast.people.permissions import require_role

    require_role(by, Role.REVIEWER, language.code)
    with db.transaction():
        bench = load_workbench(db, script_id, language)
        ok: dict[int, str] = {}
        findings: list[int] = []
        own: list[int] = []
        empty: list[int] = []
        changed: list[int] = []
        for position, sha in sorted(seen.items()):
            view = bench.view_at(position)
            if view is None or view.approved:
                continue
            if view.sha != sha:
                changed.append(position)
                continue
            skip = view.batch_skip(by.login, four_eyes)
            {"empty": empty, "findings": findings, "own": own}.get(skip or "", []).append(position)
            if skip is None:
                ok[position] = sha
        if ok:
            outcome = approve_seen(
                db,
                script_id,
                language,
                ok,
                by=by,
                four_eyes=four_eyes,
                share_with_province=share_with_province,
            )
            done, state = outcome.approved, outcome.state
        else:
            done, state = (), bench.translation.state
    return BatchOutcome(done, tuple(findings), tuple(own), tuple(empty), tuple(changed), state)


def send_back(
    db: Database,
    script_id: int,
    language: str,
    position: int,
    note: str,
    *,
    seen: str,
    by: Person,
) -> None:
    """Send one segment back to its translator with a note (``workflow.reject``)."""
    with db.transaction():
        translation = store.load_translation(db, script_id, language)
        _seen(translation, position, seen)
        workflow.reject(db, script_id, language, [position], by=by, note=note.strip())


COMMENT_MAX = 2000


def add_comment(
    db: Database, script_id: int, language: str, position: int, text: str, *, by: Person
) -> None:
    """A comment on one segment, kept in the review history (append-only, like the rest)."""
    workflow.require_editor(by, language)
    text = clean_input(text).strip()
    if not text:
        raise InputError("Hãy viết nội dung ghi chú trước khi gửi.")
    if len(text) > COMMENT_MAX:
        raise InputError(f"Ghi chú dài quá {COMMENT_MAX} ký tự; hãy viết ngắn lại.")
    _segment(store.load_translation(db, script_id, language), position)
    role = Role.REVIEWER if by.has(Role.REVIEWER, language) else Role.TRANSLATOR
    store.record_event(
        db, script_id, language, COMMENT, by.login, text, position=position, role=role.value
    )


# ---------------------------------------------------------------------------------------
# History of one segment, and going back to an earlier text

COMMENT = "comment"
ACTION_LABELS = {
    "edit": "sửa",
    "import": "nhập từ tệp",
    "import-as-draft": "nhập từ tệp (bản nháp)",
    "import-state": "đổi trạng thái khi nhập tệp",
    "approve": "duyệt",
    "reject": "trả lại cần sửa",
    COMMENT: "ghi chú",
}


@dataclass(frozen=True)
class HistoryItem:
    at: str  # station time, 'dd/mm/yyyy hh:mm'
    actor: str
    action: str
    label: str
    note: str  # a comment or a send-back note
    old: str | None
    new: str | None
    diff: tuple[DiffPart, ...]
    old_sha: str | None  # what 'revert' posts to go back to the text before this change


def segment_history(
    db: Database, script_id: int, language: str, position: int
) -> list[HistoryItem]:
    """What happened to one segment, newest first, with a diff for each change of text."""
    items: list[HistoryItem] = []
    for entry in store.audit_trail(db, script_id, language):
        if entry.position != position:
            continue
        texts = _texts(entry)
        old, new = texts if texts else (None, None)
        items.append(
            HistoryItem(
                at=local(entry.at),
                actor=entry.actor,
                action=entry.action,
                label=ACTION_LABELS.get(entry.action, entry.action),
                note="" if texts else entry.detail,
                old=old,
                new=new,
                diff=word_diff(old, new) if texts and old is not None and new is not None else (),
                old_sha=text_sha256(old) if old is not None else None,
            )
        )
    items.reverse()
    return items


def comments(db: Database, script_id: int, language: str) -> dict[int, int]:
    """Number of comments per segment position, for the segment list."""
    counts: dict[int, int] = {}
    for entry in store.audit_trail(db, script_id, language):
        if entry.action == COMMENT and entry.position is not None:
            counts[entry.position] = counts.get(entry.position, 0) + 1
    return counts


def revert(
    db: Database,
    script_id: int,
    language: str,
    position: int,
    to: str,
    *,
    seen: str,
    by: Person,
) -> bool:
    """Put back an earlier text of one segment: ``to`` is the SHA-256 of a text this
    segment's history holds (a text some change replaced). It is saved as an edit by ``by``
    (so it goes to review again, and the four-eyes rule counts it)."""
    with db.transaction():
        for entry in store.audit_trail(db, script_id, language):
            texts = _texts(entry) if entry.position == position else None
            if texts and texts[0] is not None and text_sha256(texts[0]) == to:
                return save_segment(db, script_id, language, position, texts[0], seen=seen, by=by)
    raise InputError(
        f"Không tìm thấy văn bản cũ này trong lịch sử của đoạn {position + 1}; hãy tải lại "
        "trang và chọn lại."
    )


def _texts(entry: AuditEntry) -> tuple[str | None, str | None] | None:
    """(old, new) of an audit row that changed a text (its detail is {"old", "new"})."""
    import json

    if not entry.detail.startswith("{"):
        return None
    try:
        detail = json.loads(entry.detail)
    except ValueError:
        return None
    if not isinstance(detail, dict) or not ({"old", "new"} & set(detail)):
        return None
    old, new = detail.get("old"), detail.get("new")
    return (
        old if isinstance(old, str) else None,
        new if isinstance(new, str) else None,
    )


# ---------------------------------------------------------------------------------------
# On-screen keyboard


@dataclass(frozen=True)
class Key:
    text: str  # inserted at the caret
    shown: str  # what the key shows (a tone mark on a dotted circle)
    label: str  # accessible name, Vietnamese first


@dataclass(frozen=True)
class KeyGroup:
    title: str
    keys: tuple[Key, ...]


# Vietnamese letters the Latin orthographies of the station's languages (Mông of Vietnam,
# Thái in Latin letters, Tày, Nùng...) share with Vietnamese, and the five tone marks.
_LATIN_LETTERS = "đươôêâă"
_TONE_MARKS = (
    ("\u0300", "dấu huyền"),
    ("\u0301", "dấu sắc"),
    ("\u0309", "dấu hỏi"),
    ("\u0303", "dấu ngã"),
    ("\u0323", "dấu nặng"),
)


def keyboard(language: Language) -> tuple[KeyGroup, ...]:
    """Key groups for the language's scripts: Tai Viet letters (U+AA80–U+AADF, the assigned
    ones) for a language written in Tavt, Vietnamese letters and tone marks for Latn."""
    groups: list[KeyGroup] = []
    if "Tavt" in language.scripts:
        keys = []
        for code in range(TAI_VIET[0], TAI_VIET[1] + 1):
            char = chr(code)
            name = unicodedata.name(char, "")
            if not name:
                continue
            combining = unicodedata.combining(char) or unicodedata.category(char) == "Mn"
            short = name.removeprefix("TAI VIET ").removeprefix("LETTER ").lower()
            keys.append(Key(char, f"\u25cc{char}" if combining else char, f"Chèn {char} ({short})"))
        groups.append(KeyGroup("Chữ Thái Việt (Tai Viet)", tuple(keys)))
    if "Latn" in language.scripts:
        keys = [Key(c, c, f"Chèn chữ {c}") for c in _LATIN_LETTERS]
        keys += [Key(c.upper(), c.upper(), f"Chèn chữ hoa {c.upper()}") for c in _LATIN_LETTERS]
        keys += [Key(mark, f"\u25cc{mark}", f"Thêm {name}") for mark, name in _TONE_MARKS]
        groups.append(KeyGroup("Chữ và dấu thanh tiếng Việt", tuple(keys)))
    return tuple(groups)


# ---------------------------------------------------------------------------------------


def _segment(translation: Translation, position: int) -> Segment:
    segment = translation.segment_at(position)
    if segment is None:
        raise InputError(
            f"Không có đoạn số {position + 1} trong bản dịch (có {len(translation.segments)} đoạn)."
        )
    return segment


def _seen(translation: Translation, position: int, sha: str) -> Segment:
    """The segment, if its text is still the one the editor was shown."""
    segment = _segment(translation, position)
    if text_sha256(segment.target) != sha:
        raise store.changed_meanwhile(translation, segment)
    return segment
