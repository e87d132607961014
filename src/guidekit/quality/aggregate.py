"""Label aggregation on arrays: majority vote, weighted vote and Dawid–Skene.

Every method takes one classification problem as *ratings*: three integer arrays of the
same length, ``item[t]``, ``rater[t]`` and ``label[t]`` (one entry per rating; a rater may
rate an item more than once, as observer 1 of Dawid & Skene 1979 did, and each rating then
counts). It returns an :class:`Aggregate`: per item a distribution over the classes (the
confidence), the winning class or ``-1`` where the top classes tie, and which classes tie.

* **Majority vote**: the distribution is the share of the votes. A tie is never broken
  silently: the item is left unresolved with the tied classes, unless ties are broken at
  random (``ties="random"``), which draws uniformly among the tied classes with
  ``numpy.random.default_rng(seed)``, one draw per tied item in item order.
* **Weighted vote**: the same with each vote weighted by its rater's weight.
  :func:`quality_weights` turns accuracies into the weights that are optimal when each
  rater is right with probability ``p`` and otherwise picks a wrong class uniformly:
  ``log((K - 1) p / (1 - p))``, clipped at 0 (a rater at or below chance gets no say).
* **Dawid–Skene** (Dawid & Skene 1979): maximum likelihood by EM of the class priors and one
  confusion matrix per rater, ``conf[r, true, given]``. It starts from the majority-vote
  shares (the paper's own start), alternates M and E steps and stops when the
  log-likelihood changes by at most ``tol`` times its size (relative), or after
  ``max_iter`` iterations; :class:`Convergence` says which. It is deterministic: no random
  start, so the same data gives the same estimates.

All steps are vectorised over ratings with ``numpy.bincount``: one pass costs O(ratings x K)
time and O((items + ratings) x K) memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]
Ties = Literal["report", "random"]

#: A probability below this is treated as zero when taking logarithms.
TINY = 1e-300


@dataclass(frozen=True, slots=True)
class Ratings:
    """One classification problem: ``n_items`` items, ``n_raters`` raters, ``n_classes``
    classes, and one entry per rating in ``item``, ``rater`` and ``label``."""

    item: IntArray
    rater: IntArray
    label: IntArray
    n_items: int
    n_raters: int
    n_classes: int

    @staticmethod
    def of(
        item: IntArray | list[int],
        rater: IntArray | list[int],
        label: IntArray | list[int],
        n_items: int | None = None,
        n_raters: int | None = None,
        n_classes: int | None = None,
    ) -> Ratings:
        i = np.asarray(item, dtype=np.int64)
        r = np.asarray(rater, dtype=np.int64)
        lab = np.asarray(label, dtype=np.int64)
        if not (i.shape == r.shape == lab.shape) or i.ndim != 1:
            raise ValueError("item, rater and label must be 1-D arrays of the same length")

        def size(a: IntArray, n: int | None) -> int:
            return n if n is not None else (int(a.max()) + 1 if a.size else 0)

        return Ratings(i, r, lab, size(i, n_items), size(r, n_raters), size(lab, n_classes))


@dataclass(frozen=True, slots=True)
class Convergence:
    iterations: int
    log_likelihood: float
    tolerance: float
    converged: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "iterations": self.iterations,
            "log_likelihood": self.log_likelihood,
            "tolerance": self.tolerance,
            "converged": self.converged,
        }


@dataclass(frozen=True, slots=True)
class Aggregate:
    """What a method concluded. ``posterior[i]`` sums to 1 (vote shares for the votes, the
    posterior class probabilities for Dawid–Skene); ``winner[i]`` is ``-1`` where the top
    classes tie (``tied[i]`` marks them); ``broken[i]`` where a tie was broken at random."""

    posterior: Array
    winner: IntArray
    tied: NDArray[np.bool_]
    broken: NDArray[np.bool_]
    votes: IntArray
    priors: Array | None = None
    confusion: Array | None = None
    convergence: Convergence | None = None

    @property
    def confidence(self) -> Array:
        """The probability (share) of the winning class; of the top class where tied."""
        return np.asarray(self.posterior.max(axis=1), dtype=np.float64)

    @property
    def unresolved(self) -> int:
        return int((self.winner < 0).sum())


def counts(ratings: Ratings, weights: Array | None = None) -> Array:
    """``(n_items, n_classes)`` votes per class (weighted by rater when ``weights``)."""
    k = ratings.n_classes
    w = None if weights is None else weights[ratings.rater]
    flat = np.bincount(ratings.item * k + ratings.label, weights=w, minlength=ratings.n_items * k)
    return np.asarray(flat, dtype=np.float64).reshape(ratings.n_items, k)


def _decide(
    scores: Array, votes: IntArray, ties: Ties, seed: int, rel: float
) -> tuple[IntArray, NDArray[np.bool_], NDArray[np.bool_]]:
    top = scores.max(axis=1, keepdims=True)
    tied = scores >= top - rel * np.abs(top)
    tied &= top > 0
    n_top = tied.sum(axis=1)
    winner = np.where(n_top == 1, scores.argmax(axis=1), -1).astype(np.int64)
    winner[votes == 0] = -1
    broken = np.zeros(len(winner), dtype=bool)
    if ties == "random":
        rows = np.flatnonzero((winner < 0) & (votes > 0))
        if rows.size:
            rng = np.random.default_rng(seed)
            pick = np.floor(rng.random(rows.size) * n_top[rows]).astype(np.int64)
            # the pick-th tied class of each row, in class order
            order = np.cumsum(tied[rows], axis=1) - 1
            hit = tied[rows] & (order == pick[:, None])
            winner[rows] = hit.argmax(axis=1)
            broken[rows] = True
    return winner, np.asarray(tied & (n_top > 1)[:, None]), broken


def _votes(ratings: Ratings) -> IntArray:
    return np.bincount(ratings.item, minlength=ratings.n_items).astype(np.int64)


def majority(ratings: Ratings, *, ties: Ties = "report", seed: int = 0) -> Aggregate:
    return weighted(ratings, None, ties=ties, seed=seed)


def weighted(
    ratings: Ratings, weights: Array | None, *, ties: Ties = "report", seed: int = 0
) -> Aggregate:
    """Weighted vote (``weights[r] >= 0``; ``None``: every vote counts 1)."""
    c = counts(ratings, weights)
    votes = _votes(ratings)
    total = c.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        post = np.where(total > 0, c / np.where(total > 0, total, 1), 1.0 / ratings.n_classes)
    # integer counts tie exactly; weighted sums are compared with a relative tolerance
    rel = 0.0 if weights is None else 1e-12
    winner, tied, broken = _decide(c, votes, ties, seed, rel)
    return Aggregate(post, winner, tied, broken, votes)


def quality_weights(accuracy: Array, n_classes: int) -> Array:
    """Weights ``log((K - 1) p / (1 - p))`` of raters with accuracy ``p``, clipped at 0;
    ``p`` is kept inside ``[0.001, 0.999]`` so a perfect rater has a finite weight."""
    p = np.clip(accuracy, 1e-3, 1 - 1e-3)
    return np.asarray(
        np.maximum(0.0, np.log(max(n_classes - 1, 1) * p / (1 - p))), dtype=np.float64
    )


def agreement_accuracy(ratings: Ratings, truth: IntArray) -> tuple[IntArray, IntArray]:
    """Per rater: ratings of items with a known class (``truth >= 0``) and how many match."""
    known = truth[ratings.item] >= 0
    right = known & (truth[ratings.item] == ratings.label)
    n = np.bincount(ratings.rater[known], minlength=ratings.n_raters)
    k = np.bincount(ratings.rater[right], minlength=ratings.n_raters)
    return n.astype(np.int64), k.astype(np.int64)


def confusions(ratings: Ratings, truth: IntArray) -> IntArray:
    """``(n_raters, K, K)`` counts of ``[rater, true class, given class]`` where known."""
    k = ratings.n_classes
    known = truth[ratings.item] >= 0
    flat = (ratings.rater[known] * k + truth[ratings.item][known]) * k + ratings.label[known]
    out = np.bincount(flat, minlength=ratings.n_raters * k * k)
    return out.astype(np.int64).reshape(ratings.n_raters, k, k)


def _m_step(ratings: Ratings, post: Array) -> tuple[Array, Array]:
    k, a = ratings.n_classes, ratings.n_raters
    priors = post.mean(axis=0)
    conf: Array = np.empty((a, k, k))
    key = ratings.rater * k + ratings.label
    for j in range(k):
        conf[:, j, :] = np.bincount(key, weights=post[ratings.item, j], minlength=a * k).reshape(
            a, k
        )
    mass = conf.sum(axis=2, keepdims=True)
    # a rater who never saw an item of class j says nothing about it: uniform row
    conf = np.where(mass > 0, conf / np.where(mass > 0, mass, 1), 1.0 / k)
    return priors, conf


def _e_step(ratings: Ratings, priors: Array, conf: Array) -> tuple[Array, float]:
    k = ratings.n_classes
    log_conf = np.log(np.maximum(conf, TINY))
    # log P(given label | true class j) of every rating, for every j: (n_ratings, K)
    contrib = log_conf[ratings.rater, :, ratings.label]
    score = np.empty((ratings.n_items, k))
    for j in range(k):
        score[:, j] = np.bincount(ratings.item, weights=contrib[:, j], minlength=ratings.n_items)
    score += np.log(np.maximum(priors, TINY))
    top = score.max(axis=1, keepdims=True)
    expd = np.exp(score - top)
    norm = expd.sum(axis=1, keepdims=True)
    ll = float((top[:, 0] + np.log(norm[:, 0])).sum())
    return expd / norm, ll


def dawid_skene(
    ratings: Ratings,
    *,
    max_iter: int = 200,
    tol: float = 1e-8,
    ties: Ties = "report",
    seed: int = 0,
) -> Aggregate:
    """Dawid & Skene (1979) by EM; see the module docstring."""
    votes = _votes(ratings)
    c = counts(ratings)
    total = c.sum(axis=1, keepdims=True)
    post = np.where(total > 0, c / np.where(total > 0, total, 1), 1.0 / ratings.n_classes)
    ll_prev = -math.inf
    ll = -math.inf
    converged = False
    iterations = 0
    priors, conf = _m_step(ratings, post)
    for step in range(1, max_iter + 1):
        iterations = step
        post, ll = _e_step(ratings, priors, conf)
        if abs(ll - ll_prev) <= tol * max(1.0, abs(ll)):
            converged = True
            break
        ll_prev = ll
        priors, conf = _m_step(ratings, post)
    winner, tied, broken = _decide(post, votes, ties, seed, 1e-12)
    return Aggregate(
        post,
        winner,
        tied,
        broken,
        votes,
        priors=priors,
        confusion=conf,
        convergence=Convergence(iterations, ll, tol, converged),
    )
