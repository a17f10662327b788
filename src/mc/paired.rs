//! Paired comparisons on common random numbers: two scenarios (two points of a sweep, two
//! layouts of `compare`) run the same trial indices from the same seed, so trial `i` of one
//! and trial `i` of the other share every random input, and the difference of an estimate is
//! estimated from the per-trial differences, far more precisely than from two independent runs.
//!
//! Per trial and threat class the backends' records give [`ClassCounts`] (threats, killed,
//! engaged, interceptors). Per class and for all threats, [`PairedMoments`] adds up, over the
//! trials, the six per-trial fields of both sides (threats `m`, killed `y`, engaged `e`,
//! interceptors `f`, present `p` = m > 0, no leaker `z` = present and y = m) and all their
//! products: integers, so shards add up to exactly what one process gets.
//!
//! Every estimate is a ratio `R = sum num_i / sum den_i` over trials (p_kill = y/m,
//! p_engaged = e/m, mean_interceptors = f/m, p_zero_leakers = z/p, mean_leakers = (m - y)/p),
//! and [`paired_estimate`] gives the difference `R_A - R_B` (A the point, B the baseline) with
//! its interval at level `confidence`:
//!
//! - a proportion whose denominator is 0 or 1 in every trial and the same on both sides (the
//!   trials of one threat, a per-trial proportion such as p_zero_leakers): Newcombe's (1998)
//!   paired interval ([`stats::paired_difference`]) over the trials where the denominator is 1;
//! - otherwise (per-threat proportions of raids, means): the linearisation of the difference of
//!   two ratio estimators with the trial as the unit (Cochran 1977, ch. 6, as in
//!   [`stats::ClusterSums`]): `u_i = (a_i - R_A b_i)/sum b - (c_i - R_B d_i)/sum d`,
//!   `var = n/(n - 1) sum u_i^2`, interval `R_A - R_B +- t sqrt(var)`, Student-t with n - 1
//!   degrees of freedom (normal beyond 10^6); the paired t interval when the denominators are
//!   the same constant. Proportions are clipped to [-1, 1].
//!
//! Two identical scenarios (`identical`: the same compiled batch and seed, so the same outcome
//! in every trial) give a difference of exactly 0 with the interval [0, 0] under every method.
//! Two different scenarios that no trial tells apart (the same numerator and denominator in
//! every trial, checked exactly on the integer sums) give [0, 0] under the linearisation (every
//! `u_i` is 0) but keep Newcombe's width: the true difference may still be a rare event.

use super::stats::{self, PairedCounts};
use crate::backend::TrialRecord;
use crate::model::types::{OUTCOME_KILLED, OUTCOME_UNENGAGED};
use serde::{Deserialize, Serialize};

/// One threat class in one trial.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClassCounts {
    /// Threats of the class in the trial (at most `MAX_RAID`).
    pub threats: u16,
    pub killed: u16,
    pub engaged: u16,
    /// Interceptors fired at the warheads of these threats.
    pub interceptors: u32,
}

impl ClassCounts {
    /// Bytes of [`to_bytes`](Self::to_bytes).
    pub const BYTES: usize = 10;

    /// Little-endian: threats, killed, engaged (u16), interceptors (u32).
    pub fn to_bytes(&self) -> [u8; Self::BYTES] {
        let mut b = [0u8; Self::BYTES];
        b[0..2].copy_from_slice(&self.threats.to_le_bytes());
        b[2..4].copy_from_slice(&self.killed.to_le_bytes());
        b[4..6].copy_from_slice(&self.engaged.to_le_bytes());
        b[6..10].copy_from_slice(&self.interceptors.to_le_bytes());
        b
    }

    pub fn from_bytes(b: &[u8]) -> ClassCounts {
        let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        ClassCounts {
            threats: u16_at(0),
            killed: u16_at(2),
            engaged: u16_at(4),
            interceptors: u32::from_le_bytes([b[6], b[7], b[8], b[9]]),
        }
    }

    /// The six fields of the moments: m, y, e, f, p, z.
    fn fields(&self) -> [u64; FIELDS] {
        let m = u64::from(self.threats);
        let y = u64::from(self.killed);
        let present = u64::from(m > 0);
        [
            m,
            y,
            u64::from(self.engaged),
            u64::from(self.interceptors),
            present,
            present * u64::from(y == m),
        ]
    }
}

/// The [`ClassCounts`] of consecutive trials, `classes` per trial (trial-major).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrialCounts {
    pub classes: usize,
    pub counts: Vec<ClassCounts>,
}

impl TrialCounts {
    pub fn trials(&self) -> usize {
        self.counts.len() / self.classes.max(1)
    }

    /// From a backend's records of trials `first .. first + trials` (trial then slot order, as
    /// `Backend::run_outcomes` returns them).
    pub fn from_records(
        records: &[TrialRecord],
        first: u64,
        trials: u64,
        classes: usize,
    ) -> TrialCounts {
        let mut counts = vec![ClassCounts::default(); trials as usize * classes];
        for r in records {
            let o = &r.outcome;
            let c = &mut counts[(r.trial - first) as usize * classes + o.class_id as usize];
            c.threats += 1;
            c.killed += u16::from(o.outcome == OUTCOME_KILLED);
            c.engaged += u16::from(o.outcome != OUTCOME_UNENGAGED);
            c.interceptors += o.interceptors;
        }
        TrialCounts { classes, counts }
    }
}

/// Per-trial fields of one side.
const FIELDS: usize = 6;
const M: usize = 0;
const Y: usize = 1;
const E: usize = 2;
const F: usize = 3;
const P: usize = 4;
const Z: usize = 5;
/// Both sides: A (the point) in 0..6, B (the baseline) in 6..12.
const DIM: usize = 2 * FIELDS;
/// Products j <= l of the DIM fields.
const PRODUCTS: usize = DIM * (DIM + 1) / 2;
/// Integers per group: DIM sums, then PRODUCTS sums of products.
pub const GROUP_LEN: usize = DIM + PRODUCTS;

fn product_index(j: usize, l: usize) -> usize {
    let (j, l) = if j <= l { (j, l) } else { (l, j) };
    // Rows 0..j of the upper triangle hold DIM + (DIM - 1) + ... entries.
    DIM + j * DIM - j * (j.saturating_sub(1)) / 2 - j + l
}

/// The integer sums over paired trials, per threat class (scenario order) and, last, for all
/// threats of a trial together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairedMoments {
    /// Paired trials.
    pub trials: u64,
    /// Per group, [`GROUP_LEN`] sums.
    pub groups: Vec<Vec<u64>>,
}

/// A sum overflowed u64 (more trials than the moments can hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the paired sums overflow 64 bits")]
pub struct Overflow;

impl PairedMoments {
    /// Empty sums for `classes` threat classes.
    pub fn new(classes: usize) -> PairedMoments {
        PairedMoments {
            trials: 0,
            groups: vec![vec![0; GROUP_LEN]; classes + 1],
        }
    }

    /// Threat classes.
    pub fn classes(&self) -> usize {
        self.groups.len().saturating_sub(1)
    }

    /// Adds paired trials: `a` (the point) and `b` (the baseline) hold the same trials.
    pub fn add_trials(&mut self, a: &TrialCounts, b: &TrialCounts) -> Result<(), Overflow> {
        let classes = self.classes();
        assert!(
            a.classes == classes && b.classes == classes && a.counts.len() == b.counts.len(),
            "paired trials of different shapes"
        );
        let mut v = [0u64; DIM];
        for t in 0..a.trials() {
            let mut all = [0u64; DIM];
            for c in 0..classes {
                let (fa, fb) = (
                    a.counts[t * classes + c].fields(),
                    b.counts[t * classes + c].fields(),
                );
                v[..FIELDS].copy_from_slice(&fa);
                v[FIELDS..].copy_from_slice(&fb);
                add_group(&mut self.groups[c], &v)?;
                for k in [M, Y, E, F] {
                    all[k] += fa[k];
                    all[FIELDS + k] += fb[k];
                }
            }
            for side in [0, FIELDS] {
                all[side + P] = 1;
                all[side + Z] = u64::from(all[side + Y] == all[side + M]);
            }
            add_group(&mut self.groups[classes], &all)?;
        }
        self.trials += a.trials() as u64;
        Ok(())
    }

    /// Adds the sums of other trials (another shard).
    pub fn add(&mut self, other: &PairedMoments) -> Result<(), Overflow> {
        assert_eq!(self.groups.len(), other.groups.len(), "different classes");
        for (g, h) in self.groups.iter_mut().zip(&other.groups) {
            for (x, y) in g.iter_mut().zip(h) {
                *x = x.checked_add(*y).ok_or(Overflow)?;
            }
        }
        self.trials = self.trials.checked_add(other.trials).ok_or(Overflow)?;
        Ok(())
    }
}

fn add_group(g: &mut [u64], v: &[u64; DIM]) -> Result<(), Overflow> {
    let add = |x: &mut u64, y: u64| -> Result<(), Overflow> {
        *x = x.checked_add(y).ok_or(Overflow)?;
        Ok(())
    };
    for j in 0..DIM {
        add(&mut g[j], v[j])?;
    }
    let mut k = DIM;
    for j in 0..DIM {
        if v[j] == 0 {
            k += DIM - j;
            continue;
        }
        for l in j..DIM {
            add(&mut g[k], v[j] * v[l])?;
            k += 1;
        }
    }
    Ok(())
}

/// The estimates compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Threats killed per threat (trial as the unit with raids).
    PKill,
    /// Threats engaged per threat.
    PEngaged,
    /// Interceptors fired at warheads per threat.
    MeanInterceptors,
    /// Trials (with the class) without a leaker.
    PZeroLeakers,
    /// Leakers per trial (with the class).
    MeanLeakers,
}

impl Metric {
    pub const ALL: [Metric; 5] = [
        Metric::PKill,
        Metric::PEngaged,
        Metric::MeanInterceptors,
        Metric::PZeroLeakers,
        Metric::MeanLeakers,
    ];

    /// The summary.csv column it is.
    pub fn name(self) -> &'static str {
        match self {
            Metric::PKill => "p_kill",
            Metric::PEngaged => "p_engaged",
            Metric::MeanInterceptors => "mean_interceptors",
            Metric::PZeroLeakers => "p_zero_leakers",
            Metric::MeanLeakers => "mean_leakers",
        }
    }

    pub fn is_proportion(self) -> bool {
        matches!(
            self,
            Metric::PKill | Metric::PEngaged | Metric::PZeroLeakers
        )
    }

    /// Numerator coefficients over the six fields, and the denominator field.
    fn ratio(self) -> ([i128; FIELDS], usize) {
        let unit = |k: usize| {
            let mut c = [0; FIELDS];
            c[k] = 1;
            c
        };
        match self {
            Metric::PKill => (unit(Y), M),
            Metric::PEngaged => (unit(E), M),
            Metric::MeanInterceptors => (unit(F), M),
            Metric::PZeroLeakers => (unit(Z), P),
            Metric::MeanLeakers => {
                let mut c = [0; FIELDS];
                c[M] = 1;
                c[Y] = -1;
                (c, P)
            }
        }
    }
}

/// A paired comparison of one estimate: the point's value, the baseline's, and the difference
/// (point - baseline) with its interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairedEstimate {
    pub value: f64,
    pub baseline: f64,
    pub difference: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Sums of linear combinations of one group's fields: `S(c)` and `S(c d)`.
struct Sums<'a>(&'a [u64]);

impl Sums<'_> {
    fn first(&self, c: &[i128; DIM]) -> i128 {
        (0..DIM).map(|j| c[j] * i128::from(self.0[j])).sum()
    }
    fn second(&self, c: &[i128; DIM], d: &[i128; DIM]) -> i128 {
        let mut s = 0i128;
        for (j, &cj) in c.iter().enumerate().filter(|(_, &x)| x != 0) {
            for (l, &dl) in d.iter().enumerate().filter(|(_, &x)| x != 0) {
                s += cj * dl * i128::from(self.0[product_index(j, l)]);
            }
        }
        s
    }
}

fn side(c: &[i128; FIELDS], b: bool) -> [i128; DIM] {
    let mut v = [0i128; DIM];
    let off = if b { FIELDS } else { 0 };
    v[off..off + FIELDS].copy_from_slice(c);
    v
}

fn unit(k: usize) -> [i128; FIELDS] {
    let mut c = [0; FIELDS];
    c[k] = 1;
    c
}

/// The paired estimate of `metric` on group `group` (a class, or `classes` for all threats).
/// `identical`: the two sides are the same scenario and seed (see the module docs).
pub fn paired_estimate(
    moments: &PairedMoments,
    group: usize,
    metric: Metric,
    identical: bool,
    confidence: f64,
) -> PairedEstimate {
    let s = Sums(&moments.groups[group]);
    let (num, den) = metric.ratio();
    let (a, b) = (side(&num, false), side(&unit(den), false));
    let (c, d) = (side(&num, true), side(&unit(den), true));
    let (sa, sb, sc, sd) = (s.first(&a), s.first(&b), s.first(&c), s.first(&d));
    let ratio = |n: i128, d: i128| {
        if d == 0 {
            f64::NAN
        } else {
            n as f64 / d as f64
        }
    };
    let (ra, rb) = (ratio(sa, sb), ratio(sc, sd));
    let nan = PairedEstimate {
        value: ra,
        baseline: rb,
        difference: f64::NAN,
        lo: f64::NAN,
        hi: f64::NAN,
    };
    if sb == 0 || sd == 0 {
        return nan;
    }
    let diff = ra - rb;
    let exact = |lo: f64, hi: f64| PairedEstimate {
        difference: diff,
        lo,
        hi,
        ..nan
    };
    // sum (x_A - x_B)^2 over trials, exactly.
    let discord =
        |x: &[i128; DIM], y: &[i128; DIM]| s.second(x, x) - 2 * s.second(x, y) + s.second(y, y);
    let (num_discord, den_discord) = (discord(&a, &c), discord(&b, &d));
    if identical {
        return exact(0.0, 0.0);
    }
    let clip = |x: f64| {
        if metric.is_proportion() {
            x.clamp(-1.0, 1.0)
        } else {
            x
        }
    };
    // Newcombe: a 0/1 denominator, the same on both sides in every trial.
    if metric.is_proportion() && den_discord == 0 && s.second(&b, &b) == sb {
        let both = s.second(&a, &c);
        let counts = PairedCounts {
            n: sb as u64,
            both: both as u64,
            only_a: (sa - both) as u64,
            only_b: (sc - both) as u64,
        };
        let (dd, lo, hi) = stats::paired_difference(&counts, confidence);
        return PairedEstimate {
            difference: dd,
            lo,
            hi,
            ..nan
        };
    }
    // No trial tells the sides apart: every u_i below is 0 (exactly, not up to rounding).
    if num_discord == 0 && den_discord == 0 {
        return exact(0.0, 0.0);
    }
    let n = moments.trials;
    if n < 2 {
        return exact(f64::NAN, f64::NAN);
    }
    let f = |x: i128| x as f64;
    let (bsum, dsum) = (f(sb), f(sd));
    // sum alpha^2, sum gamma^2, sum alpha gamma with alpha = a - R_A b, gamma = c - R_B d.
    let aa = f(s.second(&a, &a)) - 2.0 * ra * f(s.second(&a, &b)) + ra * ra * f(s.second(&b, &b));
    let cc = f(s.second(&c, &c)) - 2.0 * rb * f(s.second(&c, &d)) + rb * rb * f(s.second(&d, &d));
    let ac = f(s.second(&a, &c)) - rb * f(s.second(&a, &d)) - ra * f(s.second(&b, &c))
        + ra * rb * f(s.second(&b, &d));
    let sum_u2 = (aa / (bsum * bsum) - 2.0 * ac / (bsum * dsum) + cc / (dsum * dsum)).max(0.0);
    let nf = n as f64;
    let half = stats::t_quantile(confidence, n - 1) * (nf / (nf - 1.0) * sum_u2).sqrt();
    exact(clip(diff - half), clip(diff + half))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(v: &[(u16, u16)]) -> TrialCounts {
        TrialCounts {
            classes: 1,
            counts: v
                .iter()
                .map(|&(m, y)| ClassCounts {
                    threats: m,
                    killed: y,
                    engaged: m,
                    interceptors: u32::from(m),
                })
                .collect(),
        }
    }

    #[test]
    fn product_indices_cover_the_triangle_once() {
        let mut seen = [false; GROUP_LEN];
        for j in 0..DIM {
            for l in j..DIM {
                let k = product_index(j, l);
                assert!(k >= DIM && !seen[k], "({j}, {l}) -> {k}");
                seen[k] = true;
                assert_eq!(product_index(l, j), k);
            }
        }
        assert!(seen[DIM..].iter().all(|&s| s));
    }

    #[test]
    fn bytes_round_trip() {
        let c = ClassCounts {
            threats: 256,
            killed: 3,
            engaged: 200,
            interceptors: 70_000,
        };
        assert_eq!(ClassCounts::from_bytes(&c.to_bytes()), c);
    }

    #[test]
    fn single_threat_trials_use_newcombe() {
        // 10 trials: both killed 5, only A 2, only B 1, neither 2.
        let a = counts(&[
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 0),
            (1, 0),
            (1, 0),
        ]);
        let b = counts(&[
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 0),
            (1, 0),
            (1, 1),
            (1, 0),
            (1, 0),
        ]);
        let mut m = PairedMoments::new(1);
        m.add_trials(&a, &b).unwrap();
        let e = paired_estimate(&m, 0, Metric::PKill, false, 0.95);
        let (d, lo, hi) = stats::paired_difference(
            &PairedCounts {
                n: 10,
                both: 5,
                only_a: 2,
                only_b: 1,
            },
            0.95,
        );
        assert_eq!((e.difference, e.lo, e.hi), (d, lo, hi));
        assert_eq!((e.value, e.baseline), (0.7, 0.6));
        // The row `all` is the same with one threat per trial.
        assert_eq!(paired_estimate(&m, 1, Metric::PKill, false, 0.95), e);
    }

    #[test]
    fn identical_sides_give_exactly_zero() {
        let a = counts(&[(3, 1), (3, 3), (2, 0), (3, 2)]);
        let mut m = PairedMoments::new(1);
        m.add_trials(&a, &a).unwrap();
        for metric in Metric::ALL {
            for identical in [false, true] {
                let e = paired_estimate(&m, 0, metric, identical, 0.95);
                if metric == Metric::PZeroLeakers && !identical {
                    // Newcombe's interval keeps a width without discordant trials.
                    assert_eq!(e.difference, 0.0);
                    assert!(e.lo < 0.0 && e.hi > 0.0, "{e:?}");
                } else {
                    assert_eq!((e.difference, e.lo, e.hi), (0.0, 0.0, 0.0), "{metric:?}");
                }
            }
        }
    }

    #[test]
    fn raids_use_the_linearised_paired_interval() {
        // Raids of 3 with the same threats: the difference of the kill fractions is the mean
        // of the per-trial differences of killed / 3, and its interval the paired t interval.
        let a = counts(&[(3, 1), (3, 3), (3, 0), (3, 2), (3, 3)]);
        let b = counts(&[(3, 0), (3, 3), (3, 1), (3, 1), (3, 2)]);
        let mut m = PairedMoments::new(1);
        m.add_trials(&a, &b).unwrap();
        let e = paired_estimate(&m, 0, Metric::PKill, false, 0.95);
        let d: Vec<f64> = [1.0, 0.0, -1.0, 1.0, 1.0].iter().map(|x| x / 3.0).collect();
        let n = d.len() as f64;
        let mean = d.iter().sum::<f64>() / n;
        let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half = stats::t_quantile(0.95, 4) * sd / n.sqrt();
        assert!((e.difference - mean).abs() < 1e-15);
        assert!(
            (e.lo - (mean - half)).abs() < 1e-12,
            "{e:?} vs {}",
            mean - half
        );
        assert!((e.hi - (mean + half)).abs() < 1e-12);
        // Mean leakers per trial: the paired t interval on the per-trial leaker differences.
        let e = paired_estimate(&m, 0, Metric::MeanLeakers, false, 0.95);
        let d = [-1.0, 0.0, 1.0, -1.0, -1.0];
        let mean = d.iter().sum::<f64>() / n;
        let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half = stats::t_quantile(0.95, 4) * sd / n.sqrt();
        assert!((e.difference - mean).abs() < 1e-15);
        assert!((e.hi - (mean + half)).abs() < 1e-12, "{e:?}");
    }

    #[test]
    fn shards_add_up_to_the_whole() {
        let a = counts(&[(3, 1), (3, 3), (3, 0), (3, 2), (3, 3), (2, 1)]);
        let b = counts(&[(3, 0), (3, 3), (3, 1), (3, 1), (3, 2), (2, 2)]);
        let mut whole = PairedMoments::new(1);
        whole.add_trials(&a, &b).unwrap();
        let part = |r: std::ops::Range<usize>, t: &TrialCounts| TrialCounts {
            classes: 1,
            counts: t.counts[r].to_vec(),
        };
        let mut x = PairedMoments::new(1);
        x.add_trials(&part(0..2, &a), &part(0..2, &b)).unwrap();
        let mut y = PairedMoments::new(1);
        y.add_trials(&part(2..6, &a), &part(2..6, &b)).unwrap();
        x.add(&y).unwrap();
        assert_eq!(x, whole);
    }
}
