"""The images of an article's original file (.docx, .html, .pdf), with their captions and the
paragraph each one followed.

Both the portal item (``broadcast.publish.portal``) and the video (``broadcast.render``) use
them, so they live here, below both: the video stage must not import ``publish``. Only the very
file the approved text was read from is opened (its sha256 must match the stored article), and
nothing is ever fetched from the network.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from broadcast.errors import BroadcastError
from broadcast.model.article import Article
from broadcast.safeparse import check_zip
from broadcast.store.publications import ArticleSource
from broadcast.store.workspace import Workspace

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


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _is_caption(text: str, style: str = "") -> bool:
    return bool(_CAPTION.match(text)) or "caption" in style.lower()


def _caption_words(caption: str) -> str:
    """'Ảnh: Quầy một cửa.' -> 'Quầy một cửa.': the alt text of a picture without alt."""
    match = _CAPTION.match(caption)
    return caption[match.end() :].strip() if match else caption


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
    if original is None:
        return [], ""
    return file_images(original, source.format, source.sha256)


def file_images(original: Path, fmt: str, sha256: str) -> tuple[list[FoundImage], str]:
    """The images (and author) of ``original`` read as ``fmt``, if its bytes are still
    those whose hash is ``sha256``."""
    if not original.is_file() or original.stat().st_size > MAX_ARTICLE_BYTES:
        return [], ""
    # Only the very file the approved text was read from: a file changed (or replaced) at
    # the same place since could carry pictures nobody approved with this text.
    raw = original.read_bytes()
    if hashlib.sha256(raw).hexdigest() != sha256:
        return [], ""
    if fmt == "docx":
        try:
            check_zip(raw, f"Tệp {original}")  # the limits ingest applied to this container
        except BroadcastError:
            return [], ""
        return _docx_images(original)
    if fmt == "html":
        return _html_images(original)
    if fmt == "pdf":
        return _pdf_images(original)
    return [], ""


def norm(text: str) -> str:
    """Text as compared between an article and its script: NFC, single spaces."""
    return _norm(text)


def image_format(data: bytes) -> str | None:
    """The file extension for an image Pillow can read, else None (not an image: skipped)."""
    return _image_format(data)


# --- where each image goes in the script ------------------------------------------------------


@dataclass(frozen=True)
class PlacedImage:
    """An article image and the script sentence (from 0) it first stands behind."""

    data: bytes
    sentence: int


_WORD = re.compile(r"\w+")
MIN_SHARED = 0.5  # share of a sentence's words found in a paragraph for it to come from there


def _words(text: str) -> set[str]:
    return set(_WORD.findall(norm(text).lower()))


def _source_paragraph(sentence: str, paragraphs: list[set[str]]) -> int | None:
    """The paragraph whose words cover most of ``sentence`` (at least ``MIN_SHARED``), the
    earlier one on a tie; None for a sentence of no paragraph (the opening, the closing)."""
    words = _words(sentence)
    if not words:
        return None
    best, best_share = None, MIN_SHARED
    for number, paragraph in enumerate(paragraphs):
        share = len(words & paragraph) / len(words)
        if share > best_share or (best is None and share >= best_share):
            best, best_share = number, share
    return best


def place_images(
    images: list[FoundImage], paragraphs: list[str], sentences: list[str]
) -> list[PlacedImage]:
    """Each readable image with the first script sentence near where it stood in the article.

    Simple text matching, on purpose: a script sentence comes from the article paragraph
    that holds most of its words (the summariser keeps the written words; radio style only
    adds or drops a few). An image that followed paragraph P goes with the first sentence
    taken from P or, when none was, from the nearest paragraph after P; an image at the top
    goes with the first sentence from any paragraph. An image whose place is unknown (a
    PDF's, or one after a paragraph the stored text no longer has) is spread evenly over
    the script; an image after the last paragraph used by the script is dropped, as is a
    file that is not a picture. When no sentence matches any paragraph, every image is
    spread evenly.
    """
    words = [_words(p) for p in paragraphs]
    normalised = [norm(p) for p in paragraphs]
    source = [_source_paragraph(s, words) for s in sentences]
    matched = any(p is not None for p in source)  # else: nothing to place by, spread all
    placed: list[PlacedImage] = []
    unknown: list[FoundImage] = []
    for image in images:
        if image_format(image.data) is None:
            continue
        if not matched:
            unknown.append(image)
            continue
        if image.after == "":
            at: int | None = 0
        elif image.after in normalised:
            at = normalised.index(image.after)
        else:
            at = _source_paragraph(image.after, words) if image.after != _AT_END else None
        if at is None:
            unknown.append(image)
            continue
        sentence = next((n for n, p in enumerate(source) if p is not None and p >= at), None)
        if sentence is not None:
            placed.append(PlacedImage(image.data, sentence))
    for number, image in enumerate(unknown):
        placed.append(PlacedImage(image.data, number * len(sentences) // len(unknown)))
    return sorted(placed, key=lambda p: p.sentence)


def script_images(ws: Workspace, source: ArticleSource, sentences: list[str]) -> list[PlacedImage]:
    """The images of a stored script's original article, placed at its written
    ``sentences`` (the Vietnamese ones: a translation keeps their order one to one)."""
    found, _ = article_images(ws, source)
    if not found:
        return []
    paragraphs = [norm(p) for p in source.body.split("\n\n") if norm(p)]
    return place_images(found, paragraphs, sentences)


def read_article_images(article: Article, sentences: list[str]) -> list[PlacedImage]:
    """The images of an article just read (``produce``), placed at the script's written
    ``sentences``: the same file and placement as ``script_images`` gives later."""
    found, _ = file_images(article.source, article.format, article.sha256)
    if not found:
        return []
    return place_images(found, [norm(p) for p in article.paragraphs if norm(p)], sentences)
