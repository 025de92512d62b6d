"""The review commands through the CLI: edit in $EDITOR, QA blocking approval, approval
hashes and memory, rejection, history.

$EDITOR is a small Python script (written by the test) that rewrites the side-by-side file
the way an editor would. Target strings are OBVIOUSLY SYNTHETIC ("‹blt› XX …", arbitrary Tai
Viet code points): no Thái or Mông is invented.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers import open_db, raw_sql, run
from review_fixtures import (
    SENTENCES,
    TAVT_SEGMENT,
    save,
    station_own_language_workspace,
    synthetic_target,
    workspace,
)

from broadcast.review import gate
from broadcast.review.model import ReviewState, text_sha256
from broadcast.store.translations import load_translation
from broadcast.translate import memory

pytestmark = pytest.mark.backends

EDITOR = """
import json, re, sys
from pathlib import Path
plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
path = Path(sys.argv[2])
lines = path.read_text(encoding="utf-8").split("\\n")
out, block = [], None
for line in lines:
    m = re.match(r"^\\[#(\\d+)\\]", line)
    if m:
        block = m.group(1)
        if block in plan.get("drop", []):
            continue
    elif block in plan.get("drop", []) and line.strip():
        continue
    if block in plan.get("replace", {}) and line.startswith(plan["lang"] + ":"):
        line = plan["lang"] + ": " + plan["replace"][block]
    out.append(line)
out += plan.get("append", [])
path.write_text("\\n".join(out), encoding="utf-8")
"""


def editor_env(tmp_path: Path, plan: dict[str, object]) -> dict[str, str]:
    script = tmp_path / "fake_editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return {"EDITOR": f"{sys.executable} {script} {plan_file}", "VISUAL": ""}


@pytest.fixture
def drafted(tmp_path: Path) -> tuple[Path, str]:
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    result = run("-w", ws.root, "translate", saved.slug, "--to", "blt")
    assert result.exit_code == 0, result.stderr
    return ws.root, saved.slug


def full_plan(**extra: object) -> dict[str, object]:
    # Blocks are numbered from 1 in the edited file, as sentences are everywhere.
    replace = {str(p + 1): synthetic_target(p) for p in range(len(SENTENCES))}
    replace["1"] = TAVT_SEGMENT  # Tai Viet text must come through intact
    return {"lang": "blt", "replace": replace, **extra}


def test_edit_approve_and_memory(drafted: tuple[Path, str], tmp_path: Path) -> None:
    root, slug = drafted
    # Approval is refused while QA finds blocking faults (the draft is empty).
    result = run("-w", root, "review", "approve", slug, "--lang", "blt", "--by", "An")
    assert result.exit_code == 2
    assert "Chưa duyệt được" in result.stderr and "Chưa có bản dịch" in result.stderr

    result = run(
        "-w",
        root,
        "review",
        "edit",
        slug,
        "--lang",
        "blt",
        "--by",
        "Bình",
        env=editor_env(tmp_path, full_plan()),
    )
    assert result.exit_code == 0, result.stderr
    assert f"Đã lưu {len(SENTENCES)} đoạn sửa; còn 0 lỗi chặn duyệt." in result.output

    with open_db(root) as db:
        translation = load_translation(db, 1, "blt")
        assert translation.state is ReviewState.IN_REVIEW
        assert translation.segments[0].target == TAVT_SEGMENT
        assert {s.origin for s in translation.segments} == {"editor"}
        assert not gate.is_approved(db, 1, "blt")

    result = run(
        "-w",
        root,
        "review",
        "approve",
        slug,
        "--lang",
        "blt",
        "--by",
        "An",
        "--role",
        "chief-editor",
    )
    assert result.exit_code == 0, result.stderr
    assert "đã duyệt" in result.output

    with open_db(root) as db:
        translation = load_translation(db, 1, "blt")
        assert translation.state is ReviewState.APPROVED
        assert all(s.approved_sha256 == text_sha256(s.target) for s in translation.segments)
        assert gate.approved_sentences(db, 1, "blt")[0] == TAVT_SEGMENT
        rows = db.conn.execute(
            "SELECT approved_by, role, sha256, approved_at FROM approvals WHERE language='blt'"
        ).fetchall()
        assert len(rows) == len(SENTENCES) + 1  # one per segment and one for the script
        # The acting person's login and the role the step needs (--role is no longer free).
        assert {(r[0], r[1]) for r in rows} == {("an", "reviewer")}
        assert all(len(r[2]) == 64 and r[3].startswith("20") for r in rows)
        # Approved pairs went into the memory with the previous sentence as context.
        match = memory.lookup(db, SENTENCES[3][1], "blt", previous=SENTENCES[2][1])[0]
        assert match.kind == "in-context" and match.target == synthetic_target(3)

    # A later edit of one approved segment voids that approval and the script's.
    plan = {"lang": "blt", "replace": {"3": synthetic_target(2) + " ZZ"}}
    result = run(
        "-w", root, "review", "edit", slug, "--lang", "blt", env=editor_env(tmp_path, plan)
    )
    assert result.exit_code == 0, result.stderr
    with open_db(root) as db:
        translation = load_translation(db, 1, "blt")
        assert translation.state is ReviewState.IN_REVIEW
        assert translation.segments[2].state is ReviewState.IN_REVIEW
        assert translation.segments[2].approved_sha256 is None
        assert translation.segments[1].state is ReviewState.APPROVED
        assert not gate.is_approved(db, 1, "blt")

    history = run("-w", root, "review", "history", slug, "--lang", "blt")
    assert history.exit_code == 0
    # Actions are shown by their Vietnamese names, times in Vietnam time.
    actions = [line.split("  ")[2] for line in history.output.splitlines()]
    assert actions[0] == "tạo bản nháp"
    assert "duyệt" in actions and "duyệt cả bản" in actions
    assert actions[-2:] == ["mất hiệu lực duyệt", "sửa"]
    assert all(line.split("  ")[0].endswith("+07:00") for line in history.output.splitlines())


@pytest.mark.parametrize(
    "plan",
    [
        {"drop": ["3"]},  # a segment removed
        {"append": ["[#99] body", "vi: x", "blt: ‹blt› XX extra"]},  # a segment added
        {"append": ["stray line outside the blt: lines"]},  # malformed block
    ],
)
def test_malformed_edit_saves_nothing(
    drafted: tuple[Path, str], tmp_path: Path, plan: dict[str, object]
) -> None:
    root, slug = drafted
    result = run(
        "-w",
        root,
        "review",
        "edit",
        slug,
        "--lang",
        "blt",
        env=editor_env(tmp_path, full_plan(**plan)),
    )
    assert result.exit_code == 2
    assert "không lưu gì" in result.stderr
    conn = raw_sql(root)
    assert {r[0] for r in conn.execute("SELECT target FROM segments")} == {""}
    assert conn.execute("SELECT COUNT(*) FROM review_audit WHERE action = 'edit'").fetchone() == (
        0,
    )
    conn.close()


def test_reject_and_list(drafted: tuple[Path, str], tmp_path: Path) -> None:
    root, slug = drafted
    run("-w", root, "review", "edit", slug, "--lang", "blt", env=editor_env(tmp_path, full_plan()))
    # Four eyes: whoever edited (the default person) does not approve; An does.
    assert run("-w", root, "review", "approve", slug, "--lang", "blt").exit_code == 2
    assert run("-w", root, "review", "approve", slug, "--lang", "blt", "--by", "An").exit_code == 0
    result = run(
        "-w",
        root,
        "review",
        "reject",
        slug,
        "--lang",
        "blt",
        "--segment",
        "3",
        "--note",
        "XX sai số liệu",
        "--by",
        "Chi",
    )
    assert result.exit_code == 0, result.stderr
    listing = run("-w", root, "review", "list")
    assert (
        "cần sửa" in listing.output and f"{len(SENTENCES) - 1}/{len(SENTENCES)}" in listing.output
    )
    shown = run("-w", root, "review", "show", slug, "--lang", "blt")
    assert "ghi chú duyệt: XX sai số liệu" in shown.output
    with open_db(root) as db:
        assert not gate.is_approved(db, 1, "blt")
    bad = run("-w", root, "review", "approve", slug, "--lang", "blt", "--segment", "42")
    assert bad.exit_code == 2 and "Không có đoạn số 42" in bad.stderr


def test_review_of_missing_translation_is_a_clear_error(drafted: tuple[Path, str]) -> None:
    root, slug = drafted
    result = run("-w", root, "review", "show", slug, "--lang", "hmn")
    assert result.exit_code == 2
    assert "chưa có bản dịch" in result.stderr


def test_qa_checks_a_station_own_language_with_its_own_scripts(tmp_path: Path) -> None:
    """'xyz' is declared Latin-only in station.toml: Tai Viet text in it is a wrong script."""
    ws = station_own_language_workspace(tmp_path / "ws")
    saved = save(ws)
    assert run("-w", ws.root, "translate", saved.slug, "--to", "xyz").exit_code == 0
    with ws.open_db() as db:
        from broadcast.store.translations import set_targets

        set_targets(db, load_translation(db, saved.id, "xyz"), {0: TAVT_SEGMENT}, actor="test")
    shown = run("-w", ws.root, "review", "show", saved.slug, "--lang", "xyz")
    assert "không dùng cho tiếng Xyz" in shown.output
    refused = run("-w", ws.root, "review", "approve", saved.slug, "--lang", "xyz", "--segment", "1")
    assert refused.exit_code == 2 and "không dùng cho tiếng Xyz" in refused.stderr
