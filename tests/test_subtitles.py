"""SRT sidecars: written from sentence timings, read back strictly."""

from __future__ import annotations

import unicodedata

import pytest

from broadcast.errors import InputError
from broadcast.video.subtitles import (
    Cue,
    cues_from_timings,
    format_timestamp,
    parse_srt,
    write_srt,
)

TEXTS = [
    "Ủy ban nhân dân xã Mường La thông báo lịch tiếp dân.",
    "Người dân mang theo căn cước công dân khi đến làm thủ tục.",
    "Xin trân trọng cảm ơn!",
]
TIMINGS = [(0.0, 2.5), (2.75, 6.125), (3725.5, 3727.999)]

GOLDEN = """1
00:00:00,000 --> 00:00:02,500
Ủy ban nhân dân xã Mường La thông báo lịch tiếp dân.

2
00:00:02,750 --> 00:00:06,125
Người dân mang theo căn cước công dân khi đến làm thủ tục.

3
01:02:05,500 --> 01:02:07,999
Xin trân trọng cảm ơn!
"""


def test_write_srt_matches_golden_text():
    assert write_srt(cues_from_timings(TEXTS, TIMINGS)) == GOLDEN


def test_round_trip_keeps_every_cue():
    cues = cues_from_timings(TEXTS, TIMINGS)
    assert parse_srt(write_srt(cues)) == cues


def test_round_trip_through_utf8_bytes_with_bom_and_crlf():
    raw = ("\ufeff" + GOLDEN.replace("\n", "\r\n")).encode("utf-8")
    cues = parse_srt(raw.decode("utf-8"))
    assert [c.text for c in cues] == TEXTS
    assert [(c.start, c.end) for c in cues] == TIMINGS


def test_timestamps_round_to_milliseconds_without_carrying_errors():
    assert format_timestamp(59.9996) == "00:01:00,000"
    assert format_timestamp(0.0004) == "00:00:00,000"
    assert format_timestamp(36000.25) == "10:00:00,250"


def test_multiline_cue_text_is_kept():
    text = "1\n00:00:01,000 --> 00:00:02,000\nDòng một\nDòng hai\n"
    assert parse_srt(text)[0].text == "Dòng một\nDòng hai"


def test_parse_normalises_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Ủy ban")
    cue = parse_srt(f"1\n00:00:01,000 --> 00:00:02,000\n{decomposed}\n")[0]
    assert cue.text == "Ủy ban"


def test_parsed_cues_are_in_time_order():
    cues = parse_srt(GOLDEN)
    assert [c.index for c in cues] == [1, 2, 3]
    assert all(a.start <= b.start for a, b in zip(cues, cues[1:], strict=False))


def test_empty_file_has_no_cues():
    assert parse_srt("") == []
    assert write_srt([]) == ""


@pytest.mark.parametrize(
    ("broken", "block"),
    [
        ("x\n00:00:01,000 --> 00:00:02,000\nChữ\n", 1),
        ("1\n00:00:01.000 --> 00:00:02,000\nChữ\n", 1),  # dot instead of comma
        ("1\n00:00:01,000 -> 00:00:02,000\nChữ\n", 1),
        ("1\n00:61:01,000 --> 00:62:02,000\nChữ\n", 1),  # minute 61
        ("1\n00:00:01,000 --> 00:00:02,000\n", 1),  # no text
        ("1\n00:00:03,000 --> 00:00:02,000\nChữ\n", 1),  # ends before it starts
        (GOLDEN + "\n4\n00:00:10,000\nChữ\n", 4),
        (GOLDEN + "\n4\n00:00:01,000 --> 00:00:02,000\nQuay ngược\n", 4),  # out of order
    ],
)
def test_malformed_srt_names_the_broken_block(broken, block):
    with pytest.raises(InputError, match=f"khối {block}"):
        parse_srt(broken)


def test_cues_from_timings_numbers_from_one_and_strips_text():
    cues = cues_from_timings(["  Câu một. ", "Câu hai."], [(0.0, 1.0), (1.0, 2.0)])
    assert cues == [Cue(1, 0.0, 1.0, "Câu một."), Cue(2, 1.0, 2.0, "Câu hai.")]


@pytest.mark.parametrize(
    ("texts", "timings"),
    [
        (["Một.", "Hai."], [(0.0, 1.0)]),  # counts differ
        (["Một."], [(1.0, 1.0)]),  # empty interval
        (["Một."], [(-0.5, 1.0)]),  # before the start
        (["   "], [(0.0, 1.0)]),  # nothing to show
        (["Một.", "Hai."], [(0.0, 2.0), (1.0, 3.0)]),  # overlap
    ],
)
def test_cues_from_timings_rejects_bad_timings(texts, timings):
    with pytest.raises(InputError):
        cues_from_timings(texts, timings)
