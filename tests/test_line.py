"""The phone line a voicemail travels (analyzer/audio/line.py): band-limited, 8 kHz, through a real
narrowband codec, deterministic; its band checked against scipy.signal's Butterworth, its samples
with FFmpeg's per-CPU kernels on and off, and the whole against FFmpeg's own command line."""

import ctypes
import ctypes.util
import dataclasses
import glob
import subprocess
from pathlib import Path

import numpy as np
import pytest

from analyzer.audio.clip import SAMPLE_RATE_HZ, Clip, decode
from analyzer.audio.line import BAND_ORDER, CODECS, HIGH_HZ, LOW_HZ, _band, _filtered, phone_line

from conftest import SAMPLES


def _noise(seconds: float = 2.0) -> Clip:
    samples = np.random.default_rng(7).normal(0, 0.1, int(seconds * SAMPLE_RATE_HZ)).astype(np.float32)
    return Clip(Path("noise.wav"), "wav", "pcm_f32le", SAMPLE_RATE_HZ, 1, samples)


def _band_db(samples: np.ndarray, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE_HZ)
    inside = (freqs >= low) & (freqs < high)
    return 10 * np.log10(spectrum[inside].mean() + 1e-20)


@pytest.mark.parametrize("codec", sorted(CODECS))
def test_the_line_keeps_300_to_3400_hz_and_the_length(codec):
    clip = _noise()
    line = phone_line(clip, codec)
    assert line.samples.dtype == np.float32 and len(line.samples) == len(clip.samples)
    speech = _band_db(line.samples, 500, 3000)
    assert speech - _band_db(line.samples, 3800, 8000) > 30  # above the line's band: gone
    # mains hum and rumble: gone (AMR-NB's own coding noise of white noise is 15 dB or more down)
    assert speech - _band_db(line.samples, 0, 120) > 12
    assert abs(speech - _band_db(clip.samples, 500, 3000)) < 3  # the voice's band: kept at its level


@pytest.mark.parametrize("codec", sorted(CODECS))
def test_the_line_is_deterministic(codec):
    clip = decode(SAMPLES / "local_number_flite_slt.m4a")
    assert np.array_equal(phone_line(clip, codec).samples, phone_line(clip, codec).samples)


def test_the_band_is_scipys_butterworth():
    """One pass of FFmpeg's biquads, Q from the Butterworth poles, is scipy.signal.butter's high-pass
    and low-pass: the same impulse response, to the 16-bit step the filters end in."""
    from scipy import signal

    impulse = np.zeros(4000, dtype=np.int16)
    impulse[100] = 16384
    ours = _filtered(impulse, SAMPLE_RATE_HZ,
                     [("aformat", "sample_fmts=dbl"), *_band(), ("aformat", "sample_fmts=s16")])
    sos = np.vstack([signal.butter(BAND_ORDER, LOW_HZ, "highpass", fs=SAMPLE_RATE_HZ, output="sos"),
                     signal.butter(BAND_ORDER, HIGH_HZ, "lowpass", fs=SAMPLE_RATE_HZ, output="sos")])
    theirs = signal.sosfilt(sos, impulse.astype(np.float64))
    assert len(ours) == len(impulse) and np.abs(ours).max() > 1000
    assert np.abs(ours - theirs).max() <= 1


def _libavutil() -> ctypes.CDLL:
    """The libavutil PyAV runs on: its wheel's own, else the system's PyAV was built against."""
    import av

    found = glob.glob(str(Path(av.__file__).parent.parent / "av.libs" / "libavutil-*.so*"))
    path = found[0] if found else ctypes.util.find_library("avutil")
    assert path, "no libavutil found beside PyAV"
    return ctypes.CDLL(path)


# FFmpeg's AV_CPU_FLAG_*: none at all (plain C); SSE2 and below (x86-64's baseline); up to AVX2 and FMA3.
SSE2 = 0x1 | 0x2 | 0x8 | 0x10
CPU_FLAGS = {"C": 0, "SSE2": SSE2, "AVX2": SSE2 | 0x40 | 0x80 | 0x100 | 0x200 | 0x4000 | 0x8000 | 0x10000}


@pytest.mark.parametrize("codec", sorted(CODECS))
def test_the_line_is_the_same_with_ffmpegs_cpu_kernels_off(codec):
    """FFmpeg picks kernels per CPU, as CTranslate2 does: the line's samples must not depend on them
    (its resampler's float kernels did, by a step in 16,000 samples)."""
    clip = decode(SAMPLES / "local_number_flite_slt.m4a")
    best = phone_line(clip, codec).samples
    util = _libavutil()
    try:
        for name, flags in CPU_FLAGS.items():
            util.av_force_cpu_flags(flags)
            assert np.array_equal(phone_line(clip, codec).samples, best), name
    finally:
        util.av_force_cpu_flags(-1)  # back to what the CPU has


def test_amr_nb_is_a_lossy_codec_and_keeps_the_voice():
    """AMR-NB is not the band-pass alone: it changes the waveform, but keeps its envelope (5 ms late)."""
    clip = decode(SAMPLES / "local_number_flite_slt.m4a")
    amr, g711 = phone_line(clip, "amr-nb").samples, phone_line(clip, "g711").samples
    assert np.corrcoef(amr, g711)[0, 1] < 0.9

    def envelope(x):
        return np.convolve(np.abs(x), np.ones(320) / 320, mode="same")[::160]

    assert np.corrcoef(envelope(amr), envelope(g711))[0, 1] > 0.9


def test_g711_matches_ffmpeg_doing_the_same(tmp_path):
    """FFmpeg's command line (Debian's, not the one inside PyAV): band-pass, 8 kHz, G.711 mu-law, and back.
    Its filters run forward only and are gentler, so the waveforms differ in phase: their spectra and
    their envelopes are compared."""
    from scipy import signal

    source = SAMPLES / "local_number_flite_slt.m4a"
    ours = phone_line(decode(source), "g711").samples
    theirs_file = tmp_path / "line.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(source), "-ac", "1", "-af",
                    "highpass=f=300:poles=2,highpass=f=300:poles=2,lowpass=f=3400:poles=2,lowpass=f=3400:poles=2",
                    "-ar", "8000", "-c:a", "pcm_mulaw", str(theirs_file)], check=True)
    theirs = decode(theirs_file).samples  # back at 16 kHz
    assert abs(len(ours) - len(theirs)) < SAMPLE_RATE_HZ * 0.05
    freqs, p_ours = signal.welch(ours, fs=SAMPLE_RATE_HZ, nperseg=1024)
    _, p_theirs = signal.welch(theirs, fs=SAMPLE_RATE_HZ, nperseg=1024)
    apart_db = 10 * np.log10(p_ours + 1e-20) - 10 * np.log10(p_theirs + 1e-20)
    voice = (freqs >= 400) & (freqs < 3000)
    assert np.abs(apart_db[voice]).max() < 3
    for low, high in ((0, 250), (3700, 8000)):  # outside the band, ours is at least as far down as theirs
        band = (freqs >= low) & (freqs < high)
        assert (10 * np.log10(p_ours[band].mean() / p_ours[voice].mean())
                < 10 * np.log10(p_theirs[band].mean() / p_theirs[voice].mean()) + 3)

    def envelope(x):
        return np.convolve(np.abs(x), np.ones(320) / 320, mode="same")[::160]

    n = min(len(ours), len(theirs))
    assert np.corrcoef(envelope(ours[:n]), envelope(theirs[:n]))[0, 1] > 0.95


def test_a_clip_of_silence_stays_silent():
    silent = dataclasses.replace(_noise(), samples=np.zeros(SAMPLE_RATE_HZ, dtype=np.float32))
    for codec in CODECS:
        assert float(np.abs(phone_line(silent, codec).samples).max()) < 1e-3


def test_a_pack_asks_for_a_desk_line_and_a_bad_line_is_one_sentence(tmp_path, analyzer):
    """`phone_line` in a pack turns the check on for every recording it grades, with its codec; the
    default pack leaves it off (the rule is skipped, not failed)."""
    from analyzer.checks.pack import load_pack
    from analyzer.errors import PackError
    from analyzer.pipeline import Analyzer

    sample = SAMPLES / "local_number_flite_slt.m4a"
    off = analyzer.analyze(sample)
    assert off.measures is not None and off.measures.phone_line is None
    assert "number-lost-on-phone-line" not in {f.name for f in off.findings}

    desk = tmp_path / "desk.toml"
    desk.write_text('[pack]\nextends = "default"\nphone_line = "g711"\n')
    lined = Analyzer(load_pack(desk))
    lined.listener.engine = analyzer.engine  # one model for the session
    report = lined.analyze(sample)
    line = report.measures.phone_line
    assert line is not None and line.codec == "g711" and "G.711" in line.what and line.words
    assert [r.digits for r in line.readings] == ["5550134", "5550134"]  # the script's local number, twice

    bad = tmp_path / "bad.toml"
    bad.write_text('[pack]\nextends = "default"\nphone_line = "gsm"\n')
    with pytest.raises(PackError, match=r"bad.toml: key 'pack.phone_line': 'gsm' is not a phone line .*'g711'"):
        load_pack(bad)


def test_every_line_offered_can_be_encoded_and_a_missing_encoder_is_one_sentence(monkeypatch):
    """pyproject.toml holds PyAV below 18.1.1, whose wheels leave out the AMR-NB encoder: every line
    offered works. Where a PyAV lacks an encoder, start-up says so, and which line still works."""
    from analyzer.audio.line import Codec, require
    from analyzer.errors import UsageError
    from analyzer.grade.batch import Settings

    for codec in CODECS.values():
        require(codec)
    missing = Codec("amr-nb", "a mobile call", "libno_such_encoder", "amrnb")
    with pytest.raises(UsageError, match=r"^The phone line amr-nb \(a mobile call\) needs FFmpeg's libno_such_encoder "
                                         r"encoder, which this PyAV \(av [\d.]+\) leaves out.*install 'av<18.1.1', "
                                         r"or choose another line in the pack: phone_line = \"g711\"\.$"):
        require(missing)
    monkeypatch.setitem(CODECS, "amr-nb", missing)
    with pytest.raises(UsageError, match="libno_such_encoder"):  # grading says it once, before any worker starts
        Settings("faster-whisper", None, 0, phone_line="amr-nb")


def test_the_line_verdict_is_the_same_under_every_kernel_set_the_cpu_runs():
    """The phone line's version, its transcript's readings and the rule's verdicts, under each CTranslate2
    kernel set (CT2_FORCE_CPU_ISA) this CPU offers: results must not depend on the CPU (word times may
    move a little: they are not compared). The sample's number is read off a mobile line as "816, I
    went 614", so the closer listening runs too."""
    import json
    import os
    import sys

    root = Path(__file__).resolve().parent.parent
    isas = subprocess.run([str(root / "tools" / "cpu_isas")], capture_output=True, text=True, check=True).stdout.split()
    seen = {}
    for isa in isas:
        run = subprocess.run([sys.executable, "-m", "analyzer", "analyze", str(SAMPLES / "good_espeak_us.wav"),
                              "--phone-line", "--format", "json", "--fail-on", "never"],
                             capture_output=True, text=True, env={**os.environ, "CT2_FORCE_CPU_ISA": isa})
        assert run.returncode == 0, run.stderr
        f = json.loads(run.stdout)["files"][0]
        line = f["measures"]["phone_line"]
        seen[isa] = ([(r["digits"], r["checked"], r["survives"], r["sure"]) for r in line["readings"]],
                     sorted(x["severity"] for x in f["findings"] if x["name"] == "number-lost-on-phone-line"))
    assert len({json.dumps(v) for v in seen.values()}) == 1, seen
