"""Constants and helpers shared by the handbook tests (imported by name: no package)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "handbook"
WORKSHOP = FIXTURES / "workshop"
XSS = FIXTURES / "xss"

#: Strings that only occur in text above the `vendor` audience's clearance (public).
ABOVE_PUBLIC = (
    "CONFIDENTIAL-PATIENT-ZETA",  # a confidential example of a public class
    "INTERNAL-ONLY-NOTE-QUASAR",  # its note
    "RESTRICTED-EDGE-ORION",  # a confidential edge case
    "CLASSIFIED-RATIONALE-VEGA",  # its rationale
    "SECRET-HAZARD-ALPHA",  # an example of a confidential class
    "CONFIDENTIAL-DEFINITION-HYDRA",  # the definition of a confidential class
    "CONFIDENTIAL-CHANGE-NOTE-LYNX",  # its change note (the "Changed in" section)
    "INTERNAL-SPAN-LYRA",  # an example of an internal task
    "INTERNAL-EDGE-CETUS",  # an internal task-level edge case
    "INTERNAL-ESCALATE-DRACO",  # the escalation text of an internal class
    "INTERNAL-LINK-PAVO",  # a relations example
)
#: Strings above the `annotator` audience's clearance (internal).
ABOVE_INTERNAL = ABOVE_PUBLIC[:7]
INTERNAL_ONLY = ABOVE_PUBLIC[7:]


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its POSIX relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def fake_target(guideline: object, out: Path, **options: object) -> object:
    """A second build target for the tests of ``guidekit build`` with several targets."""
    from guidekit.generators import Output

    out.mkdir(parents=True, exist_ok=True)
    path = out / "target.txt"
    path.write_text(f"{getattr(guideline, 'id', '')} {sorted(options)}\n", encoding="utf-8")
    return Output("fake", out, (path,), "fake")
