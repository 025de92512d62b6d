"""*Công việc*: a job's progress fragment (polled by htmx until it ends), the list with failed
jobs first, and cancel through ``broadcast.jobs.tasks`` (its submitter only, or an admin)."""

from __future__ import annotations

import pytest
from render_support import SLUG, store_script
from starlette.testclient import TestClient
from web_support import ADMIN, csrf_from, signed_in_client, web_workspace

from broadcast.jobs import tasks
from broadcast.model.jobs import JobKind, JobState
from broadcast.model.people import Person
from broadcast.store.people import find_person
from broadcast.store.workspace import Workspace
from broadcast.web.app import create_app

HX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = web_workspace(tmp_path_factory.mktemp("viec") / "dai")
    store_script(ws.root)
    return ws


def _person(ws: Workspace, login: str) -> Person:
    with ws.open_db() as db:
        person = find_person(db, login)
    assert person is not None
    return person


@pytest.fixture(scope="module")
def producer(ws: Workspace) -> TestClient:
    return signed_in_client(create_app(ws), "producer")


def test_a_queued_job_polls_and_a_failed_one_stops_with_its_sentence(
    ws: Workspace, producer: TestClient
) -> None:
    job_id = tasks.submit(
        ws, JobKind.VOICE, {"script": SLUG, "language": "blt"}, _person(ws, "producer")
    )
    queued = producer.get(f"/viec/{job_id}", headers=HX)
    assert queued.status_code == 200
    assert 'hx-trigger="every 1s"' in queued.text
    assert '<label for="tien-do-' in queued.text and "<progress" in queued.text
    assert "Đang chờ đến lượt" in queued.text
    assert "<html" not in queued.text  # a fragment for htmx
    tasks.execute(ws.root, job_id)  # run in this thread: the gate refuses Thái
    failed = producer.get(f"/viec/{job_id}", headers=HX)
    assert "every 1s" not in failed.text  # polling stops
    assert 'role="alert"' in failed.text and "chưa được duyệt" in failed.text
    whole = producer.get(f"/viec/{job_id}")
    assert "<html" in whole.text and "chưa được duyệt" in whole.text


def test_list_puts_failed_jobs_first_and_cancel_is_the_submitters(
    ws: Workspace, producer: TestClient
) -> None:
    failed = tasks.submit(
        ws, JobKind.VOICE, {"script": SLUG, "language": "hmn"}, _person(ws, "producer")
    )
    tasks.execute(ws.root, failed)
    waiting = tasks.submit(ws, JobKind.VOICE, {"script": SLUG}, _person(ws, "producer"))
    page = producer.get("/viec").text
    assert page.index(f"#{failed}<") < page.index(f"#{waiting}<")
    token = csrf_from(page)
    # Someone else (not an admin) may not cancel it: the job layer's refusal, on the page.
    other = signed_in_client(create_app(ws), "scheduler")
    refused = other.post(f"/viec/{waiting}/huy", data={"csrf": csrf_from(other.get("/viec").text)})
    assert refused.status_code == 400
    assert tasks.get(ws, waiting).state is JobState.QUEUED
    done = producer.post(f"/viec/{waiting}/huy", data={"csrf": token})
    assert done.status_code == 303
    assert tasks.get(ws, waiting).state is JobState.CANCELLED
    again = producer.post(f"/viec/{waiting}/huy", data={"csrf": token}, headers=HX)
    assert again.status_code == 400 and "không hủy được" in again.text


def test_unknown_job_is_a_sentence_not_a_crash(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), ADMIN)
    missing = client.get("/viec/9999")
    assert missing.status_code == 400 and "Không có công việc số 9999" in missing.text
