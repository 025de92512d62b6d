"""*Bài viết* through the real application (TestClient, real SQLite, real ingestion): upload
or paste an article, read the verdict and what was removed, start a script; refusals (a
binary file, an unsupported type, text without tone marks, a file over the size limit)
shown on the page with nothing kept."""

from __future__ import annotations

import io
import re
import sqlite3

import pytest
from starlette.testclient import TestClient
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.store.workspace import Workspace
from broadcast.web.app import WebSettings, create_app

# Written for these tests in the style of a commune news page (not copied from a source):
# a caption and a byline that ingestion drops.
NEWS = """Người dân xã Ít Ong nộp hồ sơ qua mạng ngày càng nhiều

Ảnh: Cán bộ bộ phận một cửa hướng dẫn người dân nộp hồ sơ trực tuyến

Trong quý I năm 2026, bộ phận một cửa của xã Ít Ong đã tiếp nhận hơn ba trăm hồ sơ, trong \
đó gần một nửa được nộp qua Cổng dịch vụ công.

Nhiều người dân cho biết nộp hồ sơ qua điện thoại giúp tiết kiệm thời gian đi lại.

Xã sẽ tiếp tục cử cán bộ đến các bản để hướng dẫn bà con cài đặt ứng dụng.

Theo Cổng thông tin điện tử xã Ít Ong
"""
NO_TONES = """Xa It Ong trien khai dich vu cong truc tuyen

Trong quy I nam 2026, bo phan mot cua cua xa da tiep nhan hon ba tram ho so truc tuyen.

Nguoi dan co the nop ho so qua dien thoai ma khong phai den tru so uy ban.
"""


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return web_workspace(tmp_path_factory.mktemp("bv") / "dai")


@pytest.fixture()
def producer(ws: Workspace) -> tuple[TestClient, str]:
    client = signed_in_client(create_app(ws), "producer")
    return client, csrf_from(client.get("/bai-viet").text)


def _notice(html: str) -> str:
    return " ".join(re.findall(r'class="(?:loi|xong)"[^>]*>(.*?)</div>', html, re.S))


def _articles(ws: Workspace) -> list[str]:
    return sorted(p.name for p in (ws.root / "articles").iterdir())


def _scripts(ws: Workspace) -> int:
    conn = sqlite3.connect(ws.db_path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM scripts").fetchone()[0])
    finally:
        conn.close()


def test_upload_shows_verdict_and_removed_furniture(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    page = client.post(
        "/bai-viet",
        data={"csrf": token},
        files={"tep": ("Tin Ít Ong.txt", NEWS.encode("utf-8"), "text/plain")},
    )
    assert page.status_code == 200, page.text
    assert "Đã nhận bài &#39;tin-it-ong.txt&#39;" in _notice(page.text)
    assert re.search(r'id="bv-ket-qua"><strong>ĐẠT</strong>', page.text)
    assert "chú thích ảnh" in page.text and "Ảnh: Cán bộ bộ phận một cửa" in page.text
    assert "dòng tác giả, nguồn tin" in page.text
    # Kept where the CLI's users keep articles, and listed.
    assert (ws.root / "articles" / "tin-it-ong.txt").read_text("utf-8") == NEWS
    listing = client.get("/bai-viet").text
    assert "/bai-viet/tep/tin-it-ong.txt" in listing
    # The same file again is the same article; another one of that name never replaces it.
    for text in (NEWS, NEWS.replace("ba trăm", "bốn trăm")):
        again = client.post(
            "/bai-viet",
            data={"csrf": token},
            files={"tep": ("Tin Ít Ong.txt", text.encode("utf-8"), "text/plain")},
        )
        assert again.status_code == 200
    assert (ws.root / "articles" / "tin-it-ong.txt").read_text("utf-8") == NEWS
    assert "bốn trăm" in (ws.root / "articles" / "tin-it-ong-2.txt").read_text("utf-8")
    assert not (ws.root / "articles" / "tin-it-ong-3.txt").exists()


def test_docx_upload_and_pasted_text(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    client, token = producer
    document = Document()
    for paragraph in NEWS.split("\n\n"):
        document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    page = client.post(
        "/bai-viet",
        data={"csrf": token},
        files={"tep": ("tin.docx", buffer.getvalue(), docx_type)},
    )
    assert page.status_code == 200
    assert "định dạng docx" in page.text and "ĐẠT" in page.text
    paragraphs = "".join(f"<p>{p.strip()}</p>" for p in NEWS.split("\n\n")[1:])
    html = f"<html><body><h1>{NEWS.splitlines()[0]}</h1>{paragraphs}</body></html>"
    page = client.post(
        "/bai-viet",
        data={"csrf": token},
        files={"tep": ("tin.html", html.encode("utf-8"), "text/html")},
    )
    assert page.status_code == 200
    assert "định dạng html" in page.text and "ĐẠT" in page.text
    assert "chú thích ảnh" in page.text
    body = NEWS.split("\n\n", 1)[1]
    pasted = client.post(
        "/bai-viet",
        data={"csrf": token, "tieu_de": "Nộp hồ sơ qua mạng", "noi_dung": body},
        files={"tep": ("", b"", "application/octet-stream")},
    )
    assert pasted.status_code == 200
    assert "<h1>Nộp hồ sơ qua mạng</h1>" in pasted.text
    assert any(n.endswith("-nop-ho-so-qua-mang.txt") for n in _articles(ws))


def test_binary_upload_gets_the_ingest_refusal_and_is_not_kept(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    before = _articles(ws)
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    page = client.post(
        "/bai-viet", data={"csrf": token}, files={"tep": ("bai.txt", png, "text/plain")}
    )
    assert page.status_code == 400
    assert "nhị phân" in _notice(page.text) and "&#39;bai.txt&#39;" in _notice(page.text)
    assert "<h1>Bài viết</h1>" in page.text  # beside the form, not on an error page
    odd = client.post(
        "/bai-viet", data={"csrf": token}, files={"tep": ("bai.exe", b"MZ\x90\x00", "x/y")}
    )
    assert odd.status_code == 400 and "không đọc được" in _notice(odd.text)
    assert _articles(ws) == before


def test_upload_over_the_limit_is_refused_by_the_guard(ws: Workspace) -> None:
    app = create_app(ws, settings=WebSettings(upload_max_mb=1))
    client = signed_in_client(app, "producer")
    token = csrf_from(client.get("/bai-viet").text)
    before = _articles(ws)
    big = ("Người dân nộp hồ sơ trực tuyến. " * 40_000).encode("utf-8")
    page = client.post(
        "/bai-viet", data={"csrf": token}, files={"tep": ("lon.txt", big, "text/plain")}
    )
    assert page.status_code == 413 and "quá lớn" in page.text
    assert _articles(ws) == before


def test_text_without_tone_marks_cannot_start_a_script(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    page = client.post(
        "/bai-viet",
        data={"csrf": token},
        files={"tep": ("khong-dau.txt", NO_TONES.encode(), "text/plain")},
    )
    assert page.status_code == 200
    assert re.search(r'id="bv-ket-qua"><strong>KHÔNG ĐẠT</strong>', page.text)
    assert "<code>no_diacritics</code>" in page.text
    assert "Viết kịch bản" not in page.text  # no form to start one
    scripts = _scripts(ws)
    forced = client.post("/bai-viet/tep/khong-dau.txt/kich-ban", data={"csrf": token, "phut": "1"})
    assert forced.status_code == 400
    assert "Chưa viết kịch bản từ bài này được" in _notice(forced.text)
    assert _scripts(ws) == scripts


def test_start_a_script_at_a_chosen_length(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, token = producer
    (ws.root / "articles" / "dai-2-phut.txt").write_text(NEWS, encoding="utf-8")
    page = client.get("/bai-viet/tep/dai-2-phut.txt")
    assert page.status_code == 200 and '<option value="2.0"' in page.text
    made = client.post("/bai-viet/tep/dai-2-phut.txt/kich-ban", data={"csrf": token, "phut": "2"})
    assert made.status_code == 303
    script_id = int(made.headers["location"].rsplit("/", 1)[1])
    conn = sqlite3.connect(ws.db_path)
    try:
        row = conn.execute(
            "SELECT s.target_minutes, a.title FROM scripts s JOIN articles a"
            " ON a.id = s.article_id WHERE s.id = ?",
            (script_id,),
        ).fetchone()
        maker = conn.execute(
            "SELECT actor FROM review_audit WHERE script_id = ? AND action = 'draft'",
            (script_id,),
        ).fetchone()
    finally:
        conn.close()
    assert row == (2.0, "Người dân xã Ít Ong nộp hồ sơ qua mạng ngày càng nhiều")
    assert maker == ("producer",)
    assert f"/kich-ban/{script_id}" in client.get("/bai-viet").text
    wrong = client.post("/bai-viet/tep/dai-2-phut.txt/kich-ban", data={"csrf": token, "phut": "0"})
    assert wrong.status_code == 400 and "phải lớn hơn 0" in _notice(wrong.text)


def test_names_outside_the_articles_folder_are_refused(ws: Workspace, producer) -> None:  # type: ignore[no-untyped-def]
    client, _ = producer
    (ws.root / "bi-mat.txt").write_text(NEWS, encoding="utf-8")
    for name in ("..%2Fbi-mat.txt", ".hidden", "khong-co.txt"):
        page = client.get(f"/bai-viet/tep/{name}")
        assert page.status_code in (400, 404), name
        assert "Ít Ong" not in page.text
