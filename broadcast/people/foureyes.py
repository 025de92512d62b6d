"""The four-eyes rule: whoever last changed a text cannot approve it.

A station of one person switches the rule off (``[review] four_eyes = false``); each
self-approval is then allowed and recorded as such, so reports can show how many there were.
"""

from __future__ import annotations

from broadcast.errors import InputError


def check_four_eyes(login: str, last_editor: str | None, *, four_eyes: bool, what: str) -> bool:
    """True when the approver ``login`` last edited the text (a self-approval, allowed only
    with the rule off); raises InputError naming who last edited when the rule forbids it."""
    if last_editor is None or last_editor.casefold() != login.casefold():
        return False
    if four_eyes:
        raise InputError(
            f"'{last_editor}' là người sửa {what} lần cuối nên không được tự duyệt (nguyên tắc "
            "bốn mắt); hãy nhờ một người duyệt khác. Đài chỉ có một người có thể tắt nguyên "
            "tắc này bằng '[review] four_eyes = false' trong station.toml."
        )
    return True
