"""*Duyệt nội dung* through the real application: the waiting list, the diff against the last
approved version, approve and return through ``broadcast.review.vetting``, and refusals (a
producer has no approver role; an approver who made the script is refused by four-eyes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from web_support import ADMIN, PASSWORD, csrf_from, signed_in_client, web_workspace

from broadcast.model.people import Person
from broadcast.review.vetting import VettingState, script_state, submit_script
from broadcast.script.model import Role as Kind
from broadcast.script.model import Script, ScriptSentence
from broadcast.script.save import store_script
from broadcast.store.people import find_person
from broadcast.store.workspace import Workspace
from broadcast.text.model import Article
from broadcast.web.app import create_app

APPROVER = "content.approver"
PRODUCER = "producer"
FIRST = (
    "Đây là Đài truyền thanh xã Mường La.",
    "Xã tiếp công dân vào sáng thứ Hai.",
    "Bà con mang theo căn cước công dân.",
    "Cảm ơn bà con đã lắng nghe.",
)


def _person(ws: Workspace, login: str) -> Person:
    with ws.open_db() as db:
        person = find_person(db, login)
    assert person is not None
    return person


def save_version(ws: Workspace, sentences: tuple[str, ...], *, by: str, source: str) -> int:
    """A Vietnamese script stored by ``by`` (a new version when ``source`` was used), sent
    to the approvers."""
    title = f"Lịch tiếp công dân {Path(source).stem}"
    article = Article(
        source=Path(source), title=title, body="\n\n".join(sentences),
        format="txt", sha256="0" * 64,
    )  # fmt: skip
    script = Script(
        title=title,
        language="vi",
        sentences=tuple(ScriptSentence(Kind.BODY, t, t) for t in sentences),
        target_minutes=0.5,
        estimated_seconds=20.0,
    )
    saved = store_script(ws, article, script, by=by, now=dt.datetime(2026, 12, 2, 8))
    with ws.open_db() as db:
        submit_script(db, saved.id, _person(ws, PRODUCER))
    return saved.id


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """One workspace for the module: each test stores its own article (its own source)."""
    return web_workspace(tmp_path_factory.mktemp("duyet") / "dai")


def _approver(ws: Workspace) -> TestClient:
    return signed_in_client(create_app(ws), APPROVER)


def test_waiting_list_shows_submitted_scripts_only(ws: Workspace) -> None:
    waiting = save_version(ws, FIRST, by=PRODUCER, source="list.txt")
    client = _approver(ws)
    page = client.get("/duyet")
    assert page.status_code == 200
    assert f"/duyet/{waiting}" in page.text and "chờ duyệt nội dung" in page.text
    with ws.open_db() as db:
        from broadcast.review.vetting import approve_script

        approve_script(db, waiting, _person(ws, APPROVER))
    assert f"/duyet/{waiting}" not in client.get("/duyet").text


def test_approve_then_a_new_version_shows_what_changed(ws: Workspace) -> None:
    first = save_version(ws, FIRST, by=PRODUCER, source="diff.txt")
    client = _approver(ws)
    page = client.get(f"/duyet/{first}")
    assert "Chưa có phiên bản nào" in page.text  # nothing approved before: read it all
    assert all(sentence in page.text for sentence in FIRST)
    done = client.post(f"/duyet/{first}/duyet", data={"csrf": csrf_from(page.text)})
    assert done.status_code == 200 and "Đã duyệt nội dung" in done.text
    with ws.open_db() as db:
        state = script_state(db, first)
    assert state.state is VettingState.APPROVED and state.by == APPROVER

    changed = (FIRST[0], "Xã tiếp công dân vào sáng thứ Ba.", FIRST[3], "Câu mới thêm vào.")
    second = save_version(ws, changed, by=PRODUCER, source="diff.txt")
    assert second != first
    diff = client.get(f"/duyet/{second}").text
    assert "<del>Hai.</del>" in diff and "<ins>Ba.</ins>" in diff
    assert "<del>Bà con mang theo căn cước công dân.</del>" in diff
    assert "<ins>Câu mới thêm vào.</ins>" in diff
    assert f"(#{first})" in diff


def test_return_needs_a_comment_and_records_it(ws: Workspace) -> None:
    script_id = save_version(ws, FIRST, by=PRODUCER, source="return.txt")
    client = _approver(ws)
    token = csrf_from(client.get(f"/duyet/{script_id}").text)
    empty = client.post(f"/duyet/{script_id}/tra-lai", data={"csrf": token, "comment": " "})
    assert empty.status_code == 400 and "lý do trả lại" in empty.text
    back = client.post(
        f"/duyet/{script_id}/tra-lai", data={"csrf": token, "comment": "Sửa giờ tiếp dân."}
    )
    assert back.status_code == 200 and "Đã trả lại" in back.text
    with ws.open_db() as db:
        state = script_state(db, script_id)
    assert state.state is VettingState.RETURNED and state.comment == "Sửa giờ tiếp dân."


def test_producer_cannot_approve_own_script(ws: Workspace) -> None:
    script_id = save_version(ws, FIRST, by=PRODUCER, source="own.txt")
    client = signed_in_client(create_app(ws), PRODUCER)
    token = csrf_from(client.get("/bang-viec").text)
    refused = client.post(f"/duyet/{script_id}/duyet", data={"csrf": token})
    assert refused.status_code == 403 and "không có vai trò" in refused.text
    assert client.get(f"/duyet/{script_id}").status_code == 403
    with ws.open_db() as db:
        assert script_state(db, script_id).state is VettingState.SUBMITTED


def test_four_eyes_refuses_an_approver_who_made_the_script(ws: Workspace) -> None:
    script_id = save_version(ws, FIRST, by=APPROVER, source="four.txt")
    client = _approver(ws)
    token = csrf_from(client.get(f"/duyet/{script_id}").text)
    refused = client.post(f"/duyet/{script_id}/duyet", data={"csrf": token})
    assert refused.status_code == 400
    assert "bốn mắt" in refused.text and 'role="alert"' in refused.text
    with ws.open_db() as db:
        assert script_state(db, script_id).state is VettingState.SUBMITTED


def test_listen_offers_a_mix_job_to_a_producer_approver(ws: Workspace) -> None:
    script_id = save_version(ws, FIRST, by=PRODUCER, source="listen.txt")
    page = _approver(ws).get(f"/duyet/{script_id}").text
    assert "nhờ người sản xuất trộn" in page  # an approver only: no button that would fail
    from broadcast.model.people import Grant, Role
    from broadcast.people import accounts

    with ws.open_db() as db:
        accounts.add_person(
            db, _person(ws, ADMIN), "sx.duyet", "Sản xuất và duyệt",
            [Grant(Role.PRODUCER, ""), Grant(Role.CONTENT_APPROVER, "")], password=PASSWORD,
        )  # fmt: skip
    both = signed_in_client(create_app(ws), "sx.duyet")
    page = both.get(f"/duyet/{script_id}").text
    assert "Trộn âm thanh để nghe" in page
    started = both.post(
        f"/duyet/{script_id}/tron", data={"csrf": csrf_from(page)}, headers={"HX-Request": "true"}
    )
    assert started.status_code == 200
    assert 'hx-trigger="every 1s"' in started.text and "<progress" in started.text
