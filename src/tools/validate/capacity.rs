//! Capacity limits (docs/model.md sections 9 and 10, "Capacity") against hand-computed cases, on
//! each backend: identical cruise missiles flying head-on over a battery, so every quantity
//! follows from the geometry, computed here in f64 independently of the kernels (the missile's
//! position along the equator, the straight-line fly-out, bisection for the intercept whose
//! launch is a given time):
//!
//! - one fire channel: the channel frees at each intercept, so the next launch is the previous
//!   intercept time; the threats engaged are the launch-to-intercept cycles that fit in the
//!   window (fewer than the threats), at the intercept times of that chain;
//! - `launch_interval_s`: launches spaced by the interval from the first, the intercepts where
//!   those launches reach the missiles, as many as fit in the window;
//! - `track_capacity` K of the only cueing radar against N > K threats detected together: K
//!   tracked and engaged, the others wait for a track that frees only when the tracked ones
//!   leave coverage, which they do together with the waiting ones (at the flight's end): K
//!   engaged;
//! - decoys count against track capacity: two warheads with 2 decoys each detected together by
//!   a radar of 3 tracks: the second warhead waits until the first one's decoys strip, below
//!   the exo-atmospheric battery's floor (1 engaged); with 4 tracks, 2 engaged;
//! - a fire-control radar at the launch point that loses the low-flying missile below its
//!   horizon (line of sight on a spherical Earth, docs/model.md section 2) before the battery's
//!   window ends: shoot-look-shoot shots only up to that moment, against every shot of the
//!   window without the requirement.
//!
//! Each case also checks the capacity tally (`tally::capacity`): the threats whose engagement the
//! limit delayed or prevented, counted by hand.

use super::{ErrorKind, McBackend, Row, RowBuilder};
use crate::backend::Backend;
use crate::model::batch::Batch;
use crate::model::tally;
use crate::model::types::{
    CAP_CHANNELS, CAP_FIRE_CONTROL, CAP_INTERVAL, CAP_TRACK, OUTCOME_KILLED, OUTCOME_UNENGAGED,
};

const GROUP: &str = "capacity";
/// What this group checks, for the report.
pub const ABOUT: &str = "Capacity limits (docs/model.md sections 9 and 10) against hand-computed cases on each backend: identical cruise missiles (20 km, 1 km/s) flying head-on over a battery, the geometry computed independently in f64. One fire channel: the threats engaged are the launch-to-intercept cycles that fit in the window, at the intercept times of the chain (launch = previous intercept). launch_interval_s: launches spaced by the interval, intercepts where they reach the missiles. track_capacity K of the only cueing radar against N > K threats detected together: K engaged; decoys above their strip altitude take tracks too (two warheads with two decoys each: 1 engaged with 3 tracks, 2 with 4). A fire-control radar that loses the missile below its horizon: shoot-look-shoot shots only up to that moment, against the whole window without it. Counts and the capacity tallies must equal the hand computation exactly, intercept times within 0.1 s (the windows' cubic Hermite state).";
const SRC: &str = "hand-computed (docs/model.md §9-10 capacity rules)";

const R: f64 = crate::base::constants::EARTH_RADIUS_KM;
/// The missiles' altitude, km, and ground speed, km/s.
const ALT: f64 = 20.0;
const SPEED: f64 = 1.0;
/// Tolerance of intercept times against the f64 oracle, s. The kernels rebuild the missile's
/// state inside a window by cubic Hermite interpolation between its two ends (docs/model.md
/// section 9): over these 200 s windows that puts an intercept 0.01-0.02 s off the exact one,
/// up to 0.08 s past the battery, where the missile recedes and an error in the launch grows
/// threefold in the intercept time (measured on both backends). The counts, which are what the
/// limits decide, are exact; every chain's next decision is more than 1 s of launch time from
/// flipping.
const TIME_TOLERANCE_S: f64 = 0.1;

/// `n` identical cruise missiles from (0, 0) east along the equator to `aim_lon_deg`, launched
/// together; the given sensors, battery (with interceptor `i`) and doctrine.
fn world(n: u32, aim_lon_deg: f64, sensors: &str, interceptor: &str, rest: &str) -> String {
    format!(
        r#"
name = "validate-capacity"
[run]
samples = 1
seed = 1
dt_s = 1.0
dt_atmosphere_s = 1.0
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "cm"
kind = "cruise"
launch = {{ lat_deg = 0.0, lon_deg = 0.0, radius_km = 0.0 }}
aim = {{ lat_deg = 0.0, lon_deg = {aim_lon_deg}, sigma_km = 0.0 }}
launch_time_s = [0.0, 0.0]
rcs_m2 = 1.0
boost_time_s = 0.0
cruise = {{ altitude_km = {ALT}, speed_km_s = {SPEED}, weave_g = 0.0, dive_range_km = 0.0 }}
{sensors}
{interceptor}
{rest}
[raid]
size = {n}
launch_window_s = 0.0
"#
    )
}

/// Two identical ballistic warheads (a 3,000 km free shot, apogee about 650 km) with `decoys`
/// decoys each (never discriminated), seen by one radar of `track_capacity` that cues one
/// exo-atmospheric battery (150-2,000 km: it can engage only above the decoys' 80 km strip
/// altitude). Salvo of one at each object, one engagement per threat.
fn decoy_world(decoys: u32, track_capacity: usize) -> String {
    format!(
        r#"
name = "validate-capacity-decoys"
[run]
samples = 1
seed = 1
dt_s = 5.0
dt_atmosphere_s = 1.0
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "rv"
kind = "ballistic"
launch = {{ lat_deg = 0.0, lon_deg = 0.0 }}
boost_time_s = 0.0
burnout_altitude_km = 0.0
burnout_speed_km_s = 4.865
flight_path_angle_deg = 38.255
azimuth_deg = 90.0
decoys = {decoys}
discrimination_probability = 0.0
decoy_strip_altitude_km = 80.0
[[sensor]]
name = "r"
kind = "radar"
site = {{ lat_deg = 0.0, lon_deg = 13.0 }}
max_range_km = 5000.0
track_capacity = {track_capacity}
[interceptor.exo]
min_altitude_km = 150.0
max_altitude_km = 2000.0
max_range_km = 5000.0
flyout_speed_km_s = 100.0
sspk = 0.5
divert_g = 10.0
[[battery]]
name = "b"
site = {{ lat_deg = 0.0, lon_deg = 13.0 }}
interceptor = "exo"
inventory = 1000
[doctrine]
mode = "salvo"
salvo_size = 1
max_engagements = 1
[raid]
size = 2
"#
    )
}

/// A radar at the launch point (seeing the missile from launch).
fn radar(name: &str, min_elevation_deg: f64, extra: &str) -> String {
    format!(
        "[[sensor]]\nname = \"{name}\"\nkind = \"radar\"\nsite = {{ lat_deg = 0.0, lon_deg = 0.0 }}\n\
         max_range_km = 5000.0\nmin_elevation_deg = {min_elevation_deg}\ntrack_delay_s = 0.0\n{extra}\n"
    )
}

fn interceptor(range_km: f64, flyout_km_s: f64, sspk: f64) -> String {
    format!(
        "[interceptor.i]\nmin_altitude_km = 0.0\nmax_altitude_km = 100.0\nmax_range_km = {range_km}\n\
         flyout_speed_km_s = {flyout_km_s}\nsspk = {sspk}\ndivert_g = 10.0\n"
    )
}

/// A battery on the track, `x_km` of ground distance from the launch point.
fn battery(x_km: f64, extra: &str) -> String {
    format!(
        "[[battery]]\nname = \"b\"\nsite = {{ lat_deg = 0.0, lon_deg = {} }}\ninterceptor = \"i\"\n\
         inventory = 1000\nreaction_time_s = 0.0\n{extra}\n",
        (x_km / R).to_degrees()
    )
}

/// The oracle of a battery on the track: the missile at `t` is at angle SPEED t / R along the
/// equator at R + ALT; the battery on the surface `x_km` along it.
#[derive(Clone, Copy, Debug)]
struct Pass {
    x_km: f64,
    flyout_km_s: f64,
    /// Window: the geometric entry and exit of the ground-range circle, s.
    entry: f64,
    exit: f64,
}

fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    let flo = f(lo);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if (f(mid) >= 0.0) == (flo >= 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

impl Pass {
    fn new(x_km: f64, range_km: f64, flyout_km_s: f64) -> Pass {
        // The ground angle between the missile and the site is |SPEED t - x| / R.
        Pass {
            x_km,
            flyout_km_s,
            entry: (x_km - range_km) / SPEED,
            exit: (x_km + range_km) / SPEED,
        }
    }
    /// Straight-line distance from the site to the missile at `t`, km.
    fn distance(&self, t: f64) -> f64 {
        let a = SPEED * t / R;
        let b = self.x_km / R;
        let (px, py) = ((R + ALT) * a.cos(), (R + ALT) * a.sin());
        let (sx, sy) = (R * b.cos(), R * b.sin());
        ((px - sx).powi(2) + (py - sy).powi(2)).sqrt()
    }
    /// Launch time of an intercept at `t` (increasing: the missile is slower than the
    /// interceptor).
    fn launch(&self, t: f64) -> f64 {
        t - self.distance(t) / self.flyout_km_s
    }
    /// The intercept whose launch is `l`, if it is inside the window before `exit`.
    fn intercept(&self, l: f64, exit: f64) -> Option<f64> {
        if self.launch(self.entry) >= l {
            return Some(self.entry);
        }
        if self.launch(exit) < l {
            return None;
        }
        Some(bisect(self.entry, exit, |t| self.launch(t) - l))
    }
    /// The chain of intercepts, each launch `next(previous launch, previous intercept)`, while
    /// they fit before `exit` (at most `max`), and the smallest distance in launch time of a
    /// decision from flipping (a launch against the last feasible one).
    fn chain(&self, exit: f64, max: usize, next: impl Fn(f64, f64) -> f64) -> (Vec<f64>, f64) {
        let mut launch = self.launch(self.entry);
        let mut t = self.entry;
        let mut shots = vec![t];
        let last = self.launch(exit);
        let mut slack = f64::INFINITY;
        while shots.len() < max {
            launch = next(launch, t);
            slack = slack.min((last - launch).abs());
            match self.intercept(launch, exit) {
                Some(x) => {
                    t = x;
                    shots.push(t);
                }
                None => break,
            }
        }
        (shots, slack)
    }
}

/// Time the missile drops below the horizon of a surface radar at the launch point (zero
/// minimum elevation, no refraction): ground angle acos(R / (R + ALT)), docs/model.md section 2.
fn horizon_time() -> f64 {
    (R / (R + ALT)).acos() * R / SPEED
}

/// How each intercept of a chain follows from the one before it.
#[derive(Clone, Copy, Debug)]
enum Chain {
    /// Every intercept at the window entry.
    Entry,
    /// Launched at the previous intercept (one fire channel).
    Channel,
    /// Launched `interval` after the previous launch.
    Interval(f64),
}

/// The largest error of the engine's sorted intercept times `times` against the oracle, each
/// intercept computed from the engine's previous one (so that an error is not compounded: past
/// the battery a launch error grows threefold per intercept, the missile receding at two
/// thirds of the interceptor's speed); +inf if the counts differ from `want`.
fn chain_error(pass: &Pass, chain: Chain, times: &[f64], want: usize) -> f64 {
    if times.len() != want {
        return f64::INFINITY;
    }
    let mut worst: f64 = 0.0;
    let first_launch = pass.launch(times[0]);
    for (k, &t) in times.iter().enumerate() {
        let expected = match (chain, k) {
            (Chain::Entry, _) | (_, 0) => Some(pass.entry),
            (Chain::Channel, _) => pass.intercept(times[k - 1], pass.exit),
            (Chain::Interval(dt), _) => pass.intercept(first_launch + dt * k as f64, pass.exit),
        };
        worst = worst.max(expected.map_or(f64::INFINITY, |x| (t - x).abs()));
    }
    worst
}

/// One case: its scenario and what it must give.
struct Case {
    case: String,
    text: String,
    /// Threats engaged (interceptors fired at the warhead, for a single threat).
    engaged: usize,
    /// Interceptors fired at the warheads (shoot-look-shoot cases: the shots that fit).
    interceptors: usize,
    /// How the intercept times of the killed threats are checked (`None`: not checked).
    timing: Option<(Pass, Chain)>,
    /// (limit, threats the limit delayed or prevented at battery 0).
    tallies: Vec<(u32, u64)>,
    note: String,
}

fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    // One fire channel: the next launch is the previous intercept.
    {
        let n = 10;
        let pass = Pass::new(300.0, 100.0, 1.5);
        let (shots, slack) = pass.chain(pass.exit, n, |_, t| t);
        assert!(
            slack > 1.0 && shots.len() < n,
            "channel case: {shots:?} {slack}"
        );
        v.push(Case {
            case: format!("one fire channel, {n} threats arriving together"),
            text: world(
                n as u32,
                6.0,
                &radar("r", -5.0, ""),
                &interceptor(100.0, 1.5, 1.0),
                &format!(
                    "{}[doctrine]\nmode = \"salvo\"\nsalvo_size = 1\nmax_engagements = 1\n",
                    battery(300.0, "fire_channels = 1")
                ),
            ),
            engaged: shots.len(),
            interceptors: shots.len(),
            timing: Some((pass, Chain::Channel)),
            tallies: vec![
                (CAP_CHANNELS, n as u64 - 1),
                (CAP_INTERVAL, 0),
                (CAP_TRACK, 0),
                (CAP_FIRE_CONTROL, 0),
            ],
            note: format!(
                "window [{:.2}, {:.2}] s; launch-to-intercept cycles that fit: {} (intercepts {:?}); every threat but the first waited for or lost the channel",
                pass.entry,
                pass.exit,
                shots.len(),
                shots.iter().map(|t| format!("{t:.2}")).collect::<Vec<_>>()
            ),
        });
    }
    // Launch interval: launches every 17 s from the first.
    {
        let (n, interval) = (16, 17.0);
        let pass = Pass::new(300.0, 100.0, 1.0);
        let (shots, slack) = pass.chain(pass.exit, n, |l, _| l + interval);
        assert!(
            slack > 1.0 && shots.len() < n,
            "interval case: {shots:?} {slack}"
        );
        v.push(Case {
            case: format!("launch_interval_s {interval}, {n} threats arriving together"),
            text: world(
                n as u32,
                6.0,
                &radar("r", -5.0, ""),
                &interceptor(100.0, 1.0, 1.0),
                &format!(
                    "{}[doctrine]\nmode = \"salvo\"\nsalvo_size = 1\nmax_engagements = 1\n",
                    battery(300.0, &format!("launch_interval_s = {interval}"))
                ),
            ),
            engaged: shots.len(),
            interceptors: shots.len(),
            timing: Some((pass, Chain::Interval(interval))),
            tallies: vec![
                (CAP_CHANNELS, 0),
                (CAP_INTERVAL, n as u64 - 1),
                (CAP_TRACK, 0),
                (CAP_FIRE_CONTROL, 0),
            ],
            note: format!(
                "launches {:.2} + {interval} k s; intercepts that fit in [{:.2}, {:.2}] s: {}",
                pass.launch(pass.entry),
                pass.entry,
                pass.exit,
                shots.len()
            ),
        });
    }
    // Track capacity 3 of the only (cueing) radar against 6 threats detected together.
    {
        let (n, k) = (6usize, 3usize);
        let pass = Pass::new(300.0, 100.0, 1.5);
        v.push(Case {
            case: format!("track_capacity {k} against {n} threats detected together"),
            text: world(
                n as u32,
                6.0,
                &radar("r", -5.0, &format!("track_capacity = {k}")),
                &interceptor(100.0, 1.5, 1.0),
                &format!(
                    "{}[doctrine]\nmode = \"salvo\"\nsalvo_size = 1\nmax_engagements = 1\n",
                    battery(300.0, "")
                ),
            ),
            engaged: k,
            interceptors: k,
            timing: Some((pass, Chain::Entry)),
            tallies: vec![
                (CAP_CHANNELS, 0),
                (CAP_INTERVAL, 0),
                (CAP_TRACK, (n - k) as u64),
                (CAP_FIRE_CONTROL, 0),
            ],
            note: format!(
                "the first {k} by slot get the tracks and are intercepted at the window entry {:.2} s; the tracks free at the flight's end, when the other {} leave too",
                pass.entry,
                n - k
            ),
        });
    }
    // Decoys count against track capacity: two identical warheads with 2 decoys each, detected
    // together. Slot 0's warhead and its 2 decoys come first; with 3 tracks slot 1's warhead
    // waits for the decoys to strip at 80 km, below the battery's 150 km floor: 1 engaged. With
    // 4 tracks both are.
    for (k, engaged) in [(3usize, 1usize), (4, 2)] {
        let decoys = 2u32;
        v.push(Case {
            case: format!(
                "track_capacity {k} against 2 warheads with {decoys} decoys each, detected together"
            ),
            text: decoy_world(decoys, k),
            engaged,
            interceptors: engaged,
            timing: None,
            tallies: vec![(CAP_TRACK, (2 - engaged) as u64)],
            note: format!(
                "objects first come, first served: slot 0's warhead, its {decoys} decoys, slot 1's warhead; decoys held until they strip; {engaged} warhead(s) tracked above the battery's floor, each engagement a salvo of one at the warhead and at each undiscriminated decoy"
            ),
        });
    }
    // A fire-control radar losing the missile below its horizon inside the battery's window.
    {
        let (assess, max) = (10.0, 15);
        let pass = Pass::new(520.0, 60.0, 3.0);
        let t_los = horizon_time();
        assert!(pass.entry < t_los && t_los < pass.exit);
        let next = |_: f64, t: f64| t + assess;
        let (all, slack_all) = pass.chain(pass.exit, max, next);
        let (seen, slack_seen) = pass.chain(t_los, max, next);
        assert!(slack_all > 0.5 && slack_seen > 0.5 && seen.len() < all.len() && all.len() < max);
        let doctrine = format!(
            "[doctrine]\nmode = \"shoot-look-shoot\"\nsalvo_size = 1\nmax_engagements = {max}\n\
             kill_assessment_s = {assess}\nkill_assessment_probability = 1.0\n"
        );
        let sensors = format!("{}{}", radar("cue", -5.0, ""), radar("fc", 0.0, ""));
        for (with_fc, shots) in [(false, &all), (true, &seen)] {
            let extra = if with_fc {
                "sensors = [\"cue\"]\nfire_control_sensors = [\"fc\"]"
            } else {
                "sensors = [\"cue\"]"
            };
            v.push(Case {
                case: format!(
                    "fire-control radar losing line of sight at {t_los:.2} s: shoot-look-shoot {}",
                    if with_fc {
                        "with it as fire control"
                    } else {
                        "without the requirement"
                    }
                ),
                text: world(
                    1,
                    6.0,
                    &sensors,
                    &interceptor(60.0, 3.0, 0.0),
                    &format!("{}{doctrine}", battery(520.0, extra)),
                ),
                engaged: 1,
                interceptors: shots.len(),
                timing: None,
                tallies: vec![(CAP_FIRE_CONTROL, u64::from(with_fc))],
                note: format!(
                    "window [{:.2}, {:.2}] s, horizon of the fire-control radar at {t_los:.2} s; shots at {:?}",
                    pass.entry,
                    pass.exit,
                    shots.iter().map(|t| format!("{t:.2}")).collect::<Vec<_>>()
                ),
            });
        }
    }
    v
}

/// Runs every case on each backend.
pub fn cases_on(backends: &mut [McBackend]) -> Vec<Row> {
    let cases = cases();
    let mut rows = Vec::new();
    for mc in backends.iter_mut() {
        let label = mc.label.clone();
        for c in &cases {
            let row = |what: &str, unit: &str| {
                RowBuilder::new(GROUP, format!("{}: {what}", c.case), SRC, &label, unit)
                    .note(c.note.clone())
            };
            let backend: &mut Box<dyn Backend> = match mc.backend.as_mut() {
                Ok(b) => b,
                Err(reason) => {
                    rows.push(
                        row("threats engaged", "threats").skipped(c.engaged as f64, reason.clone()),
                    );
                    continue;
                }
            };
            let out = super::engine::scenario(&c.text, &c.case).and_then(|sc| {
                let b = Batch::new(&sc);
                backend
                    .run(&b, 0..1, true)
                    .map_err(|e| format!("backend error: {e}"))
            });
            let out = match out {
                Ok(o) => o,
                Err(e) => {
                    rows.push(row("threats engaged", "threats").broken(e));
                    continue;
                }
            };
            let exact = |b: RowBuilder, reference: f64, engine: f64| {
                b.custom(
                    ErrorKind::Absolute,
                    reference,
                    engine,
                    (engine - reference).abs(),
                    0.0,
                    "exactly the hand-computed count",
                )
            };
            let engaged = out
                .records
                .iter()
                .filter(|r| r.outcome.outcome != OUTCOME_UNENGAGED)
                .count();
            rows.push(exact(
                row("threats engaged", "threats"),
                c.engaged as f64,
                engaged as f64,
            ));
            let fired: u32 = out.records.iter().map(|r| r.outcome.interceptors).sum();
            rows.push(exact(
                row("interceptors fired at warheads", "interceptors"),
                c.interceptors as f64,
                fired as f64,
            ));
            if let Some((pass, chain)) = c.timing {
                let mut times: Vec<f64> = out
                    .records
                    .iter()
                    .filter(|r| r.outcome.outcome == OUTCOME_KILLED)
                    .map(|r| r.outcome.kill_time_s as f64)
                    .collect();
                times.sort_by(|a, b| a.total_cmp(b));
                let worst = chain_error(&pass, chain, &times, c.engaged);
                rows.push(
                    row("intercept times, largest error", "s").custom(
                        ErrorKind::Absolute,
                        0.0,
                        worst,
                        worst,
                        TIME_TOLERANCE_S,
                        format!(
                            "every intercept within {TIME_TOLERANCE_S} s of the oracle's from the engine's previous one"
                        ),
                    ),
                );
            }
            for &(limit, want) in &c.tallies {
                let name = [
                    "fire channels",
                    "launch interval",
                    "track capacity",
                    "fire control",
                ][limit as usize];
                rows.push(exact(
                    row(&format!("threats bound by {name}"), "threats"),
                    want as f64,
                    tally::capacity_all(&out.tallies, 0, limit) as f64,
                ));
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every case's scenario is accepted, and its oracle is not a boundary case (asserted
    /// while the cases are built).
    #[test]
    fn cases_are_well_formed() {
        for c in cases() {
            super::super::engine::scenario(&c.text, &c.case).unwrap();
            assert!(c.engaged > 0, "{}", c.case);
        }
    }

    /// The horizon time: a 20 km target drops below a surface radar's horizon at 504.2 km of
    /// ground distance (sqrt((R + h)^2 - R^2) = 505.2 km of slant range, docs/model.md section 2).
    #[test]
    fn horizon_of_a_20_km_target() {
        let slant = ((R + ALT).powi(2) - R * R).sqrt();
        assert!((slant - 505.2).abs() < 0.1, "{slant}");
        assert!((horizon_time() * SPEED - 504.16).abs() < 0.05);
    }
}
