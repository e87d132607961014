"""Benchmarks of versions and diffs.

    python bench/versioning_bench.py [--classes 10000] [--records 1000000] [--commits 100]

1. diff: two generated guidelines of N classes (5 examples each); the new one renames 1% of
   the classes through aliases, splits 0.5%, rewords 5% of the definitions and adds 1% new
   classes. Times the diff and the Markdown rendering (loading is the compiler's cost and is
   timed separately).
2. migrate: a delivery of R records made under support-tickets 2.3.0, migrated to the
   major-release scenario of the tests (rename, split, required attribute). Records/s, with
   plain orjson parse + serialise of every line as the reference, and peak memory.
3. history: a repository of C commits of support-tickets, each a patch release, tagged;
   `history()` from commits and from tags.
4. reading a revision: `load_side("HEAD")` (git archive + compile) against loading the
   folder.

CPU times are best of three where cheap; the machine's core count is printed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from gen_guideline import generate  # noqa: E402

import guidekit  # noqa: E402
from guidekit.versioning import diff_guidelines, history, load_side, migrate_file  # noqa: E402
from guidekit.versioning.markdown import render_markdown  # noqa: E402
from versioning.scenarios import support_tickets  # noqa: E402

try:
    from yaml import CSafeDumper as Dumper
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as Loader  # type: ignore[assignment]


def best(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- 1. diff ---------------------------------------------------------------------------------


def edit_big(root: Path, classes: int) -> None:
    path = root / "taxonomy" / "intent.yaml"
    items = yaml.load(path.read_text(), Loader=Loader)
    rng = random.Random(11)
    leaves = [c for c in items if c["id"].startswith("class_")]
    for c in rng.sample(leaves, classes // 100):
        c["aliases"] = [c["id"]]
        c["id"] = "renamed_" + c["id"]
    for c in rng.sample([c for c in leaves if c["id"].startswith("class_")], classes // 200):
        a, b = c["id"] + "_a", c["id"] + "_b"
        c["deprecated"] = True
        c["replaced_by"] = [a, b]
        for new in (a, b):
            items.append(
                {
                    "id": new,
                    "parent": c["parent"],
                    "definition": f"Half of {c['id']}, the {new[-1]} side.",
                    "examples": [{"body": f"an example of {new}"}],
                }
            )
    for c in rng.sample(leaves, classes // 20):
        c["definition"] = c["definition"].replace(" means ", " now means ", 1) + " Mostly."
    for i in range(classes // 100):
        items.append(
            {
                "id": f"added_{i}",
                "parent": "group_0",
                "definition": f"Added class {i}.",
                "examples": [{"body": f"an example of added {i}"}],
            }
        )
    path.write_text(yaml.dump(items, Dumper=Dumper, sort_keys=False))
    g = root / "guideline.yaml"
    g.write_text(
        g.read_text()
        .replace("version: 1.0.0", "version: 2.0.0")
        .replace(f"max_classes: {classes + classes // 100 + 1}", "max_classes: 100000")
    )


def bench_diff(classes: int, tmp: Path) -> None:
    old_dir = generate(tmp / "old", classes, 5)
    new_dir = tmp / "new"
    shutil.copytree(old_dir, new_dir)
    edit_big(new_dir, classes)
    t = time.process_time()
    old = guidekit.compile_guideline(old_dir).guideline
    new = guidekit.compile_guideline(new_dir).guideline
    load = (time.process_time() - t) / 2
    assert old is not None and new is not None
    holder = {}
    t_diff = best(lambda: holder.__setitem__("d", diff_guidelines(old, new)))
    d = holder["d"]
    t_md = best(lambda: render_markdown(d))
    print(
        f"diff, {classes} classes ({classes * 5} examples): {len(d)} changes "
        f"({', '.join(f'{n} {i.value}' for i, n in d.counts().items())})"
    )
    print(f"  compile one side   {load:7.2f} s")
    print(f"  diff               {t_diff:7.2f} s")
    print(f"  markdown           {t_md:7.2f} s")


# -- 2. migrate ------------------------------------------------------------------------------


def bench_migrate(records: int, tmp: Path) -> None:
    old_dir = ROOT / "guidelines" / "support-tickets"
    new_dir = tmp / "st-new"
    shutil.copytree(old_dir, new_dir)
    support_tickets(new_dir)
    old, new = guidekit.load(old_dir), guidekit.load(new_dir)
    labels = list(old.tasks["intent"].labels())
    levels = list(old.tasks["urgency"].labels())
    rng = random.Random(3)
    src = tmp / "delivery.jsonl"
    with src.open("wb") as f:
        for i in range(records):
            spans = []
            if rng.random() < 0.3:
                spans.append({"start": 0, "end": 10, "label": "ORDER_ID"})
            if rng.random() < 0.1:
                spans.append(
                    {"start": 12, "end": 18, "label": "AMOUNT", "attributes": {"currency": "USD"}}
                )
            rec = {
                "ticket_id": f"T-{i}",
                "intent": rng.choice(labels),
                "urgency": rng.choice(levels),
                "entities": spans,
                "annotator": f"a{i % 17}",
                "status": "labelled",
                "guideline_version": "2.3.0",
            }
            f.write(orjson.dumps(rec) + b"\n")
    size = src.stat().st_size / 1e6

    def reference() -> None:
        with src.open("rb") as f, open(os.devnull, "wb") as out:
            for line in f:
                out.write(orjson.dumps(orjson.loads(line)) + b"\n")

    t_ref = best(reference, runs=1)
    before = rss_mb()
    t = time.process_time()
    report = migrate_file(src, old, new, output=tmp / "migrated.jsonl")
    t_mig = time.process_time() - t
    grew = rss_mb() - before
    print(
        f"migrate, {records} records ({size:.0f} MB): {report.rewritten} rewritten, "
        f"{report.reannotate} marked, {report.unchanged} unchanged"
    )
    print(f"  orjson parse+dump  {t_ref:7.2f} s  {records / t_ref:10,.0f} records/s")
    print(f"  migrate            {t_mig:7.2f} s  {records / t_mig:10,.0f} records/s")
    print(
        f"  peak memory grew by {max(grew, 0):.0f} MB during the migration (max RSS {rss_mb():.0f} MB)"
    )


# -- 3. history, 4. reading a revision --------------------------------------------------------


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def bench_history(commits: int, tmp: Path) -> None:
    repo = tmp / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    project = repo / "guidelines" / "support-tickets"
    shutil.copytree(ROOT / "guidelines" / "support-tickets", project)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@b",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@b",
    }
    main = project / "guideline.yaml"
    text = main.read_text()
    for i in range(commits):
        version = f"2.3.{i}"
        main.write_text(
            text.replace("version: 2.3.0", f"version: {version}").replace(
                "Route each new ticket", f"Route each new ticket ({i})"
            )
        )
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", version], cwd=repo, check=True, env=env)
        subprocess.run(["git", "tag", f"v{version}"], cwd=repo, check=True, env=env)
    t0 = time.perf_counter()
    h = history(project, source="commits")
    t_commits = time.perf_counter() - t0
    t0 = time.perf_counter()
    history(project, source="tags")
    t_tags = time.perf_counter() - t0
    print(f"history, {commits} commits, each a release: {len(h)} versions")
    print(
        f"  from commits       {t_commits:7.2f} s wall  ({t_commits / commits * 1000:.0f} ms per version)"
    )
    print(f"  from tags          {t_tags:7.2f} s wall")
    t_git = min(_wall(lambda: load_side("HEAD", project=project)) for _ in range(3))
    t_dir = min(_wall(lambda: guidekit.load(project)) for _ in range(3))
    print(
        f"read support-tickets at HEAD (git archive + compile) {t_git * 1000:.0f} ms wall, "
        f"from the folder {t_dir * 1000:.0f} ms"
    )


def _wall(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=10_000)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--commits", type=int, default=100)
    a = ap.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        # migrate first: peak memory (max RSS) only grows, and the big diff needs the most
        bench_migrate(a.records, Path(tmp))
        bench_history(a.commits, Path(tmp))
        bench_diff(a.classes, Path(tmp))


if __name__ == "__main__":
    main()
