"""In Chromium: the admin mends a slot on *Cài đặt đài* (a wrong length is shown at its
field, the right one is saved) and downloads a backup on *Sao lưu*; both pages are checked
at desktop and phone sizes (no sideways scrolling, every control labelled)."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from schedule_fixtures import GRID, write_grid
from web_support import ADMIN, PASSWORD, check_page, live_server, web_workspace

from broadcast.store.workspace import find_workspace

pytestmark = pytest.mark.slow


def test_admin_edits_settings_and_downloads_a_backup(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    root = web_workspace(tmp_path / "dai", people=False).root
    write_grid(root, GRID)
    ws = find_workspace(root)
    with live_server(ws) as server:
        context = chromium.new_context(
            viewport={"width": 1366, "height": 768}, locale="vi-VN", accept_downloads=True
        )
        page = context.new_page()
        page.goto(server.url + "/cai-dat")
        page.get_by_label("Tên đăng nhập").fill(ADMIN)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/cai-dat")
        check_page(page, "cai-dat")

        # Nghe thử: the sample sentence in the chosen voice, played in place (htmx).
        page.get_by_label("Giọng đọc (giọng máy hoặc giọng ghi âm)").select_option(
            "espeak-vi-north"
        )
        page.get_by_role("button", name="Nghe thử").click()
        audio = page.locator("#cd-nghe-thu audio")
        audio.wait_for()
        assert "/tep/.cache/preview/" in (audio.get_attribute("src") or "")
        page.locator("summary", has_text="Mạng xã hội").click()
        bitrate = page.locator("#o-mix-web-bitrate")
        bitrate.fill("nhanh")

        minutes = page.locator("#o-slots-1-minutes")
        minutes.fill("2000")
        page.get_by_label("Đường dây nóng, in ở cuối video").fill("0212 3852 123")
        page.get_by_role("button", name="Lưu cài đặt").click()
        assert "Chưa lưu" in page.get_by_role("alert").first.inner_text()
        assert minutes.get_attribute("aria-invalid") == "true"
        assert "nằm ngoài khoảng 1–1440" in page.locator("#loi-slots-1-minutes").inner_text()
        assert "không đúng dạng" in page.locator("#loi-mix-web-bitrate").inner_text()
        assert bitrate.get_attribute("aria-invalid") == "true"
        check_page(page, "cai-dat-loi")
        assert "0212 3852 123" not in (root / "station.toml").read_text(encoding="utf-8")

        minutes.fill("20")
        bitrate.fill("96k")
        page.get_by_role("button", name="Lưu cài đặt").click()
        assert "Đã lưu cài đặt" in page.get_by_role("status").inner_text()
        saved = (root / "station.toml").read_text(encoding="utf-8")
        assert 'hotline = "0212 3852 123"' in saved and "minutes = 20" in saved
        assert '[mix.web]\nbitrate = "96k"' in saved and 'voice = "espeak-vi-north"' in saved

        page.goto(server.url + "/sao-luu")
        check_page(page, "sao-luu")
        with page.expect_download() as waiting:
            page.get_by_role("button", name="Tải bản sao lưu").click()
        download = waiting.value
        assert download.suggested_filename.startswith("sao-luu-")
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        with tarfile.open(target) as tar:
            assert "broadcast.db" in tar.getnames()
        context.close()
