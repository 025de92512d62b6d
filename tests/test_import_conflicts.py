"""Imports that never lose work (issue 9): a file exported before someone else's edit is
refused whole with nothing changed, unless --as-draft, which keeps both texts.

Target strings are OBVIOUSLY SYNTHETIC ("‹blt› XX …"): nothing here is Thái or Mông.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import docx
import pytest
from helpers import run
from review_fixtures import SENTENCES, save, synthetic_target, workspace
from test_xliff_exchange import Q, export, snapshot

from broadcast.review.xliff import MDA, NS
from broadcast.store.db import Database
from broadcast.store.translations import load_translation, set_targets
from broadcast.store.workspace import find_workspace

SUFFIXES = [".docx", ".xlf"]


@pytest.fixture
def drafted(tmp_path: Path) -> tuple[Path, str, int]:
    """A blt draft nobody has translated yet (no MT for Thái: the targets are empty)."""
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    result = run("-w", ws.root, "translate", saved.slug, "--to", "blt")
    assert result.exit_code == 0, result.stderr
    return ws.root, saved.slug, saved.id


def translate_in_workspace(root: Path, script_id: int, targets: dict[int, str]) -> None:
    """A translator's edits made in the workspace while the file is out with an editor."""
    with find_workspace(root).open_db() as db:
        translation = load_translation(db, script_id, "blt")
        assert set_targets(db, translation, targets, actor="Lan") == sorted(targets)


def set_file_target(path: Path, position: int, text: str) -> None:
    """What an editor does in Word or a CAT tool: type a new text in one row."""
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        document.tables[0].rows[position + 1].cells[2].text = text
        document.save(str(path))
        return
    ET.register_namespace("", NS)
    ET.register_namespace("mda", MDA)
    tree = ET.parse(path)
    seg = next(s for s in tree.getroot().iter(f"{Q}segment") if s.get("id") == f"s{position}")
    target = seg.find(f"{Q}target")
    assert target is not None
    target.text = text
    tree.write(path, encoding="utf-8", xml_declaration=True)


def strip_export_record(path: Path) -> None:
    """The file as an export made before this change looked: no record of its base."""
    if path.suffix == ".xlf":
        ET.register_namespace("", NS)
        tree = ET.parse(path)
        for unit in tree.getroot().iter(f"{Q}unit"):
            for metadata in unit.findall(f"{{{MDA}}}metadata"):
                unit.remove(metadata)
        tree.write(path, encoding="utf-8", xml_declaration=True)
        assert MDA not in path.read_text("utf-8")
        return
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    del parts["docProps/custom.xml"]
    rels = parts["_rels/.rels"].decode()
    start = rels.rindex("<Relationship ", 0, rels.index("custom-properties"))
    parts["_rels/.rels"] = (rels[:start] + rels[rels.index("/>", start) + 2 :]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    assert "custom-properties" not in zipfile.ZipFile(path).read("_rels/.rels").decode()


def audit_rows(root: Path, action: str) -> list[tuple[int, str]]:
    conn = sqlite3.connect(root / "broadcast.db")
    try:
        rows = conn.execute(
            "SELECT position, detail FROM review_audit WHERE action = ? ORDER BY id", (action,)
        ).fetchall()
    finally:
        conn.close()
    return [(int(r[0]), str(r[1])) for r in rows]


def blt_rows(root: Path) -> dict[int, tuple[object, ...]]:
    return {r[1]: r for r in snapshot(root)[0] if r[0] == "blt"}


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_file_exported_before_translation_is_refused_with_nothing_changed(
    drafted: tuple[Path, str, int], tmp_path: Path, suffix: str
) -> None:
    """The issue's case: the old empty file would have emptied every translated segment."""
    root, slug, script_id = drafted
    out = export(root, slug, tmp_path / f"blt{suffix}")
    translate_in_workspace(root, script_id, {p: synthetic_target(p) for p in range(6)})
    before = snapshot(root)
    result = run("-w", root, "review", "import", out)
    assert result.exit_code == 2, result.output
    assert "6 đoạn đã được sửa sau khi xuất tệp này" in result.stderr
    assert "đoạn 1, 2, 3, 4, 5, 6" in result.stderr and "--as-draft" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before  # segments, states, hashes and the audit trail

    # --as-draft: the file holds nothing new for any row, so the translator's text stays.
    kept = run("-w", root, "review", "import", out, "--as-draft")
    assert kept.exit_code == 0, kept.stderr
    assert "0 đoạn thay đổi" in kept.output and "giữ nguyên văn bản mới hơn" in kept.stderr
    assert snapshot(root)[0] == before[0]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_edited_on_both_sides_is_refused_then_kept_as_draft(
    drafted: tuple[Path, str, int], tmp_path: Path, suffix: str
) -> None:
    root, slug, script_id = drafted
    translate_in_workspace(root, script_id, {p: synthetic_target(p) for p in range(6)})
    out = export(root, slug, tmp_path / f"blt{suffix}")
    editor_text = "‹blt› XX editor 239/QĐ-UBND 27/01/2026, 15 ZZ ZZ."
    set_file_target(out, 2, editor_text)  # the editor's change, in the file
    set_file_target(out, 5, "‹blt› XX editor closing ZZ ZZ ZZ.")  # not touched since: fine
    lan_2 = "‹blt› XX Lan 239/QĐ-UBND 27/01/2026, 15 ZZ ZZ ZZ."
    lan_3 = "‹blt› XX Lan three ZZ ZZ ZZ ZZ."
    translate_in_workspace(root, script_id, {2: lan_2, 3: lan_3})  # meanwhile, in workspace
    before = snapshot(root)

    refused = run("-w", root, "review", "import", out)
    assert refused.exit_code == 2
    assert "2 đoạn đã được sửa sau khi xuất tệp này (đoạn 3, 4)" in refused.stderr
    assert "tệp đổi 3 đoạn" in refused.stderr
    assert snapshot(root) == before

    applied = run("-w", root, "review", "import", out, "--as-draft", "--by", "Dũng")
    assert applied.exit_code == 0, applied.stderr
    assert "2 đoạn thay đổi" in applied.output
    rows = blt_rows(root)
    assert rows[2][2] == editor_text and rows[2][3] == "draft"  # both sides changed: a draft
    assert rows[3][2] == lan_3 and rows[3][3] == "in_review"  # only Lan changed it: kept
    assert rows[5][2] == "‹blt› XX editor closing ZZ ZZ ZZ." and rows[5][3] == "in_review"
    assert "Đoạn 3 đã được sửa" in applied.stderr and "đoạn 4" not in applied.output
    # Lan's text is not lost: the audit row of the overwrite holds it, ready to restore.
    [(position, detail)] = audit_rows(root, "import-as-draft")
    assert position == 2 and json.loads(detail) == {"old": lan_2, "new": editor_text}
    history = run("-w", root, "review", "history", slug, "--lang", "blt")
    assert "nhập làm bản nháp  dung" in history.output and lan_2 in history.output


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_file_without_export_record_may_only_fill_empty_segments(
    drafted: tuple[Path, str, int], tmp_path: Path, suffix: str
) -> None:
    root, slug, script_id = drafted
    translate_in_workspace(root, script_id, {p: synthetic_target(p) for p in range(5)})
    out = export(root, slug, tmp_path / f"blt{suffix}")
    set_file_target(out, 5, "‹blt› XX filled closing ZZ ZZ ZZ.")  # segment 5 is empty
    strip_export_record(out)
    assert run("-w", root, "review", "import", out).exit_code == 0
    assert blt_rows(root)[5][2] == "‹blt› XX filled closing ZZ ZZ ZZ."

    set_file_target(out, 4, "‹blt› XX overwrite ZZ ZZ ZZ ZZ.")
    before = snapshot(root)
    result = run("-w", root, "review", "import", out)
    assert result.exit_code == 2 and "(đoạn 5)" in result.stderr
    assert snapshot(root) == before


def test_damaged_export_record_is_refused(drafted: tuple[Path, str, int], tmp_path: Path) -> None:
    root, slug, _ = drafted
    out = export(root, slug, tmp_path / "blt.xlf")
    text = out.read_text("utf-8")
    assert text.count('type="target-sha256">') == len(SENTENCES)
    out.write_text(text.replace('type="target-sha256">', 'type="target-sha256">zz', 1), "utf-8")
    before = snapshot(root)
    result = run("-w", root, "review", "import", out)
    assert result.exit_code == 2 and "bị hỏng" in result.stderr
    assert snapshot(root) == before


def test_docx_records_its_base_in_custom_properties(
    drafted: tuple[Path, str, int], tmp_path: Path
) -> None:
    """Where Word and LibreOffice keep it: docProps/custom.xml, one short value per row."""
    root, slug, _ = drafted
    out = export(root, slug, tmp_path / "blt.docx")
    with zipfile.ZipFile(out) as package:
        custom = ET.fromstring(package.read("docProps/custom.xml"))
        assert "custom-properties" in package.read("_rels/.rels").decode()
    names = [p.get("name") for p in custom]
    assert names == [f"broadcast-base-{p}" for p in range(len(SENTENCES))]
    values = ["".join(p.itertext()) for p in custom]
    assert all(len(v) == 129 for v in values)  # two SHA-256, under Word's 255 limit


@pytest.mark.parametrize("number", ["²", "٣", "1" * 7])
def test_docx_row_number_that_is_not_ascii_digits_is_refused(
    drafted: tuple[Path, str, int], tmp_path: Path, number: str
) -> None:
    root, slug, _ = drafted
    out = export(root, slug, tmp_path / "blt.docx")
    document = docx.Document(str(out))
    document.tables[0].rows[3].cells[0].text = number
    document.save(str(out))
    before = snapshot(root)
    result = run("-w", root, "review", "import", out)
    assert result.exit_code == 2 and "dòng 4 của bảng" in result.stderr
    assert snapshot(root) == before


# $EDITOR for `review edit`: the editor changes the blt line of some blocks while, at the same
# moment, a colleague saves other texts through the store (the colleague's process).
MEANWHILE_EDITOR = """
import json, re, sys
from pathlib import Path
from broadcast.store.db import Database
from broadcast.store.translations import load_translation, set_targets
plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
path = Path(sys.argv[2])
block, out = None, []
for line in path.read_text(encoding="utf-8").split("\\n"):
    m = re.match(r"^\\[#(\\d+)\\]", line)
    block = m.group(1) if m else block
    if block in plan["mine"] and line.startswith("blt:"):
        line = "blt: " + plan["mine"][block]
    out.append(line)
path.write_text("\\n".join(out), encoding="utf-8")
with Database(plan["db"]) as db:
    translation = load_translation(db, plan["script_id"], "blt")
    set_targets(db, translation, {int(k): v for k, v in plan["theirs"].items()}, actor="Lan")
"""


@pytest.mark.parametrize("clash", [True, False])
def test_review_edit_never_overwrites_a_text_saved_meanwhile(
    drafted: tuple[Path, str, int], tmp_path: Path, clash: bool
) -> None:
    root, slug, script_id = drafted
    translate_in_workspace(root, script_id, {p: synthetic_target(p) for p in range(6)})
    # The editor's file numbers its blocks from 1: blocks 2 and 4 are positions 1 and 3.
    mine = {"2": "‹blt› XX mine headline ZZ ZZ ZZ", "4": "‹blt› XX mine three ZZ ZZ ZZ ZZ."}
    theirs = {"3" if clash else "4": "‹blt› XX Lan meanwhile ZZ ZZ ZZ."}
    editor = tmp_path / "editor.py"
    editor.write_text(MEANWHILE_EDITOR, encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {"db": str(root / "broadcast.db"), "script_id": script_id, "mine": mine,
             "theirs": theirs},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )  # fmt: skip
    env = {"EDITOR": f"{sys.executable} {editor} {plan}", "VISUAL": ""}
    result = run("-w", root, "review", "edit", slug, "--lang", "blt", env=env)
    rows = blt_rows(root)
    if not clash:  # different segments: both edits kept
        assert result.exit_code == 0, result.stderr
        assert "Đã lưu 2 đoạn sửa" in result.output
        assert rows[1][2] == mine["2"] and rows[3][2] == mine["4"]
        assert rows[4][2] == theirs["4"]
        return
    assert result.exit_code == 2
    assert "đoạn 4 đã được người khác sửa" in result.stderr
    assert rows[3][2] == theirs["3"] and rows[1][2] == synthetic_target(1)  # nothing saved
    [kept] = (root / "out").glob(f"ban-sua-{slug}-blt-*.txt")
    assert str(kept.name) in result.stderr
    assert f"blt: {mine['4']}" in kept.read_text("utf-8")  # the editor's work is not lost


def test_import_transaction_holds_the_write_lock_before_it_reads(
    drafted: tuple[Path, str, int],
) -> None:
    """What makes the comparison and the write one step: no other process writes between."""
    root, _, _ = drafted
    other = sqlite3.connect(root / "broadcast.db", timeout=0.1, isolation_level=None)
    try:
        with Database(root / "broadcast.db") as db, db.transaction():
            # BEGIN IMMEDIATE: the lock is held from the start, before the first read.
            other.execute("SELECT COUNT(*) FROM segments").fetchone()  # readers are never held
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("UPDATE segments SET note = 'x'")
        other.execute("UPDATE segments SET note = note")  # released with the transaction
    finally:
        other.close()
