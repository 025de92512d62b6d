"""In Chromium, as the commune's scheduler: an emergency for one zone, confirmed, then its
interrupt playlist on the page; an as-run file uploaded, then the play it lacks shown
missed under the script's title. Screenshots of both pages at both sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_web_asrun import TITLE as ASRUN_TITLE
from test_web_asrun import asrun_workspace
from test_web_emergency import TITLE as EMERGENCY_TITLE
from test_web_emergency import emergency_workspace
from web_support import PASSWORD, check_page, live_server

pytestmark = pytest.mark.slow


def sign_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill("scheduler")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_emergency_for_one_zone_shows_its_interrupt_playlist(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    ws = emergency_workspace(tmp_path / "dai")
    with live_server(ws) as server:
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        sign_in(page, server.url + "/khan-cap")
        page.wait_for_url("**/khan-cap")
        check_page(page, "khan-cap")
        page.get_by_label("Kịch bản").select_option(
            label=f"{EMERGENCY_TITLE} (tiếng Việt, {_thai()})"
        )
        page.get_by_label("Cụm loa bản Mường").check()
        page.get_by_role("button", name="Xem trước khi phát").click()
        page.get_by_role("button", name="Xác nhận: phát khẩn cấp ngay").wait_for()
        assert "Cụm loa bản Mường" in page.locator(".kc-noi").inner_text()
        check_page(page, "khan-cap-xac-nhan")
        page.get_by_role("button", name="Xác nhận: phát khẩn cấp ngay").click()
        status = page.get_by_role("status")
        assert "Đã phát khẩn cấp" in status.inner_text()
        entries = page.locator(".kc-danh-sach li").all_inner_texts()
        assert [e.rsplit(" · ", 1)[-1] for e in entries] == ["take-1-blt.mp3", "audio.mp3"]
        assert "khan-cap_" in page.locator(".kc-cum").inner_text()
        check_page(page, "khan-cap-da-phat")
        context.close()


def _thai() -> str:
    from broadcast.languages import LANGUAGES

    return LANGUAGES["blt"]


def test_asrun_upload_then_the_missed_play_is_visible(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    ws = asrun_workspace(tmp_path / "dai")
    log = tmp_path / "loa-trung-tam.csv"
    # The box logged something else at 06:00 in trung-tam; the planned script never aired.
    log.write_text(
        "Cụm loa;Thời gian bắt đầu;Tệp;Thời lượng (giây);Trạng thái\n"
        "trung-tam;2026-03-03 06:00;nhac/quoc-ca.mp3;95;đã phát\n",
        encoding="utf-8",
    )
    with live_server(ws) as server:
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        sign_in(page, server.url + "/nhat-ky-phat")
        page.wait_for_url("**/nhat-ky-phat")
        page.get_by_label("Tệp CSV hoặc JSON của hệ thống loa").set_input_files(str(log))
        page.get_by_role("button", name="Nhập nhật ký").click()
        assert "Đã nhập 1 lượt phát" in page.get_by_role("status").inner_text()
        page.get_by_label("Từ ngày").fill("2026-03-03")
        page.get_by_label("Đến ngày").fill("2026-03-03")
        page.get_by_role("button", name="Xem").click()
        missed = page.locator("tr.nk-missed")
        missed.wait_for()
        assert ASRUN_TITLE in missed.inner_text() and "không phát" in missed.inner_text()
        assert "nhac/quoc-ca.mp3" in page.locator("tr.nk-extra").inner_text()
        check_page(page, "nhat-ky-phat")
        # Marked by hand where it shows: the loudspeaker did play it after all.
        missed.get_by_role("button", name="Thực tế đã phát").click()
        assert "Đã ghi 1 mục đã phát" in page.get_by_role("status").inner_text()
        assert page.locator("tr.nk-missed").count() == 0
        context.close()
