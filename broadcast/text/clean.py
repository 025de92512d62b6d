"""Turn extracted document text into paragraphs a presenter could read.

Plans arrive as PDF extractions: every printed line is its own line (often followed by a blank
one), page numbers and digital-signature stamps sit between sentences, and the document ends
with a distribution list and a signature block. None of that may reach the loudspeaker, but
none of it may vanish silently either: everything dropped is returned in ``removed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from broadcast.text.markers import LIST_MARKER, fold, is_upper_heading

# --- kinds of paragraph -----------------------------------------------------------------

TEXT = "text"
HEADING = "heading"  # a marked heading (markdown "#", docx Heading 2..)
TITLE = "title"  # a heading that names the whole document (docx Title / Heading 1)


@dataclass
class Line:
    """One source line; ``kind`` survives joining so marked headings never merge with prose."""

    text: str
    kind: str = TEXT


@dataclass
class Paragraph:
    text: str
    kind: str = TEXT


# --- what was removed, by kind (the ingest report counts them) ------------------------------

PAGE_NUMBER = "page_number"
URL = "url"
STAMP = "stamp"  # digital-signature stamp
DISTRIBUTION = "distribution"  # "Nơi nhận" list and signature block
HEADER = "header"  # issuer, number, place and date, national motto
RULE = "rule"  # lines of symbols only
TABLE = "table"  # .docx tables
REPLACED_TITLE = "title"  # the document's title, replaced by the user's
CAPTION = "caption"  # "Ảnh: ...", "Ảnh minh họa", image alt text
BYLINE = "byline"  # reporter, source line ("Theo ...", "Nguồn: ...", "PV")
AGENCY = "agency"  # the paper's or agency's initials before the lead ("(ANTĐ) -", "TTXVN -")
RELATED = "related"  # "Xem thêm:", "Tin liên quan", calls to share or comment


class Removed(NamedTuple):
    kind: str
    text: str


@dataclass
class Cleaned:
    paragraphs: list[Paragraph]
    removed: list[Removed] = field(default_factory=list)


# --- patterns ------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?\s*$", re.IGNORECASE
)
_BARE_URL = re.compile(r"^\s*<?(?:https?://|www\.)\S+>?\s*$", re.IGNORECASE)
_ISO_TIMESTAMP = re.compile(
    r"^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?\s*$"
)
_STAMP_WORDS = ("chung thuc so", "da ky len van ban nay", "ky boi:", "ky ngay:")
_DISTRIBUTION = re.compile(r"^\W*noi\s+nh[a-z]{1,2}n\s*:")
_APPENDIX = re.compile(r"^\W*phu\s+luc\b")
_NUMBER_LINE = re.compile(r"^so\s*:")
_DATE_LINE = re.compile(r"^[^,.]{2,50},\s*ngay\b.*\bnam\s+\d{4}\s*$")
_NATIONAL_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc")
_ISSUER_START = re.compile(
    r"^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|dang uy|van phong|so |xa |phuong |"
    r"huyen |tinh |thi tran |thanh pho |quan )"
)
# "viên chức 4" + "trong ...": a page number glued to the last line of a page. After these
# words a number is ordinary content ("mức độ 4", "bản 4", "năm 2025"), so it stays.
_GLUED_PAGE_NUMBER = re.compile(r"^(.*\b([^\W\d_]+))\s+(\d{1,2})\s*$")
_COUNTER_WORDS = frozenset(
    str.split(
        "so nam thang ngay do cap lan khoan dieu muc chuong phan quy ky thu buoc nhom loai hang "
        "to doi ban thon xom phuong quan khu lop trang luc doan vong dot tuan gio phut tuoi "
        "nguoi khoa tap diem cau bai tiet ca phong tang nha lo duong ngo ngach hem ap xa huyen "
        "tinh tram goi mau bang hinh vung cum chi tieu"
    )
)
_HEADER_ZONE = 10  # non-blank lines at the top where office headers live
_TAIL_MAX_LINES = 15  # what may follow "./." and still be a signature block
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(?:=+|-{2,})\s*$")
_MD_BULLET = re.compile(r"^(\s*)[*+](?=\s)")
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"__(?=\S)(.+?)(?<=\S)__"),
    re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"),
)
_MD_ONLY_EMPHASIS = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u00ad\ufeff"), None)
_SENTENCE_END = ".!?…:;"
_OPENERS = "\"'“‘«([*_"


# --- entry points --------------------------------------------------------------------------


def clean_text(text: str, *, markdown: bool = False) -> Cleaned:
    """Clean a .txt or .md document; markdown syntax is stripped in both (seeds carry it)."""
    raw_lines = re.split(r"\r\n|\r|\n|\f|\v", text)
    lines = [Line(line) for line in raw_lines]
    if markdown:
        lines = _mark_setext_headings(lines)
    return clean_lines(lines, markdown=markdown)


def clean_lines(
    lines: list[Line], *, markdown: bool = False, blank_lines_break: bool | None = None
) -> Cleaned:
    """Clean pre-split lines; blank lines break paragraphs unless the file uses them as noise.

    ``blank_lines_break=None`` decides from the text: PDF extractions put a blank line after
    every wrapped line, and there a blank line says nothing about paragraphs.
    """
    removed: list[Removed] = []
    lines = _drop_stamps(lines, removed)
    lines = _drop_tail(lines, removed)
    lines = _drop_header(lines, removed)
    lines = _drop_furniture(lines, removed)
    lines = _drop_glued_page_numbers(lines, removed)
    lines = [_normalise_line(line, markdown=markdown) for line in lines]
    lines = _drop_furniture(lines, removed)  # markdown rules ("---") only show after stripping
    if blank_lines_break is None:
        blank_lines_break = not _blank_lines_are_noise(lines)
    paragraphs = _join(lines, blank_lines_break=blank_lines_break)
    return Cleaned(drop_news_furniture(paragraphs, removed), removed)


# --- removal -------------------------------------------------------------------------------


def _is_blank(line: Line) -> bool:
    return not line.text.strip()


def _is_stamp_marker(text: str) -> bool:
    folded = fold(text)
    return bool(_ISO_TIMESTAMP.match(text)) or any(word in folded for word in _STAMP_WORDS)


def _drop_stamps(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """Drop digital-signature stamps: a tab-indented run of lines holding a stamp marker.

    The Government CA appends one stamp per signer; the run around a marker also holds the
    signer's office and e-mail, which mean nothing on air.
    """
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if i in drop or not _is_stamp_marker(line.text):
            continue
        start, end = i, i + 1
        if line.text.startswith("\t"):
            while start > 0 and lines[start - 1].text.startswith("\t"):
                start -= 1
            while end < len(lines) and lines[end].text.startswith("\t"):
                end += 1
        drop.update(range(start, end))
        removed.append(Removed(STAMP, "\n".join(x.text.strip() for x in lines[start:end])))
    return [line for i, line in enumerate(lines) if i not in drop]


def _tail_start(lines: list[Line]) -> int | None:
    """Index where the distribution list / signature block begins, if any."""
    for i, line in enumerate(lines):
        if _DISTRIBUTION.match(fold(line.text.strip())):
            return i
    ends = [i for i, line in enumerate(lines) if line.text.rstrip().endswith("./.")]
    if not ends:
        return None
    after = [line.text.strip() for line in lines[ends[-1] + 1 :] if not _is_blank(line)]
    if after and len(after) <= _TAIL_MAX_LINES and all(len(text) <= 80 for text in after):
        return ends[-1] + 1
    return None


def _drop_tail(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """Drop "Nơi nhận:" and the signature block; an appendix after them is content again."""
    start = _tail_start(lines)
    if start is None:
        return lines
    end = start + 1
    while end < len(lines) and not _APPENDIX.match(fold(lines[end].text.strip())):
        end += 1
    block = [line.text.strip() for line in lines[start:end] if not _is_blank(line)]
    if block:
        removed.append(Removed(DISTRIBUTION, "\n".join(block)))
    return lines[:start] + lines[end:]


def _is_header_line(text: str) -> bool:
    folded = fold(text.strip())
    motto = re.sub(r"\s*[-–—]\s*", " - ", folded)
    if _NUMBER_LINE.match(folded) or _DATE_LINE.match(folded):
        return True
    if any(motto.startswith(m) for m in _NATIONAL_MOTTO):
        return True
    return is_upper_heading(text) and bool(_ISSUER_START.match(folded))


def _drop_header(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """Drop the office header (issuer, "Số: ...", place and date, national motto) at the top."""
    kept: list[Line] = []
    seen = 0
    for line in lines:
        if _is_blank(line):
            kept.append(line)
            continue
        seen += 1
        if seen <= _HEADER_ZONE and line.kind == TEXT and _is_header_line(line.text):
            removed.append(Removed(HEADER, line.text.strip()))
        else:
            kept.append(line)
    return kept


def _is_furniture(text: str) -> bool:
    """Page numbers, bare links and rules: lines with nothing a listener could use."""
    stripped = text.strip()
    if not stripped:
        return False
    if _PAGE_NUMBER.match(stripped) or _BARE_URL.match(stripped):
        return True
    return not any(ch.isalnum() for ch in stripped)


def _furniture_kind(text: str) -> str:
    stripped = text.strip()
    if _PAGE_NUMBER.match(stripped):
        return PAGE_NUMBER
    return URL if _BARE_URL.match(stripped) else RULE


def _next_text(lines: list[Line], index: int) -> str:
    return next((line.text.strip() for line in lines[index + 1 :] if not _is_blank(line)), "")


def _drop_glued_page_numbers(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """Cut a page number stuck to the end of a line that a lowercase line continues."""
    out: list[Line] = []
    for i, line in enumerate(lines):
        match = _GLUED_PAGE_NUMBER.match(line.text.rstrip())
        if (
            match
            and match.group(2).islower()
            and fold(match.group(2)) not in _COUNTER_WORDS
            and _starts_lower(_next_text(lines, i))
        ):
            removed.append(Removed(PAGE_NUMBER, match.group(3)))
            line = Line(match.group(1), line.kind)
        out.append(line)
    return out


# Lines of a news web page that name the page, not the news: the commune never says them.
_CAPTION_LINE = re.compile(r"^\W*(?:anh|video|clip|nguon anh)(?:\s+minh hoa)?\s*(?::|-|$)")
_BYLINE_LINE = re.compile(
    r"^\W*(?:theo|nguon|tin,? anh|bai,? anh|tin va anh|pv|ctv|phong vien|bien tap)\b"
    r"[^.!?]{0,60}$"
)
_RELATED_LINE = re.compile(
    r"^\W*(?:xem them|tin lien quan|bai lien quan|doc them|tin khac|cac tin khac"
    r"|chia se(?: bai viet)?|bam like|like va chia se|binh luan|gui binh luan|in bai"
    r"|theo doi .{0,30} tren (?:zalo|facebook|google news))\b"
)
# "(ANTĐ) - ", "HÀ NỘI (TTXVN) - ", "TTXVN - ", "(Chinhphu.vn) – " at the start of the lead.
_AGENCY_PREFIX = re.compile(
    r"^\s*(?:[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ .]{1,30})?\s*\(\s*[A-Za-zĐđÀ-ỹ.]{2,20}\s*\)\s*[-–—:]\s*"
    r"|^\s*(?:TTXVN|VOV|VTV|TTO|VTC)\s*[-–—:]\s*"
)
_MAX_FURNITURE_WORDS = 20


def _news_kind(text: str) -> str | None:
    """Which piece of web-page furniture ``text`` is, or None for prose."""
    stripped = text.strip()
    if not stripped or len(stripped.split()) > _MAX_FURNITURE_WORDS:
        return None
    folded = fold(stripped).lower()
    if _CAPTION_LINE.match(folded):
        return CAPTION
    if _RELATED_LINE.match(folded):
        return RELATED
    if _BYLINE_LINE.match(folded) and stripped[-1:] not in ".!?" or folded in {"pv", "ctv"}:
        return BYLINE
    return None


def drop_news_furniture(paragraphs: list[Paragraph], removed: list[Removed]) -> list[Paragraph]:
    """Captions, bylines, source lines, related links and share buttons go; the agency's
    initials before the lead ("(ANTĐ) - Sáng 15/3, ...") are cut from the line they open,
    so the commune's voice never reads a newspaper's tag as if it were its own words."""
    kept: list[Paragraph] = []
    for paragraph in paragraphs:
        kind = _news_kind(paragraph.text)
        if kind is not None:
            removed.append(Removed(kind, paragraph.text.strip()))
            continue
        match = _AGENCY_PREFIX.match(paragraph.text)
        if match and paragraph.text[match.end() :].strip():
            removed.append(Removed(AGENCY, match.group(0).strip()))
            paragraph = Paragraph(paragraph.text[match.end() :], paragraph.kind)
        kept.append(paragraph)
    return kept


def _drop_furniture(lines: list[Line], removed: list[Removed]) -> list[Line]:
    kept: list[Line] = []
    for line in lines:
        if _is_furniture(line.text):
            removed.append(Removed(_furniture_kind(line.text), line.text.strip()))
        else:
            kept.append(line)
    return kept


# --- per-line normalisation ----------------------------------------------------------------


def _mark_setext_headings(lines: list[Line]) -> list[Line]:
    """Turn "Title\\n=====" into a heading line; the underline then drops out as a rule."""
    out: list[Line] = []
    for line in lines:
        if _MD_SETEXT.match(line.text) and out and not _is_blank(out[-1]):
            out[-1] = Line(out[-1].text, HEADING)
            continue
        out.append(line)
    return out


def strip_markdown(text: str, *, markdown: bool = False) -> str:
    """Remove emphasis markers; seed 004 is a .txt with "*Về cải cách thể chế*" in it."""
    if markdown:
        text = _MD_IMAGE.sub("", text)
        text = _MD_LINK.sub(r"\1", text)
        text = text.replace("`", "")
        text = _MD_BULLET.sub(r"\1-", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    if markdown:
        text = _MD_ONLY_EMPHASIS.sub(r"\1", text)
    return text


def _normalise_line(line: Line, *, markdown: bool) -> Line:
    text = line.text.translate(_INVISIBLE)
    kind = line.kind
    heading = _MD_HEADING.match(text)
    if heading and kind == TEXT:
        text, kind = heading.group(1), HEADING
    text = strip_markdown(text, markdown=markdown)
    return Line(re.sub(r"\s+", " ", text).strip(), kind)


# --- joining -------------------------------------------------------------------------------


def _starts_lower(text: str) -> bool:
    first = text.lstrip(_OPENERS)[:1]
    return first.islower()


def _is_new_item(text: str) -> bool:
    """A list marker starts a paragraph, except "- xã hội" wrapped out of "kinh tế - xã hội"."""
    marker = LIST_MARKER.match(text)
    if not marker:
        return False
    rest = text[marker.end() :].strip()
    return not (marker.group().strip() in "-–—" and _starts_lower(rest))


def _blank_lines_are_noise(lines: list[Line]) -> bool:
    """True when blank lines mostly sit inside sentences, as in the PDF-extracted seeds."""
    gaps = lower_after_gap = 0
    for prev, blank, nxt in zip(lines, lines[1:], lines[2:], strict=False):
        if not _is_blank(prev) and _is_blank(blank) and not _is_blank(nxt):
            gaps += 1
            lower_after_gap += _starts_lower(nxt.text)
    return gaps >= 4 and lower_after_gap / gaps >= 0.2


def _typical_width(lines: list[Line]) -> int:
    """Length of a full printed line; shorter lines usually end a paragraph or a heading."""
    lengths = sorted(len(line.text) for line in lines if line.text)
    if not lengths:
        return 0
    return lengths[int(len(lengths) * 0.8)]


def _continues(prev: str, nxt: str, *, after_blank: bool, width: int) -> bool:
    """Whether ``nxt`` is the rest of the paragraph ending with ``prev`` (a hard wrap)."""
    if _is_new_item(nxt):
        return False
    end = prev[-1]
    if after_blank:
        return _starts_lower(nxt) and end not in _SENTENCE_END
    if _starts_lower(nxt):
        return True
    if end in _SENTENCE_END:
        return False
    if is_upper_heading(prev):
        return is_upper_heading(nxt)
    if end == ",":
        return True
    return len(prev) >= 0.75 * width


def _glue(prev: str, nxt: str) -> str:
    """Join with one space, except inside a URL that the PDF broke after "-" or "/"."""
    last_word = prev.rsplit(" ", 1)[-1]
    if "://" in last_word and prev[-1] in "-/":
        return prev + nxt
    return f"{prev} {nxt}"


def _join(lines: list[Line], *, blank_lines_break: bool) -> list[Paragraph]:
    width = _typical_width(lines)
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
    last_line = ""  # the width test needs the printed line, not the paragraph so far
    gap = False
    for line in lines:
        if not line.text:
            gap = True
            continue
        after_blank = gap and blank_lines_break
        if (
            current is not None
            and current.kind == TEXT
            and line.kind == TEXT
            and _continues(last_line, line.text, after_blank=after_blank, width=width)
        ):
            current.text = _glue(current.text, line.text)
        else:
            current = Paragraph(line.text, line.kind)
            paragraphs.append(current)
        last_line = line.text
        gap = False
    return paragraphs
