"""The on-air gate: only a fully approved script of a language may be voiced, rendered or
scheduled in that language, and a render only while it voices the text approved now.

Voice, render and schedule stages ask here rather than reading review tables themselves, so
the rule lives in one place. The database says the same thing in SQL (views
``approved_languages`` and ``current_renders``, used by the triggers of migrations 5 and 8);
the functions below also recompute every hash from the texts and check that each approval
is backed by its record in the append-only approvals table, so a text or a state changed
behind the triggers' back is still refused.
"""

from __future__ import annotations

from collections.abc import Iterable

from broadcast.errors import InputError
from broadcast.store import translations as store
from broadcast.store.db import Database
from broadcast.store.hashes import script_sha256, sentence_sha256, text_sha256
from broadcast.store.renders import RenderBinding, TextHash, render_binding, source_sentences


def _source_intact(db: Database, script_id: int) -> bool:
    """Every source sentence still has the digest the toolkit stored with it."""
    sentences = source_sentences(db, script_id)
    return bool(sentences) and all(
        s.text_sha256 == sentence_sha256(s.written, s.spoken) for s in sentences
    )


def is_approved(db: Database, script_id: int, language: str) -> bool:
    """True when ``language`` of the script may go on air."""
    source = store.script_language(db, script_id)
    if source is None or not _source_intact(db, script_id):
        return False
    if not store.listed_as_approved(db, script_id, language):
        return False
    if language == source:  # the content approver's, of exactly these written+spoken forms
        texts = [(s.written, s.spoken) for s in source_sentences(db, script_id)]
        return store.latest_source_approval(db, script_id) == ("approve", script_sha256(texts))
    translation = store.load_translation(db, script_id, language)
    records = store.latest_segment_approvals(db, translation.id)
    positions = [p for p, _role, _text in store.script_sentences(db, script_id)]
    return [s.position for s in translation.segments] == positions and all(
        s.approval_valid and records.get(s.id) == ("approve", s.approved_sha256)
        for s in translation.segments
    )


def require_approved(db: Database, script_id: int, language: str) -> None:
    """Raise a Vietnamese InputError naming the script and language unless approved."""
    if is_approved(db, script_id, language):
        return
    if store.script_language(db, script_id) is None:
        raise InputError(
            f"Không có kịch bản số {script_id} trong cơ sở dữ liệu; xem danh sách bằng "
            "'broadcast script list --all'."
        )
    if language == store.script_language(db, script_id):
        raise InputError(
            f"Kịch bản {store.script_label(db, script_id)} chưa được duyệt nội dung (hoặc đã "
            "sửa sau khi duyệt): chỉ kịch bản đã duyệt mới được lên lịch phát hoặc xuất bản; "
            "người duyệt nội dung chạy 'broadcast script approve "
            f"{store.script_label(db, script_id).strip(chr(39))}'."
        )
    raise InputError(
        f"Kịch bản {store.script_label(db, script_id)} chưa được duyệt bằng "
        f"{store.language_name(language)} ({language}): chỉ bản dịch đã duyệt hết mọi câu "
        "mới được đọc, dựng hoặc lên lịch phát; xem 'broadcast review show'."
    )


def approved_sentences(db: Database, script_id: int, language: str) -> list[str]:
    """The approved text per script sentence position; for the source language, the
    script's written forms (voice stages keep using the spoken forms for Vietnamese)."""
    require_approved(db, script_id, language)
    if language == store.script_language(db, script_id):
        return [text for _p, _role, text in store.script_sentences(db, script_id)]
    translation = store.load_translation(db, script_id, language)
    return [s.target for s in translation.segments]


def approved_text_hashes(db: Database, script_id: int, language: str) -> tuple[TextHash, ...]:
    """THE hashes of the texts approved now for (script, language), one per sentence: what
    a render records when it is made, and what it is compared with before it airs.

    Source language: ``sentence_sha256`` of each sentence (written and spoken forms).
    Translation: the hash of each approved target, with the source sentence's hash.
    Raises the gate's InputError when the language is not approved.
    """
    require_approved(db, script_id, language)
    sources = {
        s.position: sentence_sha256(s.written, s.spoken) for s in source_sentences(db, script_id)
    }
    if language == store.script_language(db, script_id):
        return tuple(TextHash(p, digest) for p, digest in sources.items())
    translation = store.load_translation(db, script_id, language)
    return tuple(
        TextHash(s.position, text_sha256(s.target), sources[s.position])
        for s in translation.segments
    )


def renderable_text_hashes(db: Database, script_id: int, language: str) -> tuple[TextHash, ...]:
    """What a render made now records: like ``approved_text_hashes``, except that the
    script's own language may be voiced BEFORE its content approval (``produce`` builds the
    renders, then waits for the approver, who may want to hear them). Such a render is not
    current (so never planned or exported) until the approval of exactly these texts."""
    if language != store.script_language(db, script_id):
        return approved_text_hashes(db, script_id, language)
    if not _source_intact(db, script_id):
        require_approved(db, script_id, language)  # raises the gate's sentence
    return tuple(
        TextHash(s.position, sentence_sha256(s.written, s.spoken))
        for s in source_sentences(db, script_id)
    )


def renderable_sentences(db: Database, script_id: int, language: str) -> list[str]:
    """The texts a render shows: the script's written forms for its own language (approved
    or not, see ``renderable_text_hashes``), the approved targets for a translation."""
    if language != store.script_language(db, script_id):
        return approved_sentences(db, script_id, language)
    return [text for _p, _role, text in store.script_sentences(db, script_id)]


def rerender_command(render: RenderBinding, source_language: str = "vi") -> str:
    """The command that makes this render again from the approved text (the stage cache
    makes it cheap when only some sentences changed)."""
    lang = "" if render.language == source_language else f" --lang {render.language}"
    if render.kind == "audio":
        profile = render.profile or "loudspeaker"
        extra = "" if profile == "loudspeaker" else f" --profile {profile}"
        return f"broadcast mix {render.slug}{extra}{lang}"
    extra = " --format landscape" if render.format == "landscape" else ""
    return f"broadcast video {render.slug}{extra}{lang}"


def render_problem(db: Database, render_id: int) -> str | None:
    """None while the render voices exactly the texts approved now; otherwise one
    Vietnamese sentence saying what changed and which command re-renders it."""
    render = render_binding(db, render_id)
    if render is None:
        return f"Không có bản thu số {render_id} trong cơ sở dữ liệu."
    source = store.script_language(db, render.script_id) or "vi"
    name = f"{store.language_name(render.language)} ({render.language})"
    if not is_approved(db, render.script_id, render.language):
        return (
            f"Bản thu {render.path} bằng {name} không được phát: kịch bản '{render.slug}' "
            f"chưa được duyệt (hoặc đã mất phê duyệt) bằng {name}; xem 'broadcast review show'."
        )
    redo = rerender_command(render, source)
    if not render.texts:
        return (
            f"Bản thu {render.path} bằng {name} được làm khi chưa ghi lại văn bản đã duyệt nên "
            f"không được phát; dựng lại bằng '{redo}'."
        )
    current = {t.position: t for t in approved_text_hashes(db, render.script_id, render.language)}
    recorded = {t.position: t for t in render.texts}
    changed = sorted(
        p
        for p in set(current) | set(recorded)
        if p not in current
        or p not in recorded
        or current[p].text_sha256 != recorded[p].text_sha256
    )
    sources = sorted(
        p
        for p in set(current) & set(recorded)
        if p not in changed and current[p].source_sha256 != recorded[p].source_sha256
    )
    if not changed and not sources:
        return None
    what = []
    if changed:
        what.append(f"văn bản câu {_numbers(changed)} đã đổi")
    if sources:
        what.append(f"câu gốc tiếng Việt {_numbers(sources)} đã đổi")
    return (
        f"Bản thu {render.path} bằng {name} được làm từ văn bản cũ ({'; '.join(what)} "
        f"so với văn bản đang được duyệt) nên không được phát; dựng lại bằng '{redo}'."
    )


def stale_renders(db: Database, render_ids: Iterable[int]) -> dict[int, str]:
    """The renders among ``render_ids`` that may not air now, each with its reason."""
    problems = {}
    for render_id in sorted(set(render_ids)):
        problem = render_problem(db, render_id)
        if problem is not None:
            problems[render_id] = problem
    return problems


def require_current_render(db: Database, render_id: int) -> None:
    problem = render_problem(db, render_id)
    if problem is not None:
        raise InputError(problem)


def _numbers(positions: list[int]) -> str:
    """Sentence numbers as people count them (from 1)."""
    return ", ".join(str(p + 1) for p in positions)
