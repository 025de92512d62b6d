"""Which CCHC area an article is about, guessed from weighted keywords and editable.

The reports a commune sends every quarter count broadcasts per reform area, so each script
carries one. Articles rarely name their area, but its vocabulary gives it away ("dịch vụ
công trực tuyến" is digital government, "biên chế" is the organisation of the apparatus).
Matching is done on folded text (no diacritics, lowercase) so a word typed without tones
still counts; the user can always override the guess with ``--topic``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from broadcast.errors import InputError
from broadcast.script.model import TOPIC_LABELS, Topic
from broadcast.text.markers import fold

# Phrase -> weight. Longer, more specific phrases weigh more than generic ones.
KEYWORDS: Mapping[Topic, Mapping[str, float]] = {
    Topic.INSTITUTIONS: {
        "the che": 3,
        "van ban quy pham phap luat": 3,
        "quy pham phap luat": 2,
        "xay dung phap luat": 2,
        "ra soat van ban": 2,
        "he thong hoa van ban": 2,
        "tham dinh": 1,
        "ban hanh van ban": 1,
        "thi hanh phap luat": 1.5,
        "pho bien giao duc phap luat": 1.5,
        "chinh sach phap luat": 0.5,
    },
    Topic.PROCEDURES: {
        "thu tuc hanh chinh": 2,
        "tthc": 2,
        "mot cua": 2,
        "mot cua lien thong": 2,
        "ho so": 1,
        "giai quyet ho so": 1.5,
        "dung han": 1,
        "tre han": 1.5,
        "tiep nhan": 0.5,
        "tra ket qua": 1,
        "don gian hoa": 2,
        "cat giam": 1,
        "phan anh kien nghi": 1.5,
        "niem yet cong khai": 1.5,
        "sipas": 1,
    },
    Topic.ORGANISATION: {
        "to chuc bo may": 3,
        "bo may": 2,
        "sap xep": 1.5,
        "sap nhap": 2,
        "tinh gon": 2,
        "chuc nang nhiem vu": 1.5,
        "co cau to chuc": 2,
        "don vi hanh chinh": 1.5,
        "chinh quyen dia phuong hai cap": 2,
        "hai cap": 1,
        "phan cap": 1.5,
        "phan quyen": 1.5,
        "uy quyen": 1,
        "tinh gian bien che": 2,
    },
    Topic.CIVIL_SERVICE: {
        "cong vu": 2,
        "che do cong vu": 3,
        "cong chuc": 1,
        "vien chuc": 1,
        "can bo cong chuc vien chuc": 1,
        "cbccvc": 1,
        "ky luat ky cuong": 2,
        "dao duc cong vu": 2,
        "vi tri viec lam": 2,
        "bien che": 1.5,
        "tuyen dung": 1.5,
        "danh gia xep loai": 1.5,
        "boi duong": 1,
        "dao tao": 0.5,
        "van hoa cong so": 2,
        "thai do phuc vu": 1,
    },
    Topic.PUBLIC_FINANCE: {
        "tai chinh cong": 3,
        "ngan sach": 2,
        "tu chu tai chinh": 3,
        "tu chu": 1,
        "chi tieu": 1,
        "thu chi": 1.5,
        "du toan": 1.5,
        "quyet toan": 1.5,
        "tiet kiem": 1,
        "dau tu cong": 2,
        "thue": 1,
        "phi le phi": 1.5,
        "tai san cong": 2,
        "khoan chi": 1.5,
    },
    Topic.DIGITAL_GOVERNMENT: {
        "chinh quyen dien tu": 3,
        "chinh quyen so": 3,
        "chuyen doi so": 3,
        "dich vu cong truc tuyen": 3,
        "dich vu cong": 1.5,
        "truc tuyen": 1.5,
        "toan trinh": 1.5,
        "cong dich vu cong": 2,
        "vneid": 2,
        "dinh danh dien tu": 2,
        "thanh toan truc tuyen": 2,
        "ung dung": 1,
        "cong nghe thong tin": 1.5,
        "cong nghe so": 1.5,
        "so hoa": 2,
        "du lieu": 1,
        "ca nhan hoa": 1,
        "ho so dien tu": 1.5,
        "chu ky so": 2,
        "zalo": 0.5,
    },
}


@dataclass(frozen=True)
class TopicGuess:
    """The chosen area and every area's score, so an editor sees how close the call was."""

    topic: Topic
    scores: Mapping[Topic, float]
    edited: bool = False


def _count(phrase: str, folded: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded))


def topic_scores(text: str) -> dict[Topic, float]:
    """Weighted keyword counts per area, normalised by length so long texts do not dominate."""
    folded = fold(text)
    size = max(1, len(folded.split())) / 100
    return {
        topic: round(sum(w * _count(p, folded) for p, w in table.items()) / size, 3)
        for topic, table in KEYWORDS.items()
    }


def guess_topic(text: str) -> TopicGuess:
    """The best scoring area; ties and keyword-free texts fall back to procedures (TTHC),
    the area most commune broadcasts are about."""
    scores = topic_scores(text)
    order = list(Topic)
    best = max(order, key=lambda t: (scores[t], t is Topic.PROCEDURES, -order.index(t)))
    return TopicGuess(topic=best, scores=scores)


def parse_topic(value: str) -> Topic:
    """A topic from a user: its key ("chinh-quyen-so") or its name, with or without tones."""
    wanted = fold(value).strip().replace("_", "-")
    for topic in Topic:
        names = {topic.value, fold(topic.label), fold(topic.label).removeprefix("cai cach ")}
        names |= {n.replace(" ", "-") for n in names}
        if wanted in names or wanted.replace(" ", "-") in names:
            return topic
    valid = ", ".join(f"{t.value} ({t.label})" for t in Topic)
    raise InputError(f"Lĩnh vực '{value}' không có; chọn một trong: {valid}.")


__all__ = ["KEYWORDS", "TOPIC_LABELS", "TopicGuess", "guess_topic", "parse_topic", "topic_scores"]
