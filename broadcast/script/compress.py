"""Shorter sentences that say the same thing, so that a strong sentence fits the air time.

A summary of one or two news sentences often cannot take the sentence that states the news
because it is a few syllables too long, and settles for a short, weak one. Some words can go
without changing what a listener learns or the grammar of what is left:

* ``drop_additive_opener``: "Ngoài ra,", "Bên cạnh đó,", "Cùng với đó,", "Thêm vào đó,",
  "Hơn nữa,", "Được biết," only add to what came before; the rest stays a sentence, which
  pyvi's part-of-speech tags confirm (``opens_clause``). Connectives that carry a
  meaning ("Tuy nhiên", "Do đó", "Vì vậy", "Đồng thời" + verb with no subject) are kept;
* ``drop_bracketed_aside``: an aside in brackets ("(SN 1973, ngụ TP. HCM)") is written for
  the reader's eye; read aloud it interrupts the sentence. A bracket that holds a quotation or
  something a listener can act on (a phone number, a place, a deadline) is kept.

Left alone on purpose: attributions ("..., ông A cho biết", "Theo cáo trạng, ..."): without
them a claim becomes the station's own, and a quotation must stay attributed (coherence.py);
datelines, whose date is often the news itself. Each rule is a function from text to text,
so an editor can see which one changed a sentence (``Compressed.rules``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from broadcast.script.scorer import actionable
from broadcast.script.segment import pos_tags

__all__ = [
    "RULES",
    "Compressed",
    "compress",
    "drop_additive_opener",
    "drop_bracketed_aside",
    "opens_clause",
]

_ADDITIVE_OPENERS = (
    "ngoài ra",
    "bên cạnh đó",
    "cùng với đó",
    "thêm vào đó",
    "hơn nữa",
    "được biết",
)
_OPENER = re.compile(
    r"^\s*(?:" + "|".join(re.escape(o) for o in _ADDITIVE_OPENERS) + r")\s*,\s*", re.IGNORECASE
)
# One level of brackets, preceded by a word (never the sentence's opening bracket).
_ASIDE = re.compile(r"(?<=\w)\s*\(([^()]*)\)")
_QUOTE = re.compile(r"[“”\"«»‘’]")
_WORD = re.compile(r"\w+(?:_\w+)*")
# Before its verb a clause has a subject (nouns, names, pronouns, determiners, numbers and
# adjectives) and adverbs ("còn", "đã", "cũng"); pyvi's tags, at most six words.
_BEFORE_VERB = frozenset({"N", "Np", "Nc", "Ny", "Nu", "P", "L", "M", "R", "A"})
_CLAUSE_REACH = 6


def opens_clause(text: str) -> bool:
    """Whether ``text`` can stand as a sentence: a verb within its first words, with only a
    subject and adverbs before it ("xã còn hỗ trợ", "việc tuyên truyền cũng được")."""
    tags = [t for w, t in pos_tags(text) if _WORD.fullmatch(w)]
    for tag in tags[:_CLAUSE_REACH]:
        if tag == "V":
            return True
        if tag not in _BEFORE_VERB:
            return False
    return False


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def drop_additive_opener(text: str) -> str:
    """Drops "Ngoài ra,": "Ngoài ra, xã còn hỗ trợ 50 hộ nghèo." -> "Xã còn hỗ trợ 50 hộ...".

    Only when what follows opens a clause (a subject and its verb, or a verb): "Bên cạnh đó,
    những khó khăn về vốn." stays as it is, pyvi sees no verb after the comma.
    """
    match = _OPENER.match(text)
    if not match:
        return text
    rest = text[match.end() :]
    if not rest or not opens_clause(rest):
        return text
    return _capitalise(rest)


def drop_bracketed_aside(text: str) -> str:
    """Drops "(SN 1973, ngụ TP. HCM)" from "Bị cáo Trần Văn A (SN 1973, ngụ TP. HCM) bị...".

    Kept: a bracket holding a quotation, or something a listener can act on ("(điện thoại
    0212 3 456 789)", "(trước ngày 30/6)"), see ``scorer.actionable``.
    """

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        if _QUOTE.search(inner) or actionable(inner):
            return match.group(0)
        return ""

    shorter = _ASIDE.sub(replace, text)
    return re.sub(r"\s+([,.;:!?])", r"\1", shorter)


RULES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("drop_bracketed_aside", drop_bracketed_aside),
    ("drop_additive_opener", drop_additive_opener),
)


@dataclass(frozen=True)
class Compressed:
    """The shorter text and the names of the rules that changed it, in order."""

    text: str
    rules: tuple[str, ...]


def compress(text: str) -> Compressed:
    """``text`` with every rule of ``RULES`` applied; unchanged text has no rules."""
    applied: list[str] = []
    for name, rule in RULES:
        shorter = rule(text)
        if shorter != text:
            applied.append(name)
            text = shorter
    return Compressed(text, tuple(applied))
