"""Train the sentence scorer shipped as broadcast/script/scorer.json (re-runnable).

Labels: for each article of ``../shared/data/vietnews/train.jsonl``, the oracle sentences,
added greedily while they raise ROUGE-2 F1 (syllable bigrams) against the reference
summary. Features: ``broadcast.script.scorer.features`` on the same sentences, similarity
matrix and LexRank that ``summarize.rank`` computes. Model: L2-regularised logistic
regression fitted by Newton's method in numpy (deterministic: same data, same weights).
The data is read in place and never copied into the project.

    .venv/bin/python bench/train_scorer.py [--limit 4000] [--out broadcast/script/scorer.json]

The shipped model uses the first 4,000 of the 12,000 pairs (time: ~80 s on one core).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from summarize import DATA, sentences_of  # noqa: E402

from broadcast.script.scorer import FEATURES, Model, features  # noqa: E402
from broadcast.script.segment import syllable_tokens as tokens  # noqa: E402
from broadcast.script.summarize import lexrank, similarity_matrix  # noqa: E402


def _bigrams(words: Sequence[str]) -> Counter[tuple[str, str]]:
    return Counter(zip(words, words[1:], strict=False))


def oracle(sentences: Sequence[str], summary: str) -> set[int]:
    """Sentences added greedily while ROUGE-2 F1 against ``summary`` rises."""
    reference = _bigrams(tokens(summary))
    total = sum(reference.values()) or 1
    grams = [_bigrams(tokens(s)) for s in sentences]
    chosen: set[int] = set()
    current: Counter[tuple[str, str]] = Counter()
    best = 0.0
    while True:
        pick, pick_f = None, best
        for i, g in enumerate(grams):
            if i in chosen:
                continue
            union = current + g
            overlap = sum((union & reference).values())
            produced = sum(union.values()) or 1
            p, r = overlap / produced, overlap / total
            f = 2 * p * r / (p + r) if p + r else 0.0
            if f > pick_f:
                pick, pick_f = i, f
        if pick is None:
            return chosen
        chosen.add(pick)
        current += grams[pick]
        best = pick_f


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> Model:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[-1, -1] = 0.0
    for _ in range(25):
        p = 1 / (1 + np.exp(-(z @ w)))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Model(mean, scale, w[:-1], float(w[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=4000, help="first N training pairs")
    parser.add_argument("--out", type=Path, default=ROOT / "broadcast/script/scorer.json")
    args = parser.parse_args()
    path = DATA / "train.jsonl"
    if not path.is_file():
        sys.exit(f"missing {path}: check out shared/ beside the repository")
    start = time.perf_counter()
    xs, ys = [], []
    articles = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if articles >= args.limit:
                break
            row = json.loads(line)
            sentences = sentences_of(row["article"])
            if len(sentences) < 2:
                continue
            articles += 1
            matrix = similarity_matrix(sentences)
            xs.append(features(sentences, matrix, lexrank(matrix)))
            chosen = oracle(sentences, row["summary"])
            ys.append(np.array([float(i in chosen) for i in range(len(sentences))]))
    x, y = np.vstack(xs), np.concatenate(ys)
    model = fit(x, y)
    meta = {
        "data": "VietNews train.jsonl (../shared/data/vietnews), first pairs in file order",
        "articles": articles,
        "sentences": int(len(y)),
        "positives": int(y.sum()),
        "trainer": "bench/train_scorer.py",
    }
    args.out.write_text(model.to_json(meta) + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - start
    print(f"{articles} articles, {len(y)} sentences, {int(y.sum())} oracle; {elapsed:.0f} s")
    for name, weight in zip(FEATURES, model.coef, strict=True):
        print(f"{name:<20}{weight:+.3f}")


if __name__ == "__main__":
    main()
