"""Renderers are leaves: each only formats a Report."""

FORMATS = ("terminal", "json")
