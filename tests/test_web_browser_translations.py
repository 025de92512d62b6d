"""In Chromium: the Thái (blt) reviewer fixes a QA finding by typing the missing glossary
term with the on-screen Tai Viet keyboard, saves with Ctrl+Enter, approves a segment with
Ctrl+Shift+Enter, copies a memory suggestion with Alt+1, and batch-approves the rest.

The Tai Viet "text" is arbitrary code points of the block (tests/review_fixtures.py), not
Thái; nothing here is a translation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import review_fixtures as rf
from test_web_translations import REVIEWER, TERM_TARGET, TM_TARGET, translated_workspace
from web_support import PASSWORD, check_page, live_server

from broadcast.model.review import ReviewState
from broadcast.store.translations import load_translation

pytestmark = pytest.mark.slow


def test_reviewer_fixes_with_the_keyboard_and_batch_approves(  # type: ignore[no-untyped-def]
    tmp_path: Path, chromium
) -> None:
    ws, script_id = translated_workspace(tmp_path / "dai")
    with live_server(ws) as server:
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.goto(server.url + "/ban-dich")
        page.get_by_label("Tên đăng nhập").fill(REVIEWER)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/ban-dich")
        check_page(page, "ban-dich")
        page.get_by_role("link", name="Dịch và duyệt").first.click()
        page.wait_for_url("**loc=cho-duyet")

        # Segment 4 lacks the approved term: a blocking badge before anything is done.
        page.get_by_role("link", name="Đoạn 4", exact=True).click()
        page.wait_for_url("**doan=4")
        qa = page.locator("#qa")
        assert "Lỗi chặn duyệt" in qa.inner_text()
        check_page(page, "ban-dich-doan")

        # Type the term before the final stop with the on-screen keyboard: the QA check
        # re-runs as the reviewer types and the badge goes.
        box = page.get_by_label("Bản dịch tiếng Thái (Thái Đen, Tai Dam)")
        box.click()
        box.press("End")
        box.press("ArrowLeft")
        page.keyboard.type(" ")
        for char in TERM_TARGET:
            page.locator(f'button[data-chen="{char}"]').click()
        assert box.input_value() == rf.TAVT_SEGMENT[:-1] + " " + TERM_TARGET + "."
        page.wait_for_function(
            "() => document.querySelector('#qa').innerText.includes('Không có lỗi kiểm tra')"
        )

        # Ctrl+Enter: save and next (segment 5 in the 'chờ duyệt' filter).
        box.press("Control+Enter")
        page.wait_for_url("**doan=5")
        assert "Đã lưu đoạn 4" in page.get_by_role("status").first.inner_text()

        # Ctrl+Shift+Enter: approve the translator's segment 5 and go on.
        page.get_by_label("Bản dịch tiếng Thái (Thái Đen, Tai Dam)").press("Control+Shift+Enter")
        page.wait_for_url("**doan=6")
        assert "Đã duyệt đoạn 5" in page.get_by_role("status").first.inner_text()

        # Alt+1 copies the memory suggestion of segment 2 into the box (not saved).
        page.get_by_role("link", name="Đoạn 2", exact=True).click()
        page.wait_for_url("**doan=2")
        page.get_by_role("button", name="Dùng gợi ý 1 (Alt+1)").wait_for()  # loaded after
        box = page.get_by_label("Bản dịch tiếng Thái (Thái Đen, Tai Dam)")
        box.press("Alt+1")
        assert box.input_value() == TM_TARGET

        # Batch approval: every clean segment, not segment 4 (the reviewer's own fix).
        page.get_by_role("button", name="Duyệt loạt 4 đoạn không có lỗi").click()
        status = page.get_by_role("status").first.inner_text()
        assert "Đã duyệt 4 đoạn" in status and "bỏ qua đoạn 4" in status
        # Segment 4 is the reviewer's own fix: approving it is refused (four-eyes), in words.
        page.get_by_label("Bản dịch tiếng Thái (Thái Đen, Tai Dam)").press("Control+Shift+Enter")
        assert "bốn mắt" in page.get_by_role("alert").inner_text()
        context.close()
    with ws.open_db() as db:
        segments = load_translation(db, script_id, "blt").segments
    assert [s.state for s in segments] == [ReviewState.APPROVED] * 3 + [ReviewState.IN_REVIEW] + [
        ReviewState.APPROVED
    ] * 2
    assert TERM_TARGET in segments[3].target
    assert segments[1].target != TM_TARGET  # the copied suggestion was never saved
