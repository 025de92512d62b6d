"""Segment numbers shown to people are the script's sentence numbers, from 1 (issue 10):
`review show`, `review history`, `translate`'s listing, the side-by-side edit file, the
bilingual .docx (parsed back, and an older export numbered from 0 still read right), and
`--segment`. Stored positions stay 0-based.

Targets are OBVIOUSLY SYNTHETIC ("‹blt› XX …"): no Thái is invented.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from helpers import run
from review_fixtures import SENTENCES, save, synthetic_target, workspace

from broadcast.review import sidebyside
from broadcast.review.bilingual_docx import read_docx
from broadcast.store.translations import load_translation, set_targets


@pytest.fixture()
def drafted(tmp_path: Path) -> tuple[Path, str, int]:
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    result = run("-w", ws.root, "translate", saved.slug, "--to", "blt")
    assert result.exit_code == 0, result.stderr
    assert re.findall(r"\[#(\d+)\]", result.stdout) == [
        str(n) for n in range(1, len(SENTENCES) + 1)
    ]
    with ws.open_db() as db:
        set_targets(
            db, load_translation(db, saved.id, "blt"), {0: synthetic_target(0)}, actor="Lan"
        )
    return ws.root, saved.slug, saved.id


def test_review_show_and_history_number_from_one(drafted: tuple[Path, str, int]) -> None:
    root, slug, _ = drafted
    shown = run("-w", root, "review", "show", slug, "--lang", "blt")
    assert shown.exit_code == 0, shown.stderr
    numbers = re.findall(r"^\[#(\d+)\]", shown.stdout, flags=re.MULTILINE)
    assert numbers == [str(n) for n in range(1, len(SENTENCES) + 1)]
    history = run("-w", root, "review", "history", slug, "--lang", "blt")
    assert history.exit_code == 0, history.stderr
    edit_lines = [line for line in history.stdout.splitlines() if "Lan" in line]
    assert edit_lines and all(" đoạn 1 " in line for line in edit_lines)  # position 0


def test_side_by_side_file_round_trips_numbers_from_one(drafted: tuple[Path, str, int]) -> None:
    root, _, script_id = drafted
    from broadcast.store.workspace import find_workspace

    with find_workspace(root).open_db() as db:
        translation = load_translation(db, script_id, "blt")
    text = sidebyside.render(translation)
    assert re.findall(r"^\[#(\d+)\]", text, flags=re.MULTILINE)[:2] == ["1", "2"]
    targets = sidebyside.parse(translation, text.replace("blt: \n", "blt: ‹blt› XX\n", 1))
    assert sorted(targets) == list(range(len(SENTENCES)))  # stored positions, from 0
    assert targets[0] == synthetic_target(0)
    with pytest.raises(Exception, match="thừa đoạn 7"):
        sidebyside.parse(translation, text + "\n[#7] body\nvi: x\nblt: ‹blt› XX\n")


def test_docx_rows_from_one_and_old_exports_still_read(
    drafted: tuple[Path, str, int], tmp_path: Path
) -> None:
    root, slug, _ = drafted
    out = tmp_path / "blt.docx"
    result = run("-w", root, "review", "export", slug, "--lang", "blt", "-o", out)
    assert result.exit_code == 0, result.stderr
    table = docx.Document(str(out)).tables[0]  # an independent reader: python-docx itself
    assert [row.cells[0].text for row in table.rows[1:]] == [
        str(n) for n in range(1, len(SENTENCES) + 1)
    ]
    imported = read_docx(out)
    assert [s.position for s in imported.segments] == list(range(len(SENTENCES)))
    assert imported.segments[0].target == synthetic_target(0)

    # An export made before issue 10: heading "Đoạn", rows numbered from 0.
    old = docx.Document(str(out))
    old_table = old.tables[0]
    old_table.rows[0].cells[0].text = "Đoạn"
    for position, row in enumerate(old_table.rows[1:]):
        row.cells[0].text = str(position)
    old_path = tmp_path / "old.docx"
    old.save(str(old_path))
    assert [s.position for s in read_docx(old_path).segments] == list(range(len(SENTENCES)))
    unchanged = run("-w", root, "review", "import", old_path)
    assert unchanged.exit_code == 0, unchanged.stderr
    assert "0 đoạn thay đổi" in unchanged.stdout


def test_segment_option_counts_from_one(drafted: tuple[Path, str, int]) -> None:
    root, slug, _ = drafted
    zero = run("-w", root, "review", "approve", slug, "--lang", "blt", "--segment", "0")
    assert zero.exit_code == 2 and "từ 1" in zero.stderr
    beyond = run("-w", root, "review", "reject", slug, "--lang", "blt", "--segment", "7",
                 "--note", "x")  # fmt: skip
    assert beyond.exit_code == 2 and "Không có đoạn số 7" in beyond.stderr
    assert "(các đoạn: 1–6)" in beyond.stderr
