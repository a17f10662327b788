//! The wgpu instance, adapter, device and queue, and an adapter report for manifests and
//! `interceptmc devices`.
//!
//! Adapter choice follows wgpu's environment variables: `WGPU_BACKEND` (e.g. `vulkan`) limits
//! the backends, `WGPU_ADAPTER_NAME` picks the first adapter whose name contains it
//! (case-insensitive), `WGPU_POWER_PREF` overrides the default high-performance preference.
//! On a machine without a GPU, Mesa's lavapipe (`apt-get install mesa-vulkan-drivers
//! libvulkan1`) provides a software Vulkan adapter (`device_type` Cpu, driver `llvmpipe`); pin it
//! with `VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json WGPU_BACKEND=vulkan` and set
//! `XDG_RUNTIME_DIR` to silence its warning.
//!
//! Which adapters count ([`AdapterKind`]): `--backend gpu` takes whatever the environment picks,
//! software adapters included; `auto` only a hardware GPU (a software adapter measured slower
//! than the CPU backend on raids: 97-145 s against 57 s).

use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::error::GpuError;

/// What an adapter is and the limits that matter to the kernel. Serialised into manifests and
/// printed by `interceptmc devices`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AdapterReport {
    /// Adapter name, e.g. `NVIDIA H100 80GB HBM3` or `llvmpipe (LLVM 15.0.6, 256 bits)`.
    pub name: String,
    /// wgpu backend: `vulkan`, `metal`, `dx12`, `gl`.
    pub backend: String,
    /// Driver name, e.g. `NVIDIA` or `llvmpipe`.
    pub driver: String,
    /// Driver version string.
    pub driver_info: String,
    /// wgpu `DeviceType` as written by Debug: `DiscreteGpu`, `IntegratedGpu`, `Cpu`, ...
    pub device_type: String,
    /// PCI vendor id (0x10DE NVIDIA, 0x1002 AMD, 0x8086 Intel; 0x10005 Mesa for lavapipe).
    pub vendor: u32,
    /// PCI device id.
    pub device: u32,
    /// True for software adapters (`DeviceType::Cpu`, e.g. lavapipe).
    pub is_cpu: bool,
    /// Largest storage-buffer binding, bytes.
    pub max_storage_buffer_binding_size: u64,
    /// Largest buffer, bytes.
    pub max_buffer_size: u64,
    /// Most workgroups in one dispatch dimension.
    pub max_compute_workgroups_per_dimension: u32,
    /// Most invocations in one workgroup.
    pub max_compute_invocations_per_workgroup: u32,
}

impl AdapterReport {
    /// The report of an adapter: its info and its own (not the device's) limits.
    pub fn of(adapter: &wgpu::Adapter) -> Self {
        let info = adapter.get_info();
        let limits = adapter.limits();
        AdapterReport {
            name: info.name,
            backend: info.backend.to_string(),
            driver: info.driver,
            driver_info: info.driver_info,
            device_type: format!("{:?}", info.device_type),
            vendor: info.vendor,
            device: info.device,
            is_cpu: info.device_type == wgpu::DeviceType::Cpu,
            max_storage_buffer_binding_size: limits.max_storage_buffer_binding_size,
            max_buffer_size: limits.max_buffer_size,
            max_compute_workgroups_per_dimension: limits.max_compute_workgroups_per_dimension,
            max_compute_invocations_per_workgroup: limits.max_compute_invocations_per_workgroup,
        }
    }
}

/// An open GPU device and what it runs on.
#[derive(Debug)]
pub struct GpuContext {
    pub instance: wgpu::Instance,
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    /// The adapter's report (its limits are also the device's for the limits listed there).
    pub info: AdapterReport,
    /// The device has `Features::TIMESTAMP_QUERY` (requested whenever the adapter offers it):
    /// the backend then times its passes on the device (`GpuBackend::last_kernel_s`).
    pub timestamps: bool,
    /// Set by the device-lost callback: why the device was lost.
    lost: Arc<Mutex<Option<String>>>,
}

/// Which adapters may open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdapterKind {
    /// Whatever the environment picks, software adapters (lavapipe) included: `--backend gpu`.
    Any,
    /// A hardware GPU only (discrete first, then integrated, then virtual): `auto`.
    Hardware,
}

impl GpuContext {
    /// Opens the adapter chosen by the environment (see the module docs), preferring high
    /// performance, and a device with no optional feature but timestamp queries (when offered)
    /// and the adapter's own
    /// `max_storage_buffer_binding_size`, `max_buffer_size`,
    /// `max_compute_workgroups_per_dimension` and compute workgroup-size limits (wgpu's defaults
    /// are far smaller than an H100's). Other limits are wgpu's defaults, lowered where the
    /// adapter has less.
    pub fn new() -> Result<GpuContext, GpuError> {
        Self::open(AdapterKind::Any)
    }

    /// Opens an adapter of `kind` (see [`GpuContext::new`]).
    pub fn open(kind: AdapterKind) -> Result<GpuContext, GpuError> {
        pollster::block_on(Self::new_async(kind))
    }

    async fn new_async(kind: AdapterKind) -> Result<GpuContext, GpuError> {
        let instance = make_instance();
        let adapter = match kind {
            AdapterKind::Any => select_adapter(&instance).await?,
            AdapterKind::Hardware => select_hardware_adapter(&instance).await?,
        };
        let al = adapter.limits();
        let required_limits = wgpu::Limits {
            max_storage_buffer_binding_size: al.max_storage_buffer_binding_size,
            max_buffer_size: al.max_buffer_size,
            max_compute_workgroups_per_dimension: al.max_compute_workgroups_per_dimension,
            max_compute_invocations_per_workgroup: al.max_compute_invocations_per_workgroup,
            max_compute_workgroup_size_x: al.max_compute_workgroup_size_x,
            max_compute_workgroup_storage_size: al.max_compute_workgroup_storage_size,
            ..wgpu::Limits::default().or_worse_values_from(&al)
        };
        // Timestamps of compute passes, for `bench`'s kernel time; nothing else is optional.
        let timestamps = adapter.features() & wgpu::Features::TIMESTAMP_QUERY;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("interceptmc"),
                required_features: timestamps,
                required_limits,
                ..Default::default()
            })
            .await?;
        let info = AdapterReport::of(&adapter);
        let lost = Arc::new(Mutex::new(None));
        let flag = Arc::clone(&lost);
        device.set_device_lost_callback(move |reason, message| {
            if let Ok(mut l) = flag.lock() {
                *l = Some(format!("{reason:?}: {message}"));
            }
        });
        Ok(GpuContext {
            instance,
            adapter,
            device,
            queue,
            info,
            timestamps: !timestamps.is_empty(),
            lost,
        })
    }

    /// `Err(DeviceLost)` once the device has been lost; checked after every submission.
    pub fn check_lost(&self) -> Result<(), GpuError> {
        match self.lost.lock().ok().and_then(|l| l.clone()) {
            Some(why) => Err(GpuError::DeviceLost(format!("{} ({why})", self.info.name))),
            None => Ok(()),
        }
    }
}

/// An instance with the backends and flags from the environment (`WGPU_BACKEND`, ...).
fn make_instance() -> wgpu::Instance {
    wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env())
}

/// `WGPU_ADAPTER_NAME` if set (first adapter whose name contains it, case-insensitive), else
/// `request_adapter` with `WGPU_POWER_PREF` or high performance.
async fn select_adapter(instance: &wgpu::Instance) -> Result<wgpu::Adapter, GpuError> {
    if let Some(wanted) = std::env::var("WGPU_ADAPTER_NAME")
        .ok()
        .filter(|s| !s.is_empty())
    {
        let wanted_lc = wanted.to_lowercase();
        let adapters = instance.enumerate_adapters(wgpu::Backends::all()).await;
        let names: Vec<String> = adapters.iter().map(|a| a.get_info().name).collect();
        return adapters
            .into_iter()
            .find(|a| a.get_info().name.to_lowercase().contains(&wanted_lc))
            .ok_or_else(|| {
                GpuError::NoAdapter(format!(
                    "WGPU_ADAPTER_NAME={wanted:?} matches none of the adapters {names:?}"
                ))
            });
    }
    instance
        .request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::from_env()
                .unwrap_or(wgpu::PowerPreference::HighPerformance),
            force_fallback_adapter: false,
            compatible_surface: None,
            apply_limit_buckets: false,
        })
        .await
        .map_err(|e| GpuError::NoAdapter(e.to_string()))
}

/// The best hardware adapter on the allowed backends (`WGPU_BACKEND`; with
/// `WGPU_ADAPTER_NAME`, among those whose name contains it): discrete, then integrated, then
/// virtual GPUs. Software adapters (`DeviceType::Cpu`) never qualify.
async fn select_hardware_adapter(instance: &wgpu::Instance) -> Result<wgpu::Adapter, GpuError> {
    let wanted = std::env::var("WGPU_ADAPTER_NAME")
        .ok()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase());
    let adapters = instance.enumerate_adapters(wgpu::Backends::all()).await;
    let seen: Vec<String> = adapters
        .iter()
        .map(|a| {
            let i = a.get_info();
            format!("{} ({:?})", i.name, i.device_type)
        })
        .collect();
    let rank = |t: wgpu::DeviceType| match t {
        wgpu::DeviceType::DiscreteGpu => Some(0),
        wgpu::DeviceType::IntegratedGpu => Some(1),
        wgpu::DeviceType::VirtualGpu => Some(2),
        wgpu::DeviceType::Other => Some(3),
        wgpu::DeviceType::Cpu => None,
    };
    adapters
        .into_iter()
        .filter(|a| {
            let n = a.get_info().name.to_lowercase();
            wanted.as_ref().is_none_or(|w| n.contains(w))
        })
        .filter_map(|a| rank(a.get_info().device_type).map(|r| (r, a)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, a)| a)
        .ok_or_else(|| {
            GpuError::NoAdapter(if seen.is_empty() {
                "no adapter at all".to_string()
            } else {
                format!("no hardware GPU among the adapters {seen:?}")
            })
        })
}

/// Every adapter wgpu enumerates on the backends allowed by `WGPU_BACKEND` (all if unset).
pub fn list_adapters() -> Vec<AdapterReport> {
    let instance = make_instance();
    pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()))
        .iter()
        .map(AdapterReport::of)
        .collect()
}

/// The context for GPU tests: `Some` when an adapter opens. Otherwise prints
/// `GPU tests skipped: no adapter` (with the reason) and returns `None`, unless the environment
/// sets `INTERCEPTMC_REQUIRE_GPU=1`, when it panics so that CI cannot pass without a GPU.
pub fn test_context() -> Option<GpuContext> {
    match GpuContext::new() {
        Ok(ctx) => Some(ctx),
        Err(e) => {
            if std::env::var("INTERCEPTMC_REQUIRE_GPU").as_deref() == Ok("1") {
                panic!("INTERCEPTMC_REQUIRE_GPU=1 but no usable GPU adapter: {e}");
            }
            eprintln!("GPU tests skipped: no adapter ({e})");
            None
        }
    }
}
