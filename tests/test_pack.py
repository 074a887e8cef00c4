"""Rule packs: a trainer extends the default; a bad pack is refused naming the file, the rule and the key."""

import re
from pathlib import Path

import pytest

from analyzer.checks.pack import load_pack, shipped_packs
from analyzer.errors import PackError
from analyzer.testing import rule_by_name, run_rule


def write(tmp_path, text, name="team.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_default_pack_loads_with_every_design_rule(default_pack):
    names = {r.name for r in default_pack.rules}
    assert {"no-callback-number", "number-not-repeated", "number-too-fast", "message-too-long",
            "self-focused-opener", "no-benefit-claim"} <= names


def test_trainer_pack_changes_thresholds_phrases_turns_off_and_adds(tmp_path):
    path = write(tmp_path, """
[pack]
name = "acme team"
extends = "default"
number = "816-916-6141"

[score]
warning = 20

[rules.message-too-long]
max = 25.0

[rules.self-focused-opener]
phrases = ["hope you're well"]

[rules.filler-words]
enabled = false

[rules.say-acme]
code = "ACME1"
check = "missing-phrases"
phrases = ["acme"]
severity = "error"
message = "You never said Acme."
hint = "Say the company name."
""")
    pack = load_pack(path)
    assert pack.name == "acme team" and pack.number == "816-916-6141"
    assert pack.files == ("rules/default.toml", str(path))
    assert pack.weights["warning"] == 20 and pack.weights["error"] == 25
    assert rule_by_name(pack, "message-too-long").check.max == 25.0
    assert "filler-words" not in {r.name for r in pack.active}
    opener = rule_by_name(pack, "self-focused-opener")
    assert run_rule(opener, "Hi Jordan, hope you're well.")
    # the list was replaced: no phrase finds it now; its meaning still does (the examples hold the phrase)
    assert opener.check.phrases == ("hope you're well",)
    assert [bool(f.doubt) for f in run_rule(opener, "Hi Jordan, just following up.")] == [False]
    acme = rule_by_name(pack, "say-acme")
    assert run_rule(acme, "this is Sam with Brightline") and not run_rule(acme, "this is Sam with Acme")


def test_pack_extends_a_pack_beside_it(tmp_path):
    write(tmp_path, '[pack]\nextends = "default"\n[rules.long-pause]\nmax = 1.0\n', "base.toml")
    path = write(tmp_path, '[pack]\nextends = "base.toml"\n[rules.long-pause]\nseverity = "warning"\n')
    rule = rule_by_name(load_pack(path), "long-pause")
    assert (rule.check.max, str(rule.severity)) == (1.0, "warning")


@pytest.mark.parametrize("name", shipped_packs())
def test_shipped_packs_load(name):
    assert load_pack(name).active


def test_length_presets_and_email_pack():
    assert rule_by_name(load_pack("length-15-25"), "message-too-long").check.max == 25.0
    assert rule_by_name(load_pack("length-25-40"), "message-too-short").check.min == 25.0
    off = {r.name for r in load_pack("email-callback").rules if not r.enabled}
    assert {"no-callback-number", "number-not-repeated", "number-too-fast"} <= off


MINE = '[rules.mine]\ncode = "X1"\nseverity = "info"\nmessage = "m"\nhint = "h"\n'

BAD = [
    ('[rules.message-too-long]\nmaxx = 20\n', "rule 'message-too-long': key 'maxx': unknown"),
    ('[rules.message-too-long]\nmax = "long"\n', "rule 'message-too-long': key 'max': must be a number"),
    ('[rules.number-too-fast]\nseverity = "fatal"\n', "rule 'number-too-fast': key 'severity': 'fatal' is not one of"),
    ('[rules.mine]\ncode = "X1"\ncheck = "threshold"\nseverity = "info"\nmessage = "m"\n',
     "rule 'mine': key 'hint': missing"),
    ('[rules.mine]\ncode = "X1"\ncheck = "sentiment"\nseverity = "info"\nmessage = "m"\nhint = "h"\n',
     "rule 'mine': key 'check': 'sentiment' is not a check type"),
    (MINE + 'check = "threshold"\nmeasure = "volume"\nmin = 1\n',
     "rule 'mine': key 'measure': 'volume' is not one of"),
    (MINE + 'check = "phrases"\npatterns = ["(unclosed"]\n',
     "rule 'mine': key 'patterns': '(unclosed' is not a valid regular expression"),
    ('[rules.self-focused-opener]\nnot_after = ["(you"]\n',
     "rule 'self-focused-opener': key 'not_after': '(you' is not a valid regular expression"),
    ('[rules.no-name-or-company]\nunsure = ["(?P<unsure>x"]\n',
     "rule 'no-name-or-company': key 'unsure': '(?P<unsure>x' is not a valid regular expression"),
    (MINE + 'check = "missing-phrases"\nphrases = ["x"]\nlike = ["We save you time."]\n',
     "rule 'mine': key 'unlike': give both `like` and `unlike` sentences, or neither"),
    ('[rules.no-name-or-company]\nunsure_below = 1.5\n',
     "rule 'no-name-or-company': key 'unsure_below': 1.5 is not a probability between 0 and 1"),
    ('[rules.mine]\ncode = "VM101"\ncheck = "phrases"\nphrases = ["x"]\nseverity = "info"\nmessage = "m"\nhint = "h"\n',
     "rule 'mine': key 'code': VM101 is already the code of 'no-callback-number'"),
    ('[rules.message-too-long]\nmessage = "too long: {seconds}"\n',
     "rule 'message-too-long': key 'message': {seconds} is not a value this check gives"),
    ('[rulez.x]\n', "key 'rulez' is not known"),
    ('[pack]\nextends = "nonexistent-pack"\n', "The rule pack nonexistent-pack does not exist"),
    ('[score]\nerror = "lots"\n', "key 'score.error' must be int"),
    ('this is = not toml\n', "is not valid TOML"),
    ('[pack]\nextends = "default"\nnumber = "12-34"\n', "key 'pack.number': '12-34' is not a callback number; write"),
    # a local number cannot be told from a wrong one: every reading with the area code would be "wrong"
    ('[pack]\nextends = "default"\nnumber = "916-6141"\n', "key 'pack.number': '916-6141' is not a callback number"),
    ('[rules.wrong-number]\nexpected = "816-916-6141"\n', "rule 'wrong-number': key 'expected': unknown"),
    ('[rules.message-too-long]\nescalate_by = -1.0\n', "key 'escalate_by': -1.0 must be above 0"),
    ('[rules.wrong-number]\ncount_each = "yes"\n', "rule 'wrong-number': key 'count_each': must be bool"),
    ('[rules.message-too-long]\nhint = "Under {limit} s."\n', "key 'hint': {limit} is not a value this check gives"),
    ('[rules.message-too-long]\ndescription = "Over {value} s."\n', "key 'description': {value} is not a value"),
]


@pytest.mark.parametrize("text, message", BAD, ids=[m for _, m in BAD])
def test_bad_pack_names_file_rule_and_key(tmp_path, text, message):
    if "extends" not in text:
        text = '[pack]\nextends = "default"\n' + text
    path = write(tmp_path, text)
    with pytest.raises(PackError) as caught:
        load_pack(path)
    assert message in str(caught.value)
    if "nonexistent-pack" not in text:
        assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_pack_of_its_own_gives_every_score_weight(tmp_path):
    # the weights live in the packs only: one that extends nothing must give all three
    rule = MINE + 'check = "phrases"\nphrases = ["x"]\n'
    path = write(tmp_path, "[score]\nerror = 30\nwarning = 10\n" + rule)
    with pytest.raises(PackError, match=r"key 'score.info': missing") as caught:
        load_pack(path)
    assert str(path) in str(caught.value)
    write(tmp_path, "[score]\nerror = 30\nwarning = 10\ninfo = 1\n" + rule)
    assert load_pack(path).weights == {"error": 30, "warning": 10, "info": 1}


def test_a_list_extends_with_plus_and_minus(tmp_path):
    path = write(tmp_path, '[pack]\nextends = "default"\n[rules.self-focused-opener]\n'
                           '"phrases+" = ["hope you are well", "just following up"]\n"phrases-" = ["touching base"]\n'
                           '[rules.no-benefit-claim]\n"patterns+" = ["\\\\bfree audit\\\\b"]\n')
    rules = {r.name: r for r in load_pack(path).rules}
    default = {r.name: r for r in load_pack().rules}
    opener, before = rules["self-focused-opener"].check.phrases, default["self-focused-opener"].check.phrases
    assert opener[: len(before) - 1] == tuple(p for p in before if p != "touching base")
    assert opener[-1] == "hope you are well" and opener.count("just following up") == 1  # added once
    assert rules["no-benefit-claim"].check.patterns[-1] == "\\bfree audit\\b"
    assert len(rules["no-benefit-claim"].check.patterns) == len(default["no-benefit-claim"].check.patterns) + 1


@pytest.mark.parametrize("table, message", [
    ('[rules.message-too-long]\n"max+" = [1]\n', "key 'max+': must be a list of strings"),
    ('[rules.message-too-long]\n"max+" = ["x"]\n', "key 'max+': 'max' is float, not a list"),
    ('[rules.self-focused-opener]\n"phrases-" = ["touching bass"]\n',
     "key 'phrases-': 'touching bass' is not in the rule's 'phrases'"),
    ('[rules.self-focused-opener]\nphrases+ = ["x"]\n', 'a key that ends in + or - needs quotes, "phrases+" = [...]'),
])
def test_a_bad_list_extension_names_file_rule_and_key(tmp_path, table, message):
    path = write(tmp_path, '[pack]\nextends = "default"\n' + table)
    with pytest.raises(PackError, match=re.escape(message)) as caught:
        load_pack(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("select, ignore, active", [
    (["VM1"], [], ["VM101", "VM102", "VM103", "VM104", "VM105", "VM106", "VM107", "VM108"]),
    (["VM1"], ["VM105"], ["VM101", "VM102", "VM103", "VM104", "VM106", "VM107", "VM108"]),  # the more specific wins
    (["number-too-fast", "VM30"], ["VM1"], ["VM103", "VM301", "VM302", "VM303", "VM304", "VM305", "VM306"]),
    ([], ["VM2", "VM3"], ["VM101", "VM102", "VM103", "VM104", "VM105", "VM106", "VM107", "VM108"]),
    (["VM401"], [], ["VM401"]),  # named exactly, a rule the pack turned off runs
    (["VM4"], [], []),  # a prefix keeps the pack's own choice
])
def test_rules_are_selected_by_code_prefix_or_name(select, ignore, active):
    assert [r.code for r in load_pack(select=select, ignore=ignore).active] == active


def test_a_pack_selects_and_the_command_line_replaces_it(tmp_path):
    path = write(tmp_path, '[pack]\nextends = "default"\nselect = ["VM2"]\nignore = ["VM205"]\n')
    assert [r.code for r in load_pack(path).active] == ["VM201", "VM202", "VM203", "VM204"]
    assert [r.code for r in load_pack(path, select=["VM30"], ignore=[]).active][:2] == ["VM301", "VM302"]
    bad = write(tmp_path, '[pack]\nextends = "default"\nignore = ["VM9"]\n', "bad.toml")
    with pytest.raises(PackError, match=r"bad.toml: key 'pack.ignore': 'VM9' is no rule's name, code or code prefix"):
        load_pack(bad)
    with pytest.raises(PackError, match=r"--select: 'nonsense' is no rule's"):
        load_pack(select=["nonsense"])


def test_extends_loop_is_refused(tmp_path):
    write(tmp_path, '[pack]\nextends = "b.toml"\n', "a.toml")
    write(tmp_path, '[pack]\nextends = "a.toml"\n', "b.toml")
    with pytest.raises(PackError, match="makes a loop"):
        load_pack(tmp_path / "a.toml")


def test_missing_pack_file(tmp_path):
    with pytest.raises(PackError, match="does not exist"):
        load_pack(tmp_path / "nope.toml")


def test_the_readmes_trainer_pack_loads_and_does_what_it_says(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = readme.split("### A trainer's pack", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    pack = load_pack(write(tmp_path, block))
    active = [r.code for r in pack.active]
    assert active == ["VM101", "VM102", "VM103", "VM104", "VM105", "VM106", "VM107", "VM108", "VM201", "VM202",
                      "VM203", "VM204", "VM301",
                      "ACME1"]
    rules = {r.name: r for r in pack.rules}
    opener = rules["self-focused-opener"].check.phrases
    assert "hope this finds you well" in opener and "checking in" not in opener and "touching base" in opener
    assert rules["message-too-long"].check.max == 25.0 and pack.weights["warning"] == 15
