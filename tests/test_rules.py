"""Each rule of the default pack on its cases as data (rules/cases/RULE.toml, shipped in the package),
through the runner trainers use (analyzer.testing.check_case): no audio needed."""

import tomllib
from pathlib import Path

import pytest

from analyzer.testing import check_case, load_cases, rule_by_name, run_rule

CASES = Path(__file__).resolve().parent.parent / "rules" / "cases"


def _cases():
    for file in sorted(CASES.glob("*.toml")):
        rule_name, cases = load_cases(file)
        for k, (kind, case) in enumerate(cases):
            yield pytest.param(rule_name, kind, case, id=f"{rule_name}-{kind}-{k}-{case['about']}")


@pytest.mark.parametrize("rule_name, kind, case", list(_cases()))
def test_rule_case(default_pack, rule_name, kind, case):
    rule = rule_by_name(default_pack, rule_name)
    assert check_case(rule, kind, case) == "", case["about"]
    if kind == "fail":  # and every finding is the rule's own
        found = run_rule(rule, case["script"], number=case.get("number"), measures=case.get("measures"))
        assert all(f.name == rule_name and f.code == rule.code for f in found)


def test_the_runner_reports_what_is_wrong(default_pack):
    rule = rule_by_name(default_pack, "message-too-long")
    long = "[wpm 60] " + " ".join(["word"] * 33)  # 33 s
    assert check_case(rule, "fail", {"about": "33 s", "script": long}) == ""
    assert check_case(rule, "pass", {"about": "33 s", "script": long}).startswith("fired: ")
    assert check_case(rule, "fail", {"about": "", "script": long, "options": {"max": 40}}) == "did not fire"
    assert check_case(rule, "fail", {"about": "", "script": long, "severity": "error"}).startswith("fired at warning")
    assert check_case(rule, "fail", {"about": "", "script": long, "start": 0.0, "end": 32.8}) == ""
    assert "the finding's end is" in check_case(rule, "fail", {"about": "", "script": long, "end": 20.0})
    assert check_case(rule, "fail", {"about": "", "script": long, "sevrity": "x"}).startswith("unknown key 'sevrity'")
    assert check_case(rule, "fail", {"about": "", "script": long, "options": {"maxx": 1}}).startswith("options:")


def test_every_rule_has_failing_and_passing_cases(default_pack):
    for rule in default_pack.rules:
        file = CASES / f"{rule.name}.toml"
        assert file.exists(), f"no cases for {rule.name}"
        data = tomllib.loads(file.read_text())
        assert data.get("fail") and data.get("pass"), f"{rule.name} needs both failing and passing cases"


def test_design_rule_names_and_severities(default_pack):
    """Tools outside the package depend on these names (DESIGN section 4)."""
    severity = {r.name: str(r.severity) for r in default_pack.rules}
    assert severity["no-callback-number"] == "error"
    assert severity["number-not-repeated"] == "error"
    assert severity["number-too-fast"] == "warning"
    assert severity["message-too-long"] == "warning"
    assert severity["self-focused-opener"] == "warning"
    assert severity["no-benefit-claim"] == "warning"


def test_every_rule_has_code_hint_and_source(default_pack):
    codes = [r.code for r in default_pack.rules]
    assert len(codes) == len(set(codes))
    for rule in default_pack.rules:
        assert rule.hint and rule.source and rule.description, rule.name


def test_finding_carries_time_span_and_measured_value(default_pack):
    rule = rule_by_name(default_pack, "number-too-fast")
    [finding] = run_rule(rule, "Call me at [wpm 300] 8 1 6 9 1 6 6 1 4 1 [wpm 100] ok ok ok 8 1 6 9 1 6 6 1 4 1")
    assert finding.start == pytest.approx(1.2, abs=0.01)
    assert finding.end == pytest.approx(3.16, abs=0.01)
    assert "5.1 digits/s" in finding.message  # 10 digits in 1.96 s
    assert finding.words == ((3, 12),)


def _scored(pack, script: str, number: str | None = None) -> tuple[list[tuple[str, str]], int]:
    from analyzer.checks.kinds import Context
    from analyzer.testing import measure_script

    transcript, measures = measure_script(script, labeller=pack.labeller)  # as the pipeline measures
    findings = pack.check(Context(transcript, measures, number))
    return [(f.name, str(f.severity)) for f in findings], pack.score(findings)


def test_score_counts_each_rule_once_at_its_worst(default_pack):
    fired, score = _scored(default_pack, "Call me at [wpm 300] 8 1 6 9 1 6 6 1 4 1 [wpm 150] bye")
    assert sorted(fired) == [("message-too-short", "info"), ("no-benefit-claim", "warning"),
                             ("no-name-or-company", "warning"), ("number-not-repeated", "error"),
                             ("number-too-fast", "warning"), ("speaking-too-fast", "warning")]
    assert score == 32  # 100 - 25 - 4 x 10 - 3


def test_two_different_wrong_numbers_cost_twice(default_pack):
    script = ("Hi Dana, this is Sam Carter with Acme. We cut payroll time in half. Call me at [wpm 100] "
              "8 1 6, 9 1 6, 6 1 4 1. [wpm 150] Or try my cell, [wpm 100] 4 0 2, 7 3 0, 5 1 0 8. [wpm 150] Thanks.")
    fired, score = _scored(default_pack, script, number="612-555-0187")
    assert fired.count(("wrong-number", "error")) == 2 and ("number-not-repeated", "error") in fired
    assert score == 25  # 100 - 3 x 25: each wrong number, and neither said twice


def test_a_far_breach_costs_more(default_pack):
    good = ("Hi Dana, this is Sam Carter with Acme. We cut payroll time in half for teams your size. "
            "Call me at [wpm 100] 8 1 6, 9 1 6, 6 1 4 1. [wpm 150] Again, [wpm 100] 8 1 6, 9 1 6, 6 1 4 1.")
    for pause, severity, score in ((12.0, "warning", 84), (24.0, "error", 69)):  # 32.7 s and 44.7 s spoken
        fired, got = _scored(default_pack, good.replace("Again,", f"[pause {pause}] Again,"))
        assert ("message-too-long", severity) in fired and got == score, (fired, got)
