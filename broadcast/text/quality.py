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

What a syllable count cannot see (binary residue, a page that is only its menu, markup and
entities, legacy residue, a few stripped words, dropped glyphs, glued words) is found by
``broadcast.text.damage``; markup, entities and certain legacy residue are repaired first, so
the verdict is on what would actually be read, and it quotes a sample of what it found.
"""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, field

from broadcast.errors import InputError
from broadcast.text import damage
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
    BINARY = "binary"
    BOILERPLATE = "boilerplate"
    MARKUP = "markup"
    LEGACY_RESIDUE = "legacy_residue"
    PARTIAL_DIACRITICS = "partial_diacritics"
    DROPPED_GLYPHS = "dropped_glyphs"
    GLUED_WORDS = "glued_words"


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
    sample: str = ""  # what the verdict saw, quoted to the producer
    repairs: tuple[damage.Repair, ...] = field(default=())  # made before judging

    @property
    def ok(self) -> bool:
        return self.kind is Quality.OK

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["repairs"] = [asdict(item) for item in self.repairs]
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
    Quality.BINARY: (
        "văn bản lẫn mã nhị phân của tệp văn phòng",
        "thường do đổi đuôi tệp .doc cũ hoặc sao chép nhầm nội dung tệp",
        "hãy mở tệp bằng Word và lưu lại dưới dạng .docx hoặc .txt",
    ),
    Quality.BOILERPLATE: (
        "văn bản chỉ có trình đơn, đường link và chữ khung trang web, không có bài viết",
        "thường do lưu cả trang web thay vì nội dung bài",
        "hãy sao chép riêng phần nội dung bài viết",
    ),
    Quality.MARKUP: (
        "văn bản còn mảnh mã ký tự HTML không giải được",
        "thường do sao chép từ trang web bị lỗi mã hoá",
        "hãy sao chép lại bài từ trang gốc hoặc sửa các chữ đó",
    ),
    Quality.LEGACY_RESIDUE: (
        "văn bản lẫn chữ gõ theo bảng mã hoặc kiểu gõ cũ (VNI, TCVN3) chưa chuyển được",
        "thường do gõ VNI khi bộ gõ chưa bật hoặc dán từ tệp dùng phông .VnTime, VNI-Times",
        "hãy chuyển mã bằng Unikey hoặc sửa lại các chữ đó",
    ),
    Quality.PARTIAL_DIACRITICS: (
        "văn bản có nhiều chữ bị mất dấu",
        "thường do gõ thiếu dấu hoặc sao chép qua phần mềm làm rơi dấu",
        "hãy bổ sung dấu cho các chữ đó",
    ),
    Quality.DROPPED_GLYPHS: (
        "văn bản bị rơi mất chữ cái bên trong từ",
        "thường do phông chữ thiếu ký tự khi trích xuất PDF",
        "hãy dùng bản gốc hoặc sửa lại các chữ đó",
    ),
    Quality.GLUED_WORDS: (
        "văn bản có nhiều chữ bị dính liền nhau",
        "thường do trích xuất PDF làm mất dấu cách",
        "hãy tách lại các chữ đó bằng dấu cách",
    ),
}

# Damage detectors in the order they are asked, and the verdict each one gives.
_AFTER_COUNT = (
    (damage.entity_left, Quality.MARKUP),
    (damage.legacy_left, Quality.LEGACY_RESIDUE),
    (damage.dropped_glyphs, Quality.DROPPED_GLYPHS),
    (damage.glued_words, Quality.GLUED_WORDS),
    (damage.partial_diacritics, Quality.PARTIAL_DIACRITICS),
)


@dataclass(frozen=True)
class _Judgement:
    kind: Quality
    counts: _Counts
    finding: damage.Finding | None
    repairs: tuple[damage.Repair, ...]


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


def _judge(text: str) -> _Judgement:
    """Repair what is certain, then ask each detector; the first damage found is the verdict.

    Binary residue is judged on the text as given (repair could hide it); a menu page is judged
    once its markup is gone, and regardless of length, since a menu is short. The syllable
    figures come before the finer detectors, so a text that lost all its marks is named for
    that, not for a symptom of it.
    """
    found = damage.binary_residue(text)
    if found is not None:
        return _Judgement(Quality.BINARY, _count(text), found, ())
    repaired, repairs = damage.repair(text)
    found = damage.boilerplate_only(repaired)
    if found is not None:
        return _Judgement(Quality.BOILERPLATE, _count(repaired), found, repairs)
    counts = _count(repaired)
    kind = _verdict(counts)
    # Too few valid syllables may have a named cause (glued, stripped, dropped letters).
    named = kind is Quality.OK or (
        kind is Quality.MANGLED and counts.share(counts.damaged) <= MAX_DAMAGED_SHARE
    )
    if not named or counts.words < MIN_WORDS:
        return _Judgement(kind, counts, None, repairs)
    for detect, found_kind in _AFTER_COUNT:
        found = detect(repaired)
        if found is not None:
            return _Judgement(found_kind, counts, found, repairs)
    return _Judgement(kind, counts, None, repairs)


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _figures(kind: Quality, counts: _Counts, finding: damage.Finding | None = None) -> str:
    """The measurement behind a verdict, in words a producer can check against the text."""
    marked = _percent(counts.share(counts.marked))
    valid = _percent(counts.share(counts.valid))
    if finding is not None:
        return f"{finding.count} chỗ, ví dụ «{finding.sample}»"
    if kind is Quality.NO_DIACRITICS:
        return f"chỉ {marked} số từ có dấu"
    if kind is Quality.MANGLED:
        damaged = _percent(counts.share(counts.damaged))
        return f"{damaged} số từ có dấu hỏi hoặc ký hiệu lạ, {valid} là âm tiết đúng"
    if kind is Quality.NOT_VIETNAMESE:
        return f"chỉ {_percent(counts.share(counts.skeleton))} số từ có thể là tiếng Việt"
    return f"{marked} số từ có dấu, {valid} là âm tiết đúng"


def _sentence(judgement: _Judgement) -> tuple[str, str]:
    """What is wrong (with figures or a sample, and the cause) and what to do."""
    problem, cause, action = _PROBLEMS[judgement.kind]
    figures = _figures(judgement.kind, judgement.counts, judgement.finding)
    return f"{problem} ({figures}; {cause})", action


_REPAIR_LABELS = {
    "html": "thẻ HTML",
    "markdown_image": "liên kết ảnh Markdown",
    "entity": "mã ký tự HTML",
    "vni_keys": "chữ gõ kiểu VNI",
    "legacy": "chữ bảng mã VNI",
}


def _message(judgement: _Judgement) -> str:
    if judgement.kind is Quality.OK:
        counts = judgement.counts
        text = f"Văn bản tiếng Việt đủ dấu, đọc được ({_figures(Quality.OK, counts)})."
        if judgement.repairs:
            done = ", ".join(
                f"{item.count} {_REPAIR_LABELS.get(item.kind, item.kind)}"
                for item in judgement.repairs
            )
            text += f" Đã tự sửa trước khi đánh giá: {done}."
        return text
    problem, action = _sentence(judgement)
    return f"{problem[:1].upper()}{problem[1:]}: {action}."


def assess_quality(text: str) -> QualityReport:
    """Measure ``text`` and say whether it is Vietnamese fit to be read aloud, and if not why."""
    judgement = _judge(text)
    counts = judgement.counts
    return QualityReport(
        kind=judgement.kind,
        words=counts.words,
        valid_share=counts.share(counts.valid),
        skeleton_share=counts.share(counts.skeleton),
        marked_share=counts.share(counts.marked),
        damaged_share=counts.share(counts.damaged),
        message=_message(judgement),
        sample=judgement.finding.sample if judgement.finding else "",
        repairs=judgement.repairs,
    )


def require_good_text(text: str, source: object) -> QualityReport:
    """Refuse text a voice would read wrongly, naming the override for a user who insists."""
    judgement = _judge(text)
    if judgement.kind is Quality.OK:
        return assess_quality(text)
    problem, action = _sentence(judgement)
    raise InputError(
        f"Không làm bản tin từ {source} vì {problem}: {action}, "
        f"hoặc thêm tùy chọn {OVERRIDE_FLAG} nếu vẫn muốn làm."
    )
