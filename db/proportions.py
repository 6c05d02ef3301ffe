"""Proportions, one study at a time and pooled: exact (Clopper-Pearson) intervals, and the random-effects
pooled proportion on the logit scale.

The pooled proportion is what R's `metafor::rma(measure = "PLO", method = "DL")` and
`meta::metaprop(sm = "PLOGIT", method = "Inverse", method.tau = "DL")` compute: each study's logit
(events + 0.5 and non-events + 0.5 where it has 0 or all events), weighted by inverse variance with
the DerSimonian-Laird between-study variance tau², which is truncated at 0. statsmodels'
`combine_effects` does the weighting, but leaves a negative tau² as it is; where its tau² is below 0
the truncated model is the fixed-effect one, whose estimate it also returns, so that is used.
Proportions here are fractions (0-1); callers show percent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LEVEL = 0.95
CONTINUITY = 0.5  # added to events and non-events of a study with 0 or all events


@dataclass(frozen=True, slots=True, kw_only=True)
class PooledProportion:
    """A random-effects pooled proportion (fractions) with its heterogeneity.

    `weights` are the studies' relative weights in the pooled estimate (they sum to 1),
    `corrected` says which studies got the continuity correction."""

    k: int
    estimate: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    q: float
    q_df: int
    q_p: float
    weights: tuple[float, ...]
    corrected: tuple[bool, ...]
    level: float = LEVEL


def exact_ci(
    events: np.ndarray | list[int], totals: np.ndarray | list[int], level: float = LEVEL
) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson intervals (fractions) for events out of totals, element by element.

    The beta quantiles scipy.stats.binomtest(...).proportion_ci(method="exact") gives, from
    scipy.special.betaincinv so that reading a table does not load scipy.stats; 0 events have
    a lower bound of 0, all events an upper bound of 1."""
    from scipy.special import betaincinv  # noqa: PLC0415  (only when intervals are asked for)

    x = np.asarray(events, dtype=float)
    n = np.asarray(totals, dtype=float)
    alpha = 1.0 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(x > 0, betaincinv(x, n - x + 1, alpha / 2), 0.0)
        high = np.where(x < n, betaincinv(x + 1, n - x, 1 - alpha / 2), 1.0)
    return low, high


def logits(
    events: np.ndarray | list[int], totals: np.ndarray | list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each study's logit proportion and its variance (1/events + 1/non-events), and whether the
    continuity correction was needed (0 or all events: 0.5 added to both, as metafor and meta do)."""
    x = np.asarray(events, dtype=float)
    n = np.asarray(totals, dtype=float)
    corrected = (x == 0) | (x == n)
    add = np.where(corrected, CONTINUITY, 0.0)
    hits, misses = x + add, n - x + add
    return np.log(hits / misses), 1.0 / hits + 1.0 / misses, corrected


def expit(value: float) -> float:
    return float(1.0 / (1.0 + np.exp(-value)))


def pool_proportions(
    events: list[int], totals: list[int], level: float = LEVEL
) -> PooledProportion:
    """The DerSimonian-Laird random-effects pooled proportion of two or more studies (logit scale,
    inverse variance, tau² truncated at 0), its CI (normal quantiles on the logit scale, then back),
    I², tau², Cochran's Q with its chi-square p-value, and each study's weight."""
    from scipy.stats import chi2, norm  # noqa: PLC0415  (heavy: only when pooling)
    from statsmodels.stats.meta_analysis import combine_effects  # noqa: PLC0415

    if len(events) != len(totals) or len(events) < 2:
        raise ValueError("pooling needs two or more studies, each with events and a total")
    y, v, corrected = logits(events, totals)
    with np.errstate(divide="ignore", invalid="ignore"):  # statsmodels divides by Q, which may be 0
        fit = combine_effects(y, v, method_re="dl", use_t=False, alpha=1.0 - level)
    k, q = len(y), float(fit.q)
    df = k - 1
    if fit.tau2 > 0:
        tau2, mean, se, weights = (
            float(fit.tau2),
            fit.mean_effect_re,
            fit.sd_eff_w_re,
            fit.weights_rel_re,
        )
    else:  # truncated at 0: the random-effects model is the fixed-effect one
        tau2, mean, se, weights = 0.0, fit.mean_effect_fe, fit.sd_eff_w_fe, fit.weights_rel_fe
    crit = float(norm.isf((1.0 - level) / 2))
    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0  # for DerSimonian-Laird, metafor's I²
    return PooledProportion(
        k=k,
        estimate=expit(mean),
        ci_low=expit(mean - crit * se),
        ci_high=expit(mean + crit * se),
        tau2=tau2,
        i2=i2,
        q=q,
        q_df=df,
        q_p=float(chi2.sf(q, df)),
        weights=tuple(float(w) for w in weights),
        corrected=tuple(bool(c) for c in corrected),
        level=level,
    )


__all__ = [
    "CONTINUITY",
    "LEVEL",
    "PooledProportion",
    "exact_ci",
    "expit",
    "logits",
    "pool_proportions",
]
