"""The text an editor edits in ``$EDITOR``: each Vietnamese sentence above its translation.

One block per segment, headed by its number (``[#3]``, from 1 like the script's sentences
in every command; stored positions start at 0), so that the file reads side by side
in any plain-text editor and can be checked strictly when it comes back: the same numbers,
in the same order, each with exactly one target line. Anything else is refused whole, so a
half-edited or damaged file never changes the database.
"""

from __future__ import annotations

import re

from broadcast.errors import InputError
from broadcast.review.model import Translation

HEADER = re.compile(r"^\[#(\d+)\]")


def render(translation: Translation) -> str:
    lang = translation.language
    lines = [
        f"# Bản dịch '{lang}' của kịch bản '{translation.slug}' (số {translation.script_id}).",
        f"# Chỉ sửa dòng '{lang}:' của mỗi đoạn; không thêm, bớt hay đổi số đoạn [#n].",
        "# Dòng bắt đầu bằng '#' được bỏ qua.",
        f"# Edit only the '{lang}:' lines; do not add, remove or renumber [#n] blocks.",
        "",
    ]
    for s in translation.segments:
        lines.append(f"[#{s.position + 1}] {s.role} · {s.state.label} · {s.origin_label}")
        lines.append(f"vi: {s.source}")
        lines.append(f"{lang}: {s.target}")
        lines.append("")
    return "\n".join(lines)


def parse(translation: Translation, text: str) -> dict[int, str]:
    """Targets by position from an edited file; raises InputError on any structural fault."""
    lang = translation.language
    blocks: list[tuple[int, list[tuple[int, str]]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#") or not line.strip():
            continue
        header = HEADER.match(line)
        if header:
            blocks.append((int(header.group(1)) - 1, []))  # shown from 1, stored from 0
            continue
        if not blocks:
            raise InputError(f"Dòng {number} nằm ngoài mọi đoạn [#n]: tệp sửa không hợp lệ.")
        blocks[-1][1].append((number, line))
    expected = [s.position for s in translation.segments]
    found = [position for position, _ in blocks]
    if found != expected:
        missing = sorted(set(expected) - set(found))
        added = sorted(set(found) - set(expected))
        detail = (
            f"thiếu đoạn {', '.join(str(p + 1) for p in missing)}"
            if missing
            else f"thừa đoạn {', '.join(str(p + 1) for p in added)}"
            if added
            else "các đoạn bị đổi thứ tự hoặc lặp lại"
        )
        raise InputError(f"Tệp sửa không khớp bản dịch ({detail}); không lưu gì.")
    targets: dict[int, str] = {}
    for position, lines in blocks:
        wanted = [(n, line) for n, line in lines if line.startswith(f"{lang}:")]
        others = [
            (n, line)
            for n, line in lines
            if not line.startswith(f"{lang}:") and not line.startswith("vi:")
        ]
        if len(wanted) != 1 or others:
            n = (others or wanted or [(0, "")])[0][0]
            raise InputError(
                f"Đoạn [#{position + 1}] (dòng {n}) phải có đúng một dòng '{lang}:'; không lưu gì."
            )
        value = wanted[0][1][len(lang) + 1 :]
        targets[position] = value[1:] if value.startswith(" ") else value
    return targets
