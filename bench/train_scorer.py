"""Train the sentence scorer shipped as broadcast/script/scorer.json (re-runnable).

Target: for each sentence of the first ``--limit`` articles of
``../shared/data/vietnews/train.jsonl``, its ROUGE-2 precision against the reference summary
(the sapo): the share of its syllable bigrams, within the summary's length, that the
reference contains. A soft label says how much of a sentence a summary of that length would
keep, where a 0/1 oracle label says only which sentences a greedy search happened to add.
Features: ``broadcast.script.scorer.features`` on the same sentences, similarity matrix and
LexRank that ``summarize.rank`` computes. Model: scikit-learn's GradientBoostingRegressor
(exact, single-threaded, no subsampling: the same data gives the same trees), exported to
JSON and evaluated in numpy at run time. The data is read in place and never copied into the
project; ``--cache`` keeps the features in /tmp so that a second run only refits.

    .venv/bin/python bench/train_scorer.py [--limit 12000] [--out broadcast/script/scorer.json]

Needs scikit-learn (the ``bench`` extra). The shipped model: all 12,000 pairs, 14 min measured
on a busy shared 2-core machine. Rerunning with the defaults reproduces the shipped file byte
for byte (checked with cmp).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from summarize import DATA, sentences_of  # noqa: E402

from broadcast.script.scorer import FEATURES, Model, features  # noqa: E402
from broadcast.script.segment import syllable_tokens as tokens  # noqa: E402
from broadcast.script.summarize import lexrank, similarity_matrix  # noqa: E402

# The trees' parameters; the shipped file records them and a test checks they match.
PARAMS: dict[str, Any] = {
    "n_estimators": 200,
    "max_depth": 4,
    "learning_rate": 0.1,
    "min_samples_leaf": 50,
    "random_state": 0,
}
LIMIT = 12000


def _bigrams(words: Sequence[str]) -> Counter[tuple[str, str]]:
    return Counter(zip(words, words[1:], strict=False))


def precision_labels(sentences: Sequence[str], summary: str) -> list[float]:
    """Each sentence's ROUGE-2 precision against ``summary``, over its first as many
    syllables as the summary has (what a length-matched summary would keep of it)."""
    reference_words = tokens(summary)
    reference = _bigrams(reference_words)
    labels = []
    for sentence in sentences:
        kept = tokens(sentence)[: len(reference_words)]
        grams = _bigrams(kept)
        labels.append(sum((grams & reference).values()) / max(len(kept) - 1, 1))
    return labels


def dataset(limit: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Features and labels of the first ``limit`` training articles with two sentences."""
    path = DATA / "train.jsonl"
    if not path.is_file():
        sys.exit(f"missing {path}: check out shared/ beside the repository")
    xs, ys = [], []
    articles = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if articles >= limit:
                break
            row = json.loads(line)
            sentences = sentences_of(row["article"])
            if len(sentences) < 2:
                continue
            articles += 1
            matrix = similarity_matrix(sentences)
            xs.append(features(sentences, matrix, lexrank(matrix)))
            ys.append(np.array(precision_labels(sentences, row["summary"])))
    return np.vstack(xs), np.concatenate(ys), articles


def fit(x: np.ndarray, y: np.ndarray, params: dict[str, Any]) -> Any:
    from sklearn.ensemble import GradientBoostingRegressor

    return GradientBoostingRegressor(**params).fit(x, y)


def export(model: Any) -> tuple[float, list[dict[str, list[Any]]]]:
    """The fitted trees as plain lists; leaf values already scaled by the learning rate."""
    rate = float(model.learning_rate)
    trees = []
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append(
            {
                "feature": [int(f) if f >= 0 else -1 for f in tree.feature],
                "threshold": [float(t) for t in tree.threshold],
                "left": [int(c) for c in tree.children_left],
                "right": [int(c) for c in tree.children_right],
                "value": [rate * float(v) for v in tree.value[:, 0, 0]],
            }
        )
    return float(model.init_.constant_[0][0]), trees


def to_json(base: float, trees: list[dict[str, list[Any]]], meta: dict[str, Any]) -> str:
    body = {"features": list(FEATURES), "base": base, "meta": meta, "trees": trees}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=LIMIT, help="first N training pairs")
    parser.add_argument("--out", type=Path, default=ROOT / "broadcast/script/scorer.json")
    parser.add_argument("--cache", type=Path, default=None, help="e.g. /tmp/scorer-features.npz")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.cache and args.cache.is_file():
        cached = np.load(args.cache)
        x, y, articles = cached["x"], cached["y"], int(cached["articles"])
    else:
        x, y, articles = dataset(args.limit)
        if args.cache:
            np.savez(args.cache, x=x, y=y, articles=articles)
    model = fit(x, y, PARAMS)
    base, trees = export(model)
    meta = {
        "data": "VietNews train.jsonl (../shared/data/vietnews), first pairs in file order",
        "articles": articles,
        "sentences": int(len(y)),
        "label": "ROUGE-2 precision within the reference length",
        "params": PARAMS,
        "trainer": "bench/train_scorer.py",
    }
    args.out.write_text(to_json(base, trees, meta), encoding="utf-8")
    check = Model(base, trees).predict(x[:1000])
    drift = float(np.abs(check - model.predict(x[:1000])).max())
    elapsed = time.perf_counter() - start
    print(f"{articles} articles, {len(y)} sentences; {elapsed:.0f} s; runtime drift {drift:.1e}")
    for name, weight in sorted(
        zip(FEATURES, model.feature_importances_, strict=True), key=lambda p: -p[1]
    ):
        print(f"{name:<20}{weight:.3f}")


if __name__ == "__main__":
    main()
