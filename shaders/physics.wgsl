// physics.wgsl: threat dynamics in f32, the twin of src/kernel/physics/ (atmosphere.rs,
// ballistic.rs, state.rs, dynamics.rs, glide.rs, cruise.rs, propagate.rs) and of the parts of
// src/base/ it uses (constants.rs, real.rs, vec3.rs, frames.rs).
// Same function names and the same order of operations as the Rust, function for function; the
// Rust is generic over F (f32 here). Where Rust returns a tuple, WGSL returns a small struct
// whose fields are named after the tuple's parts.
//
// Rust twin                                WGSL
//   V3<F>, V3::length/dot/cross/normalize    vec3<f32>, length/dot/cross/normalize_v3
//   vec3::mix (a + (b - a) f)               mix_v3 (WGSL's mix computes a (1 - f) + b f)
//   F::infinity / F::nan / is_finite         f32_inf / f32_nan / is_finite_f32
//   F::atan2k / F::acosk (real.rs)           atan2_f32 / acos_f32 (the same polynomial; see below)
//   F::max / F::min (NaN-ignoring)           max_num / min_num where a NaN can occur, else max / min
//   the Observer trait of propagate.rs       observe_start / observe_segment (kernel.wgsl), which
//                                            call the event tracker or the stop-at-time observer
//
// No f64 anywhere (f64 transcendentals are broken on lavapipe and invalid SPIR-V). Constants
// that Rust computes in f64 and rounds with F::c are written as abstract-float expressions, which
// naga evaluates in f64 and then rounds to f32, like F::c.

// ---- base/constants.rs ----------------------------------------------------------------------

// Mean Earth radius of the spherical model, km.
const EARTH_RADIUS_KM: f32 = 6371.0;
// Earth's gravitational parameter, km^3/s^2.
const MU_KM3_S2: f32 = 398600.4418;
// Earth's rotation rate, rad/s.
const OMEGA_RAD_S: f32 = 7.2921159e-5;
// Sea-level density of the exponential atmosphere, kg/m^3.
const RHO0_KG_M3: f32 = 1.225;
// Scale height of the exponential atmosphere, km. Not read here (density_kg_m3 uses
// INV_SCALE_HEIGHT_KM); kept as the twin that tests/kernel_consts.rs checks.
const SCALE_HEIGHT_KM: f32 = 7.2;
// F::c(1.0 / SCALE_HEIGHT_KM), 1/km.
const INV_SCALE_HEIGHT_KM: f32 = 1.0 / 7.2;
// Standard gravity, km/s^2.
const G0_KM_S2: f32 = 9.80665e-3;
// Altitude below which the fine step is used, km. Not read here (the kernel takes
// RunParams::atmosphere_top_km); kept as the twin that tests/kernel_consts.rs checks.
const ATMOSPHERE_TOP_KM: f32 = 100.0;
// Shortest and longest step of the error-controlled integrator, s (base/limits.rs).
const MIN_ADAPTIVE_STEP_S: f32 = 1.0 / 512.0;
const MAX_ADAPTIVE_STEP_S: f32 = 128.0;
// F::c(std::f64::consts::TAU), rad.
const TAU_F32: f32 = 6.283185307179586;
// f32::to_degrees multiplies by this (Rust std's PIS_IN_180), deg/rad.
const DEG_PER_RAD: f32 = 57.2957795130823208767981548141051703;

// ---- base/real.rs: non-finite values and Rust's float semantics -----------------------------

// +inf. Non-finite values are not WGSL constant expressions (naga rejects them), so they are
// built at run time from their bits.
fn f32_inf() -> f32 {
    var bits = 0x7f800000u;
    return bitcast<f32>(bits);
}

// A quiet NaN (the bits of Rust's f32::NAN).
fn f32_nan() -> f32 {
    var bits = 0x7fc00000u;
    return bitcast<f32>(bits);
}

// x is a NaN (tested on the bits, so no fast-math assumption can fold it away).
fn is_nan_f32(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}

// F::is_finite: neither infinite nor NaN.
fn is_finite_f32(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

// Rust's f32::max: a NaN operand is ignored (WGSL's max leaves that case undefined).
fn max_num(a: f32, b: f32) -> f32 {
    if is_nan_f32(a) {
        return b;
    }
    if is_nan_f32(b) {
        return a;
    }
    return max(a, b);
}

// Rust's f32::min: a NaN operand is ignored.
fn min_num(a: f32, b: f32) -> f32 {
    if is_nan_f32(a) {
        return b;
    }
    if is_nan_f32(b) {
        return a;
    }
    return min(a, b);
}

// Real::atan2k and Real::acosk of f32 (real.rs: the same polynomial, inline on the CPU too, where
// libm's atan2f and acosf were a fifth of a glider's time). WGSL's atan2 and acos may be far
// less accurate (Vulkan allows 4096 ulp; lavapipe's atan2 errs by ~350 ulp, 3.5e-6 rad, which
// moves a glider's steering, and its acos by ~1.6e-4 rad near +-1), so the kernel uses these:
// Cephes' atanf polynomial (S. L. Moshier, Cephes Math Library, atanf.c: relative error below
// 2e-7 on [0, 1] after the reduction by pi/4), giving atan2 within a few ulp.

// atan(x) for 0 <= x <= 1 (Cephes atanf after its first reduction, which x <= 1 never needs).
fn atan_unit(x_in: f32) -> f32 {
    var x = x_in;
    var y = 0.0;
    if x > 0.4142135623730950 {
        y = 0.7853981633974483;
        x = (x - 1.0) / (x + 1.0);
    }
    let z = x * x;
    return y + (((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z
        - 3.33329491539e-1) * z * x + x;
}

// F::atan2(y, x): the angle of (x, y) in [-pi, pi] (0 for (0, 0); NaN in, NaN out).
fn atan2_f32(y: f32, x: f32) -> f32 {
    let ax = abs(x);
    let ay = abs(y);
    let hi = max(ax, ay);
    let lo = min(ax, ay);
    var r = 0.0;
    if hi > 0.0 {
        r = atan_unit(lo / hi);
    }
    if ay > ax {
        r = 1.5707963267948966 - r;
    }
    if x < 0.0 {
        r = 3.141592653589793 - r;
    }
    if y < 0.0 {
        r = -r;
    }
    // NaN operands: the comparisons above are false; keep the NaN.
    if is_nan_f32(x) || is_nan_f32(y) {
        return x + y;
    }
    return r;
}

// F::acos(x) for -1 <= x <= 1, as atan2_f32(sqrt(1 - x^2), x) ((1 + x)(1 - x) keeps the
// precision near +-1).
fn acos_f32(x: f32) -> f32 {
    return atan2_f32(sqrt((1.0 + x) * (1.0 - x)), x);
}

// ---- base/vec3.rs ---------------------------------------------------------------------------

// V3::normalize: v * (1 / |v|) (WGSL's normalize may use an approximate inverse square root).
fn normalize_v3(v: vec3<f32>) -> vec3<f32> {
    return v * (1.0 / length(v));
}

// vec3::mix: a + (b - a) f.
fn mix_v3(a: vec3<f32>, b: vec3<f32>, f: f32) -> vec3<f32> {
    return a + (b - a) * f;
}

// ---- base/frames.rs -------------------------------------------------------------------------

// (latitude, longitude) in degrees of a position (any length): (x, y) = (lat, lon).
fn dir_geo_deg(p: vec3<f32>) -> vec2<f32> {
    let lat = atan2_f32(p.z, sqrt(p.x * p.x + p.y * p.y));
    let lon = atan2_f32(p.y, p.x);
    return vec2<f32>(lat * DEG_PER_RAD, lon * DEG_PER_RAD);
}

// Local east unit vector at unit vector u (at a pole: an arbitrary horizontal direction).
fn east_of(u: vec3<f32>) -> vec3<f32> {
    let e = vec3<f32>(-u.y, u.x, 0.0);
    let n = length(e);
    if n > 1e-6 {
        return e * (1.0 / n);
    }
    return vec3<f32>(0.0, 1.0, 0.0);
}

// Horizontal unit vector at u pointing along azimuth_rad (from north, clockwise).
fn heading_dir(u: vec3<f32>, azimuth_rad: f32) -> vec3<f32> {
    let e = east_of(u);
    let n = cross(u, e);
    return n * cos(azimuth_rad) + e * sin(azimuth_rad);
}

// Azimuth (from north, clockwise, radians) of horizontal direction d at unit vector u.
fn azimuth_of(u: vec3<f32>, d: vec3<f32>) -> f32 {
    let e = east_of(u);
    let n = cross(u, e);
    return atan2_f32(dot(d, e), dot(d, n));
}

// Unit vector reached from u along horizontal unit direction d through angle_rad (great circle).
fn travel(u: vec3<f32>, d: vec3<f32>, angle_rad: f32) -> vec3<f32> {
    return normalize_v3(u * cos(angle_rad) + d * sin(angle_rad));
}

// Horizontal unit direction at u toward v along the great circle (u itself maps to north).
fn direction_to(u: vec3<f32>, v: vec3<f32>) -> vec3<f32> {
    let h = v - u * dot(u, v);
    let n = length(h);
    if n > 1e-7 {
        return h * (1.0 / n);
    }
    return heading_dir(u, 0.0);
}

// Central angle between two directions (any lengths), radians.
fn central_angle(a: vec3<f32>, b: vec3<f32>) -> f32 {
    return atan2_f32(length(cross(a, b)), dot(a, b));
}

// Great-circle ground distance between two directions, km.
fn ground_range_km(a: vec3<f32>, b: vec3<f32>) -> f32 {
    return EARTH_RADIUS_KM * central_angle(a, b);
}

// Rotation of p about the z axis by angle_rad (Earth rotation).
fn rotate_z(p: vec3<f32>, angle_rad: f32) -> vec3<f32> {
    let s = sin(angle_rad);
    let c = cos(angle_rad);
    return vec3<f32>(c * p.x - s * p.y, s * p.x + c * p.y, p.z);
}

// Offset of unit vector u by north_km, east_km along the surface.
fn offset_km(u: vec3<f32>, north_km: f32, east_km: f32) -> vec3<f32> {
    let dist = sqrt(north_km * north_km + east_km * east_km);
    if dist <= 0.0 {
        return u;
    }
    let e = east_of(u);
    let n = cross(u, e);
    let d = (n * north_km + e * east_km) * (1.0 / dist);
    return travel(u, d, dist / EARTH_RADIUS_KM);
}

// ---- atmosphere.rs --------------------------------------------------------------------------

// Air density at altitude h_km, kg/m^3.
fn density_kg_m3(h_km: f32) -> f32 {
    return RHO0_KG_M3 * exp(-h_km * INV_SCALE_HEIGHT_KM);
}

// Drag deceleration per unit (density x speed^2): 1000 / (2 beta).
fn drag_factor(ballistic_coefficient_kg_m2: f32) -> f32 {
    return 1000.0 / (2.0 * ballistic_coefficient_kg_m2);
}

// ---- ballistic.rs ---------------------------------------------------------------------------

// Burnout speed (km/s) of the conic from radius r1_km at flight-path angle phi_rad reaching
// radius r2_km after range angle psi_rad; NaN when none exists.
fn burnout_speed(r1_km: f32, r2_km: f32, psi_rad: f32, phi_rad: f32) -> f32 {
    let den = r1_km * cos(phi_rad) * ((r1_km / r2_km) * cos(phi_rad) - cos(phi_rad + psi_rad));
    if den <= 0.0 {
        return f32_nan();
    }
    return sqrt(MU_KM3_S2 * (1.0 - cos(psi_rad)) / den);
}

// Flight-path angle (rad) minimising the burnout speed for range angle psi_rad.
fn min_energy_angle(r1_km: f32, r2_km: f32, psi_rad: f32) -> f32 {
    return 0.5 * atan2_f32(sin(psi_rad), r1_km / r2_km - cos(psi_rad));
}

// The mean_anomaly closure of time_of_flight: mean anomaly at true anomaly theta, eccentricity e.
fn mean_anomaly(theta: f32, e: f32) -> f32 {
    let ecc = sqrt(1.0 - e * e) * sin(theta);
    let big_e = atan2_f32(ecc, e + cos(theta));
    return big_e - e * sin(big_e);
}

// Time of free flight (s) from radius r1_km, speed v_km_s, angle phi_rad through psi_rad
// (elliptic orbits only, NaN otherwise).
fn time_of_flight(r1_km: f32, v_km_s: f32, phi_rad: f32, psi_rad: f32) -> f32 {
    let mu = MU_KM3_S2;
    let h = r1_km * v_km_s * cos(phi_rad);
    let energy = v_km_s * v_km_s * 0.5 - mu / r1_km;
    if energy >= 0.0 {
        return f32_nan();
    }
    let a = -mu / (2.0 * energy);
    let e = sqrt(max_num(1.0 + 2.0 * energy * h * h / (mu * mu), 0.0));
    let p = h * h / mu;
    var cos_t1 = 1.0;
    if e > 1e-9 {
        cos_t1 = min_num(max_num((p / r1_km - 1.0) / e, -1.0), 1.0);
    }
    var theta1 = acos_f32(cos_t1);
    if phi_rad < 0.0 {
        theta1 = -theta1;
    }
    let theta2 = theta1 + psi_rad;
    let m1 = mean_anomaly(theta1, e);
    var m2 = mean_anomaly(theta2, e);
    let two_pi = TAU_F32;
    while m2 < m1 {
        m2 = m2 + two_pi;
    }
    return sqrt(a * a * a / mu) * (m2 - m1);
}

// Earth-relative burnout velocity (km/s) at p_km that reaches ground point aim_dir in vacuum
// (see ballistic.rs: fixed-point iteration on the time of flight on a rotating Earth).
fn aim_burnout(
    p_km: vec3<f32>,
    aim_dir: vec3<f32>,
    min_energy: bool,
    loft_rad: f32,
    phi_rad: f32,
    rotation: bool,
) -> vec3<f32> {
    let r1 = length(p_km);
    let r2 = EARTH_RADIUS_KM;
    let up = p_km * (1.0 / r1);
    let w = OMEGA_RAD_S;
    var tof = 0.0;
    var v_in = vec3<f32>(0.0);
    let iterations = select(1u, 4u, rotation);
    for (var it = 0u; it < iterations; it++) {
        var target_dir = aim_dir;
        if rotation {
            target_dir = rotate_z(aim_dir, w * tof);
        }
        let psi = central_angle(up, target_dir);
        var phi = phi_rad;
        if min_energy {
            phi = min_energy_angle(r1, r2, psi) + loft_rad;
        }
        let speed = burnout_speed(r1, r2, psi, phi);
        let h = direction_to(up, target_dir);
        v_in = (h * cos(phi) + up * sin(phi)) * speed;
        tof = time_of_flight(r1, speed, phi, psi);
        if !is_finite_f32(tof) {
            tof = 0.0;
        }
    }
    if rotation {
        return v_in - vec3<f32>(-w * p_km.y, w * p_km.x, 0.0);
    }
    return v_in;
}

// ---- state.rs -------------------------------------------------------------------------------

// Position (km) and velocity (km/s) in the Earth-fixed frame.
struct State {
    p: vec3<f32>,
    v: vec3<f32>,
}

// Settings common to every trajectory of a run.
struct Env {
    rotation: bool,
    atmosphere: bool,
    // Error-controlled Dormand-Prince steps; else fixed RK4 steps.
    adaptive: bool,
    // Local error allowed per adaptive step, km.
    tolerance_km: f32,
    // Step above atmosphere_top_km (fixed RK4; boost and cruise sampling), s.
    dt_s: f32,
    // Step below atmosphere_top_km, s.
    dt_atmosphere_s: f32,
    atmosphere_top_km: f32,
    // Flight time after which an object that has not impacted is abandoned, s.
    max_flight_s: f32,
}

// What the aerodynamic forces of one threat need.
struct Aero {
    // 1000 / (2 beta).
    drag_factor: f32,
    lift_to_drag: f32,
    // Aim point (ECEF), km.
    aim_km: vec3<f32>,
    weave_bank_rad: f32,
    weave_omega_rad_s: f32,
    weave_phase_rad: f32,
    // Ground range to the aim point at which the terminal dive starts, km.
    dive_range_km: f32,
    // GUIDANCE_*: the law that flies a glider (Aero::guidance in state.rs).
    guidance: u32,
}

// Aero::guidance: by the state's range to go; glide; dive (state.rs).
const GUIDANCE_BY_RANGE: u32 = 0u;
const GUIDANCE_GLIDE: u32 = 1u;
const GUIDANCE_DIVE: u32 = 2u;

// ---- dynamics.rs ----------------------------------------------------------------------------

// (State, F) of derivative and rk4_step: a state (or its derivative) and the lift
// acceleration, km/s^2.
struct StateLift {
    s: State,
    lift: f32,
}

// Derivative of the state and the lift acceleration magnitude, km/s^2.
fn derivative(s: State, t_s: f32, aero: Aero, env: Env) -> StateLift {
    let r = length(s.p);
    var a = s.p * (-MU_KM3_S2 / (r * r * r));
    if env.rotation {
        let w = OMEGA_RAD_S;
        a += vec3<f32>(2.0 * w * s.v.y + w * w * s.p.x, -2.0 * w * s.v.x + w * w * s.p.y, 0.0);
    }
    var lift_accel = 0.0;
    if env.atmosphere {
        let speed = length(s.v);
        let q = density_kg_m3(r - EARTH_RADIUS_KM) * speed * aero.drag_factor;
        a += s.v * (-q);
        // (Only gliders have lift: not compiled into a ballistic-only pipeline.)
        if flies(KIND_GLIDE) && aero.lift_to_drag > 0.0 {
            let max_ld_lift = aero.lift_to_drag * q * speed;
            let ld = lift_direction(s, t_s, aero);
            if ld.wanted < 0.0 {
                lift_accel = max_ld_lift;
            } else {
                lift_accel = min(ld.wanted, DIVE_LIFT_FACTOR * max_ld_lift);
            }
            a += ld.dir * lift_accel;
        }
    }
    var d: State;
    d.p = s.v;
    d.v = a;
    return StateLift(d, lift_accel);
}

// One classical RK4 step of length dt_s from t_s: the new state and the lift acceleration
// (km/s^2) at the start of the step.
fn rk4_step(s: State, t_s: f32, dt_s: f32, aero: Aero, env: Env) -> StateLift {
    let half = dt_s * 0.5;
    let d1 = derivative(s, t_s, aero, env);
    let k1 = d1.s;
    var s2: State;
    s2.p = s.p + k1.p * half;
    s2.v = s.v + k1.v * half;
    let k2 = derivative(s2, t_s + half, aero, env).s;
    var s3: State;
    s3.p = s.p + k2.p * half;
    s3.v = s.v + k2.v * half;
    let k3 = derivative(s3, t_s + half, aero, env).s;
    var s4: State;
    s4.p = s.p + k3.p * dt_s;
    s4.v = s.v + k3.v * dt_s;
    let k4 = derivative(s4, t_s + dt_s, aero, env).s;
    let sixth = dt_s / 6.0;
    let two = 2.0;
    let p = s.p + (k1.p + k2.p * two + k3.p * two + k4.p) * sixth;
    let v = s.v + (k1.v + k2.v * two + k3.v * two + k4.v) * sixth;
    var next: State;
    next.p = p;
    next.v = v;
    return StateLift(next, d1.lift);
}

// Dormand-Prince 5(4) coefficients (DP_* in dynamics.rs): nodes c2..c6, rows 2..7 of the
// matrix (row 7 = fifth-order weights), fifth- minus fourth-order weights.
const DP_C2: f32 = 1.0 / 5.0;
const DP_C3: f32 = 3.0 / 10.0;
const DP_C4: f32 = 4.0 / 5.0;
const DP_C5: f32 = 8.0 / 9.0;
const DP_C6: f32 = 1.0;
const DP_A21: f32 = 1.0 / 5.0;
const DP_A31: f32 = 3.0 / 40.0;
const DP_A32: f32 = 9.0 / 40.0;
const DP_A41: f32 = 44.0 / 45.0;
const DP_A42: f32 = -56.0 / 15.0;
const DP_A43: f32 = 32.0 / 9.0;
const DP_A51: f32 = 19372.0 / 6561.0;
const DP_A52: f32 = -25360.0 / 2187.0;
const DP_A53: f32 = 64448.0 / 6561.0;
const DP_A54: f32 = -212.0 / 729.0;
const DP_A61: f32 = 9017.0 / 3168.0;
const DP_A62: f32 = -355.0 / 33.0;
const DP_A63: f32 = 46732.0 / 5247.0;
const DP_A64: f32 = 49.0 / 176.0;
const DP_A65: f32 = -5103.0 / 18656.0;
const DP_A71: f32 = 35.0 / 384.0;
const DP_A72: f32 = 0.0;
const DP_A73: f32 = 500.0 / 1113.0;
const DP_A74: f32 = 125.0 / 192.0;
const DP_A75: f32 = -2187.0 / 6784.0;
const DP_A76: f32 = 11.0 / 84.0;
const DP_E1: f32 = 71.0 / 57600.0;
const DP_E2: f32 = 0.0;
const DP_E3: f32 = -71.0 / 16695.0;
const DP_E4: f32 = 71.0 / 1920.0;
const DP_E5: f32 = -17253.0 / 339200.0;
const DP_E6: f32 = 22.0 / 525.0;
const DP_E7: f32 = -1.0 / 40.0;
const VELOCITY_ERROR_TIME_S: f32 = 30.0;
const INTERPOLANT_TOLERANCE_FACTOR: f32 = 4.0;
const STEP_GROW16_ERR: f32 = 5.631351470947266e-7;
const STEP_GROW8_ERR: f32 = 1.802032470703125e-5;
const STEP_GROW4_ERR: f32 = 5.76650390625e-4;
const STEP_GROW2_ERR: f32 = 1.84528125e-2;
const STEP_GROW_Q3_ERR: f32 = 4.388843183362232e-2;
const STEP_GROW_Q2_ERR: f32 = 1.0438487080571109e-1;
const STEP_GROW_Q1_ERR: f32 = 2.4827046212158305e-1;
const STEP_SHRINK_Q1_ERR: f32 = 1.4044298186759143;
const STEP_SHRINK_Q2_ERR: f32 = 3.3403158657827547;
const STEP_SHRINK2_ERR: f32 = 18.89568;
const STEP_Q1: f32 = 1.189207115002721;
const STEP_Q2: f32 = 1.4142135623730951;
const STEP_Q3: f32 = 1.681792830507429;
const STEP_INV_Q1: f32 = 0.8408964152537145;
const STEP_INV_Q2: f32 = 0.7071067811865476;

// One Dormand-Prince step (DpStep in dynamics.rs).
struct DpStep {
    s: State,
    k7: State,
    lift7: f32,
    err: f32,
}

// s + h (sum of the stages times their weights), the terms added in stage order like
// combine in dynamics.rs.
fn dp_state(s: State, h: f32, dp: vec3<f32>, dv: vec3<f32>) -> State {
    var out: State;
    out.p = s.p + dp * h;
    out.v = s.v + dv * h;
    return out;
}

// One Dormand-Prince 5(4) step of length h_s from s at t_s with known first stage k1 (FSAL).
fn dp54_step(s: State, k1: State, t_s: f32, h_s: f32, tolerance_km: f32, aero: Aero, env: Env) -> DpStep {
    let k2 = derivative(dp_state(s, h_s, k1.p * DP_A21, k1.v * DP_A21), t_s + h_s * DP_C2, aero, env).s;
    let k3 = derivative(
        dp_state(s, h_s, k1.p * DP_A31 + k2.p * DP_A32, k1.v * DP_A31 + k2.v * DP_A32),
        t_s + h_s * DP_C3, aero, env).s;
    let k4 = derivative(
        dp_state(s, h_s, k1.p * DP_A41 + k2.p * DP_A42 + k3.p * DP_A43,
            k1.v * DP_A41 + k2.v * DP_A42 + k3.v * DP_A43),
        t_s + h_s * DP_C4, aero, env).s;
    let k5 = derivative(
        dp_state(s, h_s, k1.p * DP_A51 + k2.p * DP_A52 + k3.p * DP_A53 + k4.p * DP_A54,
            k1.v * DP_A51 + k2.v * DP_A52 + k3.v * DP_A53 + k4.v * DP_A54),
        t_s + h_s * DP_C5, aero, env).s;
    let k6 = derivative(
        dp_state(s, h_s,
            k1.p * DP_A61 + k2.p * DP_A62 + k3.p * DP_A63 + k4.p * DP_A64 + k5.p * DP_A65,
            k1.v * DP_A61 + k2.v * DP_A62 + k3.v * DP_A63 + k4.v * DP_A64 + k5.v * DP_A65),
        t_s + h_s * DP_C6, aero, env).s;
    let s7 = dp_state(s, h_s,
        k1.p * DP_A71 + k2.p * DP_A72 + k3.p * DP_A73 + k4.p * DP_A74 + k5.p * DP_A75 + k6.p * DP_A76,
        k1.v * DP_A71 + k2.v * DP_A72 + k3.v * DP_A73 + k4.v * DP_A74 + k5.v * DP_A75 + k6.v * DP_A76);
    let d7 = derivative(s7, t_s + h_s, aero, env);
    let k7 = d7.s;
    var zero: State;
    zero.p = vec3<f32>(0.0);
    zero.v = vec3<f32>(0.0);
    let e = dp_state(zero, h_s,
        k1.p * DP_E1 + k2.p * DP_E2 + k3.p * DP_E3 + k4.p * DP_E4 + k5.p * DP_E5 + k6.p * DP_E6
            + k7.p * DP_E7,
        k1.v * DP_E1 + k2.v * DP_E2 + k3.v * DP_E3 + k4.v * DP_E4 + k5.v * DP_E5 + k6.v * DP_E6
            + k7.v * DP_E7);
    let ep = max(max(abs(e.p.x), abs(e.p.y)), abs(e.p.z));
    let ev = max(max(abs(e.v.x), abs(e.v.y)), abs(e.v.z)) * VELOCITY_ERROR_TIME_S;
    let eh = hermite_error_km(s.v, k1.v, s7.v, k7.v, h_s) * (1.0 / INTERPOLANT_TOLERANCE_FACTOR);
    return DpStep(s7, k7, d7.lift, max(max(ep, ev), eh) / tolerance_km);
}

// Largest position error of the cubic Hermite interpolant over a step, estimated from the
// trapezoidal rule's miss of the velocity change, km (hermite_error_km in dynamics.rs).
fn hermite_error_km(va: vec3<f32>, acc_a: vec3<f32>, vb: vec3<f32>, acc_b: vec3<f32>, h_s: f32) -> f32 {
    let miss = (acc_a + acc_b) * (h_s * 0.5) - (vb - va);
    return max(max(abs(miss.x), abs(miss.y)), abs(miss.z)) * (h_s * (1.0 / 32.0));
}

// The step controller on a grid of quarter octaves (step_factor in dynamics.rs).
fn step_factor(err: f32) -> f32 {
    if err <= STEP_GROW16_ERR {
        return 16.0;
    } else if err <= STEP_GROW8_ERR {
        return 8.0;
    } else if err <= STEP_GROW4_ERR {
        return 4.0;
    } else if err <= STEP_GROW2_ERR {
        return 2.0;
    } else if err <= STEP_GROW_Q3_ERR {
        return STEP_Q3;
    } else if err <= STEP_GROW_Q2_ERR {
        return STEP_Q2;
    } else if err <= STEP_GROW_Q1_ERR {
        return STEP_Q1;
    } else if err <= 1.0 {
        return 1.0;
    } else if err <= STEP_SHRINK_Q1_ERR {
        return STEP_INV_Q1;
    } else if err <= STEP_SHRINK_Q2_ERR {
        return STEP_INV_Q2;
    } else if err <= STEP_SHRINK2_ERR {
        return 0.5;
    }
    return 0.25;
}

// Acceleration in g.
fn in_g(a_km_s2: f32) -> f32 {
    return a_km_s2 / G0_KM_S2;
}

// ---- glide.rs -------------------------------------------------------------------------------

// Bank per radian of heading error.
const BANK_GAIN: f32 = 2.0;
// Steering bank over which the range-control bank reverses sides, rad.
const REVERSAL_BAND_RAD: f32 = 0.05;
// Largest steering bank, rad (80 deg). Not read here (lift_direction uses the cosine, sine and
// half-angle tangent below, glide.rs); kept as the twin that tests/kernel_consts.rs checks.
const MAX_BANK_RAD: f32 = 1.3962634015954636;
// cos and sin of MAX_BANK_RAD, tan(MAX_BANK_RAD / BANK_GAIN), tan(REVERSAL_BAND_RAD / BANK_GAIN)
// and cos(REVERSAL_BAND_RAD) (glide.rs).
const COS_MAX_BANK: f32 = 0.1736481776669304;
const SIN_MAX_BANK: f32 = 0.984807753012208;
const TAN_HALF_MAX_BANK: f32 = 0.83909963117728;
const TAN_HALF_BAND: f32 = 0.025005209635746147;
const COS_BAND: f32 = 0.9987502603949663;
// Speed at which the glide is planned to end, as a fraction of circular speed. Not read here
// (eggers_range_km uses the square below); kept as the twin that tests/kernel_consts.rs checks.
const GLIDE_END_SPEED_FRACTION: f32 = 0.3;
// F::c(GLIDE_END_SPEED_FRACTION * GLIDE_END_SPEED_FRACTION), squared in f64 like the Rust.
const GLIDE_END_SPEED_FRACTION_SQ: f32 = 0.3 * 0.3;
// Pure-pursuit gain of the terminal dive.
const DIVE_GAIN: f32 = 3.0;
// Largest dive lift, as a multiple of the lift at maximum L/D.
const DIVE_LIFT_FACTOR: f32 = 3.0;
// Blind range of the dive's pursuit, km (the command fades out from twice it to it).
const DIVE_BLIND_RANGE_KM: f32 = 0.2;

// Eggers equilibrium-glide range from speed v at radius r to the planned end speed, km.
fn eggers_range_km(lift_to_drag: f32, r_km: f32, v_km_s: f32) -> f32 {
    let vc2 = MU_KM3_S2 / r_km;
    let x = min(v_km_s * v_km_s / vc2, 0.999);
    let xf = GLIDE_END_SPEED_FRACTION_SQ;
    if x <= xf {
        return 0.0;
    }
    return lift_to_drag * r_km * 0.5 * log((1.0 - xf) / (1.0 - x));
}

// (V3<F>, F) of lift_direction: the unit lift direction and the wanted normal acceleration
// (km/s^2) in the dive, or -1 for "glide at max L/D".
struct LiftDirection {
    dir: vec3<f32>,
    wanted: f32,
}

// Lift direction (perpendicular to v) at state s and t_s (s since launch), and the dive's wanted
// normal acceleration (-1: glide at max L/D); shorter than 1 inside a bank reversal.
fn lift_direction(s: State, t_s: f32, aero: Aero) -> LiftDirection {
    let r = length(s.p);
    let up = s.p * (1.0 / r);
    let speed = length(s.v);
    let vhat = s.v * (1.0 / speed);
    let to_aim = aero.aim_km - s.p;
    let range_km = EARTH_RADIUS_KM * central_angle(s.p, aero.aim_km);
    // The dive: held by the integrator (aero.guidance), or by the state's range to go.
    var dive = aero.guidance == GUIDANCE_DIVE;
    if aero.guidance == GUIDANCE_BY_RANGE {
        dive = range_km < aero.dive_range_km;
    }
    if dive {
        let dist = length(to_aim);
        let los = to_aim * (1.0 / max(dist, 1e-3));
        let perp = los - vhat * dot(los, vhat);
        let n = length(perp);
        // On the line of sight (or within a metre of the aim point): no pull.
        if !(n >= 1e-6) || !(dist > 1e-3) {
            return LiftDirection(cross(vhat, up), 0.0);
        }
        // Faded out over the seeker's blind range (glide.rs).
        let fade = clamp((dist - DIVE_BLIND_RANGE_KM) / DIVE_BLIND_RANGE_KM, 0.0, 1.0);
        return LiftDirection(perp * (1.0 / n), DIVE_GAIN * speed * speed * n / dist * fade);
    }
    let l0 = normalize_v3(up - vhat * dot(up, vhat));
    let right = cross(vhat, l0);
    let vh = s.v - up * dot(s.v, up);
    let th = to_aim - up * dot(to_aim, up);
    // Heading error atan2(y, x) (> 0: aim is to the left), used through steer_bank.
    let y = dot(cross(vh, th), up);
    let x = dot(vh, th);
    let available = eggers_range_km(aero.lift_to_drag, r, speed);
    let needed = range_km - aero.dive_range_km;
    let ratio = clamp(needed / max(available, 1e-3), COS_MAX_BANK, 1.0);
    let weave = aero.weave_bank_rad * sin(aero.weave_omega_rad_s * t_s + aero.weave_phase_rad);
    let sin_w = sin(weave);
    let cos_w = cos(weave);
    let st = steer_bank(y, x);
    if st.cos_s <= ratio {
        return LiftDirection(
            l0 * (st.cos_s * cos_w - st.sin_s * sin_w) + right * (st.sin_s * cos_w + st.cos_s * sin_w),
            -1.0,
        );
    }
    // Inside a bank reversal: the average of the two sides (see glide.rs).
    let side = reversal_side(y, x, ratio);
    let sin_e = sqrt((1.0 + ratio) * (1.0 - ratio));
    return LiftDirection(
        l0 * (ratio * cos_w - side * sin_e * sin_w) + right * (ratio * sin_w + side * sin_e * cos_w),
        -1.0,
    );
}

// (F, F) of steer_bank: cos and sin of the steering bank.
struct SteerBank {
    cos_s: f32,
    sin_s: f32,
}

// cos and sin of clamp(-BANK_GAIN atan2(y, x), +-MAX_BANK_RAD) by the double-angle formulas
// (steer_bank in glide.rs).
fn steer_bank(y: f32, x: f32) -> SteerBank {
    let limit = TAN_HALF_MAX_BANK * x;
    if x <= 0.0 || y >= limit || y <= -limit {
        var sin_s = -SIN_MAX_BANK;
        if y < 0.0 {
            sin_s = SIN_MAX_BANK;
        }
        return SteerBank(COS_MAX_BANK, sin_s);
    }
    let n2 = x * x + y * y;
    return SteerBank((x * x - y * y) / n2, -2.0 * x * y / n2);
}

// The side of a bank reversal in [-1, 1] (reversal_side in glide.rs).
fn reversal_side(y: f32, x: f32, ratio: f32) -> f32 {
    let edge = TAN_HALF_BAND * x;
    if !(x > 0.0) || y >= edge || y <= -edge {
        if y < 0.0 {
            return 1.0;
        }
        return -1.0;
    }
    let z = y / x;
    let z2 = z * z;
    let steer = -BANK_GAIN * (z - z * z2 * (1.0 / 3.0 - z2 * 0.2));
    var band = REVERSAL_BAND_RAD;
    if ratio > COS_BAND {
        band = acos_f32(ratio);
    }
    return clamp(steer / band, -1.0, 1.0);
}

// ---- cruise.rs ------------------------------------------------------------------------------

// The cruise leg of one trial, from the end of the climb to the aim point.
struct CruisePath {
    // Ground point (unit vector) where the cruise leg starts.
    start_dir: vec3<f32>,
    // Horizontal unit direction at start_dir toward the aim point.
    heading: vec3<f32>,
    // Ground distance of the cruise leg, km.
    length_km: f32,
    altitude_km: f32,
    // Ground speed, km/s.
    speed_km_s: f32,
    // Lateral weave acceleration amplitude, g.
    weave_g: f32,
    weave_omega_rad_s: f32,
    weave_phase_rad: f32,
    dive_range_km: f32,
}

// (p, v, accel_g) of cruise_point: position (km), velocity (km/s), manoeuvre acceleration (g).
struct CruisePoint {
    p: vec3<f32>,
    v: vec3<f32>,
    accel_g: f32,
}

// Position, velocity and manoeuvre acceleration at t_s after the leg starts.
fn cruise_point(c: CruisePath, t_s: f32) -> CruisePoint {
    let r_e = EARTH_RADIUS_KM;
    let s_km = min(c.speed_km_s * t_s, c.length_km);
    let angle = s_km / r_e;
    let u = travel(c.start_dir, c.heading, angle);
    let forward = normalize_v3(c.heading * cos(angle) - c.start_dir * sin(angle));
    let side = cross(u, forward);
    let to_go_km = c.length_km - s_km;
    var taper = 1.0;
    var dh_dt = 0.0;
    if to_go_km < c.dive_range_km && c.dive_range_km > 0.0 {
        taper = to_go_km / c.dive_range_km;
        dh_dt = -c.altitude_km * c.speed_km_s / c.dive_range_km;
    }
    let alt_km = c.altitude_km * taper;
    var lateral_km = 0.0;
    var lateral_km_s = 0.0;
    var accel_g = 0.0;
    if c.weave_g > 0.0 && c.weave_omega_rad_s > 0.0 {
        let w = c.weave_omega_rad_s;
        let amplitude_km = c.weave_g * G0_KM_S2 / (w * w);
        let phase = w * t_s + c.weave_phase_rad;
        lateral_km = amplitude_km * sin(phase) * taper;
        lateral_km_s = amplitude_km * w * cos(phase) * taper;
        accel_g = c.weave_g * abs(sin(phase)) * taper;
    }
    let dir = normalize_v3(u + side * (lateral_km / r_e));
    let p = dir * (r_e + alt_km);
    let v = forward * c.speed_km_s + side * lateral_km_s + u * dh_dt;
    var point: CruisePoint;
    point.p = p;
    point.v = v;
    point.accel_g = accel_g;
    return point;
}

// Duration of the cruise leg, s.
fn cruise_duration(c: CruisePath) -> f32 {
    return c.length_km / c.speed_km_s;
}

// ---- propagate.rs ---------------------------------------------------------------------------

// Flight phases, as written in the trajectory CSV.
const PHASE_BOOST: u32 = 0u;
const PHASE_MIDCOURSE: u32 = 1u;
const PHASE_REENTRY: u32 = 2u;
const PHASE_GLIDE: u32 = 3u;
const PHASE_CRUISE: u32 = 4u;
const PHASE_DIVE: u32 = 5u;
const PHASE_IMPACT: u32 = 6u;

// One point of a trajectory.
struct Sample {
    // Time since the start of the trial (launch time included), s.
    t_s: f32,
    // Position (ECEF), km.
    p: vec3<f32>,
    // Velocity (Earth-relative), km/s.
    v: vec3<f32>,
    // Manoeuvre (lift or weave) acceleration, g.
    accel_g: f32,
    phase: u32,
}

// Sample::altitude_km, km.
fn sample_altitude_km(s: Sample) -> f32 {
    return length(s.p) - EARTH_RADIUS_KM;
}

// A sampled threat, ready to fly.
struct ThreatInit {
    // KIND_*.
    kind: u32,
    launch_time_s: f32,
    // Launch point (unit vector).
    launch_dir: vec3<f32>,
    // Horizontal unit direction of the boost at the launch point.
    boost_heading: vec3<f32>,
    boost_time_s: f32,
    // Ground distance covered by the boost, km.
    boost_range_km: f32,
    // Altitude at the end of the boost, km.
    boost_altitude_km: f32,
    // State at the end of the boost (ballistic burnout, glide start).
    start: State,
    aero: Aero,
    cruise: CruisePath,
}

// How a flight ended.
struct Flight {
    impacted: bool,
    // Last sample (the impact point when impacted).
    last: Sample,
    // Integration or sampling steps taken (adaptive: attempts, rejected ones included).
    steps: u32,
    // Derivative evaluations (0 for the kinematic boost and the analytic cruise).
    evaluations: u32,
}

// Time at which a quantity going linearly from ma (at ta) to mb (at tb) crosses zero.
fn crossing_time(ta: f32, tb: f32, ma: f32, mb: f32) -> f32 {
    let den = ma - mb;
    if den == 0.0 {
        return tb;
    }
    return ta + (tb - ta) * (ma / den);
}

// Time of ground impact between a (altitude ha >= 0) and b (hb < 0): the linear crossing, then
// three Newton iterations on the Hermite interpolant's altitude (ground_crossing).
fn ground_crossing(a: Sample, b: Sample, ha: f32, hb: f32) -> f32 {
    let t0 = crossing_time(a.t_s, b.t_s, ha, hb);
    let t1 = newton_ground(a, b, t0);
    let t2 = newton_ground(a, b, t1);
    return newton_ground(a, b, t2);
}

// One Newton iteration for the ground crossing, kept inside the step (newton_ground).
fn newton_ground(a: Sample, b: Sample, t_s: f32) -> f32 {
    let st = hermite_state(a.t_s, a.p, a.v, b.t_s, b.p, b.v, t_s);
    let r = length(st.p);
    let rate = dot(st.p, st.v) / r;
    if !(rate < 0.0) {
        return t_s;
    }
    return min(max(t_s - (r - EARTH_RADIUS_KM) / rate, a.t_s), b.t_s);
}

// Position and velocity at t_s between two samples of a flight (hermite_state in
// propagate.rs): cubic Hermite on the positions and their derivatives, the velocities.
fn hermite_state(
    ta: f32,
    pa: vec3<f32>,
    va: vec3<f32>,
    tb: f32,
    pb: vec3<f32>,
    vb: vec3<f32>,
    t_s: f32,
) -> State {
    let h = tb - ta;
    var out: State;
    if h <= 0.0 {
        out.p = pa;
        out.v = va;
        return out;
    }
    let x = min(max((t_s - ta) / h, 0.0), 1.0);
    let x2 = x * x;
    let x3 = x2 * x;
    let h00 = 2.0 * x3 - 3.0 * x2 + 1.0;
    let h10 = x3 - 2.0 * x2 + x;
    let h01 = 3.0 * x2 - 2.0 * x3;
    let h11 = x3 - x2;
    out.p = pa * h00 + va * (h10 * h) + pb * h01 + vb * (h11 * h);
    let d00 = 6.0 * x2 - 6.0 * x;
    let d10 = 3.0 * x2 - 4.0 * x + 1.0;
    let d01 = 6.0 * x - 6.0 * x2;
    let d11 = 3.0 * x2 - 2.0 * x;
    out.v = pa * (d00 / h) + va * d10 + pb * (d01 / h) + vb * d11;
    return out;
}

// Point of the kinematic boost t_s after launch.
fn boost_point(th: ThreatInit, t_s: f32) -> Sample {
    let r_e = EARTH_RADIUS_KM;
    var frac = 0.0;
    var dfrac = 0.0;
    if th.boost_time_s > 0.0 {
        let x = t_s / th.boost_time_s;
        frac = x * x;
        dfrac = 2.0 * x / th.boost_time_s;
    }
    let angle = frac * th.boost_range_km / r_e;
    let dir = travel(th.launch_dir, th.boost_heading, angle);
    let forward = th.boost_heading * cos(angle) - th.launch_dir * sin(angle);
    let p = dir * (r_e + frac * th.boost_altitude_km);
    let v = (forward * th.boost_range_km + dir * th.boost_altitude_km) * dfrac;
    var b: Sample;
    b.t_s = th.launch_time_s + t_s;
    b.p = p;
    b.v = v;
    b.accel_g = 0.0;
    b.phase = PHASE_BOOST;
    return b;
}

// Sampling interval of the boost with adaptive steps, s; samples per weave period of a cruise
// leg (propagate.rs).
const BOOST_SAMPLE_S: f32 = 8.0;
const CRUISE_SAMPLES_PER_WEAVE: f32 = 4.0;

// Longest sampling interval of a cruise leg with adaptive steps, s (propagate.rs).
const MAX_CRUISE_SAMPLE_S: f32 = 32.0;

// Sampling interval of a cruise leg with adaptive steps, s (cruise_sample_s).
fn cruise_sample_s(c: CruisePath) -> f32 {
    let h_max = MAX_CRUISE_SAMPLE_S;
    if c.weave_g > 0.0 && c.weave_omega_rad_s > 0.0 {
        let h = TAU_F32 / c.weave_omega_rad_s / CRUISE_SAMPLES_PER_WEAVE;
        return min(h, h_max);
    }
    return h_max;
}

// Flies one threat, reporting every segment to the observer `obs` (OBSERVER_* of kernel.wgsl).
// Value of FLY_KIND for a pipeline that flies every kind.
const ALL_KINDS: u32 = 4294967295u;
// The one threat kind (KIND_*) a specialised propagate pipeline flies, or ALL_KINDS. Set per
// pipeline by the host (backend/gpu/pipelines.rs), so that a pipeline for ballistic threats
// compiles without the glide and cruise code, which lanes would otherwise carry. Scheduling
// only (no Rust twin): a slot flies the same steps in every pipeline that flies its kind.
override FLY_KIND: u32 = 4294967295u;

// Whether this pipeline flies threats of `kind`.
fn flies(kind: u32) -> bool {
    return FLY_KIND == ALL_KINDS || FLY_KIND == kind;
}

fn propagate(th: ThreatInit, env: Env, obs: u32) -> Flight {
    var prev = boost_point(th, 0.0);
    observe_start(obs, first_sample(th, env, prev));
    var steps = 0u;
    if th.boost_time_s > 0.0 {
        var dt = env.dt_s;
        if env.adaptive {
            dt = BOOST_SAMPLE_S;
        }
        let n = u32(ceil(th.boost_time_s / dt));
        for (var i = 1u; i <= n; i++) {
            let t = min(f32(i) * dt, th.boost_time_s);
            let cur = boost_point(th, t);
            steps += 1u;
            if !observe_segment(obs, prev, cur) {
                return Flight(false, cur, steps, 0u);
            }
            prev = cur;
        }
    }
    // (A cruise-only pipeline has no integrated flight; the others no cruise.)
    if flies(KIND_CRUISE) && (th.kind == KIND_CRUISE || FLY_KIND == KIND_CRUISE) {
        return fly_cruise(th, env, obs, prev, steps);
    }
    if env.adaptive {
        return fly_adaptive(th, env, obs, prev, steps);
    }
    return fly_integrated(th, env, obs, prev, steps);
}

// The flight's first sample: the launch point, or with no boost the start of free flight,
// glide or cruise (first_sample in propagate.rs).
fn first_sample(th: ThreatInit, env: Env, launch: Sample) -> Sample {
    if th.boost_time_s > 0.0 {
        return launch;
    }
    var s = launch;
    if th.kind == KIND_CRUISE {
        let c = cruise_point(th.cruise, 0.0);
        s.p = c.p;
        s.v = c.v;
        s.accel_g = c.accel_g;
        s.phase = PHASE_CRUISE;
    } else {
        s.p = th.start.p;
        s.v = th.start.v;
        s.phase = integrated_phase(th, th.start, env);
    }
    return s;
}

// Phase label of an integrated (ballistic or glide) state.
fn integrated_phase(th: ThreatInit, s: State, env: Env) -> u32 {
    if th.kind == KIND_GLIDE {
        let range = EARTH_RADIUS_KM * central_angle(s.p, th.aero.aim_km);
        return select(PHASE_GLIDE, PHASE_DIVE, range < th.aero.dive_range_km);
    }
    let alt = length(s.p) - EARTH_RADIUS_KM;
    if alt < env.atmosphere_top_km && dot(s.p, s.v) < 0.0 {
        return PHASE_REENTRY;
    }
    return PHASE_MIDCOURSE;
}

// Ballistic free flight or glide: RK4 with the fine step below atmosphere_top_km; the time is
// rebuilt from step counts. Ends at ground impact, when the observer stops it, or after
// env.max_flight_s of flight.
fn fly_integrated(th: ThreatInit, env: Env, obs: u32, prev_in: Sample, steps_in: u32) -> Flight {
    let r_e = EARTH_RADIUS_KM;
    var prev = prev_in;
    var steps = steps_in;
    var s = th.start;
    prev.p = s.p;
    prev.v = s.v;
    prev.phase = integrated_phase(th, s, env);
    let t0 = th.boost_time_s;
    var n_coarse = 0u;
    var n_fine = 0u;
    let steps0 = steps_in;
    var t_local = t0;
    loop {
        let h0 = length(s.p) - r_e;
        let coarse = h0 > env.atmosphere_top_km;
        let dt = select(env.dt_atmosphere_s, env.dt_s, coarse);
        let stepped = rk4_step(s, t_local, dt, th.aero, env);
        let s1 = stepped.s;
        if coarse {
            n_coarse += 1u;
        } else {
            n_fine += 1u;
        }
        steps += 1u;
        let t1 = t0 + f32(n_coarse) * env.dt_s + f32(n_fine) * env.dt_atmosphere_s;
        prev.accel_g = in_g(stepped.lift);
        let h1 = length(s1.p) - r_e;
        // The Rust reports the impact segment and the ordinary one from two call sites; here
        // one call site takes either (same segments, same order): where lanes of a vector
        // disagree on a branch (lavapipe), both sides run, and the observer is the costliest
        // code of the loop.
        let impacted = h1 < 0.0;
        var cur: Sample;
        if impacted {
            let f = h0 / (h0 - h1);
            cur.t_s = prev.t_s + f * (t1 - t_local);
            cur.p = mix_v3(s.p, s1.p, f);
            cur.v = mix_v3(s.v, s1.v, f);
            cur.accel_g = 0.0;
            cur.phase = PHASE_IMPACT;
        } else {
            cur.t_s = th.launch_time_s + t1;
            cur.p = s1.p;
            cur.v = s1.v;
            cur.accel_g = 0.0;
            cur.phase = integrated_phase(th, s1, env);
        }
        let go_on = observe_segment(obs, prev, cur);
        if impacted {
            return Flight(true, cur, steps, 4u * (steps - steps0));
        }
        // t1 - t0 > max_flight_s also ends a NaN flight: NaN > x is false, but its time grows.
        if !go_on || t1 - t0 > env.max_flight_s {
            return Flight(false, cur, steps, 4u * (steps - steps0));
        }
        prev = cur;
        s = s1;
        t_local = t1;
    }
    // Not reached (the loop only returns); naga wants a return at the end.
    return Flight(false, prev, steps, 4u * (steps - steps0));
}

// Ballistic free flight or glide with error-controlled Dormand-Prince 5(4) steps (fly_adaptive
// in propagate.rs): quarter-octave growth and shrinking in [MIN_ADAPTIVE_STEP_S, MAX_ADAPTIVE_STEP_S], the
// first 1 s above atmosphere_top_km and 1/8 s below; no growth right after a rejection; every
// attempt counts in steps. A glider's guidance law is held for a whole step; the step in which
// the dive starts is flown again to the located dive start, and the dive takes over there.
fn fly_adaptive(th: ThreatInit, env: Env, obs: u32, prev_in: Sample, steps_in: u32) -> Flight {
    let r_e = EARTH_RADIUS_KM;
    let h_min = MIN_ADAPTIVE_STEP_S;
    let h_max = MAX_ADAPTIVE_STEP_S;
    var prev = prev_in;
    var steps = steps_in;
    var s = th.start;
    prev.p = s.p;
    prev.v = s.v;
    prev.phase = integrated_phase(th, s, env);
    var aero = th.aero;
    if th.kind == KIND_GLIDE {
        aero.guidance = GUIDANCE_GLIDE;
        if dive_to_go_km(s.p, aero) < 0.0 {
            aero.guidance = GUIDANCE_DIVE;
        }
    }
    let t0 = th.boost_time_s;
    var t_local = t0;
    let d1 = derivative(s, t_local, aero, env);
    var k1 = d1.s;
    var lift1 = d1.lift;
    var evaluations = 1u;
    var h = 0.125;
    if length(s.p) - r_e > env.atmosphere_top_km {
        h = 1.0;
    }
    // The previous attempt was rejected: the next accepted step does not grow.
    var rejected = false;
    loop {
        var st = dp54_step(s, k1, t_local, h, env.tolerance_km, aero, env);
        steps += 1u;
        evaluations += 6u;
        var factor = 4.0;
        if is_finite_f32(length(s.p)) {
            factor = step_factor(st.err);
        }
        if factor < 1.0 && h > h_min {
            h = max(h * factor, h_min);
            rejected = true;
            continue;
        }
        var h_step = h;
        var grow = factor;
        if rejected {
            grow = min(factor, 1.0);
        }
        rejected = false;
        h = min(max(h * grow, h_min), h_max);
        // The dive starts inside this step: fly it again, still gliding, to the dive start.
        let dive_starts = aero.guidance == GUIDANCE_GLIDE && dive_to_go_km(st.s.p, aero) < 0.0;
        if dive_starts {
            let x = dive_start_fraction(t_local, s, k1.p, t_local + h_step, st.s, aero);
            h_step = max(h_step * x, h_min);
            st = dp54_step(s, k1, t_local, h_step, env.tolerance_km, aero, env);
            steps += 1u;
            evaluations += 6u;
        }
        let t1 = t_local + h_step;
        prev.accel_g = in_g(lift1);
        let h0 = length(s.p) - r_e;
        let h1 = length(st.s.p) - r_e;
        var cur: Sample;
        cur.t_s = th.launch_time_s + t1;
        cur.p = st.s.p;
        cur.v = st.s.v;
        cur.accel_g = 0.0;
        cur.phase = integrated_phase(th, st.s, env);
        // The located dive start is the dive's first sample.
        if dive_starts {
            cur.phase = PHASE_DIVE;
        }
        // One observer call site for the impact segment and the ordinary one (see
        // fly_integrated).
        let impacted = h1 < 0.0;
        if impacted {
            let ti = ground_crossing(prev, cur, h0, h1);
            let hs = hermite_state(prev.t_s, prev.p, prev.v, cur.t_s, cur.p, cur.v, ti);
            cur.t_s = ti;
            cur.p = hs.p;
            cur.v = hs.v;
            cur.accel_g = 0.0;
            cur.phase = PHASE_IMPACT;
        }
        let go_on = observe_segment(obs, prev, cur);
        if impacted {
            return Flight(true, cur, steps, evaluations);
        }
        if !go_on || t1 - t0 > env.max_flight_s {
            return Flight(false, cur, steps, evaluations);
        }
        prev = cur;
        s = st.s;
        k1 = st.k7;
        lift1 = st.lift7;
        t_local = t1;
        if dive_starts {
            aero.guidance = GUIDANCE_DIVE;
            let dd = derivative(s, t_local, aero, env);
            k1 = dd.s;
            lift1 = dd.lift;
            evaluations += 1u;
        }
    }
    return Flight(false, prev, steps, evaluations);
}

// Ground range to go before the terminal dive starts, km (dive_to_go_km in glide.rs).
fn dive_to_go_km(p: vec3<f32>, aero: Aero) -> f32 {
    return EARTH_RADIUS_KM * central_angle(p, aero.aim_km) - aero.dive_range_km;
}

// Fraction of the step from (ta, a) to (tb, b) at which the range to go before the dive reaches
// zero: the linear crossing, then two regula falsi iterations on the Hermite interpolant
// (dive_start_fraction in propagate.rs).
fn dive_start_fraction(ta: f32, a: State, va: vec3<f32>, tb: f32, b: State, aero: Aero) -> f32 {
    let ga = dive_to_go_km(a.p, aero);
    let gb = dive_to_go_km(b.p, aero);
    let x0 = crossing_time(0.0, 1.0, ga, gb);
    let p0 = hermite_state(ta, a.p, va, tb, b.p, b.v, ta + (tb - ta) * x0).p;
    let g0 = dive_to_go_km(p0, aero);
    var lo = 0.0;
    var glo = ga;
    var hi = x0;
    var ghi = g0;
    if g0 > 0.0 {
        lo = x0;
        glo = g0;
        hi = 1.0;
        ghi = gb;
    }
    let x1 = crossing_time(lo, hi, glo, ghi);
    let p1 = hermite_state(ta, a.p, va, tb, b.p, b.v, ta + (tb - ta) * x1).p;
    let g1 = dive_to_go_km(p1, aero);
    if g1 > 0.0 {
        lo = x1;
        glo = g1;
    } else {
        hi = x1;
        ghi = g1;
    }
    return min(max(crossing_time(lo, hi, glo, ghi), 0.0), 1.0);
}

// Cruise leg: the analytic path sampled every dt_s (fixed steps) or cruise_sample_s (adaptive),
// on the cruise and the dive separately, ending exactly at the aim point (fly_cruise).
fn fly_cruise(th: ThreatInit, env: Env, obs: u32, prev_in: Sample, steps_in: u32) -> Flight {
    var prev = prev_in;
    var steps = steps_in;
    let c = th.cruise;
    let duration = cruise_duration(c);
    let t0 = th.launch_time_s + th.boost_time_s;
    let t_dive = min(max(c.length_km - c.dive_range_km, 0.0) / c.speed_km_s, duration);
    var h = env.dt_s;
    if env.adaptive {
        h = cruise_sample_s(c);
    }
    let n1 = u32(ceil(t_dive / h));
    let n2 = u32(ceil((duration - t_dive) / h));
    let n = n1 + n2;
    let cp0 = cruise_point(c, 0.0);
    prev.p = cp0.p;
    prev.v = cp0.v;
    prev.accel_g = cp0.accel_g;
    prev.phase = PHASE_CRUISE;
    let n_max = max(n, 1u);
    for (var i = 1u; i <= n_max; i++) {
        var tl: f32;
        if i <= n1 {
            tl = min(f32(i) * h, t_dive);
        } else {
            tl = min(t_dive + f32(i - n1) * h, duration);
        }
        let cp = cruise_point(c, tl);
        let last = i >= n;
        let to_go = c.length_km - c.speed_km_s * tl;
        var phase = PHASE_CRUISE;
        if last {
            phase = PHASE_IMPACT;
        } else if to_go < c.dive_range_km {
            phase = PHASE_DIVE;
        }
        var cur: Sample;
        cur.t_s = t0 + tl;
        cur.p = cp.p;
        cur.v = cp.v;
        cur.accel_g = cp.accel_g;
        cur.phase = phase;
        steps += 1u;
        let go_on = observe_segment(obs, prev, cur);
        if last {
            return Flight(true, cur, steps, 0u);
        }
        if !go_on {
            return Flight(false, cur, steps, 0u);
        }
        prev = cur;
    }
    return Flight(true, prev, steps, 0u);
}
