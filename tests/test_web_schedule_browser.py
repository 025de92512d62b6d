"""In Chromium: the scheduler adds two items for two zones in different languages, plans the
week, sees the fill bars and the overbooked slot's finding, opens that day, removes an item;
the week and the day pass check_page (no sideways scrolling at 390 px: the grid becomes a
list of days on a phone)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from schedule_fixtures import add_render, add_script, open_db, translate
from test_web_schedule import schedule_workspace, this_monday
from web_support import PASSWORD, check_page, live_server

from broadcast.schedule import campaign
from broadcast.schedule.items import list_items
from broadcast.schedule.model import Priority

pytestmark = pytest.mark.slow


def test_scheduler_builds_the_week(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    monday = this_monday()
    ws = schedule_workspace(tmp_path / "dai")
    with open_db(ws.root) as db:
        thai = add_script(db, "lua-nuong", vi_seconds=90.0, title="Phòng cháy lúa nương")
        translate(db, thai, "blt", approve=True)  # synthetic text, see schedule_fixtures
        add_render(db, thai, "blt", 100.0)
    # Already on air everywhere: a long bulletin that leaves room for little else.
    campaign.add_item(
        ws,
        "dai-lam-2",
        starts=dt.datetime.combine(monday, dt.time()),
        last_day=monday + dt.timedelta(days=6),
        priority=Priority.PRIORITY,
        min_plays=7,
        zones=("all",),
        languages=None,
        topic=None,
    )
    with live_server(ws) as server:
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(server.url + "/lich-phat")
        page.get_by_label("Tên đăng nhập").fill("scheduler")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/lich-phat")

        adding = page.locator("form", has=page.get_by_role("button", name="Thêm mục phát"))
        for script, zone, language, minimum in (
            ("dai-lam", "Cụm loa trung tâm xã", "vi", "7"),
            ("lua-nuong", "Cụm loa bản Mường", "blt", "3"),
        ):
            adding.get_by_label("Kịch bản (tên hoặc số)").fill(script)
            adding.get_by_label("Từ ngày").fill(monday.isoformat())
            adding.get_by_label("Đến ngày").fill((monday + dt.timedelta(days=6)).isoformat())
            adding.get_by_label("Số lần phát tối thiểu mỗi tuần").fill(minimum)
            adding.get_by_label("Ngôn ngữ (để trống: mọi bản thu đã duyệt)").fill(language)
            adding.get_by_label(zone, exact=True).check()
            adding.get_by_role("button", name="Thêm mục phát").click()
            assert "Đã thêm mục #" in page.get_by_role("status").inner_text()

        page.get_by_role("button", name="Lập lại lịch tuần này").click()
        assert "Đã lập lịch" in page.get_by_role("status").inner_text()
        bars = page.locator(".lp-fill")
        assert bars.count() > 10
        # ident + the 700 s bulletin + ident: the slot is full, the other long one left out.
        assert page.locator('.lp-fill[aria-label="Đã xếp 12.0 trên 15.0 phút"]').count() > 0
        assert page.locator('.lp-fill[aria-label="Đã xếp 0.3 trên 10.0 phút"]').count() > 0
        muong = page.locator('table[data-zone="ban-muong"]')
        assert "Phòng cháy lúa nương [blt]" in muong.inner_text()
        findings = page.locator(".lp-ghi-chu")
        assert "quá tải" in findings.inner_text()
        assert page.locator("td.lp-qua-tai").count() > 0
        assert page.locator("tr.lp-tiep-song").count() > 0  # the Sunday relay of trung-tam
        check_page(page, "lich-phat-tuan")

        findings.get_by_role("link").first.click()
        page.wait_for_url("**xem=ngay**")
        assert page.locator("table.lp-bang").count() == 1  # one zone, one day
        check_page(page, "lich-phat-ngay")

        page.goto(server.url + "/lich-phat")
        dai = next(i for i in list_items(ws) if i.slug == "dai-lam")
        page.get_by_role("button", name=f"Gỡ mục #{dai.id}").click()
        assert f"Đã gỡ mục #{dai.id}" in page.get_by_role("status").inner_text()
        assert dai.id not in {i.id for i in list_items(ws)}
        context.close()
