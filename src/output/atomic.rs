//! Atomic file writes: write a temporary file beside the destination, then rename it onto
//! the final name (atomic on POSIX file systems within one directory).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file that appears under its final name only when [`commit`](AtomicFile::commit) succeeds.
///
/// Writes go (buffered) to `<dir>/.<name>.tmp-<pid>-<n>` in the destination's directory;
/// `commit()` flushes, syncs the data to disk and renames the temporary file onto the final
/// name, replacing any existing file. Dropping an `AtomicFile` without committing removes the
/// temporary file and leaves any existing file at the destination untouched.
#[derive(Debug)]
pub struct AtomicFile {
    final_path: PathBuf,
    temp_path: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates the temporary file for `path` (whose directory must exist).
    pub fn create(path: impl AsRef<Path>) -> io::Result<Self> {
        let final_path = path.as_ref().to_path_buf();
        let name = final_path.file_name().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("not a file path: {}", final_path.display()),
            )
        })?;
        let dir = match final_path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let pid = std::process::id();
        loop {
            let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
            let mut temp_name = std::ffi::OsString::from(".");
            temp_name.push(name);
            temp_name.push(format!(".tmp-{pid}-{n}"));
            let temp_path = dir.join(temp_name);
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp_path)
            {
                Ok(file) => {
                    return Ok(AtomicFile {
                        final_path,
                        temp_path,
                        writer: Some(BufWriter::with_capacity(1 << 16, file)),
                    })
                }
                // A stale temp file from an earlier process with the same pid: take the next n.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(io::Error::new(
                        e.kind(),
                        format!("creating {}: {e}", temp_path.display()),
                    ))
                }
            }
        }
    }

    /// The destination path.
    pub fn path(&self) -> &Path {
        &self.final_path
    }

    /// The temporary path being written.
    pub fn temp_path(&self) -> &Path {
        &self.temp_path
    }

    /// Flushes, syncs and renames the temporary file onto the destination. On error the
    /// temporary file is removed and the destination is unchanged.
    pub fn commit(mut self) -> io::Result<()> {
        let writer = self.writer.take().expect("writer present until commit");
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&self.temp_path, &self.final_path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "renaming {} to {}: {e}",
                    self.temp_path.display(),
                    self.final_path.display()
                ),
            )
        })?;
        // Committed: nothing left for Drop to remove.
        self.temp_path = PathBuf::new();
        // Make the rename durable (best effort: not every platform can open a directory).
        #[cfg(unix)]
        if let Some(dir) = self.final_path.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer
            .as_mut()
            .expect("writer present until commit")
            .write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer
            .as_mut()
            .expect("writer present until commit")
            .write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer
            .as_mut()
            .expect("writer present until commit")
            .flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        drop(self.writer.take());
        if !self.temp_path.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.temp_path);
        }
    }
}

/// Writes `bytes` to `path` atomically (see [`AtomicFile`]).
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commit_produces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let mut f = AtomicFile::create(&path).unwrap();
        let temp = f.temp_path().to_path_buf();
        assert_eq!(temp.parent(), Some(dir.path()));
        let tname = temp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            tname.starts_with(&format!(".out.csv.tmp-{}-", std::process::id())),
            "{tname}"
        );
        f.write_all(b"a,b\n1,2\n").unwrap();
        assert!(!path.exists());
        f.commit().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a,b\n1,2\n");
        assert!(!temp.exists());
        assert_eq!(entries(dir.path()), vec!["out.csv"]);
    }

    #[test]
    fn drop_without_commit_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(&vec![b'x'; 200_000]).unwrap();
            assert_eq!(entries(dir.path()).len(), 1);
        }
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn existing_file_replaced_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.csv");
        fs::write(&path, "old\n").unwrap();
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new\n").unwrap();
        f.flush().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "old\n");
        drop(f);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(entries(dir.path()), vec!["summary.csv"]);
        write_atomic(&path, b"newer\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "newer\n");
        assert_eq!(entries(dir.path()), vec!["summary.csv"]);
    }

    #[test]
    fn two_writers_same_destination_get_distinct_temps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        let a = AtomicFile::create(&path).unwrap();
        let b = AtomicFile::create(&path).unwrap();
        assert_ne!(a.temp_path(), b.temp_path());
    }

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("x.csv");
        let err = AtomicFile::create(&path).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(err.to_string().contains("missing-dir"));
        assert!(AtomicFile::create("/").is_err());
    }
}
