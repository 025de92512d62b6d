"""Shared fixtures: the real seed documents that live beside the repository."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # psycopg is imported only by the tests that use the PostgreSQL server
    from pg_server import PgServer, PgTemplate

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


# -- PostgreSQL (issue 16): one throw-away server per session, a fresh database per test --


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A private PostgreSQL server for the whole session (tests/pg_server.py), stopped and
    removed at the end; ``scripts/test`` installs Debian's postgresql when it is missing."""
    try:
        from pg_server import PgServer, find_bindir
    except ImportError:
        pytest.fail(
            "psycopg không có: cài bằng \"pip install -e '.[test]'\" (scripts/test tự cài).",
            pytrace=False,
        )
    if find_bindir() is None:
        pytest.fail(
            "PostgreSQL không có (initdb): cài bằng 'apt-get install postgresql' "
            "(scripts/test tự cài).",
            pytrace=False,
        )
    with PgServer() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """The libpq URL (``postgresql://broadcast_test@/<name>?host=<socket dir>``) of a fresh,
    empty database of its own, owned by the role the URL connects as; dropped after the
    test."""
    from pg_server import database

    with database(pg_server, request.node.name) as url:
        yield url


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> Callable[[str, Callable[[str], None]], PgTemplate]:
    """``pg_template(name, setup)`` → a ``PgTemplate`` whose database ``setup(url)`` filled
    once in this session (later calls with the same name reuse it; ``setup`` is not run
    again). The template is then sealed: sessions ``setup`` left open are ended and new
    connections refused, so every clone starts from the same state."""
    from pg_server import PgTemplate

    made: dict[str, PgTemplate] = {}

    def template(name: str, setup: Callable[[str], None]) -> PgTemplate:
        if name not in made:
            db_name = pg_server.new_name(f"tpl_{name}")
            setup(pg_server.create_database(db_name))
            pg_server.seal_template(db_name)
            made[name] = PgTemplate(pg_server, db_name)
        return made[name]

    return template


def _migrate_store(url: str) -> None:
    """Fill a template with the store's schema by the store's own migration (what any
    station's first ``open_db`` on an empty PostgreSQL database does)."""
    from broadcast.store.db import open_database

    open_database(url).close()


@pytest.fixture
def pg_store_url(
    pg_template: Callable[[str, Callable[[str], None]], PgTemplate], request: pytest.FixtureRequest
) -> Iterator[str]:
    """The URL of a fresh database already holding the store's schema: a copy of a template
    migrated once per session (tens of milliseconds instead of a migration per test);
    dropped after the test."""
    with pg_template("store", _migrate_store).clone(request.node.name) as url:
        yield url


BACKENDS = ("sqlite", "postgresql")
"""The stores a test marked ``backends`` runs on (ids ``[sqlite]`` and ``[postgresql]``)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store-backend",
        choices=BACKENDS,
        default=None,
        help="run every collected test on this store only, marked 'backends' or not (to try "
        "a test module on PostgreSQL by hand before marking it)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test marked ``backends`` (or asking for ``store_backend``) once per store:
    the one place where the backend parametrisation lives. ``--store-backend NAME`` runs
    every collected test on that store alone instead."""
    only = metafunc.config.getoption("store_backend", default=None)
    marked = metafunc.definition.get_closest_marker("backends") is not None
    if not marked and not only and "store_backend" not in metafunc.fixturenames:
        return
    if "store_backend" not in metafunc.fixturenames:
        # parametrize() wants the name among the test's fixtures; pytest prunes it again from
        # what it sets up, so ``_store_backend_of_marked_tests`` sets it up then.
        metafunc.fixturenames.append("store_backend")
    # The PostgreSQL half carries the ``postgres`` marker: ``-m "not postgres"`` leaves it out.
    params = [
        pytest.param(name, marks=[pytest.mark.postgres] if name == "postgresql" else [])
        for name in BACKENDS
        if only is None or name == only
    ]
    metafunc.parametrize("store_backend", params, indirect=True)


@pytest.fixture(autouse=True)
def _store_backend_of_marked_tests(request: pytest.FixtureRequest) -> None:
    """A test marked ``backends`` gets its store selected before its body runs even when it
    does not ask for ``store_backend`` itself (its other fixtures may build workspaces)."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and "store_backend" in callspec.params:
        request.getfixturevalue("store_backend")


@pytest.fixture
def store_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """``"sqlite"`` (the default store, nothing to do) or ``"postgresql"``: then a fresh
    database with the store's schema (``pg_store_url``) is made for this test and named in
    ``BROADCAST_DATABASE_URL``, which ``Workspace.open_db`` and ``init_workspace`` read;
    dropped afterwards."""
    backend: str = getattr(request, "param", "sqlite")
    monkeypatch.delenv("BROADCAST_DATABASE_URL", raising=False)
    if backend == "postgresql":
        url = request.getfixturevalue("pg_store_url")
        monkeypatch.setenv("BROADCAST_DATABASE_URL", url)
    return backend
