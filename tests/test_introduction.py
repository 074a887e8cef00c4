"""no-name-or-company judges whom the opening names (analyzer/measure/introduction.py): the shape of
the introduction, scored in the measure stage from the pack's example openings, read by the rule as a
measurement.

None of the openings below is one of the pack's examples: each is said in words written for this
test, in the orders reps use."""

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from analyzer.checks.kinds import Context
from analyzer.checks.pack import load_pack
from analyzer.errors import PackError
from analyzer.measure import introduction
from analyzer.measure.clauses import Meaning
from analyzer.testing import measure_script, rule_by_name

RULE = "no-name-or-company"
REST = " Your lanes to Reno got pricier this spring. Call me at 402-730-5108."


def verdict(pack, opening: str) -> str:
    """The rule's verdict: "warning", "note" (could not confirm) or "" (quiet)."""
    context = Context(*measure_script(opening + REST, labeller=pack.labeller))
    findings = rule_by_name(pack, RULE).findings(context)
    return "" if not findings else "note" if findings[0].doubt else str(findings[0].severity)


def test_each_word_is_read_as_what_it_is():
    # the name the greeting addresses is the listener's (L), however the list knows it
    assert introduction.shape("Hi Dale, Renee Castillo with Bluegate Freight.") == "G L , F X with C C ."
    assert introduction.shape("Hey Sandra, Payflow here, it's Gus.") == "G L , X here , it's F ."
    assert introduction.shape("Priya, good afternoon, Marcus calling.") == "L , G G , F calling ."
    assert introduction.shape("Good morning Mr. Sato, this is Ravi Menon.") == "G G T L , this is F X ."
    # a first name from beyond the 1990 US census (tools/first_names.py)
    assert introduction.shape("Hi Dale, it's Yusuf with Waypost Fleet.") == "G L , it's F with C C ."
    # a day, a month and a place are no names
    assert introduction.shape("Your neighbors on Maple Court booked in April for Saturday.") == \
        "your w on P P w in M for M ."
    # ... but a place's word inside a company's name is the company's
    assert introduction.shape("It's Carmen Ibarra over at Verbatim Court Reporting.") == "it's F X over at X X X ."
    # capitalised words that end in a company's word are the company's name, unless a first name
    # starts them (a name said before the company, the comma between them unheard)
    assert introduction.shape("Hi Frank, Coastal Marine Supply here.") == "G L , C C C here ."
    assert introduction.shape("Hi Dale, Renee Castillo Bluegate Freight.") == "G L , F X X C ."
    # a greeting the transcriber wrote as a sentence of its own does not count as one of the two
    assert introduction.opening("Hi, Wendy. Tricia Moreno with PeopleFirst HR. We help teams hire. Call me.") == \
        "Hi, Wendy. Tricia Moreno with PeopleFirst HR. We help teams hire."
    # a title's full stop ends no sentence
    assert introduction.opening("Hi Dr. Moss. This is Lumen Dental calling. Your ads ran for years. More.") == \
        "Hi Dr Moss. This is Lumen Dental calling. Your ads ran for years."


@pytest.mark.parametrize("opening", [
    "Hi Priya, Northgate Dental Supply here, this is Omar Reyes.",  # the company first
    "Hey Tom, Lena Ortiz over at Kestrel Freight.",
    "Good morning Mr. Hale, my name is Dev Patel and I'm with Brightwater Insurance.",
])
def test_a_name_and_a_company_in_any_order_keep_the_habit(default_pack, opening):
    assert verdict(default_pack, opening) == ""


@pytest.mark.parametrize("opening", [
    "Hi Priya, this is the billing team at Northgate Dental Supply.",  # a team, nobody named
    "Hey Tom, it's Lena, I'm the new rep covering your area.",  # a name and a role, no company
    "Hi, Kestrel Freight calling about your shipments.",  # a company alone
    # a company alone, then a street and a day, capitalised as names are and read as what they are
    "Hi, Greenleaf Lawn Care calling. Your neighbors on Maple Court booked aerations for Saturday.",
    "Hi Walter, Midwest Grain Logistics calling. Just wanted to touch base.",  # its name's words capitalised
    "Good morning, I'm calling on behalf of Janet Reyes at Cornerstone Accounting.",  # someone else named
    # a company said with no person at all, after a greeting by title or as "a call from", or calling for someone
    "Good morning, this is Redwood Alarm Company calling for the facilities manager at Lakeview Towers.",
    "Hi Mrs. Adeyemi, calling from Northgate Tutoring. Your son's algebra final moved up a week.",
    "Good afternoon, this is a call from Lakemont Signs for the owner of Rosa's Cantina.",
    "Good morning, Mr. Pappas. I'm calling on behalf of Ridgeway Packaging. Your new line shipped in May.",
])
def test_a_name_or_a_company_alone_breaks_it(default_pack, opening):
    assert verdict(default_pack, opening) == "warning"


def test_what_names_the_caller_and_what_names_a_company():
    """NOBODY and NO_COMPANY, the shape's absences the regression weighs (introduction._grams), are
    read from the first sentence where the caller says who they are."""
    def kinds(text):
        return introduction.shape(text).split()

    for named in ("Hi Dale, Renee Castillo with Bluegate Freight.", "Hey Sandra, Payflow here, it's Gus.",
                  "Hi Margaret, Anders Vik calling from Northline Executive Search.",  # a name not on the list
                  "Hi Ms. Oyelowo, my name is Celeste and I work with GiveRoot."):
        assert introduction.names_someone(kinds(named)), named
    for nobody in ("Hi Mrs. Adeyemi, calling from Northgate Tutoring.", "Hi Jerry, Bluestone Paving, about the lot.",
                   "Hello, this is Cedar and Stone Landscaping.",  # "and" goes on with another name: a company's
                   "I'm calling on behalf of attorney Dana Ruiz at Ruiz Law.",  # someone else's errand
                   "Hi, um, I'm hoping this reaches Donna in HR at Calloway Freight."):
        assert not introduction.names_someone(kinds(nobody)), nobody
    for company in ("Hi Dale, it's Talia at the Foundry Loft.", "Hey Sandra, Payflow here, it's Gus.",
                    "Hi Priya, this is Omar from Coastal Marine Supply."):
        assert introduction.names_a_company(kinds(company)), company
    assert introduction.names_a_company(kinds("Hi Nadia, it's Seun, I run a one-person practice called Tidewater Ops."))
    for alone in ("Hi Dr. Greene, this is Prakash Menon.", "Hey Ben, it's Maya again, about the quote I sent.",
                  "Hi Ellen, it's Sam, I do marketing for a lot of Google advertisers."):  # "of" joins no company
        assert not introduction.names_a_company(kinds(alone)), alone
    grams = introduction._grams(introduction.shape("Hi Mrs. Adeyemi, calling from Northgate Tutoring."))
    assert introduction.NOBODY in grams and introduction.NO_COMPANY not in grams


@pytest.mark.parametrize("named", [
    "Hi Wes, Tarun with FuelTrack.",  # one word, not on the list, joined to a company
    "Hi Ms. Lambert, Okafor here, with Harrow Staffing.",
    "Good morning Paula, Devan Malhotra, Crossdock Logistics.",  # a name, a comma, a company
    "Hey Omar, Lucía Benavides, and I run partnerships at Trellis Event Venues.",
    "I was checking on the quote I emailed, Victor Huang with Ironclad Security calling.",  # later, after a comma
    "Hi Lorraine, Keystone Mutual calling, Derek Hsu here.",
    "Good evening Dana, you're hearing from Colin Murphy at Atlas Freight.",  # two words after "from", then a company
    "Hi Dr. Abara, this is Dr. Lena Hoffman, medical director at Claritas Lab Services.",  # a title after "this is"
    "Yo Danny, Chris over at Bluewater Brokerage.",
])
def test_a_caller_named_in_other_places_and_words_is_someone(named):
    assert introduction.names_someone(introduction.shape(named).split()), named


@pytest.mark.parametrize("nobody", [
    "Hi Tom, Dana Whitmore at Clearwater said you'd be the one to talk to.",  # a third party's deed
    "Hi Jerry, Bluestone Paving, following up on the lot.",
    "Hi there, this message is for the owner of Pinewood Storage.",
])
def test_an_opening_can_name_no_one(nobody):
    assert not introduction.names_someone(introduction.shape(nobody).split()), nobody


@pytest.mark.parametrize("nobody", [
    "Hi Nora, Blue Heron Catering here. We opened a second kitchen in Ann Arbor.",
    "Good morning, this is Redwood Alarm Company calling for the facilities manager at Lakeview Towers.",
    "Good morning, Superintendent Hale. I'm a nutrition consultant with FreshPlate School Meals.",
    # someone's office, as a possessive is heard; an errand on someone's behalf, no one introduced after it
    "Hi Kevin, I'm calling from Gerald Whitman's office at Whitman Retirement Partners.",
    "Hi Dr. Brooks, this is Dr. Ilse Brandt's office at Meridian Sleep Center.",
    "Hi, Dr. Brooks. I'm calling on behalf of Dr. Samuel Lee at Meridian Sleep Center.",
])
def test_a_company_or_a_role_where_the_caller_says_who_they_are_is_sure_evidence(default_pack, nobody):
    """Where a company or a role stands in the caller's place and the opening names no one anywhere,
    the rule warns whatever the regression's n-grams weigh ("this is C C C calling for" weighs much):
    the score is at most NO_ONE_MAX, as an `unlike` example said word for word."""
    kinds = introduction.shape(nobody).split()
    assert introduction.introduced_as_no_one(kinds) and not introduction.names_someone(kinds)
    context = Context(*measure_script(nobody + REST, labeller=default_pack.labeller))
    [score] = context.measures.introduction[0].scores
    assert score.score <= introduction.NO_ONE_MAX and score.could_reach is None
    assert verdict(default_pack, nobody) == "warning"


def test_an_office_or_a_team_is_whose_it_is_only_where_a_company_or_the_sentence_follows():
    for own in ("Hi Kevin, this is Dana Whitmore, office manager at Whitman Partners.",
                "Hi, this is Jo Park, team lead with Crestline Freight.",
                "Hi Dr. Brooks, this is Ana Ruiz calling on behalf of Dr. Lee. I'm with Meridian Sleep Center."):
        kinds = introduction.shape(own).split()
        assert not introduction.introduced_as_no_one(kinds), own


def test_the_listener_greeted_with_a_comma_before_their_name_is_no_caller():
    """Whisper writes "Hi Patricia, calling from" as "Hi, Patricia, calling from": the name is still
    the listener's (introduction.listener); a name a company follows is the caller's."""
    assert introduction.shape("Hi, Patricia, calling from Ironlift Equipment.") == "G , L , calling from C C ."
    assert not introduction.names_someone(introduction.shape("Hi, Marcy, calling from Boxville Packaging.").split())
    caller = introduction.shape("Good morning, Kwame Asante-Boateng, Sentinel Grid, calling for Ms. Harlow.")
    assert caller.startswith("G G , F X ,") and introduction.names_someone(caller.split())


def test_a_company_a_third_party_is_named_with_is_theirs_not_the_callers():
    """What a third party did (SAID) makes the names and the company said right before it theirs,
    N (introduction.third_parties): the caller named only a first name, and no company."""
    shape = introduction.shape("Hi Chef Yamamoto, this is Giulia. Antonio at Osteria Lupo gave me your name.")
    assert shape == "G L L , this is F . N at N N R me your name ."
    assert introduction.names_someone(shape.split()) and not introduction.names_a_company(shape.split())
    own = introduction.shape("Hi Chef, this is Giulia with Vino Rosso. Antonio at Osteria Lupo gave me your name.")
    assert introduction.names_a_company(own.split())


def test_a_capitalised_word_where_a_role_would_be_may_be_a_name_misheard():
    """tiny.en heard "This is Imani Sutton from" as "This is a Monty Sutton from": a capitalised word
    before the company's joiner is no role's, so no sure absence (_a_role)."""
    kinds = introduction.shape("Hi, Dr. Varga. This is a Monty Sutton from Clear Clay Medical Billing.").split()
    assert not introduction.introduced_as_no_one(kinds)
    role = introduction.shape("Hi, this is a nutrition consultant with FreshPlate.").split()
    assert introduction.introduced_as_no_one(role)


def test_a_name_heard_in_pieces_after_my_names_is_still_a_name():
    """"my name's" is followed by a name, however the transcriber cut it: no sure absence there."""
    kinds = introduction.shape("Hi Dana, my name's Co -L -I Murphy and I'm a partner at Atlas Freight.").split()
    assert introduction.names_someone(kinds) and introduction.introduced_as_no_one(kinds)


def test_the_score_is_a_measurement_with_the_nearest_example(default_pack):
    context = Context(*measure_script("Hey Tom, Lena Ortiz over at Kestrel Freight." + REST,
                                      labeller=default_pack.labeller))
    [said] = context.measures.introduction
    assert said.text == "Hey Tom, Lena Ortiz over at Kestrel Freight. Your lanes to Reno got pricier this spring."
    [score] = said.scores
    assert score.rule == RULE and score.score >= 0.9 and score.nearest_is_like and score.nearest
    # the other content rules read clauses, not the opening
    assert all(s.rule != RULE for c in context.measures.clauses for s in c.scores)


def test_a_word_heard_unsure_is_doubt_only_where_it_could_name_the_caller_or_company(default_pack):
    """The opening is read again with its unsure words as names (Score.could_reach): a name misheard
    before "calling from" could have been one (a note); a surname misheard in an opening that names no
    company cannot make one (a warning); an opening heard surely has no such reading."""
    misheard = "Hi Ruth, and [probability 0.4] a fish are [probability 0.9] calling from Harbor Point Insurance."
    context = Context(*measure_script(misheard + REST, labeller=default_pack.labeller))
    [score] = context.measures.introduction[0].scores
    assert score.score < 0.5 <= score.could_reach
    assert verdict(default_pack, misheard) == "note"

    surname = "Hi Ruth, this is Marcus [probability 0.3] Okonkwo-Bellamy. [probability 0.9] Quick one."
    context = Context(*measure_script(surname + REST, labeller=default_pack.labeller))
    [score] = context.measures.introduction[0].scores
    assert score.could_reach is not None and score.could_reach < 0.5
    assert verdict(default_pack, surname) == "warning"

    sure = Context(*measure_script("Hi Ruth, this is Marcus Okonkwo-Bellamy." + REST, labeller=default_pack.labeller))
    assert sure.measures.introduction[0].scores[0].could_reach is None


def test_a_misheard_name_no_pattern_foresaw_is_doubt_where_it_would_surely_name_both(tmp_path, default_pack):
    """"Quillstone software, Nadia speaking" matches none of the rule's `unsure` patterns; read as
    names, its unsure words surely name both (`unsure_reach`): a note. A pack that asks for more
    than the opening reaches, and takes no score under 0.5 for a doubt (`unsure_band`), keeps the
    warning."""
    opening = ("Hi Mr. Abernathy, Quillstone [probability 0.3] software, [probability 0.95] Nadia [probability 0.3] "
               "speaking. [probability 0.95]")
    context = Context(*measure_script(opening + REST, labeller=default_pack.labeller))
    [score] = context.measures.introduction[0].scores
    reach = rule_by_name(default_pack, RULE).check.unsure_reach
    assert score.score < 0.5 and score.could_reach >= reach
    assert verdict(default_pack, opening) == "note"
    pack = tmp_path / "strict.toml"
    pack.write_text(f'[pack]\nextends = "default"\n[rules.{RULE}]\nunsure_reach = 1.0\nunsure_band = 0.0\n')
    assert verdict(load_pack(pack), opening) == "warning"


def test_a_word_misheard_in_the_greeting_is_the_listeners_name_not_the_callers(default_pack):
    for greeting in ("High [probability 0.3] bait, [probability 0.95]",
                     "Hi Ms. [probability 0.3] Delgado. [probability 0.95]"):
        context = Context(*measure_script(greeting + " it's Arjun calling." + REST, labeller=default_pack.labeller))
        score = context.measures.introduction[0].scores[0]
        assert (score.could_reach, score.read_as_names) == (score.score, ())  # no reading raises it
        assert verdict(default_pack, greeting + " it's Arjun calling.") == "warning"


def test_the_doubt_cites_the_words_whose_reading_as_names_raised_it_not_the_greeting(default_pack):
    """The unsure greeting ("there,") is the listener's, never read as a name: the note cites the
    words that, read as names, would name the caller and the company (Score.read_as_names)."""
    opening = ("Hi [probability 0.3] there, [probability 0.9] Quillstone [probability 0.3] software, "
               "[probability 0.95] Nadia [probability 0.3] Ortiz [probability 0.95] speaking.")
    context = Context(*measure_script(opening + REST, labeller=default_pack.labeller))
    [score] = context.measures.introduction[0].scores
    words = context.transcript.words
    assert [words[i].text for i in score.read_as_names] == ["software,", "Ortiz"]
    [finding] = rule_by_name(default_pack, RULE).findings(context)
    assert finding.doubt == 'heard "software," and "Ortiz" at 1.2 s, not clearly'
    assert [words[a].text for a, _ in finding.words] == ["software,", "Ortiz"]


def test_a_name_heard_unsure_where_patterns_overlap_is_cited_once(default_pack):
    """Two `unsure` patterns match "this is and a fish are calling from Harbor": the note quotes the
    first match, once."""
    opening = "Hi Ruth, this is [probability 0.4] and a fish are [probability 0.9] calling from Harbor Point Insurance."
    context = Context(*measure_script(opening + REST, labeller=default_pack.labeller))
    [finding] = rule_by_name(default_pack, RULE).findings(context)
    assert finding.doubt == 'heard "this is and a fish are" at 0.8 s, not clearly'


def test_digits_heard_unsure_are_a_number_not_a_misheard_name(default_pack):
    """tiny.en on one CPU heard the number's digits unsure and "again" without the full stop before
    it; read as names, the digits named a caller. Written in digits, they were heard as a number:
    the message that names nobody is warned plainly."""
    message = "Hi there, call me at [probability 0.4] 5 5 5 0 1 0 0 again [probability 0.9] 5 5 5 0 1 0 0."
    context = Context(*measure_script(message, labeller=default_pack.labeller))
    [score] = context.measures.introduction[0].scores
    words = context.transcript.words
    assert all(not words[i].text.isdigit() for i in score.read_as_names)
    [finding] = rule_by_name(default_pack, RULE).findings(context)
    assert str(finding.severity) == "warning" and not finding.doubt


def test_unsure_reach_is_for_a_rule_that_reads_the_opening(tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text('[pack]\nextends = "default"\n[rules.no-call-to-action]\nunsure_reach = 0.9\n')
    with pytest.raises(PackError, match=r"key 'unsure_reach': 0\.9 must be a score between 0 and 1, in a rule with"):
        load_pack(pack)


def test_a_company_in_small_letters_is_read_with_capitals_only_where_it_ends_in_a_companys_word():
    def read(shape: str) -> str:
        return " ".join(introduction.capitalised(shape.split(" ")))

    # "it's show knee with copper crest staffing.": a company's name, as with capitals (companies())
    assert read("it's w w with w w c .") == "it's w w with C C C ."
    assert read("G , T w w F .") == "G , T w w F ."  # no company's word: nothing read with capitals


def test_the_opening_is_read_token_for_token_as_its_text_is(default_pack):
    """The unsure words are found word by word; the shape they change is the one the text gives."""
    script = "Good morning Dr. Hale. This is Dev Patel, and I'm with Brightwater Insurance. More here."
    transcript, _ = measure_script(script + REST, labeller=default_pack.labeller)
    words = tuple(dataclasses.replace(w, probability=0.2 if w.text in ("Patel,", "Brightwater") else 0.9)
                  for w in transcript.words)
    said = introduction.opening(" ".join(w.text for w in words))
    tokens, unsure = introduction.heard_tokens(words[:len(said.split())])
    assert " ".join(introduction._kinds(tokens)) == introduction.shape(said)
    assert [tokens[i] for i in unsure] == ["Patel", "Brightwater"]


def test_a_trainers_example_opening_changes_the_verdict(tmp_path, default_pack):
    """A company's name that has a person's shape ("Sterling Oak with ...") reads like an introduction;
    the trainer adds it with "unlike+", and the verdict changes."""
    opening = "Hi Jo, this is Sterling Oak with an update on your order."
    assert verdict(default_pack, opening) in ("", "note")
    pack = tmp_path / "team.toml"
    pack.write_text(f'[pack]\nextends = "default"\n[rules.{RULE}]\n"unlike+" = [{json.dumps(opening)}]\n')
    assert verdict(load_pack(pack), opening) == "warning"


def test_a_rule_reads_clauses_or_openings(tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text(f'[pack]\nextends = "default"\n[rules.{RULE}]\nreads = "sentences"\n')
    with pytest.raises(PackError, match="key 'reads': 'sentences' is not one of clauses, introduction; fix it"):
        load_pack(pack)


SMALL = (RULE, ("Hi Dale, Renee Castillo with Bluegate Freight.", "Hey Sandra, Payflow here, it's Gus."),
         ("Hi, this is Riverside Lawn and Tree calling.", "Hey Rob, it's Mo, the guy from the breakfast."),
         "introduction")


def test_the_fit_is_kept_and_does_not_depend_on_the_blas_kernels(tmp_path, monkeypatch):
    """Fitted under an older OpenBLAS kernel, in a cache of its own, the weights are the same; fitted
    once, they are read back."""
    first = introduction.Classifier(Meaning(*SMALL)).weights
    code = ("import json; from analyzer.measure import introduction as i; from analyzer.measure.clauses import "
            f"Meaning; print(json.dumps(i.Classifier(Meaning(*{SMALL!r})).weights.tolist()))")
    for core in ("Prescott", "Haswell"):
        env = {**os.environ, "OPENBLAS_CORETYPE": core, "XDG_CACHE_HOME": str(tmp_path / core)}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             check=True).stdout
        assert np.abs(np.array(json.loads(out)) - first).max() < 1e-6
    monkeypatch.setattr(introduction, "fit_wide", lambda *_, **__: pytest.fail("fitted again"))
    assert np.array_equal(introduction.Classifier(Meaning(*SMALL)).weights, first)
