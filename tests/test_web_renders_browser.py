"""In Chromium, with the server's job workers running: a producer starts a mix and a video
from *Thành phẩm*, watches the progress, and the players load (the audio reports a duration,
the video element loads); an approver vets a script; a take is uploaded and checked. Every
page of helper P3's part gets screenshots at both sizes, no sideways scrolling and labelled
controls (``check_page``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_support import store_script
from test_web_takes import take_wav
from test_web_vetting import FIRST, save_version
from web_support import browser_sign_in, check_page, live_server, web_workspace

from broadcast.jobs.workers import WorkerPool

pytestmark = pytest.mark.slow


def test_render_jobs_show_progress_and_the_players_load(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    ws = web_workspace(tmp_path / "dai")
    store_script(ws.root)
    with live_server(ws) as server, WorkerPool(ws, workers=1):
        context, page = browser_sign_in(chromium, server.url + "/thanh-pham", "producer")
        page.wait_for_url("**/thanh-pham")
        check_page(page, "thanh-pham-trong")
        page.get_by_label("Kịch bản").select_option(label="#1 Lịch tiếp công dân")
        # Every state and progress value the page shows, as htmx swaps the fragment in.
        page.evaluate(
            """() => { window.seen = [];
                new MutationObserver(() => {
                    const v = document.querySelector('#viec-moi .viec');
                    const p = v && v.querySelector('progress');
                    if (v) window.seen.push([v.dataset.state, p ? p.value : null]);
                }).observe(document.querySelector('#viec-moi'), {childList: true, subtree: true});
            }"""
        )
        page.get_by_role("button", name="Trộn âm thanh").click()
        page.wait_for_selector("#viec-moi .viec-done audio", timeout=90_000)
        seen = page.evaluate("() => window.seen")
        states = [state for state, _value in seen]
        assert states[0] in ("queued", "running") and states[-1] == "done", seen
        values = [value for _state, value in seen]
        assert values == sorted(values) and values[-1] == 100, seen  # it only goes forward
        duration = page.evaluate(
            """() => new Promise((resolve) => {
                const a = document.querySelector('#viec-moi .viec-done audio');
                if (a.readyState >= 1) { resolve(a.duration); return; }
                a.addEventListener('loadedmetadata', () => resolve(a.duration));
                a.addEventListener('error', () => resolve(-1));
                a.load();
            })"""
        )
        assert duration > 5, duration  # four spoken sentences with the idents
        check_page(page, "thanh-pham-tron-xong")

        page.get_by_role("button", name="Dựng video").click()
        page.wait_for_selector("#viec-moi .viec-done video", timeout=180_000)
        ready = page.evaluate(
            """() => new Promise((resolve) => {
                const v = document.querySelector('#viec-moi .viec-done video');
                if (v.readyState >= 1) { resolve(v.readyState); return; }
                v.addEventListener('loadedmetadata', () => resolve(v.readyState));
                v.addEventListener('error', () => resolve(-1));
                v.load();
            })"""
        )
        assert ready >= 1

        page.goto(server.url + "/thanh-pham")
        section = page.locator(".thanh-pham").first
        assert "LUFS" in section.inner_text()
        assert section.locator("audio").count() >= 1 and section.locator("video").count() >= 1
        assert section.get_by_role("link", name="Tải Phụ đề · VTT").count() == 1
        assert section.get_by_role("link", name="Tải Video · dọc · MP4").count() == 1
        check_page(page, "thanh-pham")
        page.goto(server.url + "/viec")
        check_page(page, "cong-viec")
        page.goto(server.url + "/viec/1")
        assert page.locator(".viec-done audio").count() == 1  # the job's own page
        check_page(page, "viec")
        page.goto(server.url + "/bang-viec")
        check_page(page, "bang-viec")
        context.close()


def test_approver_vets_and_producer_checks_a_take(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    ws = web_workspace(tmp_path / "dai")
    store_script(ws.root)
    script_id = save_version(ws, FIRST, by="producer", source="duyet.txt")
    with live_server(ws) as server:
        context, page = browser_sign_in(chromium, server.url + "/duyet", "content.approver")
        page.wait_for_url("**/duyet")
        check_page(page, "duyet")
        page.get_by_role("link", name="Lịch tiếp công dân duyet").click()
        page.wait_for_url(f"**/duyet/{script_id}")
        check_page(page, "duyet-kich-ban")
        page.get_by_role("button", name="Duyệt nội dung").click()
        assert "Đã duyệt nội dung" in page.get_by_role("status").inner_text()
        assert page.locator("#trang-thai-duyet").inner_text() == "đã duyệt"
        context.close()

        context, page = browser_sign_in(chromium, server.url + "/ban-thu", "producer")
        page.wait_for_url("**/ban-thu")
        check_page(page, "ban-thu")
        page.get_by_label("Kịch bản").select_option(label="#1 Lịch tiếp công dân")
        page.get_by_label("Tệp bản thu (MP3, WAV, M4A...)").set_input_files(
            {"name": "ban-thu.wav", "mimeType": "audio/wav", "buffer": take_wav()}
        )
        page.locator("summary").click()
        page.get_by_label("Tốc độ đọc (âm tiết/phút; để trống: theo cài đặt của đài)").fill("250")
        page.get_by_role("button", name="Tải lên và chia câu").click()
        page.wait_for_url("**/ban-thu/1/vi")
        page.wait_for_function(
            "() => { const i = document.querySelector('#song-am img');"
            " return i && i.complete && i.naturalWidth > 0; }"
        )
        first_picture = page.locator("#song-am img").get_attribute("src")
        check_page(page, "ban-thu-cau")
        start = page.get_by_label("Đầu câu 2 (giây)")
        start.fill(f"{float(start.input_value()) + 0.2:.2f}")
        start.dispatch_event("change")
        page.wait_for_function(
            "() => document.querySelector('#song-am img').src.includes('dau-2=')"
        )
        assert page.locator("#song-am img").get_attribute("src") != first_picture
        page.get_by_role("button", name="Nhận ranh giới và cắt lại câu").click()
        assert "Đã nhận ranh giới mới" in page.get_by_role("status").first.inner_text()
        player = page.get_by_label("Nghe câu 2")
        duration = player.evaluate(
            """(a) => new Promise((resolve) => {
                a.addEventListener('loadedmetadata', () => resolve(a.duration));
                a.addEventListener('error', () => resolve(-1));
                a.preload = 'metadata'; a.load();
            })"""
        )
        assert duration > 0.5
        context.close()
