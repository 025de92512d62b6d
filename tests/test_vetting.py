"""Vetting Vietnamese content and the four-eyes rule (issue 10).

A Vietnamese script is a draft until a content approver approves it; the approval is bound
to the hash of every sentence's written and spoken form and voided by any change, including
raw SQL; the scheduler refuses the script until then. Translation targets are OBVIOUSLY
SYNTHETIC ("‹blt› XX …"): nothing here is Thái or Mông.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import raw_sql, run
from review_fixtures import SENTENCES, save, synthetic_target, workspace
from schedule_fixtures import add_script, grid_workspace, open_db
from test_review_cli import editor_env

from broadcast.review import gate
from broadcast.review.vetting import VettingState, script_state
from broadcast.store.db import Database
from broadcast.store.hashes import script_sha256, sentence_sha256


def _state(root: Path, script_id: int) -> VettingState:
    with open_db(root) as db:
        return script_state(db, script_id).state


@pytest.mark.backends
def test_a_script_goes_draft_submitted_returned_approved(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    root = ws.root
    run("-w", root, "user", "add", "sx", "--name", "Sản Xuất", "--role", "producer")
    run("-w", root, "user", "add", "nd", "--name", "Duyệt Nội Dung", "--role", "content_approver")
    result = run("-w", root, "--as", "sx", "script", "build", _article(tmp_path), "--save")
    assert result.exit_code == 0, result.stderr
    slug = result.stderr.split("'")[1]
    with open_db(root) as db:
        script_id = int(
            db.conn.execute("SELECT id FROM scripts WHERE slug = ?", (slug,)).fetchone()[0]
        )
    assert _state(root, script_id) is VettingState.DRAFT
    assert not _gate(root, script_id)

    # The producer submits; a producer may not approve; the approver returns with a comment.
    submitted = run("-w", root, "--as", "sx", "script", "submit", slug, "--json")
    assert json.loads(submitted.stdout)["label"] == "chờ duyệt nội dung"
    refused = run("-w", root, "--as", "sx", "script", "approve", slug)
    assert refused.exit_code == 2 and "chưa có vai trò 'duyệt nội dung'" in refused.stderr
    no_comment = run("-w", root, "--as", "nd", "script", "return", slug, "--comment", " ")
    assert no_comment.exit_code == 2 and "lý do trả lại" in no_comment.stderr
    returned = run("-w", root, "--as", "nd", "script", "return", slug, "--comment", "Sai ngày")
    assert returned.exit_code == 0 and "trả lại" in returned.stdout
    with open_db(root) as db:
        vetting = script_state(db, script_id)
    assert vetting.state is VettingState.RETURNED and vetting.comment == "Sai ngày"
    assert vetting.by == "nd"

    approved = run("-w", root, "--as", "nd", "script", "approve", slug, "--json")
    assert approved.exit_code == 0, approved.stderr
    data = json.loads(approved.stdout)
    assert data["state"] == "approved" and data["by"] == "nd" and not data["self_approved"]
    assert _gate(root, script_id)
    with open_db(root) as db:
        texts = db.conn.execute(
            "SELECT written, spoken FROM sentences WHERE script_id = ? ORDER BY position",
            (script_id,),
        ).fetchall()
        row = db.conn.execute(
            "SELECT approved_by, role, sha256 FROM approvals WHERE script_id = ?"
            " AND segment_id IS NULL ORDER BY id DESC LIMIT 1",
            (script_id,),
        ).fetchone()
    # Bound to the written AND spoken forms of every sentence.
    assert tuple(row) == ("nd", "content_approver", script_sha256([(w, s) for w, s in texts]))
    history = run("-w", root, "review", "history", slug, "--lang", "vi")
    assert "sx" in history.stdout and "nd" in history.stdout and "Sai ngày" in history.stdout

    # A change of one spoken form only, by raw SQL, keeping a digest that matches: the
    # approval is voided by the trigger (the hash of migration 8 alone would not say so).
    conn = raw_sql(root)
    written, _ = texts[1]
    conn.execute(
        "UPDATE sentences SET spoken = 'đọc khác', text_sha256 = ? WHERE script_id = ?"
        " AND position = 1",
        (sentence_sha256(written, "đọc khác"), script_id),
    )
    conn.commit()
    kinds = [
        r[0] for r in conn.execute("SELECT kind FROM approvals WHERE script_id = ?", (script_id,))
    ]
    conn.close()
    assert kinds[-1] == "void"
    assert not _gate(root, script_id)
    with open_db(root) as db:
        after = script_state(db, script_id)
    assert after.state is VettingState.SUBMITTED and after.voided  # awaiting approval again


@pytest.mark.backends
def test_scheduler_refuses_until_approved_and_again_after_an_edit(tmp_path: Path) -> None:
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        script_id = add_script(db, "mot-cua", vi_seconds=90.0, approve=False)
    add = ("schedule", "add", "mot-cua", "--from", "2026-03-02", "--to", "2026-03-08")
    refused = run("-w", root, *add)
    assert refused.exit_code == 2 and "chưa có bản thu nào đã duyệt" in refused.stderr
    explicit = run("-w", root, *add, "--languages", "vi")
    assert explicit.exit_code == 2 and "chưa được duyệt" in explicit.stderr
    # Rows written behind the toolkit's back are refused by the schema as well.
    conn = raw_sql(root)
    assert conn.execute("SELECT COUNT(*) FROM approved_languages").fetchone()[0] == 0
    conn.close()

    assert run("-w", root, "script", "approve", "mot-cua").exit_code == 0
    # Only a scheduler fills the schedule.
    run("-w", root, "user", "add", "xem", "--name", "Người Xem", "--role", "viewer")
    viewer = run("-w", root, "--as", "xem", *add)
    assert viewer.exit_code == 2 and "chưa có vai trò 'lập lịch'" in viewer.stderr
    assert run("-w", root, *add).exit_code == 0
    plan = ("schedule", "plan", "--from", "2026-03-02", "--days", "7")
    assert run("-w", root, *plan).exit_code == 0
    assert _planned(root) > 0

    # A raw SQL edit of the approved text: void recorded, the plan loses the render at once,
    # and a new item is refused until the content is approved again.
    conn = raw_sql(root)
    conn.execute("UPDATE sentences SET written = 'Tin sửa tay.' WHERE position = 0")
    conn.commit()
    conn.close()
    assert _planned(root) == 0
    again = run("-w", root, *add)
    assert again.exit_code == 2
    with open_db(root) as db:
        assert not gate.is_approved(db, script_id, "vi")
        assert script_state(db, script_id).state is VettingState.SUBMITTED

    # The old render voices the old text: approving the new one does not bring it back.
    assert run("-w", root, "script", "approve", "mot-cua").exit_code == 0
    with open_db(root) as db:
        assert gate.is_approved(db, script_id, "vi")
        render = db.conn.execute("SELECT id FROM renders WHERE script_id = ?", (script_id,))
        assert gate.render_problem(db, render.fetchone()[0]) is not None


@pytest.mark.backends
def test_four_eyes_refuses_whoever_last_edited(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    root = ws.root
    assert run("-w", root, "translate", saved.slug, "--to", "blt").exit_code == 0
    plan = {"lang": "blt", "replace": {str(p + 1): synthetic_target(p) for p in range(6)}}
    edit = run(
        "-w", root, "--as", "an", "review", "edit", saved.slug, "--lang", "blt",
        env=editor_env(tmp_path, plan),
    )  # fmt: skip
    assert edit.exit_code == 0, edit.stderr
    refused = run("-w", root, "--as", "an", "review", "approve", saved.slug, "--lang", "blt")
    assert refused.exit_code == 2
    assert "'an' là người sửa đoạn 1 bản dịch blt lần cuối" in refused.stderr
    assert "four_eyes = false" in refused.stderr
    with open_db(root) as db:
        assert not gate.is_approved(db, saved.id, "blt")
    ok = run("-w", root, "--as", "chi", "review", "approve", saved.slug, "--lang", "blt")
    assert ok.exit_code == 0, ok.stderr
    with open_db(root) as db:
        assert gate.is_approved(db, saved.id, "blt")
        own = db.conn.execute("SELECT COUNT(*) FROM approvals WHERE self_approved = 1")
        assert own.fetchone()[0] == 0


@pytest.mark.backends
def test_a_station_of_one_switches_the_rule_off_and_each_self_approval_is_recorded(
    tmp_path: Path,
) -> None:
    ws = workspace(tmp_path / "ws")
    saved = save(ws)
    root = ws.root
    station = root / "station.toml"
    station.write_text(station.read_text("utf-8") + "\n[review]\nfour_eyes = false\n", "utf-8")
    assert run("-w", root, "translate", saved.slug, "--to", "blt").exit_code == 0
    plan = {"lang": "blt", "replace": {"2": synthetic_target(1)}}
    edit = run(
        "-w", root, "--as", "an", "review", "edit", saved.slug, "--lang", "blt",
        env=editor_env(tmp_path, plan),
    )  # fmt: skip
    assert edit.exit_code == 0, edit.stderr
    ok = run(
        "-w", root, "--as", "an", "review", "approve", saved.slug, "--lang", "blt",
        "--segment", "2",
    )  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    with open_db(root) as db:
        rows = db.conn.execute(
            "SELECT approved_by, self_approved FROM approvals WHERE segment_id IS NOT NULL"
        ).fetchall()
    assert [tuple(r) for r in rows] == [("an", 1)]
    history = run("-w", root, "review", "history", saved.slug, "--lang", "blt")
    line = next(x for x in history.stdout.splitlines() if "đoạn 2" in x and "duyệt" in x)
    assert "an" in line and "tự duyệt" in line
    assert len(SENTENCES) == 6

    # The quarterly report counts the self-approvals of its period and says so.
    import datetime as dt

    from broadcast.schedule.report import compute_figures
    from broadcast.schedule.report_docx import self_approval_sentence
    from broadcast.schedule.report_model import Period
    from broadcast.schedule.report_settings import load_report_settings

    today = dt.date.today()
    days = dt.timedelta(days=2)  # wide enough for any offset between this machine and UTC+7
    period = Period("thu", today - days, today + days, "kỳ thử")
    earlier = Period("truoc", today - 5 * days, today - days, "trước")
    settings = load_report_settings(root, ws.station)
    with open_db(root) as db:
        assert compute_figures(db, period, settings).self_approvals == 1
        assert compute_figures(db, earlier, settings).self_approvals == 0
    assert "1 lần tự duyệt" in self_approval_sentence(1)


def _article(tmp_path: Path) -> Path:
    article = tmp_path / "bai-thu.md"
    article.write_text(
        "# Lịch tiếp công dân tháng Ba\n\nỦy ban nhân dân xã tiếp công dân vào sáng thứ Hai "
        "hằng tuần tại trụ sở.\n\nBà con mang theo căn cước công dân khi đến làm thủ tục.\n",
        encoding="utf-8",
    )
    return article


def _gate(root: Path, script_id: int) -> bool:
    with open_db(root) as db:
        return gate.is_approved(db, script_id, "vi")


def _planned(root: Path) -> int:
    conn = raw_sql(root)
    try:
        return int(
            conn.execute("SELECT COUNT(*) FROM plan_entries WHERE kind = 'item'").fetchone()[0]
        )
    finally:
        conn.close()


def test_migration_9_carries_old_source_approvals_over_only_for_unchanged_text(
    tmp_path: Path,
) -> None:
    """Before issue 10 the producer's approval hashed the written forms only: an unchanged
    script keeps its approval (re-hashed over written and spoken forms) so what was on air
    stays on air; one changed behind the toolkit's back does not."""
    from test_migration_playlists import SENTENCES as OLD
    from test_migration_playlists import _schema_8

    from broadcast.store.hashes import text_sha256

    conn = _schema_8(tmp_path / "broadcast.db")
    ids = []
    for slug in ("giu-nguyen", "da-sua"):
        article = conn.execute(
            "INSERT INTO articles (source_path, sha256, title, body, format)"
            " VALUES ('a.md', ?, 't', 'b', 'md')",
            ("0" * 64,),
        ).lastrowid
        script = int(
            conn.execute(
                "INSERT INTO scripts (article_id, slug, title, language, target_minutes)"
                " VALUES (?, ?, 't', 'vi', 1)",
                (article, slug),
            ).lastrowid
            or 0
        )
        for position, (written, spoken) in enumerate(OLD):
            conn.execute(
                "INSERT INTO sentences (script_id, position, role, written, spoken, text_sha256)"
                " VALUES (?, ?, 'body', ?, ?, ?)",
                (script, position, written, spoken, sentence_sha256(written, spoken)),
            )
        conn.execute(  # what record_source_approval wrote in issue 9
            "INSERT INTO approvals (script_id, language, approved_by, role, sha256)"
            " VALUES (?, 'vi', 'producer', 'producer', ?)",
            (script, text_sha256("\n".join(w for w, _ in OLD))),
        )
        ids.append(script)
    conn.execute(
        "UPDATE sentences SET spoken = 'khác' WHERE script_id = ? AND position = 0", (ids[1],)
    )
    conn.close()

    with Database(tmp_path / "broadcast.db") as db:
        assert db.schema_version() >= 9
        assert gate.is_approved(db, ids[0], "vi")
        assert not gate.is_approved(db, ids[1], "vi")
        assert script_state(db, ids[0]).state is VettingState.APPROVED
        row = db.conn.execute(
            "SELECT approved_by, sha256 FROM approvals WHERE script_id = ? ORDER BY id DESC",
            (ids[0],),
        ).fetchone()
        assert tuple(row) == ("producer", script_sha256(OLD))
        assert db.conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 0


def _team_of_two(root: Path) -> None:
    """'a' both produces and approves content; 'b' approves content only."""
    for login, roles in (("a", ("producer", "content_approver")), ("b", ("content_approver",))):
        options = [w for role in roles for w in ("--role", role)]
        added = run("-w", root, "user", "add", login, "--name", f"Người {login}", *options)
        assert added.exit_code == 0, added.output


def _counts(root: Path) -> dict[str, int]:
    conn = raw_sql(root)
    try:
        tables = ("scripts", "renders", "approvals", "schedule_items", "plan_entries")
        return {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}
    finally:
        conn.close()


def _out_folders(root: Path) -> list[str]:
    out = root / "out"
    return sorted(p.name for p in out.iterdir() if p.name != "playlists") if out.is_dir() else []


@pytest.mark.backends
def test_four_eyes_refuses_the_maker_of_a_script_and_produce_approve_writes_nothing(
    tmp_path: Path,
) -> None:
    """Building a script (script build --save, produce, a new version) counts as changing
    it: its maker may not approve it, neither by 'script approve' nor by 'produce --approve'
    (refused before any rendering, nothing written); another content approver may."""
    ws = workspace(tmp_path / "ws")
    root = ws.root
    _team_of_two(root)
    article = _article(tmp_path)
    saved = run("-w", root, "--as", "a", "script", "build", article, "--save")
    assert saved.exit_code == 0, saved.stderr
    slug = saved.stderr.split("'")[1]

    refused = run("-w", root, "--as", "a", "script", "approve", slug)
    assert refused.exit_code == 2, refused.output
    assert f"'a' là người tạo kịch bản '{slug}'" in refused.stderr
    assert "duyệt nội dung" in refused.stderr and "four_eyes = false" in refused.stderr
    assert "Traceback" not in refused.output
    before = _counts(root)
    assert before["approvals"] == 0

    # produce --approve by the maker: of this very article (the saved script) and of a new one
    # (the script it would make): both refused at once, before rendering, nothing written.
    fresh = tmp_path / "bai-moi.md"
    fresh.write_text(
        "# Lịch cấp nước sạch\n\nUBND xã thông báo lịch cấp nước sạch cho bản Hìn từ thứ Hai "
        "tuần sau.\n",
        encoding="utf-8",
    )
    for source, said in ((article, f"'a' là người tạo kịch bản '{slug}'"), (fresh, "'a' sẽ là")):
        produced = run("-w", root, "--as", "a", "produce", source, "--approve")
        assert produced.exit_code == 2, produced.output
        assert said in produced.stderr and "không được tự duyệt" in produced.stderr
        assert "duyệt nội dung" in produced.stderr and "four_eyes = false" in produced.stderr
        assert "[3/6]" not in produced.stderr, "refused before the voice stage"
        assert "Traceback" not in produced.output
        assert _counts(root) == before
        assert _out_folders(root) == []
    assert _state(root, slug_id(root, slug)) is VettingState.DRAFT

    approved = run("-w", root, "--as", "b", "script", "approve", slug, "--json")
    assert approved.exit_code == 0, approved.stderr
    data = json.loads(approved.stdout)
    assert data["state"] == "approved" and data["by"] == "b" and not data["self_approved"]
    with open_db(root) as db:
        rows = db.conn.execute("SELECT approved_by, self_approved FROM approvals").fetchall()
    assert [tuple(r) for r in rows] == [("b", 0)]


@pytest.mark.backends
def test_a_station_of_one_may_approve_its_own_script_recorded_as_self_approval(
    tmp_path: Path,
) -> None:
    import datetime as dt

    from broadcast.schedule.report import compute_figures
    from broadcast.schedule.report_model import Period
    from broadcast.schedule.report_settings import load_report_settings

    ws = workspace(tmp_path / "ws")
    root = ws.root
    _team_of_two(root)
    station = root / "station.toml"
    station.write_text(station.read_text("utf-8") + "\n[review]\nfour_eyes = false\n", "utf-8")
    saved = run("-w", root, "--as", "a", "script", "build", _article(tmp_path), "--save")
    assert saved.exit_code == 0, saved.stderr
    slug = saved.stderr.split("'")[1]

    approved = run("-w", root, "--as", "a", "script", "approve", slug, "--json")
    assert approved.exit_code == 0, approved.stderr
    data = json.loads(approved.stdout)
    assert data["state"] == "approved" and data["by"] == "a" and data["self_approved"] is True
    script_id = slug_id(root, slug)
    assert _gate(root, script_id)
    with open_db(root) as db:
        rows = db.conn.execute(
            "SELECT approved_by, self_approved FROM approvals WHERE script_id = ?", (script_id,)
        ).fetchall()
        assert script_state(db, script_id).self_approved
    assert [tuple(r) for r in rows] == [("a", 1)]
    history = run("-w", root, "review", "history", slug, "--lang", "vi")
    assert history.exit_code == 0, history.output
    line = next(x for x in history.stdout.splitlines() if "tự duyệt" in x)
    assert "a" in line

    today = dt.date.today()
    days = dt.timedelta(days=2)  # wide enough for any offset between this machine and UTC+7
    settings = load_report_settings(root, ws.station)
    with open_db(root) as db:
        period = Period("thu", today - days, today + days, "kỳ thử")
        assert compute_figures(db, period, settings).self_approvals == 1


def slug_id(root: Path, slug: str) -> int:
    with open_db(root) as db:
        return int(db.conn.execute("SELECT id FROM scripts WHERE slug = ?", (slug,)).fetchone()[0])
