"""A learned sentence scorer: named features per sentence and a few dozen shallow trees.

Hand-set weights (centrality, position, facts) stayed at the level of the Lead-3 baseline
on VietNews. What makes a sentence summary-worthy is learned instead from the 12,000
article/summary pairs of the VietNews train split by ``bench/train_scorer.py``: the target
is the share of a sentence's syllable bigrams (within the summary's length) that the
reference summary contains, i.e. its ROUGE-2 precision, so the score is already "per
syllable" and a long sentence earns no more than its density. The model is gradient-boosted
regression trees fitted by scikit-learn at training time and written to ``scorer.json``
beside this module; here it is evaluated in numpy, so the runtime needs no scikit-learn and
the data never enters the project. Each feature is a named, surface signal, so "why this
sentence?" has an answer an editor can check.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Sequence
from importlib import resources

import numpy as np

from broadcast.script.coherence import announced_items, first_person, needs_antecedent
from broadcast.script.segment import syllable_tokens

__all__ = ["FEATURES", "Model", "actionable", "features", "load_model"]

# Cues of what a listener can act on: where, which portal or app, when, how long, how much,
# which phone, who is eligible.
_ACTIONABLE = re.compile(
    r"\b(?:tại|trụ sở|bộ phận một cửa|cổng dịch vụ công|ứng dụng|vneid|trang thông tin"
    r"|trước ngày|chậm nhất|hạn chót|thời hạn|ngày làm việc|lệ phí|phí|miễn phí|đồng"
    r"|điện thoại|đường dây nóng|hotline|số máy|đối tượng|được hưởng|đủ điều kiện)\b",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d")
_QUOTE = re.compile(r"[“”\"«»]")
# A news dateline: "Ngày 27/7, ...", "Sáng 5/3, ...", "Chiều nay, ...".
_DATELINE = re.compile(
    r"^\W*(?:(?:sáng|chiều|tối|trưa|đêm|rạng sáng)\s+)?(?:ngày|hôm)\s+\d"
    r"|^\W*(?:sáng|chiều|tối|trưa|đêm)\s+(?:nay|qua|\d)",
    re.IGNORECASE,
)
# Reported speech ("ông A cho biết"): often detail, sometimes the news itself.
_SAYS = re.compile(r"\b(?:cho biết|cho hay|thông tin|khẳng định|nhấn mạnh|chia sẻ|nói)\b", re.I)
_ATTRIBUTION = re.compile(r"^\W*theo\b", re.IGNORECASE)


def actionable(text: str) -> bool:
    """True if ``text`` says where, through what, by when, for how much or for whom."""
    return bool(_ACTIONABLE.search(text))


FEATURES = (
    "index",  # 0 for the first sentence: news puts the essentials first
    "relative_position",  # index / count
    "count",  # sentences in the article
    "first",
    "second",
    "third",
    "syllables",
    "centrality",  # LexRank, normalised by the article's maximum
    "centrality_rank",  # rank of the LexRank score in the article / count
    "similarity",  # mean cosine to the other sentences
    "similarity_first",  # cosine to the first sentence (1 for itself)
    "similarity_lead",  # highest cosine to one of the first three sentences
    "bigram_recurrence",  # share of its syllable bigrams found in another sentence
    "bigram_spread",  # in how many other sentences its bigrams recur, on average
    "lead_bigrams",  # share of its bigrams found in the first three sentences
    "digits",
    "digit_share",  # number tokens per syllable
    "names",  # capitalised syllables after the first, per syllable
    "quote",
    "dateline",
    "says",
    "attribution",  # opens with "Theo ..."
    "actionable",
    "anaphora",
    "enumeration",
    "first_person",
)


def features(
    texts: Sequence[str], matrix: Sequence[Sequence[float]], centrality: Sequence[float]
) -> np.ndarray:
    """One row of ``FEATURES`` per sentence; ``matrix`` and ``centrality`` as ``rank``
    computes them, so training and use see the same numbers."""
    count = len(texts)
    top = max(centrality, default=0.0) or 1.0
    by_centrality = sorted(range(count), key=lambda i: (-centrality[i], i))
    centrality_rank = [0] * count
    for place, i in enumerate(by_centrality):
        centrality_rank[i] = place
    tokens = [syllable_tokens(t) for t in texts]
    grams = [set(zip(w, w[1:], strict=False)) for w in tokens]
    spread = Counter(g for own in grams for g in own)
    rows = []
    for i, text in enumerate(texts):
        words = tokens[i]
        size = max(len(words), 1)
        own = grams[i]
        pairs = max(len(own), 1)
        others = [matrix[i][j] for j in range(count) if j != i]
        lead: set[tuple[str, str]] = set()
        for j in range(min(3, count)):
            if j != i:
                lead |= grams[j]
        capitals = sum(1 for w in text.split()[1:] if w[:1].isupper())
        rows.append(
            [
                float(i),
                i / count,
                float(count),
                float(i == 0),
                float(i == 1),
                float(i == 2),
                float(size),
                centrality[i] / top,
                centrality_rank[i] / count,
                sum(others) / len(others) if others else 0.0,
                matrix[i][0] if i else 1.0,
                max((matrix[i][j] for j in range(min(3, count)) if j != i), default=0.0),
                sum(1 for g in own if spread[g] > 1) / pairs,
                sum(spread[g] - 1 for g in own) / pairs,
                len(own & lead) / pairs,
                float(bool(_DIGITS.search(text))),
                sum(1 for w in words if w.isdigit()) / size,
                capitals / size,
                float(bool(_QUOTE.search(text))),
                float(bool(_DATELINE.search(text))),
                float(bool(_SAYS.search(text))),
                float(bool(_ATTRIBUTION.search(text))),
                float(bool(_ACTIONABLE.search(text))),
                float(needs_antecedent(text)),
                float(announced_items(text) > 0),
                float(first_person(text)),
            ]
        )
    return np.array(rows, dtype=float).reshape(count, len(FEATURES))


class Model:
    """Boosted regression trees: ``base`` plus the leaf value each tree reaches.

    A tree is four parallel lists (feature, threshold, left, right) and the leaf values; a
    leaf has feature -1. A row goes left when its value, as float32, is at most the
    threshold, as scikit-learn decides, so the predictions are the trained model's.
    """

    def __init__(self, base: float, trees: Sequence[dict[str, list[float]]]):
        self.base = base
        self.trees = [
            (
                np.asarray(t["feature"], dtype=np.int64),
                np.asarray(t["threshold"], dtype=np.float64),
                np.asarray(t["left"], dtype=np.int64),
                np.asarray(t["right"], dtype=np.int64),
                np.asarray(t["value"], dtype=np.float64),
            )
            for t in trees
        ]

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """The expected ROUGE-2 precision of each row's sentence."""
        values = np.asarray(rows, dtype=np.float32).astype(np.float64)
        size = len(values)
        total = np.full(size, self.base)
        at = np.arange(size)
        for feature, threshold, left, right, value in self.trees:
            node = np.zeros(size, dtype=np.int64)
            while True:
                inner = feature[node] >= 0
                if not inner.any():
                    break
                goes_left = values[at, np.where(inner, feature[node], 0)] <= threshold[node]
                node = np.where(inner, np.where(goes_left, left[node], right[node]), node)
            total += value[node]
        return total


@functools.cache
def load_model() -> Model | None:
    """The shipped model, or None if it is missing or was trained on other features."""
    try:
        text = resources.files("broadcast.script").joinpath("scorer.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    data = json.loads(text)
    if tuple(data.get("features", ())) != FEATURES or "trees" not in data:
        return None
    return Model(float(data["base"]), data["trees"])
