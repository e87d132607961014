"""Benchmark the handbook generator.

    python bench/handbook_bench.py                 # 10,000-class Markdown + the four examples
    python bench/handbook_bench.py --classes 2000 --runs 1

1. Markdown for a generated 10,000-class guideline (``bench/gen_guideline.py``: one task,
   10,000 leaf classes under 100 parents, 5 examples, 1 negative, an edge case every tenth):
   ``render_handbook`` on the loaded IR, best of ``--runs``. Target: under 10 s.
2. The full handbook (Markdown, mkdocs project, strict mkdocs-material build) of each
   bundled example guideline, best of ``--runs``. Target: under 15 s each.
3. The history pages: a git repository of ``--releases`` tagged versions of a generated
   guideline of ``--history-classes`` classes (each release rewords 1% of the definitions and
   adds a class); reading the history for the handbook (``guidekit.handbook.changes.read``:
   git, compiling every version, the diffs, the class notes) and rendering with it.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

EXAMPLES = ("support-tickets", "retail-products", "manufacturing-defects", "clinical-notes")


def best(fn, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times = []
    result = None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    from gen_guideline import generate

    from guidekit import load
    from guidekit.handbook import build_handbook, render_handbook

    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=10_000)
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--history-classes", type=int, default=1000)
    ap.add_argument("--releases", type=int, default=10)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp) / "big", args.classes, args.examples)
        g = load(project)
        seconds, hb = best(lambda: render_handbook(g), args.runs)
        pages = hb.pages  # type: ignore[attr-defined]
        size = sum(len(t) for t in pages.values())
        print(
            f"markdown, {args.classes} classes: {seconds:.2f} s "
            f"({len(pages)} pages, {size / 1e6:.1f} MB of Markdown)"
        )
        seconds, hb = best(lambda: render_handbook(g, print_view=False), args.runs)
        print(f"markdown without the printable view: {seconds:.2f} s")

        for name in EXAMPLES:
            path = ROOT / "guidelines" / name
            if not (path / "guideline.yaml").is_file():
                print(f"{name}: not found")
                continue
            out = Path(tmp) / name
            seconds, _ = best(lambda p=path, o=out: build_handbook(p, o), args.runs)
            print(f"{name}: full handbook (load, Markdown, strict mkdocs build) {seconds:.2f} s")

        history_bench(Path(tmp) / "history", args.history_classes, args.releases, args.runs)


def git(root: Path, *argv: str, date: str = "2024-01-01T12:00:00Z") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(["git", *argv], cwd=root, check=True, capture_output=True, env=env)


def history_bench(root: Path, classes: int, releases: int, runs: int) -> None:
    from gen_guideline import generate

    from guidekit import load
    from guidekit.handbook import render_handbook
    from guidekit.handbook.changes import read

    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    project = generate(root / "g", classes, 1)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "1.0.0")
    git(root, "tag", "v1.0.0")
    taxonomy = project / "taxonomy" / "intent.yaml"
    for r in range(1, releases):
        text = taxonomy.read_text()
        # reword 1% of the definitions, add a class
        text = re.sub(
            r"(definition: Class (\d+) means)",
            lambda m, r=r: m.group(1) + (f" (rev {r})" if int(m.group(2)) % 100 == r % 100 else ""),
            text,
        )
        text += f"- id: new_{r}\n  parent: group_0\n  definition: Added in release {r}.\n"
        taxonomy.write_text(text)
        guideline = project / "guideline.yaml"
        version = f"1.{r}.0"
        guideline.write_text(re.sub(r"version: .*", f"version: {version}", guideline.read_text()))
        day = f"2024-01-{r + 1:02d}T12:00:00Z"
        git(root, "add", "-A", date=day)
        git(root, "commit", "-q", "-m", version, date=day)
        git(root, "tag", f"v{version}", date=day)
    g = load(project)
    seconds, changes = best(lambda: read(g), runs)
    n = len(changes.releases)  # type: ignore[attr-defined]
    notes = len(changes.notes)  # type: ignore[attr-defined]
    print(
        f"history of {classes} classes, {n} tagged releases: read {seconds:.2f} s "
        f"({seconds / n * 1000:.0f} ms per version; {notes} classes with notes)"
    )
    plain, _ = best(lambda: render_handbook(g, print_view=False), runs)
    full, hb = best(lambda: render_handbook(g, print_view=False, changes=changes), runs)
    size = len(hb.pages["changes.md"])  # type: ignore[attr-defined]
    print(
        f"markdown without history {plain:.2f} s, with it {full:.2f} s "
        f"(Changes page {size / 1e3:.0f} kB)"
    )


if __name__ == "__main__":
    main()
