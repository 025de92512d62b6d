"""A saved web page (.html/.htm) as lines the cleaner understands.

Commune portals publish news as HTML; saved from a browser, the article sits among menus,
banners, scripts and footers that must never be read on air. Only the document's prose is
kept: headings keep their rank (the first <h1> names the article), block elements become
paragraphs and <br> a line break inside one, so the usual hard-wrap rules still apply.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from broadcast.errors import InputError
from broadcast.text.clean import HEADING, TITLE, Line

# A saved news page has a few thousand elements; 100,000 bounds the parsed tree near 100 MB.
MAX_HTML_TAGS = 100_000
_TAG_START = re.compile(r"<[A-Za-z]")
# Unclosed tags nested deeper than this are a broken or hostile page (see _DepthProbe).
MAX_HTML_DEPTH = 1000
# Elements that never hold content, so never stay open.
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param")
    + ("source", "track", "wbr")
)

# Page furniture, code and embedded objects: nothing a listener could use.
_DROPPED = [
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "form",
    "button",
    "select",
    "head",
    "object",
    "embed",
]
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "body",
        "li",
        "ul",
        "ol",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "address",
        "hr",
        "center",
        "caption",
        "details",
        "summary",
    ]
)
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)


class _Collector:
    """Walks the tree once, turning blocks into paragraphs separated by a blank line."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._buffer: list[str] = []
        self._title_seen = False
        self._numbers: dict[int, int] = {}  # id() of an <li> of an <ol> -> its number

    def end_line(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buffer)).strip()
        self._buffer.clear()
        if text:
            self.lines.append(Line(text))

    def end_block(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1].text:
            self.lines.append(Line(""))

    def heading(self, tag: Tag) -> None:
        self.end_block()
        text = re.sub(r"\s+", " ", tag.get_text(" ")).strip()
        if not text:
            return
        kind = HEADING
        if tag.name == "h1" and not self._title_seen:
            kind, self._title_seen = TITLE, True
        self.lines += [Line(text, kind), Line("")]

    def visit(self, root: Tag) -> None:
        """Walk the tree with an explicit stack: a page of a few thousand unclosed tags
        nests that deep, and a recursive walk would end in RecursionError."""
        end_of_block = object()  # pushed after a block's children: close the paragraph then
        stack: list[object] = list(reversed(root.contents))
        while stack:
            node = stack.pop()
            if node is end_of_block:
                self.end_block()
            elif isinstance(node, NavigableString):
                if not isinstance(node, _NOT_TEXT):
                    self._buffer.append(str(node))
            elif isinstance(node, Tag):
                name = node.name.lower()
                if name == "br":
                    self.end_line()
                elif name in _HEADINGS:
                    self.heading(node)
                elif name in _BLOCKS:
                    self.end_block()
                    if name == "ol":  # numbered once per list, not once per item
                        items = (c for c in node.contents if isinstance(c, Tag) and c.name == "li")
                        self._numbers.update((id(li), n) for n, li in enumerate(items, start=1))
                    if name == "li":
                        # "- " for a bullet, "3. " for the third numbered item: what a reader saw.
                        number = self._numbers.get(id(node))
                        self._buffer.append(f"{number}. " if number else "- ")
                    stack.append(end_of_block)
                    stack.extend(reversed(node.contents))
                else:
                    stack.extend(reversed(node.contents))


def _count_tags(text: str) -> int:
    return len(_TAG_START.findall(text))


class _TooDeep(Exception):
    pass


class _DepthProbe(HTMLParser):
    """How deep the page nests, as bs4's ``html.parser`` tree will: an end tag closes up to
    its open tag, a stray one is ignored, nothing else closes implicitly. Stops at ``limit``.

    bs4 fixes up the tree's links with a walk as long as the current depth each time text
    follows a tag, so parsing time grows with the square of the nesting: 12,000 unclosed
    tags take ten seconds, 100,000 most of an hour. A linear pass first keeps that bounded.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=False)
        self.limit = limit
        self.stack: list[str] = []
        self.open: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _VOID:
            return
        self.stack.append(tag)
        self.open[tag] += 1
        if len(self.stack) > self.limit:
            raise _TooDeep

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        pass  # <br/>, <img/>: nothing stays open

    def handle_endtag(self, tag: str) -> None:
        if not self.open[tag]:
            return
        while self.stack:
            top = self.stack.pop()
            self.open[top] -= 1
            if top == tag:
                break


def _too_deep(text: str) -> bool:
    probe = _DepthProbe(MAX_HTML_DEPTH)
    try:
        probe.feed(text)
        probe.close()
    except _TooDeep:
        return True
    return False


def html_lines(text: str, name: str = "Trang web") -> list[Line]:
    """The readable lines of an HTML document; entities are decoded by the parser.

    A page with more tags than any news page has is refused before parsing: the parsed tree
    takes about 700 bytes per tag, so a few megabytes of bare tags would need gigabytes.
    """
    tags = _count_tags(text)
    if tags > MAX_HTML_TAGS:
        raise InputError(
            f"{name} có {tags} thẻ HTML, quá nhiều cho một trang tin (tối đa {MAX_HTML_TAGS}): "
            "hãy chép phần bài viết sang tệp .txt hoặc .docx rồi thử lại."
        )
    if _too_deep(text):
        raise InputError(
            f"{name} có hơn {MAX_HTML_DEPTH} thẻ HTML mở lồng nhau mà không đóng, không phải một "
            "trang tin bình thường: hãy chép phần bài viết sang tệp .txt hoặc .docx rồi thử lại."
        )
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    collector = _Collector()
    collector.visit(soup)
    collector.end_block()
    return [Line(line.text.replace("\xa0", " "), line.kind) for line in collector.lines]
