"""Extractive summary to a budget: centrality, position, lead facts and redundancy control.

A radio segment has a fixed length, so sentences are picked under a budget (seconds of
speech, or syllables) rather than a sentence count. How a sentence earns its place:

* **centrality**: LexRank, the stationary distribution of a random walk over the TF-IDF
  cosine graph of the sentences, on pyvi *words* ("cải_cách", "hành_chính") not syllables.
  A sentence that many others echo states what the article is about;
* **position**: news and administrative plans both put the essentials first;
* **lead facts**: the numbers, dates, document codes and proper names of the lead are the
  facts a listener must not lose, so a sentence that carries one not yet chosen gains; the
  lead itself is taken first when it fits comfortably;
* **redundancy**: maximal marginal relevance, a penalty for similarity to what was already
  chosen; a near-duplicate of a chosen sentence is never taken.

* **actionable facts**: a sentence that says where, through which portal, by when, for how
  much or for whom gains (``scorer.actionable``);
* **coherence** (``coherence.requirements``): a sentence is taken together with the sentence
  it refers back to and the items it announces, or not at all; the reporter's first person
  is never taken.

The greedy choice divides the gain by a power of the cost of the sentence and what it needs,
so that a long sentence must earn its time. The weights were tuned on the VietNews dev split
(``bench/summarize.py``); a learned scorer (``scorer.py``) can replace the hand-set
relevance (``Weights.learned``) but is off while it scores below it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from broadcast.script.coherence import requirements
from broadcast.script.scorer import actionable, features, load_model
from broadcast.script.segment import content_words, syllable_tokens, syllables

__all__ = [
    "Candidate",
    "Weights",
    "lead_facts",
    "lexrank",
    "rank",
    "select",
    "similarity_matrix",
    "syllables",
]

# Numbers with their separators ("1.250", "98,5", "27/01/2026", "239/QĐ-UBND", "70%").
_NUMBER = re.compile(r"\d+(?:[.,/:\-]\w+)*%?", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    index: int
    text: str
    cost: float  # syllables, or seconds of its spoken form: the budget's unit


@dataclass(frozen=True)
class Weights:
    """How much each signal counts; defaults tuned on VietNews dev (see module docstring)."""

    centrality: float = 1.0
    # Position and a forced lead both lowered ROUGE on VietNews dev, whose article bodies
    # come without their lead paragraph; the lead rule stays on for radio (``lead_share``)
    # because a commune article's first sentence does carry its facts.
    position: float = 0.0
    position_scale: float = 2.0  # sentences; the position bonus halves this far in
    facts: float = 0.3
    redundancy: float = 1.2
    duplicate: float = 0.6  # cosine above which a sentence repeats a chosen one
    cost_power: float = 0.3  # 0 ignores length, 1 ranks by gain per syllable
    lead_share: float = 1.0  # the lead is taken first if it costs at most this budget share
    damping: float = 0.85
    # Share of relevance from the learned scorer (scorer.json, bench/train_scorer.py), the
    # rest from the hand-set signals above. Off: under a budget that only whole sentences may
    # fill it scored below them on VietNews dev (ROUGE-2 15.1 at 1.0, 15.9 at 0.0), although
    # its order of preference alone scores 16.9 there (bench/summarize.py "order").
    learned: float = 0.0
    # A sentence with something a listener can act on (where, portal, deadline, fee, phone,
    # who is eligible) gains this much: on air such facts matter more than colour. 0.2 was
    # best of 0, 0.2, 0.4 on VietNews dev (ROUGE-2 15.1, 15.9, 15.2).
    actionable: float = 0.2
    # The first sentence chosen may run over the budget by this share of it: a summary as
    # long as one news sentence otherwise settles for a short, weak sentence that happens
    # to fit (the VietNews references are ~38 syllables, a body sentence ~41). Off: ROUGE-2
    # on VietNews dev went 15.9, 15.8, 16.1 at 0, 0.15, 0.3 (noise on 200 articles; 800
    # held-out train articles with a scorer refitted without them: 12.7, 13.0, 13.0), and
    # more than 0.15 would break the ±15% a broadcast slot tolerates.
    overrun: float = 0.0


DEFAULT_WEIGHTS = Weights()


def lead_facts(lead: str) -> frozenset[str]:
    """Numbers, dates, codes and names the lead states, in a comparable (lowercase) form."""
    facts = {m.group(0).rstrip(".,").lower() for m in _NUMBER.finditer(lead)}
    return frozenset(facts | _names(lead))


def _names(text: str) -> set[str]:
    """Runs of two or more capitalised syllables ("Mường La", "Lò Văn Minh") and acronyms;
    the capital that opens the sentence does not start a name, punctuation ends one."""
    names: set[str] = set()
    run: list[str] = []

    def close() -> None:
        if len(run) >= 2:
            names.add(" ".join(run).lower())
        names.update(t.lower() for t in run if len(t) >= 2 and t.isupper())
        run.clear()

    for position, raw in enumerate(text.split()):
        word = raw.strip("\"'“”‘’()[],.;:!?")
        if position > 0 and word.isalpha() and word[0].isupper():
            run.append(word)
        else:
            close()
        if word != raw.strip("\"'“”‘’()["):
            close()  # "Mường La," : the comma ends the name
    close()
    return names


def _facts_in(text: str, facts: frozenset[str]) -> frozenset[str]:
    lowered = text.lower()
    return frozenset(f for f in facts if f in lowered)


def _tfidf(docs: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    n = len(docs)
    vectors = []
    for doc in docs:
        tf = Counter(doc)
        vec = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def similarity_matrix(
    texts: Sequence[str], featurize: Callable[[str], list[str]] = content_words
) -> list[list[float]]:
    """Cosine similarity of every pair of sentences over TF-IDF of ``featurize``'s tokens."""
    vectors = _tfidf([featurize(t) for t in texts])
    size = len(vectors)
    matrix = [[0.0] * size for _ in range(size)]
    for i in range(size):
        matrix[i][i] = 1.0
        for j in range(i + 1, size):
            matrix[i][j] = matrix[j][i] = _cosine(vectors[i], vectors[j])
    return matrix


def lexrank(matrix: Sequence[Sequence[float]], damping: float = 0.85) -> list[float]:
    """Continuous LexRank: PageRank on the similarity graph (self-loops removed)."""
    size = len(matrix)
    if size == 0:
        return []
    rows = []
    for i in range(size):
        row = [0.0 if i == j else matrix[i][j] for j in range(size)]
        total = sum(row)
        rows.append([w / total for w in row] if total else [1 / size] * size)
    scores = [1 / size] * size
    for _ in range(100):
        new = [
            (1 - damping) / size + damping * sum(scores[i] * rows[i][j] for i in range(size))
            for j in range(size)
        ]
        delta = sum(abs(a - b) for a, b in zip(new, scores, strict=True))
        scores = new
        if delta < 1e-6:
            break
    return scores


@dataclass
class _State:
    matrix: list[list[float]]
    relevance: list[float]
    facts: list[frozenset[str]]
    chosen: list[int] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)

    def overlap(self, i: int) -> float:
        return max((self.matrix[i][j] for j in self.chosen), default=0.0)


def _relevance(texts: Sequence[str], matrix: list[list[float]], weights: Weights) -> list[float]:
    centrality = lexrank(matrix, weights.damping)
    top = max(centrality, default=0.0) or 1.0
    hand = [
        weights.centrality * c / top + weights.position / (1 + position / weights.position_scale)
        for position, c in enumerate(centrality)
    ]
    model = load_model() if weights.learned else None
    if model is None:
        learned = [0.0] * len(hand)
    else:
        predicted = model.predict(features(texts, matrix, centrality))
        peak = max(float(predicted.max()), 1e-9)
        learned = [max(float(v), 0.0) / peak for v in predicted]
    share = weights.learned if model is not None else 0.0
    return [
        share * m + (1 - share) * h + weights.actionable * actionable(t)
        for m, h, t in zip(learned, hand, texts, strict=True)
    ]


def _gain(state: _State, i: int, total_facts: int, weights: Weights) -> float:
    new_facts = len(state.facts[i] - state.covered)
    fact_gain = new_facts / total_facts if total_facts else 0.0
    return state.relevance[i] + weights.facts * fact_gain - weights.redundancy * state.overlap(i)


def rank(
    candidates: Sequence[Candidate],
    budget: float,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    lead: str | None = None,
    scores: list[float] | None = None,
    lead_slack: float = 0.0,
) -> list[int]:
    """Positions (in ``candidates``) in the order they are chosen, all within ``budget``.

    ``lead`` is the text whose facts must survive (default: the first candidate's text);
    ``scores``, if given, receives each candidate's relevance for reporting; ``lead_slack``
    lets the lead alone overrun the budget by that much (a radio segment may run a few
    seconds long rather than lose its main fact).
    """
    if not candidates or budget + lead_slack <= 0:
        return []
    texts = [c.text for c in candidates]
    matrix = similarity_matrix(texts)
    relevance = _relevance(texts, matrix, weights)
    if scores is not None:
        scores[:] = relevance
    facts = lead_facts(lead if lead is not None else texts[0])
    state = _State(matrix, relevance, [_facts_in(t, facts) for t in texts])
    # A sentence comes with what it leans on (coherence.requirements): its cost is the cost
    # of the whole group still unchosen, and the group is taken or left as one.
    needs = requirements(texts)

    def group(i: int) -> list[int]:
        members = needs[i]
        assert members is not None
        return sorted(members.difference(state.chosen))

    def group_cost(i: int) -> float:
        return sum(candidates[j].cost for j in group(i))

    def take(i: int) -> float:
        members = group(i)
        for j in members:
            state.chosen.append(j)
            state.covered |= state.facts[j]
            remaining.discard(j)
        return sum(candidates[j].cost for j in members)

    spent = 0.0
    remaining = {i for i in range(len(candidates)) if needs[i] is not None}
    if 0 in remaining and group_cost(0) <= budget * weights.lead_share + lead_slack:
        spent += take(0)
    while remaining:

        def value(i: int) -> float:
            cost = max(group_cost(i), 1e-9)
            return _gain(state, i, len(facts), weights) / cost**weights.cost_power

        best = max(remaining, key=lambda i: (value(i), -i))
        remaining.discard(best)
        if state.overlap(best) >= weights.duplicate:
            continue
        cost = group_cost(best)
        # Only the first pick may overrun (``Weights.overrun``); ``lead_slack`` is the lead's.
        first = not state.chosen and cost <= budget * (1 + weights.overrun)
        if spent + cost <= budget or first:
            remaining.add(best)
            spent += take(best)
    return state.chosen


def select(
    candidates: Sequence[Candidate],
    budget: float,
    redundancy: float | None = None,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    lead: str | None = None,
) -> list[int]:
    """``index`` values of the chosen candidates, in article order, whose cost fits."""
    if redundancy is not None:
        weights = Weights(**{**weights.__dict__, "redundancy": redundancy})
    chosen = rank(candidates, budget, weights=weights, lead=lead)
    return sorted(candidates[i].index for i in chosen)


def textrank_order(texts: Sequence[str]) -> list[int]:
    """The baseline: plain LexRank on syllables, no position, no redundancy control."""
    matrix = similarity_matrix(texts, syllable_tokens)
    centrality = lexrank(matrix)
    return sorted(range(len(texts)), key=lambda i: (-centrality[i], i))
