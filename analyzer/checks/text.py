r"""The transcript as text the rules can search: normalised words, sentences, time windows.

The rules search one string, ignoring case: each word with its punctuation dropped, a number word
written as digits ("twelve more" -> "12 more", as tiny.en itself writes it half the time), and
" . " between sentences, so a pattern of words (`\w+`) never runs from one sentence into the
next. Plain phrases are also found where the transcriber split or merged words or misheard a
letter or two ("following upon", "touching bass"): their letters are compared with the words'
letters, spaces left out, by rapidfuzz's normalised edit similarity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from ..measure.clauses import CLAUSE_MARKS, PERSON_TITLES, SENTENCE_MARKS
from ..numbers.digits import NUMBER_WORD_VALUES, SCALES
from ..transcript import Word

_KEEP = re.compile(r"[^a-z0-9'%$]+")
_KEEP_CASE = re.compile(r"[^A-Za-z0-9'%$]+")
SENTENCE_MARK = "."
# Number words as their numerals ("oh" and "o" are a zero only inside a phone number, not here).
NUMBER_WORDS = {
    **{word: str(value) for word, value in NUMBER_WORD_VALUES.items()},
    **{word: "1" + zeros for word, zeros in SCALES.items()},
}
# A phrase this long (letters, spaces left out) is also found at this similarity (0-100) or more;
# shorter phrases only as written ("call me" is not "tell me").
FUZZY_MIN_LETTERS = 9
FUZZY_SIMILARITY = 88.0
WHO = {"i", "me", "my", "we", "us", "our", "you", "your"}  # a phrase without one of these is another phrase


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces; keeps apostrophes, digits, % and $."""
    return _KEEP.sub(" ", text.lower().replace("’", "'")).strip()


def searchable(text: str) -> str:
    """Punctuation to spaces, number words as digits ("Twenty-five" -> "20 5"); the case is kept
    (the transcriber capitalises names, even garbled ones) and the rules match ignoring it unless a
    pattern asks for it with (?-i:...)."""
    tokens = _KEEP_CASE.sub(" ", text.replace("’", "'").replace("-", " ")).split()
    return " ".join(NUMBER_WORDS.get(token.lower(), token) for token in tokens)


def pattern_searchable(pattern: str) -> str:
    r"""A rule's regular expression as the text is searched: its number words as digits, so a
    pattern that says "for|four" (tiny.en's "four" for "for") matches the "4" the text holds.
    Escapes (\b, \w, \x27) are left as they are."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        j = i
        while j < len(pattern) and pattern[j].isalpha():
            j += 1
        if j == i:
            out.append(pattern[i])
            i += 1
            continue
        token = pattern[i:j]
        out.append(NUMBER_WORDS.get(token.lower(), token))
        i = j
    return "".join(out)


def _ends_with(word: Word, marks: tuple[str, ...]) -> bool:
    """The word ends with one of these punctuation marks, closing quotes and brackets aside."""
    return word.text.rstrip("\"')”").endswith(marks)


@dataclass(frozen=True)
class Match:
    first_word: int
    last_word: int
    text: str
    score: float | None = None  # for a clause found by its meaning, its score; None for words found


@dataclass(frozen=True)
class TextIndex:
    words: tuple[Word, ...]

    @cached_property
    def _searchable(self) -> list[str]:
        """Each word as searched (empty for punctuation alone)."""
        return [searchable(w.text) for w in self.words]

    @cached_property
    def _joined(self) -> tuple[str, list[int]]:
        """One searchable string, and for each of its characters the word it came from."""
        parts: list[str] = []
        owners: list[int] = []
        ends = set(self.sentence_ends())
        for i, token in enumerate(self._searchable):
            if token:
                if parts and parts[-1] != " ":
                    parts.append(" ")
                    owners.append(i)
                parts.append(token)
                owners.extend([i] * len(token))
            if i in ends and i != len(self.words) - 1 and parts:
                parts.append(f" {SENTENCE_MARK} ")
                owners.extend([i] * 3)
        return "".join(parts), owners

    @cached_property
    def _tokens(self) -> list[tuple[int, str]]:
        """Each word that has letters or digits, as (word index, its searchable letters)."""
        return [(i, t.replace(" ", "").lower()) for i, t in enumerate(self._searchable) if t]

    def near(self, phrase: str, words: range | None = None) -> list[Match]:
        """Where a plain phrase was said with its words split, merged or a letter or two misheard; not
        where the word that says who does it is left out, which says something else ("I'll give you a
        call back" is not "call me back"; "checking back on" still is "checking back in")."""
        said = searchable(phrase).lower().split()
        target, size = "".join(said), len(said)
        if len(target) < FUZZY_MIN_LETTERS:
            return []
        shorter = {"".join(said[:k] + said[k + 1:]) for k in range(size) if said[k] in WHO} if size > 1 else set()
        tokens = [(i, t) for i, t in self._tokens if words is None or i in words]
        out: list[Match] = []
        k = 0
        while k < len(tokens):
            best = None
            for n in range(max(1, size - 1), size + 2):
                chunk = tokens[k : k + n]
                if len(chunk) < n:
                    break
                letters = "".join(t for _, t in chunk)
                score = fuzz.ratio(target, letters)
                if letters not in shorter and score >= FUZZY_SIMILARITY and (best is None or score > best[0]):
                    best = (score, n)
            if best is None:
                k += 1
                continue
            chunk = tokens[k : k + best[1]]
            out.append(Match(chunk[0][0], chunk[-1][0], " ".join(self.words[i].text.strip() for i, _ in chunk)))
            k += best[1]
        return out

    def search(self, pattern: re.Pattern, words: range | None = None) -> list[Match]:
        """Every match of a pattern, optionally only those lying in a range of word indices."""
        return [Match(first, last, m.group(0)) for m, first, last in self._found(pattern, words)]

    def unsure(self, pattern: re.Pattern, below: float, words: range | None = None) -> list[Match]:
        """Matches of a pattern where the transcriber was unsure of a word (probability under
        `below`): of the words of the group named `unsure` when the pattern has one, else of any."""
        owners = self._joined[1]
        out = []
        for m, first, last in self._found(pattern, words):
            a, b = m.span("unsure") if "unsure" in pattern.groupindex and m.group("unsure") else m.span()
            slot = range(owners[a], owners[max(a, b - 1)] + 1)
            if any(self.words[i].probability < below for i in slot if self._searchable[i]):
                out.append(Match(first, last, m.group(0)))
        return out

    def _found(self, pattern: re.Pattern, words: range | None):
        """Each non-empty match with its first and last word, in the range when one is given."""
        text, owners = self._joined
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            first, last = owners[m.start()], owners[m.end() - 1]
            if words is None or (first in words and last in words):
                yield m, first, last

    def heard(self, first: int, last: int) -> str:
        """Words first to last as the transcriber wrote them."""
        return " ".join(w.text.strip() for w in self.words[first : last + 1])

    def before_in_clause(self, first: int, *, words: int = 4) -> str:
        """Up to `words` words said just before word `first` in its clause (back to a comma, dash or
        sentence end), searchable: who does what a phrase says ("are you still | following up")."""
        out: list[str] = []
        for w in reversed(self.words[max(0, first - words) : first]):
            if _ends_with(w, CLAUSE_MARKS):
                break
            out.append(w.text.strip())
        return searchable(" ".join(reversed(out)))

    def sentence_ends(self) -> list[int]:
        """Index of the last word of each sentence."""
        ends = [i for i, w in enumerate(self.words) if _ends_with(w, SENTENCE_MARKS)]
        if not ends or ends[-1] != len(self.words) - 1:
            ends.append(len(self.words) - 1)
        return ends

    def opening(self, *, sentences: int, seconds: float) -> range:
        """Words of the first sentences or the first seconds of speech, whichever reaches further."""
        if not self.words:
            return range(0)
        ends = self.sentence_ends()
        by_sentence = ends[min(sentences, len(ends)) - 1] + 1
        limit = self.words[0].start + seconds
        by_time = sum(1 for w in self.words if w.start < limit)
        return range(0, max(by_sentence, by_time))

    def opener(self, clauses: list[tuple[int, int]], *, seconds: float) -> range:
        """The opening line, of the message's clauses (first word, last word): the first clause that
        is neither a greeting nor the caller's introduction (and the clause after it when it is under
        five words: "I was just wondering, if you got..."), when it starts within the first `seconds`
        of speech. What comes after it (the benefit, the ask, "just reply to the email I sent") is no
        opener, and neither is the introduction before it."""
        if not self.words:
            return range(0)
        limit = self.words[0].start + seconds
        for k, (first, last) in enumerate(clauses):
            if self.words[first].start >= limit:
                break
            if is_greeting_or_introduction(self.heard(first, last)):
                continue
            if last - first + 1 < 5 and k + 1 < len(clauses):
                last = clauses[k + 1][1]
            return range(first, last + 1)
        reached = sum(1 for w in self.words if w.start < limit)
        return range(reached, reached)  # greetings and introductions only: no opening line

    def closing(self, *, seconds: float) -> range:
        if not self.words:
            return range(0)
        limit = self.words[-1].end - seconds
        first = next((i for i, w in enumerate(self.words) if w.end > limit), 0)
        return range(first, len(self.words))


_GREETING = re.compile(r"^\W*([\w'-]+,?\s+)?(hi|hey|hello|good (morning|afternoon|evening|day)|morning|afternoon|"
                       r"evening|dear)\b", re.I)
# The prospect's name alone, said as the greeting: "Kevin."
_NAME_ALONE = re.compile(r"\W*(?-i:[A-Z])[\w'-]*[.,!]?\W*")
# Whom the greeting is to, before who is calling: "[Hello] Ms. Tran, I'm Alexis Moore ...", "[Good
# afternoon], Ms. Whitfield, my name is ...", "[Hello] Mr. and Mrs. Dawson, this is ...".
_TITLE = rf"({'|'.join(PERSON_TITLES)})\.?\s+"
_ADDRESSEE = re.compile(rf"^[ \t,]*({_TITLE}((and|&)\s+{_TITLE})?)?[\w'-]+(\s+[\w'-]+)?,", re.I)
# What is said to be polite before the message begins: "good to catch you", "hope your week is going well";
# and a lead-in said alone, which says nothing of anyone: "I've got a question for you.", "Quick question."
_PLEASANTRY = re.compile(r"\b(good to (catch|reach|hear)|hope\b|how are you|how's your|"
                         r"happy (monday|tuesday|wednesday|thursday|friday|new year)|sorry (i|to have) missed|"
                         r"thanks for (taking|picking|listening)|hope you're|trust you're|nice to (catch|talk)|"
                         r"(got|have|had) a (quick )?question for you\W*$|^\W*(one |a )?quick question\W*$)", re.I)
PLEASANTRY_MAX_WORDS = 10
# Whom the message is for, said before it begins: asked ("is this Mr. Okonjo?", "am I speaking with
# Dana?", "did I reach the owner?") or told ("trying to reach Ms. Renata Kowalczyk,", "hoping to catch Dana").
_WHO_ANSWERS = re.compile(r"\b(is this|is that|am i (speaking|talking) (to|with)|did i (reach|get)|"
                          r"have i (reached|got))\b[^?]*\?\W*$"
                          r"|^\W*((hi|hey|hello|good (morning|afternoon|evening))\W+)?((i'm|i am|just)\s+)?"
                          r"(trying|hoping|looking) to (reach|catch|get hold of|get ahold of|"
                          r"speak (with|to)|talk (with|to))\s+(?-i:[A-Z])", re.I)
# Who is calling: "this is Sam", "my name's Sam Carter", "it's me", "Sam here", "I'm Sam, with Acme",
# "Sam Carter calling from Acme", "you've got Sam over at Acme", "Dana Cole, Fieldstone", "Ryan Brooks
# again"; a company named later in a clause ("I saw you're hiring a new Head of Security") is no introduction.
# Words that begin a sentence, capitalised as a name is, and say nothing of who is calling: "Just calling
# to check in", "it's been a while".
_NO_NAME = r"(just|only|also|so|now|still|really|actually|again|and|but|been|about|not|going|that|time|" \
           r"great|good|nice|always|quick|important|worth|hard|no|very|too|pretty|probably|all|what|how)\b"
_INTRODUCTION = re.compile(
    r"\b(this is|my name is|my name's)\s+\w"
    rf"|\b(it's|it is|its)\s+(?!{_NO_NAME})\w"
    r"|\b(you've got|you have)\s+(?-i:[A-Z])"  # "you've got Sam", not "you've got more work than..."
    r"|\b(i'm|i am|we're|we are)\s+(?-i:[A-Z])"
    r"|\b(here|hear|calling)\s+(from|with|at|over at)\b"
    r"|^\W*([\w'.-]+\W+){1,5}?(with|from|at|over at|of|for|on behalf of)\s+(the\s+)?(?-i:[A-Z])"
    rf"|^\W*(\w+\W+){{0,3}}?(?!I\b|{_NO_NAME})(?-i:[A-Z])[\w'-]*\W+((?-i:[A-Z])[\w'-]*\W+)?(here|hear|calling)\b"
    r"|^\W*(?-i:[A-Z])[\w'.&-]*(\W+(?-i:[A-Z])[\w'.&-]*){1,6}\W*$"
    # "Ryan Brooks again.", "Jay one last time.": the caller, named again on another try
    r"|^\W*(?-i:[A-Z])[\w'-]*(\W+(?-i:[A-Z])[\w'-]*)?\W+(here\s+)?(again|one more time|one last time)\W*$", re.I)
INTRODUCTION_MAX_WORDS = 14
# ... and one that goes on with the caller's role at their company, up to its name and no further:
# "My name is Henrietta Stone, and I lead the data practice at Meridian Talent Partners."
_ROLE_AT = re.compile(r"\b((i'm|i am)\s+(a|an|the|one of the)|i\s+(lead|run|head|manage|handle|oversee|work|do))\s+"
                      r"([\w'-]+\s+){0,5}?(at|with|for|from)\s+(the\s+)?"
                      r"(?-i:[A-Z])[\w'&.-]*(\s+((?-i:[A-Z])[\w'&.-]*|and|&))*\W*$", re.I)
INTRODUCTION_WITH_ROLE_MAX_WORDS = 22


def is_greeting_or_introduction(clause: str) -> bool:
    """A clause that only greets ("Hi Dana,", "good to catch you") or says who is calling, in a few
    words: "this is Sam Carter with Acme Supply", and the caller's role there ("..., and I lead the
    data practice at Meridian Talent Partners", or in a clause of its own: "and I'm a loan officer at
    Cedar Valley Credit Union"). A longer one says more than who is calling, and is
    read as an opener."""
    words = _words(clause)
    if (_GREETING.match(clause) and len(words) <= 4) or _NAME_ALONE.fullmatch(clause):
        return True
    if _PLEASANTRY.search(clause) and len(words) <= PLEASANTRY_MAX_WORDS:
        return True
    if _WHO_ANSWERS.search(clause) and len(words) <= INTRODUCTION_MAX_WORDS:  # whom the message is for
        return True
    if greeting := _GREETING.match(clause):  # "Hey, this is Kevin Marsh.": who is calling follows the greeting
        clause = _ADDRESSEE.sub("", clause[greeting.end():], count=1)
        if not _words(clause):  # "Hey, good afternoon Mr. Patterson,": the greeting and whom it is to
            return True
    role = _ROLE_AT.search(clause)
    if role and _words(clause[:role.start()]) in ([], ["and"]):  # the role alone, after the name's clause
        return len(_words(clause)) <= INTRODUCTION_MAX_WORDS
    if not _INTRODUCTION.search(clause):
        return False
    most = INTRODUCTION_WITH_ROLE_MAX_WORDS if role else INTRODUCTION_MAX_WORDS
    return len(_words(clause)) <= most


def _words(clause: str) -> list[str]:
    """The clause's words: a dash said between two ("for the owner — my name's Ben") is none."""
    return [w for w in clause.split() if any(c.isalnum() for c in w)]
