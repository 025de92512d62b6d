"""In Chromium, the whole flow of a commune's Center with several people, each in their own
browser context (their own cookies), on a live server with the job workers running:

the admin adds a producer, a content approver, a Thái (blt) translator and reviewer; the
producer uploads an article (a binary file first: refused by ingest), makes a one-minute
script, edits a sentence, saves a station reading, sends it for vetting and is refused when
approving it (no role) or posting without the CSRF token; the approver vets it; the reviewer
starts the translation draft job; the translator's text arrives; the reviewer fixes a QA
finding with the on-screen keyboard, batch-approves the rest and cannot open Mông; the
producer makes the mix and the video from *Thành phẩm* and watches them progress and load.

The Tai Viet and '‹blt›' texts are synthetic (arbitrary code points, tags): no Thái here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import review_fixtures as rf
from playwright.sync_api import expect
from test_web_translations import TERM_TARGET
from web_support import ADMIN, PASSWORD, browser_sign_in, check_page, live_server, web_workspace

from broadcast.jobs import list_jobs
from broadcast.jobs.workers import WorkerPool
from broadcast.model.jobs import JobKind
from broadcast.model.review import ReviewState
from broadcast.model.translation import Term, TermStatus
from broadcast.people.acting import resolve_person
from broadcast.review.vetting import VettingState, script_state
from broadcast.review.workflow import save_edits
from broadcast.script.edit import script_view
from broadcast.script.spoken.station import list_readings
from broadcast.store.translations import load_translation
from broadcast.store.workspace import Workspace

pytestmark = pytest.mark.slow

# Written for this test in the style of a commune's news item (not taken from a source).
ARTICLE = """Xã Chiềng Ơn mở lớp hướng dẫn dịch vụ công cho bà con

Sáng 20/5/2026, Trung tâm Dịch vụ tổng hợp xã Chiềng Ơn mở lớp hướng dẫn dùng dịch vụ công \
cho 45 người dân bản Nà Sản.

Cán bộ Trung tâm hướng dẫn bà con cài ứng dụng trên điện thoại và tạo tài khoản định danh \
điện tử.

Người dân được thực hành nộp hồ sơ trực tuyến đăng ký khai sinh cho con ngay tại lớp.

HTX nông nghiệp Nà Sản cũng cử người tham gia để hướng dẫn lại cho các xã viên.

Trung tâm sẽ tiếp tục mở lớp ở các bản khác trong tháng 6 năm 2026.
"""
TERM = "hồ sơ trực tuyến"
PEOPLE = (  # login, name, role label, language
    ("sx.an", "Lò Văn An", "sản xuất", None),
    ("duyet.binh", "Cà Thị Bình", "duyệt nội dung", None),
    ("dich.dung", "Quàng Văn Dũng", "dịch", "blt"),
    ("thai.cuong", "Lường Văn Cường", "duyệt bản dịch", "blt"),
)
EDITOR = "Bản dịch tiếng Thái (Thái Đen, Tai Dam)"


def _ready(page, selector: str) -> float:  # type: ignore[no-untyped-def]
    """Wait for a media element's metadata; its duration (or -1 on an error)."""
    return float(
        page.evaluate(
            """(sel) => new Promise((resolve) => {
                const m = document.querySelector(sel);
                if (m.readyState >= 1) { resolve(m.duration || m.readyState); return; }
                m.addEventListener('loadedmetadata', () => resolve(m.duration || m.readyState));
                m.addEventListener('error', () => resolve(-1));
                m.load();
            })""",
            selector,
        )
    )


def _translator_fills(ws: Workspace, script_id: int) -> int:
    """The translator's work, done off-screen: a synthetic target for every segment (codes
    and numbers carried over), Tai Viet without the approved term in the one segment that
    has it (its only QA finding). Returns that segment's number (from 1)."""
    with ws.open_db() as db:
        translator = resolve_person(db, "dich.dung", environ={}).person
        draft = load_translation(db, script_id, "blt")
        targets, term_at = {}, -1
        for s in draft.segments:
            numbers = re.findall(r"\d[\d/]*", s.source)
            target = " ".join(["‹blt›", f"XX-{chr(65 + s.position)}", *numbers])
            while len(target) < 0.8 * len(s.source):  # about as long as the source
                target += " ZZ"
            targets[s.position] = target + "."
            if TERM in s.source.lower():
                assert term_at == -1, "the term is in one sentence only"
                term_at = s.position
                targets[s.position] = " ".join([rf.TAVT] * 5) + "."
        assert term_at >= 0, [s.source for s in draft.segments]
        save_edits(db, draft, targets, actor=translator)
    return term_at + 1


def test_whole_flow_with_several_people(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    from broadcast.translate import termbase

    ws = web_workspace(tmp_path / "dai", people=False)
    with ws.open_db() as db:  # the station's glossary already has the approved term
        termbase.add_term(
            db,
            Term(TERM, "blt", TERM_TARGET, status=TermStatus.APPROVED),
            termbase.StationLanguages.of(ws.station),
        )
    article = tmp_path / "lop-ho-so-truc-tuyen.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with live_server(ws) as server, WorkerPool(ws, workers=1):
        url = server.url

        # The admin adds the people.
        admin, page = browser_sign_in(chromium, url + "/nguoi-dung", ADMIN)
        for login, name, role, lang in PEOPLE:
            page.get_by_label("Tên đăng nhập (không dấu)").fill(login)
            page.get_by_label("Họ tên").fill(name)
            page.get_by_label("Mật khẩu ban đầu (ít nhất 8 ký tự)").fill(PASSWORD)
            page.get_by_label(role, exact=True).check()
            if lang:
                page.get_by_label("Ngôn ngữ (cho vai trò dịch và duyệt bản dịch)").select_option(
                    lang
                )
            page.get_by_role("button", name="Thêm người dùng").click()
            assert f"Đã thêm {name}" in page.get_by_role("status").inner_text()
        admin.close()

        # The producer: a binary file is refused by ingest, the article is taken.
        producer, page = browser_sign_in(chromium, url + "/bai-viet", "sx.an")
        page.wait_for_url("**/bai-viet")
        page.get_by_label("Tệp bài viết (.docx, .pdf, .txt, .html)").set_input_files(
            {"name": "anh.txt", "mimeType": "text/plain", "buffer": b"\x89PNG\r\n\x1a\n" * 200}
        )
        page.get_by_role("button", name="Gửi bài").click()
        assert "nhị phân" in page.get_by_role("alert").inner_text()
        check_page(page, "bai-viet-tu-choi")
        page.get_by_label("Tệp bài viết (.docx, .pdf, .txt, .html)").set_input_files(article)
        page.get_by_role("button", name="Gửi bài").click()
        page.wait_for_selector("#bv-ket-qua")
        assert page.locator("#bv-ket-qua").inner_text().startswith("ĐẠT")
        page.get_by_label("Độ dài cả bản tin (tiếng Việt)").select_option("1.0")
        page.get_by_role("button", name="Viết kịch bản").click()
        page.wait_for_url("**/kich-ban/*")
        script_id = int(page.url.rstrip("/").rsplit("/", 1)[1])

        edited = "Sáng 20/5/2026, Trung tâm xã Chiềng Ơn mở lớp dịch vụ công cho 45 người dân."
        assert "Sáng 20/5/2026" in page.get_by_label("Câu viết 3", exact=True).input_value()
        page.get_by_label("Câu viết 3", exact=True).fill(edited)
        page.get_by_role("button", name="Lưu câu 3").click()
        expect(page.get_by_role("status")).to_contain_text("Đã lưu câu 3.")
        assert "hai mươi tháng năm" in page.get_by_label("Cách đọc 3", exact=True).input_value()

        # A station reading, saved from the sentence (the same stage as 'spoken add').
        page.get_by_text("Lưu cách đọc cho đài (câu 3)").click()
        page.get_by_label("Cách viết (câu 3)").fill("HTX")
        page.get_by_label("Đọc là (câu 3)").fill("hợp tác xã")
        page.get_by_role("button", name="Lưu vào từ điển của đài (câu 3)").click()
        expect(page.get_by_role("status")).to_contain_text("'HTX' đọc là 'hợp tác xã'")
        assert [(r.written, r.spoken) for r in list_readings(ws)] == [("HTX", "hợp tác xã")]
        page.get_by_text("Lưu cách đọc cho đài (câu 3)").click()  # open again for the picture
        check_page(page, "kich-ban-cach-doc")

        # A forged POST (no CSRF token) with the producer's cookies changes nothing.
        before = script_view(ws, script_id, with_article=False).sentences[2]
        forged = page.request.post(
            f"{url}/kich-ban/{script_id}/cau/3", form={"viet": "Câu giả mạo.", "doc": "giả"}
        )
        assert forged.status == 403
        assert script_view(ws, script_id, with_article=False).sentences[2] == before

        page.get_by_role("button", name="Gửi duyệt nội dung").click()
        assert page.locator("#kb-trang-thai").inner_text() == "chờ duyệt nội dung"
        # Approving one's own script: the producer has no approver role (403, said so).
        token = page.locator('input[name="csrf"]').first.input_value()
        refused = page.request.post(f"{url}/duyet/{script_id}/duyet", form={"csrf": token})
        assert refused.status == 403 and "không có vai trò" in refused.text()
        response = page.goto(f"{url}/duyet/{script_id}")
        assert response is not None and response.status == 403
        assert "không có vai trò" in page.locator("main").inner_text()
        check_page(page, "loi-khong-co-vai-tro")
        with ws.open_db() as db:
            assert script_state(db, script_id).state is VettingState.SUBMITTED

        # The content approver vets it.
        approver, page = browser_sign_in(chromium, f"{url}/duyet/{script_id}", "duyet.binh")
        page.wait_for_url(f"**/duyet/{script_id}")
        page.get_by_role("button", name="Duyệt nội dung").click()
        assert "Đã duyệt nội dung" in page.get_by_role("status").inner_text()
        approver.close()

        # The Thái reviewer starts the draft job (engine: none, the station's default).
        reviewer, page = browser_sign_in(chromium, url + "/ban-dich", "thai.cuong")
        page.wait_for_url("**/ban-dich")
        page.get_by_role("button", name=re.compile("^Tạo bản nháp blt")).click()
        page.wait_for_selector(f"#nhap-{script_id}-blt .viec-done", timeout=60_000)
        check_page(page, "ban-dich-nhap-xong")
        term_segment = _translator_fills(ws, script_id)

        # The QA finding (the approved term missing) fixed with the on-screen keyboard.
        page.goto(f"{url}/ban-dich/blt/{script_id}?loc=cho-duyet&doan={term_segment}")
        assert "Lỗi chặn duyệt" in page.locator("#qa").inner_text()
        box = page.get_by_label(EDITOR)
        box.click()
        box.press("End")
        box.press("ArrowLeft")
        page.keyboard.type(" ")
        for char in TERM_TARGET:
            page.locator(f'button[data-chen="{char}"]').click()
        expect(page.locator("#qa")).to_contain_text("Không có lỗi kiểm tra")
        box.press("Control+Enter")
        assert f"Đã lưu đoạn {term_segment}" in page.get_by_role("status").first.inner_text()
        page.get_by_role("button", name=re.compile(r"^Duyệt loạt \d+ đoạn không có lỗi")).click()
        status = page.get_by_role("status").first.inner_text()
        assert "Đã duyệt" in status and f"bỏ qua đoạn {term_segment}" in status
        # Mông is not this reviewer's language: the 403 page, in words.
        response = page.goto(f"{url}/ban-dich/hmn/{script_id}")
        assert response is not None and response.status == 403
        assert "tiếng hmn" in page.locator("main").inner_text()
        reviewer.close()
        with ws.open_db() as db:
            segments = load_translation(db, script_id, "blt").segments
        states = [s.state for s in segments]
        assert states.count(ReviewState.APPROVED) == len(segments) - 1, [
            (s.source, s.target, s.state.value) for s in segments
        ]
        assert states[term_segment - 1] is ReviewState.IN_REVIEW
        assert TERM_TARGET in segments[term_segment - 1].target

        # The producer renders from Thành phẩm: the mix, then the video.
        page = producer.new_page()
        page.goto(url + "/thanh-pham")
        page.get_by_label("Kịch bản").select_option(value=str(script_id))
        page.evaluate(
            """() => { window.seen = [];
                new MutationObserver(() => {
                    const v = document.querySelector('#viec-moi .viec');
                    const p = v && v.querySelector('progress');
                    if (v) window.seen.push([v.dataset.state, p ? p.value : null,
                        (v.querySelector('.viec-tin') || {}).innerText]);
                }).observe(document.querySelector('#viec-moi'), {childList: true, subtree: true});
            }"""
        )
        page.get_by_role("button", name="Trộn âm thanh").click()
        page.wait_for_selector("#viec-moi .viec-done audio", timeout=90_000)
        seen = page.evaluate("() => window.seen")
        assert seen[0][0] in ("queued", "running") and seen[-1][0] == "done", seen
        values = [value for _state, value, _message in seen]
        assert values == sorted(values) and values[-1] == 100, seen  # only goes forward
        before_done = {(value, message) for state, value, message in seen if state != "done"}
        # The bar or the message moved while it ran, whenever it ran long enough for the
        # page's one-second poll to see it running (a fast mix goes queued -> done).
        mix = next(j for j in list_jobs(ws) if j.kind is JobKind.MIX)
        assert mix.started_at is not None and mix.finished_at is not None
        ran = dt.datetime.fromisoformat(mix.finished_at) - dt.datetime.fromisoformat(
            mix.started_at
        )
        if ran >= dt.timedelta(seconds=3):
            assert len(before_done) > 1, (seen, ran)
        assert _ready(page, "#viec-moi .viec-done audio") > 5
        page.get_by_role("button", name="Dựng video").click()
        page.wait_for_selector("#viec-moi .viec-done video", timeout=120_000)
        assert _ready(page, "#viec-moi .viec-done video") >= 1
        producer.close()
