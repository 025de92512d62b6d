"""Languages a station may declare: a registry read from data, not written in code.

The built-in list lives in ``broadcast/languages.toml`` (Vietnamese name, scripts, ISO 639-3
code, note); a station adds or overrides one with a ``[languages.CODE]`` table in its
``station.toml``. 'Thái' is the Tai Dam / Tai Don language of northwest Vietnam (blt / twh),
never ``th`` (the Thai of Thailand): asking for ``th`` is answered with the right codes.

``script_of`` tells which scripts a text is written in, so that an import or a QA check can
notice Tai Viet text filed under a Latin-only language, or Thai letters under Thái.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from broadcast.errors import InputError

SOURCE_LANGUAGE = "vi"
TAI_VIET = (0xAA80, 0xAADF)
_CODE = re.compile(r"^[a-z]{2,3}$")
_TH_HINT = (
    "Mã 'th' là tiếng Thái Lan; tiếng Thái ở Tây Bắc dùng mã 'blt' (Thái Đen) "
    "hoặc 'twh' (Thái Trắng)."
)


@dataclass(frozen=True)
class Language:
    """One language of the registry; ``scripts`` are ISO 15924 codes (Latn, Tavt, ...)."""

    code: str
    name: str
    scripts: tuple[str, ...]
    iso639_3: str
    note: str = ""


def language_from_table(
    code: str, table: Mapping[str, Any], base: Language | None = None
) -> Language:
    """Build a language from a TOML table; fields missing from it come from ``base``.

    Raises ``InputError`` naming the code and the field, for the registry file and for a
    station's ``[languages.CODE]`` table alike.
    """
    code = code.strip().lower()
    if code == "th":
        raise InputError(_TH_HINT)
    if not _CODE.match(code):
        raise InputError(f"Mã ngôn ngữ '{code}' không hợp lệ: dùng mã ISO 639 hai hoặc ba chữ.")
    unknown = set(table) - {"name", "scripts", "iso639_3", "note"}
    if unknown:
        raise InputError(f"Ngôn ngữ '{code}': không biết khóa {', '.join(sorted(unknown))}.")
    name = table.get("name", base.name if base else None)
    scripts = table.get("scripts", list(base.scripts) if base else ["Latn"])
    iso = table.get("iso639_3", base.iso639_3 if base else code if len(code) == 3 else None)
    note = table.get("note", base.note if base else "")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"Ngôn ngữ '{code}': thiếu tên tiếng Việt ('name').")
    if (
        not isinstance(scripts, list)
        or not scripts
        or not all(isinstance(s, str) and re.fullmatch(r"[A-Z][a-z]{3}", s) for s in scripts)
    ):
        raise InputError(
            f"Ngôn ngữ '{code}': 'scripts' phải là danh sách mã chữ viết ISO 15924 "
            'như ["Latn", "Tavt"].'
        )
    if not isinstance(iso, str) or not re.fullmatch(r"[a-z]{3}", iso):
        raise InputError(f"Ngôn ngữ '{code}': cần mã ISO 639-3 ba chữ ('iso639_3').")
    if not isinstance(note, str):
        raise InputError(f"Ngôn ngữ '{code}': 'note' phải là chuỗi.")
    return Language(code=code, name=name.strip(), scripts=tuple(scripts), iso639_3=iso, note=note)


@functools.cache
def builtin_languages() -> Mapping[str, Language]:
    """The shipped registry, read once per process on first use (never at import time)."""
    text = importlib.resources.files("broadcast").joinpath("languages.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return {code: language_from_table(code, table) for code, table in data.items()}


def registry(extra: Iterable[Language] = ()) -> dict[str, Language]:
    """Built-in languages with a station's own added or overridden ones on top."""
    merged = dict(builtin_languages())
    for language in extra:
        merged[language.code] = language
    return merged


class _Names(Mapping[str, str]):
    """``LANGUAGES``: code -> Vietnamese name of the built-in registry, loaded lazily."""

    def __getitem__(self, code: str) -> str:
        return builtin_languages()[code].name

    def __iter__(self) -> Iterator[str]:
        return iter(builtin_languages())

    def __len__(self) -> int:
        return len(builtin_languages())


LANGUAGES: Mapping[str, str] = _Names()


def primary_code(tag: str) -> str:
    """'hmn-Latn-VN' -> 'hmn', 'vi_VN' -> 'vi': exchange files carry full BCP 47 tags."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def resolve(tag: str, known: Mapping[str, Language] | None = None) -> Language:
    """The language of a code or BCP 47 tag, or one sentence saying why it is refused."""
    known = builtin_languages() if known is None else known
    code = primary_code(tag)
    if code == "th":
        raise InputError(_TH_HINT)
    if code not in known:
        raise InputError(
            f"Không biết mã ngôn ngữ {tag.strip() or '(trống)'}; "
            f"dùng một trong: {', '.join(known)}."
        )
    return known[code]


def parse_languages(text: str, known: Mapping[str, Language] | None = None) -> tuple[str, ...]:
    """'vi,blt,hmn' -> ('vi', 'blt', 'hmn'), refusing unknown codes with one sentence."""
    known = builtin_languages() if known is None else known
    codes = tuple(dict.fromkeys(c.strip().lower() for c in text.split(",") if c.strip()))
    if "th" in codes:
        raise InputError(_TH_HINT)
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InputError(
            f"Không biết mã ngôn ngữ {', '.join(unknown)}; dùng một trong: {', '.join(known)}."
        )
    if SOURCE_LANGUAGE not in codes:
        codes = (SOURCE_LANGUAGE, *codes)
    return codes


_SCRIPT_PREFIXES = (
    ("LATIN", "Latn"),
    ("CYRILLIC", "Cyrl"),
    ("GREEK", "Grek"),
    ("THAI", "Thai"),
    ("LAO", "Laoo"),
    ("CJK", "Hani"),
    ("HANGUL", "Hang"),
    ("HIRAGANA", "Hira"),
    ("KATAKANA", "Kana"),
    ("ARABIC", "Arab"),
    ("HEBREW", "Hebr"),
    ("DEVANAGARI", "Deva"),
    ("KHMER", "Khmr"),
    ("MYANMAR", "Mymr"),
    ("FULLWIDTH LATIN", "Latn"),
)


@functools.lru_cache(maxsize=4096)
def _script_of_char(char: str) -> str | None:
    if TAI_VIET[0] <= ord(char) <= TAI_VIET[1]:
        return "Tavt"  # letters, vowel signs, tone marks and symbols of the block alike
    category = unicodedata.category(char)
    if category[0] != "L" or category == "Lm":
        return None  # digits, punctuation, spaces, combining marks, modifier letters
    name = unicodedata.name(char, "")
    for prefix, script in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return script
    return "Zzzz"


def script_of(text: str) -> set[str]:
    """The ISO 15924 scripts of the letters in ``text``: {'Latn'}, {'Tavt'}, {'Latn', 'Tavt'}.

    Digits, punctuation and combining marks belong to no script here, so '‹blt› 01' is Latin
    and a Tai Viet word with a number is Tai Viet only. Letters of scripts not listed come
    back as 'Zzzz'.
    """
    return {s for s in map(_script_of_char, text) if s is not None}


def foreign_scripts(text: str, language: Language) -> set[str]:
    """Scripts used in ``text`` that ``language`` is not written in (empty when all fit)."""
    return script_of(text) - set(language.scripts)


def script_names(scripts: Iterable[str]) -> str:
    """'Latn, Tavt' with Vietnamese names for the two scripts editors meet most."""
    names = {"Latn": "Latinh", "Tavt": "Thái Việt (Tai Viet)", "Thai": "Thái Lan"}
    return ", ".join(f"{names.get(s, s)}" for s in sorted(scripts))
