"""In Chromium: a producer uploads an article, reads the verdict, starts a one-minute
script, edits a sentence, listens to it in the station's voice and sends the script for
vetting — with screenshots, no sideways scrolling and labelled controls on both pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_web_scripts import ARTICLE
from web_support import PASSWORD, check_page, live_server, web_workspace

pytestmark = pytest.mark.slow


def test_producer_uploads_edits_and_submits(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    ws = web_workspace(tmp_path / "dai")
    article = tmp_path / "dich-vu-cong.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with live_server(ws) as server:
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.goto(server.url + "/bai-viet")
        page.get_by_label("Tên đăng nhập").fill("producer")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/bai-viet")
        check_page(page, "bai-viet")

        page.get_by_label("Tệp bài viết (.docx, .pdf, .txt, .html)").set_input_files(article)
        page.get_by_role("button", name="Gửi bài").click()
        page.wait_for_selector("#bv-ket-qua")
        assert page.locator("#bv-ket-qua").inner_text().startswith("ĐẠT")
        check_page(page, "bai-viet-ket-qua")

        page.get_by_label("Độ dài cả bản tin (tiếng Việt)").select_option("1.0")
        page.get_by_role("button", name="Viết kịch bản").click()
        page.wait_for_url("**/kich-ban/*")
        page.locator("#kb-cau-khac button").first.wait_for()  # the article's other sentences
        mark = page.locator(".kb-viet mark").first
        assert mark.get_attribute("title")  # the reason, as a tooltip
        check_page(page, "kich-ban")

        edited = "Ngày 14/3/2026, UBND xã Mường La họp bàn về dịch vụ công trực tuyến."
        page.get_by_label("Câu viết 3", exact=True).fill(edited)
        page.get_by_role("button", name="Lưu câu 3").click()
        assert "Đã lưu câu 3." in page.get_by_role("status").inner_text()
        assert "/cau/" not in page.url  # saved in place (htmx): a reload does not post again
        spoken = page.get_by_label("Cách đọc 3", exact=True).input_value()
        assert "Ủy ban nhân dân" in spoken and "mười bốn tháng ba" in spoken

        page.get_by_role("button", name="Nghe câu 3").click()
        player = page.locator("#nghe-3 audio")
        player.wait_for()
        page.wait_for_function(
            "() => { const a = document.querySelector('#nghe-3 audio');"
            " return a && a.readyState >= 1 && a.duration > 1; }"
        )

        page.get_by_role("button", name="Gửi duyệt nội dung").click()
        assert "chờ duyệt nội dung" in page.get_by_role("status").inner_text()
        assert page.locator("#kb-trang-thai").inner_text() == "chờ duyệt nội dung"
        context.close()
