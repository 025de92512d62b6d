"""The web layer is thin: no SQL and no QA or vetting rule lives under ``broadcast.web``.

Every action of a page calls the stage, store, people or review function the CLI calls, so
a rule changed there changes for both front ends; this test reads the web package's source
(Python and templates) for what would mean a second implementation.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import broadcast

WEB = Path(broadcast.__file__).parent / "web"
SQL = re.compile(
    r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b",
    re.IGNORECASE | re.DOTALL,
)
# Modules whose job is a rule: the web may call them, never re-implement them.
RULE_IMPORTS_FORBIDDEN = ("sqlite3", "psycopg")
RULE_NAMES = (
    "hash_password",
    "verify_password",  # passwords are checked by broadcast.people.login
    "approved_sha256",  # approvals are bound to text by broadcast.review
)


def _python_files() -> list[Path]:
    files = sorted(WEB.rglob("*.py"))
    assert len(files) >= 5, "the walk found the web package"
    return files


def test_no_sql_in_the_web_package() -> None:
    offences = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and SQL.search(text):
                offences.append(f"{path.name}:{node.lineno}: {text[:60]!r}")
    for path in sorted(WEB.rglob("*.html")):
        if SQL.search(path.read_text("utf-8")):
            offences.append(path.name)
    assert offences == []


def test_the_web_package_opens_no_database_itself_and_checks_no_password() -> None:
    offences = []
    for path in _python_files():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names]
                module = getattr(node, "module", None) or ""
                if any(n.split(".")[0] in RULE_IMPORTS_FORBIDDEN for n in names) or (
                    module.split(".")[0] in RULE_IMPORTS_FORBIDDEN
                ):
                    offences.append(f"{path.name}:{node.lineno} imports {module or names}")
                if any(n in RULE_NAMES for n in names):
                    offences.append(f"{path.name}:{node.lineno} imports {names}")
            if isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany"):
                offences.append(f"{path.name}:{node.lineno} calls .{node.attr}()")
    assert offences == []


def test_the_sql_check_would_catch_sql() -> None:
    """The pattern is not vacuous: it finds the statements the store writes."""
    store = Path(broadcast.__file__).parent / "store" / "people.py"
    assert SQL.search(store.read_text("utf-8"))
