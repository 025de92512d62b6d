"""The narrative sections an administrative report carries, and their first drafts.

A Center's periodic report is not only tables: the head writes what was achieved, what fell
short, why, what comes next and what the Center asks of the commune. The figures' paragraph
and the sentences about missed targets are drafted here from the as-run figures so nobody
retypes numbers; the author edits them and every save is a new version of the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from broadcast.errors import InputError
from broadcast.schedule.report import Labels
from broadcast.schedule.report_model import Period, ReportFigures

# (key, heading in the document, label on the page). Order is the document's order.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("ket_qua", "KẾT QUẢ ĐẠT ĐƯỢC", "Kết quả đạt được"),
    ("ton_tai", "TỒN TẠI VÀ HẠN CHẾ", "Tồn tại và hạn chế"),
    ("nguyen_nhan", "NGUYÊN NHÂN", "Nguyên nhân"),
    ("phuong_huong", "PHƯƠNG HƯỚNG NHIỆM VỤ KỲ TỚI", "Phương hướng nhiệm vụ kỳ tới"),
    ("de_xuat", "ĐỀ XUẤT KIẾN NGHỊ", "Đề xuất kiến nghị"),
)
SECTION_KEYS = tuple(key for key, _, _ in SECTIONS)
MAX_SECTION_CHARS = 20000


def vn_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def vn_minutes(seconds: float) -> str:
    return f"{seconds / 60:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def provisional_note(period: Period, as_of: dt.date) -> str:
    last = min(as_of, period.end - dt.timedelta(days=1))
    return f"Số liệu tạm tính: kỳ báo cáo chưa kết thúc, số liệu tính đến hết ngày {last:%d/%m/%Y}."


def figures_paragraph(figures: ReportFigures, unit: str) -> str:
    """The paragraph of figures that opens 'Kết quả đạt được', from the as-run log."""
    period, total = figures.period, figures.total
    last_day = period.end - dt.timedelta(days=1)
    languages = [t for t in figures.by_language if t.plays]
    zones = [t for t in figures.by_zone if t.plays]
    cchc_plays = sum(s.plays for s in figures.segments)
    cchc_seconds = sum(s.seconds for s in figures.segments)
    return (
        f"Trong {period.label} (từ ngày {period.start:%d/%m/%Y} đến ngày {last_day:%d/%m/%Y}), "
        f"hệ thống truyền thanh {unit} đã phát {vn_int(total.plays)} lượt với tổng "
        f"thời lượng {vn_minutes(total.seconds)} phút, trong đó {vn_int(cchc_plays)} lượt "
        f"({vn_minutes(cchc_seconds)} phút) phát {len(figures.segments)} bản tin tuyên truyền "
        f"cải cách hành chính; phát bằng {len(languages)} ngôn ngữ, tại "
        f"{len(zones)} cụm loa."
    )


def missed_months(figures: ReportFigures, labels: Labels) -> list[str]:
    return [labels.month(m.month).lower() for m in figures.months if not m.met]


def draft_sections(figures: ReportFigures, unit: str, labels: Labels) -> dict[str, str]:
    """First drafts: the figures' paragraph, and what the monthly targets say."""
    missed = missed_months(figures, labels)
    if missed:
        shortfall = f"Chưa đạt chỉ tiêu tuyên truyền cải cách hành chính trong {', '.join(missed)}."
        proposal = (
            f"Chưa đạt chỉ tiêu trong {', '.join(missed)}; đề nghị bổ sung bản tin và khung giờ "
            "phát cho chuyên mục cải cách hành chính trong kỳ tới."
        )
    else:
        shortfall = ""
        proposal = (
            "Các tháng trong kỳ đều đạt chỉ tiêu; tiếp tục duy trì chuyên mục cải cách hành "
            "chính trên hệ thống truyền thanh."
        )
    return {
        "ket_qua": figures_paragraph(figures, unit),
        "ton_tai": shortfall,
        "nguyen_nhan": "",
        "phuong_huong": "",
        "de_xuat": proposal,
    }


def checked_sections(given: Mapping[str, str]) -> dict[str, str]:
    """The sections a person typed: known keys only, line ends normalised, length bounded."""
    unknown = sorted(set(given) - set(SECTION_KEYS))
    if unknown:
        raise InputError(
            f"Phần báo cáo '{unknown[0]}' không có; các phần là {', '.join(SECTION_KEYS)}."
        )
    out = {}
    for key in SECTION_KEYS:
        text = given.get(key, "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(text) > MAX_SECTION_CHARS:
            label = dict((k, lab) for k, _, lab in SECTIONS)[key]
            raise InputError(
                f"Phần '{label}' dài quá {vn_int(MAX_SECTION_CHARS)} ký tự; hãy rút gọn."
            )
        out[key] = text
    return out


def paragraphs(text: str) -> list[str]:
    """A section's text as paragraphs: one per non-empty line."""
    return [line.strip() for line in text.split("\n") if line.strip()]
