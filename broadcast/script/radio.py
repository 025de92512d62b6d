"""Radio style: written sentences turned into sentences a listener can follow by ear.

A reader skims past "(sau đây viết tắt là CCHC)", a web address or a bullet; a listener
hears every word of it, or worse, the voice spells it. And a 70-syllable administrative
sentence cannot be said in one breath nor understood in one hearing. This module rewrites
the written form only: what the subtitles show is what the voice says, in two forms made
from the same sentence afterwards (``broadcast.script.spoken``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from broadcast.script.segment import pos_tags, starts_clause, syllables
from broadcast.text.sentences import inside_quotes, quoted_spans, strip_list_marker

MAX_SYLLABLES = 40
MIN_PART_SYLLABLES = 8

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"()]+|\b(?:[a-z0-9-]+\.)+(?:vn|com|net|org)/\S*")
_ABBREVIATION = r"[A-ZĐ][A-ZĐ0-9&\- ]*[A-ZĐ0-9]|[A-ZĐ]"
# "(sau đây viết tắt là CCHC)", "(gọi tắt là Đề án)", "(viết tắt: TTHC)"
_DEFINITION = re.compile(r"\s*\((?:sau đây )?(?:gọi|viết) tắt(?: là|:)?[^()]*\)", re.IGNORECASE)
_ABBREVIATION_IN_PARENS = re.compile(
    rf"\s*\((?:{_ABBREVIATION})(?:\s*[,;]\s*(?:{_ABBREVIATION}))*\)"
)
# Pointers into the document that a listener cannot follow.
_DOCUMENT_POINTER = re.compile(
    r"\s*\([^()]*(?:phụ lục|biểu mẫu|kèm theo|đính kèm|chi tiết tại|theo mẫu)[^()]*\)",
    re.IGNORECASE,
)
_OTHER_PARENS = re.compile(r"\s*\(([^()]*)\)")
_DANGLING_INTRO = re.compile(
    r"(?:,\s*)?(?:cụ thể\s+)?(?:như sau|gồm|bao gồm|sau đây|cụ thể)\s*:?\s*$", re.IGNORECASE
)
_BULLETS = re.compile(r"\s*[•▪●◦■□➢➤✓✔]\s*")


@dataclass(frozen=True)
class Speakable:
    """A sentence rewritten for the ear, and the addresses it no longer spells out."""

    text: str
    links: tuple[str, ...] = field(default=())


def _host(url: str) -> str:
    url = url.rstrip(".,;:")
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/")[0].lower()


def _replace_urls(text: str, links: list[str]) -> str:
    """A path means nothing on air: keep the site name, "địa chỉ" first if nothing says so."""

    def one(match: re.Match[str]) -> str:
        url = match.group(0).rstrip(".,;:")
        links.append(url)
        before = text[: match.start()].rstrip().lower()
        said = before.endswith(("địa chỉ", "địa chỉ:", "trang", "trang web", "cổng", "website"))
        tail = match.group(0)[len(url) :]
        return (_host(url) if said else f"địa chỉ {_host(url)}") + tail

    return _URL.sub(one, text)


def _parentheses(text: str) -> str:
    """Definitions and abbreviations go; short asides become commas; pointers go."""
    text = _DEFINITION.sub("", text)
    text = _ABBREVIATION_IN_PARENS.sub("", text)
    text = _DOCUMENT_POINTER.sub("", text)

    def aside(match: re.Match[str]) -> str:
        inner = match.group(1).strip(" ,;")
        if not inner:
            return ""
        return f", {inner},"

    text = _OTHER_PARENS.sub(aside, text)
    # A bracket the sentence splitter cut away from its partner is read as a pause.
    return re.sub(r"\s*[()]\s*", ", ", text)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*([,.;:!?])", r"\1", text)  # ", ," or ",." left by a removed aside
    text = re.sub(r"([;:])\s*\.", ".", text)
    return text.strip(" ,")


def _finish(text: str) -> str:
    """A sentence of its own: capital first letter, a full stop last."""
    text = _tidy(text)
    text = _DANGLING_INTRO.sub("", text).rstrip(" ,;:") if text.endswith(":") else text
    text = text.rstrip(" ,;:")
    if not text:
        return ""
    if text[-1] not in ".!?…":
        text += "."
    return text[0].upper() + text[1:]


def speakable(sentence: str) -> Speakable:
    """``sentence`` as a presenter would say it; empty text if nothing speakable is left."""
    links: list[str] = []
    text = strip_list_marker(sentence)
    text = _BULLETS.sub(" ", text)
    text = text.replace("**", "").replace("__", "")
    text = _replace_urls(text, links)
    text = _parentheses(text)
    text = _finish(text)
    return Speakable(text=text if syllables(text) else "", links=tuple(links))


# --- splitting long sentences -----------------------------------------------------------------

# Conjunctions after a comma where a new sentence can start, and how that sentence begins.
_CONNECTIVES: dict[str, str] = {
    "đồng thời": "Đồng thời,",
    "trong đó": "Trong đó,",
    "qua đó": "Qua đó,",
    "từ đó": "Từ đó,",
    "bên cạnh đó": "Bên cạnh đó,",
    "ngoài ra": "Ngoài ra,",
    "tuy nhiên": "Tuy nhiên,",
    "nhưng": "Tuy vậy,",
    "góp phần": "Qua đó góp phần",
    "nhằm": "Việc này nhằm",
    "để": "Việc này để",
}
_CONNECTIVE = re.compile(
    r",\s+(" + "|".join(sorted(map(re.escape, _CONNECTIVES), key=len, reverse=True)) + r")\b,?",
    re.IGNORECASE,
)
# Without a comma only a purpose clause starts here. "và" is never a cut: it joins
# coordinated nouns or verbs ("khai sinh và khai tử"), and either side alone is a fragment.
_BARE_CONNECTIVE = re.compile(r"(?<=\w)\s+(để|nhằm)\s+")
Measure = Callable[[str], int]


@dataclass(frozen=True)
class _Cut:
    start: int  # end of the first part
    resume: int  # start of the second part
    opener: str  # words that begin the second part
    strength: int  # 0 strongest


def _cuts(text: str) -> list[_Cut]:
    """Every clause boundary of ``text`` outside quotations and brackets."""
    spans = quoted_spans(text)
    return [c for c in _all_cuts(text) if not inside_quotes(spans, c.start)]


def _all_cuts(text: str) -> list[_Cut]:
    cuts = [_Cut(m.start(), m.end(), "", 0) for m in re.finditer(r";\s*", text)]
    for m in _CONNECTIVE.finditer(text):
        word = m.group(1).lower()
        cuts.append(_Cut(m.start(), m.end(), _CONNECTIVES[word], 1))
    for m in _BARE_CONNECTIVE.finditer(text):
        if starts_clause(text[m.end() :]):
            cuts.append(_Cut(m.start(), m.end(), _CONNECTIVES[m.group(1).lower()], 2))
    # A bare comma or colon is not a cut: in administrative Vietnamese it separates
    # coordinated nouns and verbs ("công tác thông tin, tuyên truyền") or introduces a list
    # ("như: Zalo, Facebook"), and either side alone is a fragment a listener cannot follow.
    return cuts


# Words a complete sentence never starts with: they continue what came before.
_CONTINUATIONS = frozenset({"thì", "về", "của", "mà", "và", "hoặc", "với", "cho", "là"})
_SUBJECT_LIKE = frozenset({"N", "Np", "Ny", "Nc", "P"})


def is_complete(text: str) -> bool:
    """Whether ``text`` can be heard as a sentence of its own: it has a subject-like noun
    phrase and a verb (pyvi's tags), and does not open with a word that continues another
    phrase ("thì", "về"), so a cut never leaves "Nhà nước về sắp xếp..." on air."""
    first = text.split(" ", 1)[0].strip(",;:").lower()
    if first in _CONTINUATIONS:
        return False
    tags = {t for _, t in pos_tags(text)}
    return "V" in tags and bool(tags & _SUBJECT_LIKE)


def _parts(text: str, cut: _Cut) -> tuple[str, str]:
    first = _finish(text[: cut.start])
    rest = text[cut.resume :].strip()
    second = _finish(f"{cut.opener} {rest}" if cut.opener else rest)
    return first, second


def _best_cut(text: str, measure: Measure, limit: int) -> tuple[str, str] | None:
    """The strongest boundary that leaves both parts long enough, nearest the middle."""
    total = measure(text)
    options = []
    for cut in _cuts(text):
        first, second = _parts(text, cut)
        a, b = measure(first), measure(second)
        if a < MIN_PART_SYLLABLES or b < MIN_PART_SYLLABLES:
            continue
        if not (is_complete(first) and is_complete(second)):
            continue
        # A cut that fixes the length in one go beats a stronger one that leaves a long part.
        fits = int(a > limit) + int(b > limit)
        options.append(((cut.strength, fits, abs(a - total / 2)), first, second))
    if not options:
        return None
    strongest = min(o[0][0] for o in options)
    usable = [o for o in options if o[0][0] <= max(strongest, 1)] or options
    _, first, second = min(usable, key=lambda o: (o[0][1], o[0][2]))
    return first, second


def split_long(text: str, measure: Measure = syllables, limit: int = MAX_SYLLABLES) -> list[str]:
    """Sentences of at most ``limit`` syllables (as ``measure`` counts them), cut at natural
    boundaries; a sentence with no usable boundary is left whole rather than broken mid-phrase.
    """
    if measure(text) <= limit:
        return [text]
    cut = _best_cut(text, measure, limit)
    if cut is None:
        return [text]
    first, second = cut
    return [*split_long(first, measure, limit), *split_long(second, measure, limit)]
