"""What every fuzzed run must satisfy, and where its figures go."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from fuzz._run import Run

#: The long runs draw the same cases every time (CI stays deterministic: a defect found is
#: found again, and a green main stays green); ``GUIDEKIT_FUZZ_RANDOM=1`` explores new ones,
#: as a developer does before a release (RELIABILITY.md).
DERANDOMIZE = os.environ.get("GUIDEKIT_FUZZ_RANDOM") != "1"

# ``GUIDEKIT_FUZZ_STATS=FILE`` appends one JSON line per fuzzed command (RELIABILITY.md).
STATS = os.environ.get("GUIDEKIT_FUZZ_STATS")
_LOCATED = re.compile(r"^\S.*?: (?:\d+:)*\s*(?:error|warning|info)?:?\s*GK\d{3}")


def record(kind: str, case: str, run: Run | None = None, **extra: Any) -> None:
    if not STATS:
        return
    row: dict[str, Any] = {"kind": kind, "case": case, **extra}
    if run is not None:
        row.update(code=run.code, seconds=round(run.seconds, 3), rss_mb=round(run.max_rss_mb, 1))
    with open(STATS, "a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")


def assert_sane(run: Run, case: str) -> None:
    """Exit 0, 1 or 2 in time, and no traceback."""
    assert not run.hung, f"{case}: guidekit {' '.join(run.argv)} hung (killed at the timeout)"
    assert run.code in (0, 1, 2), (
        f"{case}: guidekit {' '.join(run.argv)} exited {run.code}\n{run.stderr[-3000:]}"
    )
    assert "Traceback" not in run.stderr, f"{case}: traceback\n{run.stderr[-3000:]}"


def unlocated(run: Run, project: Path) -> list[str]:
    """Error diagnostics without a file (or without a line in a YAML file)."""
    bad: list[str] = []
    try:
        report = json.loads(run.stdout)
    except ValueError:
        # a stopping error (GuidekitError) is rendered as text on stderr: ``FILE[:LINE:COL]: GKnnn``
        for line in run.stderr.splitlines():
            stops = re.search(r"\bGK\d{3}\b", line) and not line.startswith(" ")
            if stops and (not _LOCATED.match(line) or line.lstrip().startswith("GK")):
                bad.append(line)
        return bad
    for diag in report.get("diagnostics", []):
        if diag.get("severity") != "error":
            continue
        loc = diag.get("location") or {}
        file = loc.get("file")
        if not file:
            bad.append(f"{diag['code']} {diag['message']} (no file)")
            continue
        path = Path(file) if Path(file).is_absolute() else project.parent / file
        is_yaml = file.endswith((".yaml", ".yml"))
        if is_yaml and path.is_file() and not loc.get("line"):
            bad.append(f"{diag['code']} {diag['message']} ({file}: no line)")
    return bad
