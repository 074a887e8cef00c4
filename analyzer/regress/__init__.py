"""Regress (a front): a corpus with expectations in, the checks that drifted out; re-blessing."""
