"""In Chromium: the first admin signs in and adds the people of the Center (a producer, a
content approver, a Thái reviewer), as the commune's admin would on the first day."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_support import ADMIN, PASSWORD, check_page, live_server, web_workspace

pytestmark = pytest.mark.slow


def test_admin_signs_in_and_adds_people(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    ws = web_workspace(tmp_path / "dai", people=False)
    with live_server(ws) as server:
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.goto(server.url + "/nguoi-dung")
        assert "/dang-nhap" in page.url
        check_page(page, "dang-nhap")
        page.get_by_label("Tên đăng nhập").fill(ADMIN)
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
        assert "không đúng" in page.get_by_role("alert").inner_text()
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/nguoi-dung")
        check_page(page, "nguoi-dung")
        for login, name, role, lang in (
            ("sx.an", "Lò Văn An", "sản xuất", None),
            ("duyet.binh", "Cà Thị Bình", "duyệt nội dung", None),
            ("thai.cuong", "Lường Văn Cường", "duyệt bản dịch", "blt"),
        ):
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
        rows = page.locator("tbody tr").all_inner_texts()
        assert any("thai.cuong" in r and "duyệt bản dịch (blt)" in r for r in rows)
        context.close()
