import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_audio"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    # The model-verification marker goes to a throwaway cache, never the user's.
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def default_pack():
    from analyzer.checks.pack import load_pack

    return load_pack()


@pytest.fixture(scope="session")
def analyzer(default_pack):
    """The real pipeline: faster-whisper on the bundled tiny.en, loaded once for the session."""
    from analyzer.pipeline import Analyzer

    return Analyzer(default_pack)
