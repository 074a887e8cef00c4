"""The text the content rules search: number words as digits, sentence marks, tolerant phrases;
and the text evaluation set they are measured on (tools/make_text_eval.py)."""

import importlib.util
import itertools
import re
import tomllib
from pathlib import Path

import pytest

from analyzer.checks.text import TextIndex, is_greeting_or_introduction, pattern_searchable, searchable
from analyzer.testing import rule_by_name, run_rule, transcript_from_script

ROOT = Path(__file__).resolve().parent.parent


def index(script: str) -> TextIndex:
    return TextIndex(transcript_from_script(script).words)


def test_number_words_are_searched_as_digits():
    assert searchable("Twelve more") == "12 more"
    assert searchable("Hannah Fischer, calling") == "Hannah Fischer calling"  # names keep their capitals
    assert searchable("twenty-five percent") == "20 5 percent"
    assert searchable("$2,000") == "$2 000"


def test_a_patterns_number_words_are_searched_as_digits_too():
    # the text holds "4" where the transcriber wrote "four": a pattern's "four" must say so
    assert pattern_searchable(r"\b(for|four)\s+(?-i:[A-Z])\w+") == r"\b(for|4)\s+(?-i:[A-Z])\w+"
    # escapes, flags, group names and words that only contain a number word are left alone
    assert pattern_searchable(r"(?P<unsure>\bsomeone\b|often)\x27") == r"(?P<unsure>\bsomeone\b|often)\x27"
    assert index("Accounts four Ironclad Security.").search(re.compile(pattern_searchable(r"\bfour\s+ironclad"), re.I))


def test_a_pattern_of_words_stops_at_the_end_of_a_sentence():
    text = index("We can help your business grow. Call 402-730-5108.")
    assert text.search(re.compile(r"\bgrow(\s+\w+){0,3}\s+\d", re.I)) == []
    assert [m.text for m in text.search(re.compile(r"\bcall\s+\d+", re.I))] == ["Call 402"]


@pytest.mark.parametrize("heard, phrase", [
    ("Just following upon that.", "following up on"),  # two words merged
    ("Just checking into see if you had questions.", "checking in"),  # "in to" merged, then cut
    ("I wanted to touch bass about the meeting.", "touch base"),  # one letter misheard
    ("I am calling today to intr oduce you to my company.", "calling today to introduce"),  # a word split
])
def test_a_phrase_is_found_where_the_transcriber_bent_it(heard, phrase):
    [match] = index(heard).near(phrase)
    assert match.first_word <= match.last_word


@pytest.mark.parametrize("heard, phrase", [
    ("Give me a cold.", "give me a call"),  # two letters off in a short phrase: another phrase
    ("Tell me more.", "call me"),  # short phrases only as written
    ("I'll be checking in on the order.", "touching base"),
    ("I'll give you a call back tomorrow.", "call me back"),  # a word left out says something else
])
def test_a_different_phrase_is_not_a_near_miss(heard, phrase):
    assert index(heard).near(phrase) == []


def test_the_matched_words_are_the_evidence(default_pack):
    rule = rule_by_name(default_pack, "self-focused-opener")
    [finding] = run_rule(rule, "Hi Dana, this is Maria from Acme. Just following upon that.")
    words = transcript_from_script("Hi Dana, this is Maria from Acme. Just following upon that.").words
    first, last = finding.words[0]
    assert " ".join(w.text for w in words[first : last + 1]).endswith("following upon")


def test_a_number_left_is_the_ask(default_pack):
    rule = rule_by_name(default_pack, "no-call-to-action")
    assert run_rule(rule, "Hi Dana, this is Tom with Clearwater. 402-730-5108 is my cell. Bye.") == []
    assert run_rule(rule, "Hi Dana, this is Tom with Clearwater. I'll try you again Thursday.")


@pytest.mark.parametrize("ask", [
    "If anything comes up, please don't hesitate to reach out.",
    "Visit clearwater.io/demo to see it for yourself.",
    "Pick any time that suits you at clearwater.io/tom.",
])
def test_an_ask_in_other_words_is_an_ask(default_pack, ask):
    rule = rule_by_name(default_pack, "no-call-to-action")
    assert run_rule(rule, f"Hi Dana, this is Tom with Clearwater. {ask}") == []


def test_an_ask_taken_back_is_none(default_pack):
    """"No need to call back." asks nothing (the rule's `not_after`)."""
    rule = rule_by_name(default_pack, "no-call-to-action")
    assert run_rule(rule, "Hi Dana, this is Tom with Clearwater. I'll try you again soon. No need to call back.")


def _make_text_eval():
    spec = importlib.util.spec_from_file_location("make_text_eval", ROOT / "tools" / "make_text_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_text_set_is_what_the_generator_writes(tmp_path):
    make = _make_text_eval()
    make.main(["--out", str(tmp_path)])
    for split in _make_text_eval().SPLITS:
        assert (tmp_path / f"{split}.toml").read_text() == (ROOT / "eval" / "text" / f"{split}.toml").read_text()


def test_the_text_set_has_its_parts_in_different_words():
    make = _make_text_eval()
    parts = {s: tomllib.loads((ROOT / "eval" / "text" / f"{s}.toml").read_text())["message"] for s in make.SPLITS}
    assert len(parts["dev"]) + len(parts["test"]) >= 80
    for rule in make.RULES:  # every rule fires on some and keeps quiet on others, in each part
        for part in parts.values():
            assert 0 < sum(rule in m["fires"] for m in part) < len(part)
    for a, b in itertools.combinations(make.SPLITS, 2):
        for part in ("identity", "opener", "benefit", "ask"):  # no wording is shared between the parts
            shared = {t for t, _ in make.BANKS[a][part] if t} & {t for t, _ in make.BANKS[b][part] if t}
            assert not shared, (a, b, shared)
    assert all(m["noisy"] != m["script"] for part in parts.values() for m in part)


@pytest.mark.parametrize("clause, is_one", [
    ("Hey, this is Kevin Marsh.", True),  # the greeting's comma: who is calling follows it
    ("Hi, this is Harbor Print and Mail.", True),
    ("Hello Ms. Tran, I'm Alexis Moore, the new account manager for your area at BrightSpark Media.", True),
    # the addressee after the greeting's comma
    ("Good afternoon, Ms. Whitfield, my name is Desmond Achebe and I manage accounts for Harborline Linen.", True),
    ("I've got a question for you.", True),  # a lead-in said alone: the question is the opening
    ("Quick question, is your team still doing quotes by hand?", False),
    ("Hi Dana, I help bakeries in Toledo cut their flour waste by 18 percent.", False),
    ("Hey Ron, I work with restoration companies in the DFW area.", False),
    # the caller's role at their company, after the name or in a clause of its own, up to the company's name
    ("My name is Henrietta Stone, and I lead the data practice at Meridian Talent Partners.", True),
    ("and I'm a business loan officer at Cedar Valley Credit Union.", True),
    ("I'm a big fan of the work your team does at the Hopworks taproom downtown.", False),
    ("My name is Ana Ruiz, and I'm the rep who covers your area, and I wanted to introduce our new line.", False),
    # a sentence's first word, capitalised as a name is, and "it's" before no name
    ("Just calling to check in, haven't talked since the county fair.", False),
    ("Just wanted to check in, it's been a while since we talked.", False),
    ("Hi Dana, it's me again.", True),
    ("Sam calling from Acme.", True),
])
def test_the_greeting_and_who_is_calling_are_no_opening(clause, is_one):
    assert is_greeting_or_introduction(clause) is is_one


def test_the_words_before_a_phrase_stop_at_its_clause():
    said = index("I know you're busy, just following up. Are you still following up?")
    assert said.before_in_clause(4) == ""  # "just" opens its clause: "you're busy," is another
    assert said.before_in_clause(10) == "Are you still"
