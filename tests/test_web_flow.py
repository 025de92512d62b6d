"""Through the real application (TestClient, the real store: SQLite and PostgreSQL): the
station's spoken-form dictionary saved from the *Kịch bản* page lands where ``broadcast
spoken`` reads it, and a person holding both the producer and the content approver roles who
made the last edit of a script is refused its approval by the four-eyes rule."""

from __future__ import annotations

import html
import re

import pytest
from helpers import run
from test_web_scripts import _person, _script
from web_support import ADMIN, PASSWORD, csrf_from, signed_in_client, web_workspace

from broadcast.model.people import Grant, Role
from broadcast.people import accounts
from broadcast.review.vetting import VettingState, script_state
from broadcast.store.workspace import Workspace
from broadcast.web.app import create_app

pytestmark = pytest.mark.backends


@pytest.fixture()
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Per test, not per module: a test marked ``backends`` gets its store chosen per test."""
    return web_workspace(tmp_path_factory.mktemp("luong") / "dai")


def test_producer_saves_a_station_reading_and_a_viewer_cannot(ws: Workspace) -> None:
    script_id = _script(ws)
    client = signed_in_client(create_app(ws), "producer")
    token = csrf_from(client.get(f"/kich-ban/{script_id}").text)
    saved = client.post(
        f"/kich-ban/{script_id}/cau/2/cach-doc",
        data={"csrf": token, "viet": "HTX", "doc": " hợp  tác xã "},
    )
    assert saved.status_code == 200, saved.text
    assert "Đã lưu cho đài: &#39;HTX&#39; đọc là &#39;hợp tác xã&#39;" in saved.text
    assert "kịch bản tiếp theo" in saved.text  # what is true: this script keeps its forms
    listed = run("--workspace", ws.root, "spoken", "list")
    assert listed.exit_code == 0 and "HTX → hợp tác xã  (producer," in listed.output

    # The stage's refusal is shown beside the sentence, nothing stored.
    same = client.post(
        f"/kich-ban/{script_id}/cau/2/cach-doc", data={"csrf": token, "viet": "UBND", "doc": "UBND"}
    )
    assert same.status_code == 400 and "giống hệt cách viết" in same.text
    assert "UBND" not in run("--workspace", ws.root, "spoken", "list").output

    viewer = signed_in_client(create_app(ws), "viewer")
    viewer_token = csrf_from(viewer.get("/", follow_redirects=True).text)
    refused = viewer.post(
        f"/kich-ban/{script_id}/cau/2/cach-doc",
        data={"csrf": viewer_token, "viet": "KT-XH", "doc": "kinh tế xã hội"},
    )
    assert refused.status_code == 403
    assert "KT-XH" not in run("--workspace", ws.root, "spoken", "list").output


def test_producer_approver_who_edited_last_is_refused_by_four_eyes(ws: Workspace) -> None:
    script_id = _script(ws)
    with ws.open_db() as db:
        accounts.add_person(
            db, _person(ws, ADMIN), "sx.kiem.duyet", "Sản xuất kiêm duyệt",
            [Grant(Role.PRODUCER, ""), Grant(Role.CONTENT_APPROVER, "")], password=PASSWORD,
        )  # fmt: skip
    both = signed_in_client(create_app(ws), "sx.kiem.duyet")
    page = both.get(f"/kich-ban/{script_id}").text
    spoken = re.search(r'id="doc-2" name="doc" rows="3">([^<]*)<', page)
    assert spoken
    edited = both.post(
        f"/kich-ban/{script_id}/cau/2",
        data={"csrf": csrf_from(page), "viet": "Xã Mường La họp bàn về dịch vụ công.",
              "doc": html.unescape(spoken.group(1))},
    )  # fmt: skip
    assert edited.status_code == 200 and "Đã lưu câu 2." in edited.text
    refused = both.post(f"/duyet/{script_id}/duyet", data={"csrf": csrf_from(page)})
    assert refused.status_code == 400
    assert "bốn mắt" in refused.text and 'role="alert"' in refused.text
    with ws.open_db() as db:
        assert script_state(db, script_id).state is not VettingState.APPROVED

    other = signed_in_client(create_app(ws), "content.approver")
    token = csrf_from(other.get(f"/duyet/{script_id}").text)
    approved = other.post(f"/duyet/{script_id}/duyet", data={"csrf": token})
    assert approved.status_code == 200 and "Đã duyệt nội dung" in approved.text
    with ws.open_db() as db:
        assert script_state(db, script_id).state is VettingState.APPROVED
