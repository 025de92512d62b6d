"""Ingesting web pages (.html/.htm) and PDF files, each built in code under tmp_path."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from broadcast.errors import InputError
from broadcast.text.ingest import ingest, read_article

# --- HTML --------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin xã | Tin tức</title>
<style>p { color: red }</style><script>var menu = "Trang chủ";</script></head>
<body>
<header><div class="logo">Cổng thông tin điện tử xã Mường La</div></header>
<nav><ul><li><a href="/">Trang chủ</a></li><li>Giới thiệu</li></ul></nav>
<main><article>
<h1>Xã Mường La   hướng dẫn
  nộp hồ sơ trực tuyến</h1>
<p class="sapo"><strong>Ngày 27/01/2026</strong>, UBND xã ban hành kế hoạch tuyên truyền
cải cách hành chính&nbsp;năm 2026 &amp; giao Trung tâm Dịch vụ tổng hợp thực hiện.</p>
<h2>Kết quả quý I</h2>
<p>Bộ phận Một cửa tiếp nhận 1.250 hồ sơ thủ tục hành chính, trong đó 875 hồ sơ<br>
được nộp trực tuyến, đạt 70%.<br>Người dân được hướng dẫn *từng bước* tại trụ sở xã.</p>
<ul><li>Cài ứng dụng VNeID;</li><li>Đăng nhập Cổng Dịch vụ công quốc gia.</li></ul>
<ol><li>Chuẩn bị giấy tờ.</li><li>Nộp hồ sơ.</li></ol>
<p>2</p>
<p>https://dichvucong.example/p/home/dvc-trang-chu.html</p>
<!-- bình luận không đọc -->
<p>Nơi nhận:<br>- UBND huyện;<br>- Lưu: VT.</p>
</article></main>
<aside>Tin liên quan: Hội nghị tổng kết</aside>
<footer>Bản quyền thuộc UBND xã Mường La. Điện thoại 0212 3456 789</footer>
<script>track("đọc");</script>
</body></html>
"""


def write_html(tmp_path: Path, name: str = "tin.html", text: str = PAGE) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_html_keeps_the_article_and_drops_the_page_furniture(tmp_path: Path) -> None:
    article = read_article(write_html(tmp_path))
    assert article.format == "html"
    assert article.title == "Xã Mường La hướng dẫn nộp hồ sơ trực tuyến"
    body = article.body
    for furniture in ("Trang chủ", "Giới thiệu", "Cổng thông tin", "Bản quyền", "Tin liên quan"):
        assert furniture not in body
    assert "var menu" not in body and "track(" not in body and "color" not in body
    assert "bình luận" not in body


def test_html_entities_line_breaks_and_emphasis(tmp_path: Path) -> None:
    paragraphs = read_article(write_html(tmp_path)).paragraphs
    assert paragraphs[0] == (
        "Ngày 27/01/2026, UBND xã ban hành kế hoạch tuyên truyền cải cách hành chính năm 2026 "
        "& giao Trung tâm Dịch vụ tổng hợp thực hiện."
    )
    assert paragraphs[1] == "Kết quả quý I"  # an <h2> stays its own paragraph
    # A <br> inside a sentence is a hard wrap and is rejoined; after a full stop it is not.
    assert paragraphs[2] == (
        "Bộ phận Một cửa tiếp nhận 1.250 hồ sơ thủ tục hành chính, trong đó 875 hồ sơ "
        "được nộp trực tuyến, đạt 70%."
    )
    assert paragraphs[3] == "Người dân được hướng dẫn từng bước tại trụ sở xã."
    assert paragraphs[4:8] == [
        "- Cài ứng dụng VNeID;",
        "- Đăng nhập Cổng Dịch vụ công quốc gia.",
        "1. Chuẩn bị giấy tờ.",
        "2. Nộp hồ sơ.",
    ]
    assert len(paragraphs) == 8
    assert "\xa0" not in " ".join(paragraphs)


def test_html_cleaning_records_what_it_removed(tmp_path: Path) -> None:
    ingested = ingest(write_html(tmp_path, "tin.htm"))
    kinds = {item.kind: item.text for item in ingested.removed}
    assert kinds["page_number"] == "2"
    assert kinds["url"] == "https://dichvucong.example/p/home/dvc-trang-chu.html"
    assert kinds["distribution"].startswith("Nơi nhận:")
    assert ingested.encoding == "utf-8"
    assert ingested.article.format == "html"


def test_html_without_h1_finds_a_title_like_any_text(tmp_path: Path) -> None:
    page = (
        "<html><body><p>KẾ HOẠCH</p><p>Tuyên truyền cải cách hành chính năm 2026</p>"
        "<p>Xã tổ chức tuyên truyền trên loa truyền thanh mỗi tuần hai buổi.</p></body></html>"
    )
    article = read_article(write_html(tmp_path, text=page))
    assert article.title == "Kế hoạch tuyên truyền cải cách hành chính năm 2026"
    assert article.paragraphs == [
        "Xã tổ chức tuyên truyền trên loa truyền thanh mỗi tuần hai buổi."
    ]


def test_html_in_windows_1258_is_decoded(tmp_path: Path) -> None:
    page = (
        "<html><body><h1>Tin x\u00e3</h1><p>Ng\u01b0\u1eddi d\u00e2n n\u1ed9p h\u1ed3 s\u01a1.</p>"
    )
    path = tmp_path / "cu.html"
    path.write_bytes(_cp1258(page))
    ingested = ingest(path)
    assert ingested.encoding == "cp1258"
    assert ingested.article.paragraphs == ["Người dân nộp hồ sơ."]


def test_html_with_only_scripts_has_no_article(tmp_path: Path) -> None:
    page = "<html><head><script>var a = 1;</script></head><body><nav>Menu</nav></body></html>"
    with pytest.raises(InputError) as info:
        read_article(write_html(tmp_path, text=page))
    assert "rỗng" in info.value.message


def _cp1258(text: str) -> bytes:
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


# --- PDF ---------------------------------------------------------------------------------
# pypdf reads but does not lay out text, so the PDFs are written by hand: a Type0 font with
# Identity-H codes and a ToUnicode map (what Word's "Save as PDF" produces for Vietnamese),
# or the standard Helvetica with WinAnsi text.


def _pdf(objects: list[bytes]) -> bytes:
    """Assemble numbered objects (1 = catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _to_unicode(chars: list[str]) -> bytes:
    entries = b"".join(
        b"<%04X> <%s>\n" % (cid, ch.encode("utf-16-be").hex().upper().encode())
        for cid, ch in enumerate(chars, start=1)
    )
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        b"%d beginbfchar\n" % len(chars) + entries + b"endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )


def make_pdf(pages: list[list[str]], *, unicode_font: bool = True) -> bytes:
    """A PDF whose pages show ``pages`` line by line, 14 points apart."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    cid = {ch: i for i, ch in enumerate(chars, start=1)}

    def show(line: str) -> bytes:
        if unicode_font:
            return b"<" + "".join(f"{cid[ch]:04X}" for ch in line).encode() + b"> Tj"
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("cp1252") + b") Tj"

    if unicode_font:
        fonts = [
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H "
            b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial /FontDescriptor 6 0 R "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            b"/DW 500 >>",
            _stream(_to_unicode(chars)),
            b"<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [0 -200 1000 900] "
            b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
        ]
    else:
        fonts = [
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            b"<< >>",
            b"<< >>",
            b"<< >>",
        ]
    first_page = 7
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        *fonts,
    ]
    for i, page in enumerate(pages):
        content = b"BT /F1 11 Tf 14 TL 50 800 Td " + b" T* ".join(map(show, page)) + b" ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (first_page + 2 * i + 1)
        )
        objects.append(_stream(content))
    return _pdf(objects)


PDF_PAGES = [
    [
        "KẾ HOẠCH",
        "Tuyên truyền cải cách hành chính năm 2026",
        "Thực hiện Quyết định số 239/QĐ-UBND ngày 27/01/2026 của Ủy ban",
        "nhân dân tỉnh, UBND xã Mường La xây dựng kế hoạch tuyên truyền cải cách",
        "hành chính như sau:",
        "1. Tuyên truyền trên hệ thống loa truyền thanh của xã và các bản mỗi tuần hai",
        "buổi vào sáng thứ Hai và thứ Năm.",
        "1",
    ],
    [
        "2. Hướng dẫn người dân nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc",
        "gia và ứng dụng VNeID./.",
        "Nơi nhận:",
        "- UBND huyện;",
        "- Lưu: VT.",
        "2",
    ],
]


def test_pdf_text_layer_is_extracted_and_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.pdf"
    path.write_bytes(make_pdf(PDF_PAGES))
    ingested = ingest(path)
    article = ingested.article
    assert article.format == "pdf"
    assert article.title == "Kế hoạch tuyên truyền cải cách hành chính năm 2026"
    assert article.paragraphs == [
        "Thực hiện Quyết định số 239/QĐ-UBND ngày 27/01/2026 của Ủy ban nhân dân tỉnh, UBND xã "
        "Mường La xây dựng kế hoạch tuyên truyền cải cách hành chính như sau:",
        "1. Tuyên truyền trên hệ thống loa truyền thanh của xã và các bản mỗi tuần hai buổi "
        "vào sáng thứ Hai và thứ Năm.",
        "2. Hướng dẫn người dân nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia và ứng "
        "dụng VNeID./.",
    ]
    removed = {item.kind: item.text for item in ingested.removed}
    assert removed["page_number"] == "1"  # page 2's number went with the distribution list
    assert removed["distribution"].startswith("Nơi nhận:\n- UBND huyện;")
    assert unicodedata.is_normalized("NFC", article.body)


def test_pdf_with_a_standard_font(tmp_path: Path) -> None:
    page = [
        "Thong bao lich tiep cong dan thang 12",
        "UBND xa tiep cong dan vao sang thu Hai hang tuan tai tru so xa; ba con mang",
        "theo giay to tuy than.",
    ]
    path = tmp_path / "thong-bao.pdf"
    path.write_bytes(make_pdf([page], unicode_font=False))
    assert PdfReader(path).pages[0].extract_text().startswith("Thong bao")  # the file is real
    article = read_article(path)
    assert article.title == "Thong bao lich tiep cong dan thang 12"
    assert article.paragraphs == [
        "UBND xa tiep cong dan vao sang thu Hai hang tuan tai tru so xa; ba con mang theo "
        "giay to tuy than."
    ]


def _image_only_pdf() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
            _stream(
                b"\x80\x40\x40\x80",
                b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 ",
            ),
            _stream(b"q 495 0 0 742 50 50 cm /Im1 Do Q"),
        ]
    )


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_article(path)
    return info.value.message


def test_scanned_pdf_without_text_asks_for_ocr(tmp_path: Path) -> None:
    path = tmp_path / "ban-quet.pdf"
    path.write_bytes(_image_only_pdf())
    assert len(PdfReader(path).pages) == 1  # a valid PDF, just without text
    message = error_of(path)
    assert "không có lớp chữ" in message and "OCR" in message


def _encrypted(pdf: bytes, password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(password, owner_password="chu-so-huu", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mat-khau.pdf"
    path.write_bytes(_encrypted(make_pdf(PDF_PAGES), "mat-khau"))
    assert PdfReader(path).is_encrypted
    assert "có mật khẩu" in error_of(path)


def test_pdf_encrypted_with_an_empty_password_opens(tmp_path: Path) -> None:
    path = tmp_path / "chi-cam-sua.pdf"
    path.write_bytes(_encrypted(make_pdf(PDF_PAGES), ""))
    assert PdfReader(path).is_encrypted
    assert read_article(path).title == "Kế hoạch tuyên truyền cải cách hành chính năm 2026"


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n1 0 obj << /Type /Catalog", b"khong phai pdf", b"%PDF-1.7\n\x00\x01\x02"],
    ids=["truncated", "not-a-pdf", "garbage"],
)
def test_corrupt_pdf_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "hong.pdf"
    path.write_bytes(content)
    assert "không phải tệp PDF hợp lệ" in error_of(path)
