"""Agreement at scale: 100,000 items x 5 annotators x 20 classes, against the krippendorff
package on the same data.

    python bench/quality_bench.py [--items 100000] [--annotators 5] [--classes 20]

Prints seconds for: guidekit's alpha (nominal, ordinal), Fleiss, Cohen (all pairs), the
per-class one-vs-rest statistics; the krippendorff package's alpha (nominal, ordinal); and
the whole `measure_task` path from a JSON Lines file (reading included). The values of both
implementations are printed side by side.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guidekit.quality import stats as S  # noqa: E402


def timed(label: str, fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    best = float("inf")
    value = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<48} {best:8.3f} s   value {value if np.isscalar(value) else '…'}")
    return value, best


def data(items: int, raters: int, classes: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, classes, items)
    noise = rng.integers(0, classes, (items, raters))
    codes = np.where(rng.random((items, raters)) < 0.7, truth[:, None], noise)
    codes[rng.random((items, raters)) < 0.1] = -1
    return codes


def guideline_yaml(classes: int) -> str:
    names = ", ".join(f"c{i:02d}" for i in range(classes))
    return (
        "guidekit: 1\nid: bench\ntitle: Bench\nversion: 1.0.0\n"
        "brief: {objective: Benchmark agreement.}\n"
        "record: {id: id, fields: {text: {type: text}}}\n"
        f"tasks:\n  label: {{type: single, classes: [{names}]}}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--classes", type=int, default=20)
    parser.add_argument(
        "--skip-package", action="store_true", help="Do not run the krippendorff package."
    )
    args = parser.parse_args()
    n, m, k = args.items, args.annotators, args.classes
    print(f"{n} items x {m} annotators x {k} classes, 10% ratings missing\n")
    codes = data(n, m, k)

    counts, _ = timed("value counts (units x classes)", lambda: S.value_counts(codes, k))
    timed(
        "guidekit alpha nominal (incl. counting)",
        lambda: S.alpha(S.value_counts(codes, k), "nominal"),
    )
    timed(
        "guidekit alpha ordinal (incl. counting)",
        lambda: S.alpha(S.value_counts(codes, k), "ordinal"),
    )
    timed("guidekit Fleiss kappa", lambda: S.fleiss_kappa(counts))
    pairs = S.rater_pairs(codes)
    timed(
        f"guidekit Cohen kappa, {len(pairs)} pairs",
        lambda: float(np.mean([S.cohen_kappa(codes[:, a], codes[:, b], k) for a, b in pairs])),
    )
    timed(
        "guidekit per-class alpha + Fleiss + specific",
        lambda: (S.alpha_binary(counts), S.fleiss_binary(counts), S.specific_agreement(counts))[0][
            0
        ],
    )
    rng = np.random.default_rng(0)
    lo_hi, _ = timed(
        "guidekit alpha nominal, 1000-sample bootstrap",
        lambda: S.bootstrap(lambda w: S.alpha(counts, w=w), n, samples=1000, seed=0),
        repeat=1,
    )
    del rng
    print(f"{'':<48}            interval {lo_hi[0]:.4f}-{lo_hi[1]:.4f}")

    if not args.skip_package:
        import krippendorff

        rel = np.where(codes < 0, np.nan, codes).T.astype(float)
        timed(
            "krippendorff package alpha nominal",
            lambda: krippendorff.alpha(rel, level_of_measurement="nominal"),
            repeat=1,
        )
        timed(
            "krippendorff package alpha ordinal",
            lambda: krippendorff.alpha(
                rel, level_of_measurement="ordinal", value_domain=list(range(k))
            ),
            repeat=1,
        )

    # the whole path: JSON Lines -> records -> matrix -> statistics
    from guidekit.compiler.pipeline import load
    from guidekit.quality.agreement import Options, measure_task
    from guidekit.quality.ratings import read_annotations

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "g"
        project.mkdir()
        (project / "guideline.yaml").write_text(guideline_yaml(k))
        path = Path(tmp) / "ann.jsonl"
        with path.open("wb") as f:
            for u in range(n):
                for r in range(m):
                    if codes[u, r] >= 0:
                        f.write(
                            orjson.dumps(
                                {
                                    "id": f"i{u}",
                                    "annotator": f"a{r}",
                                    "label": f"c{codes[u, r]:02d}",
                                }
                            )
                            + b"\n"
                        )
        g = load(project)
        records = int((codes >= 0).sum())

        def end_to_end() -> float:
            ann = read_annotations(g, [path])
            result = measure_task(g, ann, g.tasks["label"], Options())
            return result.stat("krippendorff_alpha").value  # type: ignore[union-attr,return-value]

        timed(f"measure_task from JSON Lines ({records} records)", end_to_end, repeat=1)


if __name__ == "__main__":
    main()
