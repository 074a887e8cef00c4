"""Whom the opening names: the caller, and the company they call from, read from the shape of the
introduction rather than its wording.

"Hi Dale, Renee Castillo with Bluegate Freight." and "Hey Sandra, Payflow here, it's Gus." name a
person and a company; "it's Mo, the guy from the Chamber breakfast" and "this is Riverside Lawn and
Tree calling" do not. No list of wordings can hold every way a rep says who they are, but the
introduction's shape does: each word is read as what it is (a greeting, a title, the listener's
name the greeting addresses, a first name, a
capitalised word, a company's word such as "Insurance", a day or a month, a place such as "Maple
Court", a company's name such as "Coastal Marine Supply", a word that joins a name to a company such
as "with", or any other word), and what decides is fitted from the rule's examples (openings of
labelled messages that keep the habit, `like`, and that break it, `unlike`): a logistic regression
over the shapes' single words, pairs and triples (clauses.fit_wide, the same Newton's method and
float64 as the clause scores, so the same examples give the same weights on every machine). An
opening word for word one of the examples takes that example's label: a trainer's `"like+"` changes
that verdict.

The first names (rules/lexicon/first-names.txt) and the word classes below are cheap evidence of what a
word is; how much each shape counts is the examples'.

A word the transcriber was unsure of may have been another word: "and a fish are calling from Blue
Harbor IT" was "Hannah Fischer calling from Blue Harbor IT". What Whisper mishears are names, so the
opening is read again with its unsure words as names (a first name, another capitalised word, or
what joins a name to a company) and with a company it wrote in small letters as written with
capitals; the highest score that reaches is kept beside the score (`Score.could_reach`). Where even
that cannot name both, no misheard word could have, and the rule's verdict is certain ("This is
Gina Lombardi." with the surname unsure names no company however it is heard).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..confidence import POLICY
from ..transcript import Word
from .clauses import ABBREVIATIONS, PERSON_TITLES, SCORE_DIGITS, Clause, Meaning, Score, fit_wide, kept_weights, sigmoid

FIRST_NAMES = Path(__file__).resolve().parent.parent / "packs" / "lexicon" / "first-names.txt"
OPENING_SENTENCES = 2  # the introduction is in the first two sentences
SHORT = 3  # words: a sentence this short ("Hi Dale.") is read with the next ones
LISTENER_MAX_WORDS = 3  # the words of a name after a title ("Ms. O'Lo-Woe", as tiny.en cuts it)
MAX_TOKENS = 40
# The regression's L2 weight and the n-grams' lengths: chosen on ten parts, each left out in turn.
RIDGE = 0.03
NGRAMS = (1, 3)

GREETINGS = {"hi", "hey", "hello", "high", "morning", "afternoon", "evening", "good", "there", "yeah", "um", "uh", "so",
             "dear", "howdy", "hiya", "yo"}
# Words read as themselves: what joins a name to a company, and the words of an introduction ("on
# behalf of Janet Reyes at Cornerstone Accounting" names someone else, not the caller).
JOINERS = {"with", "from", "at", "of", "for", "over", "here", "calling", "again", "and", "&", "in", "on", "by",
           "behalf", "called", "named"}
OWN = {"the", "your", "a", "an", "our", "my", "this", "is", "it's", "its", "i'm", "im", "i", "am", "name",
       "name's", "you've", "got", "we", "we're", "me", "i'd", "i'll", "i've", "we'd", "we'll", "we've", "you",
       "you're", "just", "who", "that", "to",
       # a team, a role or a place said instead of a company or a name
       "guy", "team", "program", "department", "manager", "list", "office", "crew", "side", "area", "territory",
       "rep", "recruiter", "lead", "exec", "executive", "owner", "founder", "partner", "director", "vp",
       "consultant", "specialist", "advisor"}
# A company's own words: "Harbor Light Insurance", "coin bridge payments".
COMPANY_WORDS = frozenset("""
insurance staffing security solutions group realty dental marketing supply lab labs partners hr it media systems
services service printing print cleaning roofing mutual bank banking capital health logistics freight telematics
communications hosting graphics benefits advisors advisory consulting agency inc llc co company corp technologies
tech software payments payroll financial finance wealth properties property management construction electric
plumbing hvac solar energy motors auto fleet transport trucking design studio studios associates law legal clinic
medical pharma analytics data cloud networks network digital ventures holdings industries manufacturing recruiting
talent search realtors mortgage lending credit coverage couriers courier racking drayage pest lawn landscaping tree
pools pool water air heating cooling mechanical builders homes home rentals leasing signs press inspections
inspection repair restoration flooring windows glass painting electrical movers moving storage catering events
fitness wellness pharmacy veterinary accounting cpa bookkeeping tax brewing coffee foods farms equipment rental
tools parts industrial packaging labels uniforms linen waste recycling hauling towing tire tires collision detailing
janitorial alarm locksmith telecom wireless internet cyber web seo creative pr hospitality hotel hotels travel 3pl
shipping express delivery care""".split())  # noqa: SIM905 (a paragraph of words reads better than a list)
# A day or a month, capitalised as a name is: "on Saturday", "since the April storms".
DATES = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december""".split())  # noqa: SIM905
# What ends a place's name: "Maple Court", "Elm Street", "Canyon View Drive".
PLACE_WORDS = frozenset("""street st avenue ave road rd court ct lane ln drive boulevard blvd highway parkway plaza
square county township""".split())  # noqa: SIM905
# What a third party did: "Steve Dalton at Brightline said you're ...", "Maria over at Crestview gave
# me your number" name someone else and their company.
SAID = {"said", "says", "mentioned", "suggested", "gave", "told", "recommended", "referred", "thought", "asked",
        "passed", "introduced", "shared", "pointed"}
# What a word heard unsure may have been, as the shapes write it: a first name, another capitalised
# word, or the word that joins a name to a company ("real open and ugly analytics" was "Luis Ortega at
# Acme Analytics").
MAY_BE = ("F", "X", "with", "at", "from")
# What a caller's own name follows ("this is Jess", "my name's Eli"), what joins a company to it
# ("Anders Vik calling from"), and what joins a company to what comes before it ("with Bluegate");
# the tokens for an opening that names no one so (names_someone), and for one that names no company.
INTRODUCERS = {"G", "L", "is", "it's", "its", "i'm", "im", "am", "name", "name's", "got", "me"}
CALLER_INTRODUCERS = INTRODUCERS - {"G", "L", "got", "me"}  # "this is", "I'm", "my name is"
NAME_JOINERS = {"with", "from", "at", "calling", "here", "over"}
COMPANY_JOINERS = {"with", "from", "at", "by", "over"}
COMPANY_NAMERS = {*COMPANY_JOINERS, "called", "named"}  # "a one-person practice called Tidewater Ops"
NOBODY = "NOBODY"
NO_COMPANY = "NO_COMPANY"
NO_ONE_MAX = 0.01  # the score of an opening that names no one, as of an `unlike` example said again
# tokens: a third party's deed this soon after a name makes the name theirs ("Dana Whitmore at Clearwater said")
SAID_WITHIN = 4
_TOKEN = re.compile(r"[\w'&$%-]+|[.,?!]")
_TITLE_STOP = re.compile(rf"\b({'|'.join(ABBREVIATIONS)})\.", re.I)
_INITIAL_STOP = re.compile(r"\b([A-Z])\.(?= [A-Z])")  # "Gerald M. Oni": a name's initial


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    lines = FIRST_NAMES.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def opening(text: str) -> str:
    """The first OPENING_SENTENCES sentences of a text; a title's or an initial's full stop ends none,
    and a greeting the transcriber wrote apart does not count: a sentence of SHORT words or fewer
    ("Hi, Wendy."), or one that only greets the listener by title and name, give or take a word
    ("Hi, uh, Mr. Castellanos?", heard "Hi, I'm Mr. Casilanos.")."""
    text = _INITIAL_STOP.sub(r"\1", _TITLE_STOP.sub(lambda m: m.group(1), " ".join(text.split())))
    taken, counted = [], 0
    for sentence in re.split(r"(?<=[.?!])\s+", text):
        if counted == OPENING_SENTENCES:
            break
        taken.append(sentence)
        counted += len(sentence.split()) > SHORT and not _greets_by_title(_kinds(_TOKEN.findall(sentence)))
    return " ".join(taken)


def _greets_by_title(kinds: list[str]) -> bool:
    """Whether a sentence's shape (_kinds) only greets the listener by title and name (the words after
    the title up to the next comma or full stop), with one word besides at most."""
    besides, titled, naming = 0, False, False
    for kind in kinds:
        if kind in ".,?!":
            naming = False
        elif kind == "T":
            titled = naming = True
        elif kind != "G" and not naming:
            besides += 1
    return titled and besides <= 1


def shape(text: str) -> str:
    """What each word of an opening is, as one token per word: G greeting, T title, L the name the
    greeting addresses (the listener's), F a capitalised first name, C a capitalised company's word,
    c one in small letters, M a day or a month, P a place ("Maple Court"), X another capitalised word,
    S one that only starts a sentence, D a number, R what a third party did (said, gave), N a name or
    a company said right before it (third_parties), w any other
    word (a first name in small letters too: "will", "grant"); joiners and the introduction's own
    words as themselves; commas and full stops kept."""
    return " ".join(_kinds(_TOKEN.findall(opening(text))))


def _kinds(tokens: list[str]) -> list[str]:
    """What each token of an opening is (shape's letters), at most MAX_TOKENS of them."""
    names = first_names()
    out: list[str] = []
    starts = True
    for token in tokens:
        if token in ".?!":
            out.append(".")
            starts = True
            continue
        if token == ",":
            out.append(",")
            continue
        low = token.lower().strip("'-")
        capital = token[:1].isupper()
        if low in PERSON_TITLES:
            kind = "T"
        elif low in GREETINGS:
            kind = "G"
        elif low in JOINERS or low in OWN:
            kind = low
        elif low in SAID:
            kind = "R"
        elif re.fullmatch(r"[\d$%.,-]+", token):
            kind = "D"
        elif low in DATES and capital:
            kind = "M"
        elif low in PLACE_WORDS and capital:
            kind = "P"
        elif low in COMPANY_WORDS:
            kind = "C" if capital else "c"
        elif low in names and capital:
            kind = "F"
        elif capital:
            kind = "S" if starts else "X"
        else:
            kind = "w"
        out.append(kind)
        starts = False
    # a day or a month that comes from somewhere is a name ("April from Pioneer Payroll"; tiny.en's
    # "but Sunday from" for a name it did not know)
    out = ["F" if kind == "M" and out[i + 1:i + 2] == ["from"] else kind for i, kind in enumerate(out)]
    return third_parties(listener(companies(places(out[:MAX_TOKENS]))))


def listener(kinds: list[str]) -> list[str]:
    """The shape with the name the greeting addresses read as the listener's, L ("Hi Priya,", "Good
    morning Mr Sato,", "Priya, good afternoon,", "Hi, Patricia, calling"): whether the list knows the
    listener's first name says nothing of whom the caller names."""
    out = list(kinds)
    k = 0
    while k < len(out) and out[k] == "G":
        k += 1
    greeted = k > 0
    if greeted and out[k:k + 1] == [","]:  # "Hi, Patricia, calling from": a comma between, as Whisper writes it;
        # not a name a company follows ("Good morning, Kwame Asante-Boateng, Sentinel Grid")
        end = _name_end(out, k + 1, most=2)
        if end > k + 1 and (out[end:end + 1] == ["."] or (out[end:end + 1] == [","] and out[end + 1:end + 2] not in (
                ["F"], ["X"], ["S"], ["C"]))):
            k += 1
    if k < len(out) and out[k] == "T":
        k += 1
    end = _name_end(out, k, most=2)
    # a name said before the greeting ("Priya, good afternoon") or after a title ("Mr. Prospect, this is")
    before_greeting = (end > k and end + 1 < len(out) and out[end] == ","
                       and (out[end + 1] == "G" or out[0] == "T"))
    if greeted or before_greeting:
        out[k:end] = ["L"] * (end - k)
    return out


def third_parties(kinds: list[str]) -> list[str]:
    """The shape with the names and companies said right before what a third party did read as theirs,
    N: "Antonio at Osteria Lupo gave me your name", "Maria over at Crestview mentioned" say whom the
    caller heard from, not who the caller is or the company they call from."""
    out = list(kinds)
    for i, kind in enumerate(kinds):
        if kind != "R":
            continue
        k = i
        while k > 0 and kinds[k - 1] in ("F", "X", "S", "C", "P", "the", *COMPANY_JOINERS):
            k -= 1
        out[k:i] = ["N" if name in ("F", "X", "S", "C", "P") else name for name in kinds[k:i]]
    return out


def places(kinds: list[str]) -> list[str]:
    """The shape with the capitalised words before a place's word read as the place's ("Maple
    Court", "Elm Street" are no names), unless a first name alone comes before it and what joins a
    name to a company after it: "Veronica Lane with Hearthside Home Care" is a name; or a capitalised
    word follows it, in a company's name: "Verbatim Court Reporting"."""
    out = list(kinds)
    for i, kind in enumerate(kinds):
        if kind != "P":
            continue
        if i + 1 < len(kinds) and kinds[i + 1] in ("X", "S", "F"):
            out[i] = "X"
            continue
        if i > 0 and kinds[i - 1] == "F" and (i < 2 or kinds[i - 2] not in ("X", "S", "F")) \
                and i + 1 < len(kinds) and kinds[i + 1] in JOINERS:
            out[i] = "X"
            continue
        k = i - 1
        while k >= 0 and out[k] in ("X", "S", "F"):
            out[k] = "P"
            k -= 1
    return out


def companies(kinds: list[str]) -> list[str]:
    """The shape with each run of capitalised words that ends in a company's word read as the
    company's ("Coastal Marine Supply", "Midwest Grain Logistics": "C C C"), unless a first name
    starts it ("Renee Castillo Bluegate Freight" may be a name said before the company)."""
    out = list(kinds)
    for i, kind in enumerate(kinds):
        if kind != "C" or (i + 1 < len(kinds) and kinds[i + 1] == "C"):
            continue
        k = i
        while k > 0 and out[k - 1] in ("X", "S", "F", "C"):
            k -= 1
        if out[k] != "F":
            out[k:i] = ["C"] * (i - k)
    return out


def capitalised(kinds: list[str]) -> list[str]:
    """The shape with each run of small-letter words that ends in a company's word ("w c c": "lattice
    talent partners") read as a company written with capitals ("X C C", which is "C C C")."""
    out = list(kinds)
    for i, kind in enumerate(kinds):
        if kind == "c":
            k = i
            while k >= 0 and out[k] in ("w", "c"):
                out[k] = "X" if out[k] == "w" else "C"
                k -= 1
    return companies(out)


def _grams(shaped: str) -> set[str]:
    """The shape's words, pairs and triples, NOBODY where its first sentence names no one as a caller
    names themselves, and NO_COMPANY where it names no company: what is absent no n-gram can weigh."""
    tokens = shaped.split()
    grams = {" ".join(tokens[i:i + n]) for n in range(NGRAMS[0], NGRAMS[1] + 1) for i in range(len(tokens) - n + 1)}
    said = tokens[:_first_sentence_end(tokens)]  # where the caller says who they are
    return grams | ({NOBODY} if not names_someone(said) else set()) | ({NO_COMPANY} if not names_a_company(said)
                                                                       else set())


def names_someone(kinds: list[str]) -> bool:
    """Whether the shape has a name where a caller says their own: after what introduces one ("this
    is", "it's", "I'm", "my name's", a title between: "this is Dr Lena Hoffman"); first thing in a
    sentence or after the greeting, a first name from the list, two capitalised words that a company
    is joined to or that a comma and another capitalised name or "and" follow ("Hi Dale, Renee
    Castillo", "Anders Vik calling from", "Nate Kowalski, Roadmark Telematics.", "Lucía Benavides, and
    I run partnerships at"), or one word joined to a company ("Raj with FuelTrack", "Okafor here,
    with Harrow Staffing"); later, after a comma, two capitalised
    words joined to a company or a first name from the list ("I sent the quote, Pedro Salgado with
    Northgate Legal calling", "Keystone Mutual calling, Derek Hsu here"), or two after "from" that a
    company follows ("you're hearing from Colin Murphy at Atlas Freight"). Not a run that goes on with
    "and" and another name ("this is Cedar and Stone Landscaping"), one a third party's deed follows
    ("Hi Tom, Dana Whitmore at Clearwater said"), nor in what someone else's errand is ("calling on
    behalf of attorney Renee Castellanos", "hoping this reaches Donna in HR"). "calling from Brightpath
    Tutoring" and "Hi Jerry, Bluestone Paving, following up" name a company alone; "this is Dr. Ilse
    Brandt's office at" names whose office it is (_an_office)."""
    before, greeted = ".", True  # the start of the opening is where a name may come first
    for i, kind in enumerate(kinds):
        if kind == "behalf":
            return False  # whoever is named after it is not the caller, and no caller came before it
        start = i + 1 if kind == "T" and before in INTRODUCERS else i
        end = _name_end(kinds, start)
        run, after = end - start, kinds[end:end + 2]
        first = before == "." or (before == "," and greeted)
        joined = run >= 2 and bool(after) and (after[0] in NAME_JOINERS or after[0] == "of")
        then_named = run >= 2 and after[:1] == [","] and kinds[end + 1:end + 2] in (["F"], ["X"], ["S"], ["C"], ["and"])
        one_joined = run == 1 and ((bool(after) and after[0] in COMPANY_JOINERS) or after == ["here", "at"]
                                   or kinds[end:end + 3] == ["here", ",", "with"])
        listed = run >= 1 and kinds[start] == "F"
        introduced = (before in INTRODUCERS or (first and (listed or joined or then_named or one_joined))
                      or (before == "," and (joined or listed))
                      or (before == "from" and joined and after[0] in COMPANY_JOINERS))
        a_company = after[:1] == ["and"] and after[1:] in (["F"], ["X"], ["S"], ["C"])
        if run > 0 and introduced and not a_company and not _an_office(kinds, end) \
                and not _a_deed_follows(kinds, end):
            return True
        if (before == "name's" or kinds[max(i - 2, 0):i] == ["name", "is"]) and kind in ("C", "c", "w"):
            return True  # what follows "my name's" is a name, however it was heard ("my name's Co -L -I Murphy")
        greeted = kind in ("G", "L") or (greeted and kind in ".,")
        before = kind
    return False


def names_a_company(kinds: list[str]) -> bool:
    """Whether the shape has what a company's name is: a company's word ("Coastal Marine Supply"), a
    capitalised word after what joins a name to a company ("with Bluegate", "from SkyTrace", "at the
    Foundry Loft") or names one ("a practice called Tidewater Ops"), or one before "here" ("Payflow
    here"; "Nate here" is a first name's). "this is Prakash Menon." names no company, nor does "This is
    Giulia. Antonio at Osteria Lupo gave me your name" (_theirs)."""
    for i, kind in enumerate(kinds):
        after = kinds[i + 1] if i + 1 < len(kinds) else ""
        if after == "the" and i + 2 < len(kinds):
            after = kinds[i + 2]
        joined = kind in COMPANY_NAMERS and after in ("X", "S", "F", "C")
        if (kind == "C" or joined or (kind == "X" and after == "here")) and not _theirs(kinds, i + 1):
            return True
    return False


def _theirs(kinds: list[str], start: int) -> bool:
    """Whether the capitalised words from `start` are followed soon by what a third party did: "Antonio
    at Osteria Lupo gave me your name" names Antonio's company, not the caller's."""
    end = start
    while end < len(kinds) and kinds[end] in ("X", "S", "F", "C", "the"):
        end += 1
    return _a_deed_follows(kinds, end)


def _a_deed_follows(kinds: list[str], end: int) -> bool:
    """Whether what a third party did (R) comes within SAID_WITHIN tokens of `end`, where a name or a
    company ends: "Dana Whitmore at Clearwater said" makes them theirs."""
    return "R" in kinds[end:end + SAID_WITHIN]


def _name_end(kinds: list[str], start: int, most: int = MAX_TOKENS) -> int:
    """Where the run of capitalised words (a name's: F, X, S) from `start` ends, `most` of them at most."""
    end = start
    while end < len(kinds) and end - start < most and kinds[end] in ("F", "X", "S"):
        end += 1
    return end


def _an_office(kinds: list[str], end: int) -> bool:
    """Whether the name that ends at `end` is whose office or team it is, as a possessive heard
    ("Gerald Whitman's office at Whitman Retirement Partners"): an office or a team right after it, and
    then what joins a company or the end of the sentence ("Dana Whitmore, office manager" is a role)."""
    return kinds[end:end + 1] in (["office"], ["team"]) and kinds[end + 1:end + 2] in (
        [], ["."], [","], *([joiner] for joiner in COMPANY_JOINERS))


def introduced_as_no_one(kinds: list[str]) -> bool:
    """Whether where a caller says who they are, a company or a role stands instead of a name: right
    after "this is", "it's" or "I'm" ("this is Cascade Pest Solutions calling for the manager", "this is
    the billing team at", "I'm a nutrition consultant with"; not "This is a Monty Sutton from": _a_role),
    or a company first after the greeting, then "here" or "calling" ("Hi Nora, Blue Heron Catering
    here."); someone's office ("calling from Gerald Whitman's office at", _an_office); or an errand
    on someone's behalf with no one introduced before or after it in the sentence ("I'm calling on
    behalf of Dr. Samuel Lee at Meridian Sleep Center.")."""
    sentence = kinds[:_first_sentence_end(kinds)]
    for i, kind in enumerate(sentence):
        if kind == "behalf" and not set(sentence[i:]) & CALLER_INTRODUCERS and not names_someone(sentence[:i]):
            return True
        if kind in ("from", "is", "it's", "its", "i'm", "im") and i + 1 < len(kinds):
            start = i + 2 if kinds[i + 1] == "T" else i + 1
            end = _name_end(kinds, start)
            if end > start and _an_office(kinds, end):
                return True
    for i, kind in enumerate(kinds):
        before = kinds[max(i - 2, 0):i]
        says = before[-1:] in (["it's"], ["its"], ["i'm"], ["im"]) or before in (["this", "is"], ["i", "am"])
        if says and (kind == "C" or (kind in ("a", "an", "the", "your", "our") and _a_role(kinds, i + 1))):
            return True
        if kind == "C" and (i == 0 or kinds[i - 1] == "." or
                            (kinds[i - 1] == "," and all(k in ("G", "L", "T", ",") for k in kinds[:i]))):
            end = i
            while end < len(kinds) and kinds[end] == "C":
                end += 1
            if kinds[end:end + 1] in (["here"], ["calling"]):
                return True
    return False


def _a_role(kinds: list[str], start: int) -> bool:
    """Whether the words from `start` up to what joins them to a company, a comma or a full stop are a
    role's, none capitalised: "a nutrition consultant with" is; "a Monty Sutton from" (tiny.en's
    "Imani Sutton") and "a leaner Whitfield of" ("Eleanor Whitfield") may be a name misheard."""
    end = start
    while end < len(kinds) and kinds[end] not in (".", ",", "of", "for", "in", "on", *COMPANY_JOINERS):
        end += 1
    return not any(kind in ("F", "X", "S") for kind in kinds[start:end])


def _said_again(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", opening(text).lower()))


class Classifier:
    """One rule's example openings fitted: a logistic regression over their shapes' words, pairs and
    triples, and the examples themselves, for the one an opening is nearest to."""

    def __init__(self, meaning: Meaning):
        self.meaning = meaning
        self.examples = meaning.like + meaning.unlike
        self.labels = np.array([1.0] * len(meaning.like) + [0.0] * len(meaning.unlike))
        grams = [_grams(shape(e)) for e in self.examples]
        self.vocabulary = {g: i for i, g in enumerate(sorted(set().union(*grams)))}
        self.rows = [frozenset(self.vocabulary[g] for g in found) for found in grams]
        self.weights = self._fitted()
        self.again = {_said_again(e): (k, bool(label)) for k, (e, label) in enumerate(zip(self.examples, self.labels))}

    def _fitted(self) -> np.ndarray:
        """The weights, kept in the user cache by what decides them (as clauses._fitted)."""
        recipe = json.dumps([RIDGE, NGRAMS, MAX_TOKENS, sorted(self.vocabulary), list(self.examples),
                             [sorted(row) for row in self.rows], self.labels.tolist(),
                             hashlib.sha256(FIRST_NAMES.read_bytes()).hexdigest(),
                             *(sorted(words) for words in (COMPANY_WORDS, DATES, PLACE_WORDS, OWN, JOINERS, GREETINGS,
                                                           SAID))])
        return kept_weights(recipe, "intro-", len(self.vocabulary) + 1, self._fit)

    def _fit(self) -> np.ndarray:
        design = np.zeros((len(self.rows), len(self.vocabulary)))
        for k, row in enumerate(self.rows):
            design[k, sorted(row)] = 1.0
        return fit_wide(design, self.labels, ridge=RIDGE)

    def _probability(self, kinds: list[str]) -> tuple[float, set[int]]:
        """The regression's score, at most NO_ONE_MAX where a company or a role stands where the
        caller says who they are and the opening names no one anywhere (introduced_as_no_one,
        names_someone): sure evidence, as an `unlike` example said word for word is. A reading of
        unsure words as names (could_reach) is judged the same way: "this is Cascade Pest[unsure]
        Solutions calling" names no one however "Pest" is read."""
        found = {self.vocabulary[g] for g in _grams(" ".join(kinds)) if g in self.vocabulary}
        prob = float(sigmoid(np.array([self.weights[sorted(found)].sum() + self.weights[-1]]))[0])
        sure_no_one = introduced_as_no_one(kinds) and not names_someone(kinds)
        return (min(prob, NO_ONE_MAX) if sure_no_one else prob), found

    def could_reach(self, kinds: list[str], unsure: list[int]) -> tuple[float, list[int]]:
        """The highest score the opening's shape `kinds` reaches with the tokens at `unsure` read as
        names instead (MAY_BE), as written and with a company heard in small letters read as written
        with capitals (`capitalised`): a transcriber that mishears an introduction writes the company
        it does not know in small letters too ("it's pre -anandacumer with lattice talent partners").
        With it, the tokens whose reading raised the score, in order (an unsure word read with
        capitals among them)."""
        written = capitalised(kinds)
        reach, read = self._reach(written, unsure)
        recapitalised = [i for i in unsure if written[i] != kinds[i]]
        return max(self._reach(kinds, unsure), (reach, sorted({*read, *recapitalised})))

    def _reach(self, kinds: list[str], unsure: list[int]) -> tuple[float, list[int]]:
        """One token at a time, the reading that raises the score most, until none does."""
        kinds, left = list(kinds), set(unsure)
        best = self._probability(kinds)[0]
        while left:
            tried = [(self._probability([*kinds[:i], kind, *kinds[i + 1:]])[0], i, kind)
                     for i in sorted(left) for kind in MAY_BE if kind != kinds[i] and _may_be(kind, kinds, i)]
            if not tried or max(tried)[0] <= best:
                break
            best, i, kind = max(tried)
            kinds[i] = kind
            left.discard(i)
        return best, sorted(set(unsure) - left)

    def score(self, text: str, kinds: list[str]) -> Score:
        """The opening `text`, whose shape is `kinds` (read() has them from the words)."""
        prob, found = self._probability(kinds)
        said = self.again.get(_said_again(text))
        if said is not None:  # said as an example: its label decides
            k, is_like = said
            prob = max(prob, 0.99) if is_like else min(prob, NO_ONE_MAX)
            return Score(self.meaning.name, round(prob, SCORE_DIGITS), self.examples[k], is_like, 1.0)
        # the nearest example: the most n-grams in common, for their numbers (a cosine of 0/1 vectors)
        shared = [len(found & row) / max(np.sqrt(len(found) * len(row)), 1.0) for row in self.rows]
        k = int(np.argmax(shared))
        return Score(self.meaning.name, round(prob, SCORE_DIGITS), self.examples[k], bool(self.labels[k]),
                     round(float(shared[k]), SCORE_DIGITS))


def _may_be(kind: str, kinds: list[str], i: int) -> bool:
    """Whether the token at `i` may have been `kind`: a word that joins a name to a company
    ("with", "at", "from") has something after it to join ("This is Gina Lombardi." with the surname
    unsure is no "This is Gina with.")."""
    return kind in ("F", "X") or (i + 1 < len(kinds) and kinds[i + 1] not in (".", ","))  # _kinds writes ?! as "."


@lru_cache(maxsize=64)
def classifier(meaning: Meaning) -> Classifier:
    return Classifier(meaning)


def read(words: tuple[Word, ...], meanings: tuple[Meaning, ...]) -> tuple[Clause, ...]:
    """The opening (its first two sentences), scored for each meaning that reads introductions; none
    when no rule does."""
    if not meanings or not words:
        return ()
    text = " ".join(w.text.strip() for w in words)
    said = opening(text)
    count = len(said.split())
    last = min(len(words), max(count, 1)) - 1
    tokens, unsure = heard_tokens(words[:count])
    kinds = _kinds(tokens)
    first, end = _greeting_end(kinds), _first_sentence_end(kinds)
    # a word written in digits was heard as a number, and a number is no misheard name
    may_be_names = [i for i in unsure if first <= i < end and kinds[i] != "D"]
    scores = []
    for meaning in meanings:
        judge = classifier(meaning)
        score = judge.score(said, kinds)
        if may_be_names and _said_again(said) not in judge.again:  # an opening said as an example takes its label
            reach, read_as_names = judge.could_reach(kinds, may_be_names)
            score = dataclasses.replace(score, could_reach=round(reach, SCORE_DIGITS),
                                        read_as_names=tuple(dict.fromkeys(unsure[i] for i in read_as_names)))
        elif unsure and not may_be_names:  # words heard unsure, none where the caller is named: only a
            # company written in small letters may be read otherwise ("ingrid from summit athletic flooring")
            score = dataclasses.replace(score, could_reach=round(judge.could_reach(kinds, [])[0], SCORE_DIGITS))
        scores.append(score)
    return (Clause(0, last, round(words[0].start, 2), round(words[last].end, 2), said, tuple(scores)),)


def _greeting_end(kinds: list[str]) -> int:
    """Where the greeting ends: after the greeting words, and a title and the listener's name up to the
    next comma or full stop, LISTENER_MAX_WORDS at most ("Hi, Ms. O'Lo-Woe.", "Hi Ms Delgado,"), or at
    most two words of it ("Hey Trisha", tiny.en's "High bait" for "Hi Kate"). A word misheard there is
    the listener's name, never the caller's."""
    k = 0
    while k < len(kinds) and kinds[k] == "G":
        k += 1
    if k == 0:
        return 0
    if kinds[k:k + 2] in ([",", "T"], [",", "L"]):  # "Hi, Ms. Oyelowo.", "Hi, Patricia, calling"
        k += 1
    if k < len(kinds) and kinds[k] == "T":  # the name after a title runs to the next comma or full stop
        k += 1
        end = min(len(kinds), k + LISTENER_MAX_WORDS)
        while k < end and kinds[k] not in (".", ","):
            k += 1
        return k
    for _ in range(2):
        if k < len(kinds) and kinds[k] in ("L", "F", "X", "S", "w"):
            k += 1
    return k


def _first_sentence_end(kinds: list[str]) -> int:
    """Where the first sentence of more than SHORT words ends ("It's Manny." before "Manny Ortiz from
    Greenway Grounds." does not count, nor does a greeting by title, as opening() reads it): the caller
    says who they are there, and a word misheard further on ("We help restaurants like your scot food
    waste" heard unsure) is no reading of it."""
    words, start = 0, 0
    for k, kind in enumerate(kinds):
        if kind == ".":
            if words > SHORT and not _greets_by_title(kinds[start:k]):
                return k + 1
            words, start = 0, k + 1
        elif kind != ",":
            words += 1
    return len(kinds)


def heard_tokens(words: tuple[Word, ...]) -> tuple[list[str], dict[int, int]]:
    """The words' tokens, as opening() and shape() cut their text, and which of them (among the first
    MAX_TOKENS, punctuation aside) the transcriber was unsure of: each such token's index, to the
    index of the word it was cut from."""
    tokens: list[str] = []
    unsure: dict[int, int] = {}
    texts = [word.text.strip() for word in words]
    for w, word in enumerate(words):
        text = f"{texts[w]} {texts[w + 1] if w + 1 < len(texts) else ''}"  # with the next word, for an initial's stop
        text = _INITIAL_STOP.sub(r"\1", _TITLE_STOP.sub(lambda m: m.group(1), text)).split(" ")[0]
        for token in _TOKEN.findall(text):
            if word.probability < POLICY.unsure_phrase and token not in ".,?!" and len(tokens) < MAX_TOKENS:
                unsure[len(tokens)] = w
            tokens.append(token)
    return tokens, unsure
