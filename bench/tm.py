"""Benchmark: fuzzy translation-memory lookup on 100,000 segments, beside a brute-force scan.

Builds a memory of synthetic Vietnamese-like sentences (a syllable bigram chain trained on
the seed documents, fixed random seed) with obviously synthetic targets ('‹blt› ZZ-TM-n'),
in a temporary workspace, then times, on the same queries in the same run:

* ``lookup``: ``broadcast.translate.memory.lookup`` (exact match in SQLite, then the token
  prefilter of ``broadcast.translate.tmindex`` and rapidfuzz on its candidates), as drafts
  call it, including reading the matched rows back from SQLite;
* ``brute force``: ``rapidfuzz.process.extractOne`` over every stored source already held
  casefolded in a Python list (the fastest possible full scan: no SQL, same scorer on the
  same casefolded text, same cutoff).

Queries are stored segments edited the way a new article differs from an old one (a word
replaced, removed or inserted, two words swapped, a number changed). Agreement is the share
of queries where the lookup's best score equals the brute-force best score (ties between
different segments with the same score count as agreement). Nothing is asserted.

    .venv/bin/python bench/tm.py [--segments 100000] [--queries 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from broadcast.languages import registry  # noqa: E402
from broadcast.store.db import Database  # noqa: E402
from broadcast.translate import memory  # noqa: E402
from broadcast.translate.termbase import StationLanguages  # noqa: E402
from broadcast.translate.tmindex import index_for  # noqa: E402
from broadcast.translate.values import TMUnit  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
LANGUAGE = "blt"


def syllable_chain(folder: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Bigram successors of every lowercase syllable in the seeds, and the sentence starts."""
    successors: dict[str, list[str]] = defaultdict(list)
    starts: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for sentence in re.split(r"[.;:!?\n]+", text):
            words = re.findall(r"[^\W\d_]+", sentence.lower())
            if len(words) < 4:
                continue
            starts.append(words[0])
            for a, b in zip(words, words[1:], strict=False):
                successors[a].append(b)
    return successors, starts


def sentence(rng: random.Random, chain: dict[str, list[str]], starts: list[str]) -> str:
    length = rng.randint(8, 32)
    words = [rng.choice(starts)]
    while len(words) < length:
        following = chain.get(words[-1])
        words.append(rng.choice(following) if following else rng.choice(starts))
        if rng.random() < 0.04:
            words.append(str(rng.randint(1, 2026)))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def edited(rng: random.Random, text: str, vocabulary: list[str]) -> str:
    """One or two small edits of a stored sentence."""
    words = text[:-1].split(" ")
    for _ in range(rng.choice((1, 1, 2))):
        kind = rng.choice(("replace", "delete", "insert", "swap", "number"))
        i = rng.randrange(len(words))
        if kind == "replace":
            words[i] = rng.choice(vocabulary)
        elif kind == "delete" and len(words) > 4:
            del words[i]
        elif kind == "insert":
            words.insert(i, rng.choice(vocabulary))
        elif kind == "swap" and i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            words.insert(i, str(rng.randint(1, 99)))
    return " ".join(words) + "."


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    chain, starts = syllable_chain(SEEDS)
    vocabulary = sorted(chain)
    sources: list[str] = []
    seen: set[str] = set()
    while len(sources) < args.segments:
        text = sentence(rng, chain, starts)
        if text not in seen:
            seen.add(text)
            sources.append(text)
    # Synthetic targets: never invented Thái, just a label and the segment number.
    units = [
        TMUnit(source=s, target=f"‹blt› ZZ-TM-{i}", language=LANGUAGE, previous="")
        for i, s in enumerate(sources)
    ]
    queries = [edited(rng, rng.choice(sources), vocabulary) for _ in range(args.queries)]
    folded = [s.casefold() for s in sources]  # lookup scores casefolded text too

    with tempfile.TemporaryDirectory() as tmp, Database(Path(tmp) / "bench.db") as db:
        languages = StationLanguages(codes=("vi", LANGUAGE), registry=registry())
        started = time.perf_counter()
        memory.import_units(db, units, languages)
        store_s = time.perf_counter() - started
        started = time.perf_counter()
        index_for(db, LANGUAGE)
        index_s = time.perf_counter() - started

        ours_ms, ours_best = [], []
        for query in queries:
            started = time.perf_counter()
            found = memory.lookup(db, query, LANGUAGE, limit=1)
            ours_ms.append((time.perf_counter() - started) * 1000)
            ours_best.append(found[0].score if found else 0.0)

        brute_ms, brute_best = [], []
        for query in queries:
            started = time.perf_counter()
            best = process.extractOne(
                query.casefold(), folded, scorer=fuzz.ratio, score_cutoff=memory.FUZZY_MIN
            )
            brute_ms.append((time.perf_counter() - started) * 1000)
            brute_best.append(round(best[1], 1) if best else 0.0)

    agree = sum(
        1
        for a, b in zip(ours_best, brute_best, strict=True)
        if abs(a - b) < 0.05 or (a >= 99.9 and b >= 99.9)
    )
    found = sum(1 for b in brute_best if b > 0)
    print(f"memory: {args.segments} segments, {args.queries} edited queries, seed {args.seed}")
    print(f"store (one transaction): {store_s:.1f} s; build fuzzy index: {index_s:.2f} s")
    print(f"{'':14} {'median ms':>10} {'p95 ms':>10}")
    for name, values in (("lookup", ours_ms), ("brute force", brute_ms)):
        print(f"{name:14} {statistics.median(values):10.2f} {percentile(values, 0.95):10.2f}")
    print(
        f"speed-up (median): {statistics.median(brute_ms) / statistics.median(ours_ms):.1f}x; "
        f"p95: {percentile(brute_ms, 0.95) / percentile(ours_ms, 0.95):.1f}x"
    )
    print(
        f"same best score as brute force: {agree}/{len(queries)} "
        f"({100 * agree / len(queries):.1f}%); brute force found a match ≥ "
        f"{memory.FUZZY_MIN:.0f}% for {found}"
    )


if __name__ == "__main__":
    main()
