"""pyvi's word segmenter and part-of-speech tagger, loaded in milliseconds.

pyvi ships two CRF models as pickles of ``sklearn_crfsuite.CRF`` objects. Importing
``pyvi.ViTokenizer`` unpickles them through scikit-learn, which costs 1.5-3 s on a commune
PC: most of a ``broadcast summarize`` call. The models themselves are plain CRFsuite files
carried inside the pickles; python-crfsuite (which pyvi already depends on) opens them from
memory. So this module reads the pickles with an unpickler that resolves only the few names
those files use and never imports scikit-learn or runs arbitrary code, and re-states pyvi's
feature functions (MIT licence, pyvi 0.1.1, by Viet-Trung Tran) so that the output is the
same as pyvi's — ``tests/test_pyvi_models.py`` compares both on real articles.
"""

from __future__ import annotations

import codecs
import io
import pickle
import re
import string
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

from broadcast.errors import EngineError

_PUNCTUATION = frozenset(string.punctuation)
_POS_FILTERED = frozenset([*string.punctuation, "\u2026", "\u201d", "\u201c", "\u2019", "..."])

# pyvi's syllable pattern (ViTokenizer.sylabelize), kept in its order: abbreviations, then
# specials, web and e-mail addresses, numbers with separators, punctuation, words.
_SYLLABLE = re.compile(
    "("
    + "|".join(
        [
            r"[A-ZĐ]+\.", r"Tp\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Dr\.", r"ThS\.",
            "==>", "->", r"\.\.\.", ">>", "\n",
            r"\w+://[^\s]+", r"([a-zA-Z0-9_.+-]+@([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+)",
            r"\d+([\.,_]\d+)+", r"[^\w\s]", r"\w+",
        ]
    )
    + ")",
    re.UNICODE,
)  # fmt: skip


_KEEP_ALIVE: list[bytes] = []


class _Attributes:
    """Stands in for every class the pickles name: only the attributes are wanted."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, dict):
            self.__dict__.update(state)


class _ModelUnpickler(pickle.Unpickler):
    """Resolves the names pyvi's pickles use to inert stand-ins; anything else is refused,
    so a tampered pickle cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if module.split(".")[0] in {"sklearn_crfsuite", "pycrfsuite", "numpy"}:
            return _Attributes
        if (module, name) == ("_codecs", "encode"):
            return codecs.encode
        raise pickle.UnpicklingError(f"{module}.{name} không thuộc mô hình của pyvi")


def _pyvi_file(name: str) -> bytes:
    try:
        return resources.files("pyvi").joinpath("models", name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise EngineError(
            f"Không đọc được mô hình tách từ của pyvi ({name}): {exc}. Cài lại bằng "
            "'pip install --force-reinstall pyvi'."
        ) from None


def _tagger(pickle_name: str) -> Any:
    """A python-crfsuite tagger holding the CRFsuite model inside one of pyvi's pickles."""
    import pycrfsuite

    crf = _ModelUnpickler(io.BytesIO(_pyvi_file(pickle_name))).load()
    resource = getattr(crf, "modelfile", None)
    data = getattr(resource, "__dict__", {}).get("__FILE_RESOURCE_DATA__")
    if not isinstance(data, bytes):
        raise EngineError(f"Mô hình {pickle_name} của pyvi không có dữ liệu CRF; cài lại pyvi.")
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(data)
    _KEEP_ALIVE.append(data)  # CRFsuite reads the model from this buffer, never copies it
    return tagger


@lru_cache(maxsize=1)
def _segmenter() -> tuple[Any, frozenset[str], frozenset[str]]:
    text = _pyvi_file("words.txt").decode("utf-8")
    bi_grams, tri_grams = set(), set()
    for token in text.split("\n"):
        parts = token.split(" ")
        if len(parts) == 2:
            bi_grams.add(token)
        elif len(parts) == 3:
            tri_grams.add(token)
    return _tagger("pyvi3.pkl"), frozenset(bi_grams), frozenset(tri_grams)


@lru_cache(maxsize=1)
def _pos_tagger() -> Any:
    return _tagger("pyvipos3.pkl")


def syllabify(text: str) -> list[str]:
    """pyvi's syllables of ``text`` (NFC): words, numbers, addresses, punctuation marks."""
    return [match.group(0) for match in _SYLLABLE.finditer(unicodedata.normalize("NFC", text))]


def _word_features(
    sent: list[str], i: int, bi_grams: frozenset[str], tri_grams: frozenset[str]
) -> dict[str, Any]:
    word = sent[i]
    features: dict[str, Any] = {
        "bias": 1.0,
        "word.lower()": word.lower(),
        "word.isupper()": word.isupper(),
        "word.istitle()": word.istitle(),
        "word.isdigit()": word.isdigit(),
    }
    if i > 0:
        word1 = sent[i - 1]
        features.update(
            {
                "-1:word.lower()": word1.lower(),
                "-1:word.istitle()": word1.istitle(),
                "-1:word.isupper()": word1.isupper(),
                "-1:word.bi_gram()": f"{word1} {word}".lower() in bi_grams,
            }
        )
        if i > 1:
            features["-2:word.tri_gram()"] = f"{sent[i - 2]} {word1} {word}".lower() in tri_grams
    if i < len(sent) - 1:
        word1 = sent[i + 1]
        features.update(
            {
                "+1:word.lower()": word1.lower(),
                "+1:word.istitle()": word1.istitle(),
                "+1:word.isupper()": word1.isupper(),
                "+1:word.bi_gram()": f"{word} {word1}".lower() in bi_grams,
            }
        )
        if i < len(sent) - 2:
            features["+2:word.tri_gram()"] = f"{word} {word1} {sent[i + 2]}".lower() in tri_grams
    return features


def tokenize(text: str) -> str:
    """``text`` with the syllables of each word joined by "_", as ``ViTokenizer.tokenize``."""
    tokens = syllabify(text)
    if not tokens:
        return text
    tagger, bi_grams, tri_grams = _segmenter()
    labels = tagger.tag(
        [_word_features(tokens, i, bi_grams, tri_grams) for i in range(len(tokens))]
    )
    out = [tokens[0]]
    for i in range(1, len(labels)):
        this, before = tokens[i], tokens[i - 1]
        joined = (
            labels[i] == "I_W"
            and this not in _PUNCTUATION
            and before not in _PUNCTUATION
            and not this[0].isdigit()
            and not before[0].isdigit()
            and not (this[0].istitle() and not before[0].istitle())
        )
        out.append(("_" if joined else " ") + this)
    return "".join(out)


def _pos_features(sent: list[str], i: int) -> dict[str, Any]:
    word = sent[i]
    features: dict[str, Any] = {
        "bias": 1.0,
        "word.lower()": word.lower(),
        "word.istitle()": word.istitle(),
        "word.isdigit()": word.isdigit(),
        "word[:1].isdigit()": word[:1].isdigit(),
        "word[:3].isupper()": word[:3].isupper(),
        "word.isfiltered": word in _POS_FILTERED,
    }
    if i > 0:
        word1 = sent[i - 1]
        features.update(
            {
                "-1:word.lower()": word1.lower(),
                "-1:word.istitle()": word1.istitle(),
                "-1:word[:1].isdigit()": word1[:1].isdigit(),
                "-1:word[:3].isupper()": word1[:3].isupper(),
            }
        )
        if i > 1:
            word2 = sent[i - 2]
            features.update(
                {
                    "-2:word.lower()": word2.lower(),
                    "-2:word.istitle()": word2.istitle(),
                    "-2:word.isupper()": word2.isupper(),
                }
            )
    else:
        features["BOS"] = True
    if i < len(sent) - 1:
        word1 = sent[i + 1]
        features.update(
            {
                "+1:word.lower()": word1.lower(),
                "+1:word.istitle()": word1.istitle(),
                "+1:word[:1].isdigit()": word1[:1].isdigit(),
                "+1:word.isupper()": word1.isupper(),
            }
        )
        if i < len(sent) - 2:
            word2 = sent[i + 2]
            features.update(
                {
                    "+2:word.lower()": word2.lower(),
                    "+2:word.istitle()": word2.istitle(),
                    "+2:word.isupper()": word2.isupper(),
                }
            )
    else:
        features["EOS"] = True
    return features


def pos_tag(segmented: str) -> tuple[list[str], list[str]]:
    """(words, tags) of text already segmented by ``tokenize``, as
    ``ViPosTagger.postagging``: the words are ``segmented`` split at single spaces."""
    tokens = segmented.split(" ")
    tags = _pos_tagger().tag([_pos_features(tokens, i) for i in range(len(tokens))])
    return tokens, list(tags)
