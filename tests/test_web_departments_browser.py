"""In Chromium: a producer records a department's article on the *Đơn vị* page; the page
fits a 390 px phone without sideways scrolling and every control is labelled."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_departments import ARTICLE, DEPARTMENTS, declare_departments
from web_support import PASSWORD, check_page, live_server, web_workspace

from broadcast.store.workspace import find_workspace

pytestmark = pytest.mark.slow


def test_producer_records_a_department_article(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    root = web_workspace(tmp_path / "dai").root
    declare_departments(root, DEPARTMENTS)
    article = tmp_path / "bai-van-hoa.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with live_server(find_workspace(root)) as server:
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.goto(server.url + "/don-vi?thang=2026-03")
        page.get_by_label("Tên đăng nhập").fill("producer")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/don-vi*")
        page.get_by_label("Đơn vị").select_option("van-hoa")
        page.get_by_label("Bài của tháng").fill("2026-03")
        page.get_by_label("Tệp bài viết (.docx, .pdf, .html, .txt)").set_input_files(article)
        page.get_by_role("button", name="Ghi nhận").click()
        assert "Văn hóa – Xã hội" in page.get_by_role("status").inner_text()
        rows = page.locator("tbody tr").all_inner_texts()
        assert any("Văn hóa – Xã hội" in r and "1/2" in r for r in rows)
        check_page(page, "don-vi")
        context.close()
