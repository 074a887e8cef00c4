"""Test helpers: system tools the tests need, which .ci/run installs."""

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """The path of a program; a local run without it skips, CI (CI=true) fails."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run must install it")
        pytest.skip(f"{name} is not installed")
    return path
