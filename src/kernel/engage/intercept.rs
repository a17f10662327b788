//! An intercept inside a window (docs/model.md sections 9 and 10): the threat's state at any time
//! in the window (cubic Hermite between its two ends), the launch time that reaches it, the
//! earliest intercept whose launch is no earlier than a given time (shoot-look-shoot looks
//! before it launches), and the target's manoeuvre capability there (the divert rule's a_t).
//!
//! Written in f32, like the doctrine; mirrored by the "intercept.rs" section of
//! shaders/engage.wgsl.

use crate::base::V3;
use crate::kernel::physics::atmosphere::{density_kg_m3, drag_factor};
use crate::kernel::physics::dynamics::in_g;
use crate::kernel::physics::glide::DIVE_LIFT_FACTOR;
use crate::kernel::physics::propagate::hermite_state;
use crate::model::types::{
    RunParams, ThreatClass, ThreatTrack, Window, FLAG_ATMOSPHERE, KIND_CRUISE, KIND_GLIDE,
};

/// Equal sub-intervals a window is scanned in for the first launch time at or after a bound.
pub const SCAN_POINTS: u32 = 8;
/// Bisections that then refine the intercept time (window length / 2^20).
pub const BISECTIONS: u32 = 20;

/// The threat's position (ECEF, km) and velocity (km/s) at `t_s` inside window `w`.
#[inline(always)]
pub fn window_state(w: &Window, t_s: f32) -> (V3<f32>, V3<f32>) {
    hermite_state(
        w.t_first_s,
        V3::from4(w.p_first_km),
        V3::from4(w.v_first_km_s),
        w.t_last_s,
        V3::from4(w.p_last_km),
        V3::from4(w.v_last_km_s),
        t_s,
    )
}

/// Launch time of an interceptor (from `site_km` at `flyout_km_s`) that reaches the threat at
/// `t_s` inside `w`, s. Exact at the window's ends (their stored values).
#[inline(always)]
pub fn launch_at(w: &Window, site_km: V3<f32>, flyout_km_s: f32, t_s: f32) -> f32 {
    if t_s <= w.t_first_s {
        return w.launch_first_s;
    }
    if t_s >= w.t_last_s {
        return w.launch_last_s;
    }
    let (p, _) = window_state(w, t_s);
    t_s - (p - site_km).length() / flyout_km_s
}

/// The earliest intercept time inside `w` whose launch is no earlier than `not_before_s`
/// (+inf: none). The window is scanned at `SCAN_POINTS` equal steps for the first launch time at
/// or after the bound, then the crossing is bisected `BISECTIONS` times (the feasible end kept).
pub fn earliest_intercept(
    w: &Window,
    site_km: V3<f32>,
    flyout_km_s: f32,
    not_before_s: f32,
) -> f32 {
    if w.t_first_s == f32::INFINITY {
        return f32::INFINITY;
    }
    if w.launch_first_s >= not_before_s {
        return w.t_first_s;
    }
    let span = w.t_last_s - w.t_first_s;
    let mut lo = w.t_first_s;
    for k in 1..=SCAN_POINTS {
        let t = if k == SCAN_POINTS {
            w.t_last_s
        } else {
            w.t_first_s + span * (k as f32 / SCAN_POINTS as f32)
        };
        if launch_at(w, site_km, flyout_km_s, t) >= not_before_s {
            let mut hi = t;
            for _ in 0..BISECTIONS {
                let mid = 0.5 * (lo + hi);
                if launch_at(w, site_km, flyout_km_s, mid) >= not_before_s {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return hi;
        }
        lo = t;
    }
    f32::INFINITY
}

/// The target's manoeuvre capability at intercept time `t_s` inside `w`, g (the divert rule's
/// a_t): for a glider its lift at maximum L/D there (`DIVE_LIFT_FACTOR` times that in the
/// terminal dive), for a cruise missile its weave amplitude, zero for a re-entry vehicle.
pub fn manoeuvre_g(
    class: &ThreatClass,
    params: &RunParams,
    track: &ThreatTrack,
    w: &Window,
    t_s: f32,
) -> f32 {
    if class.kind == KIND_CRUISE {
        return class.weave_g;
    }
    if class.kind != KIND_GLIDE || params.flags & FLAG_ATMOSPHERE == 0 {
        return 0.0;
    }
    let (p, v) = window_state(w, t_s);
    let alt_km = p.length() - crate::base::constants::EARTH_RADIUS_KM as f32;
    let speed = v.length();
    let lift = class.lift_to_drag
        * density_kg_m3(alt_km)
        * speed
        * speed
        * drag_factor(class.ballistic_coefficient_kg_m2);
    let factor = if t_s >= track.dive_time_s {
        DIVE_LIFT_FACTOR as f32
    } else {
        1.0
    };
    in_g(lift * factor)
}
