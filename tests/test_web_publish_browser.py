"""In Chromium, with the server's job worker running: a producer opens an approved script's
*Xuất bản* page from *Thành phẩm*, publishes its portal item, waits for the job, sees the
files it wrote and downloads one; then records where it was posted. An unapproved script's
page shows the button disabled with the gate's reason. Screenshots at both sizes, no
sideways scrolling, every control labelled (``check_page``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_support import SLUG, TITLE, store_script
from schedule_fixtures import add_script, open_db
from web_support import PASSWORD, check_page, live_server, web_workspace

from broadcast.jobs.workers import WorkerPool

pytestmark = pytest.mark.slow
DRAFT = "2026-12-02-ban-nhap"


def test_producer_publishes_a_portal_item_and_downloads_it(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    ws = web_workspace(tmp_path / "dai")
    store_script(ws.root)  # script #1, approved
    with open_db(ws.root) as db:
        draft_id = add_script(db, DRAFT, approve=False)
    with live_server(ws) as server, WorkerPool(ws, workers=1):
        context = chromium.new_context(
            viewport={"width": 1366, "height": 768}, locale="vi-VN", accept_downloads=True
        )
        page = context.new_page()
        page.goto(server.url + "/thanh-pham")
        page.get_by_label("Tên đăng nhập").fill("producer")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/thanh-pham")
        page.get_by_label("Chọn bài để xuất bản").select_option(label=f"#1 {TITLE}")
        page.get_by_role("button", name="Mở trang xuất bản").click()
        page.wait_for_url("**/xuat-ban/1")
        check_page(page, "xuat-ban")

        page.get_by_label("Trang thông tin điện tử").check()
        page.get_by_role("button", name="Xuất bản", exact=True).click()
        page.wait_for_selector('.xb-viec[data-state="done"]', timeout=60_000)
        links = page.locator(".xb-tep-moi a")
        names = links.all_inner_texts()
        assert "manifest.json" in names and any(n.endswith(".html") for n in names), names
        with page.expect_download() as waiting:
            page.locator(".xb-tep-moi a", has_text="manifest.json").click()
        download = waiting.value
        saved = tmp_path / "tai-ve.json"
        download.save_as(saved)
        folder = ws.out_dir / SLUG / "publish" / "portal"
        assert saved.read_bytes() == (folder / "manifest.json").read_bytes()
        page.wait_for_selector(f'#xb-tep-ds a[href*="/tep/out/{SLUG}/publish/portal/"]')
        check_page(page, "xuat-ban-xong")

        page.get_by_label("Địa chỉ bài đăng (URL) hoặc nơi phát").fill(
            "https://xa.example.gov.vn/tin/lich-tiep-cong-dan"
        )
        page.get_by_label("Thời điểm đăng (giờ Việt Nam)").fill("2026-12-03T09:30")
        page.get_by_role("button", name="Ghi nhận").click()
        assert "Đã ghi" in page.get_by_role("status").first.inner_text()
        row = page.locator("#xb-da-dang tbody tr").first.inner_text()
        assert "03/12/2026 09:30" in row and "Trang thông tin điện tử" in row
        check_page(page, "xuat-ban-ghi-nhan")

        page.goto(f"{server.url}/xuat-ban/{draft_id}")
        button = page.get_by_role("button", name="Xuất bản", exact=True)
        assert button.is_disabled()
        assert "chưa được duyệt nội dung" in page.locator("#xb-ly-do").inner_text()
        check_page(page, "xuat-ban-chua-duyet")
        context.close()
