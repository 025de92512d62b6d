"""A news item (tin bài) for the commune's web portal from an approved script's article.

The portal carries the article as written, not the radio script: the body is the stored
article text (its written form; the spoken form a voice reads, with numbers and dates spelled
out, must never reach a reader), the images of the original .docx/.html with their captions,
and the conventions of Vietnamese government portals (title, a short sapo, the body, the
author and source, the CCHC category, the date). CMS editors paste what we give them, so the
HTML has no inline styles and only h1/p/figure/img/figcaption inside the article; a
Markdown and a plain-text version serve portals that take pasted text. A manifest lists
every file with its sha256 so the person posting can check what they upload.

Everything is built in a staging folder beside the target and moved into place at once:
``out/<script>/publish/portal/`` is either the previous item or the new one, never half.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from broadcast.errors import BroadcastError
from broadcast.model.time import station_now
from broadcast.safeparse import check_zip
from broadcast.script.model import TOPIC_LABELS, Topic
from broadcast.store.files import temp_prefix
from broadcast.store.publications import (
    ArticleSource,
    article_source,
    latest_render_path,
    written_sentences,
)
from broadcast.store.records import StoredScript
from broadcast.store.workspace import Workspace

PORTAL_FOLDER = Path("publish") / "portal"
HTML_NAME = "tin-bai.html"
MARKDOWN_NAME = "tin-bai.md"
TEXT_NAME = "tin-bai.txt"
MANIFEST_NAME = "manifest.json"
THUMBNAIL_NAME = "anh-dai-dien.png"
# Vietnamese government portals: a sapo of one to three sentences (about 30-60 words) under
# a title that fits one line of a listing; longer ones are flagged in the manifest, not cut.
SAPO_MAX_CHARS = 400
TITLE_WARN_CHARS = 120
_CAPTION = re.compile(r"^\s*(ảnh|hình|hình ảnh|nguồn ảnh)\s*[:.\-–(]", re.IGNORECASE)
_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_ARTICLE_BYTES = 50 * 1024 * 1024  # as ingest's limit for .docx/.pdf/.html containers


@dataclass(frozen=True)
class FoundImage:
    """An image of the article, the caption under it and the paragraph it followed."""

    data: bytes
    caption: str
    alt: str
    after: str  # normalised text of the paragraph before it ('' = at the top)


@dataclass(frozen=True)
class PortalImage:
    file: str
    caption: str
    alt: str
    after: str


@dataclass
class PortalItem:
    folder: Path
    title: str
    sapo: str
    paragraphs: list[str]
    category: str
    date: dt.date
    author: str
    source: str
    images: list[PortalImage] = field(default_factory=list)
    thumbnail: str = ""
    files: list[Path] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _is_caption(text: str, style: str = "") -> bool:
    return bool(_CAPTION.match(text)) or "caption" in style.lower()


def _caption_words(caption: str) -> str:
    """'Ảnh: Quầy một cửa.' -> 'Quầy một cửa.': the alt text of a picture without alt."""
    match = _CAPTION.match(caption)
    return caption[match.end() :].strip() if match else caption


# --- images of the original file ------------------------------------------------------------


def _docx_images(path: Path) -> tuple[list[FoundImage], str]:
    """Inline pictures of a .docx in reading order, each with the caption paragraph that
    follows it (a "Ảnh: ..." line or the Caption style) and its alt text; and the author."""
    import docx  # python-docx is slow to import; only .docx articles pay for it

    try:
        document = docx.Document(str(path))
    except Exception:  # a damaged file was refused at ingest; here: no images, no author
        return [], ""
    author = _norm(document.core_properties.author or "")
    paragraphs = list(document.paragraphs)
    found: list[FoundImage] = []
    before = ""
    for index, paragraph in enumerate(paragraphs):
        rids = paragraph._p.xpath(".//a:blip/@r:embed")
        text = _norm(paragraph.text)
        if not rids:
            if text and not _is_caption(text, paragraph.style.name if paragraph.style else ""):
                before = text
            continue
        caption = ""
        if index + 1 < len(paragraphs):
            following = paragraphs[index + 1]
            style = following.style.name if following.style else ""
            if _is_caption(_norm(following.text), style):
                caption = _norm(following.text)
        descriptions = paragraph._p.xpath(".//wp:docPr/@descr")
        for number, rid in enumerate(rids):
            part = document.part.related_parts.get(rid)
            blob = getattr(part, "blob", None)
            if not isinstance(blob, bytes):
                continue
            alt = _norm(descriptions[number]) if number < len(descriptions) else ""
            found.append(FoundImage(blob, caption, alt or _caption_words(caption), before))
        if text:
            before = text
    return found, author


class _HtmlImages(HTMLParser):
    """<img> elements in order with the figcaption of their <figure> and the paragraph
    they followed; <meta name="author">."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[dict[str, str]] = []
        self.author = ""
        self._figure: list[dict[str, str]] | None = None
        self._caption: list[str] | None = None
        self._para: list[str] | None = None
        self._before = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and values.get("name", "").lower() == "author":
            self.author = _norm(values.get("content", ""))
        elif tag == "figure":
            self._figure = []
        elif tag == "figcaption":
            self._caption = []
        elif tag == "p":
            self._para = []
        elif tag == "img":
            image = {
                "src": values.get("src", ""),
                "alt": _norm(values.get("alt", "")),
                "caption": "",
                "after": self._before,
            }
            self.images.append(image)
            if self._figure is not None:
                self._figure.append(image)

    def handle_endtag(self, tag: str) -> None:
        if tag == "figcaption" and self._caption is not None:
            caption = _norm("".join(self._caption))
            for image in self._figure or []:
                image["caption"] = caption
            self._caption = None
        elif tag == "figure":
            self._figure = None
        elif tag == "p" and self._para is not None:
            text = _norm("".join(self._para))
            if text and not _is_caption(text):
                self._before = text
            elif text and self.images and not self.images[-1]["caption"]:
                self.images[-1]["caption"] = text  # a "Ảnh: ..." paragraph under a picture
            self._para = None

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        if self._para is not None:
            self._para.append(data)


def _html_images(path: Path) -> tuple[list[FoundImage], str]:
    """Pictures of a saved web page: local files only, inside the page's own folder (a page
    must not make us copy /etc/passwd or fetch anything from the network)."""
    from broadcast.text.decode import decode_text

    try:
        text = decode_text(path.read_bytes(), path)
    except Exception:
        return [], ""
    parser = _HtmlImages()
    parser.feed(text)
    base = path.parent.resolve()
    found: list[FoundImage] = []
    for image in parser.images:
        src = image["src"].split("#")[0].split("?")[0].strip()
        if not src or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", src):
            continue  # http(s):, data:, file: ... : never fetched
        target = (base / src).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            continue
        if target.stat().st_size > MAX_IMAGE_BYTES:
            continue
        caption = image["caption"]
        alt = image["alt"] or _caption_words(caption)
        found.append(FoundImage(target.read_bytes(), caption, alt, image["after"]))
    return found, parser.author


MAX_PDF_IMAGES = 50
_AT_END = "\x00"  # "after" of a picture whose place in the text is unknown: at the end


def _pdf_images(path: Path) -> tuple[list[FoundImage], str]:
    """Pictures of a PDF in page order, re-encoded as PNG, with the "Ảnh: ..." lines of its
    text layer as captions in the same order. A PDF does not say which paragraph a picture
    belongs to, so they go at the end of the item (the editor moves them in the CMS)."""
    from pypdf import PdfReader

    found: list[FoundImage] = []
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            return [], ""
        author = _norm(str(reader.metadata.get("/Author", "") or "")) if reader.metadata else ""
        captions: list[str] = []
        blobs: list[bytes] = []
        for page in reader.pages:
            lines = (_norm(line) for line in (page.extract_text() or "").splitlines())
            captions += [line for line in lines if line and _is_caption(line)]
            for image in page.images:
                if len(blobs) >= MAX_PDF_IMAGES:
                    break
                if image.image is None:
                    continue
                buffer = io.BytesIO()
                image.image.convert("RGB").save(buffer, "PNG")
                blobs.append(buffer.getvalue())
    except Exception:  # a damaged or hostile PDF: its text was judged at ingest; no pictures
        return [], ""
    for number, blob in enumerate(blobs):
        caption = captions[number] if number < len(captions) else ""
        found.append(FoundImage(blob, caption, _caption_words(caption), _AT_END))
    return found, author


def _image_format(data: bytes) -> str | None:
    """The file extension for an image PIL can read, else None (not an image: skipped)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.verify()
            return _IMAGE_FORMATS.get(picture.format or "")
    except Exception:
        return None


def article_images(ws: Workspace, source: ArticleSource) -> tuple[list[FoundImage], str]:
    """The images (and author) of the article's original file, when it is still there."""
    path = Path(source.source_path)
    candidates = [path] if path.is_absolute() else [ws.root / path, Path.cwd() / path]
    original = next((p for p in candidates if p.is_file()), None)
    if original is None or original.stat().st_size > MAX_ARTICLE_BYTES:
        return [], ""
    # Only the very file the approved text was read from: a file changed (or replaced) at
    # the same place since could carry pictures nobody approved with this text.
    raw = original.read_bytes()
    if hashlib.sha256(raw).hexdigest() != source.sha256:
        return [], ""
    if source.format == "docx":
        try:
            check_zip(raw, f"Tệp {original}")  # the limits ingest applied to this container
        except BroadcastError:
            return [], ""
        return _docx_images(original)
    if source.format == "html":
        return _html_images(original)
    if source.format == "pdf":
        return _pdf_images(original)
    return [], ""


# --- the item ------------------------------------------------------------------------------


def _sapo_and_body(
    paragraphs: list[str], sentences: list[tuple[str, str]]
) -> tuple[str, list[str]]:
    """The article's lead paragraph when it is short enough to be a sapo; else the first
    written sentences of the script's body (never the spoken form)."""
    if len(paragraphs) > 1 and len(paragraphs[0]) <= SAPO_MAX_CHARS:
        return paragraphs[0], paragraphs[1:]
    chosen: list[str] = []
    for role, written in sentences:
        if role != "body":
            continue
        if chosen and len(" ".join([*chosen, written])) > SAPO_MAX_CHARS:
            break
        chosen.append(written)
    return " ".join(chosen), paragraphs


def build_item(
    ws: Workspace, script: StoredScript, *, now: dt.datetime | None = None
) -> tuple[PortalItem, list[FoundImage]]:
    """The item's texts and the article's images, read from the store and the original."""
    with ws.open_db() as db:
        source = article_source(db, script.id)
        sentences = written_sentences(db, script.id)
        thumbnail = latest_render_path(db, script.id, "thumbnail", script.language)
    images, author = article_images(ws, source)
    captions = {i.caption for i in images if i.caption}
    paragraphs = [
        _norm(p) for p in source.body.split("\n\n") if _norm(p) and _norm(p) not in captions
    ]
    sapo, body = _sapo_and_body(paragraphs, sentences)
    try:
        category = TOPIC_LABELS[Topic(source.topic)] if source.topic else ""
    except ValueError:
        category = ""
    station = ws.station
    item = PortalItem(
        folder=ws.out_dir / script.slug / PORTAL_FOLDER,
        title=_norm(source.title or source.script_title),
        sapo=sapo,
        paragraphs=body,
        category=f"Cải cách hành chính – {category}" if category else "Cải cách hành chính",
        date=(now or station_now()).date(),
        author=author,
        source=station.name,
        thumbnail=str(ws.root / thumbnail) if thumbnail else "",
    )
    return item, images


def _figure_html(image: PortalImage) -> str:
    alt = html.escape(image.alt or image.caption)
    caption = f"<figcaption>{html.escape(image.caption)}</figcaption>" if image.caption else ""
    return f'<figure><img src="{html.escape(image.file)}" alt="{alt}">{caption}</figure>'


def _placed(item: PortalItem) -> list[PortalImage | str]:
    """Paragraphs and figures in article order: each figure after the paragraph it followed
    in the original (at the top when it came first; at the end when that paragraph is not
    in the body, e.g. it became the sapo)."""
    placed: list[PortalImage | str] = []
    pending = list(item.images)
    for image in [i for i in pending if i.after in ("", item.sapo)]:
        placed.append(image)
        pending.remove(image)
    for paragraph in item.paragraphs:
        placed.append(paragraph)
        for image in [i for i in pending if i.after == paragraph]:
            placed.append(image)
            pending.remove(image)
    placed += pending
    return placed


def item_html(item: PortalItem) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        '<head><meta charset="utf-8">',
        f"<title>{html.escape(item.title)}</title>",
        f'<meta name="description" content="{html.escape(item.sapo)}">',
        "</head>",
        "<body>",
        "<article>",
        f"<h1>{html.escape(item.title)}</h1>",
        f"<p>{html.escape(item.category)} – {item.date:%d/%m/%Y}</p>",
        f"<p>{html.escape(item.sapo)}</p>",
    ]
    for value in _placed(item):
        if isinstance(value, PortalImage):
            parts.append(_figure_html(value))
        else:
            parts.append(f"<p>{html.escape(value)}</p>")
    credit = f"Tác giả: {item.author}. " if item.author else ""
    parts += [
        f"<p>{html.escape(credit)}Nguồn: {html.escape(item.source)}</p>",
        "</article>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def item_markdown(item: PortalItem) -> str:
    lines = [
        f"# {item.title}",
        "",
        f"{item.category} – {item.date:%d/%m/%Y}",
        "",
        f"**{item.sapo}**",
        "",
    ]
    for value in _placed(item):
        if isinstance(value, PortalImage):
            lines += [f"![{value.alt or value.caption}]({value.file})", ""]
            if value.caption:
                lines += [f"*{value.caption}*", ""]
        else:
            lines += [value, ""]
    credit = f"Tác giả: {item.author}. " if item.author else ""
    lines += [f"{credit}Nguồn: {item.source}", ""]
    return "\n".join(lines)


def item_text(item: PortalItem) -> str:
    """Plain text for a portal form that takes pasted text: images named by file."""
    lines = [item.title, "", item.sapo, ""]
    for value in _placed(item):
        if isinstance(value, PortalImage):
            lines += [f"[{value.file}] {value.caption}".rstrip(), ""]
        else:
            lines += [value, ""]
    credit = f"Tác giả: {item.author}. " if item.author else ""
    lines += [
        f"Chuyên mục: {item.category}",
        f"Ngày: {item.date:%d/%m/%Y}",
        f"{credit}Nguồn: {item.source}",
        "",
    ]
    return "\n".join(lines)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(item: PortalItem, script: StoredScript, staging: Path) -> str:
    files = sorted(p for p in staging.iterdir() if p.is_file() and p.name != MANIFEST_NAME)
    warnings = []
    if len(item.title) > TITLE_WARN_CHARS:
        warnings.append(f"Tiêu đề dài {len(item.title)} ký tự (nên dưới {TITLE_WARN_CHARS}).")
    if len(item.sapo) > SAPO_MAX_CHARS or not item.sapo:
        warnings.append("Sapo trống hoặc quá dài; hãy sửa trước khi đăng.")
    data = {
        "script": script.slug,
        "title": item.title,
        "sapo": item.sapo,
        "category": item.category,
        "date": item.date.isoformat(),
        "author": item.author,
        "source": item.source,
        "thumbnail": THUMBNAIL_NAME
        if item.thumbnail
        else (item.images[0].file if item.images else ""),
        "images": [{"file": i.file, "caption": i.caption, "alt": i.alt} for i in item.images],
        "files": [{"path": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p)} for p in files],
        "warnings": warnings,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _move_into_place(staging: Path, target: Path) -> None:
    """Swap the finished staging folder in: the old item is renamed aside first, then
    removed, so the target is always one whole item."""
    old: Path | None = None
    if target.exists():
        old = Path(
            tempfile.mkdtemp(
                prefix="." + temp_prefix("portal-old"), suffix=".tmp", dir=target.parent
            )
        )
        old.rmdir()
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def make_portal_item(
    ws: Workspace, script: StoredScript, *, now: dt.datetime | None = None
) -> PortalItem:
    """Write the portal item of an approved script under out/<script>/publish/portal/."""
    from broadcast.review.gate import require_approved

    with ws.open_db() as db:
        require_approved(db, script.id, script.language)  # only an approved script
    item, found = build_item(ws, script, now=now)
    item.folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix="." + temp_prefix("portal"), suffix=".tmp", dir=item.folder.parent)
    )
    os.chmod(staging, 0o755)  # mkdtemp's 0700 would hide the item from the web server's group
    try:
        for image in found:
            ext = _image_format(image.data)
            if ext is None:
                continue
            name = f"anh-{len(item.images) + 1:02d}.{ext}"
            (staging / name).write_bytes(image.data)
            item.images.append(PortalImage(name, image.caption, image.alt, image.after))
        if item.thumbnail and Path(item.thumbnail).is_file():
            shutil.copyfile(item.thumbnail, staging / THUMBNAIL_NAME)
        else:
            item.thumbnail = ""
        (staging / HTML_NAME).write_text(item_html(item), encoding="utf-8")
        (staging / MARKDOWN_NAME).write_text(item_markdown(item), encoding="utf-8")
        (staging / TEXT_NAME).write_text(item_text(item), encoding="utf-8")
        (staging / MANIFEST_NAME).write_text(_manifest(item, script, staging), encoding="utf-8")
        _move_into_place(staging, item.folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    item.files = sorted(p for p in item.folder.iterdir() if p.is_file())
    return item
