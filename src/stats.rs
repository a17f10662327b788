//! Estimators, confidence intervals, paired differences and adaptive stopping.
//!
//! Every probability interceptmc reports is a binomial proportion `k / n` (events `k` in `n`
//! independent trials) and comes with two confidence intervals at level `confidence`
//! (a fraction in (0, 1), e.g. 0.95):
//!
//! - the Wilson score interval (E. B. Wilson, "Probable inference, the law of succession, and
//!   statistical inference", J. Am. Stat. Assoc. 22, 209-212, 1927): close to nominal coverage
//!   on average, never outside [0, 1], the interval used for adaptive stopping;
//! - the Clopper-Pearson "exact" interval (C. J. Clopper and E. S. Pearson, "The use of
//!   confidence or fiducial limits illustrated in the case of the binomial", Biometrika 26,
//!   404-413, 1934): inverts the binomial test, so its coverage is at least nominal for every p.
//!
//! Comparisons between two defense layouts run with common random numbers (same seed, same
//! trials), so the two estimates are correlated and their difference gets a paired interval:
//! Newcombe's hybrid score interval for paired proportions (R. G. Newcombe, "Improved confidence
//! intervals for the difference between binomial proportions based on paired data", Statistics
//! in Medicine 17, 2635-2650, 1998, method 10), see [`paired_difference`].
//!
//! Reference values (REFERENCES.md section 5) are checked in the unit tests.

use rand_core::Rng;
use rand_pcg::Pcg32;
use statrs::distribution::{Beta, ContinuousCDF, Normal, StudentsT};

/// Smallest batch [`next_batch`] asks for, in trials.
pub const MIN_BATCH: u64 = 10_000;

/// Smallest growth per batch in [`next_batch`], as a fraction of the trials already run.
pub const MIN_GROWTH_FRACTION: f64 = 0.2;

/// Stream constant of the generator used by [`coverage`] (any fixed odd-ish value; it only has
/// to be deterministic).
const COVERAGE_STREAM: u64 = 0x5EED_C0FE_u64;

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
    let (kf, nf) = (k as f64, n as f64);
    let z2 = z * z;
    let denom = nf + z2;
    let centre = (kf + 0.5 * z2) / denom;
    let half = z / denom * (kf * (nf - kf) / nf + 0.25 * z2).sqrt();
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

/// Inverse of the regularized incomplete beta function `I_x(a, b) = q` (the Beta(a, b)
/// quantile), from statrs (AS 64 / AS 109 Newton iteration), polished by bisection on the CDF
/// when the Newton result does not reproduce `q` closely (possible for extreme shapes).
fn beta_quantile(a: f64, b: f64, q: f64) -> f64 {
    let dist = Beta::new(a, b).expect("beta shapes are positive and finite");
    let x = dist.inverse_cdf(q);
    let tol = 1e-12_f64.max(q.min(1.0 - q) * 1e-9);
    if x.is_finite() && (0.0..=1.0).contains(&x) && (dist.cdf(x) - q).abs() <= tol {
        return x;
    }
    // Fallback: bisection on the monotone CDF, to double precision in x.
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if dist.cdf(mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
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
    let alpha = 1.0 - confidence;
    let (kf, nf) = (k as f64, n as f64);
    let lo = if k == 0 {
        0.0
    } else {
        beta_quantile(kf, nf - kf + 1.0, 0.5 * alpha)
    };
    let hi = if k == n {
        1.0
    } else {
        beta_quantile(kf + 1.0, nf - kf, 1.0 - 0.5 * alpha)
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
/// quantile with `n - 1` degrees of freedom up to 100,000, the normal `z` beyond), with the
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
    let q = if n - 1 <= 100_000 {
        StudentsT::new(0.0, 1.0, (n - 1) as f64)
            .expect("positive degrees of freedom")
            .inverse_cdf(0.5 + 0.5 * confidence)
    } else {
        z
    };
    let half = q * (var / nf).sqrt();
    (mean, mean - half, mean + half)
}

/// True when `n > 0` trials with `k` events give a Wilson half-width (at `confidence`) of at
/// most `target_half_width` (a probability).
pub fn target_reached(k: u64, n: u64, target_half_width: f64, confidence: f64) -> bool {
    if n == 0 {
        return false;
    }
    let (lo, hi) = wilson(k, n, confidence);
    0.5 * (hi - lo) <= target_half_width
}

/// How many more trials to run, after `k` events in `n` trials, to bring the Wilson half-width
/// down to `target_half_width`, given at most `remaining` trials left in the budget.
///
/// Returns 0 when the target is reached (or nothing remains). Otherwise it estimates the total
/// needed with [`samples_for_half_width`] at a guarded proportion: `k / n` clamped to
/// `[1/n, 1 - 1/n]` (0.5 when `n < 2`), so `k = 0` does not stop at once. The batch is at
/// least [`MIN_BATCH`] and at least [`MIN_GROWTH_FRACTION`] of `n` (so a run that keeps
/// underestimating still converges geometrically), and at most `remaining`.
pub fn next_batch(k: u64, n: u64, target_half_width: f64, confidence: f64, remaining: u64) -> u64 {
    if remaining == 0 || target_reached(k, n, target_half_width, confidence) {
        return 0;
    }
    let p_plan = if n < 2 {
        0.5
    } else {
        let guard = 1.0 / n as f64;
        (k as f64 / n as f64).clamp(guard, 1.0 - guard)
    };
    let total = samples_for_half_width(p_plan, target_half_width, confidence);
    let more = total.saturating_sub(n);
    let floor = MIN_BATCH.max((n as f64 * MIN_GROWTH_FRACTION).ceil() as u64);
    more.max(floor).min(remaining)
}

/// Monte Carlo coverage check of the intervals: `replications` draws of
/// `k ~ Binomial(n, p)` (each a sum of `n` Bernoulli(p) trials from a `Pcg32` seeded with
/// `seed`; a trial succeeds when a `u32` draw is below `p * 2^32`), returning the fractions of
/// replications whose Wilson and Clopper-Pearson intervals at `confidence` contain `p`:
/// `(wilson, clopper_pearson)`, each in [0, 1]. Deterministic for a given seed.
/// `replications = 0` gives `(NaN, NaN)`.
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
        for &n in &[1u64, 2, 7, 100, 12_345, 1_000_000, 50_000_000] {
            let nf = n as f64;
            for &conf in &[0.9, 0.95, 0.999] {
                let a2 = 0.5 * (1.0 - conf);
                let (lo0, hi0) = clopper_pearson(0, n, conf);
                assert_eq!(lo0, 0.0);
                let exact0 = -(a2.ln() / nf).exp_m1(); // 1 - (a/2)^(1/n) without cancellation
                assert!(
                    close(hi0, exact0, 1e-9 * exact0),
                    "n {n}: {hi0} vs {exact0}"
                );
                let (lon, hin) = clopper_pearson(n, n, conf);
                assert_eq!(hin, 1.0);
                assert_close(lon, a2.powf(1.0 / nf), 1e-9);
                if n >= 2 {
                    // k = 1: lo = Beta^-1(a/2; 1, n) = 1 - (1 - a/2)^(1/n)
                    let lo1 = clopper_pearson(1, n, conf).0;
                    let exact = -((1.0 - a2).ln() / nf).exp_m1();
                    assert!(close(lo1, exact, 1e-9 * exact), "n {n}: {lo1} vs {exact}");
                    // k = n - 1: hi = Beta^-1(1 - a/2; n, 1) = (1 - a/2)^(1/n)
                    let hi1 = clopper_pearson(n - 1, n, conf).1;
                    assert_close(hi1, (1.0 - a2).powf(1.0 / nf), 1e-9);
                }
            }
        }
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
        // 1e6 trials give a 95 % half-width of at most 0.001 (REFERENCES.md section 4).
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
        // Bernoulli(0.5) data, n = 1e6: half = z * 0.5 / 1000 (approximately, n - 1).
        let n = 1_000_000u64;
        let (m, lo, hi) = mean_interval(500_000.0, 500_000.0, n, 0.95);
        assert_close(m, 0.5, 0.0);
        assert_close(hi - m, z_value(0.95) * 0.5e-3, 1e-9);
        assert_close(m - lo, hi - m, 1e-15);
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
}
