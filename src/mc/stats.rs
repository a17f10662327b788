//! Estimators, confidence intervals, paired differences and adaptive stopping.
//!
//! A per-trial probability (p_zero_leakers: `k` of `n` independent trials) is a binomial
//! proportion `k / n` and comes with two confidence intervals at level `confidence`
//! (a fraction in (0, 1), e.g. 0.95):
//!
//! - the Wilson score interval (E. B. Wilson, "Probable inference, the law of succession, and
//!   statistical inference", J. Am. Stat. Assoc. 22, 209-212, 1927): close to nominal coverage
//!   on average, never outside [0, 1], the interval used for adaptive stopping;
//! - the Clopper-Pearson "exact" interval (C. J. Clopper and E. S. Pearson, "The use of
//!   confidence or fiducial limits illustrated in the case of the binomial", Biometrika 26,
//!   404-413, 1934): inverts the binomial test, so its coverage is at least nominal for every p.
//!
//! A per-threat probability (p_kill) or mean (interceptors per threat) is not binomial with a
//! raid: the threats of one trial share the common-mode reliability draw, the inventories and
//! the Beta sspk draw, so they are not independent; the trials are. [`ClusterSums`] holds the
//! per-trial sums, [`ClusterProportion`] the ratio estimate with the cluster (linearisation)
//! variance (Cochran, *Sampling Techniques*, 1977, ch. 6) and the Wilson and Clopper-Pearson
//! intervals at the effective sample size (Kish 1965; Korn & Graubard 1998), and
//! [`ratio_interval`] the normal interval of a per-threat mean. With one threat per trial they
//! reduce to the binomial intervals (up to one trial of `n`).
//!
//! Comparisons between two defense layouts run with common random numbers (same seed, same
//! trials), so the two estimates are correlated and their difference gets a paired interval:
//! Newcombe's hybrid score interval for paired proportions (R. G. Newcombe, "Improved confidence
//! intervals for the difference between binomial proportions based on paired data", Statistics
//! in Medicine 17, 2635-2650, 1998, method 10), see [`paired_difference`].
//!
//! Reference values (docs/model.md section 5) are checked in the unit tests.
//!
//! Numerics: the normal quantile is statrs'. The Beta quantiles behind Clopper-Pearson (and
//! the Student-t quantile of [`mean_interval`]) are this module's own: a Lentz continued
//! fraction for the incomplete beta function and a safeguarded Newton solve on the log of the
//! small tail. statrs 0.18's `Beta::inverse_cdf` loops forever at shapes near 5e7 and its
//! `beta_reg` stops the continued fraction at 140 terms, which is inaccurate for the shapes of
//! a Monte Carlo run (10^6 to 10^10 trials). The tests check the bounds against closed forms
//! and against Clopper & Pearson's defining binomial-tail equations up to n = 10^10.

use rand_core::Rng;
use rand_pcg::Pcg32;
use statrs::distribution::{ContinuousCDF, Normal};

/// Smallest batch [`next_batch`] asks for, in trials.
pub const MIN_BATCH: u64 = 10_000;

/// Smallest growth per batch in [`next_batch`], as a fraction of the trials already run.
pub const MIN_GROWTH_FRACTION: f64 = 0.2;

/// Stream constant of the generator used by [`coverage`] (any fixed odd-ish value; it only has
/// to be deterministic).
const COVERAGE_STREAM: u64 = 0x5EED_C0FE_u64;

/// Degrees of freedom up to which [`mean_interval`] uses the Student-t quantile.
const T_MAX_DF: u64 = 1_000_000;

fn check_confidence(confidence: f64) {
    assert!(
        confidence > 0.0 && confidence < 1.0,
        "confidence must be in (0, 1), got {confidence}"
    );
}

/// Two-sided standard normal quantile for a confidence level: `z` with
/// `P(-z < Z < z) = confidence`, i.e. `Phi^-1(1 - (1 - confidence) / 2)`.
/// 0.95 gives 1.959963984540054.
///
/// # Panics
/// If `confidence` is not in (0, 1).
pub fn z_value(confidence: f64) -> f64 {
    check_confidence(confidence);
    Normal::standard().inverse_cdf(0.5 + 0.5 * confidence)
}

/// Wilson (1927) score interval for a binomial proportion with `k` events in `n` trials,
/// two-sided at level `confidence`. Returns `(lo, hi)`, both in [0, 1]; `k = 0` gives
/// `lo = 0` exactly and `k = n` gives `hi = 1` exactly; `n = 0` gives `(0, 1)`.
///
/// `centre = (k + z^2/2) / (n + z^2)`,
/// `half = z / (n + z^2) * sqrt(k (n - k) / n + z^2 / 4)`.
///
/// # Panics
/// If `k > n` or `confidence` is not in (0, 1).
pub fn wilson(k: u64, n: u64, confidence: f64) -> (f64, f64) {
    assert!(k <= n, "wilson: k = {k} > n = {n}");
    let z = z_value(confidence);
    if n == 0 {
        return (0.0, 1.0);
    }
    let (centre, half) = wilson_centre_half(k as f64, n as f64, z);
    let lo = if k == 0 {
        0.0
    } else {
        (centre - half).clamp(0.0, 1.0)
    };
    let hi = if k == n {
        1.0
    } else {
        (centre + half).clamp(0.0, 1.0)
    };
    (lo, hi)
}

/// Centre and half-width of the Wilson interval for `k` events in `n > 0` trials, both
/// possibly non-integer (an effective sample size, [`ClusterProportion`]).
fn wilson_centre_half(kf: f64, nf: f64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let denom = nf + z2;
    let centre = (kf + 0.5 * z2) / denom;
    let half = z / denom * ((kf * (nf - kf) / nf).max(0.0) + 0.25 * z2).sqrt();
    (centre, half)
}

/// Continued fraction of the regularized incomplete beta function (modified Lentz method,
/// Numerical Recipes 3rd ed. section 6.4, `betacf`); converges fast for
/// `x < (a + 1) / (a + b + 2)`, in at worst O(sqrt(max(a, b))) terms. Unlike statrs' `beta_reg`
/// (capped at 140 terms, inaccurate for shapes above ~10^4), the cap here grows with the
/// shapes, so Clopper-Pearson bounds stay exact for billions of trials.
///
/// `xc` is `1 - x` as known to the caller: when it is the small, accurate one, the first
/// denominator `1 - (a + b) x / (a + 1)` is formed from it without cancellation.
fn beta_cf(a: f64, b: f64, x: f64, xc: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let max_terms = 200 + (20.0 * a.max(b).sqrt()) as u64;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = if xc < 0.5 {
        (1.0 - b + qab * xc) / qap
    } else {
        1.0 - qab * x / qap
    };
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=max_terms {
        let m = m as f64;
        let m2 = 2.0 * m;
        // Even step.
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        // Odd step.
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= 1e-16 {
            break;
        }
    }
    h
}

/// Stirling-series remainder `ln Gamma(x) - [(x - 1/2) ln x - x + ln(2 pi)/2]` for
/// `x >= 15` (error below 1e-14).
fn ln_gamma_correction(x: f64) -> f64 {
    let r = 1.0 / x;
    let r2 = r * r;
    r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 / 1680.0)))
}

/// `ln B(a, b)` without the cancellation of `ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b)` when
/// a shape is large (e.g. `ln B(1, b) = -ln b` to about machine precision for b = 10^10).
fn ln_beta(a: f64, b: f64) -> f64 {
    use statrs::function::gamma::ln_gamma;
    const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    if hi < 15.0 {
        statrs::function::beta::ln_beta(a, b)
    } else if lo < 15.0 {
        // ln Gamma(hi) - ln Gamma(hi + lo) by Stirling, in a form with no large cancellation.
        let s = hi + lo;
        ln_gamma(lo) - (hi - 0.5) * (lo / hi).ln_1p() - lo * s.ln() + lo + ln_gamma_correction(hi)
            - ln_gamma_correction(s)
    } else {
        let s = a + b;
        HALF_LN_2PI - 0.5 * s.ln()
            + (a - 0.5) * (a / s).ln()
            + (b - 0.5) * (b / s).ln()
            + ln_gamma_correction(a)
            + ln_gamma_correction(b)
            - ln_gamma_correction(s)
    }
}

/// Logs of the Beta(a, b) distribution at `x`: `(ln I_x(a, b), ln (1 - I_x(a, b)), ln pdf)`,
/// where `I_x` is the regularized incomplete beta function (the CDF). The tail that the
/// continued fraction computes directly keeps full relative precision even where it
/// underflows; the other one is `ln(1 - tail)`.
fn ln_beta_tails(a: f64, b: f64, x: f64) -> (f64, f64, f64) {
    if x <= 0.0 {
        return (f64::NEG_INFINITY, 0.0, f64::NEG_INFINITY);
    }
    if x >= 1.0 {
        return (0.0, f64::NEG_INFINITY, f64::NEG_INFINITY);
    }
    let (ln_x, ln_1mx) = (x.ln(), (-x).ln_1p());
    let ln_front = a * ln_x + b * ln_1mx - ln_beta(a, b);
    let ln_pdf = ln_front - ln_x - ln_1mx;
    if x < (a + 1.0) / (a + b + 2.0) {
        let ln_cdf = (ln_front + beta_cf(a, b, x, 1.0 - x).ln() - a.ln()).min(0.0);
        (ln_cdf, (-ln_cdf.exp()).ln_1p(), ln_pdf)
    } else {
        // 1 - I_x(a, b) = I_{1-x}(b, a)
        let ln_sf = (ln_front + beta_cf(b, a, 1.0 - x, x).ln() - b.ln()).min(0.0);
        ((-ln_sf.exp()).ln_1p(), ln_sf, ln_pdf)
    }
}

/// Solves `I_x(a, b) = q` (or `1 - I_x(a, b) = q` when `upper`) for `x` by safeguarded Newton
/// iteration on the log of the tail, inside a shrinking bracket, with (geometric, then
/// arithmetic) bisection whenever a Newton step leaves the bracket. Converges to about
/// machine precision relative to `x`, so it should be used where the root is the smaller of
/// `x` and `1 - x`.
fn beta_solve(a: f64, b: f64, q: f64, upper: bool) -> f64 {
    let ln_q = q.ln();
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    // Start from the normal approximation, kept inside (0, 1).
    let mean = a / (a + b);
    let sd = (a * b / ((a + b) * (a + b) * (a + b + 1.0))).sqrt();
    let zq = Normal::standard().inverse_cdf(q);
    let mut x = if upper {
        mean - zq * sd
    } else {
        mean + zq * sd
    };
    if !(x > 0.0 && x < 1.0) {
        x = 0.5 * mean;
    }
    for _ in 0..400 {
        let (ln_cdf, ln_sf, ln_pdf) = ln_beta_tails(a, b, x);
        let ln_tail = if upper { ln_sf } else { ln_cdf };
        let g = ln_tail - ln_q;
        if g == 0.0 {
            return x;
        }
        // The CDF increases with x; the survival function decreases.
        if (g > 0.0) != upper {
            hi = x;
        } else {
            lo = x;
        }
        // Newton step on g(x) = ln tail(x) - ln q, with g'(x) = +-pdf / tail.
        let slope = (ln_pdf - ln_tail).exp();
        let step = if upper { -g / slope } else { g / slope };
        let mut next = x - step;
        if !(step.is_finite() && next > lo && next < hi) {
            next = if lo > 0.0 && hi / lo > 4.0 {
                (lo * hi).sqrt()
            } else if lo == 0.0 && hi < 1e-3 {
                0.0625 * hi
            } else {
                0.5 * (lo + hi)
            };
        }
        if (next - x).abs() <= 4.0 * f64::EPSILON * x || next <= lo || next >= hi {
            return next.clamp(lo, hi);
        }
        x = next;
    }
    x
}

/// Beta(a, b) quantile: the `x` with `I_x(a, b) = q` (lower tail), or with
/// `1 - I_x(a, b) = q` when `upper` (so an upper quantile `1 - q` keeps the precision of a
/// small `q`). Solves for `x` when the mean is at most 1/2, else for `1 - x` in the mirror
/// distribution Beta(b, a), so the unknown is the small one.
fn beta_quantile(a: f64, b: f64, q: f64, upper: bool) -> f64 {
    debug_assert!(a > 0.0 && b > 0.0 && q > 0.0 && q < 1.0);
    if a <= b {
        beta_solve(a, b, q, upper)
    } else {
        // I_x(a, b) = 1 - I_{1-x}(b, a)
        1.0 - beta_solve(b, a, q, !upper)
    }
}

/// Two-sided Student-t quantile with `df` degrees of freedom: `t` with
/// `P(|T| > t) = 1 - confidence`. With `w = t^2 / (df + t^2)`,
/// `P(|T| > t) = 1 - I_w(1/2, df/2)`, so `t = sqrt(df w / (1 - w))`.
fn t_value(confidence: f64, df: f64) -> f64 {
    let w = beta_quantile(0.5, 0.5 * df, 1.0 - confidence, true);
    (df * w / (1.0 - w)).sqrt()
}

/// The two-sided quantile of the mean intervals ([`mean_interval`], [`ratio_interval`]) with
/// `df` degrees of freedom: Student-t up to 10^6, the normal `z` beyond.
pub fn t_quantile(confidence: f64, df: u64) -> f64 {
    if df <= T_MAX_DF {
        check_confidence(confidence);
        t_value(confidence, df as f64)
    } else {
        z_value(confidence)
    }
}

/// Clopper-Pearson (1934) exact interval for `k` events in `n` trials, two-sided at level
/// `confidence` (`alpha = 1 - confidence`):
/// `lo = Beta^-1(alpha/2; k, n - k + 1)`, `hi = Beta^-1(1 - alpha/2; k + 1, n - k)`.
/// The ends are exact: `k = 0` gives `lo = 0`, `k = n` gives `hi = 1`; `n = 0` gives `(0, 1)`.
///
/// # Panics
/// If `k > n` or `confidence` is not in (0, 1).
pub fn clopper_pearson(k: u64, n: u64, confidence: f64) -> (f64, f64) {
    assert!(k <= n, "clopper_pearson: k = {k} > n = {n}");
    check_confidence(confidence);
    if n == 0 {
        return (0.0, 1.0);
    }
    clopper_pearson_bounds(k as f64, n as f64, k == 0, k == n, confidence)
}

/// The Clopper-Pearson bounds for `k` events in `n` trials, both possibly non-integer (an
/// effective sample size, [`ClusterProportion`]); `none` (`k = 0`) gives `lo = 0`, `all`
/// (`k = n`) gives `hi = 1`.
fn clopper_pearson_bounds(kf: f64, nf: f64, none: bool, all: bool, confidence: f64) -> (f64, f64) {
    let alpha = 1.0 - confidence;
    let lo = if none {
        0.0
    } else {
        beta_quantile(kf, nf - kf + 1.0, 0.5 * alpha, false)
    };
    let hi = if all {
        1.0
    } else {
        // Beta^-1(1 - alpha/2; k + 1, n - k), solved on the upper tail for precision.
        beta_quantile(kf + 1.0, nf - kf, 0.5 * alpha, true)
    };
    (lo, hi)
}

/// A binomial proportion with its Wilson and Clopper-Pearson intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    /// Events (e.g. threats killed).
    pub k: u64,
    /// Trials.
    pub n: u64,
    /// Point estimate `k / n`; NaN when `n = 0`.
    pub p: f64,
    /// Wilson (1927) score interval `(lo, hi)`; `(0, 1)` when `n = 0`.
    pub wilson: (f64, f64),
    /// Clopper-Pearson (1934) exact interval `(lo, hi)`; `(0, 1)` when `n = 0`.
    pub clopper_pearson: (f64, f64),
}

impl Proportion {
    /// Estimate and intervals for `k` events in `n` trials at level `confidence`.
    ///
    /// # Panics
    /// If `k > n` or `confidence` is not in (0, 1).
    pub fn new(k: u64, n: u64, confidence: f64) -> Self {
        let p = if n == 0 {
            f64::NAN
        } else {
            k as f64 / n as f64
        };
        Proportion {
            k,
            n,
            p,
            wilson: wilson(k, n, confidence),
            clopper_pearson: clopper_pearson(k, n, confidence),
        }
    }

    /// Half-width of the Wilson interval, `(hi - lo) / 2` (a probability; 0.5 when `n = 0`).
    pub fn half_width(&self) -> f64 {
        0.5 * (self.wilson.1 - self.wilson.0)
    }
}

/// Trials needed for a normal-approximation half-width `half_width` at proportion `p` and
/// level `confidence`: `n = z^2 p (1 - p) / E^2`, rounded up (p 0.5, E 0.001, 95 % ->
/// 960,365). `p` is clamped to [0, 1]; a `half_width` that is not positive gives `u64::MAX`.
pub fn samples_for_half_width(p: f64, half_width: f64, confidence: f64) -> u64 {
    let z = z_value(confidence);
    if half_width.is_nan() || half_width <= 0.0 {
        return u64::MAX;
    }
    let p = if p.is_nan() { 0.5 } else { p.clamp(0.0, 1.0) };
    let n = (z * z * p * (1.0 - p) / (half_width * half_width)).ceil();
    if n >= u64::MAX as f64 {
        u64::MAX
    } else {
        n as u64
    }
}

/// Outcome counts of `n` paired trials (common random numbers: trial `i` of layout A and trial
/// `i` of layout B use the same random inputs), classified by whether the event (e.g. "threat
/// killed") happened under layout A and under layout B.
///
/// The fourth cell, "neither", is `n - both - only_a - only_b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairedCounts {
    /// Paired trials.
    pub n: u64,
    /// Trials where the event happened under both layouts.
    pub both: u64,
    /// Trials where the event happened under layout A only.
    pub only_a: u64,
    /// Trials where the event happened under layout B only.
    pub only_b: u64,
}

impl PairedCounts {
    /// Events under layout A (`both + only_a`).
    pub fn k_a(&self) -> u64 {
        self.both + self.only_a
    }
    /// Events under layout B (`both + only_b`).
    pub fn k_b(&self) -> u64 {
        self.both + self.only_b
    }
    /// Trials where the event happened under neither layout.
    pub fn neither(&self) -> u64 {
        self.n - self.both - self.only_a - self.only_b
    }
    fn check(&self) {
        let used = self
            .both
            .checked_add(self.only_a)
            .and_then(|s| s.checked_add(self.only_b));
        assert!(
            used.is_some_and(|u| u <= self.n),
            "PairedCounts: both + only_a + only_b exceeds n: {self:?}"
        );
    }
}

/// Difference `pA - pB` of two paired proportions with its confidence interval, by Newcombe's
/// (1998) hybrid score method 10 ("square and add" of the two Wilson intervals with a
/// correlation correction). Returns `(pA - pB, lo, hi)`, with `-1 <= lo <= hi <= 1`.
///
/// With `a = both`, `b = only_a`, `c = only_b`, `d = neither`, `p1 = (a + b)/n`,
/// `p2 = (a + c)/n`, Wilson intervals `(l1, u1)` and `(l2, u2)`, and the phi coefficient with
/// Newcombe's continuity-corrected numerator
/// `C = ad - bc - n/2` if `ad - bc > n/2`, `0` if `0 <= ad - bc <= n/2`, `ad - bc` if negative,
/// `phi = C / sqrt((a+b)(c+d)(a+c)(b+d))` (0 if a margin is 0):
///
/// `lo = (p1 - p2) - sqrt((p1 - l1)^2 - 2 phi (p1 - l1)(u2 - p2) + (u2 - p2)^2)`,
/// `hi = (p1 - p2) + sqrt((p2 - l2)^2 - 2 phi (p2 - l2)(u1 - p1) + (u1 - p1)^2)`.
///
/// Checked against the worked example in Fagerland, Lydersen & Laake, *Statistical Analysis of
/// Contingency Tables* (2017), ch. 8 (Cavo et al. 2012 data). `n = 0` gives `(NaN, -1, 1)`.
/// See [`paired_difference_normal`] for the simpler normal interval on per-trial differences.
///
/// # Panics
/// If `both + only_a + only_b > n` or `confidence` is not in (0, 1).
pub fn paired_difference(c: &PairedCounts, confidence: f64) -> (f64, f64, f64) {
    c.check();
    check_confidence(confidence);
    if c.n == 0 {
        return (f64::NAN, -1.0, 1.0);
    }
    let nf = c.n as f64;
    let (ka, kb) = (c.k_a(), c.k_b());
    let p1 = ka as f64 / nf;
    let p2 = kb as f64 / nf;
    let diff = (c.only_a as f64 - c.only_b as f64) / nf;
    let (l1, u1) = wilson(ka, c.n, confidence);
    let (l2, u2) = wilson(kb, c.n, confidence);

    let phi = if ka == 0 || ka == c.n || kb == 0 || kb == c.n {
        0.0
    } else {
        let margins = ka as f64 * (c.n - ka) as f64 * kb as f64 * (c.n - kb) as f64;
        // ad - bc exactly in i128 (each product < 2^128), then to f64.
        let ad_bc =
            (c.both as i128 * c.neither() as i128 - c.only_a as i128 * c.only_b as i128) as f64;
        let num = if ad_bc > 0.5 * nf {
            ad_bc - 0.5 * nf
        } else if ad_bc >= 0.0 {
            0.0
        } else {
            ad_bc
        };
        num / margins.sqrt()
    };

    let (dl1, du2) = (p1 - l1, u2 - p2);
    let (dl2, du1) = (p2 - l2, u1 - p1);
    let delta = (dl1 * dl1 - 2.0 * phi * dl1 * du2 + du2 * du2)
        .max(0.0)
        .sqrt();
    let epsilon = (dl2 * dl2 - 2.0 * phi * dl2 * du1 + du1 * du1)
        .max(0.0)
        .sqrt();
    (diff, (diff - delta).max(-1.0), (diff + epsilon).min(1.0))
}

/// Difference `pA - pB` of two paired proportions with a normal (Wald) interval on the
/// per-trial differences `d_i in {-1, 0, 1}`: mean `(only_a - only_b) / n`, sample variance
/// with `n - 1`, `mean +- z sd / sqrt(n)`, clamped to [-1, 1]. A large-sample alternative to
/// [`paired_difference`]; its interval collapses to a point when `only_a = only_b = 0`.
/// `n = 0` gives `(NaN, -1, 1)`; `n = 1` gives `(d, -1, 1)`.
pub fn paired_difference_normal(c: &PairedCounts, confidence: f64) -> (f64, f64, f64) {
    c.check();
    let z = z_value(confidence);
    if c.n == 0 {
        return (f64::NAN, -1.0, 1.0);
    }
    let nf = c.n as f64;
    let diff = (c.only_a as f64 - c.only_b as f64) / nf;
    if c.n == 1 {
        return (diff, -1.0, 1.0);
    }
    let discordant = (c.only_a + c.only_b) as f64;
    let var = ((discordant - nf * diff * diff) / (nf - 1.0)).max(0.0);
    let half = z * (var / nf).sqrt();
    (diff, (diff - half).max(-1.0), (diff + half).min(1.0))
}

/// Mean of a per-trial quantity (e.g. interceptors fired per trial) with its confidence
/// interval, from the running sums `sum = sum x_i`, `sum_sq = sum x_i^2` over `n` trials.
/// Returns `(mean, lo, hi)` in the unit of `x`.
///
/// The interval is `mean +- t sd / sqrt(n)` (central limit theorem; `t` the Student-t
/// quantile with `n - 1` degrees of freedom up to 10^6, the normal `z` beyond, a relative
/// difference below 3e-6), with the
/// sample variance `(sum_sq - n mean^2) / (n - 1)` clamped at 0. `n = 0` gives all NaN;
/// `n = 1` gives `(x, NaN, NaN)`.
pub fn mean_interval(sum: f64, sum_sq: f64, n: u64, confidence: f64) -> (f64, f64, f64) {
    let z = z_value(confidence);
    if n == 0 {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let nf = n as f64;
    let mean = sum / nf;
    if n == 1 {
        return (mean, f64::NAN, f64::NAN);
    }
    let var = ((sum_sq - nf * mean * mean) / (nf - 1.0)).max(0.0);
    let q = if n - 1 <= T_MAX_DF {
        t_value(confidence, (n - 1) as f64)
    } else {
        z
    };
    let half = q * (var / nf).sqrt();
    (mean, mean - half, mean + half)
}

/// Per-trial sums of a per-threat ratio with the trial as the sampling unit: over `trials`
/// trials `i`, `y_i` is the count of interest in trial `i` (threats killed, or interceptors
/// fired at threats) and `m_i` the threats of trial `i`. Trials with `m_i = 0` (a class absent
/// from a raid) count in `trials`. The integer tallies of both backends hold these sums
/// (`model::tally`: `C_KILLED`, `C_THREATS`, `C_KILLED_SQ`, `C_KILLED_THREATS`,
/// `C_THREATS_SQ` per class, `KILLED_SQ`, `KILLED_THREATS`, `THREATS_SQ` for all threats).
///
/// The threats of one trial are not independent (the common-mode `system_reliability`, the
/// shared inventories, the Beta `sspk` drawn once per trial), but the trials are. So the
/// estimator is the ratio `R = sum y_i / sum m_i` with the linearisation (delta-method)
/// variance of a ratio estimator in cluster sampling with replacement (W. G. Cochran,
/// *Sampling Techniques*, 3rd ed., Wiley, 1977, ch. 6):
///
/// `var(R) = n / (n - 1) * sum_i (y_i - R m_i)^2 / (sum_i m_i)^2`.
///
/// With one threat per trial (`m_i = 1`) it is `R (1 - R) / (n - 1)`, the binomial variance
/// up to `n / (n - 1)`. See [`ClusterProportion`] and [`ratio_interval`] for the intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClusterSums {
    /// Trials `n` (clusters), those with `m_i = 0` included.
    pub trials: u64,
    /// `sum_i y_i`.
    pub y: u64,
    /// `sum_i m_i`.
    pub m: u64,
    /// `sum_i y_i^2`.
    pub yy: u64,
    /// `sum_i y_i m_i`.
    pub ym: u64,
    /// `sum_i m_i^2`.
    pub mm: u64,
}

impl ClusterSums {
    /// The sums of `n` trials of one threat each, `k` of which had the event: the binomial
    /// case (`y_i` in {0, 1}, `m_i = 1`).
    pub fn single_threat(k: u64, n: u64) -> Self {
        ClusterSums {
            trials: n,
            y: k,
            m: n,
            yy: k,
            ym: k,
            mm: n,
        }
    }

    /// The ratio estimate `R = sum y_i / sum m_i`; NaN when `sum m_i = 0`.
    pub fn ratio(&self) -> f64 {
        if self.m == 0 {
            f64::NAN
        } else {
            self.y as f64 / self.m as f64
        }
    }

    /// `sum_i (y_i - R m_i)^2`, at least 0; NaN when `sum m_i = 0`.
    ///
    /// Computed as `(A - R B) / sum m` with `A = sum y^2 sum m - sum y sum ym` and
    /// `B = sum ym sum m - sum y sum m^2`, both exact in i128 (f64 if they would overflow).
    /// With equal `m_i` (every raid row `all`), `B = 0` exactly and the sum is
    /// `sum y^2 - (sum y)^2 / n` without cancellation beyond the rounding of `A`.
    pub fn residual_sum_sq(&self) -> f64 {
        if self.m == 0 {
            return f64::NAN;
        }
        let exact = |p: u64, q: u64, r: u64, s: u64| -> Option<f64> {
            let a = (p as i128).checked_mul(q as i128)?;
            let b = (r as i128).checked_mul(s as i128)?;
            a.checked_sub(b).map(|d| d as f64)
        };
        let (a, b) = match (
            exact(self.yy, self.m, self.y, self.ym),
            exact(self.ym, self.m, self.y, self.mm),
        ) {
            (Some(a), Some(b)) => (a, b),
            _ => {
                let f = |x: u64| x as f64;
                (
                    f(self.yy) * f(self.m) - f(self.y) * f(self.ym),
                    f(self.ym) * f(self.m) - f(self.y) * f(self.mm),
                )
            }
        };
        let mf = self.m as f64;
        ((a - self.ratio() * b) / mf).max(0.0)
    }

    /// The cluster variance of `R`, `n / (n - 1) * sum (y_i - R m_i)^2 / (sum m_i)^2`; NaN
    /// when `n < 2` or `sum m_i = 0`.
    pub fn variance(&self) -> f64 {
        if self.trials < 2 || self.m == 0 {
            return f64::NAN;
        }
        let (n, mf) = (self.trials as f64, self.m as f64);
        n / (n - 1.0) * self.residual_sum_sq() / (mf * mf)
    }
}

/// A per-threat proportion (e.g. p_kill) with the trial as the unit: the ratio estimate of
/// [`ClusterSums`] and its intervals at level `confidence`.
///
/// The intervals are the binomial ones at the effective sample size
/// `n_eff = R (1 - R) / var(R)` (L. Kish, *Survey Sampling*, Wiley, 1965: the number of
/// threats over the design effect), with `k_eff = R n_eff` events, as E. L. Korn and
/// B. I. Graubard ("Confidence intervals for proportions with small expected number of
/// positive counts estimated from survey data", *Survey Methodology* 24, 193-201, 1998) do for
/// Clopper-Pearson: the Wilson score interval (what `summary.csv` reports as `p_kill_lo/hi`,
/// and adaptive stopping watches) and the Clopper-Pearson interval (`p_kill_cp_lo/hi`). They
/// stay inside [0, 1] and keep the exact ends (`R = 0` gives `lo = 0`, `R = 1` gives `hi = 1`);
/// coverage is approximate (the Clopper-Pearson guarantee of at least nominal coverage is a
/// property of the binomial, which a raid is not).
///
/// Where the variance is 0 or unknown (`R` is 0 or 1, or fewer than 2 trials) `n_eff` is
/// `(sum m_i)^2 / sum m_i^2`, the effective size if the threats of a trial all shared one fate:
/// the most pessimistic reading, `n` with equal raid sizes. `n_eff` is not capped at the number
/// of threats: a negative correlation within a trial (threats competing for a shared
/// inventory) narrows the interval, as it narrows the spread of `R`.
///
/// One threat per trial gives `n_eff = n - 1`, so the intervals are the binomial ones of
/// `k` in `n` up to that one trial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterProportion {
    /// The per-trial sums.
    pub sums: ClusterSums,
    /// `R = sum y / sum m`; NaN when there are no threats.
    pub p: f64,
    /// Standard error of `R`, `sqrt(var(R))`; NaN when `n < 2` or there are no threats.
    pub std_err: f64,
    /// Effective number of independent threats; 0 when there are no threats.
    pub n_eff: f64,
    /// Wilson (1927) interval at `n_eff`; `(0, 1)` when there are no threats.
    pub wilson: (f64, f64),
    /// Clopper-Pearson (1934) interval at `n_eff` (Korn & Graubard 1998); `(0, 1)` when there
    /// are no threats.
    pub clopper_pearson: (f64, f64),
}

impl ClusterProportion {
    /// Estimate and intervals at level `confidence`.
    ///
    /// # Panics
    /// If `sums.y > sums.m` (not a proportion) or `confidence` is not in (0, 1).
    pub fn new(sums: ClusterSums, confidence: f64) -> Self {
        assert!(
            sums.y <= sums.m,
            "ClusterProportion: y = {} > m = {}",
            sums.y,
            sums.m
        );
        let z = z_value(confidence);
        if sums.m == 0 {
            return ClusterProportion {
                sums,
                p: f64::NAN,
                std_err: f64::NAN,
                n_eff: 0.0,
                wilson: (0.0, 1.0),
                clopper_pearson: (0.0, 1.0),
            };
        }
        let p = sums.ratio();
        let var = sums.variance();
        let (none, all) = (sums.y == 0, sums.y == sums.m);
        let n_eff = if !none && !all && var > 0.0 {
            p * (1.0 - p) / var
        } else {
            let mf = sums.m as f64;
            mf * mf / sums.mm.max(1) as f64
        };
        let k_eff = p * n_eff;
        let (centre, half) = wilson_centre_half(k_eff, n_eff, z);
        let wilson = (
            if none {
                0.0
            } else {
                (centre - half).clamp(0.0, 1.0)
            },
            if all {
                1.0
            } else {
                (centre + half).clamp(0.0, 1.0)
            },
        );
        ClusterProportion {
            sums,
            p,
            std_err: var.sqrt(),
            n_eff,
            wilson,
            clopper_pearson: clopper_pearson_bounds(k_eff, n_eff, none, all, confidence),
        }
    }

    /// Half-width of the Wilson interval, `(hi - lo) / 2` (0.5 when there are no threats).
    pub fn half_width(&self) -> f64 {
        0.5 * (self.wilson.1 - self.wilson.0)
    }

    /// Design effect: the variance of `R` over the binomial variance of as many independent
    /// threats, `sum m / n_eff` (1 for independent threats); NaN when there are no threats.
    pub fn design_effect(&self) -> f64 {
        self.sums.m as f64 / self.n_eff
    }
}

/// A per-threat mean (e.g. interceptors fired per threat) with the trial as the unit:
/// `(R, lo, hi)` with `R = sum y / sum m` and the normal interval
/// `R +- t sqrt(var(R))` on the cluster variance of [`ClusterSums`] (Cochran 1977, ch. 6),
/// `t` the Student-t quantile with `n - 1` degrees of freedom up to 10^6 and the normal
/// quantile beyond, as in [`mean_interval`]. Not clipped (a mean has no upper bound).
/// No threats give all NaN; one trial gives `(R, NaN, NaN)`.
pub fn ratio_interval(sums: &ClusterSums, confidence: f64) -> (f64, f64, f64) {
    let z = z_value(confidence);
    let r = sums.ratio();
    if sums.trials < 2 || sums.m == 0 {
        return (r, f64::NAN, f64::NAN);
    }
    let q = if sums.trials - 1 <= T_MAX_DF {
        t_value(confidence, (sums.trials - 1) as f64)
    } else {
        z
    };
    let half = q * sums.variance().sqrt();
    (r, r - half, r + half)
}

/// The proportion adaptive stopping watches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Watched {
    /// A per-trial proportion, `k` events in `n` independent trials (p_zero_leakers):
    /// the Wilson interval.
    PerTrial { k: u64, n: u64 },
    /// A per-threat proportion with the trial as the unit (p_kill): the Wilson interval of
    /// [`ClusterProportion`].
    PerThreat(ClusterSums),
}

impl Watched {
    fn trials(&self) -> u64 {
        match *self {
            Watched::PerTrial { n, .. } => n,
            Watched::PerThreat(s) => s.trials,
        }
    }

    /// Half-width of the watched interval at `confidence`; 0.5 before any trial.
    pub fn half_width(&self, confidence: f64) -> f64 {
        match *self {
            Watched::PerTrial { k, n } => {
                let (lo, hi) = wilson(k, n, confidence);
                0.5 * (hi - lo)
            }
            Watched::PerThreat(s) => ClusterProportion::new(s, confidence).half_width(),
        }
    }

    /// Trials in all needed for a half-width `target_half_width`, planned at the current
    /// estimate: the sample-size formula at a guarded proportion (clamped to
    /// `[1/n_eff, 1 - 1/n_eff]`, 0.5 when `n_eff < 2`), divided by the effective independent
    /// units per trial (`n_eff / n`; 1 for a per-trial proportion). `u64::MAX` when the
    /// target is not positive.
    fn trials_needed(&self, target_half_width: f64, confidence: f64) -> u64 {
        let (p, n_eff, n) = match *self {
            Watched::PerTrial { k, n } => (k as f64 / n as f64, n as f64, n as f64),
            Watched::PerThreat(s) => {
                let c = ClusterProportion::new(s, confidence);
                (c.p, c.n_eff, s.trials as f64)
            }
        };
        let per_trial = if n_eff > 0.0 && n > 0.0 {
            n_eff / n
        } else {
            1.0
        };
        let p_plan = if n_eff < 2.0 || !p.is_finite() {
            0.5
        } else {
            let guard = 1.0 / n_eff;
            p.clamp(guard, 1.0 - guard)
        };
        let units = samples_for_half_width(p_plan, target_half_width, confidence);
        if units == u64::MAX {
            return u64::MAX;
        }
        let trials = (units as f64 / per_trial).ceil();
        if trials >= u64::MAX as f64 {
            u64::MAX
        } else {
            trials as u64
        }
    }
}

/// True when the watched interval (at `confidence`) has a half-width of at most
/// `target_half_width` (a probability), after at least one trial.
pub fn watched_target_reached(w: &Watched, target_half_width: f64, confidence: f64) -> bool {
    w.trials() > 0 && w.half_width(confidence) <= target_half_width
}

/// How many more trials to run to bring the watched interval's half-width down to
/// `target_half_width`, given at most `remaining` trials left in the budget.
///
/// Returns 0 when the target is reached (or nothing remains). Otherwise the total needed is
/// planned at the current estimate (see [`Watched`]); the batch is at least [`MIN_BATCH`] and
/// at least [`MIN_GROWTH_FRACTION`] of the trials run (so a run that keeps underestimating
/// still converges geometrically), and at most `remaining`.
pub fn watched_next_batch(
    w: &Watched,
    target_half_width: f64,
    confidence: f64,
    remaining: u64,
) -> u64 {
    if remaining == 0 || watched_target_reached(w, target_half_width, confidence) {
        return 0;
    }
    let n = w.trials();
    let more = w
        .trials_needed(target_half_width, confidence)
        .saturating_sub(n);
    let floor = MIN_BATCH.max((n as f64 * MIN_GROWTH_FRACTION).ceil() as u64);
    more.max(floor).min(remaining)
}

/// True when `n > 0` trials with `k` events give a Wilson half-width (at `confidence`) of at
/// most `target_half_width` (a probability): [`watched_target_reached`] of a per-trial
/// proportion.
pub fn target_reached(k: u64, n: u64, target_half_width: f64, confidence: f64) -> bool {
    watched_target_reached(&Watched::PerTrial { k, n }, target_half_width, confidence)
}

/// How many more trials to run, after `k` events in `n` trials, to bring the Wilson half-width
/// down to `target_half_width`, given at most `remaining` trials left in the budget:
/// [`watched_next_batch`] of a per-trial proportion.
///
/// Returns 0 when the target is reached (or nothing remains). Otherwise it estimates the total
/// needed with [`samples_for_half_width`] at a guarded proportion: `k / n` clamped to
/// `[1/n, 1 - 1/n]` (0.5 when `n < 2`), so `k = 0` does not stop at once. The batch is at
/// least [`MIN_BATCH`] and at least [`MIN_GROWTH_FRACTION`] of `n` (so a run that keeps
/// underestimating still converges geometrically), and at most `remaining`.
pub fn next_batch(k: u64, n: u64, target_half_width: f64, confidence: f64, remaining: u64) -> u64 {
    watched_next_batch(
        &Watched::PerTrial { k, n },
        target_half_width,
        confidence,
        remaining,
    )
}

/// Monte Carlo coverage check of the intervals: `replications` draws of
/// `k ~ Binomial(n, p)` (each a sum of `n` Bernoulli(p) trials from a `Pcg32` seeded with
/// `seed`; a trial succeeds when a `u32` draw is below `p * 2^32`), returning the fractions of
/// replications whose Wilson and Clopper-Pearson intervals at `confidence` contain `p`:
/// `(wilson, clopper_pearson)`, each in [0, 1]. Deterministic for a given seed.
/// `replications = 0` gives `(NaN, NaN)`. Costs `n * replications` generator draws.
pub fn coverage(n: u64, p: f64, replications: u64, confidence: f64, seed: u64) -> (f64, f64) {
    assert!((0.0..=1.0).contains(&p), "coverage: p = {p} not in [0, 1]");
    check_confidence(confidence);
    if replications == 0 {
        return (f64::NAN, f64::NAN);
    }
    let threshold = (p * 4_294_967_296.0).round() as u64; // p * 2^32, in [0, 2^32]
    let mut rng = Pcg32::new(seed, COVERAGE_STREAM);
    // Intervals depend only on k: cache them when n is small enough.
    let mut cache: Vec<Option<(bool, bool)>> = if n <= 1_000_000 {
        vec![None; n as usize + 1]
    } else {
        Vec::new()
    };
    let covers = |k: u64| {
        let (wl, wh) = wilson(k, n, confidence);
        let (cl, ch) = clopper_pearson(k, n, confidence);
        (wl <= p && p <= wh, cl <= p && p <= ch)
    };
    let (mut w, mut c) = (0u64, 0u64);
    for _ in 0..replications {
        let mut k = 0u64;
        for _ in 0..n {
            if (rng.next_u32() as u64) < threshold {
                k += 1;
            }
        }
        let (cw, cc) = if cache.is_empty() {
            covers(k)
        } else {
            *cache[k as usize].get_or_insert_with(|| covers(k))
        };
        w += cw as u64;
        c += cc as u64;
    }
    let r = replications as f64;
    (w as f64 / r, c as f64 / r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[track_caller]
    fn assert_close(a: f64, b: f64, tol: f64) {
        assert!(close(a, b, tol), "{a} vs {b} (tol {tol})");
    }

    /// Rounds to 5 decimals, as the published values are given.
    #[track_caller]
    fn assert_5dp(a: f64, expected: f64) {
        assert!(
            ((a * 1e5).round() - (expected * 1e5).round()).abs() < 0.5,
            "{a} does not round to {expected}"
        );
    }

    #[test]
    fn z_values() {
        assert_close(z_value(0.95), 1.959963984540054, 1e-12);
        assert_close(z_value(0.99), 2.5758293035489004, 1e-12);
        assert_close(z_value(0.999), 3.2905267314918945, 1e-10);
        assert_close(z_value(0.6826894921370859), 1.0, 1e-9);
    }

    #[test]
    #[should_panic]
    fn z_value_rejects_bad_confidence() {
        z_value(1.0);
    }

    #[test]
    fn references_section_5() {
        // 0/10
        let (lo, hi) = wilson(0, 10, 0.95);
        assert_eq!(lo, 0.0);
        assert_5dp(hi, 0.27753);
        let (lo, hi) = clopper_pearson(0, 10, 0.95);
        assert_eq!(lo, 0.0);
        assert_5dp(hi, 0.30850);
        // 10/18
        let (lo, hi) = wilson(10, 18, 0.95);
        assert_5dp(lo, 0.33716);
        assert_5dp(hi, 0.75440);
        let (lo, hi) = clopper_pearson(10, 18, 0.95);
        assert_5dp(lo, 0.30757);
        assert_5dp(hi, 0.78470);
        // 500/1000
        let (lo, hi) = clopper_pearson(500, 1000, 0.95);
        assert_5dp(lo, 0.46855);
        assert_5dp(hi, 0.53145);
        // sample size
        assert_eq!(samples_for_half_width(0.5, 0.001, 0.95), 960_365);
    }

    #[test]
    fn clopper_pearson_closed_forms() {
        // Beta(1, n) and Beta(n, 1) have closed-form quantiles: independent oracles for the
        // k = 0, 1, n - 1, n ends, including large n where the Newton start is poor.
        for &n in &[
            1u64,
            2,
            7,
            100,
            12_345,
            1_000_000,
            50_000_000,
            10_000_000_000,
        ] {
            let nf = n as f64;
            for &conf in &[0.9, 0.95, 0.999] {
                let a2 = 0.5 * (1.0 - conf);
                let (lo0, hi0) = clopper_pearson(0, n, conf);
                assert_eq!(lo0, 0.0);
                let exact0 = -(a2.ln() / nf).exp_m1(); // 1 - (a/2)^(1/n) without cancellation
                assert!(
                    close(hi0, exact0, 1e-10 * exact0),
                    "n {n}: {hi0} vs {exact0}"
                );
                let (lon, hin) = clopper_pearson(n, n, conf);
                assert_eq!(hin, 1.0);
                assert_close(lon, a2.powf(1.0 / nf), 1e-13);
                if n >= 2 {
                    // k = 1: lo = Beta^-1(a/2; 1, n) = 1 - (1 - a/2)^(1/n)
                    let lo1 = clopper_pearson(1, n, conf).0;
                    let exact = -((1.0 - a2).ln() / nf).exp_m1();
                    assert!(close(lo1, exact, 1e-10 * exact), "n {n}: {lo1} vs {exact}");
                    // k = n - 1: hi = Beta^-1(1 - a/2; n, 1) = (1 - a/2)^(1/n)
                    let hi1 = clopper_pearson(n - 1, n, conf).1;
                    assert_close(hi1, (1.0 - a2).powf(1.0 / nf), 1e-13);
                }
            }
        }
    }

    /// `ln P(X = j)` for `X ~ Binomial(n, p)`.
    fn ln_binom_pmf(n: u64, p: f64, j: u64) -> f64 {
        use statrs::function::factorial::ln_factorial;
        ln_factorial(n) - ln_factorial(j) - ln_factorial(n - j)
            + j as f64 * p.ln()
            + (n - j) as f64 * (-p).ln_1p()
    }

    /// `P(X <= k)` for `X ~ Binomial(n, p)` by direct summation of the pmf outward from `k`
    /// (an oracle independent of the incomplete beta function).
    fn binom_cdf(n: u64, p: f64, k: u64) -> f64 {
        let mut sum = 0.0;
        let mut j = k as i64;
        while j >= 0 {
            let t = ln_binom_pmf(n, p, j as u64).exp();
            sum += t;
            if t < 1e-18 * sum && (j as f64) < n as f64 * p {
                break;
            }
            j -= 1;
        }
        sum
    }

    /// `P(X >= k)`.
    fn binom_sf(n: u64, p: f64, k: u64) -> f64 {
        let mut sum = 0.0;
        for j in k..=n {
            let t = ln_binom_pmf(n, p, j).exp();
            sum += t;
            if t < 1e-18 * sum && (j as f64) > n as f64 * p {
                break;
            }
        }
        sum
    }

    #[test]
    fn clopper_pearson_solves_its_defining_equations() {
        // Clopper & Pearson (1934): P(X >= k; n, lo) = alpha/2 and P(X <= k; n, hi) = alpha/2.
        let cases = [
            (10u64, 18u64),
            (3, 1_000),
            (500_000, 1_000_000),
            (999_990, 1_000_000),
            (7, 100_000_000),
            (25_000_000, 100_000_000),
        ];
        for &(k, n) in &cases {
            for &conf in &[0.95, 0.999] {
                let a2 = 0.5 * (1.0 - conf);
                let (lo, hi) = clopper_pearson(k, n, conf);
                let at_lo = binom_sf(n, lo, k);
                let at_hi = binom_cdf(n, hi, k);
                assert!(
                    close(at_lo, a2, 1e-6 * a2),
                    "{k}/{n} {conf}: lo {lo} gives {at_lo}"
                );
                assert!(
                    close(at_hi, a2, 1e-6 * a2),
                    "{k}/{n} {conf}: hi {hi} gives {at_hi}"
                );
            }
        }
    }

    #[test]
    fn clopper_pearson_huge_n_is_fast_and_sane() {
        let t0 = std::time::Instant::now();
        for &(k, n) in &[
            (5_000_000_000u64, 10_000_000_000u64),
            (3, 10_000_000_000),
            (9_999_999_999, 10_000_000_000),
        ] {
            let (cl, ch) = clopper_pearson(k, n, 0.95);
            let (wl, wh) = wilson(k, n, 0.95);
            let p = k as f64 / n as f64;
            assert!(cl < p && p < ch);
            // Both intervals have about the same width here.
            assert!(
                (ch - cl) < 2.0 * (wh - wl) && (wh - wl) < 2.0 * (ch - cl),
                "{k}/{n}"
            );
        }
        assert!(t0.elapsed().as_secs_f64() < 5.0, "{:?}", t0.elapsed());
        // Rare events: the Poisson limit, chi-square quantiles / 2 (Garwood 1936 table):
        // 3 events -> (0.618672, 8.767273) per n.
        let n = 10_000_000_000u64;
        let (lo, hi) = clopper_pearson(3, n, 0.95);
        assert_close(lo * n as f64, 0.618672, 2e-6);
        assert_close(hi * n as f64, 8.767273, 2e-6);
        let (lo, hi) = clopper_pearson(n - 3, n, 0.95);
        assert_close((1.0 - hi) * n as f64, 0.618672, 1e-4);
        assert_close((1.0 - lo) * n as f64, 8.767273, 1e-4);
    }

    #[test]
    fn ln_beta_accurate_for_large_shapes() {
        // B(1, b) = 1/b exactly; B(2, b) = 1/(b (b+1)).
        for &b in &[15.0, 100.0, 12_345.0, 5e7, 1e10, 1e14] {
            assert_close(ln_beta(1.0, b), -f64::ln(b), 1e-13 * f64::ln(b));
            assert_close(ln_beta(b, 2.0), -(b * (b + 1.0)).ln(), 1e-13 * b.ln());
        }
        // Agreement with statrs (Lanczos ln Gamma) where that has no large cancellation.
        for &(a, b) in &[
            (0.5, 3.0),
            (20.0, 30.0),
            (15.0, 15.0),
            (3.5, 40.0),
            (200.0, 700.0),
        ] {
            let want = statrs::function::beta::ln_beta(a, b);
            assert_close(ln_beta(a, b), want, 1e-12 * want.abs().max(1.0));
        }
        // Symmetric case vs the central binomial coefficient: B(m+1, m+1) = 1/((2m+1) C(2m, m)).
        let m = 20.0_f64;
        let c2m_m = 137_846_528_820.0_f64;
        assert_close(
            ln_beta(m + 1.0, m + 1.0),
            -((2.0 * m + 1.0) * c2m_m).ln(),
            1e-12,
        );
    }

    #[test]
    fn student_t_quantiles() {
        // Published two-sided 95 % and 99 % t quantiles.
        assert_close(t_value(0.95, 1.0), 12.706204736174698, 1e-9);
        assert_close(t_value(0.95, 4.0), 2.7764451051977987, 1e-12);
        assert_close(t_value(0.95, 30.0), 2.0422724563012373, 1e-12);
        assert_close(t_value(0.99, 10.0), 3.169_272_672_616_952, 1e-12);
        // Large df: t -> z (1 + (z^2 + 1) / (4 df)).
        let z = z_value(0.95);
        assert_close(t_value(0.95, 1e6), z * (1.0 + (z * z + 1.0) / 4e6), 1e-9);
    }

    #[test]
    fn intervals_nest_and_order() {
        for &n in &[1u64, 5, 18, 100, 1000, 100_000] {
            for k in [0, 1, n / 3, n / 2, n.saturating_sub(1), n] {
                let (wl, wh) = wilson(k, n, 0.95);
                let (cl, ch) = clopper_pearson(k, n, 0.95);
                let p = k as f64 / n as f64;
                assert!(0.0 <= wl && wl <= p && p <= wh && wh <= 1.0, "{k}/{n}");
                assert!(0.0 <= cl && cl <= p && p <= ch && ch <= 1.0, "{k}/{n}");
                // Wider at higher confidence.
                let (wl2, wh2) = wilson(k, n, 0.99);
                let (cl2, ch2) = clopper_pearson(k, n, 0.99);
                assert!(wl2 <= wl && wh2 >= wh && cl2 <= cl && ch2 >= ch);
            }
        }
        assert_eq!(wilson(0, 0, 0.95), (0.0, 1.0));
        assert_eq!(clopper_pearson(0, 0, 0.95), (0.0, 1.0));
        assert_eq!(wilson(7, 7, 0.95).1, 1.0);
    }

    #[test]
    fn proportion() {
        let pr = Proportion::new(10, 18, 0.95);
        assert_eq!((pr.k, pr.n), (10, 18));
        assert_close(pr.p, 10.0 / 18.0, 0.0);
        assert_5dp(pr.wilson.0, 0.33716);
        assert_5dp(pr.clopper_pearson.1, 0.78470);
        assert_close(pr.half_width(), 0.5 * (0.75440 - 0.33716), 1e-5);
        let empty = Proportion::new(0, 0, 0.95);
        assert!(empty.p.is_nan());
        assert_eq!(empty.wilson, (0.0, 1.0));
        assert_eq!(empty.clopper_pearson, (0.0, 1.0));
        assert_eq!(empty.half_width(), 0.5);
    }

    #[test]
    fn sample_size() {
        // 1e6 trials give a 95 % half-width of at most 0.001 (docs/model.md section 4).
        assert!(samples_for_half_width(0.5, 0.001, 0.95) <= 1_000_000);
        assert_eq!(samples_for_half_width(0.0, 0.01, 0.95), 0);
        assert_eq!(samples_for_half_width(0.5, 0.0, 0.95), u64::MAX);
        // z^2 * 0.09 / 1e-4 = 3457.3 -> 3458
        assert_eq!(samples_for_half_width(0.1, 0.01, 0.95), 3458);
    }

    #[test]
    fn newcombe_paired_worked_example() {
        // Cavo et al. (2012) as analysed in Fagerland, Lydersen & Laake (2017), ch. 8:
        // table [[59, 6], [16, 80]], difference -0.0621, 95 % CI -0.1186 to -0.0046.
        let c = PairedCounts {
            n: 161,
            both: 59,
            only_a: 6,
            only_b: 16,
        };
        let (d, lo, hi) = paired_difference(&c, 0.95);
        assert_close(d, -10.0 / 161.0, 1e-15);
        assert_close(lo, -0.1186, 5e-5);
        assert_close(hi, -0.0046, 5e-5);
        // Swapping A and B mirrors the interval.
        let s = PairedCounts {
            only_a: 16,
            only_b: 6,
            ..c
        };
        let (d2, lo2, hi2) = paired_difference(&s, 0.95);
        assert_close(d2, -d, 1e-15);
        assert_close(lo2, -hi, 1e-12);
        assert_close(hi2, -lo, 1e-12);
    }

    #[test]
    fn paired_difference_edges_and_large_n() {
        // Identical layouts: difference 0 with an interval around 0.
        let same = PairedCounts {
            n: 1000,
            both: 400,
            only_a: 0,
            only_b: 0,
        };
        let (d, lo, hi) = paired_difference(&same, 0.95);
        assert_eq!(d, 0.0);
        assert!(lo < 0.0 && hi > 0.0 && hi - lo < 0.05);
        // All events under both: margins zero, phi 0, interval still valid.
        let all = PairedCounts {
            n: 50,
            both: 50,
            only_a: 0,
            only_b: 0,
        };
        let (d, lo, hi) = paired_difference(&all, 0.95);
        assert_eq!(d, 0.0);
        assert!((-1.0..=0.0).contains(&lo) && (0.0..=1.0).contains(&hi));
        let (d, lo, hi) = paired_difference(&PairedCounts::default(), 0.95);
        assert!(d.is_nan());
        assert_eq!((lo, hi), (-1.0, 1.0));
        // Large n: Newcombe and the normal interval agree closely.
        let big = PairedCounts {
            n: 1_000_000,
            both: 800_000,
            only_a: 30_000,
            only_b: 20_000,
        };
        let (d1, l1, h1) = paired_difference(&big, 0.95);
        let (d2, l2, h2) = paired_difference_normal(&big, 0.95);
        assert_close(d1, 0.01, 1e-15);
        assert_close(d2, 0.01, 1e-15);
        assert_close(l1, l2, 2e-5);
        assert_close(h1, h2, 2e-5);
        // Normal interval: var of d = (b + c)/n - d^2 (times n/(n-1)).
        let var: f64 = (0.05 - 1e-4) * 1e6 / (1e6 - 1.0);
        assert_close(h2 - d2, z_value(0.95) * (var / 1e6).sqrt(), 1e-12);
        // The paired interval is much narrower than an unpaired one would be.
        let unpaired = z_value(0.95) * (2.0 * 0.83 * 0.17 / 1e6_f64).sqrt();
        assert!(h1 - d1 < 0.6 * unpaired);
    }

    #[test]
    #[should_panic]
    fn paired_counts_checked() {
        let bad = PairedCounts {
            n: 10,
            both: 5,
            only_a: 4,
            only_b: 2,
        };
        paired_difference(&bad, 0.95);
    }

    #[test]
    fn mean_interval_values() {
        // x = 1, 2, 3, 4, 5: mean 3, sd sqrt(2.5), t_{0.975, 4} = 2.7764451051977987
        let (m, lo, hi) = mean_interval(15.0, 55.0, 5, 0.95);
        assert_close(m, 3.0, 1e-15);
        let half = 2.7764451051977987 * (2.5_f64 / 5.0).sqrt();
        assert_close(lo, 3.0 - half, 1e-9);
        assert_close(hi, 3.0 + half, 1e-9);
        // Large n: normal quantile; constant data: zero width.
        let n = 2_000_000u64;
        let (m, lo, hi) = mean_interval(2.0 * n as f64, 4.0 * n as f64, n, 0.95);
        assert_eq!((m, lo, hi), (2.0, 2.0, 2.0));
        // Bernoulli(0.5) data, n = 1e6: variance 0.25 n / (n - 1), t with 999,999 df.
        let n = 1_000_000u64;
        let (m, lo, hi) = mean_interval(500_000.0, 500_000.0, n, 0.95);
        assert_close(m, 0.5, 0.0);
        let half = t_value(0.95, 999_999.0) * (0.25 / 999_999.0_f64).sqrt();
        assert_close(hi - m, half, 1e-12);
        assert_close(hi - m, z_value(0.95) * 0.5e-3, 1e-8);
        assert_close(m - lo, hi - m, 1e-15);
        // Beyond 10^6 df, the normal quantile.
        let n = 4_000_000u64;
        let (_, _, hi) = mean_interval(2e6, 2e6, n, 0.95);
        let half = z_value(0.95) * (0.25 / (n - 1) as f64).sqrt();
        assert_close(hi - 0.5, half, 1e-12);
        let (m, lo, hi) = mean_interval(0.0, 0.0, 0, 0.95);
        assert!(m.is_nan() && lo.is_nan() && hi.is_nan());
        let (m, lo, _) = mean_interval(7.0, 49.0, 1, 0.95);
        assert_eq!(m, 7.0);
        assert!(lo.is_nan());
    }

    #[test]
    fn adaptive_stopping() {
        // Target reached exactly when the Wilson half-width is small enough.
        assert!(!target_reached(0, 0, 0.01, 0.95));
        assert!(target_reached(5_000, 10_000, 0.01, 0.95));
        assert!(!target_reached(500, 1_000, 0.01, 0.95));
        assert_eq!(next_batch(5_000, 10_000, 0.01, 0.95, 1_000_000), 0);
        // From nothing: at least the minimum batch.
        assert_eq!(next_batch(0, 0, 0.001, 0.95, u64::MAX), 960_365);
        assert_eq!(next_batch(0, 0, 0.1, 0.95, u64::MAX), MIN_BATCH);
        // Capped by what remains.
        assert_eq!(next_batch(0, 0, 0.001, 0.95, 1234), 1234);
        assert_eq!(next_batch(0, 0, 0.001, 0.95, 0), 0);
        // p = 0 after a small batch does not stop: the guard p = 1/n keeps it going.
        assert!(!target_reached(0, 100, 0.001, 0.95));
        assert!(next_batch(0, 100, 0.001, 0.95, u64::MAX) >= MIN_BATCH);
        // At least 20 % growth.
        let n = 1_000_000;
        let more = next_batch(500_000, n, 0.00097, 0.95, u64::MAX);
        assert_eq!(more, 200_000);
        // Simulated loop converges: the estimate from p is close to the need.
        let p = 0.3;
        let target = 0.002;
        let mut n = 0u64;
        let mut steps = 0;
        loop {
            let k = (p * n as f64).round() as u64;
            let more = next_batch(k, n, target, 0.95, u64::MAX);
            if more == 0 {
                break;
            }
            n += more;
            steps += 1;
            assert!(steps < 20);
        }
        let need = samples_for_half_width(p, target, 0.95);
        assert!(
            n >= need && (n as f64) < 1.3 * need as f64,
            "n {n} need {need}"
        );
    }

    #[test]
    fn coverage_is_near_nominal() {
        // 2,000 replications each: the Monte Carlo standard error of a 95 % coverage is ~0.5 %.
        // (n, p) where the exact Wilson coverage is 94.8-95.5 % (Wilson's coverage oscillates
        // with n and p and dips to ~93.5 % at e.g. n = 50, p = 0.5).
        for (i, &(n, p)) in [
            (60u64, 0.5),
            (150, 0.2),
            (300, 0.4),
            (1000, 0.9),
            (250, 0.15),
        ]
        .iter()
        .enumerate()
        {
            let (w, c) = coverage(n, p, 2_000, 0.95, 1000 + i as u64);
            let (w, c) = (100.0 * w, 100.0 * c);
            assert!((93.0..=97.0).contains(&w), "Wilson n {n} p {p}: {w} %");
            assert!((94.0..=99.5).contains(&c), "CP n {n} p {p}: {c} %");
        }
        // Deterministic for a seed.
        assert_eq!(
            coverage(30, 0.2, 500, 0.95, 7),
            coverage(30, 0.2, 500, 0.95, 7)
        );
        // Degenerate p: every interval contains 0 (k = 0 gives lo = 0 exactly).
        assert_eq!(coverage(20, 0.0, 100, 0.95, 1), (1.0, 1.0));
        assert_eq!(coverage(20, 1.0, 100, 0.95, 1), (1.0, 1.0));
    }

    #[test]
    fn coverage_matches_exact_binomial_sum() {
        // Independent oracle: the exact coverage sum_k pmf(k) [p in CI(k)] for n = 40, p = 0.25.
        let (n, p) = (40u64, 0.25f64);
        let mut exact_w = 0.0;
        let mut exact_c = 0.0;
        let mut pmf = (1.0 - p).powi(n as i32);
        for k in 0..=n {
            let (wl, wh) = wilson(k, n, 0.95);
            let (cl, ch) = clopper_pearson(k, n, 0.95);
            if wl <= p && p <= wh {
                exact_w += pmf;
            }
            if cl <= p && p <= ch {
                exact_c += pmf;
            }
            pmf *= (n - k) as f64 / (k + 1) as f64 * p / (1.0 - p);
        }
        assert!(exact_c >= 0.95);
        let reps = 20_000;
        let (w, c) = coverage(n, p, reps, 0.95, 99);
        // 4 standard errors of a proportion near 0.95 with 20,000 replications: ~0.006.
        let tol = 4.0 * (0.05 * 0.95 / reps as f64).sqrt();
        assert_close(w, exact_w, tol);
        assert_close(c, exact_c, tol);
    }

    /// The sums of trials given as `(y_i, m_i)` pairs.
    fn sums_of(trials: &[(u64, u64)]) -> ClusterSums {
        let mut s = ClusterSums::default();
        for &(y, m) in trials {
            s.trials += 1;
            s.y += y;
            s.m += m;
            s.yy += y * y;
            s.ym += y * m;
            s.mm += m * m;
        }
        s
    }

    #[test]
    fn ratio_estimator_hand_example() {
        // Trials (y, m) = (2, 3), (0, 2), (3, 4): R = 5/9; residuals y - R m = 1/3, -10/9, 7/9,
        // squares 9/81 + 100/81 + 49/81 = 158/81; var = 3/2 * 158/81 / 9^2 = 237/6561.
        let s = sums_of(&[(2, 3), (0, 2), (3, 4)]);
        assert_eq!(
            s,
            ClusterSums {
                trials: 3,
                y: 5,
                m: 9,
                yy: 13,
                ym: 18,
                mm: 29
            }
        );
        assert_close(s.ratio(), 5.0 / 9.0, 1e-15);
        assert_close(s.residual_sum_sq(), 158.0 / 81.0, 1e-14);
        assert_close(s.variance(), 237.0 / 6561.0, 1e-15);
        // A trial without threats (a class absent from a raid) adds nothing to the sums but
        // counts as a trial: n / (n - 1) becomes 4/3.
        let s4 = sums_of(&[(2, 3), (0, 2), (0, 0), (3, 4)]);
        assert_close(s4.variance(), 4.0 / 3.0 * 158.0 / 81.0 / 81.0, 1e-15);
        // The proportion: n_eff = R (1 - R) / var = (20/81) / (237/6561) = 1620/237.
        let c = ClusterProportion::new(s, 0.95);
        assert_close(c.n_eff, 1620.0 / 237.0, 1e-12);
        assert_close(c.std_err, (237.0_f64 / 6561.0).sqrt(), 1e-15);
        assert_close(c.design_effect(), 9.0 * 237.0 / 1620.0, 1e-12);
        // Wilson at (k, n) = (R n_eff, n_eff), by hand.
        let (z, n, k) = (z_value(0.95), 1620.0 / 237.0, 5.0 / 9.0 * 1620.0 / 237.0);
        let centre = (k + z * z / 2.0) / (n + z * z);
        let half = z / (n + z * z) * (k * (n - k) / n + z * z / 4.0).sqrt();
        assert_close(c.wilson.0, centre - half, 1e-14);
        assert_close(c.wilson.1, centre + half, 1e-14);
        // Clopper-Pearson at non-integer shapes: the defining Beta tails hold.
        let (ln_lo_sf, ln_hi_cdf) = (
            ln_beta_tails(k, n - k + 1.0, c.clopper_pearson.0).1,
            ln_beta_tails(k + 1.0, n - k, c.clopper_pearson.1).0,
        );
        assert_close(ln_lo_sf.exp(), 0.975, 1e-9);
        assert_close(ln_hi_cdf.exp(), 0.975, 1e-9);
        // The mean interval: R +- t_{0.975, 2} sqrt(var).
        let (r, lo, hi) = ratio_interval(&s, 0.95);
        let half = 4.302_652_729_911_275 * (237.0_f64 / 6561.0).sqrt();
        assert_close(r, 5.0 / 9.0, 1e-15);
        assert_close(lo, 5.0 / 9.0 - half, 1e-9);
        assert_close(hi, 5.0 / 9.0 + half, 1e-9);
    }

    #[test]
    fn ratio_estimator_of_a_mean() {
        // Interceptors per threat: (y, m) = (5, 2), (1, 1), (9, 3), (0, 2). R = 15/8;
        // residuals 5 - 15/4 = 5/4, 1 - 15/8 = -7/8, 9 - 45/8 = 27/8, 0 - 15/4 = -15/4;
        // squares (100 + 49 + 729 + 900) / 64 = 1778/64; var = 4/3 * 1778/64 / 64.
        let s = sums_of(&[(5, 2), (1, 1), (9, 3), (0, 2)]);
        let var = 4.0 / 3.0 * 1778.0 / 64.0 / 64.0;
        assert_close(s.variance(), var, 1e-15);
        let (r, lo, hi) = ratio_interval(&s, 0.95);
        assert_close(r, 15.0 / 8.0, 0.0);
        assert_close(hi - r, t_value(0.95, 3.0) * var.sqrt(), 1e-12);
        assert_close(r - lo, hi - r, 1e-12);
        // Edges.
        let (r, lo, hi) = ratio_interval(&ClusterSums::default(), 0.95);
        assert!(r.is_nan() && lo.is_nan() && hi.is_nan());
        let (r, lo, _) = ratio_interval(&sums_of(&[(3, 2)]), 0.95);
        assert_eq!(r, 1.5);
        assert!(lo.is_nan());
    }

    #[test]
    fn cluster_reduces_to_binomial_with_one_threat_per_trial() {
        for &(k, n) in &[
            (300u64, 1000u64),
            (17, 40),
            (999_000, 1_000_000),
            (5, 100_000),
        ] {
            let s = ClusterSums::single_threat(k, n);
            let p = k as f64 / n as f64;
            // var = R (1 - R) / (n - 1) exactly (the residual sum is k (n - k) / n).
            assert_close(
                s.variance(),
                p * (1.0 - p) / (n - 1) as f64,
                1e-15 * p.max(1e-300),
            );
            let c = ClusterProportion::new(s, 0.95);
            assert_close(c.n_eff, (n - 1) as f64, 1e-9 * n as f64);
            assert_eq!(c.p, p);
            // Wilson and Clopper-Pearson of k in n, up to one trial of n.
            let (wl, wh) = wilson(k, n, 0.95);
            let (cl, ch) = clopper_pearson(k, n, 0.95);
            let tol = 2.0 * (wh - wl) / n as f64;
            assert_close(c.wilson.0, wl, tol);
            assert_close(c.wilson.1, wh, tol);
            assert_close(c.clopper_pearson.0, cl, 2.0 * (ch - cl) / n as f64);
            assert_close(c.clopper_pearson.1, ch, 2.0 * (ch - cl) / n as f64);
        }
        // No event or every event: the variance is 0, n_eff falls back to (sum m)^2 / sum m^2
        // = n, and the intervals are the binomial ones exactly.
        for &(k, n) in &[(0u64, 50u64), (50, 50), (0, 1), (1, 1)] {
            let c = ClusterProportion::new(ClusterSums::single_threat(k, n), 0.95);
            assert_eq!(c.n_eff, n as f64);
            assert_eq!(c.wilson, wilson(k, n, 0.95), "{k}/{n}");
            assert_eq!(c.clopper_pearson, clopper_pearson(k, n, 0.95), "{k}/{n}");
        }
        // No threats at all.
        let c = ClusterProportion::new(ClusterSums::default(), 0.95);
        assert!(c.p.is_nan());
        assert_eq!((c.wilson, c.clopper_pearson), ((0.0, 1.0), (0.0, 1.0)));
        assert_eq!(c.half_width(), 0.5);
    }

    #[test]
    fn cluster_interval_widens_with_common_mode() {
        // 1,000 raids of 10: 800 with 8 kills, 200 with none (a common-mode failure). R = 0.64.
        let mut trials = vec![(8u64, 10u64); 800];
        trials.extend(vec![(0, 10); 200]);
        let s = sums_of(&trials);
        let c = ClusterProportion::new(s, 0.95);
        assert_close(c.p, 0.64, 1e-15);
        // Residuals 8 - 6.4 = 1.6 and -6.4: (800 * 2.56 + 200 * 40.96) = 10240;
        // var = 1000/999 * 10240 / 10^8.
        let var: f64 = 1000.0 / 999.0 * 10240.0 / 1e8;
        assert_close(c.std_err, var.sqrt(), 1e-15);
        assert_close(c.n_eff, 0.64 * 0.36 / var, 1e-9);
        // Design effect: var over the binomial 0.64 * 0.36 / 10^4, about 4.45.
        assert_close(c.design_effect(), 1e4 * var / (0.64 * 0.36), 1e-9);
        assert!(c.design_effect() > 4.0);
        // The independent-threat interval is narrower by about sqrt(deff).
        let (wl, wh) = wilson(6400, 10_000, 0.95);
        let ratio = (c.wilson.1 - c.wilson.0) / (wh - wl);
        assert_close(ratio, c.design_effect().sqrt(), 0.02);
        // Threats of a raid sharing one fate: n_eff is about the number of raids.
        let mut shared = vec![(10u64, 10u64); 640];
        shared.extend(vec![(0, 10); 360]);
        let c = ClusterProportion::new(sums_of(&shared), 0.95);
        assert_close(c.n_eff, 999.0, 1e-9);
    }

    #[test]
    fn residual_sum_is_exact_for_large_equal_raids() {
        // 10^9 raids of 200, y = 150 or 151 alternately: residuals +-0.5, sum 0.25 * 10^9.
        let n = 1_000_000_000u64;
        let s = ClusterSums {
            trials: n,
            y: 150 * n / 2 + 151 * n / 2,
            m: 200 * n,
            yy: 150 * 150 * n / 2 + 151 * 151 * n / 2,
            ym: 150 * 200 * n / 2 + 151 * 200 * n / 2,
            mm: 200 * 200 * n,
        };
        assert_close(s.residual_sum_sq(), 0.25 * n as f64, 1e-6 * 0.25 * n as f64);
    }

    #[test]
    fn adaptive_stopping_per_threat() {
        // One threat per trial: the same decisions as the binomial rule, up to one trial.
        let w = Watched::PerThreat(ClusterSums::single_threat(5_000, 10_000));
        assert!(watched_target_reached(&w, 0.01, 0.95));
        let w = Watched::PerThreat(ClusterSums::single_threat(500, 1_000));
        assert!(!watched_target_reached(&w, 0.01, 0.95));
        let w = Watched::PerThreat(ClusterSums::default());
        assert!(!watched_target_reached(&w, 0.01, 0.95));
        assert_eq!(watched_next_batch(&w, 0.1, 0.95, u64::MAX), MIN_BATCH);
        let more = watched_next_batch(
            &Watched::PerThreat(ClusterSums::single_threat(30_000, 100_000)),
            0.001,
            0.95,
            u64::MAX,
        );
        // (n_eff = n - 1 trials of information instead of n: about need / n more.)
        let need = samples_for_half_width(0.3, 0.001, 0.95);
        assert!(
            more.abs_diff(need - 100_000) <= 2 + need / 100_000,
            "{more}"
        );
        // Raids with a design effect: the plan scales with it. Raids of 10 with p_kill 0.64
        // and a design effect of about 4.5 need about 4.5 / 10 of the binomial trials.
        let mut trials = vec![(8u64, 10u64); 8_000];
        trials.extend(vec![(0, 10); 2_000]);
        let s = sums_of(&trials);
        let c = ClusterProportion::new(s, 0.95);
        let w = Watched::PerThreat(s);
        let more = watched_next_batch(&w, 0.001, 0.95, u64::MAX);
        let binomial = samples_for_half_width(0.64, 0.001, 0.95) as f64;
        let want = binomial * c.design_effect() / 10.0 - 10_000.0;
        assert_close(more as f64, want, 2.0);
        // Simulated loop on such raids (sums scaled up) converges to the target.
        let mut n = 10_000u64;
        let mut steps = 0;
        loop {
            let k = n / 10_000;
            let scaled = ClusterSums {
                trials: s.trials * k,
                y: s.y * k,
                m: s.m * k,
                yy: s.yy * k,
                ym: s.ym * k,
                mm: s.mm * k,
            };
            let more = watched_next_batch(&Watched::PerThreat(scaled), 0.001, 0.95, u64::MAX);
            if more == 0 {
                assert!(ClusterProportion::new(scaled, 0.95).half_width() <= 0.001);
                break;
            }
            n += more.div_ceil(10_000) * 10_000;
            steps += 1;
            assert!(steps < 20);
        }
    }
}
