"""Decode: a recording in, a Clip out (mono float32 at 16 kHz, and what the source was); the voice's
energy and spans, and the small Opus copy a report's player plays."""
