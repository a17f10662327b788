//! GPU-versus-CPU verification on identical trials (`interceptmc verify`):
//! (1) the random draws of sampled trials are bit-identical; (2) per-slot outcomes agree, and
//! every disagreement is a boundary case — recomputed with the f64 reference, some margin of
//! that slot's own decisions (an engagement time against its window end or the runner-up slot,
//! its first battery choice against the runner-up battery, a kill or assessment draw against
//! its threshold, also as the intercept-time shift that would carry a manoeuvre-dependent kill
//! probability past the draw, with capacity limits each candidate's slack against its launch
//! bound and intercept deadline, a window of that slot only grazed, or, the f64 reference
//! siding with one backend, a window of that slot of at most [`GRAZE_WINDOW_S`]) is within
//! tolerance, or, in a raid, another slot of the trial has such a boundary disagreement; (3)
//! the summary probabilities agree: both backends ran the same trials, so per threat class
//! (and for all threats) the GPU-minus-CPU difference of p_kill, p_engaged and p_zero_leakers
//! is estimated from the per-trial differences (`mc::paired`: Newcombe's paired interval when
//! a trial holds at most one threat of the class, the linearised difference of two ratio
//! estimators with the trial as the unit otherwise; docs/model.md section 5), and its
//! [`SUMMARY_CONFIDENCE`] interval must contain 0.

use crate::backend::{Backend, BackendError, TrialRecord};
use crate::base::limits::{ENGAGE_BASE, HEADER_DRAWS, MAX_WINDOWS, SLOT_DRAWS, SSPK_BASE};
use crate::base::vec3::mix;
use crate::base::V3;
use crate::kernel::engage::doctrine::{allocate_trial, Margins, TrialInput};
use crate::kernel::engage::envelope::{envelope_geometry, envelope_margins};
use crate::kernel::engage::intercept::{earliest_intercept, launch_at};
use crate::kernel::physics::propagate::{propagate, Observer, Sample};
use crate::kernel::propagate_slot;
use crate::kernel::rng::TrialRng;
use crate::kernel::{env_of, pick_class, sample_threat, slot_draws, DRAW_CLASS};
use crate::mc::paired::{paired_estimate, Metric, PairedMoments, TrialCounts};
use crate::model::batch::Batch;
use crate::model::types::{ThreatOutcome, ThreatTrack, Window};
use crate::scenario::Scenario;
use std::fmt::Write as _;
use std::time::Instant;

/// Tolerances of the boundary test.
#[derive(Clone, Copy, Debug)]
pub struct Tolerances {
    /// Time margin, s.
    pub time_s: f32,
    /// Probability margin (a draw this close to its threshold).
    pub probability: f32,
    /// Envelope depth at an engagement only one backend made, km.
    pub depth_km: f32,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            time_s: 0.1,
            probability: 1e-4,
            depth_km: 0.5,
        }
    }
}

/// One slot whose outcome differs between the backends.
#[derive(Clone, Debug)]
pub struct Disagreement {
    pub trial: u64,
    pub slot: u32,
    pub cpu: ThreatOutcome,
    pub gpu: ThreatOutcome,
    /// Smallest deciding time margin of this slot's decisions in the f64 recomputation, s.
    pub time_margin_s: f32,
    /// Smallest deciding probability margin of this slot's decisions in the f64 recomputation.
    pub probability_margin: f32,
    /// Shortest feasible window of this slot (a grazed envelope), s.
    pub shortest_window_s: f32,
    /// f32-versus-f64 clock drift of the trial, s (see `Recomputed`).
    pub precision_drift_s: f32,
    /// A window exists in only one precision and the f64 outcome matches a backend.
    pub grazed: bool,
    /// Explained by a boundary disagreement of another slot of the same raid.
    pub cascade: bool,
    pub boundary: bool,
}

/// One summary probability on both backends, compared on the identical trials.
#[derive(Clone, Debug)]
pub struct ProbabilityCheck {
    /// Threat class, or `all`.
    pub row: String,
    pub metric: &'static str,
    pub cpu: f64,
    pub gpu: f64,
    /// GPU minus CPU and its paired [`SUMMARY_CONFIDENCE`] interval (`mc::paired`).
    pub diff: f64,
    pub lo: f64,
    pub hi: f64,
    /// Trials whose count (threats of the row killed, engaged; no leaker) is higher on the
    /// GPU, and on the CPU.
    pub gpu_higher: u64,
    pub cpu_higher: u64,
    pub pass: bool,
}

/// Level of the paired intervals of the summary comparison.
pub const SUMMARY_CONFIDENCE: f64 = 0.999;

#[derive(Clone, Debug, Default)]
pub struct VerifyReport {
    pub trials: u64,
    pub draws_compared: u64,
    pub draw_mismatches: u64,
    pub slots: u64,
    pub disagreements: Vec<Disagreement>,
    /// Largest |GPU - CPU| of track times among agreeing slots, s.
    pub max_track_time_diff_s: f64,
    /// Largest |GPU - CPU| impact distance among agreeing slots, km.
    pub max_impact_diff_km: f64,
    pub probabilities: Vec<ProbabilityCheck>,
    pub cpu_wall_s: f64,
    pub gpu_wall_s: f64,
}

impl VerifyReport {
    pub fn unexplained(&self) -> usize {
        self.disagreements.iter().filter(|d| !d.boundary).count()
    }
    pub fn pass(&self) -> bool {
        self.draw_mismatches == 0
            && self.unexplained() == 0
            && self.probabilities.iter().all(|p| p.pass)
    }
}

/// Offsets checked per sampled trial: the header (reliability, sspk draws), a slot's sampling
/// draws and its first engagement draws, and the last slot.
pub fn draw_offsets(batch: &Batch) -> Vec<u32> {
    let last_slot = HEADER_DRAWS + (batch.raid_size() as u64 - 1) * SLOT_DRAWS;
    vec![
        0,
        SSPK_BASE as u32,
        HEADER_DRAWS as u32,
        (HEADER_DRAWS + ENGAGE_BASE) as u32,
        last_slot as u32,
    ]
}

/// Check (1): `gpu_draws(seed, trial_base, offset, n_trials, draws)` returns the GPU's first
/// `draws` u32 of each of `n_trials` trials from `trial_base`, at `offset`.
pub fn check_draws(
    batch: &Batch,
    trials: u64,
    mut gpu_draws: impl FnMut(u64, u32, u32, u32, u32) -> Result<Vec<u32>, BackendError>,
) -> Result<(u64, u64), BackendError> {
    let (n_per, draws) = (256u32, 8u32);
    let mut compared = 0;
    let mut mismatches = 0;
    let starts = [0u64, trials / 3, trials.saturating_sub(n_per as u64)];
    for &start in &starts {
        for offset in draw_offsets(batch) {
            let got = gpu_draws(batch.seed, start as u32, offset, n_per, draws)?;
            for i in 0..n_per as u64 {
                let mut rng = TrialRng::at(batch.seed, start + i, offset as u64);
                for k in 0..draws as usize {
                    compared += 1;
                    if rng.next_u32() != got[i as usize * draws as usize + k] {
                        mismatches += 1;
                    }
                }
            }
        }
    }
    Ok((compared, mismatches))
}

/// Shortest feasible window among `windows` (a grazed envelope), s.
fn shortest_window(windows: &[Window]) -> f32 {
    windows
        .iter()
        .filter(|w| w.t_first_s.is_finite())
        .map(|w| w.t_last_s - w.t_first_s)
        .fold(f32::INFINITY, f32::min)
}

/// What the f64 recomputation of one trial says about a disagreement; the margins are per
/// slot (index = slot), each from that slot's own decisions.
#[derive(Clone, Debug, Default)]
pub struct Recomputed {
    pub outcomes: Vec<ThreatOutcome>,
    /// Per slot: smallest deciding time margin of the f64 allocation (the allocation's own
    /// margins and [`battery_choice_margin_s`]), s.
    pub time_margin_s: Vec<f32>,
    /// Per slot: smallest deciding probability margin of the f64 allocation.
    pub probability_margin: Vec<f32>,
    /// Per slot: shortest feasible window in f64 or f32 (a window one precision finds and the
    /// other does not is a grazed envelope, short in the precision that finds it), s.
    pub shortest_window_s: Vec<f32>,
    /// How far the f32 flight's clock drifts from f64: the largest difference of impact or
    /// track time between the precisions over the trial's slots, s (trial-wide: a launch-order
    /// margin compares two slots' clocks). The kernels are f32, so a margin below this is one
    /// the precision itself can flip.
    pub precision_drift_s: f32,
    /// Per slot: some battery window exists in one precision and not in the other (a grazed
    /// envelope).
    pub window_flips: Vec<bool>,
    /// The CPU kernel's (f32) windows of the trial, slot-major.
    pub windows32: Vec<Window>,
}

/// Recomputes one trial with the f64 physics (windows rounded to f32 as both kernels store
/// them), and with the f32 physics for comparison.
pub fn recompute_f64(batch: &Batch, trial: u64) -> Recomputed {
    let n = batch.raid_size() as usize;
    let nw = batch.batteries.len() * MAX_WINDOWS;
    let mut windows = vec![Window::NONE; n * nw];
    let mut windows32 = vec![Window::NONE; n * nw];
    let mut tracks = Vec::with_capacity(n);
    let mut drift = 0f32;
    for s in 0..n {
        let t64 = propagate_slot::<f64>(batch, trial, s as u32, &mut windows[s * nw..(s + 1) * nw]);
        let t32 =
            propagate_slot::<f32>(batch, trial, s as u32, &mut windows32[s * nw..(s + 1) * nw]);
        drift = drift.max((t64.impact_time_s - t32.impact_time_s).abs());
        if t64.track_time_s.is_finite() && t32.track_time_s.is_finite() {
            drift = drift.max((t64.track_time_s - t32.track_time_s).abs());
        }
        tracks.push(t64);
    }
    let margins = Margins::new(n);
    let input = TrialInput {
        params: &batch.params,
        classes: &batch.classes,
        sensors: &batch.sensors,
        interceptors: &batch.interceptors,
        batteries: &batch.batteries,
        seed: batch.seed,
        trial,
        tracks: &tracks,
        windows: &windows,
        margins: Some(&margins),
    };
    let mut outcomes = vec![ThreatOutcome::default(); n];
    allocate_trial(&input, &mut outcomes);
    let slot = |s: usize| s * nw..(s + 1) * nw;
    Recomputed {
        outcomes,
        time_margin_s: margins
            .time_s
            .iter()
            .enumerate()
            .map(|(s, c)| {
                c.get()
                    .min(battery_choice_margin_s(batch, &windows[slot(s)]))
            })
            .collect(),
        probability_margin: margins.probability.iter().map(|c| c.get()).collect(),
        shortest_window_s: (0..n)
            .map(|s| shortest_window(&windows[slot(s)]).min(shortest_window(&windows32[slot(s)])))
            .collect(),
        precision_drift_s: drift,
        window_flips: (0..n)
            .map(|s| {
                windows[slot(s)]
                    .iter()
                    .zip(&windows32[slot(s)])
                    .any(|(a, b)| a.t_first_s.is_finite() != b.t_first_s.is_finite())
            })
            .collect(),
        windows32,
    }
}

/// The margin of a slot's first battery choice, s: the allocation takes the battery whose
/// earliest launch (over its windows) comes first, so the gap between the earliest and the
/// runner-up battery's earliest launch decides which battery fires. Two batteries whose windows
/// both open when the track allows a launch tie up to rounding (their first launches are the
/// same instant), and f32 rounding on either backend then picks the battery. `windows`: the
/// slot's windows, battery-major. +inf with fewer than two batteries able to engage.
pub fn battery_choice_margin_s(batch: &Batch, windows: &[Window]) -> f32 {
    let mut first = [f32::INFINITY; 2];
    for (b, bat) in batch.batteries.iter().enumerate() {
        let site = V3::from4(bat.site_km);
        let flyout = batch.interceptors[bat.interceptor as usize].flyout_speed_km_s;
        let launch = windows[b * MAX_WINDOWS..(b + 1) * MAX_WINDOWS]
            .iter()
            .take_while(|w| w.t_first_s != f32::INFINITY)
            .map(|w| {
                let t = earliest_intercept(w, site, flyout, f32::NEG_INFINITY);
                if t == f32::INFINITY {
                    f32::INFINITY
                } else {
                    launch_at(w, site, flyout, t)
                }
            })
            .fold(f32::INFINITY, f32::min);
        if launch < first[0] {
            first = [launch, first[0]];
        } else if launch < first[1] {
            first[1] = launch;
        }
    }
    if first[1] == f32::INFINITY {
        f32::INFINITY
    } else {
        first[1] - first[0]
    }
}

/// Longest window (s) that exists on one backend and not on the other, for slot `slot`; 0 when
/// the two backends' windows exist for the same batteries. `nw` windows per slot.
fn one_sided_window_s(cpu: &[Window], gpu: &[Window], slot: usize, nw: usize) -> f32 {
    let range = slot * nw..(slot + 1) * nw;
    cpu[range.clone()]
        .iter()
        .zip(&gpu[range])
        .filter(|(a, b)| a.t_first_s.is_finite() != b.t_first_s.is_finite())
        .map(|(a, b)| {
            if a.t_first_s.is_finite() {
                a.t_last_s - a.t_first_s
            } else {
                b.t_last_s - b.t_first_s
            }
        })
        .fold(0.0, f32::max)
}

/// A window found by one backend only and at most this long is a grazed envelope, s: at the
/// top of an arc 1 s of window is about a metre of altitude, a few f32 ulps of the radius.
pub const GRAZE_WINDOW_S: f32 = 1.0;

/// Observer that keeps the position at time `t_s`.
struct PositionAt {
    t_s: f64,
    p: Option<V3<f64>>,
}

impl Observer<f64> for PositionAt {
    fn start(&mut self, _s: &Sample<f64>) {}
    fn segment(&mut self, a: &Sample<f64>, b: &Sample<f64>) -> bool {
        if b.t_s < self.t_s {
            return true;
        }
        let f = if b.t_s > a.t_s {
            ((self.t_s - a.t_s) / (b.t_s - a.t_s)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        self.p = Some(mix(a.p, b.p, f));
        false
    }
}

/// How deep inside the best battery envelope the f64 trajectory of a slot is at `t_s` (the
/// engagement time one backend chose), km: the largest over batteries of the smallest
/// geometric margin (altitude floor and ceiling, ground range). Near zero: a grazed envelope.
pub fn envelope_depth_km(batch: &Batch, trial: u64, slot: u32, t_s: f64) -> f64 {
    let u = slot_draws(batch.seed, trial, slot);
    let th = sample_threat::<f64>(batch, pick_class(&batch.params, u[DRAW_CLASS as usize]), &u);
    let mut obs = PositionAt { t_s, p: None };
    propagate(&th, &env_of::<f64>(&batch.params), &mut obs);
    let Some(p) = obs.p else {
        return f64::NEG_INFINITY;
    };
    batch
        .batteries
        .iter()
        .map(|b| {
            let g = envelope_geometry::<f64>(b, &batch.interceptors[b.interceptor as usize]);
            envelope_margins(&g, p)
                .into_iter()
                .fold(f64::INFINITY, f64::min)
        })
        .fold(f64::NEG_INFINITY, f64::max)
}

fn same_outcome(a: &ThreatOutcome, b: &ThreatOutcome) -> bool {
    a.class_id == b.class_id
        && a.outcome == b.outcome
        && a.interceptors == b.interceptors
        && a.decoy_interceptors == b.decoy_interceptors
        && a.kill_battery == b.kill_battery
}

fn impact_km(a: &ThreatTrack, b: &ThreatTrack) -> f64 {
    use crate::base::frames::{geo_dir, ground_range_km};
    let d = |t: &ThreatTrack| {
        geo_dir(
            (t.impact_lat_deg as f64).to_radians(),
            (t.impact_lon_deg as f64).to_radians(),
        )
    };
    ground_range_km(d(a), d(b))
}

/// Trials where a per-trial count differs between the backends, `[gpu higher, cpu higher]`,
/// per group (threat class, then all threats) and metric (killed, engaged, no leaker).
type Discordant = Vec<[[u64; 2]; 3]>;

fn add_discordant(d: &mut Discordant, gpu: &TrialCounts, cpu: &TrialCounts) {
    let classes = gpu.classes;
    for t in 0..gpu.trials() {
        let mut all = [[0u64; 2]; 3]; // per metric: (gpu, cpu) sums over the classes
        let mut threats = 0u64;
        for (c, dc) in d.iter_mut().take(classes).enumerate() {
            let (g, k) = (&gpu.counts[t * classes + c], &cpu.counts[t * classes + c]);
            let m = k.threats as u64;
            threats += m;
            let fields = [
                (g.killed as u64, k.killed as u64),
                (g.engaged as u64, k.engaged as u64),
                (
                    (m > 0 && g.killed as u64 == m) as u64,
                    (m > 0 && k.killed as u64 == m) as u64,
                ),
            ];
            for (j, (x, y)) in fields.into_iter().enumerate() {
                if j < 2 {
                    all[j][0] += x;
                    all[j][1] += y;
                }
                if x > y {
                    dc[j][0] += 1;
                } else if y > x {
                    dc[j][1] += 1;
                }
            }
        }
        all[2] = [
            (threats > 0 && all[0][0] == threats) as u64,
            (threats > 0 && all[0][1] == threats) as u64,
        ];
        for (j, [x, y]) in all.into_iter().enumerate() {
            if x > y {
                d[classes][j][0] += 1;
            } else if y > x {
                d[classes][j][1] += 1;
            }
        }
    }
}

/// Checks (2) and (3): runs both backends on trials 0..`samples` in batches and compares.
#[allow(clippy::too_many_arguments)] // two backends, their inputs, the tolerances and a probe
pub fn compare_backends(
    sc: &Scenario,
    batch: &Batch,
    cpu: &mut dyn Backend,
    gpu: &mut dyn Backend,
    samples: u64,
    tol: Tolerances,
    report: &mut VerifyReport,
    gpu_windows: &mut dyn FnMut(u64) -> Option<Vec<Window>>,
) -> Result<(), BackendError> {
    let classes = batch.classes.len();
    // A = the GPU, B = the CPU, on the same trials.
    let mut moments = PairedMoments::new(classes);
    let mut discordant: Discordant = vec![[[0; 2]; 3]; classes + 1];
    let mut overflow = false;
    let step = 20_000u64;
    let mut start = 0;
    while start < samples {
        let range = start..(start + step).min(samples);
        let t0 = Instant::now();
        let c = cpu.run(batch, range.clone(), true)?;
        report.cpu_wall_s += t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        let g = gpu.run(batch, range.clone(), true)?;
        report.gpu_wall_s += t1.elapsed().as_secs_f64();
        compare_records(batch, &c.records, &g.records, tol, report, gpu_windows);
        let n = range.end - range.start;
        let (tc, tg) = (
            TrialCounts::from_records(&c.records, range.start, n, classes),
            TrialCounts::from_records(&g.records, range.start, n, classes),
        );
        overflow |= moments.add_trials(&tg, &tc).is_err();
        add_discordant(&mut discordant, &tg, &tc);
        start = range.end;
    }
    report.trials = samples;
    explain_raid_cascades(report);
    for (group, d) in discordant.iter().enumerate() {
        let name = sc
            .threats
            .get(group)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| "all".to_string());
        for (j, metric) in [Metric::PKill, Metric::PEngaged, Metric::PZeroLeakers]
            .into_iter()
            .enumerate()
        {
            let e = paired_estimate(&moments, group, metric, false, SUMMARY_CONFIDENCE);
            // A class no trial holds has no estimate on either side: nothing to compare.
            let absent = e.value.is_nan() && e.baseline.is_nan();
            report.probabilities.push(ProbabilityCheck {
                row: name.clone(),
                metric: metric.name(),
                cpu: e.baseline,
                gpu: e.value,
                diff: e.difference,
                lo: e.lo,
                hi: e.hi,
                gpu_higher: d[j][0],
                cpu_higher: d[j][1],
                pass: !overflow && (absent || (e.lo <= 0.0 && 0.0 <= e.hi)),
            });
        }
    }
    Ok(())
}

/// In a raid the slots share inventories and the allocation order, so one slot's boundary
/// flip changes the engagements of the others: every disagreement in a trial that has a
/// boundary disagreement is explained by it.
fn explain_raid_cascades(report: &mut VerifyReport) {
    let boundary_trials: std::collections::HashSet<u64> = report
        .disagreements
        .iter()
        .filter(|d| d.boundary)
        .map(|d| d.trial)
        .collect();
    for d in report.disagreements.iter_mut() {
        if !d.boundary && boundary_trials.contains(&d.trial) {
            d.boundary = true;
            d.cascade = true;
        }
    }
}

fn compare_records(
    batch: &Batch,
    cpu: &[TrialRecord],
    gpu: &[TrialRecord],
    tol: Tolerances,
    report: &mut VerifyReport,
    gpu_windows: &mut dyn FnMut(u64) -> Option<Vec<Window>>,
) {
    assert_eq!(
        cpu.len(),
        gpu.len(),
        "backends returned different record counts"
    );
    let mut checked_trial = u64::MAX;
    let mut recomputed = Recomputed::default();
    let mut gpu_w: Option<Vec<Window>> = None;
    for (c, g) in cpu.iter().zip(gpu) {
        assert_eq!((c.trial, c.slot), (g.trial, g.slot), "records out of order");
        report.slots += 1;
        if same_outcome(&c.outcome, &g.outcome) {
            let dt = (c.track.track_time_s as f64 - g.track.track_time_s as f64).abs();
            if dt.is_finite() {
                report.max_track_time_diff_s = report.max_track_time_diff_s.max(dt);
            }
            report.max_impact_diff_km =
                report.max_impact_diff_km.max(impact_km(&c.track, &g.track));
            continue;
        }
        if checked_trial != c.trial {
            recomputed = recompute_f64(batch, c.trial);
            gpu_w = gpu_windows(c.trial);
            checked_trial = c.trial;
        }
        let r = &recomputed;
        let slot = c.slot as usize;
        // A time margin is within tolerance when it is below the stated tolerance or twice
        // the f32-versus-f64 clock drift of this very trial.
        let time_tol = tol.time_s.max(2.0 * r.precision_drift_s);
        // This slot's own margins only.
        let at = |v: &[f32]| v.get(slot).copied().unwrap_or(f32::INFINITY);
        let (time_m, prob_m, shortest) = (
            at(&r.time_margin_s),
            at(&r.probability_margin),
            at(&r.shortest_window_s),
        );
        let window_flips = r.window_flips.get(slot).copied().unwrap_or(false);
        // Or the f64 reference sides with one backend and a window of this slot exists in only
        // one precision: the envelope is grazed, and f32 rounding alone decides.
        let f64_sides = r
            .outcomes
            .get(c.slot as usize)
            .is_some_and(|o| same_outcome(o, &c.outcome) || same_outcome(o, &g.outcome));
        // Or one backend engaged at a time when the f64 trajectory only grazes an envelope
        // (within `tol.depth_km` of its edge): the other backend's f32 found no window there.
        let engaged_at = |o: &ThreatOutcome| {
            o.last_engagement_s
                .is_finite()
                .then_some(o.last_engagement_s as f64)
        };
        let depth = engaged_at(&c.outcome)
            .or(engaged_at(&g.outcome))
            .map(|t| envelope_depth_km(batch, c.trial, c.slot, t).abs())
            .unwrap_or(f64::INFINITY);
        // Or a short window (<= GRAZE_WINDOW_S) that only one backend found for this slot.
        let one_sided = gpu_w
            .as_ref()
            .map(|gw| {
                one_sided_window_s(
                    &r.windows32,
                    gw,
                    c.slot as usize,
                    batch.batteries.len() * MAX_WINDOWS,
                )
            })
            .unwrap_or(0.0);
        let graze_gpu = one_sided > 0.0 && one_sided <= GRAZE_WINDOW_S;
        // Or the f64 reference sides with one backend and a window of this slot lasts at most
        // GRAZE_WINDOW_S in f64 or f32: the envelope is grazed, and the edges of such a window
        // move by far more than the positions do (the margins barely change sign there), so
        // two kernels that interpolate a step differently place them apart.
        let short_window = f64_sides && shortest <= GRAZE_WINDOW_S;
        let boundary = time_m <= time_tol
            || prob_m <= tol.probability
            || shortest <= time_tol
            || (f64_sides && window_flips)
            || (f64_sides && depth <= tol.depth_km as f64)
            || graze_gpu
            || short_window;
        report.disagreements.push(Disagreement {
            trial: c.trial,
            slot: c.slot,
            cpu: c.outcome,
            gpu: g.outcome,
            time_margin_s: time_m,
            probability_margin: prob_m,
            shortest_window_s: shortest,
            precision_drift_s: r.precision_drift_s,
            grazed: graze_gpu
                || short_window
                || (f64_sides && (window_flips || depth <= tol.depth_km as f64)),
            cascade: false,
            boundary,
        });
    }
}

fn brief(o: &ThreatOutcome) -> String {
    let battery = if o.kill_battery == crate::model::types::NO_BATTERY {
        "-".to_string()
    } else {
        o.kill_battery.to_string()
    };
    format!(
        "{}/{}/{}/{}/{}",
        o.class_id, o.outcome, o.interceptors, o.decoy_interceptors, battery
    )
}

/// The compact text report.
pub fn render(report: &VerifyReport, tol: Tolerances) -> String {
    let mut s = String::new();
    let ok = |b: bool| if b { "ok" } else { "FAIL" };
    let _ = writeln!(
        s,
        "[{}] random draws: {} compared, {} mismatches",
        ok(report.draw_mismatches == 0),
        report.draws_compared,
        report.draw_mismatches
    );
    let _ = writeln!(
        s,
        "[{}] per-slot outcomes: {} slots, {} disagree ({} boundary cases: a deciding margin of the slot's own decisions within max({} s, 2 x the trial's f32 drift) or {} in probability, or an envelope grazed: a window of at most 1 s on one backend or in one precision only (or on both, the f64 reference siding with one), or an engagement within {} km of its edge; or a raid cascade of one of these; {} unexplained)",
        ok(report.unexplained() == 0),
        report.slots,
        report.disagreements.len(),
        report.disagreements.len() - report.unexplained(),
        tol.time_s,
        tol.probability,
        tol.depth_km,
        report.unexplained()
    );
    // Unexplained ones first.
    let mut shown: Vec<&Disagreement> = report
        .disagreements
        .iter()
        .filter(|d| !d.boundary)
        .collect();
    shown.extend(report.disagreements.iter().filter(|d| d.boundary));
    for d in shown.into_iter().take(10) {
        let _ = writeln!(
            s,
            "      trial {} slot {}: cpu {} vs gpu {} (class/outcome/interceptors/decoy/battery); f64 margins (this slot): time {:.4} s, probability {:.2e}, shortest window {:.3} s, f32 drift {:.3} s{} -> {}",
            d.trial,
            d.slot,
            brief(&d.cpu),
            brief(&d.gpu),
            d.time_margin_s,
            d.probability_margin,
            d.shortest_window_s,
            d.precision_drift_s,
            if d.grazed { ", envelope grazed (a short window on one backend or in one precision only, or an engagement within the depth tolerance of its edge)" } else { "" },
            if d.cascade {
                "boundary (raid cascade)"
            } else if d.boundary { "boundary" } else { "UNEXPLAINED" }
        );
    }
    let _ = writeln!(
        s,
        "      agreeing slots: track times within {:.2e} s, impact points within {:.3} km",
        report.max_track_time_diff_s, report.max_impact_diff_km
    );
    let all_pass = report.probabilities.iter().all(|p| p.pass);
    let _ = writeln!(
        s,
        "[{}] summary probabilities, paired on the identical trials (gpu - cpu; its {} % interval must contain 0):",
        ok(all_pass),
        SUMMARY_CONFIDENCE * 100.0
    );
    for p in &report.probabilities {
        let _ = writeln!(
            s,
            "      {:<10} {:<15} cpu {:.6} gpu {:.6} diff {:+.2e} [{:+.2e}, {:+.2e}] (trials that differ: {} higher on the gpu, {} on the cpu) {}",
            p.row,
            p.metric,
            p.cpu,
            p.gpu,
            p.diff,
            p.lo,
            p.hi,
            p.gpu_higher,
            p.cpu_higher,
            ok(p.pass)
        );
    }
    let _ = writeln!(
        s,
        "{}: {} trials; cpu {:.2} s, gpu {:.2} s (with per-trial readback)",
        if report.pass() { "PASS" } else { "FAIL" },
        report.trials,
        report.cpu_wall_s,
        report.gpu_wall_s
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mc::paired::ClassCounts;

    fn counts(rows: &[(u16, u16, u16)]) -> TrialCounts {
        // One class per trial: (threats, killed, engaged).
        TrialCounts {
            classes: 2,
            counts: rows
                .iter()
                .flat_map(|&(m, y, e)| {
                    [
                        ClassCounts {
                            threats: m,
                            killed: y,
                            engaged: e,
                            interceptors: 0,
                        },
                        ClassCounts::default(),
                    ]
                })
                .collect(),
        }
    }

    /// Hand-counted: trial 0 agrees, trial 1 has one more kill on the GPU (and so no leaker
    /// there), trial 2 one more engagement on the CPU.
    #[test]
    fn discordant_trials_are_counted_per_metric_and_group() {
        let gpu = counts(&[(2, 1, 2), (2, 2, 2), (1, 0, 0)]);
        let cpu = counts(&[(2, 1, 2), (2, 1, 2), (1, 0, 1)]);
        let mut d: Discordant = vec![[[0; 2]; 3]; 3];
        add_discordant(&mut d, &gpu, &cpu);
        for group in [0, 2] {
            assert_eq!(d[group][0], [1, 0], "killed, group {group}");
            assert_eq!(d[group][1], [0, 1], "engaged, group {group}");
            assert_eq!(d[group][2], [1, 0], "no leaker, group {group}");
        }
        assert_eq!(d[1], [[0; 2]; 3], "the empty class");
    }
}
