"""JUnit XML for CI dashboards: a stable test per (recording, rule) and per (recording, measurement)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..regress.run import CorpusResult


def render(result: CorpusResult) -> str:
    suite = ET.Element("testsuite", name=f"voicemail regress {result.corpus}")
    tests = failures = errors = 0
    for r in result.results:
        cases = [(c.name, c.passed, f"expected {c.expected}, got {c.got}") for c in r.checks]
        if r.expectation is None:
            cases = [("expectations", False, "no expectations: run voicemail regress --update")]
        for name, passed, text in cases:
            case = ET.SubElement(suite, "testcase", classname=r.recording.name, name=name)
            tests += 1
            if passed:
                continue
            if name == "analysis":
                errors += 1
                ET.SubElement(case, "error", message=text).text = text
            else:
                failures += 1
                ET.SubElement(case, "failure", message=text).text = text
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
