"""Every format a phone or browser produces decodes to mono 16 kHz; every bad input gets one sentence."""

import hashlib
import json
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from analyzer.audio.clip import SAMPLE_RATE_HZ, decode
from tools import require_tool

from conftest import SAMPLES

FORMATS = {
    "good_espeak_us.wav": ("wav", "pcm_s16le", 16000, 1),
    "telephone_mulaw.wav": ("wav", "pcm_mulaw", 8000, 1),
    "no_name_festival.flac": ("flac", "flac", 16000, 1),
    "follow_up_flite_slt.mp3": ("mp3", "mp3", 44100, 2),
    "filler_flite_kal.ogg": ("ogg", "vorbis", 16000, 1),
    "dead_air_espeak.ogg": ("ogg", "opus", 48000, 1),
    "long_ramble_espeak.m4a": ("mov,mp4,m4a,3gp,3g2,mj2", "aac", 48000, 2),
    "noisy_office_flite_rms.webm": ("matroska,webm", "opus", 48000, 1),
}


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_decodes_to_mono_16k(name):
    fmt, codec, rate, channels = FORMATS[name]
    clip = decode(SAMPLES / name)
    assert (clip.format, clip.codec, clip.original_rate_hz, clip.original_channels) == (fmt, codec, rate, channels)
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    truth = json.loads((SAMPLES / name.replace(name.rsplit(".", 1)[1], "expected.json")).read_text())["truth"]
    # encoders pad a little (MP3, AAC priming); the length is the recording's all the same
    assert clip.duration_s == pytest.approx(truth["duration_s"], abs=0.08)
    assert 0.3 < np.max(np.abs(clip.samples)) <= 1.0


def test_webm_has_no_duration_header_yet_decodes_whole():
    import av

    with av.open(str(SAMPLES / "noisy_office_flite_rms.webm")) as c:
        assert c.duration is None  # as MediaRecorder writes it
    assert decode(SAMPLES / "noisy_office_flite_rms.webm").duration_s > 25


def _analyze(analyzer, path):
    report = analyzer.analyze(path)
    assert report.findings == () and report.score is None
    return report.error


def _write(path, samples, rate=SAMPLE_RATE_HZ):
    sf.write(path, samples.astype(np.float32), rate, subtype="PCM_16")
    return path


def test_empty_file(analyzer, tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    said = _analyze(analyzer, tmp_path / "empty.wav")
    assert said == f"{tmp_path / 'empty.wav'} is empty (0 bytes); record or copy the message again."


def test_text_named_wav(analyzer, tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("call me back at 816 916 6141\n")
    error = _analyze(analyzer, path)
    assert error.startswith(f"{path} could not be read as audio")
    assert "export it again as WAV" in error


@pytest.mark.parametrize("name, keep", [("good_espeak_us.wav", 0.3), ("follow_up_flite_slt.mp3", 0.3)])
def test_truncated(analyzer, tmp_path, name, keep):
    data = (SAMPLES / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * keep)])
    error = _analyze(analyzer, path)
    assert error.startswith(f"{path} is truncated: it declares")
    assert "copy or export the recording again" in error


def test_truncated_m4a_without_its_index(analyzer, tmp_path):
    data = (SAMPLES / "long_ramble_espeak.m4a").read_bytes()
    path = tmp_path / "cut.m4a"
    path.write_bytes(data[: len(data) // 4])
    assert "damaged, incomplete or not a recording" in _analyze(analyzer, path)


def test_silent(analyzer, tmp_path):
    path = _write(tmp_path / "silent.wav", np.zeros(3 * SAMPLE_RATE_HZ))
    assert _analyze(analyzer, path) == f"{path} is silent; check that the microphone was on and record again."


def test_too_short(analyzer, tmp_path):
    t = np.arange(SAMPLE_RATE_HZ // 2) / SAMPLE_RATE_HZ
    path = _write(tmp_path / "short.wav", 0.3 * np.sin(2 * np.pi * 150 * t))
    assert _analyze(analyzer, path) == f"{path} is only 0.5 s long; record the whole message (15-30 s) and try again."


@pytest.mark.parametrize("kind", ["noise", "music"])
def test_no_speech(analyzer, tmp_path, kind):
    rng = np.random.default_rng(0)
    if kind == "noise":
        samples = 0.1 * rng.standard_normal(4 * SAMPLE_RATE_HZ)
    else:
        t = np.arange(SAMPLE_RATE_HZ) / SAMPLE_RATE_HZ
        samples = np.concatenate([
            sum(0.15 * np.sin(2 * np.pi * f * k * t) / k for k in (1, 2, 3)) * np.exp(-3 * t)
            for f in (261.6, 329.6, 392.0, 523.3, 392.0, 329.6)
        ])
    path = _write(tmp_path / f"{kind}.wav", samples)
    assert _analyze(analyzer, path).startswith(f"No English speech was recognised in {path}")


def test_not_english(analyzer, tmp_path):
    espeak = require_tool("espeak-ng")
    path = tmp_path / "german.wav"
    subprocess.run([espeak, "-v", "de", "-w", str(path),
                    "Guten Tag, hier spricht Hans Müller von der Firma Schmidt. Bitte rufen Sie mich zurück "
                    "unter null acht neun, eins zwei drei vier fünf."], check=True)
    message = _analyze(analyzer, path)
    assert message.startswith(f"{path} could not be transcribed reliably (the transcriber was sure of too few words: "
                              "mean confidence 0.")
    assert message.endswith("); this tool coaches English voicemails: record in English, close to the microphone, "
                            "away from noise.")


def test_a_recording_reads_the_same_however_often_the_model_sampled_before(analyzer, tmp_path):
    """Whisper falls back to sampling when every decode of a stretch fails, as on this German message.
    CTranslate2 seeds its worker thread's random generator once, so a model that kept sampling read the
    same recording differently each time (and a test's result hung on the tests before it)."""
    espeak = require_tool("espeak-ng")
    path = tmp_path / "german.wav"
    subprocess.run([espeak, "-v", "de", "-w", str(path),
                    "Sehr geehrte Damen und Herren, wir bieten Ihnen eine günstige Versicherung für Ihr Auto an. "
                    "Rufen Sie uns an."], check=True)
    clip = decode(path)
    first = analyzer.engine.transcribe(clip)
    again = [analyzer.engine.transcribe(clip) for _ in range(3)]
    assert all(t.words == first.words for t in again), [first.text] + [t.text for t in again]


def test_missing_file_and_folder(analyzer, tmp_path):
    assert _analyze(analyzer, tmp_path / "nope.wav") == f"{tmp_path / 'nope.wav'} does not exist; check the path."
    assert _analyze(analyzer, tmp_path) == f"{tmp_path} is a folder, not a recording; pass the audio files inside it."


def test_cli_bad_inputs_exit_2_with_one_sentence_each_and_no_traceback(tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "notes.wav").write_text("not audio")
    _write(tmp_path / "silent.wav", np.zeros(3 * SAMPLE_RATE_HZ))
    files = [tmp_path / n for n in ("empty.wav", "notes.wav", "silent.wav")]
    before = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    run = subprocess.run([sys.executable, "-m", "analyzer", "analyze", "--format", "json", *map(str, files)],
                         capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    errors = [f["error"] for f in json.loads(run.stdout)["files"]]
    assert [e.count(";") for e in errors] == [1, 1, 1]  # what and which file; what to do
    assert all(str(f) in e for f, e in zip(files, errors))
    assert {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files} == before
