"""The file identity the ledger records is the plain sha256 of the file's bytes, however
it is read (a memory map, or chunks where a file cannot be mapped)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from guidekit.commands._ledger import sha256


@pytest.mark.parametrize("size", [0, 1, (1 << 24) - 1, (1 << 24) + 7, 3 << 24])
def test_sha256_is_the_plain_digest_of_the_bytes(tmp_path: Path, size: int) -> None:
    data = (bytes(range(256)) * (size // 256 + 1))[:size]
    path = tmp_path / "delivery.jsonl"
    path.write_bytes(data)
    assert sha256(path) == hashlib.sha256(data).hexdigest()
