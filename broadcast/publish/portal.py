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
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from broadcast.model.time import station_now
from broadcast.script.model import TOPIC_LABELS, Topic
from broadcast.store.files import temp_prefix
from broadcast.store.publications import (
    article_source,
    latest_render_path,
    written_sentences,
)
from broadcast.store.records import StoredScript
from broadcast.store.workspace import Workspace
from broadcast.text.images import FoundImage, article_images
from broadcast.text.images import image_format as _image_format
from broadcast.text.images import norm as _norm

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
