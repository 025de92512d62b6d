"""Build the radio script of an article: formulas, headline, chosen body, spoken forms.

The written form of each sentence goes to subtitles and editors; the spoken form goes to
the voice. Both are kept side by side so the two can never drift apart.
"""

from __future__ import annotations

from broadcast.script.glossary import Glossary
from broadcast.script.model import Role, Script, ScriptSentence
from broadcast.script.spoken import to_spoken
from broadcast.script.summarize import Candidate, select, syllables
from broadcast.store.station import Station
from broadcast.text.model import Article
from broadcast.text.sentences import split_sentences, strip_list_marker

MIN_BODY_SYLLABLES = 6
# Fixed costs of a segment that are not speech: two chimes and the silences around them.
FRAME_SECONDS = 4.5


def _is_heading(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def body_sentences(article: Article) -> list[str]:
    """The article's sentences that can stand alone on air (no headings, no fragments)."""
    result = []
    for paragraph in article.paragraphs:
        for sentence in split_sentences(paragraph):
            text = strip_list_marker(sentence).strip()
            if syllables(text) < MIN_BODY_SYLLABLES or _is_heading(text):
                continue
            result.append(text)
    return result


def _seconds(station: Station, syllable_count: int) -> float:
    return syllable_count / station.syllables_per_minute * 60


def _framing(station: Station, title: str, glossary: Glossary) -> list[ScriptSentence]:
    southern = station.southern_readings
    opening = station.fill(station.opening)
    closing = station.fill(station.closing)
    return [
        ScriptSentence(Role.OPENING, opening, to_spoken(opening, glossary, southern=southern)),
        ScriptSentence(Role.HEADLINE, title, to_spoken(title, glossary, southern=southern)),
        ScriptSentence(Role.CLOSING, closing, to_spoken(closing, glossary, southern=southern)),
    ]


def build_script(article: Article, station: Station, minutes: float, glossary: Glossary) -> Script:
    """The script ``produce`` voices: framing sentences around the body that fits ``minutes``."""
    opening, headline, closing = _framing(station, article.title, glossary)
    pause_s = station.pause_ms / 1000
    fixed = [opening, headline, closing]
    fixed_seconds = sum(_seconds(station, syllables(s.spoken)) + pause_s for s in fixed)
    southern = station.southern_readings
    body = [
        (text, to_spoken(text, glossary, southern=southern)) for text in body_sentences(article)
    ]
    budget_seconds = minutes * 60 - FRAME_SECONDS - fixed_seconds
    per_sentence_pause = pause_s * station.syllables_per_minute / 60
    candidates = [
        Candidate(index=i, text=written, cost=syllables(spoken) + round(per_sentence_pause))
        for i, (written, spoken) in enumerate(body)
    ]
    budget = int(budget_seconds * station.syllables_per_minute / 60)
    chosen = select(candidates, budget)
    body_lines = [ScriptSentence(Role.BODY, body[i][0], body[i][1]) for i in chosen]
    sentences = (opening, headline, *body_lines, closing)
    estimate = FRAME_SECONDS + sum(
        _seconds(station, syllables(s.spoken)) + pause_s for s in sentences
    )
    return Script(
        title=article.title,
        language="vi",
        sentences=sentences,
        target_minutes=minutes,
        estimated_seconds=round(estimate, 1),
    )
