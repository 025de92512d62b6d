"""Shared fixtures: the real seed documents that live beside the repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seed folder; CI clones the repository with ``shared/`` beside it."""
    if not SEEDS_DIR.is_dir() or not any(SEEDS_DIR.glob("*.txt")):
        pytest.fail(
            f"Seed documents not found in {SEEDS_DIR}: check out the shared/ folder next to "
            "the repository (shared/seeds/*.txt) before running the tests.",
            pytrace=False,
        )
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed(seeds_dir: Path) -> Callable[[str], Path]:
    """Find a seed by its number, e.g. ``seed("001")``; file names carry a hash suffix."""

    def find(number: str) -> Path:
        matches = sorted(seeds_dir.glob(f"{number}_*.txt"))
        if len(matches) != 1:
            pytest.fail(f"Expected one seed {number}_*.txt in {seeds_dir}, found {len(matches)}.")
        return matches[0]

    return find
