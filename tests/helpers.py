"""Helpers shared by tests: a workspace built in code and a CliRunner invocation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from broadcast.cli import cli

INIT_ARGS = [
    "--station",
    "Đài truyền thanh xã Mường La",
    "--commune",
    "Mường La",
    "--province",
    "Sơn La",
    "--languages",
    "vi,blt,hmn",
]


def runner() -> CliRunner:
    """Keep stderr apart from stdout (gTTS pins click < 8.2, where that is not the default)."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always separates them
        return CliRunner()


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return runner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


def make_workspace(root: Path) -> Path:
    result = run("init", root, *INIT_ARGS)
    assert result.exit_code == 0, result.output
    return root


def table_counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        names = ("articles", "scripts", "sentences", "renders", "playlist_entries")
        return {n: conn.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in names}
    finally:
        conn.close()


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def approve_content(db_path: Path, script_id: int, login: str | None = None) -> None:
    """Approve a stored Vietnamese script's content as a content approver (by default the
    workspace's first admin, made if the workspace has nobody yet), as 'broadcast script
    approve' does. The fixtures' scripts are stored in code under the name 'producer', so
    the four-eyes rule does not refuse the admin; a script its approver made (a CLI run as
    that person) needs ``login`` of someone else."""
    from broadcast.people.acting import resolve_person
    from broadcast.review.vetting import approve_script
    from broadcast.store.db import Database

    with Database(db_path) as db:
        approve_script(db, script_id, resolve_person(db, login, environ={}).person)
