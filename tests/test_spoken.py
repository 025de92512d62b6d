"""The spoken form: numbers read right, and nothing left for the voice to guess."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcast.errors import InputError
from broadcast.script.glossary import Glossary, load_glossary
from broadcast.script.numbers import read_decimal, read_digits, read_number
from broadcast.script.spoken import decode_text, spoken_lines, to_spoken

Y2018 = "hai nghìn không trăm mười tám"
Y2021 = "hai nghìn không trăm hai mươi mốt"
Y2023 = "hai nghìn không trăm hai mươi ba"
Y2025 = "hai nghìn không trăm hai mươi lăm"
Y2026 = "hai nghìn không trăm hai mươi sáu"
Y2030 = "hai nghìn không trăm ba mươi"

NUMBERS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (9, "chín"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (19, "mười chín"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (30, "ba mươi"),
    (44, "bốn mươi tư"),
    (55, "năm mươi lăm"),
    (71, "bảy mươi mốt"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (114, "một trăm mười bốn"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (239, "hai trăm ba mươi chín"),
    (500, "năm trăm"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1005, "một nghìn không trăm linh năm"),
    (1010, "một nghìn không trăm mười"),
    (1015, "một nghìn không trăm mười lăm"),
    (1100, "một nghìn một trăm"),
    (1783, "một nghìn bảy trăm tám mươi ba"),
    (2000, "hai nghìn"),
    (2021, Y2021),
    (2026, Y2026),
    (10000, "mười nghìn"),
    (15000, "mười lăm nghìn"),
    (21000, "hai mươi mốt nghìn"),
    (100000, "một trăm nghìn"),
    (105000, "một trăm linh năm nghìn"),
    (1000000, "một triệu"),
    (1000005, "một triệu không trăm linh năm"),
    (1005000, "một triệu không trăm linh năm nghìn"),
    (1234567, "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"),
    (2500000, "hai triệu năm trăm nghìn"),
    (1000000000, "một tỷ"),
    (1000000005, "một tỷ không trăm linh năm"),
    (1200000000, "một tỷ hai trăm triệu"),
    (10**12, "một nghìn tỷ"),
    (1001 * 10**9, "một nghìn không trăm linh một tỷ"),
    (10**18, "một tỷ tỷ"),
    (-5, "âm năm"),
]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


@pytest.fixture(scope="module")
def say(glossary: Glossary) -> Callable[[str], str]:
    return lambda text: to_spoken(text, glossary)


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "words"), NUMBERS)
def test_read_number(n: int, words: str) -> None:
    assert read_number(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (105, "một trăm lẻ năm"),
        (1000, "một ngàn"),
        (2026, "hai ngàn không trăm hai mươi sáu"),
        (1000005, "một triệu không trăm lẻ năm"),
        (21, "hai mươi mốt"),
    ],
)
def test_read_number_southern(n: int, words: str) -> None:
    assert read_number(n, southern=True) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("3,5", "ba phẩy năm"),
        ("1,2", "một phẩy hai"),
        ("98,5", "chín mươi tám phẩy năm"),
        ("3,05", "ba phẩy không năm"),
        ("0,25", "không phẩy hai mươi lăm"),
        ("1.234,5", "một nghìn hai trăm ba mươi tư phẩy năm"),
    ],
)
def test_read_decimal(text: str, words: str) -> None:
    assert read_decimal(text) == words


def test_read_decimal_rejects_non_decimals() -> None:
    with pytest.raises(ValueError):
        read_decimal("35")


def test_read_digits() -> None:
    assert read_digits("0243") == "không hai bốn ba"
    assert read_digits("7738668") == "bảy bảy ba tám sáu sáu tám"


# --- spoken form, one category at a time -----------------------------------------------------

CASES = {
    "glossary": [
        ("UBND xã Mường La xây dựng kế hoạch như sau:",
         "Ủy ban nhân dân xã Mường La xây dựng kế hoạch như sau:"),
        ("Chủ tịch, các PCT UBND xã;", "Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân xã;"),
        ("Thường trực HĐND xã;", "Thường trực Hội đồng nhân dân xã;"),
        ("Ủy ban MTTQ Việt Nam xã;", "Ủy ban Mặt trận Tổ quốc Việt Nam xã;"),
        ("UBMTTQ Việt Nam xã;", "Ủy ban Mặt trận Tổ quốc Việt Nam xã;"),
        ("TTĐU, HĐND phường;", "Thường trực Đảng ủy, Hội đồng nhân dân phường;"),
        ("Lưu: VT, VHXH.", "Lưu: Văn thư, Văn hóa Xã hội."),
        ("toàn thể CBCCVC và Nhân dân", "toàn thể cán bộ, công chức, viên chức và Nhân dân"),
        ("nguồn NSNN theo phân cấp", "nguồn ngân sách nhà nước theo phân cấp"),
        ("nhiệm vụ KT-XH", "nhiệm vụ kinh tế xã hội"),
        ("các chỉ số như PAR INDEX, PAPI",
         "các chỉ số như Chỉ số cải cách hành chính, "
         "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh"),
        ("ứng dụng VNeID", "ứng dụng vi en ai đi"),
        ("HTX, THCS, THPT, BHXH, BHYT",
         "hợp tác xã, trung học cơ sở, trung học phổ thông, bảo hiểm xã hội, bảo hiểm y tế"),
        ("Lãnh đạo, CV VP;", "Lãnh đạo, chuyên viên Văn phòng;"),
        ("BQL 12 bản;", "Ban quản lý mười hai bản;"),
    ],
    "definitions in brackets": [
        ("về công tác cải cách hành chính (CCHC). Nâng cao",
         "về công tác cải cách hành chính. Nâng cao"),
        ("giải quyết thủ tục hành chính (TTHC); xây dựng",
         "giải quyết thủ tục hành chính; xây dựng"),
        ("trí tuệ nhân tạo (AI), trợ lý ảo", "trí tuệ nhân tạo, trợ lý ảo"),
        ("Ủy ban nhân dân (UBND) xã Năm Dẩn", "Ủy ban nhân dân xã Năm Dẩn"),
        ("Chỉ số CCHC (PAR INDEX); Chỉ số Chuyển đổi số (DTI)…",
         "Chỉ số cải cách hành chính; Chỉ số Chuyển đổi số…"),
        ("Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI);",
         "Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh;"),
        ("Chỉ số hài lòng của cá nhân, tổ chức đối với sự phục vụ của các cơ quan hành chính "
         "nhà nước (SIPAS);",
         "Chỉ số hài lòng của cá nhân, tổ chức đối với sự phục vụ của các cơ quan hành chính "
         "nhà nước;"),
        ("Zalo Official Account (OA), Facebook", "da lô Official Account, phây búc"),
        ("hành chính (sau đây viết tắt là CCHC) năm 2023 như sau:",
         f"hành chính năm {Y2023} như sau:"),
        ("đề nghị của xã (UBND)", "đề nghị của xã (Ủy ban nhân dân)"),
    ],
    "document codes": [
        ("Quyết định số 239/QĐ-UBND",
         "Quyết định số hai trăm ba mươi chín, quyết định, Ủy ban nhân dân"),
        ("Nghị định số 61/2018/NĐ-CP",
         f"Nghị định số sáu mươi mốt năm {Y2018}, nghị định, Chính phủ"),
        ("Nghị quyết 57-NQ/TW", "Nghị quyết năm mươi bảy, nghị quyết, Trung ương"),
        ("Kế hoạch hành động số 333-KH/TU",
         "Kế hoạch hành động số ba trăm ba mươi ba, kế hoạch, Tỉnh ủy"),
        ("Quyết định số 468/QĐ-TTg",
         "Quyết định số bốn trăm sáu mươi tám, quyết định, Thủ tướng Chính phủ"),
        ("Quyết định số 06/QĐ-TTg", "Quyết định số sáu, quyết định, Thủ tướng Chính phủ"),
        ("Nghị quyết số 71/NQ-CP", "Nghị quyết số bảy mươi mốt, nghị quyết, Chính phủ"),
        ("Số: /KH-UBND", "Số: kế hoạch, Ủy ban nhân dân"),
    ],
    "dates": [
        ("ngày 27/01/2026",
         f"ngày hai mươi bảy tháng một năm {Y2026}"),
        ("27/01/2026", f"ngày hai mươi bảy tháng một năm {Y2026}"),
        ("Ngày 01/4/2025 của Chính phủ", f"Ngày một tháng tư năm {Y2025} của Chính phủ"),
        ("chậm nhất ngày 05/02/2026)", f"chậm nhất ngày năm tháng hai năm {Y2026})"),
        ("ngày 22/12/2024",
         "ngày hai mươi hai tháng mười hai năm hai nghìn không trăm hai mươi tư"),
        ("trước ngày 15/3/2023.", f"trước ngày mười lăm tháng ba năm {Y2023}."),
        ("trước ngày 15/3.", "trước ngày mười lăm tháng ba."),
        ("ngày 14 tháng 7 năm 2025", f"ngày mười bốn tháng bảy năm {Y2025}"),
        ("tháng 7/2025", f"tháng bảy năm {Y2025}"),
        ("Tháng 4 hằng năm", "Tháng tư hằng năm"),
        ("ngày tháng 01 năm 2026", f"ngày tháng một năm {Y2026}"),
        ("Viết tin Tháng 9,12 về công tác", "Viết tin Tháng chín, tháng mười hai về công tác"),
        ("thời gian hoàn thành quý II/2023", f"thời gian hoàn thành quý hai năm {Y2023}"),
        ("2025-08-06T11:06:12+0700",
         f"ngày sáu tháng tám năm {Y2025}, lúc mười một giờ sáu phút mười hai giây"),
    ],
    "year ranges": [
        ("giai đoạn 2021-2030", f"giai đoạn {Y2021} đến {Y2030}"),
        ("giai đoạn 2021–2030 của Chính phủ", f"giai đoạn {Y2021} đến {Y2030} của Chính phủ"),
        ("giai đoạn 2021 - 2025;", f"giai đoạn {Y2021} đến {Y2025};"),
        ("giai đoạn 2022 - \n2025, tầm nhìn",
         f"giai đoạn hai nghìn không trăm hai mươi hai đến {Y2025}, tầm nhìn"),
    ],
    "roman numerals": [
        ("I. MỤC ĐÍCH, YÊU CẦU", "một. mục đích, yêu cầu"),
        ("II. NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN", "hai. nội dung, hình thức tuyên truyền"),
        ("IV. TỔ CHỨC THỰC HIỆN", "bốn. tổ chức thực hiện"),
        ("Trong quý I, quý IV", "Trong quý một, quý bốn"),
        ("Quốc hội khóa XV", "Quốc hội khóa mười lăm"),
        ("Chương III", "Chương ba"),
        ("Đại hội lần thứ XIII", "Đại hội lần thứ mười ba"),
    ],
    "ordinals": [
        ("từ thứ 2 đến thứ 6 hằng tuần", "từ thứ hai đến thứ sáu hằng tuần"),
        ("lần thứ 1", "lần thứ nhất"),
        ("lần thứ 4", "lần thứ tư"),
        ("lần thứ 14", "lần thứ mười bốn"),
    ],
    "plain numbers": [
        ("ít nhất 01 tin, bài", "ít nhất một tin, bài"),
        ("chính quyền địa phương 02 cấp", "chính quyền địa phương hai cấp"),
        ("(tối thiểu 03 cuộc đối thoại)", "(tối thiểu ba cuộc đối thoại)"),
        ("hàng quý, 6 tháng, năm", "hàng quý, sáu tháng, năm"),
        ("mức độ 4", "mức độ bốn"),
        ("Đề án 06 của Chính phủ", "Đề án không sáu của Chính phủ"),
        ("tiếp nhận 1.250 hồ sơ", "tiếp nhận một nghìn hai trăm năm mươi hồ sơ"),
        ("dân số 1.000.000 người", "dân số một triệu người"),
        ("cách mạng công nghiệp 4.0", "cách mạng công nghiệp bốn chấm không"),
        ("(Th 25b).", "(Th hai mươi lăm bê)."),
        ("1. Mục đích", "một. Mục đích"),
        ("a) Tiếp tục đẩy mạnh", "a, Tiếp tục đẩy mạnh"),
        ("b) Thông tin", "bê, Thông tin"),
    ],
    "percent and money": [
        ("bảo đảm 100% CBCCVC", "bảo đảm một trăm phần trăm cán bộ, công chức, viên chức"),
        ("tỷ lệ 70 - 80% hồ sơ", "tỷ lệ bảy mươi đến tám mươi phần trăm hồ sơ"),
        ("đạt 98,5%.", "đạt chín mươi tám phẩy năm phần trăm."),
        ("tỷ lệ % hồ sơ", "tỷ lệ phần trăm hồ sơ"),
        ("kinh phí 1,2 tỷ đồng", "kinh phí một phẩy hai tỷ đồng"),
        ("lệ phí 50.000 đồng", "lệ phí năm mươi nghìn đồng"),
        ("lệ phí 50.000đ", "lệ phí năm mươi nghìn đồng"),
        ("giá 200.000 VNĐ", "giá hai trăm nghìn đồng"),
        ("50.000 đồng/người", "năm mươi nghìn đồng một người"),
    ],
    "units and times": [
        ("dài 5 km", "dài năm ki lô mét"),
        ("diện tích 12 ha", "diện tích mười hai héc ta"),
        ("rộng 30 m2", "rộng ba mươi mét vuông"),
        ("nặng 20 kg", "nặng hai mươi ki lô gam"),
        ("1,5 km", "một phẩy năm ki lô mét"),
        ("rộng 30 m²", "rộng ba mươi mét vuông"),
        ("giá mỗi m2 đất", "giá mỗi mét vuông đất"),
        ("nhiệt độ 25°C", "nhiệt độ hai mươi lăm độ xê"),
        ("lúc 7h30 sáng", "lúc bảy giờ ba mươi sáng"),
        ("từ 14h đến 16h30", "từ mười bốn giờ đến mười sáu giờ ba mươi"),
        ("lúc 7:30", "lúc bảy giờ ba mươi"),
    ],
    "phones, mail and links": [
        ("ĐT: 0243.7738668; Fax: 0243.7738668",
         "điện thoại: không hai bốn ba, bảy bảy ba, tám sáu sáu tám; "
         "Fax: không hai bốn ba, bảy bảy ba, tám sáu sáu tám"),
        ("gọi 0912 345 678", "gọi không chín một hai, ba bốn năm, sáu bảy tám"),
        ("gọi +84 912 345 678", "gọi cộng tám tư, chín một hai, ba bốn năm, sáu bảy tám"),
        ("(banbientap@sonla.gov.vn).", "(ban bien tap a còng Sơn La chấm gốp chấm vê en)."),
        ("Nguyễn Thành Văn<vannt.thaonguyen@sonla.gov.vn> đã ký",
         "Nguyễn Thành Văn van en tê chấm thao nguyen a còng Sơn La chấm gốp chấm vê en đã ký"),
        ("https://thuvienphapluat.vn/van-ban/nghi-dinh-61-2018-nd-cp-357427.aspx",
         "trang web thư viện pháp luật chấm vê en"),
    ],
    "slashes and dashes": [
        ("duy trì trên trang/cổng thông tin điện tử xã",
         "duy trì trên trang hoặc cổng thông tin điện tử xã"),
        ("Cổng Dịch vụ công/Cổng thông tin điện tử",
         "Cổng Dịch vụ công hoặc Cổng thông tin điện tử"),
        ("12 người/tháng", "mười hai người một tháng"),
        ("3/5 xã", "ba trên năm xã"),
        ("giải quyết./.", "giải quyết."),
        ("- Sở Nội vụ;", "Sở Nội vụ;"),
        ("kinh tế - xã hội", "kinh tế, xã hội"),
        ("Phòng Văn hóa – Xã hội", "Phòng Văn hóa, Xã hội"),
        ("hướng dẫn từng bước—miễn phí", "hướng dẫn từng bước, miễn phí"),
    ],
    "capitals": [
        ("TM. UỶ BAN NHÂN DÂN", "Thay mặt uỷ ban nhân dân"),
        ("KT. CHỦ TỊCH", "Ký thay chủ tịch"),
        ("III. KINH PHÍ THỰC HIỆN", "ba. kinh phí thực hiện"),
        ("Chỉ số Công khai Ngân sách tỉnh (POBI)", "Chỉ số Công khai Ngân sách tỉnh"),
        ("mã XYZ của hồ sơ", "mã ích i dài dét của hồ sơ"),
        ("- *Về cải cách TTHC*: Các hoạt động", "Về cải cách thủ tục hành chính: Các hoạt động"),
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("written", "spoken"),
    [pytest.param(w, s, id=f"{kind}: {w[:40]}") for kind, rows in CASES.items() for w, s in rows],
)
def test_spoken_form(say: Callable[[str], str], written: str, spoken: str) -> None:
    assert say(written) == spoken


def test_full_seed_sentences(say: Callable[[str], str]) -> None:
    written = (
        "Thực hiện Quyết định số 239/QĐ-UBND ngày 27/01/2026 của Ủy ban nhân dân tỉnh ban hành "
        "Kế hoạch tuyên truyền cải cách hành chính nhà nước tỉnh Sơn La năm 2026, UBND xã "
        "Mường La xây dựng kế hoạch như sau:"
    )
    assert say(written) == (
        "Thực hiện Quyết định số hai trăm ba mươi chín, quyết định, Ủy ban nhân dân ngày hai "
        f"mươi bảy tháng một năm {Y2026} của Ủy ban nhân dân tỉnh ban hành Kế hoạch tuyên "
        f"truyền cải cách hành chính nhà nước tỉnh Sơn La năm {Y2026}, Ủy ban nhân dân xã "
        "Mường La xây dựng kế hoạch như sau:"
    )
    written = (
        "(Nghị định số 61/2018/NĐ-CP ngày 23/4/2018; Nghị định số 107/2021/NĐ-CP ngày 06/12/2021;"
    )
    assert say(written) == (
        f"(Nghị định số sáu mươi mốt năm {Y2018}, nghị định, Chính phủ ngày hai mươi ba tháng tư "
        f"năm {Y2018}; Nghị định số một trăm linh bảy năm {Y2021}, nghị định, Chính phủ ngày "
        f"sáu tháng mười hai năm {Y2021};"
    )


def test_southern_readings_reach_the_text(glossary: Glossary) -> None:
    spoken = to_spoken("tiếp nhận 1.105 hồ sơ năm 2026", glossary, southern=True)
    assert spoken == "tiếp nhận một ngàn một trăm lẻ năm hồ sơ năm hai ngàn không trăm hai mươi sáu"


def test_no_unicode_digit_survives(say: Callable[[str], str]) -> None:
    spoken = say("x² và 10³, chữ số Ả Rập ٣")
    assert not any(c.isdigit() for c in spoken)
    assert spoken == "x mũ hai và mười mũ ba, chữ số Ả Rập ba"


def test_empty_glossary_still_reads_numbers() -> None:
    assert to_spoken("UBND có 3 xã", Glossary(())) == "u bê en dê có ba xã"


# --- whole seeds -----------------------------------------------------------------------------

UPPER_RUN = re.compile(r"\b[A-ZĐ]{2,}\b")


def _leftovers(spoken: str) -> list[str]:
    found = re.findall(r"\d|/|[%&@<>²³]", spoken)
    return found + UPPER_RUN.findall(spoken)


@pytest.mark.parametrize("number", ["000", "001", "003", "004"])
def test_seed_lines_leave_nothing_to_guess(
    seed: Callable[[str], Path], glossary: Glossary, number: str
) -> None:
    lines = [line for line in seed(number).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) > 50
    problems = {}
    for line in lines:
        spoken = to_spoken(line, glossary)
        if _leftovers(spoken):
            problems[line] = spoken
    assert problems == {}


@pytest.mark.parametrize("number", ["000", "001", "003", "004"])
def test_whole_seed_leaves_nothing_to_guess(
    seed: Callable[[str], Path], glossary: Glossary, number: str
) -> None:
    spoken = to_spoken(seed(number).read_text(encoding="utf-8"), glossary)
    assert _leftovers(spoken) == []
    assert "cải cách hành chính" in spoken


# --- the whole glossary, Southern readings, batch lines -----------------------------------


def test_every_glossary_term_is_read(glossary: Glossary) -> None:
    """Each shipped term, alone in a neutral sentence, is said with its reading."""
    wrong = {}
    for entry in glossary.entries:
        spoken = to_spoken(f"Bàn về {entry.term} này.", glossary)
        if spoken != f"Bàn về {entry.reading} này.":
            wrong[entry.term] = spoken
    assert wrong == {}


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("năm 2105", "năm hai ngàn một trăm lẻ năm"),
        ("101 hộ", "một trăm lẻ một hộ"),
        ("lệ phí 15.000 đồng", "lệ phí mười lăm ngàn đồng"),
        ("dân số 1.000.005 người", "dân số một triệu không trăm lẻ năm người"),
        ("Quyết định số 105/QĐ-UBND", "Quyết định số một trăm lẻ năm, quyết định, Ủy ban nhân dân"),
        ("đạt 1.005,5 điểm", "đạt một ngàn không trăm lẻ năm phẩy năm điểm"),
        # Unchanged in the South: tư after mươi, tháng tư, thứ tư, mốt, lăm.
        ("24 tổ, 21 thôn, 25 bản", "hai mươi tư tổ, hai mươi mốt thôn, hai mươi lăm bản"),
        ("tháng 4, thứ 4", "tháng tư, thứ tư"),
    ],
)
def test_southern_readings(glossary: Glossary, written: str, spoken: str) -> None:
    assert to_spoken(written, glossary, southern=True) == spoken


def test_spoken_lines_keep_the_line_count(glossary: Glossary) -> None:
    text = "giai đoạn 2022 -\n2025\n\n  \nUBND\n"
    assert spoken_lines(text, glossary) == (
        f"giai đoạn hai nghìn không trăm hai mươi hai\n{Y2025}\n\n\nỦy ban nhân dân\n"
    )


def test_decode_text_refuses_binary_and_legacy_bytes() -> None:
    assert decode_text("\ufeffUBND".encode(), name="x") == "UBND"
    with pytest.raises(InputError, match="nhị phân"):
        decode_text(b"PK\x03\x04\x00\x00", name="x")
    with pytest.raises(InputError, match="UTF-8"):
        decode_text(b"\xd6y ban", name="x")
