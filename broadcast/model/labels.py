"""Vietnamese names of what the audit trail stores in English words.

History rows keep stable English codes ('approve', 'void', 'producer') because scripts, SQL
triggers and exports match on them; people read them through these labels.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "draft": "tạo bản nháp",
    "redraft": "dịch lại",
    "edit": "sửa",
    "edit-source": "sửa bản gốc",
    "import": "nhập từ tệp",
    "import-as-draft": "nhập làm bản nháp",
    "approve": "duyệt",
    "approve-script": "duyệt cả bản",
    "approve-source": "duyệt bản gốc",
    "reject": "trả lại",
    "void": "mất hiệu lực duyệt",
    "submit": "gửi duyệt nội dung",
    "return": "trả lại",
    "self-approve": "tự duyệt",
}

# Roles written by code paths that act for nobody in particular ('database' is a trigger).
_ROLE_WORDS: dict[str, str] = {
    "admin": "quản trị",
    "producer": "sản xuất",
    "translator": "dịch",
    "reviewer": "duyệt bản dịch",
    "content_approver": "duyệt nội dung",
    "scheduler": "lập lịch",
    "viewer": "xem",
    "database": "cơ sở dữ liệu",
}


def action_label(action: str) -> str:
    """'approve' -> 'duyệt'; 'export-xliff' -> 'xuất tệp xliff', 'import-docx' -> 'nhập tệp
    docx'; unknown codes unchanged."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    for prefix, word in (("export-", "xuất tệp"), ("import-", "nhập tệp")):
        if action.startswith(prefix):
            return f"{word} {action.removeprefix(prefix)}"
    return action


def role_label(role: str) -> str:
    """'reviewer' -> 'duyệt bản dịch', 'reviewer:blt' -> 'duyệt bản dịch (blt)'."""
    code, _, language = role.partition(":")
    word = _ROLE_WORDS.get(code, code)
    return f"{word} ({language})" if language else word


# A sentence's place in a script (``broadcast.model.script.Role``).
SENTENCE_ROLE_LABELS: dict[str, str] = {
    "opening": "mở đầu",
    "headline": "tiêu đề",
    "body": "nội dung",
    "closing": "lời kết",
}


def sentence_role_label(role: str) -> str:
    """'headline' -> 'tiêu đề'; unknown codes unchanged."""
    return SENTENCE_ROLE_LABELS.get(str(role), str(role))
