"""What every spoken-form pass shares: the reading context, letter names, syllable test."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from broadcast.script.glossary import Glossary
from broadcast.script.numbers import read_decimal, read_number

LETTER_NAMES = {
    "a": "a", "ă": "á", "â": "ớ", "b": "bê", "c": "xê", "d": "dê", "đ": "đê", "e": "e",
    "ê": "ê", "f": "ép", "g": "giê", "h": "hát", "i": "i", "j": "gi", "k": "ca", "l": "lờ",
    "m": "em", "n": "en", "o": "o", "ô": "ô", "ơ": "ơ", "p": "pê", "q": "quy", "r": "e rờ",
    "s": "ét", "t": "tê", "u": "u", "ư": "ư", "v": "vê", "w": "vê kép", "x": "ích",
    "y": "i dài", "z": "dét",
}  # fmt: skip


_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?"
)


_NUM = r"\d+(?:[.,]\d+)*"


_WORD_EDGE_BEFORE = r"(?<![\w.,/])"


_WORD_EDGE_AFTER = r"(?![\w])"


@dataclass(frozen=True)
class _Context:
    glossary: Glossary
    southern: bool
    # Abbreviations no glossary knew, spelled by letter names: the editor must see them.
    spelled: list[str] = field(default_factory=list)
    # The station's readings used, (written, spoken) in order: shown whole to the editor
    # ("Mường Giôn" -> "Mường Dôn", not just the syllable that differs).
    station_used: list[tuple[str, str]] = field(default_factory=list)

    def spell_unknown(self, letters: str) -> str:
        """Letter names for an abbreviation nobody defined, remembered for the editor."""
        if letters not in self.spelled:
            self.spelled.append(letters)
        return _spell(letters)

    def number(self, digits: str | int) -> str:
        return read_number(int(digits), southern=self.southern)

    def numeral(self, token: str) -> str:
        """Any written numeral: 1.000.000, 1,2, 4.0 (read "bốn chấm không"), 2026."""
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
            return self.number(token.replace(".", ""))
        if re.fullmatch(r"(?:\d{1,3}(?:\.\d{3})+|\d+),\d+", token):
            return read_decimal(token, southern=self.southern)
        if "," in token:
            return ", ".join(self.numeral(part) for part in token.split(","))
        return " chấm ".join(self.number(part) for part in token.split("."))


Pass = Callable[[str, _Context], str]


def _is_syllable(word: str) -> bool:
    bare = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    if re.match(r"c[eiy]|k[aou]|gh[aou]|ngh[aou]", bare):  # spelling rules of Vietnamese
        return False
    return _SYLLABLE.fullmatch(bare) is not None


def _spell(letters: str) -> str:
    return " ".join(LETTER_NAMES.get(c, c) for c in letters.lower() if c.isalpha())


def _ordinal(context: _Context, value: int) -> str:
    return {1: "nhất", 4: "tư"}.get(value) or read_number(value, southern=context.southern)
