"""Golden files: the generated Markdown project of the fixture and example guidelines.

Every text file of the project (``mkdocs.yml``, pages, template) is compared with
``tests/golden/handbook/<name>/``; ``MANIFEST`` lists every file with a hash, so an added,
removed or changed picture or stylesheet shows up too. ``pytest --update-golden`` rewrites them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from guidekit import load
from guidekit.handbook import render_handbook
from guidekit.handbook.project import config_yaml

from .handbook_support import WORKSHOP, XSS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("support-tickets", "retail-products", "manufacturing-defects", "clinical-notes")
CASES = {
    "workshop": WORKSHOP,
    "xss": XSS,
    **{name: ROOT / "guidelines" / name for name in EXAMPLES},
}


def project_files(path: Path, audience: str | None = None) -> dict[str, bytes]:
    hb = render_handbook(load(path), audience=audience)
    files = {"mkdocs.yml": config_yaml(hb).encode()}
    files.update({f"docs/{k}": v.encode() for k, v in hb.pages.items()})
    files.update({f"docs/{k}": v for k, v in hb.files.items()})
    files.update({f"overrides/{k}": v.encode() for k, v in hb.overrides.items()})
    return dict(sorted(files.items()))


def manifest(files: dict[str, bytes]) -> str:
    return "".join(f"{hashlib.sha256(v).hexdigest()[:16]}  {k}\n" for k, v in files.items())


@pytest.mark.parametrize("name", list(CASES))
def test_generated_markdown_matches_golden(
    name: str, golden: Callable[[str, str | bytes], None]
) -> None:
    path = CASES[name]
    if not (path / "guideline.yaml").is_file():
        pytest.skip(f"example guideline {path} is not in this checkout yet")
    files = project_files(path)
    golden(f"handbook/{name}/MANIFEST", manifest(files))
    for rel, data in files.items():
        if rel.endswith((".md", ".yml", ".html")):
            golden(f"handbook/{name}/{rel}", data.decode("utf-8"))


def test_vendor_golden(golden: Callable[[str, str | bytes], None]) -> None:
    files = project_files(WORKSHOP, audience="vendor")
    golden("handbook/workshop-vendor/MANIFEST", manifest(files))
    for rel, data in files.items():
        if rel.endswith(".md"):
            golden(f"handbook/workshop-vendor/{rel}", data.decode("utf-8"))


def test_rendering_twice_gives_the_same_bytes() -> None:
    assert project_files(WORKSHOP) == project_files(WORKSHOP)


def test_no_absolute_path_in_generated_files() -> None:
    files = project_files(WORKSHOP)
    root = str(WORKSHOP.resolve())
    for rel, data in files.items():
        assert root.encode() not in data, rel
        assert str(Path.home()).encode() not in data, rel
