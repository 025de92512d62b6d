"""How a reconciliation reads: a Vietnamese table for the terminal, and plain JSON."""

from __future__ import annotations

from typing import Any

from broadcast.languages import LANGUAGES
from broadcast.schedule.asrun_model import Deviation, Difference, Play, Reconciliation


def what(d: Difference) -> str:
    """What aired or should have, as people know it: the script's title and the language's
    name (a file we did not make is named by its path)."""
    if d.planned is not None:
        p = d.planned
        return f"{p.script_title or p.script_slug} ({_language(p.language)})"
    a = _actual(d)
    if a.script_slug:
        return f"{a.script_title or a.script_slug} ({_language(a.language or '')})"
    return a.path or "?"


def _language(code: str) -> str:
    return LANGUAGES.get(code, code) or "không rõ ngôn ngữ"


def _actual(d: Difference) -> Play:
    assert d.actual is not None  # a difference has a plan, a play, or both
    return d.actual


def reconciliation_text(result: Reconciliation) -> str:
    lines = [
        f"Kế hoạch: {result.planned} mục; đã phát đúng giờ: {result.on_time}; "
        f"không phát: {len(result.of_kind(Deviation.MISSED))}; "
        f"phát muộn: {len(result.of_kind(Deviation.LATE))}; "
        f"ngoài kế hoạch: {len(result.of_kind(Deviation.EXTRA))}."
    ]
    for d in result.differences:
        late = f" (muộn {round((d.delay_s or 0) / 60)} phút)" if d.delay_s else ""
        lines.append(f"{d.kind.label:<15} {d.when:%Y-%m-%d %H:%M}  {d.zone:<14} {what(d)}{late}")
    return "\n".join(lines)


def reconciliation_json(result: Reconciliation) -> dict[str, Any]:
    return {
        "planned": result.planned,
        "aired": result.aired,
        "on_time": result.on_time,
        "differences": [
            {
                "kind": d.kind.value,
                "zone": d.zone,
                "time": d.when.isoformat(timespec="seconds"),
                "planned_start": d.planned.planned_start.isoformat(timespec="seconds")
                if d.planned
                else None,
                "render_id": d.planned.render_id if d.planned else _actual(d).render_id,
                "script": d.planned.script_slug if d.planned else _actual(d).script_slug,
                "label": what(d),
                "path": d.actual.path if d.actual else None,
                "delay_s": d.delay_s,
            }
            for d in result.differences
        ],
    }
