"""The phone line a voicemail travels to the prospect, simulated: what they will hear, and what their
phone's visual voicemail will transcribe.

A practice message is recorded wide-band, on a laptop or a phone's microphone; the prospect gets it
narrowband: 300-3400 Hz, 8 kHz, through a speech codec. Every step is maintained code and
deterministic (the same samples in, the same samples out, on every CPU: AMR-NB's reference coder
is fixed-point):
- the band: a Butterworth band-pass, run forward and back (scipy.signal.sosfiltfilt), so that no
  word moves in time;
- 8 kHz: scipy.signal.resample_poly, whose own low-pass keeps the band's edge from folding back;
- the codec, encoded and decoded by the FFmpeg inside PyAV's wheels: AMR-NB at 12.2 kbit/s (a mobile
  call; the 3GPP reference coder, libopencore-amrnb) or G.711 mu-law (a desk line). PyAV's FFmpeg
  has no GSM encoder (Debian's ffmpeg has libgsm), so GSM is not offered.
The result is brought back to the 16 kHz every engine hears.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from .clip import SAMPLE_RATE_HZ, Clip

LOW_HZ = 300
HIGH_HZ = 3400
LINE_RATE_HZ = 8_000
# A 6th-order band-pass, applied twice (forward and back): a telephone channel's edges
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


def phone_line(clip: Clip, codec: str = DEFAULT_CODEC) -> Clip:
    """The clip as it comes out of the phone line: band-limited, 8 kHz, through `codec`, and back at
    16 kHz with the clip's length (so word times are the recording's)."""
    from scipy import signal  # heavy; only a --phone-line run needs it

    chosen = CODECS[codec]
    band = signal.butter(BAND_ORDER, [LOW_HZ, HIGH_HZ], btype="bandpass", fs=SAMPLE_RATE_HZ, output="sos")
    narrow = signal.resample_poly(signal.sosfiltfilt(band, clip.samples.astype(np.float64)),
                                  LINE_RATE_HZ, SAMPLE_RATE_HZ)
    heard = _through(narrow, chosen)
    wide = signal.resample_poly(heard.astype(np.float64), SAMPLE_RATE_HZ, LINE_RATE_HZ)
    samples = np.zeros(len(clip.samples), dtype=np.float32)
    samples[: min(len(wide), len(samples))] = wide[: len(samples)]
    return dataclasses.replace(clip, samples=samples)


def _through(samples: np.ndarray, codec: Codec) -> np.ndarray:
    """8 kHz samples encoded and decoded by `codec`, as 16-bit PCM goes into a phone network."""
    import av

    encoder: Any = av.CodecContext.create(codec.encoder, "w")  # an audio context: its stubs say only CodecContext
    encoder.sample_rate = LINE_RATE_HZ
    encoder.layout = "mono"
    encoder.format = "s16"
    if codec.bit_rate:
        encoder.bit_rate = codec.bit_rate
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype(np.int16)
    frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = LINE_RATE_HZ
    packets = [*encoder.encode(frame), *encoder.encode(None)]
    decoder: Any = av.CodecContext.create(codec.decoder, "r")
    decoder.sample_rate = LINE_RATE_HZ
    decoder.layout = "mono"
    out = [f.to_ndarray().reshape(-1) for p in [*packets, None] for f in decoder.decode(p)]
    if not out:
        return np.zeros(0, dtype=np.float32)
    decoded = np.concatenate(out)
    if decoded.dtype == np.int16:
        return decoded.astype(np.float32) / 32768
    return decoded.astype(np.float32)
