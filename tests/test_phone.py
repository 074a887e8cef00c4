"""The number parser on the renderings tiny.en and people produce (DESIGN section 3, issue 2)."""

import pytest

from analyzer.numbers.readings import find_readings, group, same_number
from analyzer.testing import transcript_from_script
from analyzer.transcript import Word


def readings(script: str, **kw):
    return find_readings(transcript_from_script(script, **kw).words)


def digits(script: str) -> list[str]:
    return [r.digits for r in readings(script)]


@pytest.mark.parametrize(
    "script, expected",
    [
        ("call me at 816-916-6141.", ["8169166141"]),
        ("call me at (816) 916-6141.", ["8169166141"]),
        ("call me at 8169166141", ["8169166141"]),
        ("call me at 816-916-6-1-4-1", ["8169166141"]),
        ("call me at 8, 1, 6, 9, 1, 6, 6, 1, 4, 1.", ["8169166141"]),
        ("call me at 8 1 6 9 1 6 6 1 4 1", ["8169166141"]),
        ("call me at 816 916 614 1 again", ["8169166141"]),
        ("call me at 4.0.2.7.3.0.5.1.0.8.", ["4027305108"]),
        ("call me at 816 -916 -6141.", ["8169166141"]),
        ("call me at 1-816-916-6141", ["18169166141"]),
        ("call me at eight one six, nine one six, six one four one", ["8169166141"]),
        ("call me at eight one six, nine one six, sixty-one forty-one", ["8169166141"]),
        ("call me at eight one six nine one six sixty one forty one", ["8169166141"]),
        ("call me at four oh two, seven three oh, five one oh eight", ["4027305108"]),
        ("call me at four zero two seven three zero double five one two", ["4027305512"]),
        ("call me at 402 730 double 512", ["4027305512"]),
        ("call me at 402 .73o. 5512", ["4027305512"]),
        ("call me at triple seven, two one two, four four", ["77721244"]),
        ("call me at 555-0134, again 555-0134", ["5550134", "5550134"]),
        ("call me at eight hundred five five five one two one two", ["8005551212"]),
    ],
)
def test_renderings(script, expected):
    assert digits(script) == expected


@pytest.mark.parametrize(
    "script",
    [
        "I'm with a 3 porting company and we cut costs by 15-30%.",
        "it is a 15-minute call that can save you $2,000 a month",
        "Oh, hi Jordan, this is the one thing I wanted to share, two minutes.",
        "give me 3 minutes and I'll give you 3 examples from 2024",
    ],
)
def test_no_phone_number_in_ordinary_speech(script):
    assert digits(script) == []


def test_extension_belongs_to_the_number():
    [r] = readings("call me at 816-916-6141 extension 204. thanks")
    assert (r.digits, r.extension) == ("8169166141", "204")
    [r] = readings("call me at 816-916-6141 ext. two oh four")
    assert (r.digits, r.extension) == ("8169166141", "204")


def test_two_glued_readings_are_two_readings():
    # the word between them was lost: one run of 20 digits
    rs = readings("call me at 8169166141 8169166141")
    assert [r.digits for r in rs] == ["8169166141", "8169166141"]
    assert group(rs) == [0, 0]


def test_glued_readings_split_at_the_pause_despite_a_dropped_digit():
    rs = readings("at 8 1 6 9 1 6 6 1 4 1 [pause 0.6] 8 1 6 9 1 6 1 4 1 thanks")
    assert [r.digits for r in rs] == ["8169166141", "816916141"]
    assert group(rs) == [0, 0]
    assert rs[1].start == pytest.approx(rs[0].end + 0.08 + 0.6, abs=0.01)


def test_glued_readings_as_one_token_split_by_repetition():
    rs = readings("at 81691661418169166141.")
    assert [r.digits for r in rs] == ["8169166141", "8169166141"]


def test_transcription_loop_counts_once():
    loop = "816916" + "6141816916" * 8  # 86 digits, no pause: tiny.en looping
    [r] = readings(f"call me at {loop}")
    assert r.loop
    assert r.digits.startswith("816916")


def test_same_number_allows_one_dropped_or_doubled_digit():
    assert same_number("3035550142", "303550142")  # "5 5 5" heard as "5 5"
    assert same_number("8169166141", "81691616141")  # a digit doubled
    assert same_number("18169166141", "8169166141")  # with and without the country code
    assert same_number("9166141", "8169166141")  # the local part alone
    assert not same_number("8169166141", "4027305108")
    assert not same_number("8169166141", "8169166150")  # two digits differ: another number


def test_different_numbers_are_grouped_apart():
    rs = readings("office 816-916-6141 cell 402-730-5108 again office 816-916-6141")
    assert group(rs) == [0, 1, 0]


def test_reading_times_come_from_the_digit_words():
    words = (Word("at", 0.0, 0.3), Word("816", 0.4, 1.0), Word("-916", 1.0, 1.6), Word("-6141.", 1.6, 2.8))
    [r] = find_readings(words)
    assert (r.start, r.end, r.first_word, r.last_word) == (0.4, 2.8, 1, 3)


def test_numbers_are_shown_grouped_and_their_differences_in_words():
    from analyzer.numbers.readings import differences, grouped

    assert [grouped(d) for d in ("8169166141", "18169166141", "9166141", "12345")] == [
        "816-916-6141", "1-816-916-6141", "916-6141", "12345"]
    assert differences("8169166147", "8169166141") == "the 10th digit, 7 for 1"
    assert differences("18129166141", "8169166141") == "the 3rd digit, 2 for 6"
    assert differences("816916614", "8169166141") == "9 digits for 10"
    assert differences("6125550187", "8169166141") == "8 digits differ"


def test_a_number_is_shown_once_grouped_in_the_transcript():
    from analyzer.render.words import shown

    texts = ["Call", "me", "at", "816", "-916", "-614", "-1.", "Thanks."]
    assert shown(texts, [(3, 6, "8169166141", "")]) == ["Call", "me", "at", "816-916-6141.", "", "", "", "Thanks."]
    assert shown(["at", "5,", "5,", "9", "ext", "2"], [(1, 5, "559", "2")])[1] == "559 ext. 2"
    assert shown(texts, [(3, 99, "8169166141", "")]) == texts  # a reading out of range is left alone
