"""What may import what: no import circles, the bottom layers import nothing above them, and
the command line starts without the compiler. ``lint-imports`` (``[tool.importlinter]`` in
pyproject.toml) checks the full layer order in CI; these tests keep the essentials in the suite.
"""

from __future__ import annotations

import subprocess
import sys

import grimp
import pytest

BOTTOM = ("guidekit.ir", "guidekit.spec", "guidekit.diagnostics")
ABOVE = (
    "guidekit.compiler",
    "guidekit.record",
    "guidekit.delivery",
    "guidekit.generators",
    "guidekit.handbook",
    "guidekit.quality",
    "guidekit.versioning",
    "guidekit.bridges",
    "guidekit.commands",
    "guidekit.cli",
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Imports under ``if TYPE_CHECKING:`` only name types: the streaming passes in delivery/
    # annotate the Engine they extend that way.
    return grimp.build_graph("guidekit", exclude_type_checking_imports=True, cache_dir=None)


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_no_import_cycles(graph: grimp.ImportGraph) -> None:
    cycles = set()
    for module in graph.modules:
        # a module's circle: what it reaches that also reaches it
        circle = graph.find_upstream_modules(module) & graph.find_downstream_modules(module)
        if circle:
            cycles.add(frozenset(circle | {module}))
    assert cycles == set(), "import circles"


def test_ir_spec_and_diagnostics_import_nothing_above_them(graph: grimp.ImportGraph) -> None:
    wrong = sorted(
        (module, imported)
        for module in graph.modules
        if _within(module, BOTTOM)
        for imported in graph.find_modules_directly_imported_by(module)
        if _within(imported, ABOVE)
    )
    assert wrong == []


def test_cli_starts_without_compiler_format_models_or_pydantic() -> None:
    code = (
        "import sys, guidekit.cli\n"
        "heavy = ('guidekit.compiler', 'guidekit.spec.format', 'pydantic')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == ""
