"""Summaries and scripts as text for people and JSON for tools.

Kept out of the CLI so that the web interface and exports show exactly the same fields.
"""

from __future__ import annotations

import json
from typing import Any

from broadcast.script.build import Summary
from broadcast.script.duration import Pace
from broadcast.script.model import Role, Script
from broadcast.script.segment import syllables
from broadcast.script.topic import TopicGuess


def summary_dict(summary: Summary, *, source: str, title: str) -> dict[str, Any]:
    return {
        "source": source,
        "title": title,
        "target": {"seconds": summary.target_seconds, "words": summary.target_words},
        "sentences": [
            {
                "index": unit.index,
                "text": unit.written,
                "syllables": unit.syllables,
                "seconds": round(unit.seconds, 2),
                "score": score,
            }
            for unit, score in zip(summary.units, summary.scores, strict=True)
        ],
        "total": {
            "sentences": len(summary.units),
            "syllables": sum(u.syllables for u in summary.units),
            "words": summary.words,
            "seconds": round(summary.seconds, 1),
        },
    }


def summary_json(summary: Summary, *, source: str, title: str) -> str:
    data = summary_dict(summary, source=source, title=title)
    return json.dumps(data, ensure_ascii=False, indent=2)


def summary_text(summary: Summary) -> str:
    lines = [unit.written for unit in summary.units]
    lines.append(
        f"({len(summary.units)} câu, {summary.words} chữ, khoảng {summary.seconds:.0f} giây)"
    )
    return "\n".join(lines)


def script_dict(script: Script, pace: Pace, guess: TopicGuess | None = None) -> dict[str, Any]:
    topic = script.topic
    return {
        "title": script.title,
        "source": str(script.source) if script.source else None,
        "language": script.language,
        "topic": {
            "key": topic.value if topic else None,
            "label": topic.label if topic else None,
            "guessed": guess is not None and not guess.edited and guess.topic is topic,
            "scores": {t.value: s for t, s in guess.scores.items()} if guess else None,
        },
        "target_minutes": script.target_minutes,
        "estimated_seconds": script.estimated_seconds,
        "sentences": [
            {
                "role": s.role.value,
                "written": s.written,
                "spoken": s.spoken,
                "syllables": syllables(s.spoken),
                "seconds": round(
                    pace.sentence_seconds(s.spoken, section=s.role is not Role.BODY), 2
                ),
            }
            for s in script.sentences
        ],
        "links": list(script.links),
    }


def script_json(script: Script, pace: Pace, guess: TopicGuess | None = None) -> str:
    return json.dumps(script_dict(script, pace, guess), ensure_ascii=False, indent=2)


def script_text(script: Script) -> str:
    """What an announcer reads: each sentence written, and how to say it when that differs."""
    topic = f"Lĩnh vực: {script.topic.label}" if script.topic else "Lĩnh vực: (chưa xác định)"
    lines = [
        f"# {script.title}",
        topic,
        f"Nguồn: {script.source}" if script.source else "Nguồn: (không rõ)",
        f"Độ dài ước tính: {script.estimated_seconds:.0f} giây "
        f"(mục tiêu {script.target_minutes:g} phút)",
        "",
    ]
    for number, sentence in enumerate(script.sentences, start=1):
        lines.append(f"{number}. [{sentence.role.value}] {sentence.written}")
        if sentence.spoken != sentence.written:
            lines.append(f"   (đọc: {sentence.spoken})")
    if script.links:
        lines += ["", "Địa chỉ đầy đủ:", *(f"  {link}" for link in script.links)]
    return "\n".join(lines)
