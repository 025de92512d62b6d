"""The hashes that bind approvals and renders to text, computed in exactly one way.

SQLite has no sha256 function, so the database stores these digests next to the text and
its triggers compare digests; Python computes them here when it writes the text and again
when the gate checks it, so a text changed behind the triggers' back is still caught.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from broadcast.model.review import text_sha256

__all__ = ["script_sha256", "sentence_sha256", "text_sha256"]


def sentence_sha256(written: str, spoken: str) -> str:
    """Of a script sentence as shown (written) and as voiced (spoken): a change of either
    changes what a render of it shows or says. JSON keeps the two parts unambiguous."""
    return text_sha256(json.dumps([written, spoken], ensure_ascii=False))


def script_sha256(sentences: Sequence[tuple[str, str]]) -> str:
    """Of a whole script as approved by its content approver: every sentence's written and
    spoken form, in order. A change of any of them (or of their number) changes it."""
    return text_sha256("\n".join(sentence_sha256(written, spoken) for written, spoken in sentences))
