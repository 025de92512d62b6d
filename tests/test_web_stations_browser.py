"""In Chromium, on PostgreSQL: the province reviewer signs in on the server started in
station A's folder, finds *Trạm đang làm việc* in the page header, switches to station B and
sees B's translation in the list instead of A's, then switches back; the header is checked
at desktop and phone sizes (no sideways scrolling, every control labelled). Person ``a`` of A
gets no switcher."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_web_stations import SWITCHER, TITLE_A, TITLE_B, province
from web_support import browser_sign_in, check_page, live_server

from broadcast.store.workspace import DATABASE_URL_VAR

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_the_province_reviewer_switches_station_in_the_header(  # type: ignore[no-untyped-def]
    tmp_path: Path, pg_store_url: str, monkeypatch: pytest.MonkeyPatch, chromium
) -> None:
    monkeypatch.setenv(DATABASE_URL_VAR, pg_store_url)
    two = province(tmp_path / "tinh")
    with live_server(two.a) as server:
        context, page = browser_sign_in(chromium, server.url + "/ban-dich", "tinh.duyet")
        try:
            page.wait_for_url("**/ban-dich")
            table = page.locator("main")
            assert TITLE_A in table.inner_text() and TITLE_B not in table.inner_text()
            switcher = page.get_by_label(SWITCHER)
            assert switcher.input_value() == "xa-a"
            check_page(page, "tram-dang-lam")

            switcher.select_option("xa-b")
            page.get_by_role("button", name="Chuyển trạm").click()
            page.wait_for_url("**/bang-viec")
            assert page.get_by_label(SWITCHER).input_value() == "xa-b"
            assert "Đài truyền thanh xã B" in page.locator("header").inner_text()
            page.get_by_role("link", name="Bản dịch").click()
            page.wait_for_url("**/ban-dich")
            shown = page.locator("main").inner_text()
            assert TITLE_B in shown and TITLE_A not in shown

            page.get_by_label(SWITCHER).select_option("xa-a")
            page.get_by_role("button", name="Chuyển trạm").click()
            page.wait_for_url("**/bang-viec")
            page.goto(server.url + "/ban-dich")
            shown = page.locator("main").inner_text()
            assert TITLE_A in shown and TITLE_B not in shown
        finally:
            context.close()

        context, page = browser_sign_in(chromium, server.url + "/bang-viec", "a")
        try:
            page.wait_for_url("**/bang-viec")
            assert page.get_by_label(SWITCHER).count() == 0
        finally:
            context.close()
