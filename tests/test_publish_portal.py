"""The portal news item of an approved script: from a .docx article with two pictures built
here (python-docx + PIL), through the real ingest, script, approval and `broadcast publish`."""

from __future__ import annotations

import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import approve_content, make_workspace, run
from PIL import Image

from broadcast.store.db import Database
from broadcast.store.records import find_script

LEAD = "Ủy ban nhân dân xã Mường La đẩy mạnh tiếp nhận hồ sơ trực tuyến để bà con đỡ đi lại."
DATED = "Từ ngày 27/01/2026, xã tiếp nhận 15 thủ tục hành chính qua dịch vụ công trực tuyến."
MIDDLE = "Cán bộ bộ phận một cửa hướng dẫn bà con kê khai hồ sơ trên điện thoại."
LAST = "Bà con cần hỗ trợ xin liên hệ bộ phận một cửa của xã trong giờ hành chính."
CAPTIONS = ("Ảnh: Cán bộ một cửa hướng dẫn bà con nộp hồ sơ.", "Ảnh: Quầy tiếp nhận hồ sơ của xã.")
ALLOWED_IN_ARTICLE = {"article", "h1", "p", "figure", "img", "figcaption"}


def _png(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (64, 48), colour).save(path, "PNG")
    return path


def docx_article(folder: Path) -> Path:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.core_properties.author = "Lò Thị Thử"
    document.add_paragraph("Xã Mường La nhận hồ sơ trực tuyến", style="Title")
    document.add_paragraph(LEAD)
    document.add_paragraph(DATED)
    document.add_picture(str(_png(folder / "a.png", (200, 30, 30))), width=Cm(4))
    document.add_paragraph(CAPTIONS[0])
    document.add_paragraph(MIDDLE)
    document.add_picture(str(_png(folder / "b.png", (30, 30, 200))), width=Cm(4))
    document.add_paragraph(CAPTIONS[1])
    document.add_paragraph(LAST)
    path = folder / "bai-viet.docx"
    document.save(str(path))
    return path


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.in_article: list[str] = []
        self.attrs: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.images: list[str] = []
        self.captions: list[str] = []
        self._caption = False
        self.unbalanced = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if "article" in self.stack:
            self.in_article.append(tag)
        self.attrs.append(dict(attrs))
        if tag == "img":
            self.images.append(dict(attrs)["src"] or "")
            return  # void element
        if tag == "meta":
            return
        if tag == "figcaption":
            self._caption = True
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.unbalanced = True
        if tag == "figcaption":
            self._caption = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._caption:
            self.captions.append(data)


@pytest.fixture
def approved_docx(tmp_path: Path) -> tuple[Path, str, int]:
    ws = make_workspace(tmp_path / "ws")
    article = docx_article(tmp_path)
    made = run("-w", ws, "script", article, "--minutes", "1", "--save")
    assert made.exit_code == 0, made.stderr
    slug = made.stderr.split("'")[1]
    with Database(ws / "broadcast.db") as db:
        script_id = find_script(db, slug).id
    added = run("-w", ws, "user", "add", "tham.dinh", "--name", "Thẩm Định", "--role",
                "content_approver")  # fmt: skip
    assert added.exit_code == 0, added.output
    return ws, slug, script_id


def test_unapproved_script_is_refused_with_the_gate_sentence(approved_docx) -> None:
    ws, slug, _ = approved_docx
    result = run("-w", ws, "publish", slug, "--to", "portal", "--json")
    assert result.exit_code == 2
    assert "chưa được duyệt nội dung" in result.stderr
    assert not (ws / "out" / slug / "publish").exists()


def test_unknown_channel_is_refused(approved_docx) -> None:
    ws, slug, script_id = approved_docx
    approve_content(ws / "broadcast.db", script_id, "tham.dinh")
    result = run("-w", ws, "publish", slug, "--to", "portal,myspace")
    assert result.exit_code == 2
    assert "myspace" in result.stderr and "portal" in result.stderr


def test_portal_item_from_docx_with_two_images(approved_docx) -> None:
    ws, slug, script_id = approved_docx
    approve_content(ws / "broadcast.db", script_id, "tham.dinh")
    result = run("-w", ws, "publish", slug, "--to", "portal", "--json")
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    folder = ws / "out" / slug / "publish" / "portal"
    on_disk = sorted(p.name for p in folder.iterdir())
    assert sorted(Path(p).name for p in printed["channels"]["portal"]) == on_disk
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no staging left

    # Both pictures, byte-identical to the PNGs placed in the .docx, with their captions.
    images = sorted(folder.glob("anh-*.png"))
    assert len(images) == 2
    colours = {Image.open(p).convert("RGB").getpixel((5, 5)) for p in images}
    assert colours == {(200, 30, 30), (30, 30, 200)}

    html_text = (folder / "tin-bai.html").read_text("utf-8")
    tags = _Tags()
    tags.feed(html_text)
    tags.close()
    assert not tags.unbalanced
    assert set(tags.in_article) <= ALLOWED_IN_ARTICLE
    assert not any("style" in a for a in tags.attrs)
    assert sorted(tags.images) == [p.name for p in images]
    assert [c.strip() for c in tags.captions] == list(CAPTIONS)
    body = " ".join(tags.text)
    assert LEAD in body and DATED in body and MIDDLE in body and LAST in body
    assert body.count(CAPTIONS[0]) == 1  # the caption is under its picture, not a paragraph
    assert "Lò Thị Thử" in body and "Mường La" in body
    # The figures stand where they stood: first after the dated paragraph, second after MIDDLE.
    assert html_text.index(DATED) < html_text.index("anh-01") < html_text.index(MIDDLE)
    assert html_text.index(MIDDLE) < html_text.index("anh-02") < html_text.index(LAST)

    # No spoken form reaches the reader: the date is written, never read out.
    with Database(ws / "broadcast.db") as db:
        spoken = [
            str(r[0])
            for r in db.conn.execute(
                "SELECT spoken FROM sentences WHERE script_id = ? AND spoken != written",
                (script_id,),
            )
        ]
    assert any("27/01/2026" not in s and "hai mươi bảy" in s for s in spoken), spoken
    for text in (
        html_text,
        (folder / "tin-bai.md").read_text("utf-8"),
        (folder / "tin-bai.txt").read_text("utf-8"),
    ):
        assert "27/01/2026" in text
        assert "hai mươi bảy" not in text
        assert not any(s in text for s in spoken)

    markdown = (folder / "tin-bai.md").read_text("utf-8")
    assert markdown.startswith("# ") and f"**{LEAD}**" in markdown
    assert all(f"*{c}*" in markdown for c in CAPTIONS)

    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == set(on_disk) - {"manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert manifest["sapo"] == LEAD
    assert [i["caption"] for i in manifest["images"]] == list(CAPTIONS)
    assert manifest["category"].startswith("Cải cách hành chính")
    assert manifest["author"] == "Lò Thị Thử"

    # Publishing again replaces the item as a whole (same files, nothing left aside).
    again = run("-w", ws, "publish", slug, "--to", "portal")
    assert again.exit_code == 0, again.stderr
    assert sorted(p.name for p in folder.iterdir()) == on_disk
    assert [p.name for p in folder.parent.iterdir()] == ["portal"]

    # The original changed since its text was read and approved: its pictures are not taken.
    docx_article(ws.parent)  # same place, rebuilt: different bytes (new zip timestamps/ids)
    changed = ws.parent / "bai-viet.docx"
    changed.write_bytes(changed.read_bytes() + b"\0")
    third = run("-w", ws, "publish", slug, "--to", "portal")
    assert third.exit_code == 0, third.stderr
    assert json.loads((folder / "manifest.json").read_text("utf-8"))["images"] == []
    assert not list(folder.glob("anh-*"))


@pytest.mark.slow
def test_portal_item_carries_the_render_thumbnail(tmp_path: Path) -> None:
    from render_support import store_script

    root = make_workspace(tmp_path / "ws")
    slug = store_script(root)  # approved; its article file is gone (.md): no images
    video = run("-w", root, "video", slug, "--format", "vertical", "--json")
    assert video.exit_code == 0, video.stderr
    with Database(root / "broadcast.db") as db:
        (thumb,) = db.conn.execute(
            "SELECT path FROM renders WHERE kind = 'thumbnail' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    result = run("-w", root, "publish", slug, "--to", "portal")
    assert result.exit_code == 0, result.stderr
    folder = root / "out" / slug / "publish" / "portal"
    copied = folder / "anh-dai-dien.png"
    assert copied.read_bytes() == (root / thumb).read_bytes()
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["thumbnail"] == "anh-dai-dien.png" and manifest["images"] == []
    assert "anh-dai-dien.png" in {f["path"] for f in manifest["files"]}


def test_long_lead_gives_a_sapo_of_written_script_sentences(tmp_path: Path) -> None:
    """An article whose first paragraph is too long for a sapo: the sapo is the first body
    sentences of the script in their WRITTEN form (the spoken one is for the voice only)."""
    import datetime as dt

    from review_fixtures import workspace

    from broadcast.publish.portal import SAPO_MAX_CHARS, make_portal_item
    from broadcast.script.model import Role, Script, ScriptSentence
    from broadcast.script.save import store_script
    from broadcast.text.model import Article

    ws = workspace(tmp_path / "ws")
    written = "Từ ngày 27/01/2026, xã tiếp nhận hồ sơ trực tuyến."
    spoken = "Từ ngày hai mươi bảy tháng một năm hai nghìn không trăm hai mươi sáu, xã tiếp nhận."
    long_lead = " ".join([written] + [MIDDLE] * 8)
    assert len(long_lead) > SAPO_MAX_CHARS
    article = Article(source=Path("dai.txt"), title="Hồ sơ trực tuyến", body=long_lead,
                      format="txt", sha256="2" * 64)  # fmt: skip
    script = Script(
        title="Hồ sơ trực tuyến",
        language="vi",
        sentences=(
            ScriptSentence(
                Role.OPENING,
                "Đây là Đài truyền thanh xã Mường La.",
                "Đây là Đài truyền thanh xã Mường La.",
            ),  # fmt: skip
            ScriptSentence(Role.BODY, written, spoken),
            ScriptSentence(Role.BODY, MIDDLE, MIDDLE),
        ),
        target_minutes=1.0,
        estimated_seconds=20.0,
    )
    saved = store_script(ws, article, script, by="producer", now=dt.datetime(2026, 12, 2, 8))
    approve_content(ws.db_path, saved.id)
    with Database(ws.db_path) as db:
        stored = find_script(db, saved.slug)
    item = make_portal_item(ws, stored, now=dt.datetime(2026, 12, 3, 9))
    assert item.sapo == f"{written} {MIDDLE}"
    assert item.paragraphs == [long_lead]  # the body keeps the whole article
    assert item.date == dt.date(2026, 12, 3)
    for path in item.files:
        if path.suffix in (".html", ".md", ".txt", ".json"):
            assert "hai mươi bảy" not in path.read_text("utf-8")
