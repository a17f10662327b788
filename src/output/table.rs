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
    let ncol = table[0].len();
    let widths: Vec<usize> = (0..ncol)
        .map(|c| {
            table
                .iter()
                .map(|row| row[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &table {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let pad = widths[c] - cell.chars().count();
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(&" ".repeat(pad));
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
}
