"""Ingestion: formats, encodings, errors and cleaning, on synthetic files and the real seeds."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from broadcast.errors import InputError
from broadcast.text.clean import clean_text
from broadcast.text.ingest import MAX_TEXT_BYTES, read_article
from broadcast.text.model import Article

ARTICLE = (
    "Xã Mường La tổ chức hội nghị tuyên truyền cải cách hành chính.\n\n"
    "Người dân được hướng dẫn nộp hồ sơ trực tuyến trên Cổng dịch vụ công quốc gia."
)
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def to_cp1258(text: str) -> bytes:
    """Encode as Windows Vietnamese: base letters precomposed, tone marks as combining bytes."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def error_of(path: Path, **kwargs: str) -> str:
    with pytest.raises(InputError) as info:
        read_article(path, **kwargs)
    return info.value.message


# --- formats and encodings -----------------------------------------------------------------


def test_utf8_txt_gives_paragraphs_title_and_hash(tmp_path: Path) -> None:
    raw = ARTICLE.encode("utf-8")
    article = read_article(write(tmp_path, "tin.txt", raw))
    assert isinstance(article, Article)
    assert article.format == "txt"
    assert article.paragraphs == ARTICLE.split("\n\n")
    assert article.sha256 == hashlib.sha256(raw).hexdigest()
    assert article.source == (tmp_path / "tin.txt").resolve()
    assert article.title.startswith("Xã Mường La tổ chức hội nghị")


def test_utf8_with_bom_drops_the_bom(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode()))
    assert article.body.startswith("Xã Mường La")
    assert "\ufeff" not in article.body + article.title


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    raw = ARTICLE.encode(encoding)
    if encoding != "utf-16":  # the explicit-endian codecs write no BOM; add the right one
        raw = "\ufeff".encode(encoding) + raw
    article = read_article(write(tmp_path, "u16.txt", raw))
    assert article.paragraphs == ARTICLE.split("\n\n")


def test_cp1258_fallback_decodes_vietnamese(tmp_path: Path) -> None:
    raw = to_cp1258(ARTICLE)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    article = read_article(write(tmp_path, "cu.txt", raw))
    assert article.paragraphs == ARTICLE.split("\n\n")
    assert unicodedata.is_normalized("NFC", article.body)


def test_nfd_input_is_normalised_to_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", ARTICLE)
    assert nfd != ARTICLE
    article = read_article(write(tmp_path, "nfd.txt", nfd))
    assert article.body == ARTICLE
    assert unicodedata.is_normalized("NFC", article.title)


def test_markdown_heading_becomes_title_and_emphasis_is_stripped(tmp_path: Path) -> None:
    text = (
        "# Hướng dẫn **nộp hồ sơ** trực tuyến\n\n"
        "Bà con *cần* chuẩn bị __căn cước công dân__ và _số điện thoại_.\n\n"
        "## Các bước\n\n"
        "* Bước một: truy cập [Cổng dịch vụ công](https://dichvucong.example).\n"
        "* Bước hai: đăng nhập.\n"
    )
    article = read_article(write(tmp_path, "hd.md", text))
    assert article.format == "md"
    assert article.title == "Hướng dẫn nộp hồ sơ trực tuyến"
    assert article.paragraphs == [
        "Bà con cần chuẩn bị căn cước công dân và số điện thoại.",
        "Các bước",
        "- Bước một: truy cập Cổng dịch vụ công.",
        "- Bước hai: đăng nhập.",
    ]


def test_markdown_extension_is_accepted(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "x.markdown", "Tiêu đề\n=======\n\n" + ARTICLE))
    assert article.format == "md"
    assert article.title == "Tiêu đề"
    assert "=" not in article.body


def make_docx(path: Path, *, title_style: str = "Title") -> Path:
    document = docx.Document()
    document.add_paragraph("Tuyên truyền dịch vụ công trực tuyến", style=title_style)
    document.add_paragraph("Người dân được hướng dẫn nộp hồ sơ trực tuyến.")
    document.add_heading("Lợi ích", level=2)
    document.add_paragraph("Tiết kiệm thời gian và chi phí đi lại cho bà con.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Tháng"
    table.cell(0, 1).text = "Đơn vị"
    table.cell(1, 0).text = "8"
    table.cell(1, 1).text = "Phòng Văn hóa"
    document.add_paragraph("2")  # a page number typed into the document
    document.save(str(path))
    return path


@pytest.mark.parametrize("style", ["Title", "Heading 1"])
def test_docx_title_style_gives_title(tmp_path: Path, style: str) -> None:
    article = read_article(make_docx(tmp_path / "bai.docx", title_style=style))
    assert article.format == "docx"
    assert article.title == "Tuyên truyền dịch vụ công trực tuyến"
    assert article.paragraphs == [
        "Người dân được hướng dẫn nộp hồ sơ trực tuyến.",
        "Lợi ích",
        "Tiết kiệm thời gian và chi phí đi lại cho bà con.",
    ]
    assert "Tháng | Đơn vị\n8 | Phòng Văn hóa" in article.removed
    assert "2" in article.removed


def test_explicit_title_wins_and_detected_title_is_kept_in_removed(tmp_path: Path) -> None:
    path = write(tmp_path, "kh.txt", "KẾ HOẠCH\nTuyên truyền năm 2026\n\n" + ARTICLE)
    article = read_article(path, title="  Bản tin   cải cách  ")
    assert article.title == "Bản tin cải cách"
    assert "Kế hoạch tuyên truyền năm 2026" in article.removed
    assert article.paragraphs[0].startswith("Xã Mường La")


def test_title_from_document_type_and_subject(tmp_path: Path) -> None:
    article = read_article(
        write(tmp_path, "kh.txt", "KẾ HOẠCH\nTuyên truyền năm 2026\n\n" + ARTICLE)
    )
    assert article.title == "Kế hoạch tuyên truyền năm 2026"
    assert "KẾ HOẠCH" not in article.body


def test_all_caps_title_is_sentence_cased(tmp_path: Path) -> None:
    text = "THÔNG BÁO LỊCH TIẾP DÂN\n\n" + ARTICLE
    assert read_article(write(tmp_path, "tb.txt", text)).title == "Thông báo lịch tiếp dân"


def test_title_falls_back_to_cut_first_sentence(tmp_path: Path) -> None:
    text = (
        "Sáng nay tại hội trường xã Mường La đã diễn ra hội nghị tuyên truyền về cải cách "
        "hành chính với sự tham gia của đông đảo bà con. Hội nghị kết thúc lúc 11 giờ."
    )
    title = read_article(write(tmp_path, "t.txt", text)).title
    # Issue 11: cut at a phrase boundary, never mid-phrase with "…" (the old expectation).
    assert title == "Sáng nay tại hội trường xã Mường La đã diễn ra hội nghị tuyên truyền"


def test_office_header_lines_are_moved_to_removed(tmp_path: Path) -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nXÃ MƯỜNG LA\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 12/KH-UBND\nMường La, ngày 27 tháng 01 năm 2026\n"
        "KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2026\n" + ARTICLE
    )
    article = read_article(write(tmp_path, "h.txt", text))
    assert article.title == "Kế hoạch tuyên truyền cải cách hành chính năm 2026"
    for line in ("ỦY BAN NHÂN DÂN", "XÃ MƯỜNG LA", "Số: 12/KH-UBND", "Độc lập - Tự do - Hạnh phúc"):
        assert line in article.removed
        assert line not in article.body
    assert article.paragraphs == ARTICLE.split("\n\n")


# --- errors --------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    message = error_of(tmp_path / "khong-co.txt")
    assert "Không tìm thấy tệp" in message and "khong-co.txt" in message


def test_missing_file_is_reported_before_its_extension(tmp_path: Path) -> None:
    assert "Không tìm thấy tệp" in error_of(tmp_path / "anh.png")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "bai.txt"
    folder.mkdir()
    assert "là một thư mục" in error_of(folder)


def test_unsupported_extension_lists_supported_ones(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "bai.odt", b"PK\x03\x04\x00\x01"))
    assert "loại '.odt' mà công cụ không hỗ trợ" in message
    for ext in (".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".pdf"):
        assert ext in message


def test_empty_file(tmp_path: Path) -> None:
    assert "rỗng, không có chữ nào" in error_of(write(tmp_path, "rong.txt", b""))


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "rỗng, không có chữ nào" in error_of(write(tmp_path, "trang.md", " \n\t\r\n  \n"))


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert "không phải văn bản" in error_of(write(tmp_path, "anh.txt", raw))


def test_binary_file_with_many_control_characters(tmp_path: Path) -> None:
    raw = b"ab\x01\x02\x03\x04cd\x05\x06\x07\x08" * 50
    assert "không phải văn bản" in error_of(write(tmp_path, "x.txt", raw))


@pytest.mark.parametrize(
    "content",
    [b"day khong phai la tep word", b"PK\x03\x04 hong"],
    ids=["not-a-zip", "broken-zip"],
)
def test_invalid_docx(tmp_path: Path, content: bytes) -> None:
    message = error_of(write(tmp_path, "bai.docx", content))
    assert "không phải tài liệu Word .docx hợp lệ" in message


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "bai.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    assert "không phải tài liệu Word .docx hợp lệ" in error_of(path)


def test_file_over_five_megabytes(tmp_path: Path) -> None:
    line = "Người dân được hướng dẫn nộp hồ sơ trực tuyến.\n"
    text = line * (MAX_TEXT_BYTES // len(line.encode()) + 10)
    message = error_of(write(tmp_path, "lon.txt", text))
    assert "quá lớn" in message and "tối đa 5 MB" in message


def test_file_with_nothing_left_after_cleaning(tmp_path: Path) -> None:
    text = "1\n\n2\n\nhttps://example.com/a\n\n3\n"
    assert "không còn nội dung bài viết" in error_of(write(tmp_path, "so.txt", text))


def test_blank_explicit_title(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", ARTICLE)
    assert "Tiêu đề đang để trống" in error_of(path, title="   ")


def test_every_error_sentence_is_distinct(tmp_path: Path) -> None:
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    cases = [
        tmp_path / "khong-co.txt",
        folder,
        write(tmp_path, "a.odt", "x"),
        write(tmp_path, "rong.txt", b""),
        write(tmp_path, "nhi-phan.txt", b"\x00\x01\x02"),
        write(tmp_path, "hong.docx", b"khong phai zip"),
        write(tmp_path, "so.txt", "12\n"),
    ]
    messages = {error_of(p).replace(str(p), "<tệp>") for p in cases}
    assert len(messages) == len(cases)
    assert all(m.endswith(".") and m.count(": ") >= 1 for m in messages)


# --- cleaning on the real seeds ------------------------------------------------------------

SeedFinder = Callable[[str], Path]


def test_seed_000_hard_wraps_are_rejoined(seed: SeedFinder) -> None:
    article = read_article(seed("000"))
    first = [p for p in article.paragraphs if "Quyết định số 239/QĐ-UBND ngày 27/01/2026" in p]
    assert len(first) == 1
    assert "tỉnh Sơn La năm 2026, UBND xã Mường La xây dựng kế hoạch như sau:" in first[0]
    assert "I. MỤC ĐÍCH, YÊU CẦU" in article.paragraphs
    assert "1. Mục đích" in article.paragraphs
    assert "2. Yêu cầu" in article.paragraphs
    # A wrapped line that starts with a year is not a numbered heading.
    assert any(
        "trên địa bàn tỉnh, xã năm 2026. Vai trò, trách nhiệm" in p for p in article.paragraphs
    )


def test_seed_000_ending_and_distribution_list(seed: SeedFinder) -> None:
    article = read_article(seed("000"))
    assert article.paragraphs[-1].endswith("của UBND xã Mường La./.")
    assert "Nơi nhận" not in article.body
    assert "Bùi Việt Cường" not in article.body
    tail = [r for r in article.removed if r.startswith("Nơi nhận:")]
    assert len(tail) == 1 and "- Sở Nội vụ;" in tail[0] and "Bùi Việt Cường" in tail[0]


def test_seed_001_signature_stamps_and_glued_page_number(seed: SeedFinder) -> None:
    article = read_article(seed("001"))
    assert "CHỨNG THỰC SỐ" not in article.body
    assert "2025-08-06T11" not in article.body
    assert "đã ký lên văn bản này" not in article.body
    stamps = [r for r in article.removed if "đã ký lên văn bản này!" in r]
    assert len(stamps) == 4
    assert all("CỤC CHỨNG THỰC SỐ" in s and re.search(r"2025-08-06T\d\d:", s) for s in stamps)
    # "... viên chức 4" + "trong thực hiện": the page number 4 is cut, the sentence rejoined.
    assert "viên chức trong thực hiện công vụ" in article.body
    assert "viên chức 4" not in article.body
    assert "4" in article.removed
    assert "TM. UỶ BAN NHÂN DÂN" not in article.body


def test_seed_001_decomposed_tones_become_nfc(seed: SeedFinder) -> None:
    raw = seed("001").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw)
    article = read_article(seed("001"))
    assert unicodedata.is_normalized("NFC", article.body)
    assert "Quyết định số 1783/QĐ-UBND ngày 14 tháng 7 năm 2025" in article.body
    assert (
        article.title
        == "Kế hoạch tuyên truyền Cải cách hành chính nhà nước phường Thảo Nguyên năm 2025"
    )


def test_seed_003_page_number_and_urls(seed: SeedFinder) -> None:
    article = read_article(seed("003"))
    assert "5" in article.removed
    assert not any(re.fullmatch(r"\d+", p) for p in article.paragraphs)
    assert "http" not in article.body and "thuvienphapluat" not in article.body
    urls = [r for r in article.removed if r.startswith("https://thuvienphapluat.vn/")]
    assert len(urls) == 5
    # The links sat between two wrapped lines of one sentence.
    assert "trách nhiệm của cán bộ, công chức, viên chức trong thực hiện công vụ" in article.body
    assert "thực hiện tốt công tác CCHC. - Tham mưu" not in article.body
    assert any(p.startswith("- Tham mưu cho UBND xã tổ chức tọa đàm") for p in article.paragraphs)
    assert article.title == "Kế hoạch tuyên truyền công tác cải cách hành chính năm 2023"


def test_seed_004_markdown_emphasis_and_header(seed: SeedFinder) -> None:
    article = read_article(seed("004"))
    assert "*" not in article.body
    assert "- Về cải cách thể chế: Triển khai công tác" in article.body
    assert "(tối thiểu 03 cuộc đối thoại)" in article.body
    assert "Số: /KH-UBND" in article.removed
    assert "Năm Dẩn, ngày tháng 01 năm 2026" in article.removed
    assert article.title == "Kế hoạch tuyên truyền Cải cách hành chính năm 2026"
    # One wrapped line in an otherwise unwrapped file: "... của xã; bảo" + "đảm thông tin".
    assert (
        "gắn chặt với nhiệm vụ phát triển kinh tế – xã hội của xã; bảo đảm thông tin"
        in article.body
    )


def test_seed_002_ocr_text_is_cleaned_too(seed: SeedFinder) -> None:
    article = read_article(seed("002"))
    assert article.title == "Tuyén truyén cdng tac cai cach hanh chinh nim 2026"
    assert "Noi nhén" not in article.body and "Tran Binh Minh" not in article.body
    # A link broken after "-" at the end of a line is glued back without a space.
    assert "http://sonla.gov.vn/4/467/64741/Thu-tuc-hanh-chinh/" in article.body


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_every_seed_gives_clean_paragraphs(seed: SeedFinder, number: str) -> None:
    article = read_article(seed(number))
    assert article.title.strip() and "\n" not in article.title
    assert unicodedata.is_normalized("NFC", article.body)
    assert article.body.count("\n\n") == len(article.paragraphs) - 1
    for paragraph in article.paragraphs:
        assert "\n" not in paragraph and "  " not in paragraph and "\t" not in paragraph
        assert paragraph == paragraph.strip()
    assert not re.search(r"n[oơ]i nh[aậé]n\s*:", article.body, re.IGNORECASE)
    assert len(article.paragraphs) > 30
    assert article.removed


# --- cleaning rules in isolation -----------------------------------------------------------


def texts(text: str, **kwargs: bool) -> list[str]:
    return [p.text for p in clean_text(text, **kwargs).paragraphs]


def test_blank_line_separated_paragraphs_stay_apart() -> None:
    text = (
        "Hội nghị tuyên truyền cải cách hành chính năm 2026\n\n"
        "Sáng nay, xã tổ chức hội nghị.\n\n"
        "Bà con đến rất đông\n\n"
        "Cán bộ hướng dẫn từng bước."
    )
    assert texts(text) == text.split("\n\n")


def test_wrapped_dash_is_not_a_list_item() -> None:
    text = (
        "Tuyên truyền tác động của cải cách hành chính đến phát triển kinh tế\n"
        "- xã hội của địa phương trong năm tới.\n"
        "- Phổ biến các thủ tục mới."
    )
    assert texts(text) == [
        "Tuyên truyền tác động của cải cách hành chính đến phát triển kinh tế "
        "- xã hội của địa phương trong năm tới.",
        "- Phổ biến các thủ tục mới.",
    ]


def test_counter_word_numbers_are_not_page_numbers() -> None:
    text = "Dịch vụ công trực tuyến mức độ 4\ntrên toàn tỉnh."
    result = clean_text(text)
    assert [p.text for p in result.paragraphs] == [
        "Dịch vụ công trực tuyến mức độ 4 trên toàn tỉnh."
    ]
    assert result.removed == []
