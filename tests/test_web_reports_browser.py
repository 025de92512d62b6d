"""In Chromium: the scheduler opens *Báo cáo*, chooses quý I năm 2026, types a narrative
paragraph, makes the report and downloads its .docx, whose tables python-docx reads back
with the same figures as the page shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from test_web_reports import aired_workspace
from web_support import PASSWORD, check_page, live_server

pytestmark = pytest.mark.slow


def test_scheduler_makes_the_quarter_report_and_downloads_it(tmp_path: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    ws = aired_workspace(tmp_path / "dai")
    with live_server(ws) as server:
        context = chromium.new_context(
            viewport={"width": 1366, "height": 768}, locale="vi-VN", accept_downloads=True
        )
        page = context.new_page()
        page.goto(server.url + "/bao-cao")
        page.get_by_label("Tên đăng nhập").fill("scheduler")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/bao-cao")
        page.get_by_role("link", name="Báo cáo").first.wait_for()

        page.get_by_label("Loại kỳ").select_option("quy")
        page.get_by_label("Năm", exact=True).fill("2026")
        page.get_by_label("Quý, nửa năm (1–2) hoặc tháng (1–12)").fill("1")
        page.get_by_role("button", name="Xem báo cáo").click()
        page.wait_for_url("**loai=quy**")
        assert "quý I năm 2026" in page.get_by_role("heading", level=1).inner_text()
        check_page(page, "bao-cao")

        paragraph = "Trung tâm đã phối hợp với các bản đọc tin bằng tiếng dân tộc."
        result = page.get_by_label("I. Kết quả đạt được")
        drafted = result.input_value()
        assert "đã phát 5 lượt" in drafted  # the figures' paragraph, drafted from the log
        result.fill(drafted + "\n" + paragraph)
        page.get_by_label("IV. Phương hướng nhiệm vụ kỳ tới").fill("Thêm một khung giờ chiều.")
        page.get_by_role("button", name="Lập báo cáo (bản mới)").click()
        assert "bản 1" in page.get_by_role("status").inner_text()
        check_page(page, "bao-cao-da-lap")

        shown: dict[str, list[list[str]]] = {}
        for column in ("Tháng", "Lĩnh vực", "Ngôn ngữ", "Cụm loa"):
            table = page.locator(f'table[data-bang="{column}"]')
            rows = table.locator("tbody tr").evaluate_all(
                "rows => rows.map(r => [...r.cells].slice(0, 3).map(c => c.innerText.trim()))"
            )
            shown[column] = rows
        with page.expect_download() as info:
            page.get_by_role("link", name="Tải bản 1 (.docx)").click()
        saved = tmp_path / "bao-cao.docx"
        info.value.save_as(saved)
        if shutil.which("soffice"):  # the PDF, converted by LibreOffice (scripts/test)
            href = page.get_by_role("link", name="Tải bản 1 (PDF)").get_attribute("href")
            pdf = context.request.get(str(href), timeout=120_000)
            assert pdf.ok and pdf.body().startswith(b"%PDF")
        context.close()

    document = Document(str(saved))
    text = "\n".join(p.text for p in document.paragraphs)
    assert paragraph in text and "Thêm một khung giờ chiều." in text
    for column, rows in shown.items():
        table = next(
            t for t in document.tables if len(t.columns) == 4 and t.rows[0].cells[1].text == column
        )
        in_docx = [[c.text.strip() for c in r.cells][1:] for r in table.rows[1:]]
        assert in_docx == rows, column
    assert shown["Tháng"][-1] == ["Tổng cộng", "5", "10,5"]
