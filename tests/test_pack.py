"""Rule packs: a trainer extends the default; a bad pack is refused naming the file, the rule and the key."""

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
    assert not run_rule(opener, "Hi Jordan, just following up.")  # the list was replaced
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
    ('[pack]\nextends = "default"\nnumber = "12-34"\n', "key 'pack.number': '12-34' is not a phone number"),
    ('[rules.wrong-number]\nexpected = "816-916-6141"\n', "rule 'wrong-number': key 'expected': unknown"),
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


def test_extends_loop_is_refused(tmp_path):
    write(tmp_path, '[pack]\nextends = "b.toml"\n', "a.toml")
    write(tmp_path, '[pack]\nextends = "a.toml"\n', "b.toml")
    with pytest.raises(PackError, match="makes a loop"):
        load_pack(tmp_path / "a.toml")


def test_missing_pack_file(tmp_path):
    with pytest.raises(PackError, match="does not exist"):
        load_pack(tmp_path / "nope.toml")
