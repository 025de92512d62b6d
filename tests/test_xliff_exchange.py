"""XLIFF 2.0 and bilingual .docx round trips: ids, states and text (Tai Viet included)
survive; approved segments are never overwritten; bad files change nothing.

Target strings are OBVIOUSLY SYNTHETIC ("‹blt› XX …", arbitrary Tai Viet code points).
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from helpers import raw_sql, run
from review_fixtures import (
    SENTENCES,
    TAVT_SEGMENT,
    save,
    station_own_language_workspace,
    synthetic_target,
    workspace,
)

from broadcast.review.xliff import NS

pytestmark = pytest.mark.backends

Q = f"{{{NS}}}"
# Synthetic: arbitrary Tai Viet code points (U+AA80–U+AADF), not words of any language.
DOCX_TAVT = "\uaa84\uaa85\uaab8 \uaa92\uaa93\uaac1 \uaa80."


def snapshot(root: Path) -> tuple[list[tuple[object, ...]], int]:
    conn = raw_sql(root)
    rows = conn.execute(
        "SELECT t.language, g.position, g.target, g.state, g.approved_sha256, g.origin"
        " FROM segments g JOIN translations t ON t.id = g.translation_id"
        " ORDER BY t.language, g.position"
    ).fetchall()
    audit = conn.execute("SELECT COUNT(*) FROM review_audit").fetchone()[0]
    conn.close()
    return rows, audit


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Path, str]:
    """blt: segments 0-1 approved, 2 sent back, 3-4 edited (in review), 5 empty draft."""
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    assert run("-w", ws.root, "translate", saved.slug, "--to", "blt,hmn").exit_code == 0
    from broadcast.store.translations import load_translation, set_targets

    with ws.open_db() as db:
        translation = load_translation(db, saved.id, "blt")
        targets = {p: synthetic_target(p) for p in range(5)}
        targets[0] = TAVT_SEGMENT
        set_targets(db, translation, targets, actor="test")
    ok = run(
        "-w",
        ws.root,
        "review",
        "approve",
        saved.slug,
        "--lang",
        "blt",
        "--segment",
        "1",
        "--segment",
        "2",
        "--by",
        "An",
    )
    assert ok.exit_code == 0, ok.stderr
    sent_back = run(
        "-w",
        ws.root,
        "review",
        "reject",
        saved.slug,
        "--lang",
        "blt",
        "--segment",
        "3",
        "--note",
        "XX note",
    )
    assert sent_back.exit_code == 0
    return ws.root, saved.slug


def export(root: Path, slug: str, out: Path, lang: str = "blt") -> Path:
    result = run("-w", root, "review", "export", slug, "--lang", lang, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def test_xliff_export_is_xliff_2_with_ids_and_states(
    reviewed: tuple[Path, str], tmp_path: Path
) -> None:
    root, slug = reviewed
    tree = ET.parse(export(root, slug, tmp_path / "blt.xlf"))
    xliff = tree.getroot()
    assert xliff.tag == f"{Q}xliff" and xliff.get("version") == "2.0"
    assert (xliff.get("srcLang"), xliff.get("trgLang")) == ("vi", "blt")
    segs = list(xliff.iter(f"{Q}segment"))
    assert [s.get("id") for s in segs] == [f"s{p}" for p in range(len(SENTENCES))]
    assert [s.get("state") for s in segs] == [
        "final",
        "final",
        "reviewed",
        "translated",
        "translated",
        "initial",
    ]
    assert segs[2].get("subState") == "broadcast:changes_requested"
    assert segs[0].find(f"{Q}target").text == TAVT_SEGMENT  # type: ignore[union-attr]
    assert [s.find(f"{Q}source").text for s in segs] == [t for _r, t in SENTENCES]  # type: ignore[union-attr]


@pytest.mark.parametrize("suffix", [".xlf", ".docx"])
def test_unchanged_round_trip_changes_nothing(
    reviewed: tuple[Path, str], tmp_path: Path, suffix: str
) -> None:
    root, slug = reviewed
    before, _ = snapshot(root)
    out = export(root, slug, tmp_path / f"blt{suffix}")
    result = run("-w", root, "review", "import", out)
    assert result.exit_code == 0, result.stderr
    assert "0 đoạn thay đổi" in result.output
    assert snapshot(root)[0] == before  # ids, texts, states and approval hashes kept


def _edit_xliff(path: Path, change: Callable[[ET.Element], None]) -> None:
    ET.register_namespace("", NS)
    tree = ET.parse(path)
    change(tree.getroot())
    tree.write(path, encoding="utf-8", xml_declaration=True)


def _segment(root: ET.Element, position: int) -> ET.Element:
    return next(s for s in root.iter(f"{Q}segment") if s.get("id") == f"s{position}")


def test_xliff_import_updates_but_never_overwrites_approved(
    reviewed: tuple[Path, str], tmp_path: Path
) -> None:
    root, slug = reviewed
    out = export(root, slug, tmp_path / "blt.xlf")

    def change(xliff: ET.Element) -> None:
        for position, state in ((0, "final"), (5, "final"), (2, "translated")):
            seg = _segment(xliff, position)
            seg.set("state", state)
            seg.attrib.pop("subState", None)
            target = seg.find(f"{Q}target")
            assert target is not None
            target.text = f"‹blt› XX-new{position} ZZ ZZ ZZ ZZ ZZ ZZ ZZ."
        _segment(xliff, 2).find(f"{Q}target").text = synthetic_target(2)  # type: ignore[union-attr]

    _edit_xliff(out, change)
    result = run("-w", root, "review", "import", out, "--by", "Dũng")
    assert result.exit_code == 0, result.stderr
    # Segments are named by their sentence numbers, from 1: position 0 is "1".
    assert "Bỏ qua các đoạn đã duyệt" in result.stderr and ": 1 " in result.stderr
    assert "final" in result.stderr  # segment 5 marked final in the file: not approved here
    rows = {r[1]: r for r in snapshot(root)[0] if r[0] == "blt"}
    assert rows[0][2] == TAVT_SEGMENT and rows[0][3] == "approved"  # kept, not overwritten
    assert rows[5][2] == "‹blt› XX-new5 ZZ ZZ ZZ ZZ ZZ ZZ ZZ." and rows[5][3] == "in_review"
    assert rows[2][3] == "in_review" and rows[2][2] == synthetic_target(2)
    history = run("-w", root, "review", "history", slug, "--lang", "blt").output
    # Shown by its Vietnamese name ('import-xliff' stored), with who did it (name or login).
    assert re.search(r"nhập tệp xliff  (Dũng|dung)", history), history


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


BAD_XLIFF: list[tuple[str, Callable[[Path], None], str]] = [
    ("malformed", lambda p: p.write_text("<xliff", encoding="utf-8"), "không phải XML"),
    ("xliff 1.2", lambda p: _replace(p, 'version="2.0"', 'version="1.2"'), "XLIFF 2.x"),
    ("th", lambda p: _replace(p, 'trgLang="blt"', 'trgLang="th"'), "Thái Lan"),
    (
        "not station",
        lambda p: _replace(p, 'trgLang="blt"', 'trgLang="tyz"'),
        "không phải ngôn ngữ dịch",
    ),
    ("unknown", lambda p: _replace(p, 'trgLang="blt"', 'trgLang="qqq"'), "Không biết mã"),
    ("source lang", lambda p: _replace(p, 'srcLang="vi"', 'srcLang="en"'), "nguồn"),
    ("source text", lambda p: _replace(p, "Cảm ơn bà con", "Xin cảm ơn bà con"), "khác kịch bản"),
    ("missing", lambda p: _edit_xliff(p, lambda x: x[0].remove(x[0][-1])), "không khớp"),
    ("bad state", lambda p: _replace(p, 'state="reviewed"', 'state="done"'), "state 'done'"),
    ("doctype", lambda p: _replace(p, "<xliff", '<!DOCTYPE x [<!ENTITY a "b">]><xliff'), "DOCTYPE"),
]


@pytest.mark.parametrize(("name", "damage", "message"), BAD_XLIFF, ids=[b[0] for b in BAD_XLIFF])
def test_bad_xliff_is_refused_whole(
    reviewed: tuple[Path, str],
    tmp_path: Path,
    name: str,
    damage: Callable[[Path], None],
    message: str,
) -> None:
    root, slug = reviewed
    out = export(root, slug, tmp_path / "blt.xlf")
    # a real change to an unapproved segment, which must not be half imported
    _replace(out, "initial", "translated")
    _edit_xliff(out, lambda x: setattr(_segment(x, 5).find(f"{Q}target"), "text", "‹blt› XX-half."))
    damage(out)
    before = snapshot(root)
    result = run("-w", root, "review", "import", out)
    assert result.exit_code == 2, (name, result.output)
    assert message in result.stderr
    assert snapshot(root) == before


def test_wrong_script_for_the_language_is_refused(
    reviewed: tuple[Path, str], tmp_path: Path
) -> None:
    root, slug = reviewed
    out = export(root, slug, tmp_path / "hmn.xlf", lang="hmn")
    # Mông is written in Latin letters here: a Tai Viet target belongs to another language.
    _edit_xliff(out, lambda x: setattr(_segment(x, 1).find(f"{Q}target"), "text", TAVT_SEGMENT))
    before = snapshot(root)
    result = run("-w", root, "review", "import", out)
    assert result.exit_code == 2
    assert "Thái Việt" in result.stderr
    assert snapshot(root) == before
    also = run("-w", root, "review", "import", out, "--lang", "blt")
    assert also.exit_code == 2 and "không phải 'blt'" in also.stderr


def test_docx_round_trip_with_edits(reviewed: tuple[Path, str], tmp_path: Path) -> None:
    root, slug = reviewed
    out = export(root, slug, tmp_path / "blt.docx")
    document = docx.Document(str(out))
    table = document.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert [r[0] for r in rows[1:]] == [str(p + 1) for p in range(len(SENTENCES))]  # from 1
    assert rows[1][2] == TAVT_SEGMENT
    assert [r[3].split(" ")[0] for r in rows[1:]] == [
        "approved",
        "approved",
        "changes_requested",
        "in_review",
        "in_review",
        "draft",
    ]
    table.rows[6].cells[2].text = DOCX_TAVT  # Tai Viet typed in Word
    table.rows[1].cells[2].text = "‹blt› XX overwrite attempt."
    document.save(str(out))
    result = run("-w", root, "review", "import", out)
    assert result.exit_code == 0, result.stderr
    assert "1 đoạn thay đổi" in result.output and "Bỏ qua" in result.stderr
    got = {r[1]: r for r in snapshot(root)[0] if r[0] == "blt"}
    assert got[5][2] == DOCX_TAVT and got[5][3] == "in_review"
    assert got[0][2] == TAVT_SEGMENT and got[0][3] == "approved"


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 broken", b"\x00\x01binary"])
def test_bad_docx_is_refused(reviewed: tuple[Path, str], tmp_path: Path, content: bytes) -> None:
    root, _slug = reviewed
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    before = snapshot(root)
    result = run("-w", root, "review", "import", bad)
    assert result.exit_code == 2
    assert ".docx" in result.stderr
    assert snapshot(root) == before


def test_docx_from_elsewhere_is_refused(reviewed: tuple[Path, str], tmp_path: Path) -> None:
    root, _slug = reviewed
    other = tmp_path / "other.docx"
    document = docx.Document()
    document.add_paragraph("XX")
    document.save(str(other))
    result = run("-w", root, "review", "import", other)
    assert result.exit_code == 2 and "không ghi kịch bản" in result.stderr
    assert sys.version_info >= (3, 11)


@pytest.mark.parametrize("suffix", [".xlf", ".docx"])
def test_a_station_own_language_comes_back_in(tmp_path: Path, suffix: str) -> None:
    """A language the station adds in station.toml is exported and imported like a built-in."""
    ws = station_own_language_workspace(tmp_path / "ws")
    saved = save(ws)
    assert run("-w", ws.root, "translate", saved.slug, "--to", "xyz").exit_code == 0
    out = export(ws.root, saved.slug, tmp_path / f"xyz{suffix}", lang="xyz")
    result = run("-w", ws.root, "review", "import", out)
    assert result.exit_code == 0, result.stderr
    assert "(xyz): 0 đoạn thay đổi" in result.output
