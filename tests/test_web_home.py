"""*Bảng việc*: each person sees what waits for them by their roles, with links: scripts to
vet, translations of their languages to work on, returned scripts and takes to record, and
failed jobs."""

from __future__ import annotations

import pytest
from schedule_fixtures import add_script, translate
from web_support import signed_in_client, web_workspace

from broadcast.jobs import tasks
from broadcast.model.jobs import JobKind
from broadcast.review.vetting import return_script, submit_script
from broadcast.store.people import find_person
from broadcast.store.workspace import Workspace
from broadcast.web.app import create_app


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = web_workspace(tmp_path_factory.mktemp("bang-viec") / "dai")
    with ws.open_db() as db:
        producer = find_person(db, "producer")
        approver = find_person(db, "content.approver")
        assert producer and approver
        waiting = add_script(db, "cho-duyet", title="Bản tin chờ duyệt", approve=False)
        submit_script(db, waiting, producer)
        back = add_script(db, "tra-lai", title="Bản tin bị trả lại", approve=False)
        submit_script(db, back, producer)
        return_script(db, back, approver, comment="Sửa số liệu.")
        aired = add_script(db, "da-duyet", title="Bản tin đã duyệt")
        translate(db, aired, "blt", approve=True)  # approved: an announcer must record it
        open_ = add_script(db, "dang-dich", title="Bản tin đang dịch")
        translate(db, open_, "blt", approve=False)
        translate(db, open_, "hmn", approve=False)
    job = tasks.submit(ws, JobKind.VOICE, {"script": "dang-dich", "language": "blt"}, producer)
    tasks.execute(ws.root, job)  # fails: the Thái translation is not approved
    return ws


def _home(ws: Workspace, login: str) -> str:
    page = signed_in_client(create_app(ws), login).get("/bang-viec")
    assert page.status_code == 200
    return page.text


def test_approver_sees_scripts_to_vet(ws: Workspace) -> None:
    text = _home(ws, "content.approver")
    assert "Kịch bản chờ duyệt nội dung" in text
    assert "Bản tin chờ duyệt" in text and "/duyet/1" in text
    assert "Bản tin bị trả lại" not in text  # returned: the producer's now
    assert "Bản dịch" not in text and "cần thu âm" not in text


def test_editors_see_only_their_languages(ws: Workspace) -> None:
    for login in ("translator", "reviewer"):
        text = _home(ws, login)
        assert "/ban-dich/blt/4" in text, login
        assert "/ban-dich/hmn/" not in text and "Mông" not in text, login
        assert "Kịch bản chờ duyệt nội dung" not in text


def test_producer_sees_returned_scripts_takes_and_failed_jobs(ws: Workspace) -> None:
    text = _home(ws, "producer")
    assert "Bản tin bị trả lại" in text and "/kich-ban/2" in text
    assert "cần thu âm" in text and "#3 · blt" in text
    assert "Công việc bị lỗi" in text and "/viec/1" in text and "chưa được duyệt" in text
    # A viewer has nothing of this; their own failed jobs only (none).
    viewer = _home(ws, "viewer")
    assert "/viec/1" not in viewer and "/duyet/" not in viewer and "/kich-ban/" not in viewer
