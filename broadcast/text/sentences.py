"""Split a paragraph into sentences a presenter can say in one breath.

Administrative Vietnamese is full of dots that do not end anything: "TP. Sơn La", "ThS.",
"1.000 người", "1.1. Nâng cao ...", and the legal "./." that closes a document. A sentence
split in the wrong place is read aloud with a pause in the wrong place, so each dot is judged
by what precedes and follows it.
"""

from __future__ import annotations

import re

from broadcast.text.markers import LIST_MARKER

# Titles and place abbreviations: a name always follows, never a new sentence.
_ABBREVIATIONS = frozenset(
    {
        "TP",
        "Tp",
        "Q",
        "TS",
        "ThS",
        "Ths",
        "Th",
        "PGS",
        "GS",
        "BS",
        "KS",
        "NCS",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "St",
        "Tr",
        "Nxb",
        "NXB",
    }
)
# Single capitals are initials ("Nguyễn V. A."), but I, V and X are Roman numerals ("quý I.").
_ROMAN_LETTERS = frozenset("IVX")
_BOUNDARY = re.compile(r"\./\.|[.!?…]+[\"'”’»)\]]*(?=\s|$)")
_MARKER_ONLY = re.compile(r"^(?:[IVXL]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\.$")
_OPENERS = "\"'“‘«(["
_MIN_CLAUSE_WORDS = 8


def _word_before(text: str) -> str:
    match = re.search(r"(\S+)$", text)
    return match.group(1).lstrip(_OPENERS) if match else ""


def _is_abbreviation_part(word: str) -> bool:
    if word in _ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isupper() and word not in _ROMAN_LETTERS


def _is_abbreviation(word: str) -> bool:
    """Titles like TP, Q, Th.S and PGS.TS precede a name, so their dot is not a full stop."""
    return all(_is_abbreviation_part(part) for part in word.split(".")) if word else False


def _next_starts_lower(text: str) -> bool:
    first = text.lstrip().lstrip(_OPENERS)[:1]
    return first.islower()


def _is_boundary(text: str, start: int, match: re.Match[str]) -> bool:
    """Whether the punctuation in ``match`` ends the sentence that began at ``start``."""
    token = match.group().rstrip("\"'”’»)]")
    if token == "./.":
        return True
    rest = text[match.end() :]
    if not rest.strip():
        return True
    if token != ".":
        # "..." and "…" inside a sentence ("như: Zalo… và") are followed by lowercase.
        return not (set(token) <= {".", "…"} and _next_starts_lower(rest))
    before = text[start : match.start()]
    word = _word_before(before)
    if _is_abbreviation(word):
        return False
    if word.endswith("v.v") and _next_starts_lower(rest):
        return False
    return not _MARKER_ONLY.match(before.strip() + ".")


def _finish(piece: str, token: str) -> str:
    """The text of one sentence; "./." becomes an ordinary full stop."""
    piece = re.sub(r"\s+", " ", piece).strip()
    if token == "./." and piece and piece[-1] not in ".!?…":
        piece += "."
    return piece


_PAIRS = {"“": "”", "«": "»", "(": ")", "[": "]"}


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where quotations and brackets run: a menu label ("Khai sinh, khai tử"), a document
    title or an aside is one unit, so no sentence or clause may end inside it.

    Straight double quotes pair up in order; an unclosed opener protects nothing, so a stray
    mark cannot swallow the rest of the paragraph.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for i, ch in enumerate(text):
        if ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i + 1))
                straight = None
        elif ch in _PAIRS:
            stack.append((_PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            spans.append((stack.pop()[1], i + 1))
    return spans


def inside_quotes(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls strictly inside one of ``spans``."""
    return any(start < position < end for start, end in spans)


def _hard_split(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    spans = quoted_spans(text)
    for match in _BOUNDARY.finditer(text):
        if match.start() < start or not _is_boundary(text, start, match):
            continue
        if inside_quotes(spans, match.end()):
            continue
        if match.group() == "./.":
            piece = _finish(text[start : match.start()], "./.")
        else:
            piece = _finish(text[start : match.end()], "")
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = _finish(text[start:], "")
    if tail:
        sentences.append(tail)
    return sentences


def _split_semicolons(sentence: str) -> list[str]:
    """Cut at ";" only where both sides are long: short clauses read better together."""
    spans = quoted_spans(sentence)
    clauses: list[str] = []
    last = 0
    for match in re.finditer(r"(?<=;)\s+", sentence):
        if not inside_quotes(spans, match.start()):
            clauses.append(sentence[last : match.start()])
            last = match.end()
    clauses.append(sentence[last:])
    chunks: list[str] = []
    current: list[str] = []
    for i, clause in enumerate(clauses):
        current.append(clause)
        rest_words = sum(len(c.split()) for c in clauses[i + 1 :])
        current_words = sum(len(c.split()) for c in current)
        if current_words >= _MIN_CLAUSE_WORDS and rest_words >= _MIN_CLAUSE_WORDS:
            chunks.append(" ".join(current))
            current = []
    if current:
        chunks.append(" ".join(current))
    return chunks


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences, keeping their text as written (minus "./.")."""
    return [chunk for sentence in _hard_split(text) for chunk in _split_semicolons(sentence)]


def strip_list_marker(sentence: str) -> str:
    """Drop leading "1.", "1.1.", "a)", "I.", "-" markers a presenter would not read aloud."""
    text = sentence
    while (match := LIST_MARKER.match(text)) is not None:
        text = text[match.end() :].lstrip()
    return text
