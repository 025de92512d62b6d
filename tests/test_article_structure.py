"""Issue 11, item 2: article structure.

A news web page carries more than the news: the paper's initials, photo captions, the
reporter's name, links to other stories, buttons to share. The commune's voice must say only
the news, under a headline said once. Texts are written for these tests (not from the seeds).
"""

from __future__ import annotations

from pathlib import Path

from broadcast.script.build import body_sentences, is_subheading, repeats_headline
from broadcast.text.ingest import read_article
from broadcast.text.title import shorten_title

LEAD = (
    "Sáng 15/3, Ủy ban nhân dân xã Mường Bú tổ chức hội nghị hướng dẫn người dân nộp hồ sơ "
    "trực tuyến trên Cổng dịch vụ công quốc gia."
)
SECOND = "Hơn một trăm người dân của mười hai bản đã được cán bộ xã hướng dẫn cài đặt ứng dụng."
THIRD = "Người dân được miễn lệ phí khi nộp hồ sơ khai sinh bằng hình thức trực tuyến."

PAGE = f"""Mường Bú hướng dẫn người dân nộp hồ sơ trực tuyến

(ANTĐ) - {LEAD}

Ảnh: Cán bộ xã hướng dẫn người dân tại hội nghị

Thủ tục nhanh hơn

{SECOND}

Theo Báo Sơn La

HÀ NỘI (TTXVN) - {THIRD}

Xem thêm: Xã Chiềng Sơn đẩy mạnh chuyển đổi số

Chia sẻ bài viết
"""


def _article(tmp_path: Path, text: str, name: str = "tin.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_article(path)


def test_page_furniture_is_dropped_and_news_kept(tmp_path: Path) -> None:
    article = _article(tmp_path, PAGE)
    assert article.title == "Mường Bú hướng dẫn người dân nộp hồ sơ trực tuyến"
    body = body_sentences(article)
    assert body == [LEAD, SECOND, THIRD]
    for gone in ("ANTĐ", "TTXVN", "Ảnh:", "Theo Báo", "Xem thêm", "Chia sẻ", "nhanh hơn"):
        assert gone not in article.body or gone == "nhanh hơn", gone
        assert all(gone not in s for s in body), gone


def test_removed_furniture_is_reported_by_kind(tmp_path: Path) -> None:
    article = _article(tmp_path, PAGE)
    removed = " ".join(article.removed)
    for piece in ("(ANTĐ) -", "Ảnh: Cán bộ xã", "Theo Báo Sơn La", "Xem thêm", "Chia sẻ"):
        assert piece in removed, piece


def test_prose_starting_with_theo_is_kept(tmp_path: Path) -> None:
    text = (
        "Tin xã Mường Bú\n\nTheo quy định mới, người dân được miễn lệ phí khi nộp hồ sơ "
        "trực tuyến.\n\nCán bộ xã sẽ hướng dẫn tận nơi cho người cao tuổi ở các bản.\n"
    )
    assert body_sentences(_article(tmp_path, text))[0].startswith("Theo quy định mới")


def test_headline_is_not_read_again_as_first_sentence(tmp_path: Path) -> None:
    title = "Xã Mường Bú triển khai dịch vụ công trực tuyến toàn trình"
    text = (
        f"{title}\n\nXã Mường Bú triển khai dịch vụ công trực tuyến toàn trình.\n\n"
        f"{SECOND}\n\n{THIRD}\n"
    )
    article = _article(tmp_path, text)
    assert article.title == title
    assert body_sentences(article) == [SECOND, THIRD]


def test_near_duplicate_detection() -> None:
    title = "Xã Mường Bú triển khai dịch vụ công trực tuyến toàn trình"
    assert repeats_headline(
        "Sáng 2/3, xã Mường Bú triển khai dịch vụ công trực tuyến toàn trình.", title
    )
    assert not repeats_headline(SECOND, title)
    # A lead much longer than the headline adds facts: it stays.
    assert not repeats_headline(LEAD + " " + SECOND, "Mường Bú hướng dẫn nộp hồ sơ trực tuyến")


def test_long_title_shortened_at_phrase_boundary_without_ellipsis() -> None:
    first = (
        "Ủy ban nhân dân xã Mường Bú tổ chức hội nghị tuyên truyền cải cách hành chính "
        "với sự tham gia của đông đảo bà con các bản vùng cao."
    )
    title = shorten_title(first)
    assert "…" not in title
    assert title == "Ủy ban nhân dân xã Mường Bú tổ chức hội nghị tuyên truyền cải cách hành chính"


def test_title_never_cut_inside_quotes() -> None:
    first = (
        "Người dân chọn mục “Đăng ký khai sinh, khai tử trực tuyến của tỉnh Sơn La năm nay” "
        "để nộp hồ sơ."
    )
    title = shorten_title(first)
    assert title.count("“") == title.count("”")
    assert "…" not in title


def test_title_from_first_sentence_without_heading(tmp_path: Path) -> None:
    text = (
        "Sáng nay các bản của xã Mường Bú đồng loạt ra quân dọn vệ sinh đường làng trong khi "
        "cán bộ xã đến từng nhà hướng dẫn nộp hồ sơ. Buổi ra quân kết thúc lúc mười một giờ."
    )
    title = _article(tmp_path, text).title
    assert "…" not in title
    assert title == "Sáng nay các bản của xã Mường Bú đồng loạt ra quân dọn vệ sinh đường làng"


def test_subheading_rule() -> None:
    assert is_subheading("Thủ tục nhanh hơn")
    assert not is_subheading("Thủ tục nhanh hơn.")
    assert not is_subheading("- Tuyên truyền trên hệ thống loa")


def test_html_h1_is_the_title(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Báo Sơn La - Tin tức</title></head><body>"
        "<h1>Mường Bú hướng dẫn người dân nộp hồ sơ trực tuyến</h1>"
        f"<p>{LEAD}</p><p>{SECOND}</p></body></html>"
    )
    article = _article(tmp_path, html, "tin.html")
    assert article.title == "Mường Bú hướng dẫn người dân nộp hồ sơ trực tuyến"
    assert body_sentences(article)[0] == LEAD
