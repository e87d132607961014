"""Property-based tests: random and mutated YAML never raise anything but GuidekitError,
and `compile_guideline` never raises at all."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from guidekit import compile_guideline
from guidekit.compiler.resolve import resolve_text
from guidekit.errors import GuidekitError

CLEAN = (ROOT / "tests" / "fixtures" / "check" / "clean" / "guideline.yaml").read_text()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["single", "spans", "refund", "public", "1.0.0"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_random_text_only_raises_guidekit_error(text: str) -> None:
    try:
        resolve_text(text)
    except GuidekitError as exc:
        assert exc.diagnostics and all(d.code.startswith("GK1") for d in exc.diagnostics)


def _mutate(data: object, path: list[object], value: object) -> object:
    if not path:
        return value
    head, *rest = path
    if isinstance(data, dict) and data:
        keys = sorted(data, key=str)
        key = keys[int(head) % len(keys)] if isinstance(head, int) else head
        out = dict(data)
        out[key] = _mutate(data.get(key), rest, value)
        return out
    if isinstance(data, list) and data:
        out_list = list(data)
        i = int(head) % len(data) if isinstance(head, int) else 0
        out_list[i] = _mutate(data[i], rest, value)
        return out_list
    return value


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=6), values)
def test_mutated_guideline_never_crashes(
    tmp_path_factory: object, path: list[int], value: object
) -> None:
    base = yaml.safe_load(CLEAN)
    mutated = _mutate(base, list(path), value)
    root = Path(tmp_path_factory.mktemp("fuzz"))  # type: ignore[attr-defined]
    (root / "guideline.yaml").write_text(yaml.safe_dump(mutated, allow_unicode=True))
    result = compile_guideline(root)  # must not raise
    for d in result.diagnostics:
        assert d.code.startswith("GK") and d.location.file is not None
    shutil.rmtree(root)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(CLEAN) - 1), st.text(max_size=5))
def test_corrupted_text_never_crashes(at: int, junk: str) -> None:
    text = CLEAN[:at] + junk + CLEAN[at + len(junk) :]
    with contextlib.suppress(GuidekitError):
        resolve_text(text)
