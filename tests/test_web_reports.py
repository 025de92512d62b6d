"""*Báo cáo* (/bao-cao): the figures on the page are the .docx's, every save is a new version
(both downloadable), a viewer reads but changes nothing, and a bad period is one sentence."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from docx import Document
from helpers import run
from schedule_fixtures import GRID, add_script, open_db, write_grid
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.script.model import Topic
from broadcast.store import schedule as schedule_store
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app

PLAYS = (  # (zone, start, slug, seconds): what the loudspeakers aired in quý I năm 2026
    ("ban-muong", "2026-01-05T06:00", "dvc", 150),
    ("trung-tam", "2026-01-05T06:00", "dvc", 150),
    ("ban-mong", "2026-01-12T06:00", "mot-cua", 120),
    ("trung-tam", "2026-03-02T06:00", "mot-cua", 120),
    ("ban-muong", "2026-03-09T06:00", "dvc", 90),
)


def aired_workspace(root: Path) -> Workspace:
    """A web workspace (one person per role) whose as-run log holds PLAYS."""
    write_grid(web_workspace(root).root, GRID)
    ws = find_workspace(root)  # the settings are read when the workspace is opened
    with open_db(ws.root) as db:
        renders = {}
        for slug, topic in (("dvc", Topic.DIGITAL_GOVERNMENT), ("mot-cua", Topic.PROCEDURES)):
            script_id = add_script(db, slug, topic=topic, vi_seconds=150)
            renders[slug] = schedule_store.latest_audio_renders(db, script_id)["vi"].render_id
    plays = [
        {"zone": z, "start": s, "render": renders[slug], "duration": d, "status": "played"}
        for z, s, slug, d in PLAYS
    ]
    export = ws.root / "asrun.json"
    export.write_text(json.dumps(plays), encoding="utf-8")
    result = run("-w", ws.root, "asrun", "import", export)
    assert result.exit_code == 0, result.stderr
    return ws


class Tables(HTMLParser):
    """Rows of every <table> on a page, cell texts stripped."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None


def page_tally(html: str, column: str) -> dict[str, tuple[str, str]]:
    """name -> (plays, minutes) of the page's table whose first column is ``column``."""
    parser = Tables()
    parser.feed(html)
    for table in parser.tables:
        if table and table[0][0] == column:
            return {r[0]: (r[1], r[2]) for r in table[1:]}
    raise AssertionError(f"no table {column!r} on the page")


def docx_tally(data: bytes, column: str) -> dict[str, tuple[str, str]]:
    """The same from the .docx (STT | name | plays | minutes)."""
    document = Document(io.BytesIO(data))
    for table in document.tables:
        rows = [[c.text.strip() for c in r.cells] for r in table.rows]
        if len(rows[0]) == 4 and rows[0][1] == column:
            return {r[1]: (r[2], r[3]) for r in rows[1:]}
    raise AssertionError(f"no table {column!r} in the .docx")


def test_scheduler_makes_versions_and_the_docx_has_the_page_figures(tmp_path: Path) -> None:
    ws = aired_workspace(tmp_path / "dai")
    client = signed_in_client(create_app(ws), "scheduler")
    page = client.get("/bao-cao?ky=2026-Q1")
    assert page.status_code == 200
    html = page.text
    assert "quý I năm 2026" in html and "đã phát 5 lượt" in html
    assert "Số liệu tạm tính" not in html  # the quarter has ended
    months = page_tally(html, "Tháng")
    assert months["Tháng 1/2026"][0] == "3" and months["Tháng 2/2026"][0] == "0"
    assert months["Tổng cộng"] == ("5", "10,5")
    assert page_tally(html, "Cụm loa")["Cụm loa bản Mông"] == ("1", "2,0")
    assert "Chưa có bản báo cáo" not in html and "Chưa lập báo cáo nào" in html
    token = csrf_from(html)

    sections = {"ket_qua": "Đoạn kết quả do trưởng trung tâm viết.", "nguyen_nhan": "Thiếu loa."}
    made = client.post("/bao-cao", data={"csrf": token, "ky": "2026-Q1", **sections})
    assert made.status_code == 200 and "Đã lập báo cáo, bản 1" in made.text
    assert "Đoạn kết quả do trưởng trung tâm viết." in made.text  # the form now shows bản 1
    again = client.post(
        "/bao-cao", data={"csrf": token, "ky": "2026-Q1", "ket_qua": "Bản sửa lần hai."}
    )
    assert "Đã lập báo cáo, bản 2" in again.text
    links = re.findall(r'href="[^"]*(/bao-cao/ban/\d+/docx)"', again.text)
    assert len(links) == 2  # both versions listed
    newest, first = (client.get(link) for link in links)
    assert newest.status_code == first.status_code == 200
    assert "wordprocessingml" in first.headers["content-type"]
    text_first = "\n".join(p.text for p in Document(io.BytesIO(first.content)).paragraphs)
    text_newest = "\n".join(p.text for p in Document(io.BytesIO(newest.content)).paragraphs)
    assert "Đoạn kết quả do trưởng trung tâm viết." in text_first and "Thiếu loa." in text_first
    assert "Bản sửa lần hai." in text_newest and "Thiếu loa." not in text_newest
    for column, docx_column in (
        ("Tháng", "Tháng"),
        ("Lĩnh vực", "Lĩnh vực"),
        ("Ngôn ngữ", "Ngôn ngữ"),
        ("Cụm loa", "Cụm loa"),
    ):
        assert page_tally(html, column) == docx_tally(first.content, docx_column), column


def test_viewer_reads_but_changes_nothing(tmp_path: Path) -> None:
    ws = web_workspace(tmp_path / "dai")
    client = signed_in_client(create_app(ws), "viewer")
    page = client.get("/bao-cao?loai=thang&nam=2026&so=3")
    assert page.status_code == 200 and "tháng 3 năm 2026" in page.text
    assert "<textarea" not in page.text  # no narrative form for a viewer
    refused = client.post(
        "/bao-cao", data={"csrf": csrf_from(page.text), "ky": "2026-03", "ket_qua": "x"}
    )
    assert refused.status_code == 403
    with open_db(ws.root) as db:
        assert db.conn.execute("SELECT COUNT(*) FROM report_versions").fetchone()[0] == 0
    assert client.get("/bao-cao/ban/1/docx").status_code == 404


def test_bad_period_is_one_sentence(tmp_path: Path) -> None:
    ws = web_workspace(tmp_path / "dai")
    client = signed_in_client(create_app(ws), "content.approver")
    bad = client.get("/bao-cao?ky=2026-Q7")
    assert bad.status_code == 400 and "Kỳ báo cáo &#39;2026-Q7&#39; không hợp lệ" in bad.text
    kind = client.get("/bao-cao?loai=tuan&nam=2026&so=1")
    assert kind.status_code == 400 and "Loại kỳ báo cáo" in kind.text
    token = csrf_from(bad.text)
    long = client.post("/bao-cao", data={"csrf": token, "ky": "2026-Q1", "ton_tai": "x" * 20001})
    assert long.status_code == 400 and "dài quá" in long.text
    made = client.post("/bao-cao", data={"csrf": token, "ky": "2026-Q4"})
    assert made.status_code == 200 and "Số liệu tạm tính" in made.text  # the year goes on
