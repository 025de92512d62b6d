"""Text quality: lost tone marks, mangled letters and other languages, calibrated on the seeds.

Figures measured on the seeds (share of counted words; acronyms, numbers and codes skipped):

    seed  words  valid  skeleton  marked  damaged  verdict
    000   2299   0.997  0.997     0.897   0.0      ok
    001   2258   0.996  0.996     0.897   0.0      ok
    002   2733   0.62   0.88      0.172   0.005    no_diacritics
    003   2050   0.998  0.998     0.904   0.0      ok
    004   2371   0.999  0.999     0.896   0.0      ok
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcast.errors import InputError
from broadcast.text.ingest import read_article
from broadcast.text.quality import (
    MIN_MARKED_SHARE,
    MIN_SKELETON_SHARE,
    OVERRIDE_FLAG,
    Quality,
    assess_quality,
    require_good_text,
)
from broadcast.text.syllable import has_marks, is_syllable, is_syllable_skeleton

SeedFinder = Callable[[str], Path]

ENGLISH = (
    "The commune people's committee held a meeting on administrative reform. Citizens were "
    "shown how to submit applications online through the national public service portal, and "
    "officials answered questions about the new procedures for land, business registration and "
    "social insurance. The plan sets targets for the satisfaction index and for the share of "
    "records processed on time."
)
FRENCH = (
    "Le comité populaire de la commune a organisé une réunion sur la réforme administrative. "
    "Les citoyens ont appris à déposer leurs demandes en ligne sur le portail national des "
    "services publics, et les fonctionnaires ont répondu aux questions sur les nouvelles "
    "procédures foncières, l'enregistrement des entreprises et l'assurance sociale."
)


def article_text(path: Path) -> str:
    article = read_article(path)
    return f"{article.title}\n\n{article.body}"


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def question_marks(text: str, share: float, seed: int = 7) -> str:
    """Replace ``share`` of the accented letters by "?", as a lossy code page does."""
    rng = random.Random(seed)
    return "".join(
        "?" if ch.isalpha() and not ch.isascii() and rng.random() < share else ch for ch in text
    )


# --- the syllable validator ------------------------------------------------------------------


VALID = (
    "Thực hiện Quyết định của Ủy ban tỉnh MỤC ĐÍCH YÊU CẦU quốc quy quyền giếng gìn gì giữa "
    "nghiêng khuyến quỳnh tuyên truyền người đứng đầu huyện xã phường chuyển đổi khoẻ khỏe "
    "thuở oằn yêu ạ ừ kỹ"
)
# Wrong decodings, OCR damage, no tone on a stop ending, spelling rules, foreign words.
INVALID = (
    "Thùc hiÖn Thöïc hieän dimg ciing nhitng tuyén cdng tac hoc viêc ge ngi ghá administrative "
    "and gouvernement"
)
STRIPPED = "duong tuyen truyen cong tac nhung thuc hien"
FOREIGN = "and of administrative gouvernement dimg"


@pytest.mark.parametrize("word", VALID.split())
def test_real_syllables_are_valid(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", INVALID.split())
def test_broken_or_foreign_words_are_invalid(word: str) -> None:
    assert not is_syllable(word)


def test_skeleton_accepts_stripped_vietnamese_only() -> None:
    assert all(map(is_syllable_skeleton, STRIPPED.split()))
    assert not any(map(is_syllable_skeleton, FOREIGN.split()))
    assert has_marks("đi") and has_marks("cá") and not has_marks("ca")


# --- calibration on the seeds ----------------------------------------------------------------


@pytest.mark.parametrize("number", ["000", "001", "003", "004"])
def test_good_seeds_are_ok(seed: SeedFinder, number: str) -> None:
    report = assess_quality(article_text(seed(number)))
    assert report.kind is Quality.OK, report
    assert report.words > 1500
    assert report.valid_share > 0.99
    assert 0.8 < report.marked_share < 0.95


def test_seed_002_lost_its_tone_marks(seed: SeedFinder) -> None:
    report = assess_quality(article_text(seed("002")))
    assert report.kind is Quality.NO_DIACRITICS
    assert report.marked_share < MIN_MARKED_SHARE / 2
    assert report.skeleton_share > 0.85  # still Vietnamese underneath
    assert report.valid_share < 0.7
    assert "mất dấu" in report.message and "hãy" in report.message


def test_stripped_seed_000_is_no_diacritics(seed: SeedFinder) -> None:
    report = assess_quality(strip_diacritics(article_text(seed("000"))))
    assert report.kind is Quality.NO_DIACRITICS
    assert report.marked_share == 0.0
    assert report.skeleton_share > 0.99


def test_question_marks_in_seed_000_are_mangled(seed: SeedFinder) -> None:
    report = assess_quality(question_marks(article_text(seed("000")), 0.2))
    assert report.kind is Quality.MANGLED
    assert report.damaged_share > 0.1
    assert "hỏng chữ" in report.message


def test_a_few_question_marks_are_ordinary_punctuation(seed: SeedFinder) -> None:
    text = article_text(seed("000")) + "\n\nBà con đã biết nộp hồ sơ trực tuyến chưa? Có!"
    assert assess_quality(text).kind is Quality.OK
    assert assess_quality(question_marks(article_text(seed("000")), 0.005)).kind is Quality.OK


@pytest.mark.parametrize("text", [ENGLISH, FRENCH], ids=["english", "french"])
def test_other_languages_are_not_vietnamese(text: str) -> None:
    report = assess_quality(text)
    assert report.kind is Quality.NOT_VIETNAMESE
    assert report.skeleton_share < MIN_SKELETON_SHARE
    assert "không phải tiếng Việt" in report.message


def test_a_short_vietnamese_notice_is_ok() -> None:
    report = assess_quality("Lịch tiếp công dân: sáng thứ Hai hằng tuần tại trụ sở UBND xã.")
    assert report.kind is Quality.OK


def test_refusal_names_the_problem_and_the_override(seed: SeedFinder) -> None:
    with pytest.raises(InputError) as info:
        require_good_text(article_text(seed("002")), "bai.txt")
    message = info.value.message
    assert message.startswith("Không làm bản tin từ bai.txt vì văn bản tiếng Việt bị mất dấu")
    assert OVERRIDE_FLAG in message and message.endswith(".")
    assert message.count(". ") == 0, "one sentence"


def test_report_as_dict_is_plain_data(seed: SeedFinder) -> None:
    data = assess_quality(article_text(seed("001"))).as_dict()
    assert data["kind"] == "ok"
    assert set(data) == {
        "kind",
        "words",
        "valid_share",
        "skeleton_share",
        "marked_share",
        "damaged_share",
        "message",
        "sample",
        "repairs",
    }
    assert data["repairs"] == [] and data["sample"] == ""
