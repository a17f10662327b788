//! Random numbers: the per-trial block layout of one PCG32 sequence, and the integer-to-float
//! conversions. Keep in sync with `shaders/rng.wgsl` (its WGSL twin).
//!
//! # Block layout
//!
//! A run draws from a single generator, `rand_pcg::Pcg32::new(seed, STREAM)` (PCG-XSH-RR with a
//! 64-bit LCG state; O'Neill 2014, "PCG: A Family of Simple Fast Space-Efficient Statistically
//! Good Algorithms for Random Number Generation", HMC-CS-2014-0905). Its output sequence is cut
//! into blocks of [`STRIDE`] draws: trial `i` uses draws `[i * STRIDE, (i + 1) * STRIDE)`, and
//! its `k`-th draw is draw `i * STRIDE + k` of the sequence. [`TrialRng::at`] jumps straight to
//! it with Brown's O(log n) skip-ahead for linear congruential generators (F. B. Brown, "Random
//! Number Generation with Arbitrary Strides", Trans. Am. Nucl. Soc. 71, 202 (1994); the same
//! algorithm as `rand_pcg`'s `advance` and OpenMC's `future_seed`).
//!
//! # Why
//!
//! A trial's random inputs depend only on `(seed, trial index)`: not on the thread that runs
//! it, the chunk or shard it falls in, the workgroup size, or the backend. The WGSL twin
//! (`shaders/rng.wgsl`) reproduces `rand_pcg`'s `Pcg32` bit for bit, so the GPU and CPU kernels
//! see identical integers, and a run is reproducible from its seed.
//!
//! [`STRIDE`] is odd and not a power of two (`rand_pcg` warns that advancing by a power of two
//! leaves the low state bits unchanged); it must exceed the number of draws any trial makes,
//! which `base/limits.rs` checks at compile time for the draw layout and [`TrialRng::at`]
//! debug-asserts (`offset < STRIDE`). With trial indices below 2^32 the largest jump
//! is about 4.3e15 draws, far inside the 2^64 period.
//!
//! # Floats
//!
//! [`u01`] and [`u01_open`] keep the top 24 bits of a draw and scale by 2^-24: every value is
//! exactly representable in f32, so both backends produce the same floats from the same bits.

use rand_core::Rng;
use rand_pcg::Pcg32;

/// The PCG stream (increment selector) of every run: the first 64 fractional bits of sqrt(2)
/// (SHA-256's first initial hash word), shifted right by one because `Pcg32::new` discards the
/// stream's top bit. Twin: `STREAM` in `shaders/rng.wgsl` (as `vec2<u32>(lo, hi)`).
pub const STREAM: u64 = 0x6a09_e667_f3bc_c909 >> 1;

pub use crate::base::limits::STRIDE;

// Checked at compile time: STREAM's top bit clear (Pcg32::new discards it). STRIDE's own checks
// are in base/limits.rs.
const _: () = assert!(STREAM >> 63 == 0);

/// 2^-24, the spacing of the floats produced by [`u01`] and [`u01_open`].
const TWO_POW_M24: f32 = 1.0 / 16_777_216.0;

/// The generator of one trial, positioned at a given draw of the trial's block.
/// Twin: the `Pcg` struct and `trial_rng` / `pcg_next` / `pcg_uniform` in `shaders/rng.wgsl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrialRng(Pcg32);

impl TrialRng {
    /// The generator for draw `offset` of trial `trial`: `Pcg32::new(seed, STREAM)` advanced by
    /// `trial * STRIDE + offset` draws. `offset` must be below [`STRIDE`] (debug-asserted).
    /// Twin: `trial_rng(seed, trial, offset)` in `shaders/rng.wgsl`, where `seed` is a
    /// `vec2<u32>(lo, hi)` and `trial`, `offset` are u32.
    pub fn at(seed: u64, trial: u64, offset: u64) -> Self {
        debug_assert!(
            offset < STRIDE,
            "trial draw offset {offset} exceeds STRIDE {STRIDE}"
        );
        let mut pcg = Pcg32::new(seed, STREAM);
        pcg.advance(trial.wrapping_mul(STRIDE).wrapping_add(offset));
        TrialRng(pcg)
    }

    /// The next 32-bit draw (PCG-XSH-RR output). Twin: `pcg_next` in `shaders/rng.wgsl`.
    #[inline]
    pub fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }

    /// A uniform float in [0, 1): [`u01`] of the next draw. Twin: `pcg_uniform`.
    #[inline]
    pub fn uniform(&mut self) -> f32 {
        u01(self.next_u32())
    }

    /// A uniform float in (0, 1]: [`u01_open`] of the next draw (safe for `ln`).
    /// Twin: `pcg_uniform_open`.
    #[inline]
    pub fn uniform_open(&mut self) -> f32 {
        u01_open(self.next_u32())
    }
}

/// `x` mapped to [0, 1): `(x >> 8) * 2^-24`, values `k * 2^-24` for k in 0..2^24, all exact in
/// f32. Smallest 0, largest `1 - 2^-24`. Twin: `u01` in `shaders/rng.wgsl`.
#[inline]
pub fn u01(x: u32) -> f32 {
    (x >> 8) as f32 * TWO_POW_M24
}

/// `x` mapped to (0, 1]: `((x >> 8) + 1) * 2^-24`, all exact in f32. Smallest 2^-24, largest 1.
/// Twin: `u01_open` in `shaders/rng.wgsl`.
#[inline]
pub fn u01_open(x: u32) -> f32 {
    ((x >> 8) + 1) as f32 * TWO_POW_M24
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stride_is_prime() {
        assert!((2..1000).all(|d| STRIDE % d != 0));
        assert!((1000..=STRIDE.isqrt()).all(|d| STRIDE % d != 0));
    }

    #[test]
    fn at_equals_sequential_stepping() {
        for seed in [0u64, 1, 42, u64::MAX, 0x8000_0000_0000_0001] {
            let mut seq = Pcg32::new(seed, STREAM);
            // Walk trials 0..3 draw by draw and compare with a fresh jump at a few offsets.
            let checks = [0u64, 1, 2, 7, 1000, STRIDE - 1];
            let mut pos = 0u64;
            for trial in 0..3u64 {
                for &k in &checks {
                    let target = trial * STRIDE + k;
                    while pos < target {
                        seq.next_u32();
                        pos += 1;
                    }
                    let mut jumped = TrialRng::at(seed, trial, k);
                    let mut walker = seq.clone();
                    for _ in 0..4 {
                        assert_eq!(
                            jumped.next_u32(),
                            walker.next_u32(),
                            "seed {seed} trial {trial} offset {k}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn blocks_are_contiguous() {
        // The last draw of trial i's block is followed by the first of trial i + 1.
        let mut a = TrialRng::at(7, 5, STRIDE - 1);
        a.next_u32();
        let mut b = TrialRng::at(7, 6, 0);
        for _ in 0..8 {
            assert_eq!(a.next_u32(), b.next_u32());
        }
    }

    #[test]
    fn u01_range_ends() {
        assert_eq!(u01(0), 0.0);
        assert_eq!(u01(0xff), 0.0);
        assert_eq!(u01(0x100), TWO_POW_M24);
        assert_eq!(u01(u32::MAX), 1.0 - TWO_POW_M24);
        assert!(u01(u32::MAX) < 1.0);
        assert_eq!(u01_open(0), TWO_POW_M24);
        assert!(u01_open(0) > 0.0);
        assert_eq!(u01_open(u32::MAX), 1.0);
        assert_eq!(TWO_POW_M24, 2f32.powi(-24));
        // Exactness: converting back recovers the 24-bit integer.
        for x in [0u32, 1 << 8, 12_345_678, 0xdead_beef, u32::MAX] {
            assert_eq!((u01(x) * 16_777_216.0) as u32, x >> 8);
            assert_eq!((u01_open(x) * 16_777_216.0) as u32, (x >> 8) + 1);
        }
    }

    #[test]
    fn uniform_uses_the_conversions() {
        let mut a = TrialRng::at(3, 9, 0);
        let mut b = a.clone();
        let x = b.next_u32();
        assert_eq!(a.uniform(), u01(x));
        let y = b.next_u32();
        assert_eq!(a.uniform_open(), u01_open(y));
    }
}
