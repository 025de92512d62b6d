"""The spoken form: written Vietnamese turned into exactly what the voice must say.

A TTS voice guesses at digits, slashes, capital abbreviations and document codes, and it
guesses wrong (espeak-ng spells "UBND" letter by letter and reads "27/01/2026" as a
fraction). Everything a commune listener would hear read out by an announcer is written out
here as words, in a fixed order of passes: the specific shapes (links, document codes,
dates) go first so the general ones (plain numbers, lone symbols) never see them.

One module per job (addresses, dates, documents, acronyms, phones, quantities,
punctuation); this one only fixes the order of the passes, which is the whole design.
"""

from __future__ import annotations

from dataclasses import dataclass

from broadcast.errors import InputError
from broadcast.model.spoken import Rewrite
from broadcast.script.glossary import Glossary
from broadcast.script.spoken.acronyms import (
    AMBIGUOUS,
    _ambiguous,
    _capitals,
    _defined_later,
    _glossary_terms,
    _said_in_full,
    _station_readings,
)
from broadcast.script.spoken.addresses import DOMAIN_WORDS, _links
from broadcast.script.spoken.common import LETTER_NAMES, Pass, _Context
from broadcast.script.spoken.dates import (
    COUNT_NOUNS,
    DAY_CONTEXT,
    MONTH_WORD,
    _dates,
    _times,
    _timestamps,
)
from broadcast.script.spoken.documents import (
    CODE_READINGS,
    DOCUMENT_TYPES,
    ROMAN_KEYWORDS,
    SIGNATURE_TERMS,
    _document_codes,
    _list_markers,
    _named_codes,
    _roman,
    _signatures,
)
from broadcast.script.spoken.phones import PHONE_WORDS, _phones
from broadcast.script.spoken.punctuation import (
    PER_WORDS,
    _dashes,
    _normalise,
    _slashes,
    _symbols,
    _tidy,
)
from broadcast.script.spoken.quantities import (
    LIST_NOUNS,
    PRIZES,
    UNITS,
    _fractions,
    _number_lists,
    _numbers,
    _ordinals,
    _ranges,
    _units,
)
from broadcast.script.spoken.rewrites import PASS_REASONS, changes

__all__ = [
    "AMBIGUOUS", "CODE_READINGS", "COUNT_NOUNS", "DAY_CONTEXT", "DOCUMENT_TYPES", "DOMAIN_WORDS",
    "LETTER_NAMES", "LIST_NOUNS", "MONTH_WORD", "PER_WORDS", "PHONE_WORDS", "PRIZES",
    "ROMAN_KEYWORDS", "SIGNATURE_TERMS", "UNITS", "Rewrite", "SpokenForm", "decode_text",
    "read_aloud", "spoken_lines", "to_spoken",
]  # fmt: skip


@dataclass(frozen=True)
class SpokenForm:
    """The reading and what the editor must check in it.

    ``spelled`` lists the abbreviations no glossary knew, in order of first use; they were
    read by Vietnamese letter names, which is right for some ("ANTĐ") and wrong for others,
    so the script view shows them and the editor can save a reading to the station's
    dictionary (``broadcast spoken add``). ``rewrites`` lists every change a pass made, with
    its reason, in the order the passes ran.
    """

    text: str
    spelled: tuple[str, ...]
    rewrites: tuple[Rewrite, ...] = ()


def read_aloud(
    text: str, glossary: Glossary, *, southern: bool = False, explain: bool = True
) -> SpokenForm:
    """The spoken form of ``text``, the abbreviations it had to spell letter by letter and
    (unless ``explain`` is false, for batch readings nobody looks at) every rewrite made on
    the way: what changed and why."""
    context = _Context(glossary, southern)
    rewrites: list[Rewrite] = []
    for step in _PASSES:
        before = text
        text = step(text, context)
        why = PASS_REASONS.get(step.__name__) if explain else None
        if why is not None and step is _station_readings:
            kind, reason = why
            rewrites += [Rewrite(kind, w, s, reason) for w, s in context.station_used]
        elif why is not None and text != before:
            kind, reason = why
            rewrites += changes(before, text, kind, reason, spelled=tuple(context.spelled))
    return SpokenForm(text, tuple(context.spelled), tuple(rewrites))


def to_spoken(text: str, glossary: Glossary, *, southern: bool = False) -> str:
    """What the voice reads for ``text``: no digit, slash, code or capital abbreviation left."""
    return read_aloud(text, glossary, southern=southern, explain=False).text


def spoken_lines(text: str, glossary: Glossary, *, southern: bool = False) -> str:
    """Each line read on its own, for batch use: as many lines out as in, empty ones kept.

    A line is one record for whoever feeds the batch (one sentence, one subtitle), so no
    rule may join it with its neighbour as the whole-text reading can ("2022 -\n2025").
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(
        (to_spoken(line, glossary, southern=southern) if line.strip() else "") + "\n"
        for line in (line.rstrip("\r") for line in lines)
    )


def decode_text(data: bytes, *, name: str) -> str:
    """UTF-8 text from a file or stdin; binary data and other encodings refused in one sentence.

    The spoken form needs the real letters: guessing a legacy encoding here would hand the
    voice mojibake, so the user is told to convert (``broadcast ingest`` does that).
    """
    if b"\x00" in data:
        raise InputError(f"{name} là tệp nhị phân, không phải văn bản; hãy đưa vào tệp .txt.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"{name} không phải văn bản UTF-8; hãy lưu lại với bảng mã UTF-8 "
            "hoặc chuyển đổi bằng lệnh broadcast ingest."
        ) from None


_PASSES: tuple[Pass, ...] = (
    _normalise,
    _links,
    _station_readings,
    _timestamps,
    _list_markers,
    _ambiguous,
    _defined_later,
    _roman,
    _document_codes,
    _signatures,
    _glossary_terms,
    _said_in_full,
    _capitals,
    _named_codes,
    _dates,
    _times,
    _phones,
    _ordinals,
    _number_lists,
    _ranges,
    _units,
    _fractions,
    _numbers,
    _slashes,
    _dashes,
    _symbols,
    _tidy,
)
