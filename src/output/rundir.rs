//! Run directories: `results/runs/<name>-<run id>/`.

use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::time::UtcTime;

static RUN_COUNTER: AtomicU64 = AtomicU64::new(0);

/// SplitMix64 finaliser: spreads the entropy of its input over all 64 bits.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A run id: the UTC time `YYYYMMDDTHHMMSSZ` then `-` and 4 hex digits from the clock's
/// nanoseconds, the process id, a per-process counter and the standard library's random hash
/// keys, so two runs started in the same second almost surely differ
/// (e.g. `20231114T221320Z-3fa9`).
pub fn run_id() -> String {
    let now = SystemTime::now();
    let nanos = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(nanos);
    h.write_u32(std::process::id());
    h.write_u64(RUN_COUNTER.fetch_add(1, Ordering::Relaxed));
    let salt = mix64(h.finish() ^ nanos);
    format!(
        "{}-{:04x}",
        UtcTime::from_system(now).compact(),
        salt & 0xffff
    )
}

/// Makes a scenario name safe as a directory name: characters other than ASCII letters,
/// digits, `-`, `_` and `.` become `_`; an empty (or all-dot) name becomes `run`.
fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.chars().all(|c| c == '.') {
        "run".to_string()
    } else {
        s
    }
}

/// The default output directory of a run: `<results_root>/runs/<name>-<run id>` (see
/// [`run_id`]), with the scenario name made file-system safe.
pub fn default_run_dir(results_root: &Path, scenario_name: &str) -> PathBuf {
    results_root
        .join("runs")
        .join(format!("{}-{}", sanitize(scenario_name), run_id()))
}

/// Creates the output directory `path` and its parents (an existing directory is fine; an
/// existing non-directory is an error naming the path).
pub fn prepare_out_dir(path: &Path) -> io::Result<()> {
    std::fs::create_dir_all(path).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("creating output directory {}: {e}", path.display()),
        )
    })?;
    if !path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("output path {} is not a directory", path.display()),
        ));
    }
    Ok(())
}

/// Why an output directory cannot be used (the CLI's exit 2).
#[derive(Debug, thiserror::Error)]
pub enum OutDirError {
    #[error(
        "--out {0}: the directory is not empty; choose another --out, or add --force to write \
         into it (files of the same names are replaced)"
    )]
    NotEmpty(PathBuf),
    #[error("--out {path}: cannot write there: {source}")]
    Unwritable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// An output directory claimed before any work ([`claim_out_dir`]): it exists and is writable.
/// Remembers the directories the claim created, so that a run that ends without results
/// (interrupted, failed) leaves no empty folder behind ([`OutDir::release`]).
#[derive(Debug)]
pub struct OutDir {
    pub path: PathBuf,
    /// Directories created by the claim, outermost first.
    created: Vec<PathBuf>,
}

impl OutDir {
    /// Removes the directories the claim created, innermost first, as long as they are empty
    /// (a file written meanwhile keeps its directory).
    pub fn release(&self) {
        for d in self.created.iter().rev() {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
        }
    }
}

/// Claims the output directory `path` before any work: refuses one that already holds files
/// (unless `force`), creates it (and its parents) and checks that a file can be created in it.
/// `allow_files` accepts a non-empty directory without `force` (the commands whose output
/// directory is shared by design, such as `validate` and `bench`).
pub fn claim_out_dir(path: &Path, force: bool, allow_files: bool) -> Result<OutDir, OutDirError> {
    let unwritable = |source: io::Error| OutDirError::Unwritable {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        let mut entries = std::fs::read_dir(path).map_err(unwritable)?;
        if entries.next().is_some() && !force && !allow_files {
            return Err(OutDirError::NotEmpty(path.to_path_buf()));
        }
    } else if path.exists() {
        return Err(unwritable(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "it is a file, not a directory",
        )));
    }
    let mut created = Vec::new();
    let mut missing = Some(path);
    while let Some(d) = missing.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        created.push(d.to_path_buf());
        missing = d.parent();
    }
    created.reverse();
    let claim = OutDir {
        path: path.to_path_buf(),
        created,
    };
    if let Err(e) = std::fs::create_dir_all(path) {
        claim.release();
        return Err(unwritable(e));
    }
    let probe = path.join(format!(".interceptmc-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(claim)
        }
        Err(e) => {
            claim.release();
            Err(unwritable(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn run_id_format_and_uniqueness() {
        let id = run_id();
        assert_eq!(id.len(), 21, "{id}");
        let b = id.as_bytes();
        assert!(b[..8].iter().all(u8::is_ascii_digit));
        assert_eq!(b[8], b'T');
        assert!(b[9..15].iter().all(u8::is_ascii_digit));
        assert_eq!(&id[15..17], "Z-");
        assert!(id[17..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        // Many ids in the same second: (almost) all distinct.
        let ids: HashSet<String> = (0..200).map(|_| run_id()).collect();
        assert!(ids.len() >= 195, "{}", ids.len());
    }

    #[test]
    fn default_dir_layout() {
        let d = default_run_dir(Path::new("results"), "europe layered/v2");
        assert_eq!(d.parent(), Some(Path::new("results/runs")));
        let name = d.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("europe_layered_v2-"), "{name}");
        assert_eq!(name.len(), "europe_layered_v2-".len() + 21);
        let d = default_run_dir(Path::new("r"), "..");
        assert!(d.file_name().unwrap().to_str().unwrap().starts_with("run-"));
    }

    #[test]
    fn prepare_creates_parents() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("results").join("runs").join("x-1");
        prepare_out_dir(&out).unwrap();
        assert!(out.is_dir());
        prepare_out_dir(&out).unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "").unwrap();
        assert!(prepare_out_dir(&file).is_err());
    }
}

#[cfg(test)]
mod claim_tests {
    use super::*;

    #[test]
    fn claims_refuses_and_releases() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a").join("b");
        let c = claim_out_dir(&out, false, false).unwrap();
        assert!(out.is_dir());
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "no probe left");
        c.release();
        assert!(!dir.path().join("a").exists(), "created folders removed");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("x"), "").unwrap();
        assert!(matches!(
            claim_out_dir(&out, false, false),
            Err(OutDirError::NotEmpty(_))
        ));
        let c = claim_out_dir(&out, true, false).unwrap();
        c.release();
        assert!(out.join("x").exists(), "nothing of the user's removed");
        let file = dir.path().join("f");
        std::fs::write(&file, "").unwrap();
        assert!(matches!(
            claim_out_dir(&file.join("sub"), false, false),
            Err(OutDirError::Unwritable { .. })
        ));
        assert!(matches!(
            claim_out_dir(&file, false, false),
            Err(OutDirError::Unwritable { .. })
        ));
    }
}
