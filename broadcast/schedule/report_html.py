"""The report as one HTML page in Vietnamese, with its charts as PNG files beside it.

A commune posts this page on its portal or opens it in a browser; it needs no script and no
network, and its images are relative paths inside the report folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from html import escape

from broadcast.schedule.report import PUBLICATIONS_HEADING, Labels
from broadcast.schedule.report_docx import (
    emergency_sentence,
    self_approval_sentence,
    vn_int,
    vn_minutes,
)
from broadcast.schedule.report_model import ReportFigures, Tally
from broadcast.schedule.report_narrative import SECTIONS, paragraphs
from broadcast.schedule.report_settings import ReportSettings

STYLE = """
body { font-family: "Be Vietnam Pro", "Segoe UI", Arial, sans-serif; margin: 2rem auto;
       max-width: 60rem; color: #222; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.5rem; text-align: center; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
th, td { border: 1px solid #999; padding: .3rem .5rem; } th { background: #f3e3e3; }
td.n { text-align: right; } tr.total td { font-weight: bold; }
figure { margin: 1rem 0; } img { max-width: 100%; }
"""


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], total: bool = False) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for index, row in enumerate(rows):
        cls = ' class="total"' if total and index == len(rows) - 1 else ""
        cells = "".join(
            f'<td class="n">{escape(c)}</td>'
            if c and c[0].isdigit() and i
            else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _tally(name: str, tallies: Sequence[Tally], label: Callable[[str], str], total: Tally) -> str:
    rows = [(label(t.key), vn_int(t.plays), vn_minutes(t.seconds)) for t in tallies]
    rows.append(("Tổng cộng", vn_int(total.plays), vn_minutes(total.seconds)))
    return _table((name, "Số lượt phát", "Thời lượng (phút)"), rows, total=True)


def _narrative(sections: Mapping[str, str]) -> list[str]:
    out = []
    for number, (key, _, label) in enumerate(SECTIONS, start=7):
        lines = paragraphs(sections.get(key, ""))
        if lines:
            out.append(f"<h2>{number}. {escape(label)}</h2>")
            out.extend(f"<p>{escape(line)}</p>" for line in lines)
    return out


def _figure(src: str, caption: str) -> str:
    return (
        f'<figure><img src="{escape(src)}" alt="{escape(caption)}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def build_html(
    figures: ReportFigures,
    settings: ReportSettings,
    labels: Labels,
    charts: Sequence[str],
    *,
    sections: Mapping[str, str] | None = None,
    provisional_note: str = "",
) -> str:
    """The page; ``charts`` are the relative paths of the PNGs in draw order; ``sections``
    the narrative (report_narrative.SECTIONS keys) shown after the figures."""
    period, total = figures.period, figures.total
    last_day = period.end - dt.timedelta(days=1)
    chart = dict(zip(("month", "topic", "language", "zone"), charts, strict=True))
    months = _table(
        ("Tháng", "Số bản tin CCHC", "Số lượt phát", "Thời lượng (phút)", "Đánh giá"),
        [
            (
                labels.month(m.month),
                vn_int(m.cchc_segments),
                vn_int(m.cchc_plays),
                vn_minutes(m.cchc_minutes * 60),
                "Đạt" if m.met else "Không đạt: " + "; ".join(m.shortfalls),
            )
            for m in figures.months
        ],
    )
    segments = _table(
        ("Bản tin", "Lĩnh vực", "Ngôn ngữ", "Số lượt phát", "Thời lượng (phút)"),
        [
            (
                s.title,
                labels.topic(s.topic),
                ", ".join(s.languages),
                vn_int(s.plays),
                vn_minutes(s.seconds),
            )
            for s in figures.segments
        ],
    )
    title = (
        "Kết quả tuyên truyền cải cách hành chính trên hệ thống truyền thanh "
        f"{settings.unit} {period.label}"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Báo cáo {escape(period.label)}</title><style>{STYLE}</style></head>",
        "<body>",
        f"<p>{escape(settings.center)}</p>",
        f"<h1>BÁO CÁO<br>{escape(title)}</h1>",
        *([f"<p><strong>({escape(provisional_note)})</strong></p>"] if provisional_note else []),
        f"<p>Từ ngày {period.start:%d/%m/%Y} đến ngày {last_day:%d/%m/%Y}: "
        f"{vn_int(total.plays)} lượt phát, {vn_minutes(total.seconds)} phút, "
        f"{len(figures.segments)} bản tin cải cách hành chính. "
        "Số liệu lấy từ nhật ký phát thực tế (as-run), không phải từ kế hoạch.</p>",
        *(
            [f"<p><em>{escape(self_approval_sentence(figures.self_approvals))}</em></p>"]
            if figures.self_approvals
            else []
        ),
        *(
            [f"<p>{escape(emergency_sentence(figures.emergencies))}</p>"]
            if figures.emergencies
            else []
        ),
        "<h2>1. Theo tháng</h2>",
        _figure(chart["month"], "Số lượt phát theo tháng"),
        _tally("Tháng", figures.by_month, labels.month, total),
        "<h2>2. Theo lĩnh vực cải cách hành chính</h2>",
        _figure(chart["topic"], "Thời lượng theo lĩnh vực"),
        _tally("Lĩnh vực", figures.by_topic, labels.topic, total),
        "<h2>3. Theo ngôn ngữ</h2>",
        _figure(chart["language"], "Thời lượng theo ngôn ngữ"),
        _tally("Ngôn ngữ", figures.by_language, labels.language, total),
        "<h2>4. Theo cụm loa</h2>",
        _figure(chart["zone"], "Số lượt phát theo cụm loa"),
        _tally("Cụm loa", figures.by_zone, labels.zone, total),
        "<h2>5. Các bản tin đã phát</h2>",
        segments,
        "<h2>6. Đánh giá chỉ tiêu từng tháng</h2>",
        months,
        *(
            [
                f"<h2>7. {escape(PUBLICATIONS_HEADING)}</h2>",
                _table(
                    ("Kênh", "Số tin bài đã đăng"),
                    [(c.label, vn_int(c.count)) for c in figures.publications],
                ),
            ]
            if figures.publications
            else []
        ),
        *_narrative(sections or {}),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
