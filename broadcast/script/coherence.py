"""What a sentence needs around it to be understood when heard once.

A listener cannot look back. A summary sentence that opens with "Trước thực tế đó" or
"Ngoài ra" points at something the listener never heard, and "thực hiện theo bốn bước." with
no step after it promises what the script never gives. So the selection (``summarize.rank``)
treats a sentence and what it leans on as one unit: the sentence before it when it refers
back, the items after it when it announces a list. A sentence in the reporter's own voice
("tôi có việc đến…") is the newspaper speaking, not the commune, and is never chosen unless
it is a quotation of someone else.

These are surface rules on purpose: they must be predictable for an editor, and a rule that
fires too often only makes the summary take one more neighbouring sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "announced_items",
    "first_person",
    "needs_antecedent",
    "requirements",
]

# Openers that only make sense after what came before them.
_CONNECTIVES = (
    "ngoài ra",
    "bên cạnh đó",
    "cùng với đó",
    "trước thực tế đó",
    "trước tình hình đó",
    "trên cơ sở đó",
    "theo đó",
    "do đó",
    "do vậy",
    "vì vậy",
    "vì thế",
    "bởi vậy",
    "tuy nhiên",
    "tuy vậy",
    "mặt khác",
    "hơn nữa",
    "thêm vào đó",
    "đồng thời",
    "như vậy",
    "từ đó",
    "qua đó",
    "nhờ đó",
    "sau đó",
    "điều này",
    "việc này",
    "điều đó",
    "việc đó",
    "không chỉ vậy",
    "ngoài những",
)
_CONNECTIVE = re.compile(
    r"^\W*(?:" + "|".join(re.escape(c) for c in _CONNECTIVES) + r")\b", re.IGNORECASE
)
# A demonstrative in the opening clause: "Hình ảnh đó", "Mô hình này", "các nội dung trên",
# "như đã nêu", "kể trên", "nói trên", "trên đây".
_DEMONSTRATIVE = re.compile(
    r"\b(?:đó|này|ấy|nêu trên|kể trên|nói trên|trên đây|như đã nêu|như vậy)\b", re.IGNORECASE
)
# "Các nội dung trên được…": "trên" closing a noun phrase, not "trên địa bàn".
_ABOVE = re.compile(
    r"\btrên(?=\s+(?:được|đã|là|sẽ|cho|giúp|góp|nhằm|cần|phải|vẫn|đều|của)\b|\s*[,.;:]|\s*$)",
    re.IGNORECASE,
)
_OPENING_CLAUSE_WORDS = 6

_NUMBER_WORDS = {
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
_COUNTED = (
    r"bước|nhóm|nội dung|điểm|giải pháp|nhiệm vụ|tiêu chí|yêu cầu|điều kiện|loại|mục tiêu"
    r"|hình thức|cách|khâu|giai đoạn|trường hợp|đối tượng|phương án|bộ phận|việc|thủ tục"
    r"|lĩnh vực|chương trình|hoạt động|chính sách|trụ cột|mũi nhọn|đột phá"
)
_ANNOUNCE = re.compile(
    r"\b(?:theo|gồm|có|với|công bố|đề ra|triển khai|thực hiện|là)\s+(?:(\d{1,2})|("
    + "|".join(_NUMBER_WORDS)
    + r"))\s+(?:"
    + _COUNTED
    + r")\b",
    re.IGNORECASE,
)
_ANNOUNCE_OPEN = re.compile(
    r"(?:như sau|sau đây|các nội dung sau|những nội dung sau|cụ thể)\s*:?\s*$|:\s*$",
    re.IGNORECASE,
)
_MAX_ITEMS = 5

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|«[^»]*»")
# What follows "Ông A cho biết:" is the person's own words even without quotation marks.
_ATTRIBUTED = re.compile(
    r"\b(?:cho biết|nói|chia sẻ|khẳng định|nhấn mạnh|phát biểu|bày tỏ|kể|tâm sự)\s*:.*$",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:tôi|chúng tôi|chúng mình|tớ)\b", re.IGNORECASE)


def needs_antecedent(text: str) -> bool:
    """True if ``text`` opens with a connective or a demonstrative that points backwards."""
    if _CONNECTIVE.match(text):
        return True
    opening = re.split(r"[,;:]", text, maxsplit=1)[0].split()[:_OPENING_CLAUSE_WORDS]
    clause = " ".join(opening)
    return bool(_DEMONSTRATIVE.search(clause) or _ABOVE.search(clause))


def announced_items(text: str) -> int:
    """How many following sentences ``text`` promises as the items of a list (0: none).

    "… theo 4 bước." promises four, "… gồm các nội dung sau:" at least one; a list whose
    items follow inside the same sentence ("gồm 2 nhóm: A và B") promises nothing more.
    """
    match = _ANNOUNCE.search(text)
    if match:
        count = int(match.group(1)) if match.group(1) else _NUMBER_WORDS[match.group(2).lower()]
        rest = text[match.end() :]
        if ":" in rest:
            items = [p for p in re.split(r"[,;:]|\bvà\b", rest.split(":", 1)[1]) if p.strip()]
            if len(items) >= count:
                return 0
        elif len([p for p in re.split(r"[,;]|\bvà\b", rest) if p.strip()]) >= count + 1:
            return 0  # "gồm 2 nhóm là A và B": the items are in the sentence
        return min(count, _MAX_ITEMS) if count >= 2 else 0
    return 1 if _ANNOUNCE_OPEN.search(text.rstrip().rstrip(".")) else 0


def first_person(text: str, *, in_quote: bool = False) -> bool:
    """True if the reporter speaks as "tôi"/"chúng tôi" outside a quotation.

    ``in_quote``: the sentence begins inside a quotation opened by an earlier sentence.
    """
    if in_quote:
        closing = min((text.find(q) for q in '”"»' if q in text), default=-1)
        if closing < 0:
            return False
        text = text[closing + 1 :]
    own = _ATTRIBUTED.sub("", _QUOTED.sub("", text))
    own = re.sub(r"[“\"«].*$", "", own)  # a quotation that goes on past this sentence
    return bool(_FIRST_PERSON.search(own))


def _leaves_quote_open(text: str, in_quote: bool) -> bool:
    """Whether a quotation is still open at the end of ``text``."""
    for char in text:
        if char in "“«":
            in_quote = True
        elif char in "”»":
            in_quote = False
        elif char == '"':
            in_quote = not in_quote
    return in_quote


def requirements(texts: Sequence[str]) -> list[frozenset[int] | None]:
    """For each sentence, every sentence that must be chosen with it (itself included), or
    None when it may not be chosen at all (reporter's voice, or a list whose items the
    article does not give)."""
    size = len(texts)
    direct: list[set[int] | None] = []
    in_quote = False
    for i, text in enumerate(texts):
        quoted = in_quote
        in_quote = _leaves_quote_open(text, in_quote)
        if first_person(text, in_quote=quoted):
            direct.append(None)
            continue
        needs = {i}
        # A quotation's later sentences need the one that says who is speaking.
        if i > 0 and (quoted or needs_antecedent(text)):
            needs.add(i - 1)
        items = announced_items(text)
        if items:
            if i + items > size - 1:
                direct.append(None)  # the items are not in the article
                continue
            needs.update(range(i + 1, i + 1 + items))
        direct.append(needs)
    result: list[frozenset[int] | None] = []
    for i in range(size):
        seen: set[int] = set()
        stack = [i]
        ok = True
        while stack:
            j = stack.pop()
            if j in seen:
                continue
            seen.add(j)
            leans_on = direct[j]
            if leans_on is None:
                ok = False
                break
            stack.extend(leans_on - seen)
        result.append(frozenset(seen) if ok else None)
    return result
