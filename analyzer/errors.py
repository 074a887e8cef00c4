"""Errors a user can act on. Each carries one plain sentence: what, which file, what to do."""


class UsageError(Exception):
    """Input or configuration that cannot be used (exit code 2)."""


class AudioError(UsageError):
    """A recording that cannot be analysed."""


class PackError(UsageError):
    """A rule pack that cannot be loaded."""


class ModelError(UsageError):
    """A transcription model that cannot be found or trusted."""
