"""Several processes at once on one workspace (issue 10): producing, editing, approving and
planning for a bounded time. Afterwards no traceback anywhere, no lost update (every edit
reported accepted is in the audit history, and the final texts are the last accepted
edits), every approval matches the text it approved, and SQLite finds the file intact.

Target strings are OBVIOUSLY SYNTHETIC ("‹blt› XX …"): nothing here is Thái or Mông.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from concurrency_worker import LANGUAGE
from helpers import run
from review_fixtures import save, synthetic_target, workspace

from broadcast.model.review import text_sha256
from broadcast.store import translations as tstore

pytestmark = pytest.mark.slow

SECONDS = 12  # how long the editors, reviewers and planner keep going
WORKER = Path(__file__).with_name("concurrency_worker.py")
# Two short articles (real Vietnamese, as a department would send), produced by two
# processes at the same time in opposite orders, then again (the stage cache answers).
ARTICLES = {
    "tiem-phong.txt": "Lịch tiêm phòng tháng này\n\nTrạm y tế xã tiêm phòng cho trẻ em vào "
    "sáng thứ Hai. Bà con đưa trẻ đến đúng giờ và mang theo sổ tiêm chủng.\n",
    "nop-thue.txt": "Nộp thuế trực tuyến\n\nUBND xã hướng dẫn hộ kinh doanh nộp thuế trên "
    "Cổng dịch vụ công. Cán bộ một cửa hỗ trợ bà con tại xã.\n",
}


def _start(args: list[str], out: Path) -> tuple[subprocess.Popen[str], Path]:
    process = subprocess.Popen(
        [sys.executable, str(WORKER), *args[:6], str(out), *args[6:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=WORKER.parent,
    )
    return process, out


def test_many_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    assert run("-w", ws.root, "translate", saved.slug, "--to", LANGUAGE).exit_code == 0
    with ws.open_db() as db:
        translation = tstore.load_translation(db, saved.id, LANGUAGE)
        first = {s.position: synthetic_target(s.position, LANGUAGE) for s in translation.segments}
        tstore.set_targets(db, translation, first, actor="chuan-bi")
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    articles = [str(tmp_path / name) for name in ARTICLES]
    today = dt.date.today().isoformat()

    common = [str(ws.root), str(saved.id), str(SECONDS)]
    # Producers make the scripts; a content approver (another person: the four-eyes rule)
    # approves them by producing the same article again with --approve ("đã có").
    team = (("sx.e", "producer"), ("sx.f", "producer"), ("duyet.nd", "content_approver"))
    for login, role in team:
        added = run("-w", ws.root, "user", "add", login, "--name", login, "--role", role)
        assert added.exit_code == 0, added.output
    make = ("--as", "sx.e"), ("--as", "sx.f")
    vet = ("--as", "duyet.nd")
    workers = [
        _start(["edit", "bienTapA", *common, "1"], tmp_path / "e1.json"),
        _start(["edit", "bienTapB", *common, "2"], tmp_path / "e2.json"),
        _start(["approve", "duyetC", *common, "3"], tmp_path / "a1.json"),
        _start(["approve", "duyetD", *common, "4"], tmp_path / "a2.json"),
        _start(
            ["cli", "sanXuatE", *common, "5", *make[0], "produce", articles[0], "--",
             *vet, "produce", articles[0], "--approve", "--",
             *make[0], "produce", articles[1], "--", *vet, "produce", articles[1], "--approve"],
            tmp_path / "p1.json",
        ),
        _start(
            ["cli", "sanXuatF", *common, "6", *make[1], "produce", articles[1], "--",
             *vet, "produce", articles[1], "--approve", "--",
             *make[1], "produce", articles[0], "--", *vet, "produce", articles[0], "--approve"],
            tmp_path / "p2.json",
        ),
        _start(
            ["cli", "lapLichG", *common, "7", "schedule", "plan", "--from", today, "--days", "2"],
            tmp_path / "s1.json",
        ),
    ]  # fmt: skip
    results: dict[str, dict] = {}
    for process, out in workers:
        stdout, stderr = process.communicate(timeout=240)
        assert process.returncode == 0, stderr
        assert "Traceback" not in stdout + stderr
        results[out.stem] = json.loads(out.read_text("utf-8"))

    # Every command run: finished cleanly, and no traceback on any screen.
    runs = [r for key in ("p1", "p2", "s1") for r in results[key]["runs"]]
    assert len(runs) >= 5
    for r in runs:
        assert "Traceback" not in r["stdout"] + r["stderr"], r
        assert r["code"] == 0, r
    refusals = [m for key in ("e1", "e2", "a1", "a2") for m in results[key]["refused"]]
    assert all("Traceback" not in m and "\n" not in m for m in refusals)

    edits = {
        actor: results[key]["accepted"] for key, actor in (("e1", "bienTapA"), ("e2", "bienTapB"))
    }
    assert sum(len(v) for v in edits.values()) >= 10  # the editors really got through
    assert results["a1"]["accepted"] or results["a2"]["accepted"]

    with ws.open_db() as db:
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        audit = tstore.audit_trail(db, saved.id, LANGUAGE)
        final = tstore.load_translation(db, saved.id, LANGUAGE)
        approvals = db.conn.execute(
            "SELECT a.segment_id, a.sha256, a.kind FROM approvals a"
            " JOIN segments g ON g.id = a.segment_id WHERE g.translation_id = ? ORDER BY a.id",
            (final.id,),
        ).fetchall()
        names = db.conn.execute(
            "SELECT COUNT(DISTINCT title) AS titles, COUNT(*) AS scripts FROM scripts"
            " WHERE id != ?",
            (saved.id,),
        ).fetchone()

    # No lost update: each accepted edit is in the history, under its editor's name ...
    recorded = {(e.actor, e.position, e.sha256) for e in audit if e.action == "edit"}
    for actor, accepted in edits.items():
        for edit in accepted:
            assert (actor, edit["position"], text_sha256(edit["text"])) in recorded, edit
        mine = [e for e in audit if e.action == "edit" and e.actor == actor]
        assert len(mine) == len(accepted)  # ... and nothing refused was written
    # ... and each segment holds the last accepted edit (in the history's order).
    last_edit: dict[int, str] = {}
    for entry in audit:
        if entry.action == "edit" and entry.position is not None and entry.sha256:
            last_edit[entry.position] = entry.sha256
    for segment in final.segments:
        assert text_sha256(segment.target) == last_edit[segment.position]

    # Every approval approved the text the segment had at that moment of the history.
    current: dict[int, str | None] = {}
    approved_rows = 0
    for entry in audit:
        if entry.position is None:
            continue
        if entry.action == "edit":
            current[entry.position] = entry.sha256
        elif entry.action == "approve":
            approved_rows += 1
            assert entry.sha256 == current[entry.position], entry
    reported = sum(len(results[k]["accepted"]) for k in ("a1", "a2"))
    assert approved_rows == reported
    assert len([a for a in approvals if a["kind"] == "approve"]) == reported
    for segment in final.segments:  # and what stands approved now is the text there now
        if segment.state.value == "approved":
            assert segment.approved_sha256 == text_sha256(segment.target)

    # Two producers on the same two articles at once: one script each, not copies.
    assert names["titles"] == len(ARTICLES) and names["scripts"] == len(ARTICLES)
