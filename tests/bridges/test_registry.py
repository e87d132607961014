"""The registries are the contract with ``validate``, ``export`` and ``build``; the shared
helpers convert coordinates losslessly."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from guidekit.bridges import FOLDER_FORMATS, READERS, TARGETS, WRITERS
from guidekit.bridges._common import Coords, tidy
from guidekit.bridges._json import JsonText
from guidekit.bridges.formats import names as format_names
from guidekit.diagnostics.codes import CODES

from .conftest import fixture

SRC = Path(__file__).resolve().parents[2] / "src" / "guidekit"


def test_every_format_reads_and_writes() -> None:
    assert set(READERS) == set(WRITERS) == set(format_names())
    assert set(READERS) >= FOLDER_FORMATS
    assert set(TARGETS) == {"labelstudio", "cvat", "argilla"}


def test_registry_functions_exist_with_the_documented_signature() -> None:
    import importlib

    for registry in (READERS, WRITERS):
        for name, fn in registry.items():
            module, func = fn.__doc__.split("See guidekit.bridges.")[1].rstrip(".").rsplit(".", 1)
            real = getattr(importlib.import_module(f"guidekit.bridges.{module}"), func)
            params = list(inspect.signature(real).parameters.values())
            first = (
                ["path", "guideline"] if registry is READERS else ["records", "guideline", "out"]
            )
            assert [p.name for p in params[: len(first)]] == first, name
            assert params[-1].kind is inspect.Parameter.VAR_KEYWORD, name
            assert real.__doc__, name


def test_every_bridge_code_is_registered() -> None:
    used = set()
    for path in [
        *(SRC / "bridges").glob("*.py"),
        SRC / "commands" / "drift.py",
        SRC / "commands" / "export.py",
    ]:
        used |= set(re.findall(r'"(GK\d{3})"', path.read_text(encoding="utf-8")))
    assert used
    assert used <= set(CODES)
    assert {c for c in CODES if c.startswith("GK8")} <= used


def test_json_lines_of_items() -> None:
    doc = JsonText('{\n "a": 1,\n "images": [\n  {"id": 1},\n\n  {"id": 2}\n ]\n}', "f")
    members = {k: (v, lines) for k, v, lines in doc.object_members(0, frozenset({"images"}))}
    assert members["images"] == ([{"id": 1}, {"id": 2}], [4, 6])
    assert members["a"] == (1, None)


@given(
    st.floats(0, 500),
    st.floats(0, 500),
    st.floats(0.01, 500),
    st.floats(0.01, 500),
    st.sampled_from(["xywh", "xyxy"]),
    st.sampled_from(["pixels", "normalized"]),
)
def test_box_conversions_invert(
    x: float, y: float, w: float, h: float, fmt: str, units: str
) -> None:
    from dataclasses import replace

    from guidekit.spec.format import Coordinates

    task = replace(
        fixture("all-types").tasks["boxes"], coordinates=Coordinates(format=fmt, units=units)
    )
    coords = Coords(task, (640.0, 480.0))
    native = coords.box_in(x, y, w, h, frac=False)
    back = coords.box_out(native, frac=False)
    # native numbers keep ten significant digits: a millionth of a pixel at most here
    for a, b in zip(back, (x, y, w, h), strict=True):
        assert abs(a - b) <= 1e-6 * max(1.0, abs(b))
    # fractions round the other way
    fx, fy, fw, fh = coords.box_out(native, frac=True)
    again = coords.box_in(fx, fy, fw, fh, frac=True)
    for a, b in zip(again, native, strict=True):
        assert abs(a - b) <= 1e-6 * max(1.0, abs(b))


def test_tidy_removes_float_noise_only() -> None:
    assert tidy(10.000000000000002) == 10 and isinstance(tidy(10.000000000000002), int)
    assert tidy(0.1 + 0.2) == 0.3
    assert tidy(123.456789012) == 123.456789
    assert tidy(1e-12) == 1e-12


def test_build_targets(tmp_path: Path) -> None:
    """The build-target protocol (``guidekit.generators``), when it is there."""
    import pytest

    pytest.importorskip("guidekit.generators")
    from guidekit.bridges import targets

    g = fixture("all-types")
    out = targets.argilla(g, tmp_path / "argilla")
    assert [p.name for p in out.files] == ["argilla-settings.json"]
    assert "left out" in out.note and "boxes" in out.note
    out = targets.labelstudio(g, tmp_path / "ls")
    assert out.note == "all-types 2.1.0" and out.files[0].read_text().startswith("<!--")
    assert len(targets.cvat(g, tmp_path / "cvat").files) == 2
