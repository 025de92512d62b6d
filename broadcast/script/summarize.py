"""Extractive summary to a target duration: centrality, position and redundancy control.

A radio segment has a fixed length, so the budget is in syllables (Vietnamese is written
syllable by syllable, one token each), converted from minutes by the station's reading
speed. Sentences are scored by TF-IDF similarity to the whole article (what the article is
about), boosted near the start (news puts the facts first), and picked greedily with a
maximal-marginal-relevance penalty so the segment does not say the same thing twice.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def syllables(text: str) -> int:
    """Vietnamese syllables ~ whitespace-separated words of the spoken form."""
    return len(_TOKEN.findall(text))


@dataclass(frozen=True)
class Candidate:
    index: int
    text: str
    cost: int  # syllables of its spoken form


def _tfidf(docs: Sequence[list[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    n = len(docs)
    vectors = []
    for doc in docs:
        tf = Counter(doc)
        vec = {t: (c / len(doc)) * math.log(1 + n / df[t]) for t, c in tf.items()} if doc else {}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def select(candidates: Sequence[Candidate], budget: int, redundancy: float = 0.6) -> list[int]:
    """Indices of the chosen candidates, in article order, whose cost fits ``budget``."""
    if not candidates or budget <= 0:
        return []
    vectors = _tfidf([tokens(c.text) for c in candidates])
    centroid: Counter[str] = Counter()
    for vec in vectors:
        centroid.update(vec)
    relevance = []
    for position, vec in enumerate(vectors):
        centrality = _cosine(vec, dict(centroid)) / (len(vectors) or 1)
        lead_bonus = 1.0 + 0.8 / (1 + position / 3)
        relevance.append(centrality * lead_bonus)
    top = max(relevance) or 1.0
    relevance = [r / top for r in relevance]
    chosen: list[int] = []
    spent = 0
    remaining = set(range(len(candidates)))
    while remaining:

        def score(i: int) -> float:
            overlap = max((_cosine(vectors[i], vectors[j]) for j in chosen), default=0.0)
            return redundancy * relevance[i] - (1 - redundancy) * overlap

        best = max(remaining, key=lambda i: (score(i), -i))
        remaining.discard(best)
        if spent + candidates[best].cost <= budget:
            chosen.append(best)
            spent += candidates[best].cost
    return sorted(candidates[i].index for i in chosen)
