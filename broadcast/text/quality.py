"""Is this text fit to be read aloud as Vietnamese? Lost tones, mangled letters, other languages.

A TTS voice reads "Thuc hien Quyet dinh" as nonsense, and an announcer cannot guess which of
six tones each syllable had: "ban" may be bàn, bán, bản or bạn. A scan run through OCR
without a Vietnamese model (seed 002) or a file pushed through a code page that had no
Vietnamese letters ("Th?c hi?n") looks like text to every other check, so the words are
measured here against the structure of Vietnamese syllables:

* In ordinary Vietnamese prose about 60-80% of syllables carry a diacritic; text whose marks
  were stripped has next to none, although its words still spell valid toneless syllables.
* Damaged text has "?" or stray symbols inside words, or many words that are no syllable.
* Another language has few words that could be Vietnamese syllables even with marks added.
"""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass

from broadcast.errors import InputError
from broadcast.text.syllable import has_marks, is_syllable, is_syllable_skeleton

# Thresholds, calibrated on the seeds (see tests/test_ingest_quality.py for the figures).
MIN_WORDS = 20  # fewer words than this cannot be judged; short notices pass
MAX_DAMAGED_SHARE = 0.03  # words with "?" or a stray symbol inside
MIN_SKELETON_SHARE = 0.6  # words that could be Vietnamese syllables given the right marks
MIN_MARKED_SHARE = 0.5  # words carrying a diacritic (the seeds: ~0.9; seed 002: 0.17)
MIN_VALID_SHARE = 0.85  # words that are valid syllables as written

OVERRIDE_FLAG = "--allow-bad-text"

# A chunk between spaces, with the punctuation that may surround a word stripped off.
_EDGE = "\"'“”‘’«»()[]{}<>.,;:!…–—-*_"
# Letters, plus "?" and symbols that OCR or a lossy code page leave inside words.
_DAMAGED = re.compile(r"[^\W\d_][?¢£¥€§©®°±µ¶¤|~^`´¨]|[?¢£¥€§©®°±µ¶¤|~^`´¨][^\W\d_]")
_SKIP = re.compile(r"[\d@/\\=+#%&$]|://|\w\.\w")  # numbers, codes, links, e-mail, abbreviations


class Quality(enum.Enum):
    OK = "ok"
    NO_DIACRITICS = "no_diacritics"
    MANGLED = "mangled"
    NOT_VIETNAMESE = "not_vietnamese"


@dataclass(frozen=True)
class QualityReport:
    """The verdict on a text and the figures it rests on (shares of the counted words)."""

    kind: Quality
    words: int
    valid_share: float
    skeleton_share: float
    marked_share: float
    damaged_share: float
    message: str

    @property
    def ok(self) -> bool:
        return self.kind is Quality.OK

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["kind"] = self.kind.value
        return data


@dataclass
class _Counts:
    words: int = 0
    valid: int = 0
    skeleton: int = 0
    marked: int = 0
    damaged: int = 0

    def share(self, count: int) -> float:
        return round(count / self.words, 3) if self.words else 0.0


def _is_acronym(word: str) -> bool:
    """UBND, CCHC, TTHC: capitals that are no syllable are abbreviations, not damage."""
    return word.isupper() and not is_syllable(word)


def _count_chunk(chunk: str, counts: _Counts) -> None:
    """Count one space-delimited chunk; "kinh tế-xã hội" style compounds count per part."""
    if _DAMAGED.search(chunk):
        counts.words += 1
        counts.damaged += 1
        return
    for part in re.split(r"[-–—]", chunk):
        word = part.strip(_EDGE)
        if len(word) < 2 or _SKIP.search(word) or not word.isalpha() or _is_acronym(word):
            continue
        counts.words += 1
        counts.valid += is_syllable(word)
        counts.skeleton += is_syllable_skeleton(word)
        counts.marked += has_marks(word)


def _count(text: str) -> _Counts:
    counts = _Counts()
    for chunk in text.split():
        _count_chunk(chunk.strip(_EDGE.replace("?", "")), counts)
    return counts


# What is wrong, its usual cause, and what to do: one sentence once joined by ``_sentence``.
_PROBLEMS = {
    Quality.NO_DIACRITICS: (
        "văn bản tiếng Việt bị mất dấu",
        "thường do quét OCR hoặc gõ không dấu",
        "hãy dùng bản gốc có dấu hoặc gõ lại dấu",
    ),
    Quality.MANGLED: (
        "văn bản bị hỏng chữ",
        "thường do quét OCR hoặc lưu sai bảng mã",
        "hãy dùng bản gốc hoặc sửa lại chữ",
    ),
    Quality.NOT_VIETNAMESE: (
        "văn bản có vẻ không phải tiếng Việt",
        "rất ít từ đọc được như âm tiết tiếng Việt",
        "hãy chọn bài viết bằng tiếng Việt",
    ),
}


def _verdict(counts: _Counts) -> Quality:
    if counts.words < MIN_WORDS:
        return Quality.OK
    if counts.share(counts.damaged) > MAX_DAMAGED_SHARE:
        return Quality.MANGLED
    if counts.share(counts.skeleton) < MIN_SKELETON_SHARE:
        return Quality.NOT_VIETNAMESE
    if counts.share(counts.marked) < MIN_MARKED_SHARE:
        return Quality.NO_DIACRITICS
    if counts.share(counts.valid) < MIN_VALID_SHARE:
        return Quality.MANGLED
    return Quality.OK


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _figures(kind: Quality, counts: _Counts) -> str:
    """The measurement behind a verdict, in words a producer can check against the text."""
    marked = _percent(counts.share(counts.marked))
    valid = _percent(counts.share(counts.valid))
    if kind is Quality.NO_DIACRITICS:
        return f"chỉ {marked} số từ có dấu"
    if kind is Quality.MANGLED:
        damaged = _percent(counts.share(counts.damaged))
        return f"{damaged} số từ có dấu hỏi hoặc ký hiệu lạ, {valid} là âm tiết đúng"
    if kind is Quality.NOT_VIETNAMESE:
        return f"chỉ {_percent(counts.share(counts.skeleton))} số từ có thể là tiếng Việt"
    return f"{marked} số từ có dấu, {valid} là âm tiết đúng"


def _sentence(kind: Quality, counts: _Counts) -> tuple[str, str]:
    """What is wrong (with figures and cause) and what to do."""
    problem, cause, action = _PROBLEMS[kind]
    return f"{problem} ({_figures(kind, counts)}; {cause})", action


def _message(kind: Quality, counts: _Counts) -> str:
    if kind is Quality.OK:
        return f"Văn bản tiếng Việt đủ dấu, đọc được ({_figures(kind, counts)})."
    problem, action = _sentence(kind, counts)
    return f"{problem[:1].upper()}{problem[1:]}: {action}."


def assess_quality(text: str) -> QualityReport:
    """Measure ``text`` and say whether it is Vietnamese with its diacritics intact."""
    counts = _count(text)
    kind = _verdict(counts)
    return QualityReport(
        kind=kind,
        words=counts.words,
        valid_share=counts.share(counts.valid),
        skeleton_share=counts.share(counts.skeleton),
        marked_share=counts.share(counts.marked),
        damaged_share=counts.share(counts.damaged),
        message=_message(kind, counts),
    )


def require_good_text(text: str, source: object) -> QualityReport:
    """Refuse text a voice would read wrongly, naming the override for a user who insists."""
    report = assess_quality(text)
    if report.ok:
        return report
    problem, action = _sentence(report.kind, _count(text))
    raise InputError(
        f"Không làm bản tin từ {source} vì {problem}: {action}, "
        f"hoặc thêm tùy chọn {OVERRIDE_FLAG} nếu vẫn muốn làm."
    )
