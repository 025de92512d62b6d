"""Vietnamese words, not syllables, as the unit of meaning for similarity.

Vietnamese writes one syllable per token, so "cải cách hành chính" is four tokens but two
words ("cải_cách", "hành_chính"). Comparing sentences on syllables makes "hành" in "hành
chính" and "hành" in "thực hành" the same feature; pyvi's word segmentation (a CRF model
shipped inside the package, loaded by ``pyvi_models`` without
scikit-learn) joins the syllables of one word so that similarity, centrality
and redundancy are measured on words. Durations, on the other hand, are counted in syllables.
"""

from __future__ import annotations

import re
from functools import lru_cache

from broadcast.script import pyvi_models

_WORD = re.compile(r"\w+", re.UNICODE)
_SEGMENTED_WORD = re.compile(r"\w+(?:_\w+)*", re.UNICODE)

# Function words that carry no topic: their overlap says nothing about two sentences.
STOPWORDS = frozenset(
    {
        "và", "của", "các", "những", "là", "được", "trong", "với", "cho", "có", "này", "đã", "để",
        "về", "theo", "tại", "từ", "một", "sẽ", "đang", "thì", "mà", "ra", "vào", "lên", "bị",
        "do", "nên", "nếu", "khi", "đó", "như", "cũng", "hay", "hoặc", "thêm", "rất", "nhiều",
        "đến", "trên", "dưới", "sau", "trước", "không", "chưa", "ở", "vẫn", "còn", "bằng", "gồm",
        "nhằm", "cùng", "việc", "vì", "nhưng", "lại", "rằng", "thế", "vậy",
    }
)  # fmt: skip


def syllables(text: str) -> int:
    """Syllables of Vietnamese text: one per written word token (digits count as one)."""
    return len(_WORD.findall(text))


def syllable_tokens(text: str) -> list[str]:
    """Lowercased syllables without punctuation, the unit of ROUGE and of reading time."""
    return [t.lower() for t in _WORD.findall(text)]


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """Lowercased words of ``text`` ("cải_cách", "hành_chính"), punctuation dropped."""
    segmented = pyvi_models.tokenize(text)
    return tuple(w.lower() for w in _SEGMENTED_WORD.findall(segmented))


def content_words(text: str) -> list[str]:
    """Words that say what a sentence is about: no function words, no bare numbers."""
    return [w for w in words(text) if w not in STOPWORDS and not w.isdigit()]


@lru_cache(maxsize=4096)
def pos_tags(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part-of-speech) pairs from pyvi's tagger: V verb, N noun, Np proper noun, ..."""
    tagged_words, tags = pyvi_models.pos_tag(pyvi_models.tokenize(text))
    return tuple((w, str(t)) for w, t in zip(tagged_words, tags, strict=True))


def starts_clause(text: str) -> bool:
    """Whether ``text`` opens with a verb phrase or a subject and its verb (a new clause),
    rather than a noun phrase continuing a list."""
    tags = [t for w, t in pos_tags(text) if _SEGMENTED_WORD.fullmatch(w)]
    if not tags:
        return False
    if tags[0] == "V":
        return True
    # A short subject ("UBND xã Mường La", "người dân") followed by its verb.
    for tag in tags[:4]:
        if tag == "V":
            return True
        if tag not in _SUBJECT_TAGS:
            return False
    return False


_SUBJECT_TAGS = frozenset({"N", "Np", "Ny", "Nc", "P"})
