"""The number as measured from two passes: reconciliation, timing, and doubts instead of false errors.

Each case is a first-pass transcript and a second (digit-by-digit) pass over the number's region,
written as scripts (analyzer.testing), so the rules are checked from text alone.
"""

import dataclasses

import pytest

from analyzer.checks.findings import Severity
from analyzer.checks.kinds import Context
from analyzer.measure.measurements import measure
from analyzer.number_pass import PROMPT_GROUPS, echoes_prompt
from analyzer.testing import rule_by_name, transcript_from_script
from analyzer.transcript import Region


def two_passes(first: str, second: str, *, start: float, end: float, unsure: tuple[str, ...] = ()):
    """Both passes from scripts; first-pass words in `unsure` were heard with low confidence."""
    transcript = transcript_from_script(first)
    words = tuple(dataclasses.replace(w, probability=0.3) if w.text in unsure else w for w in transcript.words)
    transcript = dataclasses.replace(transcript, words=words)
    region = transcript_from_script(second)
    return dataclasses.replace(transcript, regions=(Region(start, end, region.words),))


def findings(pack, transcript, name):
    return rule_by_name(pack, name).findings(Context(transcript, measure(transcript)))


OPENING = "Hi this is Sam with Acme. We cut payroll time in half. Call me at"


def test_second_pass_that_hears_both_readings_wins(default_pack):
    # the first pass glued the second reading into words ("once more" and a garbled number)
    first = f"{OPENING} 8 1 6 9 1 6 6 1 4 1 once more ate one sex nine one sex sex one for one"
    second = "[start 6.0] Call me at 8 1 6 9 1 6 6 1 4 1 once more 8 1 6 9 1 6 6 1 4 1"
    transcript = two_passes(first, second, start=5.5, end=20.0, unsure=("ate", "sex", "for"))
    m = measure(transcript)
    assert m.callback_repeats == 2 and m.callback_number == "8169166141"
    assert findings(default_pack, transcript, "number-not-repeated") == []


def test_passes_that_disagree_give_info_not_an_error(default_pack):
    # the first pass heard the number twice, the second only once: no "you said it once" error
    first = f"{OPENING} 8 1 6 9 1 6 6 1 4 1 again 8 1 6 9 1 6 6 1 4 1"
    second = "[start 6.0] Call me at 8 1 6 9 1 6 6 1 4 1 again eight one sex"
    transcript = two_passes(first, second, start=5.5, end=20.0)
    assert measure(transcript).callback_repeats == 2  # the pass with more readings wins
    once = two_passes(f"{OPENING} 8 1 6 9 1 6 6 1 4 1 again",
                      "[start 6.0] Call me at 8 1 6 9 1 6 6 1 4 1 again 8 1 6 9", start=5.5, end=20.0)
    [finding] = findings(default_pack, once, "number-not-repeated")
    assert finding.severity == Severity.INFO and finding.message.startswith("Could not confirm")
    assert finding.doubt  # the evidence travels with the finding


def test_a_number_said_once_clearly_is_still_an_error(default_pack):
    first = f"{OPENING} 8 1 6 9 1 6 6 1 4 1 thanks"
    transcript = two_passes(first, "[start 6.0] Call me at 8 1 6 9 1 6 6 1 4 1 thanks", start=5.5, end=15.0)
    [finding] = findings(default_pack, transcript, "number-not-repeated")
    assert finding.severity == Severity.ERROR and not finding.doubt


def test_digits_after_the_ask_that_make_no_number_are_an_unclear_number(default_pack):
    # a reading garbled to six digits: no error that no number was said, but the verdict that none was made out
    transcript = transcript_from_script(f"{OPENING} 3 2 4 2 3 3 thanks")
    assert findings(default_pack, transcript, "no-callback-number") == []
    [finding] = findings(default_pack, transcript, "number-unclear")
    assert finding.severity == Severity.WARNING and "324233" in finding.message and not finding.doubt


def test_digits_like_a_number_with_no_ask_are_a_doubt(default_pack):
    # five digits that make no whole number, and no ask before them: "no number" is not an error on that evidence
    transcript = transcript_from_script("Hi this is Sam with Acme. We cut payroll time in half. 3 2 4 2 3 3 thanks")
    assert findings(default_pack, transcript, "number-unclear") == []
    [finding] = findings(default_pack, transcript, "no-callback-number")
    assert finding.severity == Severity.INFO and "324233" in finding.doubt


def test_no_number_and_nothing_that_looks_like_one_is_an_error(default_pack):
    transcript = transcript_from_script("Hi this is Sam with Acme. We cut payroll time in half. I will email you. Bye")
    [finding] = findings(default_pack, transcript, "no-callback-number")
    assert finding.severity == Severity.ERROR


def test_a_second_number_a_few_digits_off_is_a_doubt_not_two_numbers(default_pack):
    transcript = transcript_from_script(f"{OPENING} 8 1 6 9 1 6 6 1 4 1 again 8 1 9 9 1 6 7 1 4 1")
    [finding] = findings(default_pack, transcript, "number-not-repeated")
    assert finding.severity == Severity.INFO and "misheard" in finding.doubt


def test_a_second_pass_written_over_sure_words_is_the_prompt_talking():
    first = "We grew to over 400 customers across the region and we keep adding features every month"
    second = "1 0 0 9 1 6 6 1 4 1 customers across the region"
    transcript = two_passes(first, second, start=0.0, end=10.0)
    assert measure(transcript).phone_numbers == ()


@pytest.mark.parametrize("group", PROMPT_GROUPS)
def test_the_prompt_echoed_is_recognised(group):
    heard = transcript_from_script("call me at 8 1 6 9 1 6 6 1 4 1").words
    echoed = transcript_from_script("call me at " + " ".join(group) + " 9 1 6 6 1 4 1").words
    assert echoes_prompt(heard, echoed)
    assert not echoes_prompt(heard, heard)


def test_pace_times_a_reading_whose_first_word_swallowed_the_ask():
    # "at" and "8" heard as one long "8": the span says 10 digits in 3.1 s, the pace 10 in 2.0 s
    words = transcript_from_script(f"{OPENING} [wpm 300] 8 1 6 9 1 6 6 1 4 1 [wpm 150] thanks").words
    stretched = tuple(dataclasses.replace(w, start=w.start - 1.1) if w.text == "8" else w for w in words)
    transcript = dataclasses.replace(transcript_from_script(""), words=stretched)
    [reading] = measure(transcript).phone_numbers
    assert reading.digits_per_s == pytest.approx(5.0, rel=0.05)


def test_a_long_run_of_digits_is_part_of_a_number_even_without_the_ask(default_pack):
    # "Give me a call" heard as "give me a cold": no ask, but five digits are no "10 hours"
    transcript = transcript_from_script("Hi this is Sam with Acme. Give me a cold. 6 6 7 5 8 I'm 8 8 2 1. Bye")
    [finding] = findings(default_pack, transcript, "no-callback-number")
    assert finding.severity == Severity.INFO and "66758" in finding.message


def test_a_second_pass_that_loops_over_a_reading_is_a_doubt(default_pack):
    first = f"{OPENING} 4 5 0 7 9 3 9 one more time"
    second = "[start 6.0] at 4 5 0 7 9 3 9 one more time a big blip blip blip blip blip blip blip"
    [finding] = findings(default_pack, two_passes(first, second, start=5.5, end=20.0), "number-not-repeated")
    assert finding.severity == Severity.INFO and "over and over" in finding.doubt


def test_one_more_time_between_readings_is_words_not_a_digit():
    # "... 7 0, 1 more time, ...": the 1 would make an 11-digit reading and stretch its span
    for said in ("1 more time", "one more time"):
        m = measure(transcript_from_script(f"{OPENING} 2 3 8 8 1 0 2 7 7 0 {said} 2 3 8 8 1 0 2 7 7 0 thanks"))
        assert [n.digits for n in m.phone_numbers] == ["2388102770", "2388102770"]


def test_a_reading_with_a_neighbour_heard_as_a_digit_is_cut_to_the_number(default_pack):
    # the second reading ran on into "4" (a word heard as a digit); the other readings agree on 10 digits
    script = (f"{OPENING} [wpm 120] 8 1 6 9 1 6 6 1 4 1 again 8 1 6 9 1 6 6 1 4 1 4 "
              "once more 8 1 6 9 1 6 6 1 4 1 thanks")
    first, second, _third = measure(transcript_from_script(script)).phone_numbers
    assert second.digits == "8169166141" and second.digit_count == 10
    assert second.digits_per_s == pytest.approx(first.digits_per_s, rel=0.02)


def test_a_repeat_announced_but_not_heard_is_a_doubt(default_pack):
    # "I'll repeat that" and then a fast reading the transcriber dropped: not "you said it once"
    transcript = transcript_from_script(f"{OPENING} 8 1 6 9 1 6 6 1 4 1 I'll repeat that. Talk soon")
    [finding] = findings(default_pack, transcript, "number-not-repeated")
    assert finding.severity == Severity.INFO and '"repeat"' in finding.doubt
    # "thanks again" announces nothing
    transcript = transcript_from_script(f"{OPENING} 8 1 6 9 1 6 6 1 4 1 thanks again. Talk soon")
    [finding] = findings(default_pack, transcript, "number-not-repeated")
    assert finding.severity == Severity.ERROR


def test_the_extension_is_no_unclear_answer_to_an_ask(default_pack):
    transcript = transcript_from_script(f"{OPENING} 8 1 6 9 1 6 6 1 4 1 extension 2 0 4 thanks")
    words = tuple(dataclasses.replace(w, probability=0.3) if w.text in ("2", "0", "4", "thanks") and w.start > 6
                  else w for w in transcript.words)
    [finding] = findings(default_pack, dataclasses.replace(transcript, words=words), "number-not-repeated")
    assert finding.severity == Severity.ERROR


def test_digits_left_over_in_a_glued_run_are_a_doubt(default_pack):
    # two 7-digit readings glued with two digits too many: the split finds one reading and strays
    transcript = transcript_from_script(f"{OPENING} 1 8 5 8 7 9 5 8 7 8 7 8 5 8 7 9 thanks")
    [finding] = findings(default_pack, transcript, "number-not-repeated")
    assert finding.severity == Severity.INFO and "left over" in finding.doubt


def test_a_misreading_does_not_replace_a_number_heard_alike_twice(default_pack):
    # the first pass heard 470-220-9134 twice alike; the second pass one reading and a misreading
    first = f"{OPENING} 470-220-9134. That's 470-220-9134."
    second = "[start 6.0] Call me at 4 7 0 2 2 0 9 1 3 4 that's 7 0 2 0 9 1 3 4"
    transcript = two_passes(first, second, start=5.5, end=20.0)
    m = measure(transcript)
    assert m.callback_repeats == 2 and m.callback_number == "4702209134" and m.doubts == ()
    assert findings(default_pack, transcript, "number-not-repeated") == []
    # where the second pass heard it twice alike too, its finer times win
    again = two_passes(first, "[start 6.0] Call me at 4 7 0 2 2 0 9 1 3 4 that's 4 7 0 2 2 0 9 1 3 4",
                       start=5.5, end=20.0)
    assert [n.text for n in measure(again).phone_numbers] == ["4 7 0 2 2 0 9 1 3 4"] * 2


@pytest.mark.parametrize("script", [
    # no digits, no unclear speech where a number would be: certain
    "Hi this is Sam with Acme. We cut payroll time in half. Just call me back at the number that came up on "
    "your phone. [probability 0.3] Thanks.",  # one unsure word cannot hide a reading
    "Hi this is Sam with Acme. We cut payroll time in half. I'll try you again Thursday.",  # no number to repeat
    "Hi this is Sam with Acme. Call me any time: we funded more than 8 ,000 projects at $1 ,200 each.",  # amounts
])
def test_a_certain_absence_is_a_verdict_not_a_doubt(default_pack, script):
    transcript = transcript_from_script(script)
    assert measure(transcript).doubts == ()
    [finding] = findings(default_pack, transcript, "no-callback-number")
    assert finding.severity == Severity.ERROR and not finding.doubt


def test_unclear_words_after_the_ask_long_enough_to_hide_a_reading_are_an_unclear_number(default_pack):
    script = "Hi this is Sam with Acme. We cut payroll time in half. Call me at [probability 0.3] ate one sex nine one"
    assert findings(default_pack, transcript_from_script(script), "no-callback-number") == []
    [finding] = findings(default_pack, transcript_from_script(script), "number-unclear")
    assert finding.severity == Severity.WARNING and "unsure of the words" in finding.message


def test_voice_with_no_words_and_no_ask_doubts_the_absence_of_a_number():
    # the transcriber stopped after the benefit (GSM, a quiet phone): the ask and both readings are voice with no
    # words; "no number was said" is then a guess, not a certainty
    from analyzer.measure import numbers as phone_numbers

    words = transcript_from_script("Hi this is Ken with Harbor Freight. I help clinics like your name.").words
    found = phone_numbers.doubts((), words, (), [(words[-1].end + 0.5, words[-1].end + 9.0)])
    assert [key for key, _ in found] == ["phone_number_count"] and "has no words" in found[0][1]
    too_short = [(words[-1].end + 0.5, words[-1].end + 0.9)]  # to hide a reading
    assert phone_numbers.doubts((), words, (), too_short) == ()
