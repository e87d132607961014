"""The sha256 of recorded files, cached by path, size, mtime and inode (as git's index does):
recording the same file again (``accept`` after ``validate``) does not read it again."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from guidekit.ledger import schema as t
from guidekit.ledger.db import Ledger

Stamp = tuple[int, int, int]  # size, mtime_ns, inode


def stamp(path: Path) -> Stamp:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _key(path: Path) -> str:
    return str(path.resolve())


def cached(ledger: Ledger, paths: Iterable[Path]) -> dict[Path, str]:
    """The cached sha256 of each path whose size, mtime and inode are unchanged."""
    wanted = {_key(p): p for p in paths}
    if not wanted:
        return {}
    out: dict[Path, str] = {}
    with ledger.reading() as conn:
        q = select(t.file_hashes).where(t.file_hashes.c.path.in_(list(wanted)))
        for row in conn.execute(q):
            p = wanted[row.path]
            try:
                if stamp(p) == (row.size, row.mtime_ns, row.inode):
                    out[p] = row.sha256
            except OSError:
                continue
    return out


def remember(ledger: Ledger, hashes: Mapping[Path, tuple[Stamp, str]]) -> None:
    if not hashes:
        return
    rows = [
        {"path": _key(p), "size": s[0], "mtime_ns": s[1], "inode": s[2], "sha256": h}
        for p, (s, h) in hashes.items()
    ]
    keys = [r["path"] for r in rows]
    try:
        with ledger.engine.begin() as conn:
            conn.execute(delete(t.file_hashes).where(t.file_hashes.c.path.in_(keys)))
            conn.execute(insert(t.file_hashes), rows)
    except IntegrityError:  # another process cached the same file at the same time
        pass
