"""Find a readable title when the user did not give one.

Plans open with the document type in capitals ("KẾ HOẠCH") and the subject on the next line;
the presenter and the playlist need one line in normal case, "Kế hoạch tuyên truyền ...".
"""

from __future__ import annotations

from broadcast.text.clean import Paragraph
from broadcast.text.markers import LIST_MARKER, fold, is_upper_heading
from broadcast.text.sentences import split_sentences, strip_list_marker

_DOCUMENT_TYPES = frozenset(
    {
        "ke hoach",
        "thong bao",
        "quyet dinh",
        "bao cao",
        "huong dan",
        "chuong trinh",
        "cong van",
        "to trinh",
        "ban tin",
        "tin bai",
        "chi thi",
        "nghi quyet",
        "ke hoach tuyen truyen",
    }
)
_MAX_HEADING_WORDS = 20
_MAX_TITLE_WORDS = 12


def sentence_case(text: str) -> str:
    """ "KẾ HOẠCH TUYÊN TRUYỀN" -> "Kế hoạch tuyên truyền"; capitals shout on a screen."""
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


def _lower_first_word(text: str) -> str:
    """Lowercase the first word unless it is an acronym such as "UBND" or "CCHC"."""
    first = text.split(" ", 1)[0]
    if sum(ch.isupper() for ch in first) > 1:
        return text
    return text[:1].lower() + text[1:]


def _readable(text: str) -> str:
    return sentence_case(text) if is_upper_heading(text) else text


def _is_subject_line(text: str) -> bool:
    """A short line without closing punctuation: the subject under "KẾ HOẠCH", not prose."""
    return (
        len(text.split()) <= _MAX_HEADING_WORDS
        and text[-1] not in ".;:,!?"
        and not LIST_MARKER.match(text)
    )


def heading_title(paragraphs: list[Paragraph]) -> tuple[str | None, int]:
    """A title from the opening paragraphs, and how many of them it used up."""
    if not paragraphs:
        return None, 0
    first = paragraphs[0].text
    if fold(first).strip(" .:") in _DOCUMENT_TYPES and len(paragraphs) > 1:
        subject = paragraphs[1].text
        if _is_subject_line(subject):
            return f"{sentence_case(first)} {_lower_first_word(_readable(subject))}", 2
        return sentence_case(first), 1
    if len(paragraphs) > 1 and _is_subject_line(first):
        return _readable(first), 1
    return None, 0


# Words that open a new phrase: a title may end just before them and still be whole.
_PHRASE_OPENERS = frozenset(
    {
        "của", "tại", "trong", "về", "cho", "theo", "với", "để", "nhằm", "trên", "và", "khi",
        "từ", "đến", "sau", "trước", "nhưng", "vì", "do", "bằng", "qua", "thì", "mà", "là",
    }
)  # fmt: skip
_MIN_TITLE_WORDS = 5
_MAX_SHORT_TITLE_WORDS = 18


def shorten_title(text: str) -> str:
    """``text`` cut to about a dozen words at a phrase boundary, never with "…".

    A listener hears the headline once: a title cut mid-phrase ("... tham gia của…") sounds
    like a fault on the line. The cut falls after a comma or before a word that opens a new
    phrase ("của", "tại", "trong"...), outside quotations; with no such boundary in reach the
    text is kept whole.
    """
    words = text.split()
    if len(words) <= _MAX_TITLE_WORDS:
        return text.rstrip(".,;:")
    depth = 0
    commas: list[int] = []
    openers: list[int] = []
    for i, word in enumerate(words[:_MAX_SHORT_TITLE_WORDS]):
        if i >= _MIN_TITLE_WORDS and depth == 0:
            if words[i - 1].endswith((",", ";", ":")):
                commas.append(i)
            elif word.lower() in _PHRASE_OPENERS:
                openers.append(i)
        depth += sum(word.count(c) for c in "“«([") - sum(word.count(c) for c in "”»)]")
        depth += word.count('"') % 2 if depth == 0 else -(word.count('"') % 2)
    cuts = commas or openers
    if not cuts:
        return text.rstrip(".,;:")
    cut = cuts[-1]
    return " ".join(words[:cut]).rstrip(".,;:")


def sentence_title(body: str) -> str:
    """The first sentence, shortened at a phrase boundary: better than "Untitled"."""
    sentences = split_sentences(body.split("\n\n", 1)[0]) if body.strip() else []
    first = " ".join(strip_list_marker(sentences[0]).split()) if sentences else ""
    return shorten_title(first) or "Bài viết"
