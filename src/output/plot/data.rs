//! The CSV tables the plots read: a header and string records, with numeric access by column
//! name; errors name the file (and the line for a bad number).

use std::io;
use std::path::{Path, PathBuf};

/// A CSV file read whole.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads `path`; `Ok(None)` when it does not exist.
    pub fn read(path: &Path) -> io::Result<Option<Table>> {
        if !path.is_file() {
            return Ok(None);
        }
        let bad = |e: csv::Error| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .from_path(path)
            .map_err(bad)?;
        let header = rdr
            .headers()
            .map_err(bad)?
            .iter()
            .map(String::from)
            .collect();
        let mut rows = Vec::new();
        for rec in rdr.records() {
            rows.push(rec.map_err(bad)?.iter().map(String::from).collect());
        }
        Ok(Some(Table {
            path: path.to_path_buf(),
            header,
            rows,
        }))
    }

    /// The index of column `name`.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The index of column `name`, or an error naming the file.
    pub fn need(&self, name: &str) -> io::Result<usize> {
        self.col(name).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: no column {name:?}", self.path.display()),
            )
        })
    }

    /// Cell `c` of row `r` as text.
    pub fn text(&self, r: usize, c: usize) -> &str {
        self.rows[r].get(c).map(String::as_str).unwrap_or("")
    }

    /// Cell `c` of row `r` as a number (an empty cell is NaN); an error names the file, line
    /// and column. A trailing `+` (an overflow bin such as `255+`) is ignored.
    pub fn num(&self, r: usize, c: usize) -> io::Result<f64> {
        let s = self.text(r, c).trim();
        if s.is_empty() {
            return Ok(f64::NAN);
        }
        s.trim_end_matches('+').parse::<f64>().map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{}: line {}, column {}: {s:?} is not a number",
                    self.path.display(),
                    r + 2,
                    self.header[c]
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_and_names_bad_cells() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, "a,b\n1,2.5\n255+,x\n,3\n").unwrap();
        let t = Table::read(&p).unwrap().unwrap();
        let (a, b) = (t.need("a").unwrap(), t.need("b").unwrap());
        assert_eq!(t.num(0, b).unwrap(), 2.5);
        assert_eq!(t.num(1, a).unwrap(), 255.0);
        assert!(t.num(2, a).unwrap().is_nan());
        let e = t.num(1, b).unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("column b"), "{e}");
        assert!(t.need("c").is_err());
        assert!(Table::read(&dir.path().join("none.csv")).unwrap().is_none());
    }
}
