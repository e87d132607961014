"""The pydantic models module: golden files, a standalone import (no guidekit on the path),
and agreement with the JSON Schema on generated records."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, GUIDELINES
from delivery._gen import RecordFactory
from delivery.conftest import FIXTURES
from guidekit import ir
from guidekit.compiler.pipeline import load
from guidekit.generators.jsonschema import build_schema
from guidekit.generators.models import build_models, module_name, write_models

PROJECTS = [GUIDELINES / name for name in EXAMPLES] + [FIXTURES / "tickets", FIXTURES / "images"]
_LOADED: dict[Path, tuple[ir.Guideline, types.ModuleType]] = {}


def _module(project: Path, tmp: Path) -> tuple[ir.Guideline, types.ModuleType]:
    if project not in _LOADED:
        g = load(project)
        (path,) = write_models(g, tmp)
        spec = importlib.util.spec_from_file_location(f"_gk_models_{module_name(g)}", path)
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        _LOADED[project] = (g, mod)
    return _LOADED[project]


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_golden(project: Path, golden: Callable[[str, str], None]) -> None:
    g = load(project)
    source = build_models(g)
    golden(f"models/{module_name(g)}.py", source)
    assert build_models(g) == source
    compile(source, "<models>", "exec")


@pytest.mark.parametrize("project", PROJECTS[:4], ids=lambda p: p.name)
def test_imports_without_guidekit(project: Path, tmp_path: Path) -> None:
    """A training pipeline imports the module with pydantic alone."""
    g = load(project)
    write_models(g, tmp_path)
    rnd = random.Random(1)
    fac = RecordFactory(g)
    good = None
    for _ in range(50):
        rec = fac.valid(rnd)
        if jsonschema.Draft202012Validator(build_schema(g)).is_valid(rec):
            good = rec
            break
    assert good is not None
    bad = dict(good)
    bad[g.delivery.id] = None
    script = f"""
import json, sys
sys.modules["guidekit"] = None  # any import of guidekit now fails, installed or not
import {module_name(g)} as m
rec = m.Record.model_validate_json({json.dumps(json.dumps(good))})
assert m.GUIDELINE_VERSION == {g.version!r}
try:
    m.Record.model_validate_json({json.dumps(json.dumps(bad))})
except Exception as exc:
    print("rejected", type(exc).__name__)
else:
    raise SystemExit("a record without id was accepted")
print("ok", type(rec).__name__)
"""
    out = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n{script}",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["rejected", "ValidationError", "ok", "Record"]


def test_enums_and_models_per_task(models_dir: Path) -> None:
    _, m = _module(FIXTURES / "tickets", models_dir)
    assert [e.value for e in m.IntentLabel] == [
        "billing_dispute",
        "refund_request",
        "legacy_complaint",
        "feedback",
        "dispute",
    ]
    span = m.EntitiesPRODUCT(label="PRODUCT", start=0, end=3, attributes={"sku_known": True})
    assert span.attributes.sku_known is True
    rec = m.Record.model_validate(
        {
            "ticket_id": "T-1",
            "body": "abc",
            "channel": "chat",
            "labeller": "a",
            "guideline_version": "1.4.2",
            "intent": "refund_request",
            "urgency": "low",
            "entities": [],
        }
    )
    assert rec.intent == m.IntentLabel.refund_request
    with pytest.raises(pydantic.ValidationError):
        m.Record.model_validate({**rec.model_dump(by_alias=True), "urgency": "urgent"})
    with pytest.raises(pydantic.ValidationError):  # strict: no "3" for 3
        m.Record.model_validate({**rec.model_dump(by_alias=True, mode="json"), "minutes": "3"})


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rnd=st.randoms(use_true_random=False), broken=st.integers(0, 2))
def test_models_and_schema_agree(
    project: Path, models_dir: Path, rnd: random.Random, broken: int
) -> None:
    g, m = _module(project, models_dir)
    fac = RecordFactory(g)
    rec = fac.valid(rnd)
    if broken:
        rec = fac.mutate(rec, rnd)
    schema_ok = jsonschema.Draft202012Validator(build_schema(g)).is_valid(rec)
    try:
        m.Record.model_validate_json(json.dumps(rec))
        models_ok = True
    except pydantic.ValidationError:
        models_ok = False
    assert models_ok == schema_ok
