"""Fuzzed guideline projects: the bundled ones, mutated, through ``check`` and ``build``.

Each command runs in a child process under a memory limit (RLIMIT_AS) and a timeout. The
fast subset is derandomized; ``GUIDEKIT_FUZZ_LONG=1`` runs the long one (CONTRIBUTING.md)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz._oracle import DERANDOMIZE, assert_sane, record, unlocated
from fuzz._projects import CANARY, GUIDELINES, MUTATIONS, PROJECTS, mutate
from fuzz._run import guidekit

# Mutations that find a defect already listed in issue #13 and owned by someone else; the
# xfail tests in test_fuzz_regressions.py pin them. Empty this set once they are fixed.
#: Mutations that hit a known, not yet fixed defect (xfail, strict), left out of the
#: generated runs. Empty: the four of issue #13 are fixed.
KNOWN: dict[str, str] = {}

mutation = st.tuples(st.sampled_from(sorted(set(MUTATIONS) - set(KNOWN))), st.integers(0, 2**16))
case = st.tuples(st.sampled_from(PROJECTS), st.lists(mutation, min_size=1, max_size=3))


def run_case(project: str, mutations: list[tuple[str, int]]) -> None:
    label = f"{project} {mutations}"
    with tempfile.TemporaryDirectory(prefix="gk-fuzz-") as tmp:
        work = Path(tmp)
        root = work / project
        shutil.copytree(GUIDELINES / project, root, symlinks=True)
        for kind, seed in mutations:
            mutate(root, kind, seed)
        run = guidekit("check", "--format", "json", project, cwd=work)
        record("project-check", label, run, mutations=[k for k, _ in mutations])
        assert_sane(run, label)
        missing = unlocated(run, root)
        assert missing == [], f"{label}: diagnostics without a location: {missing}"
        if run.code == 0:
            build = guidekit("build", project, "--target", "schema", "-o", "out", cwd=work)
            record("project-build", label, build)
            assert_sane(build, label)
        assert not any(work.rglob(CANARY)) and not Path(CANARY).exists(), label


@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(case)
def test_fuzzed_projects_fast(c: tuple[str, list[tuple[str, int]]]) -> None:
    run_case(*c)


@pytest.mark.parametrize(
    ("project", "kind"),
    [
        pytest.param(
            PROJECTS[i % len(PROJECTS)],
            k,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[k])] if k in KNOWN else [],
        )
        for i, k in enumerate(sorted(MUTATIONS))
    ],
)
def test_every_mutation_once(project: str, kind: str) -> None:
    """Each mutation at least once, whatever hypothesis draws."""
    run_case(project, [(kind, 1)])


@pytest.mark.slow
@settings(
    max_examples=400,
    derandomize=DERANDOMIZE,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(case)
def test_fuzzed_projects_long(fuzz_long: None, c: tuple[str, list[tuple[str, int]]]) -> None:
    run_case(*c)
