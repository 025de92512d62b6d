"""Summaries and scripts as text for people and JSON for tools.

Kept out of the CLI so that the web interface and exports show exactly the same fields.
"""

from __future__ import annotations

import json
from typing import Any

from broadcast.model.spoken import Rewrite, RewriteKind
from broadcast.script.build import Summary
from broadcast.script.duration import Pace
from broadcast.script.model import Role, Script, ScriptSentence
from broadcast.script.radio import MAX_SYLLABLES
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
    """The chosen sentences alone, one a line: what a pipe or an editor copies."""
    return "\n".join(unit.written for unit in summary.units)


def summary_stats(summary: Summary) -> str:
    """The counts line, kept apart so it never lands inside the summary on stdout."""
    return f"({len(summary.units)} câu, {summary.words} chữ, khoảng {summary.seconds:.0f} giây)"


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
                # No clause boundary to split at safely: kept whole for the editor to judge.
                "too_long": is_too_long(s),
                "seconds": round(
                    pace.sentence_seconds(s.spoken, section=s.role is not Role.BODY), 2
                ),
                "rewrites": [r.as_json() for r in s.rewrites],
            }
            for s in script.sentences
        ],
        "links": list(script.links),
        # Furniture dropped, sentences split, the headline not read twice: the script as a
        # whole, where the per-sentence lists above say how each sentence is read.
        "rewrites": [r.as_json() for r in script.rewrites],
    }


def is_too_long(sentence: ScriptSentence) -> bool:
    """A body sentence over the breath length that ``split_long`` left whole because
    cutting it would have left a fragment: the editor decides how to shorten it."""
    return sentence.role is Role.BODY and syllables(sentence.spoken) > MAX_SYLLABLES


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
        lines += [f"   {rewrite_line(r)}" for r in sentence.rewrites]
        if is_too_long(sentence):
            lines.append(
                f"   (câu dài {syllables(sentence.spoken)} âm tiết, không có chỗ ngắt an toàn: "
                "biên tập viên nên rút gọn)"
            )
    if script.links:
        lines += ["", "Địa chỉ đầy đủ:", *(f"  {link}" for link in script.links)]
    if script.rewrites:
        lines += ["", "Đã bỏ hoặc tách khi viết kịch bản:"]
        lines += [f"  {rewrite_line(r)}" for r in script.rewrites]
    return "\n".join(lines)


_SHOWN = 80


def rewrite_line(rewrite: Rewrite) -> str:
    """One short line an editor reads: "↳ UBND → Ủy ban nhân dân (từ điển viết tắt)";
    something dropped reads "↳ bỏ: Ảnh: ... (chú thích ảnh)". Long texts are shortened."""
    written = _short(rewrite.written)
    if rewrite.kind is RewriteKind.SPLIT:
        # The cut is what the editor checks: the end of each part and the start of the next.
        parts = rewrite.spoken.split(" / ")
        seams = " / ".join(
            f"…{_tail(a)} | {_head(b)}…" for a, b in zip(parts, parts[1:], strict=False)
        )
        return f"↳ tách thành {len(parts)} câu: {seams} ({rewrite.reason})"
    if not rewrite.spoken:
        return f"↳ bỏ: {written} ({rewrite.reason})"
    return f"↳ {written} → {_short(rewrite.spoken)} ({rewrite.reason})"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1].rstrip() + "…"


def _tail(text: str, words: int = 5) -> str:
    return " ".join(text.split()[-words:])


def _head(text: str, words: int = 5) -> str:
    return " ".join(text.split()[:words])
