"""Build the radio script of an article: formulas, headline, chosen body, spoken forms.

The written form of each sentence goes to subtitles and editors; the spoken form goes to
the voice. Both are made from the same radio-style sentence and kept side by side, so the
two can never drift apart. Selection works on the article's sentences (units), each costed
by the seconds its radio parts take to say, pauses included, so the estimate the summary
is cut to is the estimate of the script that is voiced.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from broadcast.errors import InputError
from broadcast.model.spoken import Rewrite, RewriteKind
from broadcast.script.duration import Pace, station_pace
from broadcast.script.glossary import Glossary
from broadcast.script.model import Role, Script, ScriptSentence, Topic
from broadcast.script.radio import speakable, split_long
from broadcast.script.segment import syllables
from broadcast.script.spoken import SpokenForm, read_aloud
from broadcast.script.spoken.rewrites import RADIO_REASON, SPLIT_REASON, changes, dropped
from broadcast.script.summarize import Candidate, rank
from broadcast.script.topic import TopicGuess, guess_topic, parse_topic
from broadcast.store.station import Station
from broadcast.text.markers import LIST_MARKER
from broadcast.text.model import Article
from broadcast.text.sentences import split_sentences, strip_list_marker

MIN_BODY_SYLLABLES = 6


def _is_heading(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


# How alike (rapidfuzz token_set_ratio, 0-100) a sentence and the headline must be for the
# sentence to be the headline said again: the lead of a news article usually restates it.
HEADLINE_REPEAT = 85


def repeats_headline(sentence: str, title: str) -> bool:
    """Whether ``sentence`` says the headline again, so a listener would hear it twice.

    Token-set similarity ignores word order and the lead's extra words ("Sáng 15/3, ...")
    as long as nearly all of the headline's words are in it.
    """
    from rapidfuzz import fuzz

    a, b = sentence.lower().strip(" .!?…"), title.lower().strip(" .!?…")
    if not a or not b:
        return False
    return fuzz.token_set_ratio(a, b) >= HEADLINE_REPEAT and syllables(a) <= 1.5 * syllables(b)


_MAX_SUBHEADING_WORDS = 12


def is_subheading(paragraph: str) -> bool:
    """A short line without closing punctuation that is not a list item: a sub-heading
    ("Thủ tục đơn giản hơn") names the next paragraph and is not news of its own."""
    text = paragraph.strip()
    if not text or text[-1] in '.!?…:;,"”»)' or LIST_MARKER.match(text):
        return False
    return len(text.split()) <= _MAX_SUBHEADING_WORDS and text[0].isupper()


def body_sentences(article: Article, skipped: list[Rewrite] | None = None) -> list[str]:
    """The article's sentences that can stand alone on air (no headings, no sub-headings,
    no fragments, not the headline read a second time); ``skipped`` collects the
    sub-headings and the repeated headline, for the script view."""
    result: list[str] = []
    paragraphs = article.paragraphs
    for number, paragraph in enumerate(paragraphs):
        if number + 1 < len(paragraphs) and is_subheading(paragraph):
            if skipped is not None:
                skipped.append(dropped(paragraph.strip(), "subheading"))
            continue
        for sentence in split_sentences(paragraph):
            text = strip_list_marker(sentence).strip()
            if syllables(text) < MIN_BODY_SYLLABLES or _is_heading(text):
                continue
            if not result and repeats_headline(text, article.title):
                if skipped is not None:
                    skipped.append(dropped(text, "headline"))
                continue
            result.append(text)
    return result


@dataclass(frozen=True)
class BodyUnit:
    """One sentence of the article and the radio sentences it becomes."""

    index: int
    written: str
    parts: tuple[ScriptSentence, ...]
    seconds: float  # speech and the pause after each part
    links: tuple[str, ...] = field(default=())
    # Radio-style rewrites and the split, if any: shown to the editor when the unit is chosen.
    rewrites: tuple[Rewrite, ...] = field(default=(), compare=False)

    @property
    def syllables(self) -> int:
        """Spoken syllables: what the voice actually says."""
        return sum(syllables(p.spoken) for p in self.parts)


def _read(text: str, station: Station, glossary: Glossary) -> SpokenForm:
    return read_aloud(text, glossary, southern=station.southern_readings)


def _sentence(role: Role, written: str, reading: SpokenForm) -> ScriptSentence:
    return ScriptSentence(role, written, reading.text, reading.rewrites)


def prepare_body(
    article: Article,
    station: Station,
    glossary: Glossary,
    skipped: list[Rewrite] | None = None,
) -> list[BodyUnit]:
    """Every usable sentence made speakable, split to breathing length and timed;
    ``skipped`` collects what ``body_sentences`` left out, for the script view."""
    pace = station_pace(station)

    # split_long measures a text, its candidate parts and the parts again when it recurses:
    # each distinct text is turned into its spoken form once.
    @functools.cache
    def spoken(text: str) -> SpokenForm:
        return _read(text, station, glossary)

    def measure(text: str) -> int:
        return syllables(spoken(text).text)

    units: list[BodyUnit] = []
    for written in body_sentences(article, skipped):
        radio = speakable(written)
        if syllables(radio.text) < MIN_BODY_SYLLABLES:
            continue
        parts = tuple(
            _sentence(Role.BODY, part, spoken(part)) for part in split_long(radio.text, measure)
        )
        notes = changes(written, radio.text, RewriteKind.RADIO, RADIO_REASON)
        if len(parts) > 1:
            reason = SPLIT_REASON.format(n=measure(radio.text))
            joined = " / ".join(p.written for p in parts)
            notes.append(Rewrite(RewriteKind.SPLIT, radio.text, joined, reason))
        seconds = sum(pace.sentence_seconds(p.spoken) for p in parts)
        units.append(BodyUnit(len(units), written, parts, seconds, radio.links, tuple(notes)))
    return units


@dataclass(frozen=True)
class Summary:
    """The chosen units in article order, with the relevance each had and the totals."""

    units: tuple[BodyUnit, ...]
    scores: tuple[float, ...]
    target_seconds: float | None
    target_words: int | None

    @property
    def seconds(self) -> float:
        return sum(u.seconds for u in self.units)

    @property
    def words(self) -> int:
        return sum(syllables(u.written) for u in self.units)


def check_target(minutes: float | None, words: int | None) -> None:
    if minutes is not None and words is not None:
        raise InputError("Chỉ chọn một trong hai: --minutes hoặc --words.")
    if minutes is not None and minutes <= 0:
        raise InputError("Độ dài (--minutes) phải lớn hơn 0.")
    if words is not None and words <= 0:
        raise InputError("Số chữ (--words) phải lớn hơn 0.")


def choose(
    units: list[BodyUnit], budget: float, *, by_words: bool = False, lead_slack: float = 0.0
) -> Summary:
    """The units that fit ``budget`` (seconds, or written syllables when ``by_words``)."""
    candidates = [
        Candidate(u.index, u.written, syllables(u.written) if by_words else u.seconds)
        for u in units
    ]
    scores: list[float] = []
    chosen = sorted(rank(candidates, budget, scores=scores, lead_slack=lead_slack))
    return Summary(
        units=tuple(units[i] for i in chosen),
        scores=tuple(round(scores[i], 4) for i in chosen),
        target_seconds=None if by_words else budget,
        target_words=round(budget) if by_words else None,
    )


def summarize_article(
    article: Article,
    station: Station,
    glossary: Glossary,
    *,
    minutes: float | None = None,
    words: int | None = None,
) -> Summary:
    """The body sentences worth ``minutes`` of speech (default 1) or ``words`` syllables.

    The duration counts the body only, pauses included: what ``broadcast script`` puts
    between its opening formula and its closing formula.
    """
    check_target(minutes, words)
    units = prepare_body(article, station, glossary)
    if words is not None:
        return choose(units, words, by_words=True)
    return choose(units, (minutes if minutes is not None else 1.0) * 60)


def _framing(station: Station, title: str, glossary: Glossary) -> list[ScriptSentence]:
    opening = station.fill(station.opening)
    closing = station.fill(station.closing)
    headline = speakable(title).text or title
    if not title.rstrip().endswith("."):
        headline = headline.removesuffix(".")  # a title has no full stop on screen
    return [
        _sentence(Role.OPENING, opening, _read(opening, station, glossary)),
        _sentence(Role.HEADLINE, headline, _read(headline, station, glossary)),
        _sentence(Role.CLOSING, closing, _read(closing, station, glossary)),
    ]


def _seconds(pace: Pace, sentences: tuple[ScriptSentence, ...]) -> float:
    return pace.total_seconds((s.spoken, s.role is not Role.BODY) for s in sentences)


def article_topic(article: Article) -> TopicGuess:
    """The CCHC area guessed from the article; the title counts three times."""
    return guess_topic("\n".join([article.title] * 3 + [article.body]))


def build_script(
    article: Article,
    station: Station,
    minutes: float,
    glossary: Glossary,
    *,
    topic: Topic | str | None = None,
) -> Script:
    """The script ``produce`` voices: framing sentences around the body that fits ``minutes``.

    ``topic`` overrides the guessed CCHC area (a ``Topic`` or a name ``parse_topic`` knows).
    """
    check_target(minutes, None)
    pace = station_pace(station)
    opening, headline, closing = _framing(station, article.title, glossary)
    fixed = _seconds(pace, (opening, headline, closing))
    skipped: list[Rewrite] = []
    units = prepare_body(article, station, glossary, skipped)
    # The lead may overrun by a tenth of the segment, inside the ±15% a slot tolerates.
    summary = choose(units, minutes * 60 - fixed, lead_slack=minutes * 6)
    if not summary.units and units:
        # A target shorter than the formulas: a segment with no news is worse than a late one.
        summary = Summary((units[0],), (0.0,), summary.target_seconds, None)
    body = tuple(part for unit in summary.units for part in unit.parts)
    sentences = (opening, headline, *body, closing)
    chosen_topic = parse_topic(topic) if isinstance(topic, str) else topic
    return Script(
        title=article.title,
        language="vi",
        sentences=sentences,
        target_minutes=minutes,
        estimated_seconds=round(_seconds(pace, sentences), 1),
        topic=chosen_topic or article_topic(article).topic,
        source=article.source,
        links=tuple(link for unit in summary.units for link in unit.links),
        rewrites=(
            *_furniture(article),
            *skipped,
            *(note for unit in summary.units for note in unit.rewrites),
        ),
    )


def _furniture(article: Article) -> list[Rewrite]:
    """What ingestion dropped from the article (captions, bylines, agency tags...), with why;
    repairs of the encoding are not drops and the quality report lists them."""
    kinds = article.removed_kinds or ("",) * len(article.removed)
    return [
        dropped(text, kind)
        for text, kind in zip(article.removed, kinds, strict=False)
        if kind != "repaired"
    ]
