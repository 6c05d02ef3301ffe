"""Pooled proportions against R's metafor, and exact intervals against scipy's binomial test.

The reference figures were computed with R 4 and metafor 3.8-1 (Debian's r-cran-metafor):
`res <- rma(measure = "PLO", xi = x, ni = n, method = "DL"); predict(res, transf = transf.ilogit)`,
`res$tau2`, `res$I2`, `res$QE`, `res$QEp`, `weights(res)` -- the same model as
`meta::metaprop(x, n, sm = "PLOGIT", method = "Inverse", method.tau = "DL")`. The last test runs R
itself where it is installed (apt-get install -y r-cran-metafor) and skips where it is not.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import numpy as np
import pytest
from scipy.stats import binomtest
from statsmodels.stats.meta_analysis import combine_effects

from evidence_tables.db.proportions import exact_ci, logits, pool_proportions

# name: (events, totals, pooled %, CI low %, CI high %, tau², I² %, Q, p, weights %)
METAFOR = {
    # seven polatuzumab-based salvage series (written for this test): tau² > 0
    "seven series": (
        [16, 21, 9, 27, 12, 35, 18],
        [40, 52, 33, 64, 21, 110, 42],
        38.7020898307,
        33.0548960353,
        44.6702981590,
        0.0222772566,
        20.3381638043,
        7.5318374350,
        0.2744459066,
        [12.443717, 15.402498, 8.988216, 18.223400, 7.260152, 24.515160, 13.166856],
    ),
    # two series whose DerSimonian-Laird tau² is below 0: truncated, the fixed-effect estimate
    "tau2 truncated": (
        [20, 33],
        [52, 71],
        43.1395749569,
        34.6563639156,
        52.0453852939,
        0.0,
        0.0,
        0.7847436149,
        0.3756942886,
        [41.067168, 58.932832],
    ),
    # 0 and all events: 0.5 added to events and non-events of those two
    "0 and all events": (
        [0, 14, 5, 9],
        [12, 14, 20, 25],
        36.9092898984,
        11.7101661767,
        72.0702133707,
        1.4750040788,
        74.4275183769,
        11.7313604687,
        0.0083624152,
        [16.127427, 16.177641, 32.918431, 34.776501],
    ),
    # a published data set: Pritz (1997), metafor's dat.pritz1997 (14 case series; two with all events)
    "Pritz 1997": (
        [16, 10, 4, 43, 10, 25, 13, 12, 22, 4, 5, 18, 58, 6],
        [17, 12, 8, 58, 10, 42, 14, 12, 41, 5, 6, 23, 68, 10],
        75.7306614841,
        66.0566937418,
        83.3427630797,
        0.3615582772,
        56.3544796584,
        29.7854164603,
        0.0050566412,
        [
            4.075039,
            6.035092,
            6.735577,
            12.853466,
            2.362057,
            12.604956,
            4.034180,
            2.376799,
            12.625178,
            3.600920,
            3.716219,
            9.403601,
            12.120085,
            7.456832,
        ],
    ),
}


@pytest.mark.parametrize("name", list(METAFOR), ids=list(METAFOR))
def test_pooled_proportion_equals_metafor(name):
    events, totals, est, low, high, tau2, i2, q, p, weights = METAFOR[name]
    got = pool_proportions(events, totals)
    assert got.k == len(events) and got.q_df == len(events) - 1
    assert 100 * got.estimate == pytest.approx(est, abs=1e-7)
    assert (100 * got.ci_low, 100 * got.ci_high) == pytest.approx((low, high), abs=1e-7)
    assert got.tau2 == pytest.approx(tau2, abs=1e-9)
    assert 100 * got.i2 == pytest.approx(i2, abs=1e-7)
    assert (got.q, got.q_p) == pytest.approx((q, p), abs=1e-8)
    assert [100 * w for w in got.weights] == pytest.approx(weights, abs=1e-5)


def test_statsmodels_alone_does_not_truncate_tau2():
    """Why the truncation is ours: combine_effects leaves tau² negative, and its random-effects estimate moves."""
    y, v, _ = logits([20, 33], [52, 71])
    raw = combine_effects(y, v, method_re="dl", use_t=False)
    assert raw.tau2 < 0 and raw.i2 < 0
    untruncated = 100 / (1 + np.exp(-raw.mean_effect_re))
    assert untruncated == pytest.approx(43.34, abs=0.01)
    assert 100 * pool_proportions([20, 33], [52, 71]).estimate == pytest.approx(43.14, abs=0.01)


def test_identical_studies_have_no_heterogeneity():
    got = pool_proportions([10, 10, 10], [20, 20, 20])
    assert (got.estimate, got.tau2, got.i2, got.q, got.q_p) == pytest.approx(
        (0.5, 0.0, 0.0, 0.0, 1.0)
    )


def test_the_continuity_correction_is_said_per_study():
    assert pool_proportions([0, 5, 7], [10, 10, 7]).corrected == (True, False, True)
    y, v, corrected = logits([0], [10])
    assert (
        corrected.tolist() == [True]
        and y[0] == pytest.approx(np.log(0.5 / 10.5))
        and v[0] == pytest.approx(2 + 1 / 10.5)
    )


def test_one_study_is_not_pooled():
    with pytest.raises(ValueError, match="two or more"):
        pool_proportions([3], [10])


@pytest.mark.parametrize("n", [1, 7, 40, 153])
def test_exact_intervals_are_scipys_clopper_pearson(n):
    events = list(range(n + 1))
    low, high = exact_ci(events, [n] * len(events))
    for x, lo, hi in zip(events, low, high):
        ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="exact")
        assert (lo, hi) == pytest.approx((ci.low, ci.high), abs=1e-9)


R_SCRIPT = """
suppressMessages(library(metafor))
d <- jsonlite::fromJSON(file("stdin"))
out <- lapply(seq_along(d$x), function(i) {
  res <- rma(measure = "PLO", xi = d$x[[i]], ni = d$n[[i]], method = "DL")
  p <- predict(res, transf = transf.ilogit)
  c(100 * p$pred, 100 * p$ci.lb, 100 * p$ci.ub, res$tau2, res$I2, res$QE, res$QEp)
})
cat(jsonlite::toJSON(out, digits = NA))
"""


def test_random_reviews_agree_with_metafor_where_r_is_installed():
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("R is not installed (apt-get install -y r-cran-metafor)")
    check = subprocess.run(
        [rscript, "-e", "library(metafor); library(jsonlite)"], capture_output=True
    )
    if check.returncode != 0:
        pytest.skip("R's metafor or jsonlite is not installed (apt-get install -y r-cran-metafor)")
    rng = random.Random(19)
    cases = []
    for _ in range(40):
        k = rng.randint(2, 12)
        totals = [rng.randint(5, 150) for _ in range(k)]
        cases.append(
            (
                [
                    rng.choice([0, n, rng.randint(0, n)])
                    if rng.random() < 0.2
                    else rng.randint(0, n)
                    for n in totals
                ],
                totals,
            )
        )
    payload = json.dumps({"x": [c[0] for c in cases], "n": [c[1] for c in cases]})
    result = subprocess.run(
        [rscript, "-e", R_SCRIPT], input=payload, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    for (events, totals), ref in zip(cases, json.loads(result.stdout)):
        got = pool_proportions(events, totals)
        mine = [
            100 * got.estimate,
            100 * got.ci_low,
            100 * got.ci_high,
            got.tau2,
            100 * got.i2,
            got.q,
            got.q_p,
        ]
        assert mine == pytest.approx(ref, rel=1e-6, abs=1e-8), (events, totals)
