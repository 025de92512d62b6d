"""Scripts are named by slug or by number on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.errors import InputError
from broadcast.store.db import Database
from broadcast.store.records import find_script


def test_find_script_by_slug_and_number(tmp_path: Path) -> None:
    with Database(tmp_path / "b.db") as db:
        db.conn.execute(
            "INSERT INTO articles (id, source_path, sha256, title, body, format)"
            " VALUES (1, 'a.md', 'x', 'T', 'B', 'md')"
        )
        db.conn.execute(
            "INSERT INTO scripts (id, article_id, slug, title, language, target_minutes)"
            " VALUES (7, 1, '2026-12-02-dich-vu', 'Dịch vụ', 'vi', 3)"
        )
        assert find_script(db, "2026-12-02-dich-vu").id == 7
        assert find_script(db, "7").slug == "2026-12-02-dich-vu"
        with pytest.raises(InputError, match="Không có kịch bản '8'"):
            find_script(db, "8")
