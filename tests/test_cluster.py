"""`voicemail grade --ray`: the analyses on a real Ray (a local one on 127.0.0.1, never a mock),
with the same results as the local workers and as `voicemail analyze`, and a worker killed
mid-recording costing nothing."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools import require_tool

from conftest import SAMPLES

pytest.importorskip("ray", reason="the [ray] extra (make test installs it)")

TEAM = {
    "alice": ["good_espeak_us.wav", "follow_up_flite_slt.mp3"],
    "bob": ["once_fast_festival.ogg", "local_number_flite_slt.m4a"],
}


def voicemail(*args, **kw):
    return subprocess.run([sys.executable, "-m", "analyzer", *map(str, args)], capture_output=True, text=True,
                          timeout=600, **kw)


def _team(root: Path) -> Path:
    for rep, names in TEAM.items():
        (root / rep).mkdir(parents=True)
        for name in names:
            shutil.copy(SAMPLES / name, root / rep / name)
    (root / "bob" / "notes.wav").write_text("call me maybe")  # no audio: its error, from a worker
    (root / "bob" / "empty.wav").write_bytes(b"")  # refused before any worker is sent it
    return root


def test_ray_grades_as_the_local_workers_and_as_analyze(tmp_path):
    team = _team(tmp_path / "team")
    local = voicemail("grade", team, "--out", tmp_path / "local", "--no-cache", "--workers", "2", "--fail-on", "never")
    ray = voicemail("grade", team, "--out", tmp_path / "ray", "--no-cache", "--ray", "local", "--workers", "2",
                    "--fail-on", "never")
    assert local.returncode == ray.returncode == 2, ray.stderr  # 2: two files could not be used
    assert "Ray at local: 2 workers" in ray.stderr and "Traceback" not in ray.stderr
    assert (tmp_path / "ray" / "recordings.csv").read_text() == (tmp_path / "local" / "recordings.csv").read_text()
    assert (tmp_path / "ray" / "report.json").read_text() == (tmp_path / "local" / "report.json").read_text()
    rows = {Path(r["file"]).name: r for r in csv.DictReader((tmp_path / "ray" / "recordings.csv").open())}
    assert "is empty (0 bytes)" in rows["empty.wav"]["error"] and "could not be read" in rows["notes.wav"]["error"]
    assert all(not rows[name]["error"] for names in TEAM.values() for name in names)

    files = json.loads((tmp_path / "ray" / "report.json").read_text())["files"]
    path = team / "bob" / "local_number_flite_slt.m4a"
    single = json.loads(voicemail("analyze", path, "--format", "json").stdout)["files"][0]
    [graded] = [{k: v for k, v in f.items() if k not in ("rep", "from_cache")} for f in files if f["file"] == str(path)]
    assert graded == single


def _busy_workers() -> list[int]:
    """The Ray worker processes that are analysing a recording now (Ray titles them so)."""
    busy = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cmdline").read_bytes().startswith(b"ray::GradingWorker.listen"):
                busy.append(int(proc.name))
        except OSError:
            continue
    return busy


def test_a_worker_killed_mid_recording_is_retried_and_each_recording_graded_once(tmp_path):
    ffmpeg = require_tool("ffmpeg")
    team = tmp_path / "team"
    (team / "cy").mkdir(parents=True)
    for name in ("good_espeak_us.wav", "once_fast_festival.ogg", "follow_up_flite_slt.mp3"):
        shutil.copy(SAMPLES / name, team / "cy" / name)
    subprocess.run([ffmpeg, "-loglevel", "error", "-stream_loop", "-1", "-i", str(SAMPLES / "good_espeak_us.wav"),
                    "-t", "60", str(team / "cy" / "long.wav")], check=True)
    out, cache = tmp_path / "out", tmp_path / "cache"
    child = subprocess.Popen([sys.executable, "-m", "analyzer", "grade", str(team), "--out", str(out),
                              "--cache", str(cache), "--ray", "local", "--workers", "2", "--fail-on", "never"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, killed = time.time() + 180, None
    while killed is None and time.time() < deadline and child.poll() is None:
        busy = _busy_workers()
        if busy:
            os.kill(busy[0], signal.SIGKILL)
            killed = busy[0]
        time.sleep(0.05)
    stdout, stderr = child.communicate(timeout=600)
    assert killed is not None, stderr  # a worker was killed while it analysed a recording
    assert child.returncode == 0, stderr
    assert "graded 4 recordings of 1 rep (0 from the cache)" in stdout
    rows = list(csv.DictReader((out / "recordings.csv").open()))
    assert sorted(Path(r["file"]).name for r in rows) == sorted(p.name for p in (team / "cy").iterdir())
    assert all(not r["error"] and r["score"] for r in rows)
    assert len(list(cache.glob("*/analyses/*/*.json"))) == 4  # each analysed and kept once


def test_without_ray_installed_the_flag_says_how_to_install_it(tmp_path):
    team = _team(tmp_path / "team")
    run = subprocess.run([sys.executable, "-c", "import sys; sys.modules['ray'] = None; "
                          "from analyzer.cli import app; app()", "grade", str(team), "--out", str(tmp_path / "o"),
                          "--ray", "local"], capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "pip install 'voicemail-analyzer[ray]'" in run.stderr
    assert not (tmp_path / "o").exists()


def test_no_cluster_at_the_address_is_one_sentence(tmp_path):
    team = _team(tmp_path / "team")
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    run = voicemail("grade", team, "--out", tmp_path / "o", "--ray", "auto", env=env)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "Could not join Ray at 'auto'" in run.stderr and "--ray local" in run.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster():
    """A real Ray cluster that `ray start` runs, with Ray Client's server: its GCS address, its
    client address, and the environment its drivers need (this machine on the loopback address,
    as --ray local has it, and the cluster's token: a driver joining by address must say it).
    Stopped after the test."""
    ray_cli = Path(sys.executable).with_name("ray")
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env.update(RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0", RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=os.urandom(16).hex())
    port, client = _free_port(), _free_port()
    subprocess.run([ray_cli, "start", "--head", "--port", str(port), "--ray-client-server-port", str(client),
                    "--num-cpus", "2", "--include-dashboard", "false", "--disable-usage-stats"],
                   check=True, capture_output=True, env=env, timeout=120)
    try:
        yield f"127.0.0.1:{port}", f"ray://127.0.0.1:{client}", env
    finally:
        subprocess.run([ray_cli, "stop", "--force"], capture_output=True, env=env, timeout=120)


def test_a_running_cluster_is_joined_by_address_and_through_ray_client(tmp_path, cluster):
    gcs, client, env = cluster
    team = tmp_path / "team"
    (team / "dee").mkdir(parents=True)
    for name in ("good_espeak_us.wav", "once_fast_festival.ogg"):
        shutil.copy(SAMPLES / name, team / "dee" / name)
    local = voicemail("grade", team, "--out", tmp_path / "local", "--no-cache", "--fail-on", "never")
    assert local.returncode == 0, local.stderr
    for name, address, extra in (("auto", "auto", {"RAY_ADDRESS": gcs}), ("client", client, {})):
        args = ("grade", team, "--out", tmp_path / name, "--no-cache", "--ray", address, "--fail-on", "never")
        run = voicemail(*args, env={**env, **extra})
        if "Initialization failure from server" in run.stderr:  # Ray Client's server failed to start its
            run = voicemail(*args, env={**env, **extra})  # per-client process (seen once in CI): a new connection
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
        assert f"Ray at {address}: 2 workers" in run.stderr  # one per CPU the cluster has
        assert (tmp_path / name / "recordings.csv").read_text() == (tmp_path / "local" / "recordings.csv").read_text()


def test_with_everything_cached_ray_is_never_started(tmp_path):
    team = tmp_path / "team"
    (team / "eve").mkdir(parents=True)
    shutil.copy(SAMPLES / "good_espeak_us.wav", team / "eve" / "monday.wav")
    args = ("grade", team, "--out", tmp_path / "o", "--cache", tmp_path / "cache", "--fail-on", "never")
    assert voicemail(*args).returncode == 0
    run = voicemail(*args, "--ray", "local")
    assert run.returncode == 0 and "(1 from the cache)" in run.stdout
    assert "Ray at" not in run.stderr  # nothing to analyse: no Ray joined, no model loaded
