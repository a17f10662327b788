//! Kill probability of one interceptor shot: the single-shot kill probability (fixed, or drawn
//! once per trial from a Beta distribution) times the divert factor min(1, divert / (3 a_t)),
//! the 3:1 interceptor-to-target acceleration rule of thumb (e.g. Zarchan, *Tactical and
//! Strategic Missile Guidance*; a rule of thumb, documented as such in README.md).
//!
//! The Beta draw uses a fixed budget of uniforms from its own slot of the trial's random block
//! (Marsaglia & Tsang 2000 gamma variates, two per Beta), so a rejection on one backend never
//! shifts any other draw.

use crate::kernel::rng::TrialRng;
use crate::model::types::Interceptor;

/// Uniforms reserved for one gamma variate.
pub const GAMMA_DRAWS: u32 = 32;
/// Acceptance attempts inside that budget (3 uniforms each, plus 1 for shapes below 1).
pub const GAMMA_ATTEMPTS: u32 = 9;

/// Standard normal from two uniforms (Box-Muller, cosine branch).
#[inline(always)]
pub fn normal_from(u1_open: f32, u2: f32) -> f32 {
    (-2.0 * u1_open.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

/// Gamma(shape, 1) variate by Marsaglia & Tsang (2000), "A simple method for generating gamma
/// variables", ACM TOMS 26(3); shape < 1 via Gamma(shape + 1) U^(1/shape). Consumes exactly
/// `GAMMA_DRAWS` uniforms; falls back to the mean if every attempt is rejected (p < 1e-9).
pub fn gamma_variate(shape: f32, rng: &mut TrialRng) -> f32 {
    let u0 = rng.uniform_open();
    let boost = if shape < 1.0 {
        u0.powf(1.0 / shape)
    } else {
        1.0
    };
    let a = if shape < 1.0 { shape + 1.0 } else { shape };
    let d = a - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    let mut result = a;
    let mut found = false;
    for _ in 0..GAMMA_ATTEMPTS {
        let z = normal_from(rng.uniform_open(), rng.uniform());
        let u = rng.uniform_open();
        let v1 = 1.0 + c * z;
        if !found && v1 > 0.0 {
            let v = v1 * v1 * v1;
            if u.ln() < 0.5 * z * z + d - d * v + d * v.ln() {
                result = d * v;
                found = true;
            }
        }
    }
    // 1 + 3 * GAMMA_ATTEMPTS = 28 uniforms used; the rest of the budget is spare.
    result * boost
}

/// The single-shot kill probability of interceptor type `i` for one trial, from the draws at
/// `offset` .. `offset + 2 GAMMA_DRAWS` of the trial's block.
pub fn trial_sspk(i: &Interceptor, seed: u64, trial: u64, offset: u64) -> f32 {
    if i.beta_a <= 0.0 {
        return i.sspk;
    }
    let x = gamma_variate(i.beta_a, &mut TrialRng::at(seed, trial, offset));
    let y = gamma_variate(
        i.beta_b,
        &mut TrialRng::at(seed, trial, offset + GAMMA_DRAWS as u64),
    );
    x / (x + y)
}

/// Kill probability of one shot with base `sspk` against a target manoeuvring at `accel_g`.
#[inline(always)]
pub fn shot_kill_probability(sspk: f32, divert_g: f32, accel_g: f32) -> f32 {
    if accel_g <= 0.0 {
        return sspk;
    }
    sspk * (divert_g / (3.0 * accel_g)).min(1.0)
}
