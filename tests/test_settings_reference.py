"""The README's settings table is the one generated from the declaration that checks them."""

from __future__ import annotations

import re
from pathlib import Path

from broadcast.store.station import SETTINGS, settings_reference, table_label

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_table_is_generated_from_the_declaration() -> None:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- settings:begin -->\n(.*?)<!-- settings:end -->", text, re.S)
    assert match, "README.md lost its settings markers"
    assert match.group(1) == settings_reference(), (
        "README settings table is stale: paste broadcast.store.station.settings_reference()"
    )
    # Every declared key appears once, with its range when it has one.
    for setting in SETTINGS:
        assert match.group(1).count(f"| {table_label(setting.table)} | `{setting.key}` |") == 1
        if setting.low is not None:
            assert f"{setting.low:g} – {setting.high:g}" in match.group(1)
