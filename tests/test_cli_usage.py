"""Click's parsing errors reach the user in Vietnamese, with exit code 2 and usage help."""

from __future__ import annotations

import pytest
from helpers import run

from broadcast.cli.usage import vietnamese


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["khong-co-lenh"], "Lỗi: Không có lệnh 'khong-co-lenh'."),
        (["--khong-co"], "Lỗi: Không có tùy chọn --khong-co."),
        (["normalize", "--khong-co"], "Lỗi: Không có tùy chọn --khong-co."),
        (["ingest"], "Lỗi: Thiếu đối số"),
        (["summarize", "a.md", "--format", "xml"], "'xml' không thuộc 'text', 'json'."),
        (["summarize", "a.md", "--words", "nhieu"], "'nhieu' không phải là số hợp lệ."),
        (["produce", "a.md", "--minutes", "99"], "nằm ngoài khoảng 0.25<=x<=30."),
    ],
)
def test_usage_errors_are_vietnamese(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Cách dùng: " in result.stderr and "--help' để biết cách dùng" in result.stderr
    assert "Error:" not in result.stderr and "No such" not in result.stderr


def test_suggestion_is_kept() -> None:
    assert vietnamese("No such option: --lang Did you mean --language?") == (
        "Không có tùy chọn --lang. Có phải là --language?"
    )


def test_unknown_messages_pass_unchanged() -> None:
    assert vietnamese("Something click says one day.") == "Something click says one day."
