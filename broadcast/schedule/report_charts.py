"""Bar charts of the report as PNG bytes (matplotlib, Agg canvas, Be Vietnam Pro).

The Agg canvas is attached to each figure here rather than selected globally with
``matplotlib.use``: nothing changes for other code in the process, and no display is needed
on a commune's server. Labels use the toolkit's Vietnamese font so tones never fall back to
boxes, whatever fonts the machine has.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from broadcast.schedule.report import Labels
from broadcast.schedule.report_model import ReportFigures, Tally

COLOR = "#b22222"  # the red of commune propaganda panels, readable in greyscale print


def _bar_png(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str,
    *,
    horizontal: bool = False,
) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from broadcast.video.fonts import font_path

    regular = FontProperties(fname=str(font_path("Regular")), size=9)
    bold = FontProperties(fname=str(font_path("Bold")), size=11)
    height = max(3.2, 0.45 * len(labels) + 1.2) if horizontal else 3.6
    figure = Figure(figsize=(7.5, height), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    if horizontal:
        bars = axes.barh(positions, values, color=COLOR)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.set_xlabel(unit, fontproperties=regular)
        tick_labels = axes.get_yticklabels() + axes.get_xticklabels()
    else:
        bars = axes.bar(positions, values, color=COLOR)
        axes.set_xticks(positions, labels)
        axes.set_ylabel(unit, fontproperties=regular)
        tick_labels = axes.get_xticklabels() + axes.get_yticklabels()
    for label in tick_labels:
        label.set_fontproperties(regular)
    axes.bar_label(bars, labels=[_number(v) for v in values], fontproperties=regular, padding=2)
    axes.set_title(title, fontproperties=bold)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _short(text: str, width: int = 46) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


MAX_BARS = 30


def _largest(tallies: Sequence[Tally]) -> tuple[Tally, ...]:
    """A province has hundreds of zones: chart the largest, the tables keep every one."""
    if len(tallies) <= MAX_BARS:
        return tuple(tallies)
    keep = set(sorted(tallies, key=lambda t: (-t.plays, t.key))[:MAX_BARS])
    return tuple(t for t in tallies if t in keep)


def draw_charts(figures: ReportFigures, labels: Labels) -> dict[str, bytes]:
    """Chart file name -> PNG bytes, in the order the HTML page shows them."""

    def named(tallies: Sequence[Tally], name: Callable[[str], str]) -> list[str]:
        return [_short(name(t.key)) for t in tallies]

    months = figures.by_month
    zones = _largest(figures.by_zone)
    return {
        "theo-thang.png": _bar_png(
            "Số lượt phát theo tháng",
            named(months, labels.month),
            [t.plays for t in months],
            "lượt phát",
        ),
        "theo-linh-vuc.png": _bar_png(
            "Thời lượng theo lĩnh vực cải cách hành chính",
            named(figures.by_topic, labels.topic),
            [round(t.minutes, 1) for t in figures.by_topic],
            "phút",
            horizontal=True,
        ),
        "theo-ngon-ngu.png": _bar_png(
            "Thời lượng theo ngôn ngữ",
            named(figures.by_language, labels.language),
            [round(t.minutes, 1) for t in figures.by_language],
            "phút",
            horizontal=True,
        ),
        "theo-cum-loa.png": _bar_png(
            "Số lượt phát theo cụm loa"
            + (f" ({MAX_BARS} cụm nhiều nhất)" if len(zones) < len(figures.by_zone) else ""),
            named(zones, labels.zone),
            [t.plays for t in zones],
            "lượt phát",
            horizontal=True,
        ),
    }
