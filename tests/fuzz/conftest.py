from __future__ import annotations

import os

import pytest


@pytest.fixture
def fuzz_long() -> None:
    """The long fuzz run is marked slow and runs only with ``GUIDEKIT_FUZZ_LONG=1`` (CI sets
    it; CONTRIBUTING.md): ``-m 'not slow'`` by default would also hide older slow tests."""
    if os.environ.get("GUIDEKIT_FUZZ_LONG") != "1":
        pytest.skip("long fuzz run: set GUIDEKIT_FUZZ_LONG=1")
