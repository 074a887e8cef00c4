"""Data flows one way (decode, transcribe, measure, rules, report, render; then the fronts): each
stage of analyzer/ imports only from the stages before it. Checked, not hoped for."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "analyzer"
# Earlier first. A module imports from its own stage or an earlier one.
# The shared vocabulary (transcript: words, regions), the policy on how sure a word must be
# (confidence) and how many threads numpy's BLAS is given (blas) are at the bottom; numbers/ reads
# numbers from words below both the number pass, which transcribes the number's stretch again, and
# measure/, which times what was read.
ORDER = ["storage", "errors", "transcript", "confidence", "blas", "numbers", "audio", "engines", "number_pass",
         "measure", "checks", "testing", "report", "pipeline", "grade", "regress", "render", "practice", "cli",
         "__main__"]


def _imports(path: Path) -> list[str]:
    """The analyzer modules a module imports, as dotted names under analyzer."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    package = parts[:-1] if parts[-1] != "__init__" else parts
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - node.level + 1])
            if node.module:
                out.append(".".join([*base, node.module]))
            else:
                out += [".".join([*base, a.name]) for a in node.names]
    return [name for name in out if name]


def test_every_stage_imports_only_from_the_stages_before_it():
    against = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts or (path.name == "__init__.py" and path.parent == PACKAGE):
            continue
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        stage = module.split(".")[0]
        assert stage in ORDER, f"{module}: a stage the flow does not name; add it to ORDER"
        for target in _imports(path):
            other = target.split(".")[0]
            if other == "__version__" or other == stage:
                continue
            if ORDER.index(other) > ORDER.index(stage):
                against.append(f"{module} imports {target}")
    assert against == []


def test_every_confidence_threshold_is_in_the_policy():
    """A word's probability is compared with POLICY's thresholds (analyzer/confidence.py), never with
    a number written where it is used, nor a constant named for it elsewhere."""
    written = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts or path.name == "confidence.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                probability = any(isinstance(x, ast.Attribute) and x.attr == "probability" for x in sides)
                if probability and any(isinstance(x, ast.Constant) and isinstance(x.value, float) for x in sides):
                    written.append(f"{path.name}:{node.lineno} compares a probability with a number")
            constant = isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            if constant and isinstance(node.value.value, float):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                written += [f"{path.name}:{node.lineno} {n}" for n in names if "PROBABILITY" in n or "SURE" in n]
    assert written == []
