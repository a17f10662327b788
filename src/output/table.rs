//! The human-readable summary table printed on stdout after a run.

use super::SummaryRow;

fn prob(v: f64) -> String {
    format!("{v:.4}")
}

fn prob_ci(p: f64, lo: f64, hi: f64) -> String {
    format!("{} [{}, {}]", prob(p), prob(lo), prob(hi))
}

/// Renders `rows` as an aligned text table, one line per row under a header, each line ending
/// in `\n`: threat, samples, `p_kill [lo, hi]` (Wilson), `p_engaged`, mean interceptors per
/// threat, `p_zero_leakers [lo, hi]` (Wilson) and mean leakers per trial. Probabilities have
/// 4 decimals, means 3. The interval level is in the header when all rows share it.
pub fn render_summary_table(rows: &[SummaryRow]) -> String {
    let level = match rows.first() {
        Some(first) if rows.iter().all(|r| r.confidence == first.confidence) => {
            format!(" [{}% CI]", (first.confidence * 1000.0).round() / 10.0)
        }
        _ => " [lo, hi]".to_string(),
    };
    let header = vec![
        "threat".to_string(),
        "samples".to_string(),
        format!("p_kill{level}"),
        "p_engaged".to_string(),
        "interceptors".to_string(),
        format!("p_zero_leakers{level}"),
        "leakers".to_string(),
    ];
    let mut table = vec![header];
    for r in rows {
        table.push(vec![
            r.threat.clone(),
            r.samples.to_string(),
            prob_ci(r.p_kill, r.p_kill_lo, r.p_kill_hi),
            prob(r.p_engaged),
            format!("{:.3}", r.mean_interceptors),
            prob_ci(r.p_zero_leakers, r.p_zero_leakers_lo, r.p_zero_leakers_hi),
            format!("{:.3}", r.mean_leakers),
        ]);
    }
    align_table(&table, |c| c == 0)
}

/// Lays out `table` (a header row then the data rows, all of the same length) as text: columns
/// two spaces apart, each as wide as its widest cell, left-aligned where `left(column)` (words)
/// and right-aligned elsewhere (numbers), trailing spaces trimmed, one `\n`-ended line per row.
pub fn align_table<R: AsRef<[String]>>(table: &[R], left: impl Fn(usize) -> bool) -> String {
    let ncol = table.first().map_or(0, |r| r.as_ref().len());
    let widths: Vec<usize> = (0..ncol)
        .map(|c| {
            table
                .iter()
                .map(|row| row.as_ref()[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in table {
        let mut line = String::new();
        for (c, cell) in row.as_ref().iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let pad = " ".repeat(widths[c] - cell.chars().count());
            if left(c) {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::summary::tests::sample_row;

    #[test]
    fn aligned_columns() {
        let mut long = sample_row("boost-glide-hgv");
        long.samples = 2_000_000;
        let rows = vec![sample_row("srbm"), long, sample_row("all")];
        let text = render_summary_table(&rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("threat "));
        assert!(lines[0].contains("p_kill [95% CI]"));
        assert!(lines[0].contains("p_zero_leakers [95% CI]"));
        assert!(lines[1].starts_with("srbm "));
        assert!(lines[1].contains("0.9123 [0.9106, 0.9141]"));
        assert!(lines[1].contains("0.1000 [0.0981, 0.1019]"));
        assert!(lines[1].contains("1.300"));
        // Every line has the same width (right-aligned last column).
        let w = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == w), "{text}");
        // Columns line up: the samples column ends at the same offset.
        let end = |l: &str, s: &str| l.find(s).unwrap() + s.len();
        assert_eq!(end(lines[0], "samples"), end(lines[2], "2000000"));
        assert_eq!(end(lines[1], "100000"), end(lines[2], "2000000"));
    }

    #[test]
    fn other_levels_and_empty() {
        let mut r = sample_row("all");
        r.confidence = 0.999;
        let text = render_summary_table(&[r]);
        assert!(text.contains("p_kill [99.9% CI]"), "{text}");
        let empty = render_summary_table(&[]);
        assert_eq!(empty.lines().count(), 1);
        assert!(empty.contains("[lo, hi]"));
    }

    #[test]
    fn align_table_pads_words_left_and_numbers_right() {
        let t = vec![
            vec!["name".to_string(), "n".to_string()],
            vec!["ab".to_string(), "1234".to_string()],
            vec!["abcdef".to_string(), "5".to_string()],
        ];
        assert_eq!(
            align_table(&t, |c| c == 0),
            "name       n\nab      1234\nabcdef     5\n"
        );
    }
}
