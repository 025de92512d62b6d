"""Is this word a Vietnamese syllable? Onset + rhyme + tone, by the rules of the orthography.

Two decisions rest on it: which legacy encoding a file was written in (the right decoding
yields real syllables, a wrong one yields "Thùc hiÖn"), and whether a text lost its tone
marks or is not Vietnamese at all. A dictionary would be bigger and still miss names; the
syllable structure is small, closed and catches mojibake, OCR damage and foreign words alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from broadcast.text.markers import fold

# Combining marks that carry the tone; circumflex, breve and horn change the vowel instead.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_STOP_TONES = frozenset("\u0301\u0323")  # sắc and nặng: the only tones before p, t, c, ch

_ONSET_LIST = "ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x"
ONSETS = (*_ONSET_LIST.split(" "), "")  # longest first, so "ngh" wins over "ng" and "n"

_PLAIN_RHYMES = """
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
y yêm yên yêt yêu
o oc oi om on ong op ot ooc oong
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
"""
# With the rounded glide written o or u ("hoa", "thuế", "tuyên").
_GLIDE_RHYMES = """
oa oac oach oai oam oan oang oanh oao oap oat oay
oăc oăm oăn oăng oăt
oe oem oen oeo oet
uân uâng uât uây
uê uêch uênh uêt
uy uya uych uyên uyêt uynh uyp uyt uyu
uơ
"""
# After "qu" the glide is already written: "quy", "quyết", "quỳnh".
_QU_EXTRA = "ynh yt ych yu"

PLAIN_RHYMES = frozenset(_PLAIN_RHYMES.split())
GLIDE_RHYMES = frozenset(_GLIDE_RHYMES.split())
QU_RHYMES = frozenset(r for r in PLAIN_RHYMES if r[0] not in "uưo") | frozenset(_QU_EXTRA.split())
_FRONT = "eêiy"  # gh, ngh and k go before these; c, g and ng never do
_STOPS = ("p", "t", "c", "ch")
_GI_WITH_I = "gi+i"  # "gìn" = gi + in, "giếng" = gi + iêng: the onset swallows the i

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def split_tone(word: str) -> tuple[str, list[str]]:
    """The word without tone marks (vowel changes kept, NFC, lowercase) and the tones found."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    base = "".join(ch for ch in decomposed if ch not in TONE_MARKS)
    return unicodedata.normalize("NFC", base), tones


def _onset_fits(onset: str, rhyme: str) -> bool:
    """Spelling rules: "ghi", "nghe", "kê" but never "ge", "ngi", "ce"."""
    front = rhyme[0] in _FRONT
    if onset in ("gh", "ngh"):
        return front
    if onset in ("c", "ng") or onset == "g":
        return not front
    return True


def _rhyme_fits(onset: str, rhyme: str) -> bool:
    if onset == _GI_WITH_I:
        return rhyme in PLAIN_RHYMES
    if onset == "qu":
        return rhyme in QU_RHYMES
    if rhyme in GLIDE_RHYMES:
        return onset not in ("gh", "ngh", "k")
    return rhyme in PLAIN_RHYMES and _onset_fits(onset, rhyme)


def _splits(base: str) -> list[tuple[str, str]]:
    """Every (onset, rhyme) reading; "gi" may be an onset ("gia") or g + i ("gìn", "giếng")."""
    found = []
    for onset in ONSETS:
        if base.startswith(onset) and len(base) > len(onset):
            found.append((onset, base[len(onset) :]))
    if base.startswith("gi") and len(base) > 2:
        found.append((_GI_WITH_I, "i" + base[2:].removeprefix("i")))
    return found


def _tone_fits(rhyme: str, tones: list[str]) -> bool:
    if len(tones) > 1:
        return False
    if rhyme.endswith(_STOPS):
        return bool(tones) and tones[0] in _STOP_TONES
    return True


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable with a legal tone, in any letter case."""
    base, tones = split_tone(word)
    if base == "gi":  # "gì", "gi"
        return len(tones) <= 1
    return any(
        _tone_fits(rhyme, tones) and _rhyme_fits(onset, rhyme) for onset, rhyme in _splits(base)
    )


def _folded_parts() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return (
        frozenset(fold(r) for r in PLAIN_RHYMES),
        frozenset(fold(r) for r in GLIDE_RHYMES),
        frozenset(fold(r) for r in QU_RHYMES),
    )


_FOLDED_PLAIN, _FOLDED_GLIDE, _FOLDED_QU = _folded_parts()


@lru_cache(maxsize=65536)
def is_syllable_skeleton(word: str) -> bool:
    """True when some choice of diacritics would make ``word`` a syllable ("duong" -> đường).

    Text whose marks were stripped still passes; English and French words mostly do not.
    """
    base = fold(word)
    if base == "gi":
        return True
    for onset in (fold(o) for o in ONSETS):
        if not base.startswith(onset) or len(base) == len(onset):
            continue
        rhyme = base[len(onset) :]
        if onset == "qu":
            ok = rhyme in _FOLDED_QU
        else:
            ok = rhyme in _FOLDED_GLIDE or (rhyme in _FOLDED_PLAIN and _onset_fits(onset, rhyme))
        if ok:
            return True
    return base.startswith("gi") and "i" + base[2:].removeprefix("i") in _FOLDED_PLAIN


def has_marks(word: str) -> bool:
    """Whether the word carries any Vietnamese diacritic (tone, vowel change or đ)."""
    return fold(word) != word.lower()


def words(text: str) -> list[str]:
    """Runs of letters: the candidate syllables of a text."""
    return _WORD.findall(text)


def syllable_score(text: str) -> int:
    """Valid syllables minus invalid words of two letters or more: higher is more Vietnamese.

    Used to choose between candidate decodings of the same bytes, where a wrong table turns
    every accented syllable into an invalid word.
    """
    score = 0
    for word in words(text):
        if len(word) < 2:
            continue
        score += 1 if is_syllable(word) else -1
    return score
