"""Folder names for outputs: readable ASCII slugs of Vietnamese titles."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_words: int = 8) -> str:
    """'Kế hoạch tuyên truyền CCHC' -> 'ke-hoach-tuyen-truyen-cchc'; đ is not a combining mark."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words]) or "ban-tin"
