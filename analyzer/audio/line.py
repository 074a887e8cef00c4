"""The phone line a voicemail travels to the prospect, simulated: what they will hear, and what their
phone's visual voicemail will transcribe.

A practice message is recorded wide-band, on a laptop or a phone's microphone; the prospect gets it
narrowband: 300-3400 Hz, 8 kHz, through a speech codec. Every step is FFmpeg's, inside PyAV's wheels
(already loaded to decode the recording; scipy.signal did the first two steps once, and its import
alone was 0.8 s of every --phone-line run), and the same samples come out on every CPU:
- the band: 6th-order Butterworth high-pass at 300 Hz and low-pass at 3400 Hz, each three of
  FFmpeg's biquads (`highpass`, `lowpass`) with the Butterworth poles' Q, run forward and then
  back over the reversed clip (`areverse`), as scipy.signal.sosfiltfilt does, so that no word
  moves in time. The biquads are plain C in double precision, with no kernels chosen per CPU;
- 8 kHz: FFmpeg's resampler (`aresample`), whose own low-pass keeps the band's edge from folding
  back, resampling 16-bit samples with integer arithmetic (`internal_sample_fmt=s16p`): its float
  kernels round differently per CPU (a sample in 16,000 came out one step apart);
- the codec: AMR-NB at 12.2 kbit/s (a mobile call; the 3GPP reference coder, libopencore-amrnb,
  fixed-point) or G.711 mu-law (a desk line). PyAV's FFmpeg has no GSM encoder (Debian's ffmpeg has
  libgsm), so GSM is not offered. PyAV's wheels from 18.1.1 on have no AMR-NB encoder either
  (pyproject.toml holds PyAV below it); `require` says so before any recording is heard.
The result is brought back to the 16 kHz every engine hears, by the same resampler.
tests/test_line.py checks the band against scipy.signal.butter's and the samples with FFmpeg's
per-CPU kernels turned off.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import UsageError
from .clip import SAMPLE_RATE_HZ, Clip

LOW_HZ = 300
HIGH_HZ = 3400
LINE_RATE_HZ = 8_000
# The band's edges are 6th order, and applied twice (forward and back): a telephone channel's edges
# (ITU-T G.712 allows a few dB at 300 and 3400 Hz, and much less beyond).
BAND_ORDER = 6


@dataclass(frozen=True)
class Codec:
    name: str  # what a pack and the report call it
    what: str  # in words
    encoder: str  # FFmpeg's
    decoder: str
    bit_rate: int | None = None


CODECS = {
    "amr-nb": Codec("amr-nb", "a mobile call (AMR-NB, 12.2 kbit/s)", "libopencore_amrnb", "amrnb", 12_200),
    "g711": Codec("g711", "a desk line (G.711 mu-law, 64 kbit/s)", "pcm_mulaw", "pcm_mulaw"),
}
DEFAULT_CODEC = "amr-nb"


def require(codec: Codec) -> None:
    """Raise UsageError, in one sentence, when this PyAV's FFmpeg cannot encode `codec`: better once at
    start-up than on every recording."""
    if _encodes(codec.encoder):
        return
    import av

    others = ", ".join(f'"{c.name}"' for c in CODECS.values() if c.name != codec.name and _encodes(c.encoder))
    raise UsageError(f"The phone line {codec.name} ({codec.what}) needs FFmpeg's {codec.encoder} encoder, which "
                     f"this PyAV (av {av.__version__}) leaves out, as its wheels from 18.1.1 on do; install "
                     "'av<18.1.1'" + (f", or choose another line in the pack: phone_line = {others}." if others
                                      else "."))


def _encodes(encoder: str) -> bool:
    import av

    try:
        av.codec.Codec(encoder, "w")
    except av.codec.codec.UnknownCodecError:
        return False
    return True


def phone_line(clip: Clip, codec: str = DEFAULT_CODEC) -> Clip:
    """The clip as it comes out of the phone line: band-limited, 8 kHz, through `codec`, and back at
    16 kHz with the clip's length (so word times are the recording's)."""
    band = [*_band(), ("areverse", ""), *_band(), ("areverse", "")]
    narrow = _filtered(_pcm(clip.samples), SAMPLE_RATE_HZ, [("aformat", "sample_fmts=dbl"), *band,
                                                            ("aformat", "sample_fmts=s16"), _to(LINE_RATE_HZ)])
    heard = _through(narrow, CODECS[codec])
    wide = _filtered(heard, LINE_RATE_HZ, [_to(SAMPLE_RATE_HZ)]).astype(np.float32) / 32768
    samples = np.zeros(len(clip.samples), dtype=np.float32)
    samples[: min(len(wide), len(samples))] = wide[: len(samples)]
    return dataclasses.replace(clip, samples=samples)


def butterworth_q(order: int) -> list[float]:
    """The Q of each second-order section of a Butterworth filter of even `order`: its poles lie
    evenly on a half circle, at angles (2k-1)pi/(2 order) from the imaginary axis."""
    return [1 / (2 * math.sin((2 * k - 1) * math.pi / (2 * order))) for k in range(1, order // 2 + 1)]


def _band() -> list[tuple[str, str]]:
    """FFmpeg's filters for one pass of the band: the high-pass, then the low-pass."""
    return [(kind, f"f={hz}:width_type=q:width={q!r}")
            for kind, hz in (("highpass", LOW_HZ), ("lowpass", HIGH_HZ)) for q in butterworth_q(BAND_ORDER)]


def _to(rate: int) -> tuple[str, str]:
    """FFmpeg's resampler to `rate`, in integer arithmetic (the same samples on every CPU)."""
    return ("aresample", f"{rate}:internal_sample_fmt=s16p")


def _pcm(samples: np.ndarray) -> np.ndarray:
    """Float samples as the 16-bit PCM a phone network carries."""
    return np.clip(np.round(samples * 32767), -32768, 32767).astype(np.int16)


def _filtered(pcm: np.ndarray, rate: int, chain: list[tuple[str, str]]) -> np.ndarray:
    """16-bit mono samples at `rate` run through FFmpeg's audio filters `chain` (name, options), which
    ends in 16-bit samples."""
    import av

    graph = av.filter.Graph()
    last: Any = graph.add_abuffer(sample_rate=rate, format="s16", layout="mono", time_base=Fraction(1, rate))
    for name, options in chain:
        step = graph.add(name, options or None)
        last.link_to(step)
        last = step
    sink = graph.add("abuffersink")
    last.link_to(sink)
    graph.configure()
    frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate, frame.pts = rate, 0
    graph.push(frame)
    graph.push(None)
    out = []
    while True:
        try:
            out.append(graph.pull().to_ndarray().reshape(-1))
        except (av.error.EOFError, av.error.BlockingIOError):
            break
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int16)


def _through(pcm: np.ndarray, codec: Codec) -> np.ndarray:
    """8 kHz 16-bit PCM encoded and decoded by `codec`, as 16-bit PCM."""
    import av

    encoder: Any = av.CodecContext.create(codec.encoder, "w")  # an audio context: its stubs say only CodecContext
    encoder.sample_rate = LINE_RATE_HZ
    encoder.layout = "mono"
    encoder.format = "s16"
    if codec.bit_rate:
        encoder.bit_rate = codec.bit_rate
    frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = LINE_RATE_HZ
    packets = [*encoder.encode(frame), *encoder.encode(None)]
    decoder: Any = av.CodecContext.create(codec.decoder, "r")
    decoder.sample_rate = LINE_RATE_HZ
    decoder.layout = "mono"
    out = [f.to_ndarray().reshape(-1) for p in [*packets, None] for f in decoder.decode(p)]
    if not out:
        return np.zeros(0, dtype=np.int16)
    decoded = np.concatenate(out)
    return decoded if decoded.dtype == np.int16 else _pcm(decoded)
