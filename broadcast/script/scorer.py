"""A learned sentence scorer: a few features per sentence and a logistic regression.

Hand-set weights (centrality, position, facts) stayed below the Lead-3 baseline on VietNews.
What makes a sentence summary-worthy is learned instead from 12,000 article/summary pairs of
the VietNews train split by ``bench/train_scorer.py``, which writes ``scorer.json`` beside
this module; the data never enters the project, only the weights, and the script
reproduces them. The model is deliberately small (numpy only, a dozen features) so that an
editor's question "why this sentence?" has an answer: each feature is a named signal.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from importlib import resources

import numpy as np

from broadcast.script.coherence import announced_items, first_person, needs_antecedent
from broadcast.script.segment import syllables

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


def actionable(text: str) -> bool:
    """True if ``text`` says where, through what, by when, for how much or for whom."""
    return bool(_ACTIONABLE.search(text))


FEATURES = (
    "position",  # 1 / (1 + index): the lead carries the news
    "relative_position",  # index / count
    "first",
    "log_syllables",
    "short",  # under 10 syllables: a fragment or a heading
    "centrality",  # LexRank, normalised by the article's maximum
    "similarity",  # mean cosine to the other sentences
    "digits",
    "names",  # capitalised syllables after the first, per syllable
    "actionable",
    "anaphora",
    "enumeration",
    "first_person",
    "quote",
)


def features(
    texts: Sequence[str], matrix: Sequence[Sequence[float]], centrality: Sequence[float]
) -> np.ndarray:
    """One row of ``FEATURES`` per sentence; ``matrix`` and ``centrality`` as ``rank``
    computes them, so training and use see the same numbers."""
    count = len(texts)
    top = max(centrality, default=0.0) or 1.0
    rows = []
    for i, text in enumerate(texts):
        words = text.split()
        size = max(syllables(text), 1)
        others = [matrix[i][j] for j in range(count) if j != i]
        capitals = sum(1 for w in words[1:] if w[:1].isupper())
        rows.append(
            [
                1 / (1 + i),
                i / count,
                float(i == 0),
                math.log(size),
                float(size < 10),
                centrality[i] / top,
                sum(others) / len(others) if others else 0.0,
                float(bool(_DIGITS.search(text))),
                capitals / size,
                float(bool(_ACTIONABLE.search(text))),
                float(needs_antecedent(text)),
                float(announced_items(text) > 0),
                float(first_person(text)),
                float(bool(_QUOTE.search(text))),
            ]
        )
    return np.array(rows, dtype=float).reshape(count, len(FEATURES))


class Model:
    """Standardise, then a linear score; ``probability`` is its logistic."""

    def __init__(self, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, bias: float):
        self.mean, self.scale, self.coef, self.bias = mean, scale, coef, bias

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.coef + self.bias
        return np.asarray(1 / (1 + np.exp(-z)))

    def to_json(self, meta: dict[str, object]) -> str:
        return json.dumps(
            {
                "features": list(FEATURES),
                "mean": [round(float(v), 6) for v in self.mean],
                "scale": [round(float(v), 6) for v in self.scale],
                "coef": [round(float(v), 6) for v in self.coef],
                "bias": round(self.bias, 6),
                "meta": meta,
            },
            ensure_ascii=False,
            indent=1,
        )


@functools.cache
def load_model() -> Model | None:
    """The shipped model, or None if it is missing or was trained on other features."""
    try:
        text = resources.files("broadcast.script").joinpath("scorer.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    data = json.loads(text)
    if tuple(data.get("features", ())) != FEATURES:
        return None
    return Model(
        np.array(data["mean"]), np.array(data["scale"]), np.array(data["coef"]), data["bias"]
    )
