"""A saved web page (.html/.htm) as lines the cleaner understands.

Commune portals publish news as HTML; saved from a browser, the article sits among menus,
banners, scripts and footers that must never be read on air. Only the document's prose is
kept: headings keep their rank (the first <h1> names the article), block elements become
paragraphs and <br> a line break inside one, so the usual hard-wrap rules still apply.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from broadcast.text.clean import HEADING, TITLE, Line

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

    def visit(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _NOT_TEXT):
                    self._buffer.append(str(child))
            elif isinstance(child, Tag):
                self._visit_tag(child)

    def _visit_tag(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name == "br":
            self.end_line()
        elif name in _HEADINGS:
            self.heading(tag)
        elif name in _BLOCKS:
            self.end_block()
            if name == "li":
                self._buffer.append(_item_marker(tag))
            self.visit(tag)
            self.end_block()
        else:
            self.visit(tag)


def _item_marker(item: Tag) -> str:
    """ "- " for a bullet, "3. " for the third item of a numbered list: what a reader saw."""
    parent = item.parent
    if isinstance(parent, Tag) and parent.name == "ol":
        number = 1 + sum(1 for sibling in item.find_previous_siblings("li"))
        return f"{number}. "
    return "- "


def html_lines(text: str) -> list[Line]:
    """The readable lines of an HTML document; entities are decoded by the parser."""
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    collector = _Collector()
    collector.visit(soup)
    collector.end_block()
    return [Line(line.text.replace("\xa0", " "), line.kind) for line in collector.lines]
