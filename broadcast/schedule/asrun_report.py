"""How a reconciliation reads: a Vietnamese table for the terminal, and plain JSON."""

from __future__ import annotations

from typing import Any

from broadcast.schedule.asrun_model import Deviation, Difference, Play, Reconciliation


def _what(d: Difference) -> str:
    if d.planned is not None:
        p = d.planned
        return f"{p.script_slug} ({p.language}, bản thu {p.render_id})"
    a = _actual(d)
    if a.script_slug:
        return f"{a.script_slug} ({a.language}, bản thu {a.render_id})"
    return a.path or "?"


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
        lines.append(f"{d.kind.label:<15} {d.when:%Y-%m-%d %H:%M}  {d.zone:<14} {_what(d)}{late}")
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
                "path": d.actual.path if d.actual else None,
                "delay_s": d.delay_s,
            }
            for d in result.differences
        ],
    }
