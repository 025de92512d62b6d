"""Pictures of a saved web page: local files beside the page only, with their figcaption or
the "Ảnh: ..." paragraph under them; nothing fetched, nothing read from outside its folder."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import approve_content, make_workspace, run
from PIL import Image

from broadcast.store.db import Database
from broadcast.store.records import find_script

PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="author" content="Hà Văn Thử">
<title>Xã Mường La số hóa hồ sơ</title></head>
<body><h1>Xã Mường La số hóa hồ sơ</h1>
<p>Ủy ban nhân dân xã Mường La số hóa hồ sơ thủ tục hành chính cho bà con.</p>
<p>Từ tháng 3/2026, mọi hồ sơ nộp tại bộ phận một cửa được số hóa ngay khi tiếp nhận.</p>
<figure><img src="anh/quay.png" alt="Quầy một cửa của xã">
<figcaption>Ảnh: Quầy một cửa của xã.</figcaption></figure>
<p>Bà con không phải nộp lại giấy tờ đã có trong kho dữ liệu của xã.</p>
<img src="anh/may.png"><p>Ảnh: Máy quét hồ sơ.</p>
<img src="https://example.com/xa.png" alt="ảnh trên mạng">
<img src="../bi-mat.png" alt="ngoài thư mục">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="nhúng">
<p>Cán bộ một cửa sẵn sàng hướng dẫn bà con tra cứu hồ sơ trên điện thoại.</p>
</body></html>
"""


def test_html_article_images_local_only(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    page_dir = tmp_path / "trang"
    (page_dir / "anh").mkdir(parents=True)
    Image.new("RGB", (40, 30), (10, 160, 10)).save(page_dir / "anh" / "quay.png")
    Image.new("RGB", (40, 30), (160, 160, 10)).save(page_dir / "anh" / "may.png")
    Image.new("RGB", (40, 30), (0, 0, 0)).save(tmp_path / "bi-mat.png")  # outside the page
    page = page_dir / "bai.html"
    page.write_text(PAGE, encoding="utf-8")

    made = run("-w", ws, "script", page, "--minutes", "1", "--save")
    assert made.exit_code == 0, made.stderr
    slug = made.stderr.split("'")[1]
    with Database(ws / "broadcast.db") as db:
        script_id = find_script(db, slug).id
    assert run("-w", ws, "user", "add", "tham.dinh", "--name", "Thẩm Định", "--role",
               "content_approver").exit_code == 0  # fmt: skip
    approve_content(ws / "broadcast.db", script_id, "tham.dinh")

    result = run("-w", ws, "publish", "--to", "portal", slug, "--json")  # options first
    assert result.exit_code == 0, result.stderr
    assert "portal" in json.loads(result.stdout)["channels"]
    folder = ws / "out" / slug / "publish" / "portal"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert [(i["caption"], i["alt"]) for i in manifest["images"]] == [
        ("Ảnh: Quầy một cửa của xã.", "Quầy một cửa của xã"),
        ("Ảnh: Máy quét hồ sơ.", "Máy quét hồ sơ."),
    ]
    colours = [
        Image.open(folder / i["file"]).convert("RGB").getpixel((2, 2)) for i in manifest["images"]
    ]
    assert colours == [(10, 160, 10), (160, 160, 10)]  # never the black one outside the page
    assert manifest["author"] == "Hà Văn Thử"
    html_text = (folder / "tin-bai.html").read_text("utf-8")
    assert "example.com" not in html_text and "bi-mat" not in html_text
    assert "data:" not in html_text
    assert "3/2026" in html_text


def test_pdf_article_pictures_go_to_the_end_with_their_caption(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader, PdfWriter
    from test_ingest_formats import make_pdf

    text = make_pdf(
        [
            [
                "Xã Mường La hướng dẫn nộp hồ sơ trực tuyến",
                "Ủy ban nhân dân xã Mường La hướng dẫn bà con nộp hồ sơ trực tuyến.",
                "Từ ngày 27/01/2026, bộ phận một cửa hỗ trợ bà con tại nhà văn hóa bản.",
                "Ảnh: Nhà văn hóa bản Nà Sành.",
                "Bà con mang theo căn cước công dân khi đến làm thủ tục.",
            ]
        ]
    )
    picture = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 120, 220)).save(picture, "PDF")
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text)))
    writer.append(PdfReader(io.BytesIO(picture.getvalue())))
    path = tmp_path / "bai.pdf"
    with path.open("wb") as handle:
        writer.write(handle)

    ws = make_workspace(tmp_path / "ws")
    made = run("-w", ws, "script", path, "--minutes", "1", "--save")
    assert made.exit_code == 0, made.stderr
    slug = made.stderr.split("'")[1]
    with Database(ws / "broadcast.db") as db:
        script_id = find_script(db, slug).id
    assert run("-w", ws, "user", "add", "tham.dinh", "--name", "Thẩm Định", "--role",
               "content_approver").exit_code == 0  # fmt: skip
    approve_content(ws / "broadcast.db", script_id, "tham.dinh")
    result = run("-w", ws, "publish", slug, "--to", "portal")
    assert result.exit_code == 0, result.stderr

    folder = ws / "out" / slug / "publish" / "portal"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert [i["caption"] for i in manifest["images"]] == ["Ảnh: Nhà văn hóa bản Nà Sành."]
    colour = Image.open(folder / manifest["images"][0]["file"]).convert("RGB").getpixel((5, 5))
    assert max(abs(a - b) for a, b in zip(colour, (20, 120, 220), strict=True)) <= 8
    html_text = (folder / "tin-bai.html").read_text("utf-8")
    assert html_text.index("căn cước") < html_text.index("<figure>")  # at the end
    assert "27/01/2026" in html_text
