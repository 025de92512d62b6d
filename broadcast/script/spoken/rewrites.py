"""Which pass changed which words, and why: the rewrites an editor sees in the script view.

Each pass rewrites the whole text with its own regular expressions; instead of teaching
two dozen ``re.sub`` calls to report, the text before and after a pass is compared word by
word, and every changed run becomes one ``Rewrite`` with that pass's kind and reason. A pass
that changes nothing records nothing, so the list is exactly the rules that fired.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from broadcast.model.spoken import STATION_REASON, Rewrite, RewriteKind

SPELLED_REASON = "đọc theo tên chữ cái"
SAID_ONCE_REASON = "tên đầy đủ đã có bên cạnh, không đọc hai lần"

# Pass name -> (kind, reason). Passes not listed (spacing, tidying) only move whitespace.
PASS_REASONS: dict[str, tuple[RewriteKind, str]] = {
    "_station_readings": (RewriteKind.ACRONYM, STATION_REASON),
    "_links": (RewriteKind.ADDRESS, "đọc địa chỉ web, thư điện tử như phát thanh viên"),
    "_timestamps": (RewriteKind.DATE, "đọc giờ và ngày thành chữ"),
    "_list_markers": (RewriteKind.DOCUMENT, "đọc số thứ tự của mục"),
    "_ambiguous": (RewriteKind.ACRONYM, "viết tắt đọc theo từ đứng bên cạnh"),
    "_defined_later": (RewriteKind.DROPPED, "lời giải thích viết tắt chỉ dành cho người đọc"),
    "_roman": (RewriteKind.DOCUMENT, "đọc số La Mã thành chữ"),
    "_document_codes": (RewriteKind.DOCUMENT, "đọc số hiệu văn bản như phát thanh viên"),
    "_signatures": (RewriteKind.DOCUMENT, "đọc chữ viết tắt ở phần ký văn bản"),
    "_glossary_terms": (RewriteKind.ACRONYM, "từ điển viết tắt"),
    "_said_in_full": (RewriteKind.ACRONYM, SAID_ONCE_REASON),
    "_capitals": (RewriteKind.ACRONYM, SPELLED_REASON),
    "_named_codes": (RewriteKind.DOCUMENT, "đọc mã số thành chữ"),
    "_dates": (RewriteKind.DATE, "đọc ngày tháng thành chữ"),
    "_times": (RewriteKind.DATE, "đọc giờ thành chữ"),
    "_phones": (RewriteKind.PHONE, "đọc số điện thoại theo từng nhóm số"),
    "_ordinals": (RewriteKind.NUMBER, "đọc số thứ tự thành chữ"),
    "_number_lists": (RewriteKind.NUMBER, "đọc dãy số thành chữ"),
    "_ranges": (RewriteKind.NUMBER, "đọc khoảng số (từ ... đến ...)"),
    "_units": (RewriteKind.NUMBER, "đọc số và đơn vị đo thành chữ"),
    "_fractions": (RewriteKind.NUMBER, "đọc phân số, tỉ lệ thành chữ"),
    "_numbers": (RewriteKind.NUMBER, "đọc số thành chữ"),
    "_slashes": (RewriteKind.SYMBOL, "đọc dấu gạch chéo theo nghĩa của nó"),
    "_dashes": (RewriteKind.SYMBOL, "đọc dấu gạch ngang theo nghĩa của nó"),
    "_symbols": (RewriteKind.SYMBOL, "đọc ký hiệu thành chữ"),
}

_EDGE = " \t\n,.;:!?…\"'“”()[]"


def changes(
    before: str, after: str, kind: RewriteKind, reason: str, *, spelled: tuple[str, ...] = ()
) -> list[Rewrite]:
    """The runs of words that differ between ``before`` and ``after``, one record each.

    A change of capitals alone (a heading read in lower case) is not worth an editor's look;
    capitals that were spelled letter by letter are (``spelled``, from the capitals pass).
    """
    if before == after:
        return []
    a, b = before.split(), after.split()
    found: list[Rewrite] = []
    # Words are compared without punctuation or capitals: a full stop added, a bracket
    # turned into a comma or a heading lowercased is not a rewrite worth the editor's time.
    matcher = SequenceMatcher(None, [_bare(w) for w in a], [_bare(w) for w in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        written, spoken = _trim(" ".join(a[i1:i2]), " ".join(b[j1:j2]))
        if not written or _bare(written) == _bare(spoken):
            continue
        if not spoken:
            written = written.strip(" ,;:.")
        why = reason
        if not spoken and kind is RewriteKind.ACRONYM:
            why = SAID_ONCE_REASON
        elif reason == SPELLED_REASON and not any(s in written for s in spelled):
            continue  # capitals read as the words they are (a heading), not spelled
        found.append(Rewrite(RewriteKind.DROPPED if not spoken else kind, written, spoken, why))
    return found


def _bare(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _trim(written: str, spoken: str) -> tuple[str, str]:
    """Drop punctuation and spaces both sides share at either end ("UBND," / "Ủy ban...,")."""
    while written and spoken and written[-1] == spoken[-1] and written[-1] in _EDGE:
        written, spoken = written[:-1], spoken[:-1]
    while written and spoken and written[0] == spoken[0] and written[0] in _EDGE:
        written, spoken = written[1:], spoken[1:]
    return written.strip(), spoken.strip()


@lru_cache(maxsize=8)
def word_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Whole written forms, longest first, never inside a longer word or abbreviation."""
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(re.escape(t) for t in ordered)
    return re.compile(rf"(?<![\w&])(?:{alternatives})(?![\w&])")


# Why each kind of article furniture (broadcast.text.clean's kinds) is not read on air.
DROPPED_REASONS: dict[str, str] = {
    "page_number": "số trang",
    "url": "địa chỉ web đứng riêng một dòng",
    "stamp": "dấu chữ ký số",
    "distribution": "nơi nhận và phần ký văn bản",
    "header": "quốc hiệu, số hiệu và nơi ban hành văn bản",
    "rule": "dòng kẻ trang trí",
    "table": "bảng biểu không đọc được trên loa",
    "title": "tiêu đề gốc, đã thay bằng tiêu đề người dùng nhập",
    "caption": "chú thích ảnh",
    "byline": "tên tác giả, dòng nguồn tin",
    "agency": "tên viết tắt của báo, hãng tin",
    "related": "tin liên quan, lời mời chia sẻ",
    "repaired": "lỗi mã hóa chữ đã được sửa",
    "subheading": "tiêu đề phụ trong bài",
    "headline": "câu nhắc lại tiêu đề, không đọc hai lần",
}
FURNITURE_REASON = "phần trang trí của bài, không phải tin"
SPLIT_REASON = "câu dài {n} âm tiết, tách ở ranh giới mệnh đề để người nghe theo kịp"
RADIO_REASON = "viết lại cho người nghe: bỏ chú thích trong ngoặc, đường dẫn, ký hiệu"


def dropped(text: str, kind: str) -> Rewrite:
    """Something of the article the voice does not say, with why."""
    reason = DROPPED_REASONS.get(kind, FURNITURE_REASON)
    return Rewrite(RewriteKind.DROPPED, text, "", reason)
