"""Measure: a Transcript (and its Clip) in, Measurements out: length, rates, pauses, voice, and every
reading of a phone number with its digit rate and what could not be confirmed."""
