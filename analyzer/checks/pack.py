"""Rule packs: TOML files of rules (data) resolved into typed, validated Rule objects.

`rules/default.toml` ships with the package. A trainer's pack `extends` it (or another pack),
changes thresholds and phrase lists, turns rules off with `enabled = false`, and adds rules of
its own. Every key is checked when the pack loads; a bad one is refused with a sentence that
names the file, the rule and the key.
"""

from __future__ import annotations

import dataclasses
import re
import string
import tomllib
import typing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..audio.line import CODECS, DEFAULT_CODEC
from ..errors import PackError
from ..measure.clauses import Labeller, Meaning
from ..numbers.own import NumberError, own_number
from .findings import SEVERITIES, Evidence, Finding, Said, Severity
from .kinds import CHECKS, Check, Context, Hit, MissingPhrases, Phrases

DEFAULT_PACK = "default"
RULE_KEYS = {
    "code": str, "check": str, "severity": str, "message": str, "hint": str,
    "enabled": bool, "source": str, "description": str, "count_each": bool,
}
REQUIRED_RULE_KEYS = ("code", "check", "severity", "message", "hint")
SET_BY_PACK = {"meaning", "others_like"}  # check fields the pack fills in, never a rule's key
PACK_KEYS = {"name": str, "description": str, "extends": str, "number": str, "select": list, "ignore": list,
             "phone_line": str}


@dataclass(frozen=True)
class Rule:
    name: str
    code: str
    severity: Severity
    message: str
    hint: str
    check: Check
    enabled: bool = True
    description: str = ""
    source: str = ""
    count_each: bool = False  # the score counts each finding (two different wrong numbers), not the rule once

    def findings(self, ctx: Context) -> list[Finding]:
        return [self._finding(hit) for hit in self.check.hits(ctx)]

    def evidence(self, ctx: Context, fired: bool) -> Evidence | None:
        """For a phrase rule, the stretch it read and the words it found there; None for other rules."""
        if not isinstance(self.check, Phrases | MissingPhrases):
            return None
        words = ctx.transcript.words
        window = self.check.window(ctx)
        span = window if window is not None else range(len(words))
        found = tuple(Said(ctx.index.heard(m.first_word, m.last_word),
                           words[m.first_word].start, words[m.last_word].end, (m.first_word, m.last_word), m.score)
                      for m in self.check.matches(ctx))
        start, end = (words[span[0]].start, words[span[-1]].end) if len(span) else (None, None)
        return Evidence(self.code, self.name, fired, start, end, found)

    @property
    def explained(self) -> str:
        """The description with this pack's limits in it ("over {max:g} s" -> "over 25 s"); a rule
        written without one is explained by its message."""
        return self.filled(self.description or self.message)

    def filled(self, template: str) -> str:
        """A description or hint with the check's own keys put in; what only a finding knows
        ({value}) left as "…"."""
        keys = {f.name: getattr(self.check, f.name) for f in dataclasses.fields(self.check)}

        def put(match: re.Match) -> str:
            value = keys.get(match.group(1))
            return "…" if value is None else format(value, match.group(2) or "")

        return re.sub(r"\{(\w+)(?::([^}]*))?\}", put, template)

    def _finding(self, hit: Hit) -> Finding:
        values = {k: ("-" if v is None else v) for k, v in hit.values.items()}
        message = self.message.format(**values)
        severity = self.severity
        if hit.worse and severity < Severity.ERROR:
            severity = Severity(severity + 1)
        doubt = ""
        if hit.doubt:
            # No error (nor warning) on a guess: say what could not be confirmed, at the lowest severity.
            # A rule whose own severity is info says it too: its guess is a note, not its verdict.
            severity, message, doubt = Severity.INFO, f"Could not confirm: {message} ({hit.doubt})", hit.doubt
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity,
            message=message,
            hint=self.hint.format(**values) if values else self.hint,
            start=None if hit.start is None else round(hit.start, 2),
            end=None if hit.end is None else round(hit.end, 2),
            words=hit.words,
            doubt=doubt,
        )


@dataclass(frozen=True)
class Pack:
    name: str
    files: tuple[str, ...]  # the pack and every pack it extends, most general first
    rules: tuple[Rule, ...]  # enabled and disabled, in pack order
    weights: dict[str, int]
    number: str = ""  # the rep's own callback number, when the pack knows it
    # The phone line every recording is also heard through (audio/line.py's CODECS: "amr-nb", "g711"),
    # for number-lost-on-phone-line; "" when the pack does not ask for it (analyze --phone-line does).
    phone_line: str = ""

    def line(self, asked: bool = False) -> str | None:
        """The phone line recordings are also heard through: the pack's, else, when one is asked for
        (--phone-line), a mobile call's; None: none."""
        return self.phone_line or (DEFAULT_CODEC if asked else None)

    @property
    def active(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    @property
    def labeller(self) -> Labeller:
        """What the measure stage scores each clause for: the active rules' example sentences."""
        return labeller_of(self.active)

    def check(self, ctx: Context) -> list[Finding]:
        findings = [f for rule in self.active for f in rule.findings(ctx)]
        return sorted(findings, key=lambda f: (f.start if f.start is not None else -1.0, -f.severity))

    def evidence(self, ctx: Context, findings: list[Finding]) -> tuple[Evidence, ...]:
        """Why each active phrase rule fired or kept quiet (the JSON's `evidence`)."""
        fired = {f.name for f in findings}
        out = (rule.evidence(ctx, rule.name in fired) for rule in self.active)
        return tuple(e for e in out if e is not None)

    def score(self, findings: list[Finding]) -> int:
        """100 less the weight of each rule that fired, at its worst finding's severity, once however
        often it fired; a rule with `count_each` costs once per finding."""
        each = {r.name for r in self.rules if r.count_each}
        worst: dict[str, Severity] = {}
        cost = 0
        for f in findings:
            if f.name in each:
                cost += self.weights[str(f.severity)]
            else:
                worst[f.name] = max(worst.get(f.name, f.severity), f.severity)
        cost += sum(self.weights[str(sev)] for sev in worst.values())
        return max(0, 100 - cost)


def labeller_of(rules: tuple[Rule, ...]) -> Labeller:
    """The meanings of the rules that give example sentences, for the measure stage to score."""
    return Labeller(tuple(Meaning(r.name, r.check.like, r.check.unlike + r.check.others_like, r.check.reads)
                          for r in rules if isinstance(r.check, Phrases | MissingPhrases) and r.check.like))


def _with_others(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """What one content rule looks for is not what another does (a gain is no ask, an ask no
    opener): each rule that learns from sentences also learns from the others' `like` ones, as
    sentences that do not say its thing. (Openings, read for whom they name, are no clauses: they
    neither teach nor learn from the others.)"""
    said = [r for r in rules if isinstance(r.check, Phrases | MissingPhrases) and r.check.like]
    out = []
    for rule in rules:
        if rule in said:
            assert isinstance(rule.check, Phrases | MissingPhrases)
            own = set(rule.check.like) | set(rule.check.unlike)
            others = (s for o in said if o.name != rule.name and o.check.reads == rule.check.reads  # type: ignore[union-attr]
                      for s in o.check.like if s not in own)  # type: ignore[union-attr]
            check = dataclasses.replace(rule.check, others_like=tuple(dict.fromkeys(others)))
            rule = dataclasses.replace(rule, check=check)
        out.append(rule)
    return tuple(out)


def load_pack(path: str | Path | None = None, *, select: list[str] | None = None,
              ignore: list[str] | None = None) -> Pack:
    """The pack, with the rules `select` and `ignore` (codes, code prefixes or names) leave on;
    given here (the command line's --select, --ignore), they replace the pack's own."""
    raw, files = _load_raw(path, seen=())
    rules = _with_others(tuple(_build_rule(name, table, origin) for name, (table, origin) in raw["rules"].items()))
    codes: dict[str, str] = {}
    for rule in rules:
        if rule.code in codes:
            raise PackError(
                f"{files[-1]}: rule '{rule.name}': key 'code': {rule.code} is already the code of "
                f"'{codes[rule.code]}'; give each rule its own code."
            )
        codes[rule.code] = rule.name
    number = raw["pack"].get("number", "")
    if number:
        try:
            own_number(number, where=f"{files[-1]}: key 'pack.number'")
        except NumberError as exc:
            raise PackError(str(exc)) from None
    phone_line = raw["pack"].get("phone_line", "")
    if phone_line not in ("", *CODECS):
        raise PackError(f"{files[-1]}: key 'pack.phone_line': {phone_line!r} is not a phone line this tool "
                        f"simulates; write one of {', '.join(repr(c) for c in CODECS)}, or leave the key out.")
    unweighted = [s for s in SEVERITIES if s not in raw["score"]]
    if unweighted:  # the weights live in the packs (the default pack's [score]), nowhere else
        raise PackError(f"{files[-1]}: key 'score.{unweighted[0]}': missing; give [score] a weight for each of "
                        f"{', '.join(SEVERITIES)}, or extend a pack that does (extends = \"default\").")
    given = {"select": select, "ignore": ignore}
    selectors: dict[str, list[str]] = {}
    for key, value in given.items():
        where = f"--{key}" if value is not None else f"{files[-1]}: key 'pack.{key}'"
        value = raw["pack"].get(key, []) if value is None else value
        if not all(isinstance(x, str) for x in value):
            raise PackError(f"{where}: must be a list of rule names, codes or code prefixes (strings).")
        unknown = next((s for s in value if not any(_specificity(s, r) for r in rules)), None)
        if unknown is not None:
            raise PackError(f"{where}: {unknown!r} is no rule's name, code or code prefix; "
                            "`voicemail rules --all` lists them.")
        selectors[key] = value
    rules = _selected(rules, selectors["select"], selectors["ignore"])
    return Pack(
        name=raw["pack"].get("name", Path(files[-1]).stem),
        files=files,
        rules=rules,
        weights=raw["score"],
        number=number,
        phone_line=phone_line,
    )


def shipped_packs() -> list[str]:
    """Names of the packs that ship with the package (rules/*.toml)."""
    folder = resources.files("analyzer").joinpath("packs")
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def _read(ref: str | Path | None, relative_to: Path | None) -> tuple[str, str, Path | None]:
    """(label, text, folder for relative `extends`) of a pack given by path or shipped name."""
    ref = DEFAULT_PACK if ref is None else str(ref)
    path = (relative_to / ref) if relative_to is not None and not Path(ref).is_absolute() else Path(ref)
    if path.is_file():
        try:
            return str(path), path.read_text(encoding="utf-8"), path.parent
        except (OSError, UnicodeDecodeError) as exc:
            raise PackError(f"The rule pack {path} cannot be read ({exc}); check the file.") from None
    if ref in shipped_packs():
        text = resources.files("analyzer").joinpath("packs", f"{ref}.toml").read_text(encoding="utf-8")
        return f"rules/{ref}.toml", text, None
    raise PackError(
        f"The rule pack {ref} does not exist; pass a TOML file or one of the shipped packs "
        f"({', '.join(shipped_packs())})."
    )


def _load_raw(ref: str | Path | None, seen: tuple[str, ...],
              relative_to: Path | None = None) -> tuple[dict, tuple[str, ...]]:
    """The merged raw pack: {'pack': {...}, 'score': {...}, 'rules': {name: (table, origin file)}}."""
    label, text, folder = _read(ref, relative_to)
    if label in seen:
        raise PackError(f"{label}: key 'pack.extends' makes a loop ({' -> '.join((*seen, label))}); break it.")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        bare = re.search(r"^\s*([\w-]+[+-])\s*=", text, re.MULTILINE)
        if bare:  # TOML's bare keys cannot end in + or -
            raise PackError(f"{label} is not valid TOML ({exc}): a key that ends in + or - needs quotes, "
                            f"\"{bare.group(1)}\" = [...]; add them.") from None
        raise PackError(f"{label} is not valid TOML ({exc}); fix the line it names.") from None
    _check_keys(label, "", data, {"pack": dict, "score": dict, "rules": dict})
    pack = data.get("pack", {})
    _check_keys(label, "pack.", pack, PACK_KEYS)
    score = data.get("score", {})
    _check_keys(label, "score.", score, {s: int for s in SEVERITIES})

    if "extends" in pack:
        merged, files = _load_raw(pack["extends"], (*seen, label), folder)
    else:
        merged, files = {"pack": {}, "score": {}, "rules": {}}, ()
    merged["pack"] = {**{k: v for k, v in merged["pack"].items() if k != "name"}, **pack}
    merged["score"] = {**merged["score"], **score}
    for name, table in data.get("rules", {}).items():
        if not isinstance(table, dict):
            raise PackError(f"{label}: rule '{name}' must be a table ([rules.{name}]); fix its definition.")
        base: dict = {}
        if name in merged["rules"]:
            base, _ = merged["rules"][name]
            if "check" in table and table["check"] != base.get("check"):
                base = {k: v for k, v in base.items() if k in RULE_KEYS}  # a new check type keeps no old options
        merged["rules"][name] = (_extended(label, name, base, _with_examples(label, folder, name, table)), label)
    return merged, (*files, label)


def _with_examples(label: str, folder: Path | None, rule: str, table: dict) -> dict:
    """The rule's table with the sentences of its `examples` file (TOML, `like` and `unlike` lists,
    beside the pack) put after its own `like` and `unlike`: labelled clauses by the hundred keep the
    pack's rule tables readable."""
    if "examples" not in table:
        return table
    ref = table["examples"]

    def fail(problem: str) -> PackError:
        return PackError(f"{label}: rule '{rule}': key 'examples': {problem}; fix it in that file.")

    if not isinstance(ref, str) or Path(ref).is_absolute() or ".." in Path(ref).parts:
        raise fail(f"{ref!r} must name a TOML file beside the pack (a relative path inside its folder)")
    try:
        text = ((folder / ref).read_text(encoding="utf-8") if folder is not None
                else resources.files("analyzer").joinpath("packs", *Path(ref).parts).read_text(encoding="utf-8"))
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{ref} cannot be read ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"{ref} is not valid TOML ({exc})") from None
    extra = set(data) - {"like", "unlike"}
    if extra or not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in data.values()):
        raise fail(f"{ref} must hold only `like` and `unlike`, lists of sentences")
    out = {k: v for k, v in table.items() if k != "examples"}
    for key in ("like", "unlike"):
        own = list(out.get(key, []))
        out[key] = own + [x for x in data.get(key, []) if x not in own]
    return out


def _extended(label: str, rule: str, base: dict, table: dict) -> dict:
    """The rule's table over its base; `key+ = [...]` adds to the base's list and `key- = [...]`
    takes out of it (Vale's way: one phrase more without copying the list)."""
    out = {**base, **{k: v for k, v in table.items() if k[-1:] not in ("+", "-")}}
    for key, items in table.items():
        if key[-1:] not in ("+", "-"):
            continue
        name = key[:-1]

        def fail(problem: str, key: str = key) -> PackError:
            return PackError(f"{label}: rule '{rule}': key '{key}': {problem}; fix it in that file.")

        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise fail(f"must be a list of strings, as '{name}' is")
        current = out.get(name, [])
        if not isinstance(current, list):
            raise fail(f"'{name}' is {type(current).__name__}, not a list, so it cannot be added to or taken from")
        if key.endswith("+"):
            out[name] = current + [x for x in items if x not in current]
        else:
            missing = [x for x in items if x not in current]
            if missing:
                raise fail(f"{missing[0]!r} is not in the rule's '{name}' (check its spelling in `voicemail rules`)")
            out[name] = [x for x in current if x not in items]
    return out


def _selected(rules: tuple[Rule, ...], select: list[str], ignore: list[str]) -> tuple[Rule, ...]:
    """Rules left on by selectors (a code, a code prefix, or a name), as ruff selects: the most
    specific selector that matches a rule decides (ignore, on a tie); a rule no selector matches
    stays on only when nothing is selected. Naming a rule the pack turned off (by code or name)
    turns it on."""
    out = []
    for rule in rules:
        chosen = max((_specificity(s, rule) for s in select), default=0)
        dropped = max((_specificity(s, rule) for s in ignore), default=0)
        if dropped and dropped >= chosen:
            on = False
        elif chosen:
            on = rule.enabled or chosen == EXACT
        else:
            on = rule.enabled and not select
        out.append(dataclasses.replace(rule, enabled=on))
    return tuple(out)


EXACT = 1000


def _specificity(selector: str, rule: Rule) -> int:
    """How closely a selector names a rule: EXACT for its name or code, the prefix's length for a
    prefix of its code ("VM1" for VM105), 0 when it does not name it."""
    if selector in (rule.name, rule.code):
        return EXACT
    return len(selector) if rule.code.startswith(selector) else 0


def _build_rule(name: str, table: dict, origin: str) -> Rule:
    def fail(key: str, problem: str) -> PackError:
        return PackError(f"{origin}: rule '{name}': key '{key}': {problem}; fix it in that file.")

    for key in REQUIRED_RULE_KEYS:
        if key not in table:
            raise fail(key, "missing (every rule needs code, check, severity, message and hint)")
    check_type = CHECKS.get(table["check"])
    if check_type is None:
        raise fail("check", f"{table['check']!r} is not a check type (known: {', '.join(CHECKS)})")
    options = {f.name: f for f in dataclasses.fields(check_type) if f.init and f.name not in SET_BY_PACK}
    hints = typing.get_type_hints(check_type)
    kwargs = {}
    for key, value in table.items():
        if key in RULE_KEYS:
            if not isinstance(value, RULE_KEYS[key]):
                raise fail(key, f"must be {RULE_KEYS[key].__name__}, not {type(value).__name__}")
        elif key in options:
            kwargs[key] = _coerce(value, hints[key], lambda problem, k=key: fail(k, problem))
        else:
            known = ", ".join(sorted(set(RULE_KEYS) | set(options)))
            raise fail(key, f"unknown for a '{check_type.kind}' rule (known keys: {known})")
    missing = [k for k, f in options.items() if f.default is dataclasses.MISSING and k not in kwargs]
    if missing:
        raise fail(missing[0], f"missing (a '{check_type.kind}' rule needs it)")
    if "like" in kwargs and issubclass(check_type, Phrases | MissingPhrases):
        kwargs["meaning"] = name  # the measure stage scores clauses under the rule's name
    check = check_type(**kwargs)
    problem = check.validate()
    if problem:
        key, _, text = problem.partition(": ")
        raise fail(key, text)
    if table["severity"] not in SEVERITIES:
        raise fail("severity", f"{table['severity']!r} is not one of {', '.join(SEVERITIES)}")
    # a message and a hint may show what the check found ({value}, {max}, ...); a description, the
    # check's own keys ({max}): "Fires when the spoken length is over {max:.0f} s."
    for key, allowed_names in (("message", check_type.placeholders), ("hint", check_type.placeholders),
                               ("description", tuple(options))):
        for field_name in _placeholders(table.get(key, ""), lambda p, k=key: fail(k, p)):
            if field_name not in allowed_names:
                allowed = ", ".join("{" + p + "}" for p in allowed_names) or "none"
                raise fail(key, f"{{{field_name}}} is not a value this check gives (it gives {allowed})")
    return Rule(
        name=name,
        code=table["code"],
        severity=Severity.parse(table["severity"]),
        message=table["message"],
        hint=table["hint"],
        check=check,
        enabled=table.get("enabled", True),
        description=table.get("description", ""),
        source=table.get("source", ""),
        count_each=table.get("count_each", False),
    )


def _coerce(value, hint, fail):
    """A TOML value checked against a check option's type."""
    args = typing.get_args(hint)
    if hint is str:
        if isinstance(value, str):
            return value
        raise fail(f"must be text, not {type(value).__name__}")
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise fail(f"must be true or false, not {value!r}")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise fail(f"must be a whole number, not {value!r}")
    if hint is float or float in args:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise fail(f"must be a number, not {value!r}")
    if typing.get_origin(hint) is tuple:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise fail("must be a list of text")
    raise fail(f"has an unsupported type {hint}")  # pragma: no cover - a check declared an odd field


def _placeholders(message: str, fail) -> list[str]:
    try:
        return [f for _, f, _, _ in string.Formatter().parse(message) if f]
    except ValueError as exc:
        raise fail(f"is not a valid message template ({exc})") from None


def _check_keys(label: str, prefix: str, table: dict, allowed: dict) -> None:
    for key, value in table.items():
        if key not in allowed:
            raise PackError(
                f"{label}: key '{prefix}{key}' is not known (known: {', '.join(prefix + k for k in allowed)}); "
                "remove or rename it."
            )
        expected = allowed[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise PackError(f"{label}: key '{prefix}{key}' must be {expected.__name__}; fix it in that file.")
