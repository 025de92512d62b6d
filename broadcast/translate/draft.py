"""Drafts: a translation worksheet aligned sentence by sentence with the Vietnamese script.

Every sentence of the stored script becomes one segment, framing included (opening,
headline, body, closing): the whole segment is voiced in the target language, and the
framing formulas come back from the memory as exact matches once approved a first time.
Each segment is filled from the best source available and says which one it was:

1. the translation memory (in-context, exact, or fuzzy at or above ``FUZZY_MIN`` percent);
2. machine translation, when an engine can translate Vietnamese into the language here
   (``argos`` by default, used only when a model for the pair is installed);
3. the glossary, when the whole sentence is one approved term (a headline, a heading);
4. nothing: left empty for the translator, with the glossary terms listed beside it.

``update_all`` (``translate --update``) re-drafts an existing translation after the memory or
glossary grew, touching only segments no editor or reviewer has worked on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from broadcast.errors import EngineError, InputError
from broadcast.languages import SOURCE_LANGUAGE, parse_languages
from broadcast.review.model import DraftSegment, ReviewState, Segment, SegmentTerm, Translation
from broadcast.store import translations as store
from broadcast.store.db import Database
from broadcast.store.records import StoredScript
from broadcast.store.workspace import Workspace

if TYPE_CHECKING:
    from broadcast.model.people import Person
    from broadcast.translate.engines import MTEngine
    from broadcast.translate.memory import TMMatch
    from broadcast.translate.values import TermHit

FUZZY_MIN = 70.0
DEFAULT_ENGINE = "argos"
_TRAILING = " .?!…:;"


@dataclass(frozen=True)
class DraftResult:
    language: str
    segments: tuple[DraftSegment, ...]
    engine: str | None

    def count(self, origin: str) -> int:
        return sum(1 for s in self.segments if s.origin == origin)


def target_languages(ws: Workspace, text: str) -> tuple[str, ...]:
    """'blt,hmn' -> station languages to draft; unknown, 'th', undeclared or 'vi' refused."""
    known = ws.station.language_registry()
    codes = tuple(c for c in parse_languages(text, known) if c != SOURCE_LANGUAGE)
    if not codes:
        raise InputError("Hãy chọn ngôn ngữ đích khác tiếng Việt, vd. --to blt,hmn.")
    missing = [c for c in codes if c not in ws.station.languages]
    if missing:
        raise InputError(
            f"Đài chưa khai báo ngôn ngữ {', '.join(missing)} trong station.toml "
            f"(đang có: {', '.join(ws.station.languages)})."
        )
    return codes


def segment_terms(hits: Sequence[TermHit]) -> tuple[SegmentTerm, ...]:
    """Glossary terms found in a source sentence, with their approved targets (or None)."""
    seen: dict[str, SegmentTerm] = {}
    for hit in hits:
        seen.setdefault(
            hit.source,
            SegmentTerm(source=hit.source, target=hit.target, forbidden=tuple(hit.forbidden)),
        )
    return tuple(seen.values())


def build_draft(
    ws: Workspace,
    db: Database,
    script: StoredScript,
    language: str,
    *,
    engine_name: str | None = DEFAULT_ENGINE,
    engine_chosen: bool = False,
) -> DraftResult:
    """The draft segments of one language (nothing stored: see ``draft_translation``)."""
    from broadcast.translate import memory, protect, termbase

    sentences = store.script_sentences(db, script.id)
    if not sentences:
        raise InputError(f"Kịch bản '{script.slug}' không có câu nào để dịch.")
    drafts: dict[int, DraftSegment] = {}
    terms: dict[int, tuple[SegmentTerm, ...]] = {}
    hits: dict[int, list[TermHit]] = {}
    previous: str | None = None
    for position, _role, source in sentences:
        hits[position] = termbase.find_terms(db, source, language)
        terms[position] = segment_terms(hits[position])
        matches = memory.lookup(db, source, language, previous=previous, limit=3)
        best = _best_match(matches)
        if best is not None:
            origin = {"in-context": "tm-in-context", "exact": "tm-exact"}.get(best.kind, "tm-fuzzy")
            drafts[position] = DraftSegment(
                position=position,
                source=source,
                target=best.target,
                origin=origin,
                score=round(float(best.score), 1),
                terms=terms[position],
                # Another station's pair says whose it is (the station's own says nothing).
                origin_from=best.provenance.label if best.provenance.province else "",
            )
        previous = source

    engine = _engine(ws, engine_name, language, chosen=engine_chosen)
    todo = [(p, s) for p, _r, s in sentences if p not in drafts]
    if engine is not None and todo:
        # Approved glossary terms go around the engine and are put back verbatim.
        items = [protect.protect(source, hits[position]) for position, source in todo]
        outputs = protect.translate_protected(engine, items, SOURCE_LANGUAGE, language)
        for (position, source), output in zip(todo, outputs, strict=True):
            target = output.text
            if target.strip():
                drafts[position] = DraftSegment(
                    position=position,
                    source=source,
                    target=target,
                    origin=f"mt:{engine.name}",
                    terms=terms[position],
                )

    segments: list[DraftSegment] = []
    for position, _role, source in sentences:
        if position in drafts:
            segments.append(drafts[position])
            continue
        whole = _whole_term(source, terms[position])
        segments.append(
            DraftSegment(
                position=position,
                source=source,
                target=whole or "",
                origin="glossary" if whole else "empty",
                terms=terms[position],
            )
        )
    return DraftResult(
        language=language, segments=tuple(segments), engine=engine.name if engine else None
    )


def draft_all(
    ws: Workspace,
    db: Database,
    script: StoredScript,
    languages: Sequence[str],
    *,
    actor: str,
    engine_name: str | None = DEFAULT_ENGINE,
    engine_chosen: bool = False,
) -> list[DraftResult]:
    """Build the drafts of every language, then store them together: all or none.

    Machine translation runs before anything is written, so a failing engine leaves no
    language half drafted and holds no write lock while it works.
    """
    _require_source(script)
    for language in languages:
        if store.translation_exists(db, script.id, language):
            raise InputError(
                f"Kịch bản '{script.slug}' đã có bản dịch {store.language_name(language)}; "
                f"xem và sửa bằng 'broadcast review show {script.slug} --lang {language}', "
                "hoặc điền lại các đoạn chưa ai sửa bằng "
                f"'broadcast translate {script.slug} --to {language} --update'."
            )
    results = [
        build_draft(ws, db, script, language, engine_name=engine_name, engine_chosen=engine_chosen)
        for language in languages
    ]
    with db.transaction():
        for result in results:
            _store_new(db, script, result, actor=actor)
    return results


def update_all(
    ws: Workspace,
    db: Database,
    script: StoredScript,
    languages: Sequence[str],
    *,
    actor: str,
    engine_name: str | None = DEFAULT_ENGINE,
    engine_chosen: bool = False,
) -> list[DraftResult | RefillResult]:
    """``translate --update``: re-draft after the memory or glossary grew.

    A language without a translation is drafted as usual. In an existing one only the
    segments nobody has touched (see ``untouched``) may change, and only for a better or
    equal source with a new text: an approved or edited segment stays byte for byte, so its
    approval stays valid. Drafting runs first; every language is then written in one
    transaction, which re-reads the segments so an edit made meanwhile is respected.
    """
    _require_source(script)
    built = [
        build_draft(ws, db, script, language, engine_name=engine_name, engine_chosen=engine_chosen)
        for language in languages
    ]
    results: list[DraftResult | RefillResult] = []
    with db.transaction():
        for result in built:
            if not store.translation_exists(db, script.id, result.language):
                _store_new(db, script, result, actor=actor)
                results.append(result)
                continue
            translation = store.load_translation(db, script.id, result.language)
            refills, terms_only = plan_refill(translation, result.segments)
            done = set(store.refill_segments(db, translation, refills, terms_only, actor=actor))
            refilled = tuple(s for s in refills if s.position in done)
            results.append(
                RefillResult(
                    language=result.language,
                    refilled=refilled,
                    kept=len(translation.segments) - len(refilled),
                )
            )
    return results


def editable_languages(ws: Workspace, to: str, person: Person) -> tuple[str, ...]:
    """The station languages in ``to``, each refused unless ``person`` translates or
    reviews it: a draft is a translator's (or reviewer's) work in each language."""
    from broadcast.review.workflow import require_editor

    codes = target_languages(ws, to)
    for code in codes:
        require_editor(person, code)
    return codes


def translate_script(
    ws: Workspace,
    script_ref: str,
    to: str,
    person: Person,
    *,
    engine: str | None = None,
    update: bool = False,
) -> tuple[StoredScript, list[DraftResult | RefillResult]]:
    """What ``broadcast translate`` and a translate job both run: the station languages in
    ``to``, each refused unless ``person`` translates or reviews it (before any work), then
    new drafts (``draft_all``) or re-filled ones (``update_all``) of the stored script."""
    from broadcast.store.records import find_script

    codes = editable_languages(ws, to, person)
    with ws.open_db() as db:
        script = find_script(db, script_ref)
        stage = update_all if update else draft_all
        results: list[DraftResult | RefillResult] = list(
            stage(
                ws,
                db,
                script,
                codes,
                actor=person.login,
                engine_name=engine or DEFAULT_ENGINE,
                engine_chosen=engine is not None,
            )
        )
    return script, results


def _store_new(db: Database, script: StoredScript, result: DraftResult, *, actor: str) -> None:
    store.create_translation(
        db,
        script_id=script.id,
        language=result.language,
        engine=result.engine,
        segments=result.segments,
        actor=actor,
    )


@dataclass(frozen=True)
class RefillResult:
    """What ``--update`` changed in an existing translation."""

    language: str
    refilled: tuple[DraftSegment, ...]
    kept: int

    def count(self, origin: str) -> int:
        return sum(1 for s in self.refilled if s.origin == origin)


def untouched(segment: Segment) -> bool:
    """A machine draft nobody has worked on: the only kind ``--update`` may replace."""
    return (
        segment.state is ReviewState.DRAFT
        and segment.approved_sha256 is None
        and segment.origin != "editor"
    )


def plan_refill(
    translation: Translation, drafts: Sequence[DraftSegment]
) -> tuple[list[DraftSegment], list[DraftSegment]]:
    """(segments to refill, segments whose glossary hints alone changed)."""
    refills: list[DraftSegment] = []
    terms_only: list[DraftSegment] = []
    for new in drafts:
        old = translation.segment_at(new.position)
        if old is None or not untouched(old):
            continue
        if _better(old, new):
            refills.append(new)
        elif new.terms != old.terms:
            terms_only.append(new)
    return refills, terms_only


# Same order as build_draft tries the sources: a refill never steps down this ladder, so a
# run without the MT model installed does not wipe earlier machine drafts.
_ORIGIN_RANK = {"empty": 0, "glossary": 1, "tm-fuzzy": 3, "tm-exact": 4, "tm-in-context": 5}


def _rank(origin: str) -> int:
    return 2 if origin.startswith("mt:") else _ORIGIN_RANK.get(origin, -1)


def _better(old: Segment, new: DraftSegment) -> bool:
    if not new.target.strip():
        return False
    if (new.target, new.origin, new.score) == (old.target, old.origin, old.score):
        return False
    if _rank(new.origin) != _rank(old.origin):
        return _rank(new.origin) > _rank(old.origin)
    if new.origin == "tm-fuzzy":
        return (new.score or 0.0) >= (old.score or 0.0)
    return True


def _require_source(script: StoredScript) -> None:
    if script.language != SOURCE_LANGUAGE:
        raise InputError(f"Kịch bản '{script.slug}' không phải bản tiếng Việt gốc.")


def _best_match(matches: Sequence[TMMatch]) -> TMMatch | None:
    """In-context before exact before fuzzy; fuzzy only from ``FUZZY_MIN`` percent."""
    rank = {"in-context": 2, "exact": 1}
    ranked = sorted(
        (m for m in matches if m.kind in rank or float(m.score) >= FUZZY_MIN),
        key=lambda m: (rank.get(m.kind, 0), float(m.score)),
        reverse=True,
    )
    return ranked[0] if ranked else None


def _engine(ws: Workspace, name: str | None, language: str, *, chosen: bool) -> MTEngine | None:
    """The MT engine to use, or None: a default engine that cannot serve the pair (package
    or model not installed) is skipped quietly; an engine the user named must work."""
    if not name or name == "none":
        return None
    from broadcast.translate.engines import get_engine

    try:
        engine = get_engine(name, ws)
        ready = engine.available(SOURCE_LANGUAGE, language)
    except EngineError:
        if chosen:
            raise
        return None
    if not ready:
        if chosen:
            raise EngineError(
                f"Bộ dịch máy '{name}' chưa có mô hình vi→{language}; cài bằng "
                "'broadcast mt install TỆP.argosmodel' hoặc bỏ --engine."
            )
        return None
    return engine


def _whole_term(source: str, terms: Sequence[SegmentTerm]) -> str | None:
    """The approved target when the whole sentence is one glossary term."""
    bare = source.strip().rstrip(_TRAILING).casefold()
    for term in terms:
        if term.target and term.source.strip().casefold() == bare:
            tail = source.strip()[len(source.strip().rstrip(_TRAILING)) :]
            return term.target + tail
    return None
