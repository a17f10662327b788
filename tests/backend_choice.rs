//! One backend choice and one meaning of `auto` (a hardware GPU when there is one, otherwise
//! the CPU backend, never a software adapter), and typed GPU errors callers can tell apart.
//! The oracle for `auto` is the adapter list wgpu enumerates, read here independently.

mod common;

use common::*;
use interceptmc::backend::gpu::{list_adapters, test_context, GpuBackend, GpuError};
use interceptmc::backend::{open, open_for_comparison, Backend, BackendChoice, BackendError};

fn hardware_present() -> bool {
    list_adapters().iter().any(|a| !a.is_cpu)
}

#[test]
fn choice_names_round_trip() {
    for c in BackendChoice::ALL {
        assert_eq!(c.name().parse::<BackendChoice>(), Ok(c));
        assert_eq!(c.to_string(), c.name());
    }
    assert!("GPU".parse::<BackendChoice>().is_err());
    assert_eq!(BackendChoice::default(), BackendChoice::Auto);
}

#[test]
fn auto_takes_a_hardware_gpu_or_the_cpu_never_a_software_adapter() {
    let opened = open(BackendChoice::Auto).expect("auto always opens");
    let note = opened.note.expect("auto says what it chose");
    if hardware_present() {
        assert_eq!(opened.backend.kind(), "gpu", "{note}");
        assert!(!opened.backend.adapter().unwrap().is_cpu);
    } else {
        assert_eq!(opened.backend.kind(), "cpu", "{note}");
        assert!(note.starts_with("auto: CPU backend"), "{note}");
        assert!(note.contains("--backend gpu"), "{note}");
    }
}

#[test]
fn cpu_is_the_cpu_and_says_nothing() {
    let opened = open(BackendChoice::Cpu).unwrap();
    assert_eq!(opened.backend.kind(), "cpu");
    assert!(opened.note.is_none());
}

#[test]
fn gpu_takes_any_adapter_including_software() {
    let any = !list_adapters().is_empty();
    match open(BackendChoice::Gpu) {
        Ok(o) => {
            assert!(any);
            assert_eq!(o.backend.kind(), "gpu");
        }
        Err(e) => {
            assert!(matches!(e, GpuError::NoAdapter(_)), "{e:?}");
            assert!(std::env::var("INTERCEPTMC_REQUIRE_GPU").as_deref() != Ok("1"));
        }
    }
}

#[test]
fn comparisons_run_the_cpu_and_a_hardware_gpu_only() {
    let set = open_for_comparison(BackendChoice::Auto).unwrap();
    assert_eq!(set.len(), 2);
    assert_eq!(set[0].as_ref().unwrap().kind(), "cpu");
    assert_eq!(set[1].is_ok(), hardware_present());
    let cpu = open_for_comparison(BackendChoice::Cpu).unwrap();
    assert_eq!(cpu.len(), 1);
}

/// Trial indices of 2^32 and beyond do not fit the kernel's u32 trial index.
#[test]
fn trial_index_beyond_u32_is_too_large() {
    let Some(ctx) = test_context() else { return };
    let mut g = GpuBackend::from_context(ctx).unwrap();
    let b = batch(&vacuum_ballistic(
        "burnout_altitude_km = 0.0\nburnout_speed_km_s = 3.0\nflight_path_angle_deg = 45.0\nazimuth_deg = 90.0",
    ));
    let first = 1u64 << 32;
    match g.run(&b, first..first + 1, false) {
        Err(BackendError::Gpu(GpuError::TooLarge(msg))) => assert!(msg.contains("u32"), "{msg}"),
        other => panic!(
            "expected TooLarge, got {:?}",
            other.map(|o| o.tallies.len())
        ),
    }
}

/// A destroyed device is reported as lost, not as a readback or validation failure.
#[test]
fn a_lost_device_is_device_lost() {
    let Some(ctx) = test_context() else { return };
    let mut g = GpuBackend::from_context(ctx).unwrap();
    let b = batch(&vacuum_ballistic(
        "burnout_altitude_km = 0.0\nburnout_speed_km_s = 3.0\nflight_path_angle_deg = 45.0\nazimuth_deg = 90.0",
    ));
    g.run(&b, 0..4, false).expect("runs before the loss");
    g.context().device.destroy();
    match g.run(&b, 0..4, false) {
        Err(BackendError::Gpu(GpuError::DeviceLost(msg))) => println!("lost: {msg}"),
        other => panic!(
            "expected DeviceLost, got {:?}",
            other.map(|o| o.tallies.len())
        ),
    }
}
