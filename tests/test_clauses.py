"""The content rules judge what a clause says (analyzer/measure/clauses.py): scored in the measure
stage from the pack's example sentences, read by the rules as measurements.

The sentences below are the issue's own examples of wording the old phrase lists got wrong; none
of them is one of the pack's examples."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from analyzer.checks.kinds import Context
from analyzer.checks.pack import load_pack
from analyzer.errors import PackError
from analyzer.measure.clauses import content, numerals, split
from analyzer.testing import measure_script, rule_by_name, transcript_from_script

HELLO = "Hi Dana, this is Sam Carter with Acme Supply. "
NUMBER = " Call me at 402-730-5108."
GAIN = "We cut claim denials by 30 percent for clinics like yours. "


def verdicts(pack, script: str) -> dict[str, str]:
    """Each content rule's verdict, as the pipeline reaches it: the script measured once with the
    pack's meanings, then the rules. "warning" / "info" / "note" (could not confirm) / "" (quiet)."""
    context = Context(*measure_script(script, labeller=pack.labeller))
    out = {}
    for name in ("self-focused-opener", "no-benefit-claim", "no-call-to-action"):
        findings = rule_by_name(pack, name).findings(context)
        out[name] = "" if not findings else "note" if findings[0].doubt else str(findings[0].severity)
    return out


@pytest.mark.parametrize("gain", [
    "Restaurants we work with finish their weekly payroll in under 20 minutes, down from about 3 hours.",
    "Our crowns come back in five business days instead of ten, so your patients skip a second temporary visit.",
])
def test_a_quantified_gain_in_new_words_is_a_gain(default_pack, gain):
    assert verdicts(default_pack, HELLO + gain + NUMBER)["no-benefit-claim"] == ""


@pytest.mark.parametrize("said, written", [
    ("Our customers your size close in four.", "Our customers your size close in 4."),
    ("new hires wait almost two weeks", "new hires wait almost 2 weeks"),
    ("get it done on day one, before orientation", "get it done on day 1, before orientation"),
    ("clear water in one day.", "clear water in 1 day."),
    ("twenty-five percent", "25 percent"),
    ("two hundred and fifty dollars", "250 dollars"),
    ("six one four", "6 1 4"),  # single digits stay one number each
    ("between two and three weeks", "between 2 and 3 weeks"),
    # "one" that is no quantity, and tiny.en's "four" for "for", keep their words
    ("a meeting with you and one of our advisors", "a meeting with you and one of our advisors"),
    ("the one you sent, and one more time", "the one you sent, and one more time"),
    ("I'm the new rep four your area", "I'm the new rep four your area"),
    ("someone, phone, often", "someone, phone, often"),
])
def test_quantities_said_in_words_are_read_as_digits(said, written):
    assert numerals(said) == written


def test_a_gain_heard_in_number_words_is_the_gain_written_in_digits(default_pack):
    """tiny.en writes what a voice says in words or digits by turns: the verdict is the same."""
    gain = ("Pool owners we winterized opened up in the spring with clear water in one day. Instead of the usual "
            "week of shocking and filtering.")  # the comparison cut in two by a full stop, as tiny.en writes it
    assert verdicts(default_pack, HELLO + gain + NUMBER)["no-benefit-claim"] == ""
    said, written = (measure_script(HELLO + f"Teams your size close the month in {n} days." + NUMBER,
                                    labeller=default_pack.labeller)[1] for n in ("four", "4"))
    assert [c.scores for c in said.clauses] == [c.scores for c in written.clauses]


def test_time_asked_for_is_no_gain(default_pack):
    script = HELLO + "I'd love to grab 15 minutes to learn more about your goals for next year." + NUMBER
    assert verdicts(default_pack, script)["no-benefit-claim"] == "warning"


def test_the_opening_is_judged_on_whom_it_is_about(default_pack):
    about_them = HELLO + ("I'm calling because we've helped companies like Northgate Dental Group reduce their "
                          "claim denial rate by 30%." + NUMBER)
    about_me = HELLO + "I'm calling because I wanted to introduce myself." + NUMBER
    assert verdicts(default_pack, about_them)["self-focused-opener"] == ""
    assert verdicts(default_pack, about_me)["self-focused-opener"] == "warning"


@pytest.mark.parametrize("ask", ["Just reply to the email I sent yesterday.", "If you're interested, just text back."])
def test_an_ask_after_the_benefit_is_no_opener_and_is_a_call_to_action(default_pack, ask):
    said = verdicts(default_pack, HELLO + GAIN + ask)  # no number: the ask alone must count
    assert said["self-focused-opener"] == "" and said["no-call-to-action"] == ""


def test_no_ask_at_all_is_missing(default_pack):
    assert verdicts(default_pack, HELLO + GAIN + "I'll try you again next week.")["no-call-to-action"] == "info"


def test_an_ask_the_clauses_only_may_say_is_a_note_even_for_a_rule_at_info(default_pack):
    """The ask rule's own severity is info, so its guess was once the same info finding as its
    verdict, with no word of doubt: "fifteen minutes with me would show it" scores under what decides.
    ("book fifteen minutes at <link>" did too, until the pack's patterns took an ask at a link.)"""
    script = HELLO + GAIN + "If you want a look, fifteen minutes with me would show it."
    context = Context(*measure_script(script, labeller=default_pack.labeller))
    [finding] = rule_by_name(default_pack, "no-call-to-action").findings(context)
    assert finding.doubt.startswith('"If you want a look, fifteen minutes with me') and "may say it" in finding.doubt
    assert finding.message.startswith("Could not confirm: Nothing asks the prospect to respond")
    assert str(finding.severity) == "info"


def test_clause_scores_are_measurements_with_the_nearest_example(default_pack):
    _, measures = measure_script(HELLO + GAIN + NUMBER, labeller=default_pack.labeller)
    gain = next(c for c in measures.clauses if c.text.startswith("We cut claim denials"))
    score = gain.score("no-benefit-claim")
    assert score.score >= rule_by_name(default_pack, "no-benefit-claim").check.like_min
    assert score.nearest_is_like and score.nearest in rule_by_name(default_pack, "no-benefit-claim").check.like
    # the number is read as one word: its digits make no clause of their own
    assert [c.text for c in measures.clauses][-1] == "Call me at 402-730-5108."


def clause_texts(script: str) -> list[str]:
    return [t for _, _, t in split(transcript_from_script(script).words)]


def test_clauses_are_sentences_and_long_ones_are_cut_at_commas():
    assert clause_texts("Hi Dana, this is Sam. I noticed you opened a second clinic in Fairview last month, "
                        "and your front desk must be busy, so I wanted to share what we did for Lakeview, nearby.") == [
        "Hi Dana, this is Sam.",
        "I noticed you opened a second clinic in Fairview last month,",
        "and your front desk must be busy,",
        "so I wanted to share what we did for Lakeview, nearby.",  # a stretch of one word joins the one before
    ]


def test_an_aside_between_commas_does_not_cut_a_clause():
    """"you know," is said inside a clause: what follows it goes on with what came before, unless it
    has its own subject."""
    assert clause_texts("Hi Dave, this is Rob Miller with Apex Security, so basically, you know, we kind of help "
                        "offices like yours, you know, cut operating losses by half, I mean, we did it for "
                        "Lakeview.") == [
        "Hi Dave, this is Rob Miller with Apex Security,",
        "so basically, you know,",
        "we kind of help offices like yours, you know, cut operating losses by half, I mean,",
        "we did it for Lakeview.",
    ]


def test_a_trainers_example_changes_the_verdict(tmp_path, default_pack):
    """The trainer sees a wrong verdict, adds the sentence with "like+", and the verdict changes."""
    script = HELLO + "We make the whole month-end process painless for your team." + NUMBER
    assert verdicts(default_pack, script)["no-benefit-claim"] == "warning"
    pack = tmp_path / "team.toml"
    pack.write_text('[pack]\nextends = "default"\n[rules.no-benefit-claim]\n'
                    '"like+" = ["We make the whole month-end process painless for your team."]\n')
    assert verdicts(load_pack(pack), script)["no-benefit-claim"] == ""


def test_why_the_caller_calls_is_no_part_of_what_the_opening_is_about(default_pack):
    """The preface ("I'm calling because", "the purpose of my call is") is read past: what follows decides."""
    about_them = HELLO + "I'm calling because I saw you're hiring a new Head of Security." + NUMBER
    about_me = HELLO + "The purpose of my call is that we provide cloud payroll software for restaurants." + NUMBER
    assert content("I'm calling because I saw you're hiring") == "I saw you're hiring"
    assert content("Purpose for my call is that we provide payroll") == "we provide payroll"
    assert verdicts(default_pack, about_them)["self-focused-opener"] == ""
    assert verdicts(default_pack, about_me)["self-focused-opener"] == "warning"


def test_the_greeting_is_no_part_of_what_a_clause_says(default_pack):
    """"Hi Professor Lindgren, your department's grant ..." says what "Your department's grant ..." says:
    the greeting in the clause once made it read as about the caller (0.95)."""
    assert content("Hi Professor Lindgren, your department's grant was announced") == \
        "your department's grant was announced"
    assert content("Good afternoon, Ms. Whitfield, my name is Desmond.") == "my name is Desmond."
    assert content("Hello, Jordan here from Acme.") == "Jordan here from Acme."
    assert content("Hi Tom.") == "Hi Tom."  # nothing else said: the whole of it
    about_them = ("Hi Professor Lindgren, your department's new grant for field research was announced last week, "
                  "congratulations." + NUMBER)
    assert verdicts(default_pack, about_them)["self-focused-opener"] == ""


def test_credentials_and_a_problem_are_no_gain(default_pack):
    for said in ("We've been in business 20 years and process for over 5,000 merchants.",
                 "You mentioned at the expo that your card fees keep creeping up every quarter."):
        assert verdicts(default_pack, HELLO + said + NUMBER)["no-benefit-claim"] == "warning", said


def test_a_promise_to_watch_for_a_reply_is_no_ask(default_pack):
    said = verdicts(default_pack, HELLO + GAIN + "I'll keep an eye out for your reply.")
    assert said["no-call-to-action"] in ("warning", "info")


def test_a_packs_examples_file_adds_labelled_sentences(tmp_path, default_pack):
    """`examples = "FILE"` beside the pack: `like` and `unlike` lists, put after the rule's own."""
    script = HELLO + "We make the whole month-end process painless for your team." + NUMBER
    (tmp_path / "mine.toml").write_text('like = ["We make the whole month-end process painless for your team."]\n'
                                        'unlike = ["We are a family business."]\n')
    pack = tmp_path / "team.toml"
    pack.write_text('[pack]\nextends = "default"\n[rules.no-benefit-claim]\n'
                    'like = ["We cut your fees by a third.", "Your team saves six hours a week."]\n'
                    'unlike = ["We are great.", "Call me back."]\nexamples = "mine.toml"\n')
    check = rule_by_name(load_pack(pack), "no-benefit-claim").check
    assert check.like[-1].startswith("We make the whole") and check.unlike[-1] == "We are a family business."
    assert verdicts(load_pack(pack), script)["no-benefit-claim"] == ""
    shipped = rule_by_name(default_pack, "no-benefit-claim").check
    assert len(shipped.like) > 100 and len(shipped.unlike) > 300  # rules/examples/no-benefit-claim.toml


@pytest.mark.parametrize("ref, problem", [("missing.toml", "cannot be read"), ("../up.toml", "beside the pack"),
                                          ("bad.toml", "only `like` and `unlike`")])
def test_an_examples_file_that_cannot_be_used_is_one_sentence(tmp_path, ref, problem):
    (tmp_path / "bad.toml").write_text('like = ["a b c"]\nwords = 3\n')
    pack = tmp_path / "team.toml"
    pack.write_text(f'[pack]\nextends = "default"\n[rules.no-benefit-claim]\nexamples = "{ref}"\n')
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    message = str(caught.value)
    assert "team.toml" in message and "'examples'" in message and problem in message and "\n" not in message


def test_a_pattern_is_checked_as_it_is_searched(tmp_path):
    """Number words are searched as digits: (?P<one>call) becomes (?P<1>call), no valid group name.
    The pack is refused when it loads, not on every recording."""
    pack = tmp_path / "team.toml"
    pack.write_text('[pack]\nextends = "default"\n[rules.no-call-to-action]\n"patterns+" = [\'(?P<one>call)\']\n')
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    message = str(caught.value)
    assert "team.toml" in message and "'no-call-to-action'" in message and "'patterns'" in message
    assert "as digits" in message and "\n" not in message


@pytest.mark.parametrize("key", ["meaning", "others_like"])
def test_what_the_pack_sets_itself_is_no_rule_key(tmp_path, key):
    pack = tmp_path / "team.toml"
    pack.write_text(f'[pack]\nextends = "default"\n[rules.no-benefit-claim]\n{key} = "x"\n')
    with pytest.raises(PackError, match=f"key '{key}': unknown"):
        load_pack(pack)


def test_like_needs_unlike_and_two_of_each(tmp_path):
    pack = tmp_path / "team.toml"
    pack.write_text('[pack]\nextends = "default"\n[rules.say-roi]\ncode = "T1"\ncheck = "missing-phrases"\n'
                    'like = ["We pay for ourselves in a month.", "You get the cost back in weeks."]\n'
                    'unlike = ["We are great."]\nseverity = "info"\nmessage = "m"\nhint = "h"\n')
    with pytest.raises(PackError, match="key 'unlike': give at least 2 sentences"):
        load_pack(pack)


SCRIPTS = [HELLO + GAIN + NUMBER,
           HELLO + "I'm calling because I wanted to introduce myself." + NUMBER,
           HELLO + "We can really help your business grow. I'll try you again next week."]


@pytest.mark.parametrize("core", ["Prescott", "Haswell"])
def test_scores_do_not_depend_on_the_blas_kernels(default_pack, core):
    """numpy's OpenBLAS picks its kernels per CPU; forced to older ones, every clause scores the
    same to the reported precision, far inside any band a verdict needs."""
    code = ("import json, sys; from analyzer.checks.pack import load_pack; from analyzer.testing import measure_script;"
            "p = load_pack(); print(json.dumps([[[s.score for s in c.scores] for c in "
            "measure_script(t, labeller=p.labeller)[1].clauses] for t in json.loads(sys.argv[1])]))")
    env = {**os.environ, "OPENBLAS_CORETYPE": core}
    out = subprocess.run([sys.executable, "-c", code, json.dumps(SCRIPTS)], env=env, capture_output=True,
                         text=True, check=True).stdout
    here = [[[s.score for s in c.scores] for c in measure_script(t, labeller=default_pack.labeller)[1].clauses]
            for t in SCRIPTS]
    there = json.loads(out)
    assert len(there) == len(here)
    for a, b in zip(here, there):
        assert len(a) == len(b) and all(abs(x - y) <= 0.002 for ra, rb in zip(a, b) for x, y in zip(ra, rb))


SMALL = ("test-rule", ("We cut your payroll time in half.", "Clients like you save ten hours a week."),
         ("Call me back at your convenience.", "We are a leading provider of payroll software."))


def test_the_fitted_weights_are_kept_and_read_back(monkeypatch):
    """Fitting a pack's thousands of examples takes seconds: the weights are kept in the cache by what
    decides them, and the same examples are never fitted twice; other examples are."""
    from analyzer.measure import clauses

    meaning = clauses.Meaning(*SMALL)
    first = clauses.Classifier(meaning).weights
    monkeypatch.setattr(clauses, "fit", lambda *_: pytest.fail("fitted again"))
    assert np.array_equal(clauses.Classifier(meaning).weights, first)
    other = clauses.Meaning(SMALL[0], SMALL[1] + ("Your invoices get paid two weeks sooner.",), SMALL[2])
    with pytest.raises(pytest.fail.Exception, match="fitted again"):
        clauses.Classifier(other)


@pytest.mark.parametrize("core", ["Prescott", "Haswell"])
def test_the_fit_does_not_depend_on_the_blas_kernels(tmp_path, core):
    """The regression fitted under an older OpenBLAS kernel (in a cache of its own, so it is fitted
    there, not read back) gives the same weights."""
    from analyzer.measure import clauses

    code = ("import json; from analyzer.measure import clauses as c; "
            f"print(json.dumps(c.Classifier(c.Meaning(*{SMALL!r})).weights.tolist()))")
    env = {**os.environ, "OPENBLAS_CORETYPE": core, "XDG_CACHE_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert np.abs(np.array(json.loads(out)) - clauses.Classifier(clauses.Meaning(*SMALL)).weights).max() < 1e-6


def test_an_initial_ends_no_sentence():
    assert clause_texts("My name is Gerald M. Oni of Crystal Span Facility Services. We clean offices.") == [
        "My name is Gerald M. Oni of Crystal Span Facility Services.",
        "We clean offices.",
    ]


def test_a_title_cuts_no_clause():
    assert clause_texts("Hi, this is Owen Baptiste from TalentLoop, trying to reach Ms. Renata Kowalczyk, hopefully "
                        "I have the right number, I noticed you've got eleven engineering roles open.") == [
        "Hi, this is Owen Baptiste from TalentLoop,",
        "trying to reach Ms. Renata Kowalczyk,",
        "hopefully I have the right number,",
        "I noticed you've got eleven engineering roles open.",
    ]
