// rng.wgsl: rand_pcg's Pcg32 (PCG-XSH-RR, 64-bit LCG state), bit for bit, and the per-trial
// block layout. Keep in sync with src/kernel/rng.rs (its Rust twin; STRIDE lives in
// src/base/limits.rs); tests/gpu_rng.rs compares the two on a GPU and tests/shaders.rs checks
// the constants without one.
//
// Trial i uses draws [i * STRIDE, (i + 1) * STRIDE) of Pcg32::new(seed, STREAM); trial_rng jumps
// there with Brown's skip-ahead (F. B. Brown, Trans. Am. Nucl. Soc. 71, 202 (1994)), so a
// trial's numbers do not depend on the thread, chunk, shard or backend that computes it.
// PCG: M. E. O'Neill, HMC-CS-2014-0905 (2014). rand_pcg 0.10 src/pcg64.rs (Lcg64Xsh32).
//
// Rust twin                         WGSL
//   rng::STREAM, limits::STRIDE       STREAM, STRIDE (u64 as vec2<u32>(lo, hi))
//   TrialRng::at(seed, trial, k)      trial_rng(seed, trial, k)
//   TrialRng::next_u32                pcg_next(&rng)
//   TrialRng::uniform / uniform_open  pcg_uniform(&rng) / pcg_uniform_open(&rng)
//   rng::u01 / rng::u01_open          u01 / u01_open
//   Pcg32::new / Pcg32::advance       pcg_new / pcg_advance
//
// 64-bit unsigned integers are vec2<u32>(lo, hi); all arithmetic is modulo 2^64 like Rust's
// wrapping_* operations. WGSL u32 arithmetic wraps at run time.

// PCG stream of every run: 0x6a09e667f3bcc909 >> 1 (rng::STREAM).
const STREAM: vec2<u32> = vec2<u32>(0xf9de6484u, 0x3504f333u);
// Draws reserved per trial (limits::STRIDE = 999983, below 2^32).
const STRIDE: vec2<u32> = vec2<u32>(999983u, 0u);
// LCG multiplier 6364136223846793005 (rand_pcg MULTIPLIER).
const PCG_MULT: vec2<u32> = vec2<u32>(0x4c957f2du, 0x5851f42du);

// A Pcg32 generator: the LCG state and the (odd) increment, both u64.
struct Pcg {
    state: vec2<u32>,
    inc: vec2<u32>,
}

// High 32 bits of the 64-bit product a * b, from 16-bit halves. The middle partial sums are
// added before shifting so no carry is lost (a variant that shifts each cross product
// separately drops carries and is wrong for about a quarter of all inputs).
fn mulhi32(a: u32, b: u32) -> u32 {
    let a0 = a & 0xffffu;
    let a1 = a >> 16u;
    let b0 = b & 0xffffu;
    let b1 = b >> 16u;
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    // < 3 * 2^16: cannot overflow.
    let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
    return p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
}

// a + b mod 2^64.
fn add64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
    let lo = a.x + b.x;
    let carry = select(0u, 1u, lo < a.x);
    return vec2<u32>(lo, a.y + b.y + carry);
}

// a * b mod 2^64: the full lo * lo product plus the low halves of the two cross products.
fn mul64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
    let lo = a.x * b.x;
    let hi = mulhi32(a.x, b.x) + a.x * b.y + a.y * b.x;
    return vec2<u32>(lo, hi);
}

// One LCG step: state * PCG_MULT + inc.
fn pcg_step(state: vec2<u32>, inc: vec2<u32>) -> vec2<u32> {
    return add64(mul64(state, PCG_MULT), inc);
}

// Pcg32::new(seed, stream): inc = (stream << 1) | 1 (the stream's top bit is discarded), then
// state = seed + inc, stepped once.
fn pcg_new(seed: vec2<u32>, stream: vec2<u32>) -> Pcg {
    let inc = vec2<u32>((stream.x << 1u) | 1u, (stream.y << 1u) | (stream.x >> 31u));
    var rng: Pcg;
    rng.state = pcg_step(add64(seed, inc), inc);
    rng.inc = inc;
    return rng;
}

// The next draw (TrialRng::next_u32): XSH-RR output of the OLD state, then one LCG step.
fn pcg_next(rng: ptr<function, Pcg>) -> u32 {
    let old = (*rng).state;
    (*rng).state = pcg_step(old, (*rng).inc);
    // rot = old >> 59
    let rot = old.y >> 27u;
    // xsh = ((old >> 18) ^ old) >> 27, truncated to u32
    let x = vec2<u32>(((old.x >> 18u) | (old.y << 14u)) ^ old.x, (old.y >> 18u) ^ old.y);
    let xsh = (x.x >> 27u) | (x.y << 5u);
    // rotate_right(xsh, rot); (32 - rot) & 31 keeps rot = 0 in range.
    return (xsh >> rot) | (xsh << ((32u - rot) & 31u));
}

// Pcg32::advance(delta): Brown's O(log2 delta) skip-ahead, the same loop as rand_pcg.
fn pcg_advance(rng: ptr<function, Pcg>, delta: vec2<u32>) {
    var acc_mult = vec2<u32>(1u, 0u);
    var acc_plus = vec2<u32>(0u, 0u);
    var cur_mult = PCG_MULT;
    var cur_plus = (*rng).inc;
    var d = delta;
    while (d.x | d.y) != 0u {
        if (d.x & 1u) != 0u {
            acc_mult = mul64(acc_mult, cur_mult);
            acc_plus = add64(mul64(acc_plus, cur_mult), cur_plus);
        }
        cur_plus = mul64(add64(cur_mult, vec2<u32>(1u, 0u)), cur_plus);
        cur_mult = mul64(cur_mult, cur_mult);
        d = vec2<u32>((d.x >> 1u) | (d.y << 31u), d.y >> 1u);
    }
    (*rng).state = add64(mul64(acc_mult, (*rng).state), acc_plus);
}

// TrialRng::at(seed, trial, offset): Pcg32::new(seed, STREAM) advanced by trial * STRIDE + offset
// (computed in 64 bits). offset must be below STRIDE.
fn trial_rng(seed: vec2<u32>, trial: u32, offset: u32) -> Pcg {
    var rng = pcg_new(seed, STREAM);
    let block = vec2<u32>(trial * STRIDE.x, mulhi32(trial, STRIDE.x));
    pcg_advance(&rng, add64(block, vec2<u32>(offset, 0u)));
    return rng;
}

// [0, 1): (x >> 8) * 2^-24, exact in f32 (rng::u01).
fn u01(x: u32) -> f32 {
    return f32(x >> 8u) * 5.9604644775390625e-8;
}

// (0, 1]: ((x >> 8) + 1) * 2^-24, exact in f32 (rng::u01_open).
fn u01_open(x: u32) -> f32 {
    return f32((x >> 8u) + 1u) * 5.9604644775390625e-8;
}

// TrialRng::uniform: u01 of the next draw.
fn pcg_uniform(rng: ptr<function, Pcg>) -> f32 {
    return u01(pcg_next(rng));
}

// TrialRng::uniform_open: u01_open of the next draw.
fn pcg_uniform_open(rng: ptr<function, Pcg>) -> f32 {
    return u01_open(pcg_next(rng));
}
