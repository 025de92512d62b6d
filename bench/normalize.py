"""Benchmark: accuracy of the spoken form per category, beside vinorm on the same cases.

Reads bench/data/normalize_cases.tsv (category, input, expected; see bench/data/README.md),
runs our ``to_spoken`` and vinorm's ``TTSnorm`` on every input in the same run, and prints
exact-match accuracy per category and in total, and the time per sentence of each.

The comparison is made fair before matching: vinorm lowercases and spaces out punctuation,
so both outputs and the expected text are lowercased, stripped of punctuation, put in NFC
with one tone placement (hoá = hóa, uỷ = ủy) and their whitespace collapsed. What remains is
the words a listener hears. vinorm runs its bundled binary once per call, as its Python API
does, so its time includes starting that process. Nothing is asserted: the figures are for
the closing notes and for spotting regressions (tests/test_normalize_cases.py asserts ours).

    .venv/bin/python bench/normalize.py [--misses]
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "bench" / "data" / "normalize_cases.tsv"
sys.path.insert(0, str(ROOT))

from broadcast.script.glossary import load_glossary  # noqa: E402
from broadcast.script.spoken import to_spoken  # noqa: E402

# Old and new tone placement on oa, oe, uy without a final consonant: the same sound.
_TONE_PLACEMENT = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    category: str
    written: str
    expected: str


@dataclass
class Score:
    right: int = 0
    total: int = 0
    seconds: float = 0.0
    misses: list[tuple[Case, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def load_cases(path: Path = CASES) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Case(r["category"], r["input"], r["expected"]) for r in reader]


def fair(text: str) -> str:
    """The words only: lowercase, NFC, one tone placement, no punctuation, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[^\w\s]|_", " ", text)
    text = re.sub(
        r"(oà|oá|oả|oã|oạ|oè|oé|oẻ|oẽ|oẹ|uỳ|uý|uỷ|uỹ|uỵ)(?!\w)",
        lambda m: _TONE_PLACEMENT[m.group(1)],
        text,
    )
    return " ".join(text.split())


def score(cases: list[Case], system: Callable[[str], str]) -> dict[str, Score]:
    """Per category, plus "total"; each call timed on its own."""
    scores: dict[str, Score] = {}
    for case in cases:
        start = time.perf_counter()
        output = system(case.written)
        elapsed = time.perf_counter() - start
        for key in (case.category, "total"):
            entry = scores.setdefault(key, Score())
            entry.total += 1
            entry.seconds += elapsed
            if fair(output) == fair(case.expected):
                entry.right += 1
            elif key == "total":
                entry.misses.append((case, output))
    return scores


def vinorm_system() -> Callable[[str], str] | None:
    """vinorm's TTSnorm, with the debug lines its binary prints ("Roman khóa 15") silenced.

    A failure of vinorm itself still raises; only its chatter on stdout/stderr is dropped.
    """
    try:
        from vinorm import TTSnorm  # type: ignore[import-untyped]
    except ImportError:
        return None

    def run(text: str) -> str:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = [os.dup(fd) for fd in (1, 2)]
        try:
            with open(os.devnull, "wb") as devnull:
                for fd in (1, 2):
                    os.dup2(devnull.fileno(), fd)
                return str(TTSnorm(text))
        finally:
            for fd, copy in zip((1, 2), saved, strict=True):
                os.dup2(copy, fd)
                os.close(copy)

    return run


def print_table(cases: list[Case], ours: dict[str, Score], theirs: dict[str, Score] | None) -> None:
    categories = list(dict.fromkeys(c.category for c in cases))
    header = f"{'category':<18} {'cases':>5}  {'broadcast':>10}  {'vinorm':>10}"
    print(header)
    print("-" * len(header))
    for key in [*categories, "total"]:
        if key == "total":
            print("-" * len(header))
        mine = ours[key]
        other = f"{theirs[key].accuracy:>9.1%}" if theirs else "       n/a"
        print(f"{key:<18} {mine.total:>5}  {mine.accuracy:>9.1%}  {other:>10}")
    total = ours["total"]
    print()
    print(f"time per sentence: broadcast {1000 * total.seconds / total.total:.2f} ms", end="")
    if theirs:
        other_total = theirs["total"]
        print(f", vinorm {1000 * other_total.seconds / other_total.total:.2f} ms")
    else:
        print(" (vinorm not installed: pip install -e '.[bench]')")


def print_misses(name: str, scores: dict[str, Score]) -> None:
    print(f"\n{name}: {len(scores['total'].misses)} misses")
    for case, output in scores["total"].misses:
        print(f"  [{case.category}] {case.written}\n    want {case.expected}\n    got  {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="print every case a system misses")
    args = parser.parse_args()
    cases = load_cases()
    glossary = load_glossary()
    ours = score(cases, lambda text: to_spoken(text, glossary))
    vinorm = vinorm_system()
    theirs = score(cases, vinorm) if vinorm else None
    print(f"{len(cases)} cases from {CASES.relative_to(ROOT)}\n")
    print_table(cases, ours, theirs)
    if args.misses:
        print_misses("broadcast", ours)
        if theirs:
            print_misses("vinorm", theirs)


if __name__ == "__main__":
    main()
