//! The state of a point-mass threat, the settings of a run and the aerodynamic parameters of
//! one threat: the data the equations of motion (`dynamics`) and the glide guidance (`glide`)
//! both read. Twins: `State`, `Env` and `Aero` in shaders/physics.wgsl.

use crate::base::V3;

/// Position (km) and velocity (km/s) in the Earth-fixed frame.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct State<F> {
    pub p: V3<F>,
    pub v: V3<F>,
}

/// Settings common to every trajectory of a run.
#[derive(Clone, Copy, Debug)]
pub struct Env<F> {
    pub rotation: bool,
    pub atmosphere: bool,
    /// Error-controlled Dormand-Prince steps (`[run] integrator = "adaptive"`); else fixed RK4
    /// steps of `dt_s` / `dt_atmosphere_s`.
    pub adaptive: bool,
    /// Local error allowed per adaptive step, km (`[run] tolerance`).
    pub tolerance_km: F,
    /// Step above `atmosphere_top_km` (fixed RK4; boost and cruise sampling), s.
    pub dt_s: F,
    /// Step below `atmosphere_top_km`, s.
    pub dt_atmosphere_s: F,
    pub atmosphere_top_km: F,
    /// Flight time after which an object that has not impacted is abandoned, s.
    pub max_flight_s: F,
}

/// What the aerodynamic forces of one threat need.
#[derive(Clone, Copy, Debug, Default)]
pub struct Aero<F> {
    /// 1000 / (2 beta): drag deceleration per rho v^2, see `atmosphere::drag_factor`.
    pub drag_factor: F,
    /// Lift-to-drag ratio (0: no lift, a ballistic re-entry vehicle).
    pub lift_to_drag: F,
    /// Aim point (ECEF), km; the glider steers to it.
    pub aim_km: V3<F>,
    /// Bank-angle amplitude of the weave, rad.
    pub weave_bank_rad: F,
    /// Weave angular frequency, rad/s.
    pub weave_omega_rad_s: F,
    /// Weave phase, rad.
    pub weave_phase_rad: F,
    /// Ground range to the aim point at which the terminal dive starts, km.
    pub dive_range_km: F,
    /// Which guidance law flies a glider: `GUIDANCE_BY_RANGE` (the state's range to the aim
    /// point decides, as with fixed steps), or `GUIDANCE_GLIDE` / `GUIDANCE_DIVE`, held for a
    /// whole error-controlled step (the integrator switches at the located dive start).
    pub guidance: u32,
}

/// `Aero::guidance`: the dive when the state's range to the aim point is under `dive_range_km`.
pub const GUIDANCE_BY_RANGE: u32 = 0;
/// `Aero::guidance`: range-controlled glide, wherever the state is.
pub const GUIDANCE_GLIDE: u32 = 1;
/// `Aero::guidance`: terminal dive, wherever the state is.
pub const GUIDANCE_DIVE: u32 = 2;
