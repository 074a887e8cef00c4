"""Data flows one way (decode, transcribe, measure, rules, report, render; then the fronts): each
stage of analyzer/ imports only from the stages before it. Checked, not hoped for."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "analyzer"
# Earlier first. A module imports from its own stage or an earlier one.
ORDER = ["storage", "errors", "audio", "engines", "measure", "checks", "testing", "report", "pipeline",
         "grade", "regress", "render", "practice", "cli", "__main__"]
# The one edge against the flow, on purpose: the number pass (engines/number_pass.py) finds the
# number's stretch from the words with measure's digit reader before it transcribes it again.
ALLOWED = {("engines.number_pass", "measure.digits"), ("engines.number_pass", "measure.phone")}


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
            if ORDER.index(other) > ORDER.index(stage) and (module, target) not in ALLOWED:
                against.append(f"{module} imports {target}")
    assert against == []
