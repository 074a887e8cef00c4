"""Voicemail analyzer: transcribe a sales voicemail, measure it, flag what breaks the habits
that get prospects to call back.

Data flows one way: decode -> transcribe -> measure -> rules -> report -> render.
"""

__version__ = "0.1.0"
