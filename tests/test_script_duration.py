"""The duration model: summaries and scripts fit their target, and espeak agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadcast.audio.mix import MixSettings, assemble
from broadcast.script.build import build_script, summarize_article
from broadcast.script.coherence import requirements
from broadcast.script.duration import (
    ESPEAK_TABLE,
    announcer_pace,
    calibrate,
    espeak_coefficients,
    station_pace,
)
from broadcast.script.glossary import load_glossary
from broadcast.script.model import Role
from broadcast.store.station import Station
from broadcast.text.ingest import read_article
from broadcast.text.sentences import split_sentences
from broadcast.voice.base import engine_class

STATION = Station(name="Đài truyền thanh xã Mường La", commune="Mường La", province="Sơn La")
GOOD_SEEDS = ("000", "001", "003", "004")
VIETNEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "vietnews" / "dev.jsonl"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


def _interview(article: str) -> bool:
    """An interview is mostly in the first person, which a summary never puts on air
    (issue 11): four minutes of it cannot be filled, rightly, so it is no duration test."""
    texts = [s for line in article.splitlines() for s in split_sentences(line)]
    return sum(r is None for r in requirements(texts)) * 5 > len(texts)


@pytest.fixture(scope="module")
def long_articles(tmp_path_factory) -> list[Path]:
    """Long news articles (600+ syllables) from the VietNews dev split, as plain text files."""
    if not VIETNEWS.is_file():
        pytest.fail(f"{VIETNEWS} not found: check out shared/ beside the repository.")
    folder = tmp_path_factory.mktemp("vietnews")
    paths = []
    for line in VIETNEWS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if len(row["article"].split()) < 600 or _interview(row["article"]):
            continue
        path = folder / f"{row['id']}.txt"
        path.write_text("Bản tin\n\n" + row["article"].replace("\n", "\n\n"), encoding="utf-8")
        paths.append(path)
        if len(paths) == 4:
            break
    return paths


@pytest.mark.parametrize("number", GOOD_SEEDS)
@pytest.mark.parametrize("minutes", [1, 2, 3])
def test_seed_summary_within_15_percent(seed, glossary, number: str, minutes: int) -> None:
    summary = summarize_article(read_article(seed(number)), STATION, glossary, minutes=minutes)
    assert 0.85 * minutes * 60 <= summary.seconds <= minutes * 60


@pytest.mark.parametrize("number", GOOD_SEEDS)
@pytest.mark.parametrize("minutes", [1, 2, 3])
def test_seed_script_within_15_percent(seed, glossary, number: str, minutes: int) -> None:
    script = build_script(read_article(seed(number)), STATION, minutes, glossary)
    assert abs(script.estimated_seconds - minutes * 60) <= 0.15 * minutes * 60


def test_long_news_articles_within_15_percent(long_articles, glossary) -> None:
    assert len(long_articles) == 4
    for path in long_articles:
        article = read_article(path)
        for minutes in (0.5, 1, 2, 4):
            summary = summarize_article(article, STATION, glossary, minutes=minutes)
            assert 0.85 * minutes * 60 <= summary.seconds <= minutes * 60, (path.name, minutes)
            script = build_script(article, STATION, minutes + 0.5, glossary)
            target = (minutes + 0.5) * 60
            assert abs(script.estimated_seconds - target) <= 0.15 * target, (path.name, minutes)


def test_estimate_matches_real_espeak_at_one_minute(seed, glossary) -> None:
    script = build_script(read_article(seed("000")), STATION, 1, glossary)
    engine = engine_class("espeak")(voice=STATION.voice, rate=STATION.speech_rate)
    clips = [engine.synthesize(s.spoken) for s in script.sentences]
    breaks = {i for i, s in enumerate(script.sentences) if s.role is not Role.BODY}
    timeline, _ = assemble(clips, breaks, MixSettings(pause_ms=STATION.pause_ms))
    real = len(timeline) / 1000
    assert abs(script.estimated_seconds - real) <= 0.15 * real
    assert abs(real - 60) <= 0.15 * 60, "the voiced segment itself fits the minute"


def test_espeak_table_still_matches_the_installed_voice(seed, glossary) -> None:
    from broadcast.script.build import prepare_body

    units = prepare_body(read_article(seed("004")), STATION, glossary)
    spoken = [p.spoken for u in units[:30] for p in u.parts]
    engine = engine_class("espeak")(voice="vi", rate=125)
    measured = calibrate(lambda t: engine.synthesize(t).duration_s, spoken)
    table = ESPEAK_TABLE[("vi", 125)]
    assert measured[0] == pytest.approx(table[0], rel=0.1), "seconds per syllable"


def test_pace_follows_rate_voice_and_station_setting() -> None:
    slow, fast = espeak_coefficients("vi", 100), espeak_coefficients("vi", 175)
    assert slow[0] > fast[0]
    between = espeak_coefficients("vi", 137)
    assert fast[0] < between[0] < slow[0], "interpolated between measured rates"
    assert espeak_coefficients("vi", 300)[0] < espeak_coefficients("vi", 250)[0]
    assert espeak_coefficients("xx-unknown", 125) == espeak_coefficients("vi", 125)
    voice = station_pace(STATION)
    assert 170 < voice.syllables_per_minute < 210, "espeak at 125 says ~195 syllables/min"
    announcer = station_pace(Station("a", "b", "c", pace="announcer", syllables_per_minute=240))
    assert announcer == announcer_pace(240, STATION.pause_ms)
    assert announcer.syllables_per_minute == pytest.approx(240)
    sentence = "Xã Mường La tiếp nhận một nghìn hai trăm năm mươi hồ sơ, đạt bảy mươi phần trăm."
    assert announcer.speech_seconds(sentence) < voice.speech_seconds(sentence)
    assert voice.sentence_seconds(sentence, section=True) > voice.sentence_seconds(sentence)
