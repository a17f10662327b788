//! `manifest.json`: everything needed to reproduce a run (README.md "Outputs").

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::time::now_rfc3339;
use super::write_atomic;

/// The GPU adapter a run used (from `wgpu::AdapterInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdapterInfo {
    /// Adapter name, e.g. `NVIDIA H100 80GB HBM3` or `llvmpipe (LLVM 15.0.7, 256 bits)`.
    pub name: String,
    /// Graphics API backend, e.g. `Vulkan`, `Metal`, `Dx12`.
    pub backend: String,
    /// Driver name.
    pub driver: String,
    /// Driver version/details.
    pub driver_info: String,
    /// Device type, e.g. `DiscreteGpu`, `Cpu`.
    pub device_type: String,
}

/// Contents of `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// interceptmc version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// Scenario name.
    pub scenario_name: String,
    /// Scenario file as given on the command line; `None` for the embedded default.
    #[serde(default)]
    pub scenario_file: Option<String>,
    /// SHA-256 (lowercase hex) of the scenario file's bytes (of the embedded text for the
    /// default).
    pub scenario_sha256: String,
    /// The scenario text as run (`--set` overrides applied; its SHA-256 is
    /// `scenario_sha256`), so that an edited file stays reproducible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_text: Option<String>,
    /// Seed of the random stream.
    pub seed: u64,
    /// Trials run.
    pub samples: u64,
    /// Backend that ran the trials: `cpu` or `gpu`.
    pub backend: String,
    /// GPU adapter, for GPU runs.
    #[serde(default)]
    pub adapter: Option<AdapterInfo>,
    /// CPU worker threads.
    pub threads: usize,
    /// Wall-clock time of the run, seconds.
    pub wall_s: f64,
    /// Start time, RFC 3339 UTC (`2023-11-14T22:13:20Z`).
    pub started_utc: String,
    /// The command line (program name first).
    pub command_line: Vec<String>,
    /// The raid settings, when the scenario has `[raid]`.
    #[serde(default)]
    pub raid: Option<serde_json::Value>,
    /// Anything else worth recording (shard, target half-width, ...).
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Manifest {
    /// A manifest with the version, start time (now), command line (`std::env::args`) and
    /// thread count (`available_parallelism`) filled in; no adapter, no raid, wall time 0.
    pub fn new(
        scenario_name: impl Into<String>,
        scenario_sha256: impl Into<String>,
        seed: u64,
        samples: u64,
        backend: impl Into<String>,
    ) -> Self {
        Manifest {
            version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_name: scenario_name.into(),
            scenario_file: None,
            scenario_sha256: scenario_sha256.into(),
            scenario_text: None,
            seed,
            samples,
            backend: backend.into(),
            adapter: None,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            wall_s: 0.0,
            started_utc: now_rfc3339(),
            command_line: std::env::args().collect(),
            raid: None,
            extra: serde_json::Map::new(),
        }
    }
}

/// SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Writes `manifest` to `path` as pretty-printed JSON (with a final newline), atomically.
pub fn write_manifest(path: &Path, manifest: &Manifest) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(manifest).map_err(io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

/// Reads a `manifest.json` back.
pub fn read_manifest(path: &Path) -> io::Result<Manifest> {
    let bytes = std::fs::read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_known_vectors() {
        // FIPS 180-2 test vectors.
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn round_trip_and_layout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.json");
        let mut m = Manifest::new("europe-layered", sha256_hex(b"x"), 7, 1000, "gpu");
        m.scenario_file = Some("scenarios/europe.toml".into());
        m.adapter = Some(AdapterInfo {
            name: "llvmpipe".into(),
            backend: "Vulkan".into(),
            driver: "llvmpipe".into(),
            driver_info: "Mesa 23".into(),
            device_type: "Cpu".into(),
        });
        m.wall_s = 1.25;
        m.raid = Some(serde_json::json!({"size": 10, "launch_window_s": 60.0}));
        m.extra
            .insert("target_halfwidth".into(), serde_json::json!(0.001));
        write_manifest(&path, &m).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("}\n"));
        assert!(text.contains("\n  \"version\": \"0.1.0\""), "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        for key in [
            "version",
            "scenario_name",
            "scenario_file",
            "scenario_sha256",
            "seed",
            "samples",
            "backend",
            "adapter",
            "threads",
            "wall_s",
            "started_utc",
            "command_line",
            "raid",
            "extra",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["adapter"]["driver_info"], "Mesa 23");
        let back = read_manifest(&path).unwrap();
        assert_eq!(back, m);
        // started_utc looks like RFC 3339 UTC.
        let s = &m.started_utc;
        assert_eq!(s.len(), 20);
        assert!(s.ends_with('Z') && &s[4..5] == "-" && &s[10..11] == "T");
        assert!(m.threads >= 1);
        assert!(!m.command_line.is_empty());
    }

    #[test]
    fn optional_fields_may_be_absent() {
        let json = r#"{"version":"0.1.0","scenario_name":"d","scenario_sha256":"00",
            "seed":1,"samples":2,"backend":"cpu","threads":1,"wall_s":0.5,
            "started_utc":"2023-11-14T22:13:20Z","command_line":["interceptmc","run"]}"#;
        let m: Manifest = serde_json::from_str(json).unwrap();
        assert!(m.scenario_file.is_none() && m.adapter.is_none() && m.raid.is_none());
        assert!(m.extra.is_empty());
    }
}
