#!/usr/bin/env python3
"""Build the sample corpus in sample_audio/ from text-to-speech, deterministically.

Each recording is a script of segments (sentences, numbers read at a chosen speed, inserted
silences) spoken by espeak-ng, flite or festival, joined with known gaps, optionally degraded
(telephone band, background noise) and encoded into the format a phone or browser produces.
Because the generator places every segment itself, it knows the exact timings; beside each
recording it writes NAME.expected.json: the rules that must fire with the default pack, and
measurements with tolerances, derived from those timings.

Needs the Debian packages espeak-ng, flite, festival and ffmpeg (`.ci/run` installs them). The
natural voice "hibari:heart" (a small neural model, hibari-tts, 24 kHz) needs the `eval` extra
(`pip install -e '.[eval]'`, `make eval` does it); it is imported only when a spec asks for it, and
no voice is ever downloaded: heart ships in the package, any other hibari voice must already be in
hibari's cache (HIBARI_HOME).

    .venv/bin/python tools/make_samples.py [--out sample_audio] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analyzer.regress.expectations import expected_measures

MIX_RATE = 22050
SENTENCE_GAP_S = 0.35
# Silence in the clean mix: frames under this level (the TTS engines pad with near-zero samples).
SILENCE_DBFS = -50.0
TRUTH_PAUSE_S = 0.5
# Silences this long in the clean mix are where a measured pause may honestly be found.
TRUTH_SILENCE_S = 0.25


NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TWO_DIGIT_WORDS = {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                   "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
FESTIVAL_VOICES = {"kal": "kal_diphone", "ked": "ked_diphone", "slt": "cmu_us_slt_arctic_hts"}
# Debian's asterisk-core-sounds-en-wav: a real person (Allison) saying each digit.
HUMAN_DIGITS = Path("/usr/share/asterisk/sounds/en_US_f_Allison/digits")
HUMAN_DIGIT_GAP_S = 0.08
HUMAN_GROUP_GAP_S = 0.35
# hibari-tts draws the noise part of its signal from a generator: a fixed seed makes the same text
# give the same samples (on one machine and set of libraries: onnxruntime's kernels and scipy's or
# numpy's FFT round differently).
HIBARI_SEED = 0
_HIBARI: dict = {}  # voice name -> its loaded model (about 0.6 s to load; kept for the process)


# --------------------------------------------------------------------------------------------
# Scripts


@dataclass
class Say:
    text: str
    speed: float = 1.0  # relative to the voice's normal speed


@dataclass
class Number:
    digits: str  # what is said, e.g. "816 916 6141" (spaces become pauses)
    speed: float = 1.0
    words: str = ""  # an explicit reading, e.g. "eight one six, nine one six, sixty-one forty-one"


@dataclass
class Silence:
    seconds: float


@dataclass
class Spec:
    name: str
    voice: str  # "espeak:en-us", "flite:slt", "festival:kal", "hibari:heart"
    fmt: str  # wav, mulaw, flac, mp3, ogg, opus, m4a, webm
    script: list
    rules: list[str]  # what must fire with the default pack, and nothing else
    about: str
    rate: float = 1.0  # the voice's overall speed
    lead_s: float = 0.3
    tail_s: float = 0.4
    noise_snr_db: float | None = None
    telephone: bool = False
    stereo: bool = False
    out_rate: int = 16000
    options: dict = field(default_factory=dict)  # analysis options (e.g. the rep's own number)
    # The number is said too fast for any digit to be made out: no reading is expected, and its digits
    # count as one word (whatever the transcriber made of it) in the speaking rate.
    unclear_number: bool = False
    number_voice: str = ""  # another voice for the numbers, e.g. "human:allison"; default the spec's
    peak: float = 0.7  # the loudest sample before noise, of full scale (0.1 is -20 dBFS: a quiet phone)
    clip_db: float = 0.0  # drive the signal this far past full scale, then clip it


SAM = "Hi Jordan, this is Sam Carter with Brightline Payroll."
BENEFIT = "I help companies like yours cut payroll processing time in half."
OFFER = "If you give me ten minutes, I'll show you how two of your competitors did it."
SLOW = 0.75

SPECS = [
    Spec("good_espeak_us", "espeak:en-us", "wav",
         [Say(SAM), Say(BENEFIT), Say(OFFER), Say("Call me back at"), Number("816 916 6141", SLOW),
          Say("Again, that's"), Number("816 916 6141", SLOW)],
         [], "keeps every habit: the model message"),
    Spec("follow_up_flite_slt", "flite:slt", "mp3",
         [Say("Hi, this is Maria Lopez from Acme Analytics."),
          Say("I'm just following up on my email from last week, to see if you had a chance to look at it."),
          Say("Give me a call at"), Number("402 730 5108", SLOW), Say("That's"), Number("402 730 5108", SLOW),
          Say("Thanks.")],
         ["self-focused-opener", "no-benefit-claim"], "caller-centred opener, no benefit for the listener",
         stereo=True, out_rate=44100),
    Spec("once_fast_festival", "festival:kal", "ogg",
         [Say("Hello Chris, this is Dana Reed with Northwind Logistics."),
          Say("We help distributors reduce late deliveries by thirty percent within a quarter."),
          Say("I'd love to show you the numbers. Call me at"), Number("6125550187", 2.4)],
         ["number-too-fast", "number-not-repeated"], "the number once, reeled off", rate=0.8),
    Spec("no_number_espeak_gb", "espeak:en-gb", "flac",
         [Say("Hi Priya, this is Tom Hughes with Clearwater Software."),
          Say("We help clinics like yours save about ten hours a week on scheduling."),
          Say("I'll send you an email with a short case study this afternoon."),
          Say("Have a great day.")],
         ["no-callback-number", "no-call-to-action"], "no callback number at all", rate=0.85),
    Spec("long_ramble_espeak", "espeak:en-us+m3", "m4a",
         [Say(SAM), Say(BENEFIT),
          Say("We started the company eight years ago after working in payroll ourselves, and we saw how much "
              "time teams were losing every single pay period on manual checks and corrections."),
          Say("Since then we have grown to over four hundred customers across the region, in retail, "
              "manufacturing, healthcare and professional services, and we keep adding features every month."),
          Say("Our onboarding team handles the whole migration for you, so nothing changes for your staff."),
          Say("Call me back at"), Number("816 916 6141", SLOW),
          Say("Again, that's"), Number("816 916 6141", SLOW)],
         ["message-too-long"], "forty seconds of company history", stereo=True, out_rate=48000),
    Spec("telephone_mulaw", "espeak:en-us+f3", "mulaw",
         [Say("Hi Alex, this is Jenna Park with Summit Insurance Partners."),
          Say("We help firms your size lower their premiums by fifteen percent without changing coverage."),
          Say("Call me at"), Number("303 555 0142", SLOW), Say("Again,"), Number("303 555 0142", SLOW)],
         [], "a good message at telephone quality (8 kHz mu-law, 300-3400 Hz)", telephone=True, out_rate=8000),
    Spec("noisy_office_flite_rms", "flite:rms", "webm",
         [Say("Hi Morgan, this is Luis Ortega from Pinnacle Marketing."),
          Say("We helped three dental groups in your area increase new patient bookings by twenty percent."),
          Say("Give me a call at"), Number("415 555 0199", SLOW), Say("Once more,"), Number("415 555 0199", SLOW)],
         [], "a good message over office noise, recorded as the browser's WebM/Opus", noise_snr_db=22,
         out_rate=48000),
    Spec("dead_air_espeak", "espeak:en-us", "opus",
         [Say(SAM), Say(BENEFIT), Silence(2.6), Say("Call me back at"), Number("816 916 6141", SLOW),
          Say("Again, that's"), Number("816 916 6141", SLOW)],
         ["dead-air-at-start", "long-pause"], "three seconds of dead air, then a long pause", lead_s=3.2,
         out_rate=48000),
    Spec("number_first_flite_awb", "flite:awb", "mp3",
         [Say("Hi Sarah, this is Ken Adams with Harbor Freight Solutions. Call me at"), Number("248 555 0123", SLOW),
          Say("again,"), Number("248 555 0123", SLOW),
          Say("We help manufacturers cut shipping costs by twenty percent, and I have two examples from your "
              "industry that I would love to walk you through when we talk next week.")],
         ["number-not-at-end"], "the number comes first, then the pitch"),
    Spec("fast_talker_espeak", "espeak:en-us", "wav",
         [Say(SAM), Say(BENEFIT), Say(OFFER), Say("Call me back at"), Number("816 916 6141", 0.5),
          Say("Again, that's"), Number("816 916 6141", 0.5)],
         ["speaking-too-fast"], "rushes everything but the number", rate=1.58),
    Spec("short_espeak_gb", "espeak:en-gb-x-rp", "m4a",
         [Say("Hi there, call me at"), Number("555 0100", SLOW), Say("Again,"), Number("555 0100", SLOW)],
         ["message-too-short", "no-name-or-company", "no-benefit-claim"], "too short to carry a benefit"),
    Spec("no_name_festival", "festival:kal", "flac",
         [Say("Hello, I hope your week is going well."),
          Say("We help restaurants like yours cut food waste by twenty five percent in the first month."),
          Say("Give me a call at"), Number("720 555 0111", SLOW), Say("Again,"), Number("720 555 0111", SLOW)],
         ["no-name-or-company"], "never says who is calling"),
    Spec("filler_flite_kal", "flite:kal", "ogg",
         [Say("Hi Dave, this is Rob Miller with Apex Security."),
          Say("So basically, you know, we kind of help offices like yours, you know, cut break-in losses by "
              "half, basically."),
          Say("Call me at"), Number("512 555 0147", SLOW), Say("Again,"), Number("512 555 0147", SLOW)],
         ["filler-words"], "filler words"),
    Spec("spoken_forms_flite_slt", "flite:slt", "wav",
         [Say("Hi Nina, this is Carla Diaz with Vertex Health."),
          Say("We help clinics cut patient no-shows in half with two-way text reminders."),
          Say("Call me at"), Number("", SLOW, words="four oh two, seven three oh, double five one two"),
          Say("extension two oh four."),
          Say("Again,"), Number("", SLOW, words="four oh two, seven three oh, five five one two")],
         [], "the number in words: 'oh' for zero, 'double five', an extension", lead_s=0.2, out_rate=16000),
    Spec("glued_readings_espeak", "espeak:en-us", "mp3",
         [Say("Hi Omar, this is Grace Lee with Lumen Energy."),
          Say("We help warehouses lower their power bills by eighteen percent."),
          Say("Call me at"), Number("617 555 0163", SLOW), Number("617 555 0163", SLOW),
          Say("Thanks for your time.")],
         [], "two readings with no word between them"),
    Spec("slow_festival", "festival:kal", "wav",
         [Say("Hi Beth, this is Noah Kim with Cedar Bank."),
          Say("We save shops two thousand dollars a year."),
          Say("Call me at"), Number("919 555 0175", 1.5), Say("Again,"), Number("919 555 0175", 1.5)],
         ["speaking-too-slow"], "drags", rate=0.45, out_rate=16000),
    Spec("wrong_digit_espeak", "espeak:en-us", "ogg",
         [Say(SAM), Say(BENEFIT), Say("Call me back at"), Number("816 916 6141", SLOW),
          Say("Again, that's"), Number("816 916 6147", SLOW)],
         ["wrong-number"], "the second reading has a wrong last digit; the rep's number is known",
         options={"number": "816-916-6141"}),
    Spec("readings_differ_flite_slt", "flite:slt", "flac",
         [Say("Hi Morgan, this is Dana Price with Crestline Logistics."),
          Say("We cut late deliveries by a third for distributors like yours."),
          Say("Call me at"), Number("312 748 2051", SLOW), Say("Again, that's"), Number("312 648 2051", SLOW)],
         ["number-readings-differ"], "the two readings differ in the 4th digit; the rep's number is not known"),
    Spec("reeled_off_festival", "festival:kal", "ogg",
         [Say(SAM), Say(BENEFIT), Say("Call me back at"), Number("816 916 6141", 5.0),
          Say("Thanks so much for your time, and have a great rest of your week.")],
         ["number-unclear"], "the number reeled off once, in under a second: no digit of it can be made out",
         unclear_number=True),
    Spec("local_number_flite_slt", "flite:slt", "m4a",
         [Say("Hi Ray, this is Anna Cole with Metro Print."),
          Say("We help law firms cut their printing costs by forty percent."),
          Say("Call me at"), Number("555 0134", SLOW), Say("Again,"), Number("555 0134", SLOW)],
         [], "a seven-digit local number"),
    # The content habits kept, and broken, in wording the first phrase lists missed (the content issue)
    Spec("new_wording_espeak_gb", "espeak:en-gb", "wav",
         [Say("Good morning Jordan, my name is Richard Delgado and I'm with ABC Financial."),
          Say("Most of our clients close their books five days faster every month."),
          Say("Would love to chat."), Number("312 555 0196", SLOW), Say("Again,"),
          Number("312 555 0196", SLOW)],
         [], "every content habit kept in other words: 'and I'm with', 'five days faster', 'would love to chat'"),
    Spec("calling_to_tell_espeak_gb", "espeak:en-gb", "mp3",
         [Say("Hi Dana, this is Hannah Fischer with Blue Harbor IT."),
          Say("I am calling today to tell you about some exciting programs we have."),
          Say("We cut support costs by a third for firms like yours."),
          Say("Call me at"), Number("617 555 0142", SLOW), Say("Again,"), Number("617 555 0142", SLOW)],
         ["self-focused-opener"], "a caller-centred opener without 'following up': 'calling today to tell you about'"),
]


# --------------------------------------------------------------------------------------------
# Synthesis


def spoken(part) -> str:
    if isinstance(part, Say):
        return part.text
    if part.words:
        return part.words
    return ", ".join(" ".join(NUMBER_WORDS[int(c)] for c in group) for group in part.digits.split())


def word_count(part) -> int:
    return len(re.findall(r"[A-Za-z0-9']+(?:-[A-Za-z0-9']+)*", spoken(part)))


def digit_count(part: Number) -> int:
    if part.digits:
        return len(part.digits.replace(" ", ""))
    count = 0
    for word in re.findall(r"[a-z]+(?:-[a-z]+)?", part.words):
        if word in ("double", "triple"):
            count += 1 if word == "double" else 2  # "double five": the five is counted next
        elif "-" in word or word in TWO_DIGIT_WORDS:
            count += 2  # "sixty-one", "eleven", "twenty"
        else:
            count += 1
    return count


def synthesize(text: str, voice: str, speed: float, workdir: Path, number: bool = False) -> np.ndarray:
    """text spoken, at MIX_RATE, trimmed; number: text is a Number's reading (only hibari reads those its own way)."""
    engine, _, name = voice.partition(":")
    out = workdir / "tts.wav"
    if engine == "espeak":
        subprocess.run(["espeak-ng", "-v", name, "-s", str(round(165 * speed)), "-w", str(out), "--", text],
                       check=True)
    elif engine == "flite":
        subprocess.run(["flite", "-voice", name, "--setf", f"duration_stretch={1 / speed:.3f}", "-t", text,
                        "-o", str(out)], check=True)
    elif engine == "festival":
        src = workdir / "tts.txt"
        src.write_text(text)
        select = ["-eval", f"(voice_{FESTIVAL_VOICES[name]})"] if name != "kal" else []  # kal is the default
        subprocess.run(["text2wave", *select, "-eval", f"(Parameter.set 'Duration_Stretch {1 / speed:.3f})",
                        "-o", str(out), str(src)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elif engine == "human":
        return human_digits(text, speed)
    elif engine == "hibari":
        return hibari_speech(text, name, speed, number)
    else:
        raise ValueError(voice)
    audio, rate = sf.read(out, dtype="float32", always_2d=True)
    audio = audio.mean(axis=1)
    if rate != MIX_RATE:
        audio = soxr.resample(audio, rate, MIX_RATE)
    return trim(audio)


def human_digits(text: str, speed: float) -> np.ndarray:
    """Digits read by a real person: Debian's asterisk-core-sounds-en-wav, one recording per digit,
    joined with short gaps inside a group and longer ones between groups ("816, 916, 6141")."""
    pieces = []
    for g, group in enumerate(text.split(",")):
        if g:
            pieces.append(np.zeros(int(HUMAN_GROUP_GAP_S / speed * MIX_RATE), dtype=np.float32))
        for k, word in enumerate(group.split()):
            if k:
                pieces.append(np.zeros(int(HUMAN_DIGIT_GAP_S / speed * MIX_RATE), dtype=np.float32))
            name = "oh" if word == "oh" else str(NUMBER_WORDS.index(word))
            audio, rate = sf.read(HUMAN_DIGITS / f"{name}.wav", dtype="float32", always_2d=True)
            audio = trim(soxr.resample(audio.mean(axis=1), rate, MIX_RATE))
            if speed > 1.0:  # a person reeling the number off: each digit said faster too
                audio = trim(soxr.resample(audio, MIX_RATE, int(MIX_RATE / speed)))
            pieces.append(audio)
    return np.concatenate(pieces)


def hibari_model(name: str):
    """The hibari-tts voice, loaded once; from its file on disk only (never downloaded)."""
    if name not in _HIBARI:
        try:
            from hibari import Hibari
            from hibari.voices import voice_path
        except ImportError as e:
            raise RuntimeError("the hibari voices need hibari-tts: pip install -e '.[eval]'") from e
        try:
            path = voice_path(name, download_missing=False)  # ValueError names the voices for an unknown one
        except FileNotFoundError as e:
            raise RuntimeError(f"hibari voice {name!r} is not on this machine ({e}); only 'heart' ships in "
                               "hibari-tts, and this tool downloads nothing") from e
        _HIBARI[name] = Hibari(voice=name, model=path, threads=1)
    return _HIBARI[name]


def hibari_speech(text: str, name: str, speed: float, number: bool = False) -> np.ndarray:
    """A neural voice (hibari-tts): 24 kHz float32, speed divides its durations as for the other engines.

    It runs a number's groups together at a comma ("four zero two, seven three zero, ..."), reeling the
    number off faster than the other voices do, so a number is said group by group, with the pause
    between groups that human_digits leaves."""
    if number and "," in text:
        gap = np.zeros(int(HUMAN_GROUP_GAP_S / speed * MIX_RATE), dtype=np.float32)
        pieces: list[np.ndarray] = []
        for group in text.split(","):
            if pieces:
                pieces.append(gap)
            pieces.append(hibari_speech(group.strip(), name, speed))
        return np.concatenate(pieces)
    model = hibari_model(name)
    audio = np.asarray(model(text, speed=speed, seed=HIBARI_SEED), dtype=np.float32)
    if len(audio) == 0:
        return audio
    return trim(soxr.resample(audio, model.sample_rate, MIX_RATE))


def frame_db(audio: np.ndarray, hop: int) -> np.ndarray:
    n = len(audio) // hop
    frames = audio[: n * hop].reshape(n, hop)
    return 20 * np.log10(np.maximum(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)), 1e-10))


def trim(audio: np.ndarray) -> np.ndarray:
    hop = MIX_RATE // 100
    loud = np.flatnonzero(frame_db(audio, hop) > SILENCE_DBFS)
    if len(loud) == 0:
        return audio[:0]
    return audio[loud[0] * hop : (loud[-1] + 1) * hop]


def silences(audio: np.ndarray, start_s: float, end_s: float, min_s: float) -> list[tuple[float, float]]:
    """Silent stretches of min_s or more inside [start_s, end_s] of the clean mix."""
    hop = MIX_RATE // 100
    quiet = frame_db(audio, hop) <= SILENCE_DBFS
    out, k = [], None
    for i, q in enumerate(np.append(quiet, False)):
        if q and k is None:
            k = i
        elif not q and k is not None:
            a, b = k / 100, i / 100
            if b - a >= min_s and a >= start_s - 0.01 and b <= end_s + 0.01:
                out.append((round(a, 3), round(b, 3)))
            k = None
    return out


def render(spec: Spec, workdir: Path) -> tuple[np.ndarray, dict]:
    pieces = [np.zeros(int(spec.lead_s * MIX_RATE), dtype=np.float32)]
    t = spec.lead_s
    segments, numbers, words = [], [], 0
    previous_silence = True
    for part in spec.script:
        if isinstance(part, Silence):
            pieces.append(np.zeros(int(part.seconds * MIX_RATE), dtype=np.float32))
            t += part.seconds
            previous_silence = True
            continue
        if not previous_silence:
            pieces.append(np.zeros(int(SENTENCE_GAP_S * MIX_RATE), dtype=np.float32))
            t += SENTENCE_GAP_S
        voice = spec.number_voice if isinstance(part, Number) and spec.number_voice else spec.voice
        audio = synthesize(spoken(part), voice, spec.rate * part.speed, workdir, number=isinstance(part, Number))
        start, end = t, t + len(audio) / MIX_RATE
        segments.append((start, end))
        if isinstance(part, Number):
            n = digit_count(part)
            numbers.append({"start": round(start, 3), "end": round(end, 3), "digit_count": n,
                            "digits_per_s": round(n / (end - start), 3)})
        words += word_count(part)
        pieces.append(audio)
        t = end
        previous_silence = False
    pieces.append(np.zeros(int(spec.tail_s * MIX_RATE), dtype=np.float32))
    clean = np.concatenate(pieces)
    speech_start, speech_end = segments[0][0], segments[-1][1]
    truth = {
        "duration_s": round(len(clean) / MIX_RATE, 3),
        "speech_start_s": round(speech_start, 3),
        "speech_end_s": round(speech_end, 3),
        "spoken_length_s": round(speech_end - speech_start, 3),
        "word_count": words,
        "speaking_rate_wpm": round(words * 60 / (speech_end - speech_start), 1),
        "pauses": [list(p) for p in silences(clean, speech_start, speech_end, TRUTH_PAUSE_S)],
        "silences": [list(p) for p in silences(clean, speech_start, speech_end, TRUTH_SILENCE_S)],
        "numbers": numbers,
    }
    return clean, truth


def degrade(spec: Spec, audio: np.ndarray) -> np.ndarray:
    audio = audio / max(1e-9, float(np.max(np.abs(audio)))) * spec.peak * 10 ** (spec.clip_db / 20)
    if spec.noise_snr_db is not None:
        rng = np.random.default_rng(sum(map(ord, spec.name)))
        noise = np.cumsum(rng.standard_normal(len(audio)))  # brown-ish hum, like a room
        noise -= np.convolve(noise, np.ones(441) / 441, mode="same")
        noise += 0.5 * rng.standard_normal(len(audio))
        voiced = audio[np.abs(audio) > 0.01]
        gain = np.sqrt(np.mean(voiced**2) / np.mean(noise**2)) / 10 ** (spec.noise_snr_db / 20)
        audio = audio + gain * noise
    return np.clip(audio, -1, 1).astype(np.float32)


ENCODERS = {
    "wav": ["-c:a", "pcm_s16le"],
    "mulaw": ["-c:a", "pcm_mulaw"],
    "flac": ["-c:a", "flac"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "48k"],
    "ogg": ["-c:a", "libvorbis", "-q:a", "2"],
    "opus": ["-c:a", "libopus", "-b:a", "24k"],
    "m4a": ["-c:a", "aac", "-b:a", "48k"],
    "webm": ["-c:a", "libopus", "-b:a", "24k", "-f", "webm"],
    "gsm": ["-c:a", "libgsm_ms"],
}
EXTENSIONS = {"mulaw": "wav", "opus": "ogg", "gsm": "wav"}


def encode(spec: Spec, audio: np.ndarray, workdir: Path, out: Path) -> None:
    mix = workdir / "mix.wav"
    sf.write(mix, audio, MIX_RATE, subtype="PCM_16")
    filters = ["highpass=f=300", "lowpass=f=3400"] if spec.telephone else []
    command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(mix), "-map_metadata", "-1",
               "-fflags", "+bitexact", "-flags:a", "+bitexact"]
    if filters:
        command += ["-af", ",".join(filters)]
    command += ["-ar", str(spec.out_rate), "-ac", "2" if spec.stereo else "1", *ENCODERS[spec.fmt]]
    if spec.fmt == "webm":
        # MediaRecorder writes WebM as a stream, with no duration header; writing to a pipe does the same.
        with out.open("wb") as fh:
            subprocess.run([*command, "pipe:1"], check=True, stdout=fh)
    else:
        subprocess.run([*command, str(out)], check=True)


def expected(spec: Spec, truth: dict, audio_name: str) -> dict:
    numbers = [] if spec.unclear_number else truth["numbers"]
    rate = truth["speaking_rate_wpm"]
    if spec.unclear_number:
        words = truth["word_count"] - sum(n["digit_count"] - 1 for n in truth["numbers"])
        rate = round(words * 60 / truth["spoken_length_s"], 1)
    measures = expected_measures(
        spoken_length_s=truth["spoken_length_s"],
        speech_start_s=truth["speech_start_s"],
        speaking_rate_wpm=rate,
        numbers=[(n["start"], n["end"], n["digits_per_s"]) for n in numbers],
        pauses=truth["pauses"],
        silences=truth["silences"],
    )
    return {
        "recording": audio_name,
        "about": spec.about,
        "generator": {"voice": spec.voice, "rate": spec.rate, "format": spec.fmt, "sample_rate_hz": spec.out_rate,
                      "channels": 2 if spec.stereo else 1, "telephone": spec.telephone,
                      "noise_snr_db": spec.noise_snr_db,
                      "script": [spoken(p) if not isinstance(p, Silence) else f"[silence {p.seconds} s]"
                                 for p in spec.script]},
        "options": spec.options,
        "rules": sorted(spec.rules),
        "measures": measures,
        "truth": truth,
    }


def build(spec: Spec, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        clean, truth = render(spec, workdir)
        name = f"{spec.name}.{EXTENSIONS.get(spec.fmt, spec.fmt)}"
        encode(spec, degrade(spec, clean), workdir, out_dir / name)
    meta = out_dir / f"{spec.name}.expected.json"
    meta.write_text(json.dumps(expected(spec, truth, name), indent=2) + "\n")
    return out_dir / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "sample_audio")
    parser.add_argument("--only", nargs="*", help="build only these recordings")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for spec in SPECS:
        if args.only and spec.name not in args.only:
            continue
        path = build(spec, args.out)
        print(f"{path.name:32s} {path.stat().st_size / 1024:7.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
