"""Charts as inline SVG, drawn with matplotlib (the ``reports`` extra).

SVG keeps a report small (a few kB per chart, against megabytes of JavaScript for an
interactive plotting bundle) and self-contained. Output is made deterministic: a fixed hash
salt for element ids, no creation date, text kept as text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from guidekit.diagnostics.codes import diag
from guidekit.errors import GuidekitError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")


def _pyplot() -> ModuleType:
    """``matplotlib.pyplot`` on the Agg backend (imported late: matplotlib is optional)."""
    try:
        import matplotlib
    except ImportError:
        raise GuidekitError(
            diag(
                "GK601",
                "HTML reports with charts need matplotlib",
                hint="pip install 'guidekit[reports]', or use --format markdown or json",
            )
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "guidekit",
            "svg.fonttype": "none",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _svg(fig: Figure) -> str:
    plt = _pyplot()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    start, end = text.find(" <metadata>"), text.find("</metadata>")
    if start != -1 and end != -1:  # RDF boilerplate: nothing a reader needs
        text = text[:start] + text[end + len("</metadata>") :].lstrip("\n")
    return text


def distribution(
    classes: Sequence[str],
    shares: Sequence[float],
    bounds: Sequence[tuple[float | None, float | None]],
    title: str,
) -> str:
    """Horizontal bars of class shares with the declared bounds as a shaded band."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(classes) + 0.9))
    y = list(range(len(classes)))
    colors = []
    for s, (lo, hi) in zip(shares, bounds, strict=True):
        outside = (lo is not None and s < lo) or (hi is not None and s > hi)
        colors.append(PALETTE[3] if outside else PALETTE[0])
    ax.barh(y, shares, color=colors, height=0.6)
    for i, (lo, hi) in enumerate(bounds):
        if lo is None and hi is None:
            continue
        a = lo if lo is not None else 0.0
        b = hi if hi is not None else 1.0
        ax.plot([a, b], [i, i], color="#333333", linewidth=1)
        for x in (lo, hi):
            if x is not None:
                ax.plot([x, x], [i - 0.35, i + 0.35], color="#333333", linewidth=1.5)
    ax.set_yticks(y, labels=list(classes))
    ax.invert_yaxis()
    ax.set_xlim(0, max(1e-9, max([*shares, *(b for _, b in bounds if b is not None), 0.0])) * 1.15)
    ax.set_xlabel("share of labelled records (bars; red: outside the declared bounds)")
    ax.set_title(title, loc="left")
    return _svg(fig)


def intervals(
    classes: Sequence[str],
    values: Sequence[float | None],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    title: str,
    xlabel: str,
    threshold: float | None = None,
) -> str:
    """Points with confidence intervals per class (a forest plot)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(classes) + 0.9))
    for i, (v, lo, hi) in enumerate(zip(values, lows, highs, strict=True)):
        if v is None:
            continue
        if lo is not None and hi is not None:
            ax.plot([lo, hi], [i, i], color=PALETTE[0], linewidth=2)
        ax.plot([v], [i], "o", color=PALETTE[0])
    if threshold is not None:
        ax.axvline(threshold, color=PALETTE[3], linestyle="--", linewidth=1)
    ax.set_yticks(range(len(classes)), labels=list(classes))
    ax.set_ylim(len(classes) - 0.5, -0.5)
    finite = [x for x in (*values, *lows, *highs) if x is not None]
    low = min([*finite, 0.0])
    ax.set_xlim(min(low, 0.0) - 0.05, 1.05)
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    return _svg(fig)


def heatmap(
    labels: Sequence[str], matrix: Sequence[Sequence[float]], title: str, xlabel: str, ylabel: str
) -> str:
    """A labelled heatmap of a square matrix (confusion or coincidences)."""
    plt = _pyplot()
    n = len(labels)
    size = min(9.0, 1.2 + 0.55 * n)
    fig, ax = plt.subplots(figsize=(size, size * 0.85))
    im = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(n), labels=list(labels), rotation=45, ha="right")
    ax.set_yticks(range(n), labels=list(labels))
    top = max((max(r) for r in matrix), default=0) or 1
    if n <= 20:
        for i in range(n):
            for j in range(n):
                v = matrix[i][j]
                ax.text(
                    j,
                    i,
                    f"{v:g}" if float(v).is_integer() else f"{v:.1f}",
                    ha="center",
                    va="center",
                    color="white" if v > top / 2 else "#222222",
                    fontsize=8,
                )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    fig.colorbar(im, ax=ax, shrink=0.8)
    return _svg(fig)
