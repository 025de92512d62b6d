"""Patterns for the numbering of Vietnamese administrative documents.

Both cleaning (where does a paragraph start?) and sentence splitting (is this dot a full
stop?) must agree on what a list marker is, so the patterns live in one place.
"""

from __future__ import annotations

import re
import unicodedata

# "I.", "IV.", "1.", "1.1.", "2.3.1.", "a)", "b.", "1)", "(2)", "-", "+", "•" followed by a space.
# Numbers stop at two digits: a wrapped line may begin with a year ("2026. Vai trò ...").
LIST_MARKER = re.compile(
    r"""^\s*(?:
        [IVXL]{1,5}\.
      | \(?\d{1,2}(?:\.\d{1,2})*[.)]
      | \(?[a-zđ][.)]
      | [-–—•+*]
    )(?=\s)""",
    re.VERBOSE,
)


def fold(text: str) -> str:
    """Lowercase without diacritics, so patterns also match OCR output that lost its tones."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def is_upper_heading(line: str) -> bool:
    """A line written in capitals ("I. MỤC ĐÍCH, YÊU CẦU", "KẾ HOẠCH") is a heading, not prose."""
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper / len(letters) >= 0.8
