"""Method comparison against published examples and scipy's orthogonal distance regression."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from benchlearn.assay.method_comparison import (
    bland_altman,
    compare_methods,
    deming,
    passing_bablok,
)
from benchlearn.errors import DataError, FitError, UsageError

# Serum (x) and plasma (y) creatinine, mg/dL, of 110 heart-surgery patients: the `creatinine`
# data set of R's mcr package (Roche Diagnostics); the two rows with a missing plasma value
# are left out. mcr's printed Passing-Bablok fit (mcreg(..., method.reg = "PaBa",
# method.ci = "analytical")): slope 1.0880089 (95% CI 1.0000000 to 1.173005), intercept
# -0.1171729 (95% CI -0.2001149 to -0.020000). Many samples share a serum value (ties).
CREATININE = """0.82 0.79 1.83 1.62 1.39 1.36 0.81 1.3 1.72 1.88 3.23 3.35 1.23 1.06 1.37 1.34
1.72 1.56 0.96 0.94 0.76 0.69 1.15 1.16 0.95 0.71 1 0.83 1.52 1.44 1.56 1.26 2.45 2.36
1.85 1.9 0.89 0.95 0.82 0.77 1.01 0.82 0.96 0.88 3.38 3.42 1.31 1.15 1.1 0.96 1.26 1.12
1.15 1.02 1.2 1.29 1.01 0.87 1.33 1.13 0.87 0.82 1.66 1.33 1.41 1.14 1.08 0.93 1.17 1.09
1.77 1.89 1.33 1.57 1.23 1.29 1.21 1.13 1.2 1.11 1.49 1.61 0.89 0.79 1.09 1.19 1.03 0.96
1.07 1.25 0.89 0.87 1.39 1.36 0.96 0.86 1.06 1.03 1.17 0.86 0.9 0.8 1.39 1.22 0.91 0.86
2.28 2.25 0.9 0.87 1.34 1.3 1.32 1.04 1.02 0.92 1.04 1.01 1.27 1.21 1.08 1.11 1.1 1.21
1.39 1.54 1.07 0.99 0.79 0.79 1.02 1.06 0.94 1.02 1.99 2.15 0.7 0.56 0.84 1.01 0.66 0.59
1.1 1.17 0.9 0.82 2.06 2.09 1.31 1.44 1.03 1.22 1.61 1.77 1.52 1.6 1.11 1.13 0.85 1.06
1.2 1.38 1.09 1.24 1.27 1.29 2.06 2.08 1.21 1.31 0.77 0.82 1.06 1.28 1.02 1.15 1 1.04
1.47 1.51 0.97 1.13 1.7 1.84 1.78 1.94 0.93 1.32 0.92 1.36 1.59 1.88 0.68 0.73 0.7 0.78
1.08 1.01 0.83 0.9 1.17 1.3 0.98 0.96 0.77 0.61 0.91 1.27 1.1 1.05 0.8 1.12 0.85 0.72
0.82 0.87"""

# Wicklin, R. (2019) "Deming regression for comparing different measurement methods", The DO
# Loop (SAS blog), BloodTest data: a lab test (x, µg/dL) against a device (y, kΩ). Printed
# Deming fit with δ estimated as Var(x)/Var(y): intercept -10.56415, slope 0.354463.
BLOOD = """169.0 45.5 130.8 33.4 109.0 23.8 94.1 19.8 86.3 20.4 78.4 18.7 76.1 16.1 72.2 16.7
70.0 11.9 69.8 14.6 69.5 10.6 68.7 12.7 67.3 16.9 174.7 57.8 137.9 39.0 114.6 30.4 99.8 21.1
90.1 21.7 85.1 25.2 80.7 20.6 78.1 19.3 77.8 20.9 76.0 18.2 77.8 18.3 74.2 15.7 73.1 13.9
182.5 55.5 144.0 38.7 123.8 35.1 107.6 30.6 96.9 25.7 92.8 19.2 87.2 22.4 86.3 18.4 84.4 20.7
83.7 20.6 83.3 20.0 83.9 18.8 82.7 21.8 160.8 49.9 122.7 32.2 102.6 19.2 86.6 14.7 76.1 16.6
69.6 18.8 66.7 7.4 64.4 8.2 63.0 15.5 61.7 13.7 61.2 9.2 62.4 12.0 58.4 15.2 171.3 48.7
136.3 36.1 111.9 28.6 96.5 21.8 90.3 25.6 82.9 16.8 78.1 14.1 76.5 14.2 73.5 11.9 74.4 17.7
73.9 17.6 71.9 10.2 72.0 15.6"""

# Bland & Altman (1986) Lancet i:307-310, Table 1: peak expiratory flow rate (l/min) of 17
# subjects, first reading on the Wright (reference) and the mini Wright meter. Printed: mean
# difference -2.1, SD 38.8, limits (with 2 SD) -79.7 to 75.5; 95% CI of the bias -22.0 to
# 17.8 and of the limits -114.3 to -45.1 and 40.9 to 110.1 (SE of a limit ≈ sqrt(3s²/n)).
WRIGHT = np.array([494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178,
                   423, 427], dtype=float)  # fmt: skip
MINI = np.array([512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259,
                 350, 451], dtype=float)  # fmt: skip


def pairs(text):
    values = np.array(text.split(), dtype=float).reshape(-1, 2)
    return values[:, 0], values[:, 1]


def test_passing_bablok_mcr_convention_reproduces_mcr_on_the_creatinine_data_with_ties():
    x, y = pairs(CREATININE)
    assert x.size == 108 and np.unique(x).size < x.size
    fit = passing_bablok(x, y, convention="mcr")
    # mcr prints 7 significant digits: every printed digit agrees.
    assert round(fit.slope.value, 7) == 1.0880089
    assert round(fit.slope.lower, 7) == 1.0
    assert round(fit.slope.upper, 6) == 1.173005
    assert round(fit.intercept.value, 7) == -0.1171729
    assert round(fit.intercept.lower, 7) == -0.2001149
    assert round(fit.intercept.upper, 6) == -0.02
    assert not fit.proportional_difference and fit.constant_difference
    assert fit.to_dict()["convention"] == "mcr" and "mcr" in fit.slope.interval_convention


def paper_passing_bablok(text, z=1.959963984540054):
    """Passing & Bablok (1983) in exact rational arithmetic, from the printed decimals."""
    values = [Fraction(v) for v in text.split()]
    xs, ys = values[0::2], values[1::2]
    slopes = []
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            dx, dy = xs[j] - xs[i], ys[j] - ys[i]
            if dx == 0 and dy == 0:
                continue
            slope = (math.inf if dy > 0 else -math.inf) if dx == 0 else dy / dx
            if slope != -1:
                slopes.append(slope)
    slopes.sort()
    N, K, n = len(slopes), sum(s < -1 for s in slopes), len(xs)
    b = slopes[(N + 1) // 2 + K - 1] if N % 2 else (slopes[N // 2 + K - 1] + slopes[N // 2 + K]) / 2
    M1 = round((N - z * math.sqrt(n * (n - 1) * (2 * n + 5) / 18)) / 2)
    return float(b), float(slopes[M1 + K - 1]), float(slopes[N - M1 + K]), N


def test_passing_bablok_paper_convention_leaves_out_every_slope_of_exactly_minus_one():
    # 20 pairs of the creatinine data have a slope of exactly -1 in decimal arithmetic. mcr
    # keeps them and judges "≤ -1" in floating point, where only 13 compute as -1 (the
    # printed results depend on that). The paper's rule, read on the recorded decimals,
    # leaves out all 20.
    x, y = pairs(CREATININE)
    b, b_lower, b_upper, N = paper_passing_bablok(CREATININE)
    fit = passing_bablok(x, y)
    assert fit.to_dict()["n_slopes"] == N
    assert fit.slope.value == pytest.approx(b, rel=1e-14)
    assert (fit.slope.lower, fit.slope.upper) == pytest.approx((b_lower, b_upper), rel=1e-14)
    assert fit.intercept.value == pytest.approx(np.median(y - b * x), rel=1e-12)
    assert passing_bablok(x, y, convention="mcr").to_dict()["n_slopes"] == N + 20


def test_ties_and_an_even_count_follow_each_convention():
    # Pairs: slopes 2, 1, 2/3, 0, 1/2 and one tie in x with y falling by 1.
    x, y = np.array([1.0, 2, 2, 4]), np.array([1.0, 3, 2, 3])
    paper = passing_bablok(x, y)
    # The paper: the tie is -∞ (K = 1); sorted -∞, 0, 1/2, 2/3, 1, 2 and N = 6 is even, so
    # b = mean of the 4th and 5th slopes = (2/3 + 1)/2.
    assert paper.slope.value == pytest.approx(5 / 6, rel=1e-15)
    assert paper.to_dict()["K"] == 1
    assert paper.intercept.value == pytest.approx(0.25, rel=1e-14)
    mcr = passing_bablok(x, y, convention="mcr")
    # mcr: the tie is +π/2 (no offset); the doubled index 6 is even, so b is the tangent of
    # the mean of the 3rd and 4th angles, atan(2/3) and π/4.
    assert mcr.slope.value == pytest.approx(np.tan((np.arctan(2 / 3) + np.pi / 4) / 2),
                                            rel=1e-15)  # fmt: skip
    assert mcr.to_dict()["K2"] == 0


@pytest.mark.parametrize("convention", ["passing-bablok-1983", "mcr"])
def test_negative_slopes_with_ties_mirror_the_positive_fit(convention):
    x, y = np.array([1.0, 2, 2, 4]), np.array([1.0, 3, 2, 3])
    up = passing_bablok(x, y, convention=convention)
    down = passing_bablok(x, -y, convention=convention)
    assert down.slope.value == pytest.approx(-up.slope.value, rel=1e-14)
    assert down.intercept.value == pytest.approx(-up.intercept.value, rel=1e-12)


def test_a_slope_of_minus_one_is_left_out_by_the_paper_and_counted_half_by_mcr():
    # Pairs of (1, 2), (2, 4), (2, 3), (3, 3), (5, 6): (2, 4)-(3, 3) has slope exactly -1.
    x, y = np.array([1.0, 2, 2, 3, 5]), np.array([2.0, 4, 3, 3, 6])
    paper = passing_bablok(x, y)
    mcr = passing_bablok(x, y, convention="mcr")
    assert paper.to_dict()["n_slopes"] == 9 and mcr.to_dict()["n_slopes"] == 10
    # mcr's doubled offset: one slope ≤ -1 plus none < -1.
    assert mcr.to_dict()["K2"] == 1
    assert paper.slope.value == pytest.approx(1.0) and mcr.slope.value == pytest.approx(1.0)


def test_a_slope_of_minus_one_between_large_values_is_still_exactly_minus_one():
    # (1999.96 - 2000.03)/(1000.07 - 1000.00) is -1 on the recorded decimals, not in floating
    # point: the paper's rule still leaves it out (5 of the 6 pairs remain).
    x = np.array([1000.00, 1000.07, 1000.10, 1000.20])
    y = np.array([2000.03, 1999.96, 2000.15, 2000.21])
    assert (y[1] - y[0]) / (x[1] - x[0]) != -1
    assert passing_bablok(x, y).to_dict()["n_slopes"] == 5


def test_unknown_passing_bablok_convention_is_refused():
    with pytest.raises(UsageError, match="not one of"):
        passing_bablok([1.0, 2, 3], [1.0, 2, 3], convention="medcalc")


def test_passing_bablok_negative_relation_is_the_mirror_image():
    x, y = pairs(CREATININE)
    up, down = passing_bablok(x, y), passing_bablok(x, -y)
    assert down.slope.value == pytest.approx(-up.slope.value)
    assert (down.slope.lower, down.slope.upper) == pytest.approx((-up.slope.upper,
                                                                   -up.slope.lower))  # fmt: skip
    assert down.intercept.value == pytest.approx(-up.intercept.value)
    assert down.flags == ("mirrored",) and up.flags == ()


def test_passing_bablok_ties_in_x_count_as_infinite_slopes_and_identical_pairs_are_dropped():
    x = np.array([1.0, 1.0, 2.0, 3.0, 3.0, 4.0])
    y = np.array([1.0, 1.2, 2.1, 3.0, 3.0, 4.1])
    fit = passing_bablok(x, y)
    # 15 pairs: one identical pair (3, 3) left out, one tie in x with a rising y (+∞).
    assert fit.to_dict()["n_slopes"] == 14
    assert fit.slope.lower <= fit.slope.value <= fit.slope.upper


def test_deming_reproduces_the_published_fit():
    x, y = pairs(BLOOD)
    fit = deming(x, y, error_ratio=x.var(ddof=1) / y.var(ddof=1))
    assert fit.intercept.value == pytest.approx(-10.56415, abs=5e-6)
    assert fit.slope.value == pytest.approx(0.354463, abs=5e-7)


@pytest.mark.parametrize("ratio", [1.0, 0.25, 4.0])
def test_deming_equals_scipy_orthogonal_distance_regression(ratio):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        odr = pytest.importorskip("scipy.odr")
    x, y = pairs(BLOOD)
    data = odr.RealData(x, y, sx=np.ones_like(x), sy=np.sqrt(ratio) * np.ones_like(y))
    reference = odr.ODR(data, odr.unilinear, beta0=[1.0, 0.0], sstol=1e-15, partol=1e-15).run()
    fit = deming(x, y, error_ratio=ratio)
    assert fit.slope.value == pytest.approx(reference.beta[0], rel=1e-7)
    assert fit.intercept.value == pytest.approx(reference.beta[1], rel=1e-6)
    # Jackknife and ODR's asymptotic standard errors estimate the same spread.
    assert fit.slope.std_error == pytest.approx(reference.sd_beta[0], rel=0.35)


def test_deming_analytical_interval_reproduces_mcr_on_the_creatinine_data():
    # R mcr's own test of mc.deming(serum, plasma, error.ratio = 1) on the 108 complete
    # creatinine pairs: b0 = -0.05891341, b1 = 1.054539, se.b0 = 0.04604315,
    # se.b1 = 0.03534361 (Strike's standard errors, mcreg's method.ci = "analytical").
    x, y = pairs(CREATININE)
    fit = deming(x, y, ci="analytical")
    assert round(fit.intercept.value, 8) == -0.05891341
    assert round(fit.slope.value, 6) == 1.054539
    assert round(fit.intercept.std_error, 8) == 0.04604315
    assert round(fit.slope.std_error, 8) == 0.03534361
    t = stats.t.ppf(0.975, 106)
    assert fit.slope.lower == pytest.approx(fit.slope.value - t * 0.03534361, abs=1e-8)
    assert "Strike 1991" in fit.slope.interval_convention
    assert fit.to_dict()["interval_method"] == "analytical"


def test_deming_jackknife_interval_equals_a_jackknife_of_scipy_odr_fits():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        odr = pytest.importorskip("scipy.odr")
    x, y = pairs(BLOOD)
    ratio = 2.0

    def odr_fit(xs, ys):
        data = odr.RealData(xs, ys, sx=np.ones_like(xs), sy=np.sqrt(ratio) * np.ones_like(ys))
        out = odr.ODR(data, odr.unilinear, beta0=[0.3, -10.0], sstol=1e-15, partol=1e-15).run()
        return out.beta[::-1]  # intercept, slope

    n = x.size
    loo = np.array([odr_fit(np.delete(x, i), np.delete(y, i)) for i in range(n)])
    se = np.sqrt((n - 1) / n * np.sum((loo - loo.mean(axis=0)) ** 2, axis=0))
    fit = deming(x, y, error_ratio=ratio)
    assert fit.intercept.std_error == pytest.approx(se[0], rel=1e-5)
    assert fit.slope.std_error == pytest.approx(se[1], rel=1e-5)
    t = stats.t.ppf(0.975, n - 2)
    assert fit.slope.upper == pytest.approx(odr_fit(x, y)[1] + t * se[1], rel=1e-6)


def test_weighted_deming_reproduces_mcr_on_the_creatinine_data():
    # R mcr's test of mc.wdemingConstCV(serum, plasma, error.ratio = 1), Linnet's (1990)
    # iteration stopped when both coefficients move by less than 1e-6:
    # b1 = 1.111956340733, b0 = -0.1254944949597.
    x, y = pairs(CREATININE)
    mcr = deming(x, y, weighted=True, tol=1e-6, max_iter=30)
    assert round(mcr.slope.value, 12) == 1.111956340733
    assert round(mcr.intercept.value, 13) == -0.1254944949597
    converged = deming(x, y, weighted=True)
    assert converged.slope.value == pytest.approx(1.111956340733, abs=1e-7)
    assert converged.method == "Weighted Deming"
    assert "Linnet 1990" in converged.slope.convention
    assert converged.slope.lower < converged.slope.value < converged.slope.upper


def test_weighted_deming_is_the_orthogonal_fit_with_its_own_weights():
    # At convergence, weighted Deming is scipy's ODR with each sample's error SDs fixed at
    # its estimated true level (σ_x = level, σ_y = sqrt(δ)·level).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        odr = pytest.importorskip("scipy.odr")
    x, y = pairs(CREATININE)
    delta = 1.5
    fit = deming(x, y, error_ratio=delta, weighted=True, tol=1e-13)
    a, b, lam = fit.intercept.value, fit.slope.value, 1 / delta
    d = y - (a + b * x)
    level = ((x + lam * b * d / (1 + lam * b * b)) + lam * (y - d / (1 + lam * b * b))) / (1 + lam)
    data = odr.RealData(x, y, sx=level, sy=np.sqrt(delta) * level)
    reference = odr.ODR(data, odr.unilinear, beta0=[1.0, 0.0], sstol=1e-15, partol=1e-15).run()
    assert b == pytest.approx(reference.beta[0], rel=1e-7)
    assert a == pytest.approx(reference.beta[1], rel=1e-6)


def test_deming_options_that_cannot_work_are_refused():
    x, y = pairs(CREATININE)
    with pytest.raises(UsageError, match="not one of"):
        deming(x, y, ci="bootstrap")
    with pytest.raises(UsageError, match="no analytical interval"):
        deming(x, y, weighted=True, ci="analytical")
    with pytest.raises(DataError, match="sample 2 is negative"):
        deming([1.0, -2, 3, 4], [1.1, 2, 3, 4], weighted=True)
    with pytest.raises(FitError, match="did not converge"):
        deming(x, y, weighted=True, tol=0.0, max_iter=3)


def test_deming_error_ratio_from_replicates():
    rng = np.random.default_rng(7)
    truth = rng.uniform(1, 10, 40)
    x_reps = truth[:, None] + rng.normal(0, 0.2, (40, 2))
    y_reps = 0.5 + 1.1 * truth[:, None] + rng.normal(0, 0.4, (40, 3))
    fit = deming(None, None, x_replicates=x_reps, y_replicates=y_reps)
    var_x = np.mean(np.var(x_reps, axis=1, ddof=1)) / 2
    var_y = np.mean(np.var(y_reps, axis=1, ddof=1)) / 3
    assert fit.to_dict()["error_ratio"] == pytest.approx(var_y / var_x)
    expected = deming(x_reps.mean(1), y_reps.mean(1), error_ratio=var_y / var_x)
    assert fit.slope.value == pytest.approx(expected.slope.value)
    assert fit.slope.lower < 1.1 < fit.slope.upper


def test_bland_altman_reproduces_the_1986_lancet_example():
    # The paper's differences are Wright minus mini: the mini meter in the reference slot.
    flipped = bland_altman(MINI, WRIGHT, multiplier=2, limits_ci="bland-altman-1986")
    assert round(flipped.bias.value, 1) == -2.1
    assert round(flipped.sd.value, 1) == 38.8
    # Printed from the rounded -2.1 ± 2 × 38.8; the unrounded limits are -79.65 and 75.41.
    assert flipped.lower_limit.value == pytest.approx(-79.7, abs=0.06)
    assert flipped.upper_limit.value == pytest.approx(75.5, abs=0.1)
    assert (round(flipped.bias.lower, 1), round(flipped.bias.upper, 1)) == (-22.0, 17.8)
    # The paper multiplied a rounded SE (16.3) by t = 2.12: within 0.2 of its limits.
    assert flipped.lower_limit.lower == pytest.approx(-114.3, abs=0.2)
    assert flipped.lower_limit.upper == pytest.approx(-45.1, abs=0.2)
    assert flipped.upper_limit.lower == pytest.approx(40.9, abs=0.2)
    assert flipped.upper_limit.upper == pytest.approx(110.1, abs=0.2)


def test_bland_altman_1999_limit_intervals_use_the_exact_variance():
    result = bland_altman(WRIGHT, MINI)
    n, sd = 17, result.sd.value
    assert result.upper_limit.std_error == pytest.approx(sd * np.sqrt(1 / n + 1.96**2 / (2 * 16)))
    assert result.upper_limit.value == pytest.approx(result.bias.value + 1.96 * sd)


@pytest.mark.parametrize(("n", "factor"), [(10, 2.911), (20, 2.396)])
def test_exact_limit_intervals_use_the_tabulated_one_sided_tolerance_factors(n, factor):
    # One-sided normal tolerance factors K for proportion P = 0.95 and confidence 0.95
    # (Natrella 1963, NBS Handbook 91, Table A-7): 2.911 for n = 10, 2.396 for n = 20. The
    # exact upper bound of the 90% interval of the limit bias + z_0.95·SD is bias + K·SD.
    d = np.random.default_rng(n).normal(0, 1, n)
    result = bland_altman(np.zeros(n), d, multiplier=stats.norm.ppf(0.95), level=0.90,
                          limits_ci="carkeet-2015-exact")  # fmt: skip
    k = (result.upper_limit.upper - result.bias.value) / result.sd.value
    assert round(k, 3) == factor
    assert (result.bias.value - result.lower_limit.lower) / result.sd.value == pytest.approx(k)


def test_exact_limit_intervals_have_exactly_their_coverage():
    # P(limit ≤ d̄ + k·s) integrated over the chi distribution of s/σ: exactly 1 - α/2 at the
    # upper bound and α/2 at the lower bound of the upper limit's interval.
    from scipy import integrate

    n, z = len(WRIGHT), 1.96
    result = bland_altman(WRIGHT, MINI, limits_ci="carkeet-2015-exact")
    d_bar, s = result.bias.value, result.sd.value

    def coverage(k):
        def integrand(u):  # u = s/σ, (n - 1)u² ~ χ²(n - 1)
            density = stats.chi2.pdf((n - 1) * u * u, n - 1) * 2 * (n - 1) * u
            return stats.norm.sf(np.sqrt(n) * (z - k * u)) * density

        return integrate.quad(integrand, 0, np.inf, epsabs=1e-12)[0]

    upper = result.upper_limit
    assert coverage((upper.upper - d_bar) / s) == pytest.approx(0.975, abs=1e-8)
    assert coverage((upper.lower - d_bar) / s) == pytest.approx(0.025, abs=1e-8)


def test_exact_limit_intervals_on_the_1986_peak_flow_data_are_wider_outside():
    # Bland & Altman's approximate intervals (1986: ±t·sqrt(3s²/n), printed -114.3 to -45.1
    # and 40.9 to 110.1 for the limits -79.7 and 75.5) are symmetric; the exact ones reach
    # further out (n = 17 < 40, Carkeet 2015) and stay closer in.
    approximate = bland_altman(MINI, WRIGHT, multiplier=2, limits_ci="bland-altman-1986")
    exact = bland_altman(MINI, WRIGHT, multiplier=2, limits_ci="carkeet-2015-exact")
    assert exact.upper_limit.value == approximate.upper_limit.value
    assert exact.upper_limit.upper > approximate.upper_limit.upper
    assert exact.upper_limit.lower > approximate.upper_limit.lower
    assert exact.lower_limit.lower < approximate.lower_limit.lower
    assert exact.upper_limit.std_error is None
    assert "Carkeet 2015" in exact.upper_limit.interval_convention
    assert "noncentral t" in exact.upper_limit.interval_convention


def test_comparison_gives_labelled_numbers_and_the_readings_as_codes():
    x, y = pairs(CREATININE)
    comparison = compare_methods(x, y)
    report = comparison.to_dict()
    for part in ("deming", "passing_bablok"):
        for key in ("slope", "intercept"):
            assert report[part][key]["convention"] and report[part][key]["formula"]
            assert report[part][key]["interval_convention"]
    assert not report["passing_bablok"]["proportional_difference"]
    assert report["passing_bablok"]["constant_difference"]
    assert report["deming"]["error_ratio_source"] == "assumed"
    assert "verdict" not in report  # sentences are the report's (report.method_comparison)
    assert (
        report["bland_altman"]["systematic_difference"]
        is comparison.bland_altman.systematic_difference
    )


@pytest.mark.parametrize(
    ("x", "y", "error", "match"),
    [([1.0, 2, 3], [1.0, 2], UsageError, "3 values"),
     ([1.0, np.nan, 3], [1.0, 2, 3], DataError, "sample 2"),
     ([1.0, 2], [1.0, 2], DataError, "at least 3")],
)  # fmt: skip
def test_bad_pairs_are_refused_with_the_sample_named(x, y, error, match):
    with pytest.raises(error, match=match):
        passing_bablok(x, y)


def test_cusum_accepts_a_straight_relation_and_rejects_a_curved_one():
    rng = np.random.default_rng(5)
    x = np.sort(rng.uniform(1, 10, 60))
    y = 0.2 + 1.05 * x + rng.normal(0, 0.2, 60)
    straight = passing_bablok(x, y)
    test = straight.to_dict()["cusum_linearity"]
    below = np.sum(y < straight.intercept.value + straight.slope.value * x)
    # Kolmogorov-Smirnov 5% quantile 1.358 (Passing & Bablok 1983 quote 1.36) × sqrt(L + 1).
    assert test["critical_value"] == pytest.approx(1.358 * np.sqrt(below + 1), rel=1e-3)
    assert not test["linearity_rejected"]
    curved = passing_bablok(x, 0.3 * x**2 + rng.normal(0, 0.2, 60))
    assert curved.to_dict()["cusum_linearity"]["linearity_rejected"]
    assert "linearity-rejected" in curved.flags and "linearity-rejected" not in straight.flags


def test_results_are_strict_json_even_when_a_limit_is_not_finite():
    import json

    # Three samples: too few for a finite Passing-Bablok interval, and every point on the
    # line leaves the CUSUM test without a critical value.
    report = compare_methods([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]).to_dict()
    text = json.dumps(report, allow_nan=False)
    assert json.loads(text)["passing_bablok"]["cusum_linearity"]["critical_value"] is None


def test_passing_bablok_refuses_more_samples_than_its_pairwise_slopes_fit(monkeypatch):
    from benchlearn.assay import method_comparison

    monkeypatch.setattr(method_comparison, "PASSING_BABLOK_MAX_N", 10)
    with pytest.raises(UsageError, match="55 pairwise slopes"):
        passing_bablok(np.arange(11.0), np.arange(11.0) + 0.1)
