"""Damage a syllable count cannot see: residue, boilerplate, markup, dropped and glued letters.

``quality`` measures how many words are Vietnamese syllables; text can pass that and still be
unfit for air. A .doc read as text keeps runs of control bytes; a saved page may be nothing but
its menu; a copy from a web page keeps "&#7889;" and "![ảnh](...)"; a word typed with the VNI
input method and no keyboard driver reads "mo7"; a font that lacks a glyph leaves "v ng"; a PDF
extraction glues "thựchiện". Each detector here returns a short sample so the verdict can quote
what it saw, and ``repair`` fixes only what has one certain reading (markup, entities, legacy
residue whose decoding is a syllable), so that what is left is judged, not the markup.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from broadcast.text.legacy import decode_tcvn3, decode_vni
from broadcast.text.syllable import has_marks, is_syllable, is_syllable_skeleton, syllable_score

# --- repair --------------------------------------------------------------------------------

# Only real HTML tag names: "<Ghi chú>" in a template is text, not markup.
_TAG_NAMES = (
    "a|abbr|article|aside|b|big|blockquote|body|br|button|center|div|em|figcaption|figure|"
    "font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|label|li|link|main|meta|"
    "nav|noscript|ol|p|picture|section|small|source|span|strong|sub|sup|table|tbody|td|th|"
    "thead|title|tr|u|ul"
)
_HTML_TAG = re.compile(rf"</?(?:{_TAG_NAMES})\b(?:\s[^<>]*)?/?>", re.IGNORECASE)
_HTML_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
# A whole entity, "&#7889;", "&#x1ED1;" or "&atilde;" ("&amp;#7889;", escaped twice, is
# decoded twice). One without its ";" is not certain ("&#78" + "n"?) and is left to be judged.
_ENTITY = re.compile(r"&(?:#\d{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z]{2,8}\d{0,2});")
# VNI typing with no input driver: tone digits 1-5, 6 = ^, 7 = horn, 8 = breve, 9 = đ.
_VNI_KEYS = re.compile(r"\b[^\W\d_]+(?:[1-9]{1,3}[^\W\d_]*)+\b")
_VNI_TONE = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
_VNI_SHAPE = {"6": {"a": "â", "e": "ê", "o": "ô"}, "7": {"o": "ơ", "u": "ư"}, "8": {"a": "ă"}}
# Latin-1 letters that a VNI-Windows or TCVN3 byte leaves in a Unicode text.
_LEGACY_CHARS = re.compile(r"[¡-ÿ]")  # TCVN3 uses 0xA1-0xFF, VNI 0xC0-0xFF
# Of those, the ones no Vietnamese word contains: residue for certain.
_LEGACY_ONLY = re.compile(r"[ÄÅÆËÎÏÑÖØÛÜäåæëîïñöøûü¸µ¶·¹¨©ª«¬®]")
# Units and abbreviations that are consonants only and stand alone in good text.
_UNIT_WORDS = frozenset(str.split("m km cm mm dm kg g mg ml l h ha kw kwh đ tr s t"))
_FORMULAS = frozenset({"co2", "so2", "no2", "h2o", "mp3", "mp4", "pm2", "pm10", "4g", "5g"})
_UNITS = frozenset({"m", "km", "cm", "mm", "dm", "ha"})  # "m2", "km2": not VNI typing
_LETTER = rf"(?:[^\W\d_]|{_LEGACY_CHARS.pattern})"  # TCVN3 "đ" is "®", no letter to \w
_LEGACY_WORD = re.compile(rf"{_LETTER}*{_LEGACY_CHARS.pattern}{_LETTER}*")


REPAIRED = "repaired"  # the kind ingestion lists a repair under, beside what it removed


@dataclass(frozen=True)
class Repair:
    """One kind of repair made before judging, how often, and an example of what was there."""

    kind: str
    count: int
    sample: str


def _decode_entity(match: re.Match[str]) -> str:
    decoded = html.unescape(match.group())
    return decoded if decoded.isprintable() else match.group()


def _vni_keys_word(word: str) -> str | None:
    """ "mo7" -> "mơ", "Vie65t" -> "Việt"; None unless the result is a Vietnamese syllable."""
    letters = re.sub(r"\d", "", word)
    digits = re.findall(r"\d", word)
    if (
        len(letters) < 2
        or letters.isupper()  # "I1", "QL6": codes, not typing
        or not letters.isascii()  # "lên125": a word and a number run together
        or len(set(digits)) != len(digits)  # "bong88": a name
        or sum(d in _VNI_TONE for d in digits) > 1
        or word.lower() in _FORMULAS
    ):
        return None
    out = letters
    tone = ""
    for digit in digits:
        if digit in _VNI_TONE:
            tone = _VNI_TONE[digit]
        elif digit == "9":
            out = re.sub("d", "đ", out, count=1)
            out = re.sub("D", "Đ", out, count=1)
        elif digit in _VNI_SHAPE:
            shape = _VNI_SHAPE[digit]
            for i in range(len(out) - 1, -1, -1):
                low = out[i].lower()
                if low in shape:
                    new = shape[low]
                    out = out[:i] + (new.upper() if out[i].isupper() else new) + out[i + 1 :]
                    if digit == "7" and low == "u" and i + 1 < len(out) and out[i + 1] == "o":
                        out = out[: i + 1] + "ơ" + out[i + 2 :]  # "u7o" types "ươ"
                    break
        else:
            return None
    if tone:
        vowels = [i for i, ch in enumerate(out) if ch.lower() in "aăâeêioôơuưy"]
        if not vowels:
            return None
        marked = [i for i in vowels if out[i].lower() in "ăâêôơư"]
        if marked:
            at = marked[-1]
        elif len(vowels) > 1 and vowels[-1] == len(out) - 1:
            at = vowels[-2]
        else:
            at = vowels[-1] if len(vowels) == 1 or vowels[-1] < len(out) - 1 else vowels[0]
        out = out[: at + 1] + tone + out[at + 1 :]
    out = unicodedata.normalize("NFC", out)
    return out if is_syllable(out) and out != word else None


def _legacy_word(word: str, *, weak: bool = False) -> str | None:
    """A VNI-Windows or TCVN3 word left in Unicode text ("Thöïc", "hiÖn"), if it is a syllable.

    A word is certain residue when it holds a letter no Vietnamese word has or two of its
    characters make one letter ("tuyeán"); a word like "dòch" (dịch) is only residue in a text
    that has certain residue too (``weak``), since "cuô" alone is a typo, not VNI.
    """
    if is_syllable(word) or (len(word) == 1 and not word.isalpha()):
        return None  # "trò" is a word, though VNI would read it as "trị"; "«" is a quote
    try:
        raw = word.encode("cp1252")
    except UnicodeEncodeError:
        return None
    decoded = decode_vni(raw)
    if not is_syllable(decoded):  # not VNI: perhaps TCVN3 (.VnTime), one byte per letter
        decoded = decode_tcvn3(raw, syllable_score)
    strong = bool(_LEGACY_ONLY.search(word)) or len(decoded) < len(word)
    if not (strong or weak):
        return None
    return decoded if decoded != word and is_syllable(decoded) else None


def _legacy_weak(word: str) -> str | None:
    return _legacy_word(word, weak=True)


def repair(text: str) -> tuple[str, tuple[Repair, ...]]:
    """Strip markup, decode entities and map certain legacy residue; report every kind done."""
    repairs: list[Repair] = []

    def note(kind: str, pattern: re.Pattern[str], replace: object, current: str) -> str:
        found = [m.group() for m in pattern.finditer(current)]
        if not found:
            return current
        result = pattern.sub(replace, current)  # type: ignore[call-overload]
        if result != current:
            repairs.append(Repair(kind, len(found), found[0][:40]))
        return result

    text = unicodedata.normalize("NFC", text)  # "cuô" + U+0323 + "c" is "cuộc", no residue
    text = note("html", _HTML_BLOCK, "", text)
    tagged = text
    text = note("html", _HTML_TAG, " ", text)
    if text != tagged:  # a tag between words leaves a space; one at a line's end, none
        text = "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))
    text = note("markdown_image", _MD_IMAGE, "", text)
    text = note("entity", _ENTITY, _decode_entity, text)
    text = note("entity", _ENTITY, _decode_entity, text)  # "&amp;#7889;" was escaped twice

    def word_fix(kind: str, pattern: re.Pattern[str], fix: object, current: str) -> str:
        count = 0
        sample = ""

        def sub(match: re.Match[str]) -> str:
            nonlocal count, sample
            fixed = fix(match.group())  # type: ignore[operator]
            if fixed is None:
                return match.group()
            count += 1
            sample = sample or match.group()
            return str(fixed)

        result = pattern.sub(sub, current)
        if count:
            repairs.append(Repair(kind, count, sample))
        return result

    text = word_fix("vni_keys", _VNI_KEYS, _vni_keys_word, text)
    fixed = word_fix("legacy", _LEGACY_WORD, _legacy_word, text)
    if fixed != text:  # certain residue found: the single-letter codes are residue too
        repairs.pop()
        fixed = word_fix("legacy", _LEGACY_WORD, _legacy_weak, text)
    text = fixed
    return text, tuple(repairs)


# --- detectors -----------------------------------------------------------------------------

_DOC_MARKERS = re.compile(
    r"Root Entry|WordDocument|Microsoft (?:Office )?Word|SummaryInformation|\bbjbj|ÐÏà¡|"
    r"\[Content_Types\]\.xml|word/document\.xml|PK\x03\x04"
)
_BOILERPLATE = re.compile(
    r"skip to (?:main )?content|bỏ qua nội dung|trang chủ|đăng nhập|đăng ký|liên hệ|"
    r"sơ đồ (?:trang|site)|tìm kiếm|menu|chia sẻ|bản quyền|copyright|©|cookie|"
    r"giới thiệu|tin tức|văn bản|thủ tục hành chính|hỏi đáp|điều hướng",
    re.IGNORECASE,
)
_CONSONANTS_ONLY = re.compile(r"^[bcdđghklmnpqrstvx]{1,4}$")
_LEFT_ENTITY = re.compile(r"&#\w{1,8};?|&[a-zA-Z]{2,8};|#\d{3,5};")

BINARY_SHARE = 0.01  # control or replacement characters in the text
MIN_PROSE_LINES = 2  # a page with fewer lines of prose than this is only furniture
PROSE_WORDS = 9  # a menu item or a footer is shorter than a (wrapped) line of prose
SHARE_LIMIT = 0.02  # words with dropped glyphs, glued syllables, stripped marks
MIN_HITS = 3  # ... and at least this many, so one typo is not a verdict


@dataclass(frozen=True)
class Finding:
    """A class of damage, its share of the judged words, and a short sample to quote."""

    kind: str
    count: int
    sample: str


def _sample(text: str, start: int, end: int) -> str:
    piece = text[max(0, start - 15) : end + 15].replace("\n", " ")
    return re.sub(r"[^\w\s.,;:!?()\-–/&#]", "·", piece).strip()[:50]


def binary_residue(text: str) -> Finding | None:
    """Control bytes, U+FFFD, or the markers of an OLE .doc/.docx container read as text."""
    marker = _DOC_MARKERS.search(text)
    bad = [
        i
        for i, ch in enumerate(text)
        if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Co") and ch not in "\t\n\r\f\v")
    ]
    if marker is None and len(bad) <= max(2, BINARY_SHARE * len(text)):
        return None
    at = marker.start() if marker is not None else bad[0]
    return Finding("binary", len(bad) + (marker is not None), _sample(text, at, at + 10))


def boilerplate_only(text: str) -> Finding | None:
    """A page of menus and links: boilerplate words, and almost no line of real prose."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    prose = [line for line in lines if len(line.split()) >= PROSE_WORDS]
    hits = list(_BOILERPLATE.finditer(text))
    if len(prose) >= MIN_PROSE_LINES or len(hits) < 3:
        return None
    return Finding("boilerplate", len(hits), _sample(text, hits[0].start(), hits[0].end()))


def _tokens(text: str) -> list[str]:
    return [t.strip("\"'“”‘’«»()[]{}<>.,;:!?…–—-*_") for t in text.split()]


def entity_left(text: str) -> Finding | None:
    """Entity fragments that survived decoding ("&#78", "#7889;"): a word is missing there."""
    found = list(_LEFT_ENTITY.finditer(text))
    if len(found) < 2:
        return None
    return Finding("markup", len(found), _sample(text, found[0].start(), found[0].end()))


def legacy_left(text: str) -> Finding | None:
    """Words still holding VNI keystrokes or legacy code-page letters after repair."""
    hits = [t for t in _tokens(text) if _vni_left(t) or (_LEGACY_ONLY.search(t) and t.isalpha())]
    if len(hits) < MIN_HITS:
        return None
    return Finding("legacy_residue", len(hits), " ".join(hits[:4]))


def _vni_left(token: str) -> bool:
    """ "nq7gười", "mo7": letters with a digit after a letter, not a code ("A1") or a unit."""
    match = re.fullmatch(r"([^\W\d_]+)([1-9]{1,3})([^\W\d_]*)", token)
    return bool(match) and token[:1].islower() and match.group(1) not in _UNITS  # type: ignore[union-attr]


def _judged(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t.isalpha() and not t.isupper()]


def partial_diacritics(text: str) -> Finding | None:
    """Some words lost their marks: toneless spellings that are no syllable until marked."""
    words = _judged(_tokens(text))
    hits = [  # names are often written without marks ("Nguyen" in a foreign text): skipped
        w
        for w in words
        if w.islower()
        and len(w) > 1
        and not has_marks(w)
        and not is_syllable(w)
        and is_syllable_skeleton(w)
    ]
    if len(hits) < MIN_HITS or len(hits) <= SHARE_LIMIT * len(words):
        return None
    return Finding("partial_diacritics", len(hits), " ".join(hits[:4]))


def dropped_glyphs(text: str) -> Finding | None:
    """Lowercase consonant-only pieces ("v ng", "trng"): a vowel glyph the font lacked."""
    tokens = _tokens(text)
    words = _judged(tokens)
    hits = [
        i
        for i, t in enumerate(tokens)
        if t.islower()
        and t.isalpha()
        and _CONSONANTS_ONLY.match(t)
        and t not in _UNIT_WORDS
        and not (i and re.search(r"[\d/]", tokens[i - 1]))  # "50 m", "24 h", "m3 / s"
    ]
    if len(hits) < MIN_HITS or len(hits) <= SHARE_LIMIT * len(words):
        return None
    at = hits[0]
    return Finding("dropped_glyphs", len(hits), " ".join(tokens[max(0, at - 2) : at + 3]))


def _glued(word: str) -> bool:
    if len(word) < 4 or is_syllable(word):
        return False
    low = word.lower()
    for cut in range(2, len(low) - 1):
        head, tail = low[:cut], low[cut:]
        if (
            is_syllable(head)
            and (has_marks(head) or has_marks(tail))
            and (
                is_syllable(tail)
                or any(is_syllable(tail[:k]) and is_syllable(tail[k:]) for k in range(1, len(tail)))
            )
        ):
            return True
    return False


def glued_words(text: str) -> Finding | None:
    """Two or three syllables without the space between ("thựchiện", "ngườidân")."""
    words = _judged(_tokens(text))
    hits = [w for w in words if _glued(w)]
    if len(hits) < MIN_HITS or len(hits) <= SHARE_LIMIT * len(words):
        return None
    return Finding("glued_words", len(hits), " ".join(hits[:4]))
