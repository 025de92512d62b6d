"""*Kịch bản* through the real application (TestClient, real SQLite, real espeak-ng): the
sentences with their rewrites marked, edits of either form, adding and removing sentences of
the article, listening, the mix job, sending for vetting, and the stage's refusals shown on
the page."""

from __future__ import annotations

import re
import sqlite3

import pytest
from starlette.testclient import TestClient
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.people.acting import resolve_person
from broadcast.review.vetting import approve_script, script_state
from broadcast.script.edit import start_script
from broadcast.store.workspace import Workspace
from broadcast.web.app import create_app

# Written for these tests in the style of a commune notice (not copied from a source).
ARTICLE = """Xã Mường La triển khai dịch vụ công trực tuyến toàn trình

Ngày 12/3/2026, UBND xã Mường La tổ chức hội nghị triển khai dịch vụ công trực tuyến toàn \
trình cho cán bộ và nhân dân trong xã.

Theo kế hoạch, từ tháng 4 năm 2026, người dân có thể nộp hồ sơ đăng ký khai sinh và đăng ký \
thường trú qua Cổng dịch vụ công quốc gia mà không phải đến trụ sở.

Bộ phận một cửa của xã sẽ hướng dẫn từng bước cho người dân chưa quen sử dụng điện thoại \
thông minh.

Mọi thắc mắc xin liên hệ bộ phận một cửa của xã trong giờ hành chính các ngày làm việc.

Ông Lò Văn Hùng, Chủ tịch UBND xã, đề nghị các bản thông báo rộng rãi đến từng hộ gia đình.
"""


def _person(ws: Workspace, login: str):  # type: ignore[no-untyped-def]
    with ws.open_db() as db:
        return resolve_person(db, login, environ={}).person


def _script(ws: Workspace, minutes: float = 1.0) -> int:
    """A one-minute script of ARTICLE made by 'producer' (as the Bài viết page makes it)."""
    path = ws.root / "articles" / f"dvc-{minutes:g}.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return start_script(ws, path, minutes, _person(ws, "producer")).id


def _sentences(ws: Workspace, script_id: int) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(ws.db_path)
    try:
        rows = conn.execute(
            "SELECT role, written, spoken FROM sentences WHERE script_id = ? ORDER BY position",
            (script_id,),
        ).fetchall()
    finally:
        conn.close()
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def _notice(html: str) -> str:
    found = re.findall(r'class="(?:loi|xong)"[^>]*>(.*?)</div>', html, re.S)
    return " ".join(found)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return web_workspace(tmp_path_factory.mktemp("kb") / "dai")


@pytest.fixture()
def producer(ws: Workspace) -> tuple[TestClient, str]:
    client = signed_in_client(create_app(ws), "producer")
    return client, csrf_from(client.get("/bai-viet").text)


def test_sentences_side_by_side_with_rewrites_marked(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, _ = producer
    script_id = _script(ws)
    page = client.get(f"/kich-ban/{script_id}")
    assert page.status_code == 200
    html = page.text
    # The acronym is marked in the written form with its reason as a tooltip...
    assert re.search(r'<mark title="từ điển viết tắt" data-loai="acronym">UBND', html)
    # ...and said in visible text under the sentence, for phones.
    assert "UBND → Ủy ban nhân dân" in html
    # Written and spoken forms are both there, each in its own labelled box.
    assert 'for="viet-3"' in html and 'for="doc-3"' in html
    assert "Ủy ban nhân dân xã Mường La" in html
    # Target and estimate.
    assert re.search(r"Độ dài ước tính: <strong>\d+ giây</strong> / mục tiêu 1 phút", html)
    # Sentences of the article left out are offered, in a fragment loaded after the page.
    more = re.search(r'id="kb-cau-khac" hx-get="http://testserver([^"]+)" hx-trigger="load"', html)
    assert more, "the article's other sentences are not loaded"
    fragment = client.get(more.group(1), headers={"hx-request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Thêm vào kịch bản" in fragment.text and "Theo kế hoạch, từ tháng 4" in fragment.text


def test_edit_written_form_remakes_spoken_form_and_is_audited(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    script_id = _script(ws, 1.5)
    before = _sentences(ws, script_id)
    number = next(i for i, s in enumerate(before, start=1) if s[0] == "body")
    new = "Ngày 14/3/2026, UBND xã Mường La họp bàn về dịch vụ công trực tuyến."
    done = client.post(
        f"/kich-ban/{script_id}/cau/{number}",
        data={"csrf": token, "viet": new, "doc": before[number - 1][2]},
    )
    assert done.status_code == 200
    assert f"Đã lưu câu {number}." in _notice(done.text)
    role, written, spoken = _sentences(ws, script_id)[number - 1]
    assert written == new
    assert "Ủy ban nhân dân" in spoken and "mười bốn tháng ba" in spoken
    conn = sqlite3.connect(ws.db_path)
    try:
        audit = conn.execute(
            "SELECT action, actor, position FROM review_audit WHERE script_id = ?"
            " ORDER BY id DESC LIMIT 1",
            (script_id,),
        ).fetchone()
    finally:
        conn.close()
    assert audit == ("edit-source", "producer", number - 1)


def test_edit_spoken_form_by_hand_is_kept_and_labelled(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    script_id = _script(ws, 2.0)
    headline = _sentences(ws, script_id)[1]
    said = "Xã Mường La làm dịch vụ công trên mạng, trọn vẹn từ đầu đến cuối"
    done = client.post(
        f"/kich-ban/{script_id}/cau/2", data={"csrf": token, "viet": headline[1], "doc": said}
    )
    assert done.status_code == 200
    assert _sentences(ws, script_id)[1] == (headline[0], headline[1], said)
    assert "cách đọc sửa tay" in done.text


def test_refusals_are_shown_on_the_page_and_change_nothing(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    script_id = _script(ws, 2.5)
    before = _sentences(ws, script_id)
    empty = client.post(
        f"/kich-ban/{script_id}/cau/3", data={"csrf": token, "viet": " ", "doc": ""}
    )
    assert empty.status_code == 400
    assert "đang để trống" in _notice(empty.text)
    assert "<h1>" in empty.text  # the script page itself, not an error page
    headline = client.post(f"/kich-ban/{script_id}/cau/2/bo", data={"csrf": token})
    assert headline.status_code == 400
    assert "tiêu đề của bản tin nên không bỏ được" in _notice(headline.text)
    assert _sentences(ws, script_id) == before
    missing = client.get("/kich-ban/9999")
    assert missing.status_code == 404 and "Không có kịch bản số 9999" in missing.text


def test_remove_and_add_back_a_sentence_of_the_article(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    script_id = _script(ws, 3.0)
    before = _sentences(ws, script_id)
    bodies = [i for i, s in enumerate(before, start=1) if s[0] == "body"]
    assert len(bodies) >= 2
    removed = before[bodies[0] - 1]
    done = client.post(f"/kich-ban/{script_id}/cau/{bodies[0]}/bo", data={"csrf": token})
    assert done.status_code == 200 and "Đã bỏ câu" in _notice(done.text)
    after = _sentences(ws, script_id)
    assert len(after) == len(before) - 1 and removed not in after
    # It is offered again; adding it puts it back in the article's order.
    offered = client.get(f"/kich-ban/{script_id}/cau-khac").text
    index = re.search(
        r'<p lang="vi">' + re.escape(removed[1]) + r'.*?name="cau" value="(\d+)"', offered, re.S
    )
    assert index, "the removed sentence is not offered back"
    added = client.post(f"/kich-ban/{script_id}/them", data={"csrf": token, "cau": index.group(1)})
    assert added.status_code == 200 and "Đã thêm câu" in _notice(added.text)
    assert _sentences(ws, script_id) == before


def test_submit_then_an_edit_voids_the_approval(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    script_id = _script(ws, 4.0)
    sent = client.post(f"/kich-ban/{script_id}/gui", data={"csrf": token})
    assert sent.status_code == 200
    assert "chờ duyệt nội dung" in _notice(sent.text)
    with ws.open_db() as db:
        approve_script(db, script_id, _person(ws, "content.approver"))
        assert script_state(db, script_id).approved
    written = _sentences(ws, script_id)[2][1]
    edited = client.post(
        f"/kich-ban/{script_id}/cau/3",
        data={"csrf": token, "viet": written + " Xin trân trọng thông báo.", "doc": ""},
    )
    # An empty spoken form is refused before anything changes; the approval holds.
    assert edited.status_code == 400
    with ws.open_db() as db:
        assert script_state(db, script_id).approved
    spoken = _sentences(ws, script_id)[2][2]
    edited = client.post(
        f"/kich-ban/{script_id}/cau/3",
        data={"csrf": token, "viet": written + " Xin trân trọng thông báo.", "doc": spoken},
    )
    assert edited.status_code == 200
    assert "phải duyệt lại" in _notice(edited.text)
    with ws.open_db() as db:
        assert not script_state(db, script_id).approved


def test_listen_to_one_sentence_in_the_station_voice(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    script_id = _script(ws, 5.0)
    fragment = client.post(
        f"/kich-ban/{script_id}/cau/3/nghe", data={"csrf": token}, headers={"hx-request": "true"}
    )
    assert fragment.status_code == 200
    src = re.search(r'<audio [^>]*src="http://testserver(/tep/[^"]+\.wav)"', fragment.text)
    assert src, fragment.text
    audio = client.get(src.group(1))
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    assert len(audio.content) > 16_000  # real speech, not an empty clip


def test_whole_mix_is_a_job(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    from broadcast.jobs.tasks import get

    client, token = producer
    script_id = _script(ws, 1.25)
    fragment = client.post(
        f"/kich-ban/{script_id}/tron", data={"csrf": token}, headers={"hx-request": "true"}
    )
    assert fragment.status_code == 200
    job_id = int(re.search(r'hx-get="[^"]*/viec/(\d+)"', fragment.text).group(1))  # type: ignore[union-attr]
    job = get(ws, job_id)
    assert job.kind.value == "mix" and job.args["script"] == str(script_id)
    # The shared progress fragment takes over (polled by htmx until the job ends).
    progress = client.get(f"/viec/{job_id}", headers={"hx-request": "true"})
    assert progress.status_code == 200 and "<progress" in progress.text


def test_other_roles_cannot_edit(ws: Workspace) -> None:
    script_id = _script(ws, 0.75)
    client = signed_in_client(create_app(ws), "content.approver")
    token = csrf_from(client.get("/bang-viec").text)
    before = _sentences(ws, script_id)
    refused = client.post(f"/kich-ban/{script_id}/cau/3", data={"csrf": token, "viet": "x"})
    assert refused.status_code == 403
    assert _sentences(ws, script_id) == before


def test_the_cli_edits_through_the_same_stage(ws: Workspace) -> None:
    """``broadcast script edit`` calls what the page calls: same spoken form, same audit,
    same refusals."""
    from helpers import run

    script_id = _script(ws, 1.75)
    before = _sentences(ws, script_id)
    base = ("--workspace", ws.root, "--as", "producer", "script", "edit", str(script_id))
    done = run(*base, "3", "--written", "Ngày 20/3/2026, UBND xã họp dân ở nhà văn hóa.")
    assert done.exit_code == 0, done.output
    assert "Đã lưu câu 3." in done.output
    role, written, spoken = _sentences(ws, script_id)[2]
    assert written.startswith("Ngày 20/3/2026") and "Ủy ban nhân dân" in spoken
    refused = run(*base, "2", "--remove")
    assert refused.exit_code == 2
    assert "tiêu đề của bản tin nên không bỏ được" in refused.stderr
    missing = run(*base, "99", "--spoken", "câu thử")
    assert missing.exit_code == 2 and "không có câu số 99" in missing.stderr
    assert len(_sentences(ws, script_id)) == len(before)


def test_marks_are_found_in_the_text_and_escaped() -> None:
    """A reason that contains a later piece's text is never marked inside; markup in the
    sentence is shown as text."""
    from broadcast.model.spoken import Rewrite, RewriteKind
    from broadcast.web.pages.scripts import marked

    rewrites = (
        Rewrite(RewriteKind.ACRONYM, "UBND", "Ủy ban nhân dân", "đọc số <b>"),
        Rewrite(RewriteKind.NUMBER, "số", "số", "đọc số"),
        Rewrite(RewriteKind.DROPPED, "Ảnh: x", "", "chú thích ảnh"),
    )
    html = str(marked("UBND nhận <i>số</i> hồ sơ", rewrites))
    assert html == (
        '<mark title="đọc số &lt;b&gt;" data-loai="acronym">UBND<sup>1</sup></mark> nhận '
        '&lt;i&gt;<mark title="đọc số" data-loai="number">số<sup>2</sup></mark>&lt;/i&gt; hồ sơ'
    )
