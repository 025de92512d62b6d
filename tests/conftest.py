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


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright (one browser for the session); the web
    tests need it, and ``scripts/test`` installs it when it is missing."""
    from playwright.sync_api import sync_playwright
    from web_support import chromium_path

    path = chromium_path()
    if path is None:
        pytest.fail("Chromium không có: cài bằng 'apt-get install chromium' (scripts/test tự cài).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()
