"""The hand-written spoken-form test set (bench/data/normalize_cases.tsv), case by case.

The benchmark reports accuracy on the same file; here every case must pass exactly, so a
regression in any category fails the suite instead of lowering a figure nobody reads.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcast.script.glossary import Glossary, load_glossary
from broadcast.script.spoken import to_spoken

CASES_FILE = Path(__file__).resolve().parents[1] / "bench" / "data" / "normalize_cases.tsv"
CATEGORIES = (
    "number", "decimal_thousands", "percent", "date", "time", "range", "document_code",
    "roman", "ordinal", "money", "unit", "phone", "email_web", "abbreviation", "list_marker",
)  # fmt: skip


def _cases() -> list[tuple[str, str, str]]:
    with CASES_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["category"], row["input"], row["expected"]) for row in reader]


@pytest.fixture(scope="module")
def say() -> Callable[[str], str]:
    glossary: Glossary = load_glossary()
    return lambda text: to_spoken(text, glossary)


def test_every_category_has_at_least_fifteen_cases() -> None:
    counts = Counter(category for category, _, _ in _cases())
    assert set(counts) == set(CATEGORIES)
    assert {c: n for c, n in counts.items() if n < 15} == {}


def test_inputs_are_unique() -> None:
    inputs = [written for _, written, _ in _cases()]
    assert len(inputs) == len(set(inputs))


@pytest.mark.parametrize(
    ("written", "spoken"),
    [pytest.param(w, s, id=f"{c}: {w[:40]}") for c, w, s in _cases()],
)
def test_case(say: Callable[[str], str], written: str, spoken: str) -> None:
    assert say(written) == spoken
