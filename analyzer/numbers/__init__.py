"""Phone numbers in words, read once: below transcription (the number pass asks where the number
is) and measurement (which times and doubts what is read here). Nothing here looks at audio.

- digits.py: words -> runs of digits, however Whisper writes or people say them;
- readings.py: runs -> readings of phone numbers, which readings are one number, and how numbers
  are written and compared;
- heard.py: one word list read into all of that at once (Heard), for every stage that asks;
- own.py: the rep's own number as typed, checked by one rule wherever it is given.
"""
