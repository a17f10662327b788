use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct DevicesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(a: DevicesArgs) -> Result<ExitCode> {
    let adapters = crate::backend::gpu::list_adapters();
    if a.json {
        println!("{}", serde_json::to_string_pretty(&adapters)?);
        return Ok(ExitCode::SUCCESS);
    }
    if adapters.is_empty() {
        println!("no GPU adapters found (install a Vulkan driver; for a software one: apt-get install mesa-vulkan-drivers libvulkan1)");
        return Ok(ExitCode::SUCCESS);
    }
    for (i, ad) in adapters.iter().enumerate() {
        println!(
            "[{i}] {} ({}, {}{}) driver: {} {}",
            ad.name,
            ad.backend,
            ad.device_type,
            if ad.is_cpu {
                ", software: runs on the CPU"
            } else {
                ""
            },
            ad.driver,
            ad.driver_info
        );
        println!(
            "    vendor 0x{:04x} device 0x{:04x}; max storage binding {} MiB, max buffer {} MiB, workgroups/dim {}, invocations/workgroup {}",
            ad.vendor,
            ad.device,
            ad.max_storage_buffer_binding_size >> 20,
            ad.max_buffer_size >> 20,
            ad.max_compute_workgroups_per_dimension,
            ad.max_compute_invocations_per_workgroup
        );
    }
    Ok(ExitCode::SUCCESS)
}
