"""`broadcast schedule show`: the week fits an 80-column terminal and names every item by
its whole title (wrapped at word boundaries, never cut), in Vietnamese."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from helpers import run
from schedule_fixtures import add_script, grid_workspace, open_db

LONG = (
    "Hướng dẫn người dân nộp hồ sơ đăng ký khai sinh, kết hôn và chứng thực bản sao "
    "trực tuyến trên Cổng Dịch vụ công quốc gia mà không phải đến bộ phận một cửa của xã"
)
SHORT = "Một cửa, liên thông"


def columns(line: str) -> int:
    """Terminal columns of a line: wide East Asian characters take two, combining marks
    none (Vietnamese in NFC is one column a letter)."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in line
    )


def test_week_fits_80_columns_with_every_title_whole(tmp_path: Path) -> None:
    root = grid_workspace(tmp_path / "ws")
    with open_db(root) as db:
        add_script(db, "huong-dan", vi_seconds=90.0, title=LONG)
        add_script(db, "mot-cua", vi_seconds=60.0, title=SHORT)
    for slug in ("huong-dan", "mot-cua"):
        added = run(
            "-w",
            root,
            "schedule",
            "add",
            slug,
            "--from",
            "2026-03-02",
            "--to",
            "2026-03-08",
            "--languages",
            "vi",
        )
        assert added.exit_code == 0, added.stderr
    planned = run("-w", root, "schedule", "plan", "--from", "2026-03-02", "--days", "7")
    assert planned.exit_code in (0, 4), planned.stderr

    shown = run("-w", root, "schedule", "show", "--from", "2026-03-04")
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    too_wide = [line for line in lines if columns(line) > 80]
    assert not too_wide, too_wide
    assert lines[0] == "Tuần 02/03/2026 – 08/03/2026"
    for day in ("Thứ Hai 02/03", "Thứ Tư 04/03", "Chủ Nhật 08/03"):
        assert any(line.strip().startswith(day) for line in lines), day
    # A wrapped title reads whole once the line breaks are joined; none is cut at the end.
    flowing = " ".join(shown.stdout.split())
    assert f"{LONG} (vi)" in flowing and f"{SHORT} (vi)" in flowing
    assert flowing.count(LONG) >= 7  # aired every day of the week somewhere
    assert any(len(line) > 60 for line in lines if "Hướng dẫn" in line)  # wrapped, not short
    assert "tiếp sóng" in flowing and "Cụm loa bản Mường" in flowing
    assert "…" not in shown.stdout
