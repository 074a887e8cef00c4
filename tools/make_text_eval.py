#!/usr/bin/env python3
"""The text evaluation set of the content rules: voicemail scripts with exact labels, dev, test, holdout.

Each script is put together from parts a salesperson really says (after the habits the coaching
articles in shared/guidance/ teach, and the shapes real published voicemails take): a greeting,
who is calling, an opening line, a benefit, the ask. Each part comes from a bank with its truth
(does it keep the habit?), so every script is labelled for the four content rules
(no-name-or-company, self-focused-opener, no-benefit-claim, no-call-to-action).

Dev, test and holdout are drawn from different banks: no wording of the test half is ever seen
while tuning on dev; the holdout bank was written after the test half had been seen, and
holdout2 after every change of the second session, holdout3 at the start of the third: each
measured, never tuned to. Each script also comes in a "noisy" version, with the errors tiny.en makes on
real audio (near-homophones, split and merged words, dropped short words, names garbled,
numbers written as digits), drawn with a fixed seed.

    .venv/bin/python tools/make_text_eval.py          # writes eval/text/{dev,test,holdout,holdout2,holdout3}.toml
    .venv/bin/python benchmarks/content.py           # the rules' precision, recall and F1 on them

With --audio DIR the same scripts are also spoken (the voices, formats and degradations of the
number corpus, tools/make_eval.py) into one folder per part (DIR/dev, DIR/test, ...), each recording beside a JSON of
the rules it breaks: the content rules measured through the transcriber (`make eval` builds
them into eval/text-audio; benchmarks/content.py --audio prints them).

    .venv/bin/python tools/make_text_eval.py --audio DIR --voice hibari:heart     # one voice for every message
    .venv/bin/python tools/make_text_eval.py --audio DIR --set eval/text/real.toml [--voice V] [--clean]

--voice speaks every message with that voice (any voice tools/make_samples.py knows; "hibari:heart"
is natural speech, the `eval` extra); everything else about each recording is drawn as without it,
from the same seed, so a message keeps its format, speed and noise. --clean makes every recording
a plain 16 kHz WAV, no telephone band, no noise. --set speaks text-set files instead of building
the five splits, and writes no TOML: any file shaped like eval/text/*.toml (`[[message]]` tables
with id, script, fires; `noisy` and other keys are not needed), into DIR/<file's stem>/, with the
same labels (an id that starts with the stem and a dash names text_<rest>, as the splits do; a
split's own file gives the same recordings as the split).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_eval
import make_samples as ms

SEED = 20261125
PER_SPLIT = 60
RULES = ("no-name-or-company", "self-focused-opener", "no-benefit-claim", "no-call-to-action")

PROSPECTS = ("Dana", "Alex", "Morgan", "Priya", "Chris", "Jordan", "Robin", "Sam", "Taylor", "Jamie")
NUMBERS = ("402-730-5108", "816-916-6141", "312-555-0196", "559-555-0164", "617-555-0142",
           "eight one six, nine one six, six one four one")

# Each bank: (text, keeps the habit). {first} {last} {company} {n} are filled in.
BANKS = {
    "dev": {
        "people": [("Richard", "Delgado", "ABC Financial"), ("Andy", "Nguyen", "Pioneer Payroll"),
                   ("Keisha", "Brooks", "Northwind Logistics"), ("Mateo", "Alvarez", "Cedar Dental Supply"),
                   ("Hannah", "Fischer", "Blue Harbor IT"), ("Omar", "Shah", "Summit Insurance")],
        "greeting": ["Hi {p},", "Good morning {p},", "Hello {p},", "Hey {p},", ""],
        "identity": [
            ("this is {first} {last} with {company}.", True),
            ("my name is {first} {last} and I'm with {company}.", True),
            ("{first} {last} here from {company}.", True),
            ("it's {first} from {company}.", True),
            ("{first} {last} calling from {company}.", True),
            ("this is {first} {last}. I'm the account manager at {company}.", True),
            ("you've got {first} {last} over at {company}.", True),
            ("this is {first}.", False),
            ("it's me again.", False),
            ("{first} here.", False),
            ("", False),
        ],
        "opener": [
            ("I'm just following up on the proposal I sent over.", False),
            ("Just checking in to see if you had any questions.", False),
            ("I wanted to touch base about our meeting last month.", False),
            ("I'm calling today to introduce you to my company.", False),
            ("I was just wondering if you got the brochure I mailed.", False),
            ("I just started in this territory and wanted to introduce myself.", False),
            ("I'm circling back on my email from last week.", False),
            ("I noticed you just opened a second clinic in Fairview.", True),
            ("Congratulations on the new warehouse in Denver.", True),
            ("Your office manager mentioned payroll is eating up your Fridays.", True),
            ("Other dental groups in your area asked us about the same scheduling problem.", True),
            ("", True),
        ],
        "benefit": [
            ("We help clinics like yours cut no-shows by 30 percent.", True),
            ("Our customers usually save about ten hours a week on scheduling.", True),
            ("We cut onboarding time in half for a team your size.", True),
            ("I help firms close their books five days faster every month.", True),
            ("We got a shop like yours twice as many repeat orders in one quarter.", True),
            ("Most of our clients pay a third less for freight.", True),
            ("We helped a practice your size fill twelve more appointments a week.", True),
            ("We can save you around $2,000 a month on shipping.", True),
            ("Our average client reduces overtime costs by about a quarter.", True),
            ("I think I can save you money on the cost of your print.", False),
            ("We can really help your business grow.", False),
            ("Our platform improves efficiency across the board.", False),
            ("We offer great service at competitive prices.", False),
            ("", False),
        ],
        "ask": [
            ("Give me a call at {n}.", True),
            ("You can reach me at {n}.", True),
            ("Please call {n}.", True),
            ("Call me back when you have a minute, {n}.", True),
            ("My direct line is {n}, let me know what works for you.", True),
            ("Here's my telephone number: {n}. Let's talk.", True),
            ("I'll try you again next week.", False),
            ("Have a great day.", False),
            ("I'll send over an email with the details.", False),
        ],
    },
    "test": {
        "people": [("Shawn", "Okafor", "Brightline Marketing"), ("Tom", "Becker", "Lakeside Staffing"),
                   ("Lucia", "Romero", "Vertex Health"), ("Daniel", "Kowalski", "Granite Roofing"),
                   ("Aisha", "Patel", "Clearwater Software"), ("Ben", "Hughes", "Metro Print")],
        "greeting": ["Hi there {p},", "Morning {p}.", "{p}, hi,", "Good afternoon {p},", ""],
        "identity": [
            ("{first} {last} with {company} here.", True),
            ("my name's {first} {last}, I work at {company}.", True),
            ("this is {first} {last} from the {company} team.", True),
            ("I'm {first} {last}, regional manager with {company}.", True),
            ("it's {first} {last}, I run partnerships at {company}.", True),
            ("{first} {last} at {company} here.", True),
            ("{first} {last} of {company} calling.", True),
            ("this is {first} {last}.", False),
            ("calling from {company}.", False),
            ("it's {first}.", False),
            ("", False),
        ],
        "opener": [
            ("I'm following up on the samples I sent you last week.", False),
            ("I am calling today to tell you about some exciting programs we have.", False),
            ("I just accepted a job as a sales representative and you are in my territory.", False),
            ("I wanted to reach out and see if you saw my note.", False),
            ("Just wanted to check in on where things stand.", False),
            ("I was hoping to tell you a little about our services.", False),
            ("I'm reaching out because we just launched a new product line.", False),
            ("I saw your post about hiring three new drivers.", True),
            ("Your competitor down the street switched their billing last quarter.", True),
            ("You mentioned at the expo that no-shows are hurting your Mondays.", True),
            ("I read that your firm just took on two new hospital accounts.", True),
            ("", True),
        ],
        "benefit": [
            ("That usually cuts overtime costs by about a third.", True),
            ("We get permits approved in under thirty days, about twice as fast as the regional average.", True),
            ("Our system usually saves contractors two or three crew days a month.", True),
            ("Teams that switch see 40% fewer late deliveries in the first quarter.", True),
            ("We helped a clinic your size recover $18,000 in unpaid claims in sixty days.", True),
            ("Clients typically answer support tickets three times faster.", True),
            ("Last year we lowered energy bills for firms like yours by fifteen percent.", True),
            ("You could fill twelve more appointments every week.", True),
            ("We close their books five days sooner each month.", True),
            ("We have some solutions that could be a good fit for you.", False),
            ("I believe we can help you do more with less.", False),
            ("We make scheduling a lot easier.", False),
            ("Our customers love working with us.", False),
            ("", False),
        ],
        "ask": [
            ("Would love to chat - {n}.", True),
            ("Ring me on {n} when you get a moment.", True),
            ("I look forward to speaking with you soon. {n}.", True),
            ("Shoot me a call back at {n}.", True),
            ("The best number for me is {n}; I'd love to hear from you.", True),
            ("If it makes sense, let's find fifteen minutes this week: {n}.", True),
            ("I'll swing by your office on Thursday.", False),
            ("Thanks, and take care.", False),
            ("I'll follow up by email.", False),
        ],
    },
    # Written on 2026-11-25 after the rules were tuned on dev and measured on test, before any
    # rule saw it: new people, new wordings. Measured once per round of changes, never tuned to.
    "holdout": {
        "people": [("Grace", "Lindqvist", "Harborview Logistics"), ("Marcus", "Oyelaran", "Redline Fleet"),
                   ("Nina", "Castellano", "Peakform Physio"), ("Victor", "Huang", "Ironclad Security"),
                   ("Leah", "Abernathy", "Sunbridge Solar"), ("Pedro", "Salgado", "Northgate Legal")],
        "greeting": ["Hi {p}, good to catch you.", "{p}, good afternoon,", "Hello there {p},", "Hey {p}!", ""],
        "identity": [
            ("{first} {last} from {company}.", True),
            ("this is {first} {last}, {company}.", True),
            ("{first} {last}, I'm the office lead at {company}.", True),
            ("my name is {first} {last}, with {company}.", True),
            ("it's {first} {last} over at {company}.", True),
            ("I'm {first} {last} and I look after accounts for {company}.", True),
            ("{first} {last} with {company} calling.", True),
            ("{first} calling.", False),
            ("it's {first} {last}.", False),
            ("we're {company}.", False),
            ("", False),
        ],
        "opener": [
            ("I'm just reaching out to follow up on my last voicemail.", False),
            ("I'm calling because I'd like to tell you about our new plan.", False),
            ("I was checking whether you had a look at the quote I emailed.", False),
            ("Just circling back to see if now is a better time.", False),
            ("I wanted to introduce our team and what we do.", False),
            ("I'm the new account rep for your area and wanted to say hello.", False),
            ("I left you a message last week and haven't heard back.", False),
            ("Your new location on Fifth Street looks busy.", True),
            ("Three of your neighbours on the business park moved their fleets to us this spring.", True),
            ("Your team posted that deliveries are running late this month.", True),
            ("Saw that you're hiring two more dispatchers.", True),
            ("", True),
        ],
        "benefit": [
            ("We trimmed fuel spend by eighteen percent for a fleet your size.", True),
            ("Clinics that use us get paid in half the time.", True),
            ("Our customers book four more sessions a day on average.", True),
            ("We usually take two hours a week off each manager's paperwork.", True),
            ("That typically knocks a quarter off the monthly bill.", True),
            ("One client your size went from thirty to nine days to close a case.", True),
            ("We saved a warehouse like yours $4,500 a quarter on power.", True),
            ("Most teams answer calls three times as fast within a month.", True),
            ("Your drivers could make six more stops every shift.", True),
            ("We're known for great quality and service.", False),
            ("I think we could really add value for you.", False),
            ("We make the whole process smoother.", False),
            ("We'd be a great partner for your business.", False),
            ("", False),
        ],
        "ask": [
            ("Call me on {n} when it suits you.", True),
            ("Could you give me a ring back at {n}?", True),
            ("I'd welcome a quick call - {n}.", True),
            ("Reach me directly on {n}.", True),
            ("Text or call {n}, whichever is easier.", True),
            ("Let me know a good time to connect, {n}.", True),
            ("I'll drop you an email later today.", False),
            ("Talk soon, bye.", False),
            ("I'll try again on Monday.", False),
        ],
    },
    # Written at the end of the second session, after every change of that session, and
    # measured once: the unseen figure for the rules as they stand.
    "holdout2": {
        "people": [("Owen", "Fairbanks", "Tidewater Staffing"), ("Mira", "Desai", "Copperleaf Accounting"),
                   ("Jonas", "Whitfield", "Keystone HVAC"), ("Farah", "Nasser", "Brightpath Dental Lab"),
                   ("Colin", "Murphy", "Atlas Freight"), ("Rosa", "Delacroix", "Greenway Landscaping")],
        "greeting": ["Good evening {p},", "Hi {p}, hope the week is treating you well.", "{p}, hello,",
                     "Hey there {p},", ""],
        "identity": [
            ("{first} {last} here, with {company}.", True),
            ("my name's {first} {last} and I'm a partner at {company}.", True),
            ("this is {first} {last} calling on behalf of {company}.", True),
            ("it's {first} {last}, from {company}.", True),
            ("I'm {first} {last}, I manage the east region for {company}.", True),
            ("{first} {last} of {company} here.", True),
            ("you're hearing from {first} {last} at {company}.", True),
            # a first name and the company keep the habit: as dev, and issue 11's "its Shawn from Brightline"
            ("{first} from {company}.", True),
            ("{first} {last} again.", False),
            ("it's your account rep.", False),
            ("", False),
        ],
        "opener": [
            ("I'm calling to see if you've had a chance to review my proposal.", False),
            ("I just wanted to touch base since we haven't spoken in a while.", False),
            ("I'm reaching out to introduce myself as your new contact.", False),
            ("Checking back in on the email I sent Tuesday.", False),
            ("I wanted to tell you a bit about who we are and what we do.", False),
            ("I'm following up on the brochure we dropped off last week.", False),
            ("I'm with a company you may not have heard of yet.", False),
            ("Your front desk told me you're opening a second site in March.", True),
            ("Two other firms in your building had the same problem with their heating bills.", True),
            ("I read your interview in the business journal about growing the crew.", True),
            ("Congrats on the new contract with the city.", True),
            ("", True),
        ],
        "benefit": [
            ("We helped a lab your size ship cases two days faster.", True),
            ("Clients typically cut their audit prep time by sixty percent.", True),
            ("Our crews finish a typical install in half a day instead of two.", True),
            ("Firms like yours usually save about $1,200 a month on temp labor.", True),
            ("That could mean three fewer missed deliveries every week.", True),
            ("Most customers see their heating bills fall by a fifth in the first winter.", True),
            ("We doubled the lead flow for a landscaper across town in one season.", True),
            ("You'd get back roughly five hours a week of admin time.", True),
            ("We're a trusted name with a long track record.", False),
            ("I really think you'll like what we have to offer.", False),
            ("We do things a bit differently from the big firms.", False),
            ("Our service is top notch and our people are friendly.", False),
            ("", False),
        ],
        "ask": [
            ("When you get a minute, call me at {n}.", True),
            ("Ring me back on {n} and we'll find a time.", True),
            ("Please give me a buzz at {n}.", True),
            ("I'm on {n} all afternoon if you want to talk it through.", True),
            ("Drop me a call at {n}.", True),
            ("I'll keep an eye out for your reply.", False),
            ("Enjoy the rest of your day.", False),
            ("I'll circle back again next month.", False),
        ],
    },
    # Written at the start of the third session, before any change of it, and measured once at
    # its end: the unseen figure for that session's rules.
    "holdout3": {
        "people": [("Elena", "Marchetti", "Bayside Print"), ("Derek", "Olson", "Summit Ridge Roofing"),
                   ("Yuki", "Tanaka", "Northstar Payroll"), ("Samir", "Haddad", "Clearview Optics"),
                   ("Bridget", "Mahoney", "Riverbend Insurance"), ("Kwame", "Asante", "Pinecrest Logistics")],
        "greeting": ["Hi {p}, it's Tuesday afternoon.", "Hello {p},", "{p}, good morning.", "Hi there,", ""],
        "identity": [
            ("{first} {last} with {company}, how are you?", True),
            ("this is {first} {last}, I look after new clients at {company}.", True),
            ("my name is {first} {last}, I'm calling from {company}.", True),
            ("{first} {last} from {company} here.", True),
            ("it's {first} {last} with the team at {company}.", True),
            ("I'm {first} {last} over at {company}.", True),
            ("{first} {last} calling for {company}.", True),
            ("{first} here, from {company}.", True),
            ("this is {company}.", False),
            ("it's {first} {last} again.", False),
            ("", False),
        ],
        "opener": [
            ("I'm just calling to follow up on our chat at the trade show.", False),
            ("I wanted to see if you got a chance to read my last email.", False),
            ("I'm new with the company and I'm calling to introduce myself.", False),
            ("Just touching base to see where you landed on the quote.", False),
            ("I'm reaching out to tell you about a new service we're offering.", False),
            ("I was hoping to catch you to talk about what we do.", False),
            ("I'm checking in again about the demo we talked about.", False),
            ("Your warehouse on Route 9 has been running extra shifts lately.", True),
            ("I saw that your clinic added Saturday hours.", True),
            ("A few shops on your street asked us about the same delivery delays.", True),
            ("Your post about the new hires caught my eye.", True),
            ("", True),
        ],
        "benefit": [
            ("We helped a print shop your size cut reprints by forty percent.", True),
            ("Most of our customers spend about a third less on claims.", True),
            ("Teams like yours usually get their payroll done in an hour instead of a day.", True),
            ("We save clinics roughly $900 a month on lens orders.", True),
            ("Our drivers make two more deliveries per route on average.", True),
            ("Clients see their roof repairs finished twice as fast.", True),
            ("One agency like yours added fifteen new policies in a month.", True),
            ("We can free up about six hours a week of your office manager's time.", True),
            ("We have a really strong team and great reviews.", False),
            ("I think we'd make your life a lot easier.", False),
            ("We're growing fast and love working with companies like yours.", False),
            ("Our solution is flexible and easy to use.", False),
            ("", False),
        ],
        "ask": [
            ("You can call me back at {n}.", True),
            ("My cell is {n}, call anytime.", True),
            ("Give me a shout at {n} if that sounds useful.", True),
            ("I'd love to set up ten minutes, {n}.", True),
            ("Please ring me at {n}.", True),
            ("I'll call you again on Friday.", False),
            ("Have a good one.", False),
            ("I'll send a calendar invite.", False),
        ],
    },
}

SPLITS = tuple(BANKS)

# The errors tiny.en made on the evaluation audio, as rewrites of the clean text.
HOMOPHONES = {
    "save": ["same", "safe", "saying"], "saves": ["same", "says"], "three": ["free"], "for": ["four"],
    "two": ["to"], "by": ["buy", "my"], "fill": ["feel"], "here": ["hear"], "week": ["weak"],
    "you're": ["your"], "your": ["you're"], "cut": ["cup", "scot"], "cuts": ["cut"], "costs": ["cost"],
    "clinics": ["clean it"], "with": ["will"], "calling": ["call in"], "hours": ["ours"],
    "half": ["have"], "twelve": ["12"], "fifteen": ["15"], "thirty": ["30"], "ten": ["10"],
    "percent": ["%"], "appointments": ["appointment"], "i'm": ["I am", "um"], "it's": ["its", "is"],
    "crew": ["through"], "days": ["daze"], "check": ["Jack"], "touch": ["tough"], "base": ["bass"],
}
MERGES = {"up on": "upon", "a lot": "alot", "in to": "into", "some time": "sometime", "every day": "everyday"}
SHORT_WORDS = {"a", "the", "to", "of", "and", "that", "on", "in"}


def compose(bank: dict, rng: np.random.Generator, k: int) -> dict:
    first, last, company = bank["people"][rng.integers(len(bank["people"]))]
    prospect = PROSPECTS[rng.integers(len(PROSPECTS))]
    number = NUMBERS[rng.integers(len(NUMBERS))]
    parts = {name: bank[name][rng.integers(len(bank[name]))] for name in ("identity", "opener", "benefit", "ask")}
    fill = {"first": first, "last": last, "company": company, "n": number, "p": prospect}
    greeting = bank["greeting"][rng.integers(len(bank["greeting"]))].format(**fill)
    identity, opener, benefit, ask = (parts[n][0].format(**fill) for n in ("identity", "opener", "benefit", "ask"))
    if greeting and identity:
        head = f"{greeting} {identity}"
    else:
        head = greeting.rstrip(",.") + "." if greeting else ""
        head = " ".join(x for x in (head, _capital(identity)) if x)
    if rng.random() < 0.25 and opener and identity:  # the opening line first, then who is calling
        head = " ".join(x for x in (greeting, _capital(opener.rstrip(".")) + ",", identity) if x)
        opener = ""
    script = " ".join(_capital(x) for x in (head, opener, benefit, ask) if x)
    script = re.sub(r"\s+", " ", script).strip()
    keeps = {"no-name-or-company": parts["identity"][1], "self-focused-opener": parts["opener"][1],
             "no-benefit-claim": parts["benefit"][1], "no-call-to-action": parts["ask"][1]}
    return {
        "id": f"{k:03d}",
        "script": script,
        "fires": [rule for rule in RULES if not keeps[rule]],
        "names": (first, last),
    }


def noisy(script: str, names: tuple[str, ...], rng: np.random.Generator) -> str:
    """The script as tiny.en might write it: 3 to 5 of its error shapes, drawn with the seed."""
    text = script
    rounds = int(rng.integers(3, 6))
    for _ in range(50):
        if rounds <= 0 and text != script:  # at least one error, whatever the draws
            break
        rounds -= 1
        kind = rng.integers(4)
        words = text.split(" ")
        if kind == 0:  # a near-homophone
            spots = [i for i, w in enumerate(words) if _bare(w) in HOMOPHONES]
            if spots:
                i = spots[rng.integers(len(spots))]
                choices = HOMOPHONES[_bare(words[i])]
                words[i] = _keep_punct(words[i], choices[rng.integers(len(choices))])
        elif kind == 1:  # two words merged, or one split
            merged = [m for m in MERGES if m in text.lower()]
            if merged and rng.random() < 0.5:
                m = merged[rng.integers(len(merged))]
                text = re.sub(re.escape(m), MERGES[m], text, count=1, flags=re.I)
                continue
            long_ = [i for i, w in enumerate(words) if len(_bare(w)) >= 8 and _bare(w).isalpha()]
            if long_:
                i = long_[rng.integers(len(long_))]
                cut = len(words[i]) // 2
                words[i] = words[i][:cut] + " " + words[i][cut:].lower()
        elif kind == 2:  # a short word dropped
            spots = [i for i, w in enumerate(words) if _bare(w) in SHORT_WORDS]
            if spots:
                del words[spots[rng.integers(len(spots))]]
        else:  # a name garbled into short pieces ("Nguyen" -> "and G -Y -E")
            spots = [i for i, w in enumerate(words) if re.sub(r"\W", "", w) in names and len(_bare(w)) >= 5]
            if spots:
                i = spots[rng.integers(len(spots))]
                bare = re.sub(r"\W", "", words[i])
                words[i] = _keep_punct(words[i], f"{bare[:2]} -{bare[2:3].upper()} -{bare[3:4].upper()}")
        text = " ".join(words)
    return text


def _bare(word: str) -> str:
    return word.strip(" ,.;:!?-").lower()


def _keep_punct(word: str, new: str) -> str:
    tail = word[len(word.rstrip(",.;:!?")):]
    return new + tail


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def build(split: str, count: int = PER_SPLIT, seed: int = SEED) -> list[dict]:
    rng = np.random.default_rng([seed, SPLITS.index(split)])
    messages, seen = [], set()
    while len(messages) < count:
        message = compose(BANKS[split], rng, len(messages) + 1)
        if message["script"] in seen:
            continue
        seen.add(message["script"])
        message["noisy"] = noisy(message["script"], message["names"], rng)
        messages.append(message)
    return messages


def to_toml(split: str, messages: list[dict]) -> str:
    lines = [f"# The {split} half of the content rules' text set: written by tools/make_text_eval.py, do not edit.",
             f"# `fires` lists the rules the script breaks; every other rule of {', '.join(RULES)} "
             "must stay quiet.", ""]
    for m in messages:
        lines += ["[[message]]", f"id = {json.dumps(split + '-' + m['id'])}", f"script = {json.dumps(m['script'])}",
                  f"noisy = {json.dumps(m['noisy'])}", f"fires = {json.dumps(m['fires'])}", ""]
    return "\n".join(lines)


# A phone number as the scripts write it (402-730-5108; also (402) 730-5108, 402.730.5108, 402 730 5108,
# 1-800-555-0199, 555-0134) or dev's one spelled out; each is read digit by digit, slowly.
_NUMBER = re.compile(r"(?<!\d)(?:(?:\+?(1)[-. ])?\(?(\d{3})\)?[-. ]?(\d{3})[-. ](\d{4})|(\d{3})-(\d{4}))(?!\d)"
                     r"|eight one six, nine one six, six one four one")


def _digit_words(found: re.Match) -> str:
    groups = [g for g in found.groups() if g] or ["816", "916", "6141"]
    return ", ".join(" ".join(ms.NUMBER_WORDS[int(c)] for c in g) for g in groups)


def audio_spec(message: dict, rng: np.random.Generator, voice: str | None = None, clean: bool = False) -> ms.Spec:
    """A script spoken: its words by a voice of the number corpus, its number digit by digit, slowly.

    voice: this voice instead of the drawn one; clean: a plain WAV, no telephone band, no noise.
    Every draw is made either way, so the rest of the recording stays as drawn."""
    parts: list = []
    text = message["script"]
    cut = 0
    for k, found in enumerate(_NUMBER.finditer(text)):
        head = text[cut: found.start()].rstrip(" :-")
        if k:
            head = head.lstrip(" .;")
        if head.strip(" .?!"):
            parts.append(ms.Say(head))
        parts.append(ms.Number("", float(rng.uniform(0.6, 0.9)), words=_digit_words(found)))
        cut = found.end()
    if parts:
        tail = text[cut:].lstrip(" .;")
        if tail.strip(" .?!"):  # festival dies on a lone "?"
            parts.append(ms.Say(tail))
    else:
        parts.append(ms.Say(text))
    drawn = make_eval.choose(rng, make_eval.VOICES)
    voice = voice or drawn
    fmt = make_eval.choose(rng, make_eval.FORMATS)
    degrade = rng.random()
    rate = float(rng.uniform(0.9, 1.1))
    noise = float(rng.uniform(12, 20)) if degrade < 0.25 else None
    if clean:
        fmt, noise = "wav", None
    spec = ms.Spec(
        f"text_{message['id']}", voice, fmt, parts, [], "",
        rate=rate, telephone=fmt in ("mulaw", "gsm"),
        out_rate=8000 if fmt in ("mulaw", "gsm") else 16000,
        noise_snr_db=noise,
    )
    spec.about = f"{voice}; {fmt}{'; noise' if spec.noise_snr_db else ''}"
    return spec


FALLBACK_VOICE = "espeak:en-us"


def speak(split: str, messages: list[dict], folder: Path, voice: str | None = None, clean: bool = False) -> None:
    """Each message spoken into folder, beside its label. A message's "label" (a set's own id) is the label's
    id; else it is split-id, as the splits have it."""
    import tempfile

    stream = SPLITS.index(split) if split in SPLITS else zlib.crc32(split.encode())
    rng = np.random.default_rng([SEED, stream, 7])
    folder.mkdir(parents=True, exist_ok=True)
    for message in messages:
        spec = audio_spec(message, rng, voice, clean)
        with tempfile.TemporaryDirectory() as tmp:
            try:
                clean_mix, _ = ms.render(spec, Path(tmp))
            except subprocess.CalledProcessError:  # festival dies on some texts: espeak-ng says it instead
                said = f"{FALLBACK_VOICE} (festival died)"
                spec.voice, spec.about = FALLBACK_VOICE, spec.about.replace(spec.voice, said)
                clean_mix, _ = ms.render(spec, Path(tmp))
            name = f"{spec.name}.{ms.EXTENSIONS.get(spec.fmt, spec.fmt)}"
            ms.encode(spec, ms.degrade(spec, clean_mix), Path(tmp), folder / name)
        label = {"recording": name, "id": message.get("label", f"{split}-{message['id']}"),
                 "script": message["script"], "fires": message["fires"], "about": spec.about}
        (folder / f"{spec.name}.json").write_text(json.dumps(label, indent=2) + "\n")


def load_set(path: Path) -> tuple[str, list[dict]]:
    """A text-set file (eval/text/*.toml's shape: [[message]] with id, script, fires; other keys ignored)
    -> its name (the file's stem) and its messages as speak() takes them."""
    name = path.stem
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise SystemExit(f"{path}: {e}") from e
    messages, seen = [], set()
    for k, entry in enumerate(data.get("message", []), 1):
        missing = [key for key in ("id", "script", "fires") if key not in entry]
        if missing:
            raise SystemExit(f"{path}: message {k} has no {', '.join(missing)}")
        label = str(entry["id"])
        local = label[len(name) + 1:] if label.startswith(f"{name}-") and len(label) > len(name) + 1 else label
        local = re.sub(r"[^A-Za-z0-9_.-]", "_", local)
        if local in seen:
            raise SystemExit(f"{path}: two messages would both be text_{local}")
        seen.add(local)
        messages.append({"id": local, "label": label, "script": str(entry["script"]),
                         "fires": list(entry["fires"])})
    if not messages:
        raise SystemExit(f"{path}: no [[message]] tables")
    return name, messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "eval" / "text")
    parser.add_argument("--audio", type=Path, help="also speak the scripts into this folder (one folder per part)")
    parser.add_argument("--voice", help="speak every message with this voice, e.g. hibari:heart or espeak:en-us "
                        "(the rest of each recording is drawn as without it)")
    parser.add_argument("--clean", action="store_true",
                        help="every recording a plain 16 kHz WAV: no telephone band, no noise")
    parser.add_argument("--set", dest="sets", type=Path, nargs="+", action="extend", metavar="TOML",
                        help="speak these text-set files into --audio DIR/<stem>/ instead (no TOML is written)")
    args = parser.parse_args(argv)
    if args.sets:
        if not args.audio:
            parser.error("--set needs --audio DIR")
        for path in args.sets:
            name, messages = load_set(path)
            speak(name, messages, args.audio / name, args.voice, args.clean)
            print(f"{name}: {len(messages)} scripts spoken into {args.audio / name}")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        messages = build(split)
        (args.out / f"{split}.toml").write_text(to_toml(split, messages))
        if args.audio:
            speak(split, messages, args.audio / split, args.voice, args.clean)
        counts = {rule: sum(rule in m["fires"] for m in messages) for rule in RULES}
        print(f"{split}: {len(messages)} scripts (and as many noisy); fires: "
              + ", ".join(f"{rule} {n}" for rule, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
