//! Statistics (docs/model.md section 5): the Wilson and Clopper-Pearson intervals against the
//! published values, the sample-size formula, and the coverage of nominal 95 % intervals over
//! replications of a known proportion (`stats::coverage`).

use super::{Row, RowBuilder};
use crate::mc::stats::{clopper_pearson, coverage, samples_for_half_width, wilson};

const GROUP: &str = "statistics";
/// What this group checks, for the report.
pub const ABOUT: &str = "The Wilson and Clopper-Pearson 95 % intervals and the sample-size formula against the values printed in docs/model.md section 5 (5 decimals: tolerance 6e-6). Coverage: `stats::coverage` draws replications of Binomial(n, p) for four (n, p) pairs (4,000 replications; 1,000 with `--quick`) and counts how often the 95 % intervals contain p: Wilson must cover 93-97 %, Clopper-Pearson (conservative, at least 95 % expected) 94-99.5 %.";
const SRC: &str = "docs/model.md §5";
/// Published to 5 decimals: the value is within 0.5e-5 of the printed one (plus rounding slack).
pub const TOL_TABLE: f64 = 6e-6;
/// Wilson coverage band, and Clopper-Pearson's (at least nominal is expected), per cent.
pub const WILSON_BAND: (f64, f64) = (93.0, 97.0);
pub const CP_BAND: (f64, f64) = (94.0, 99.5);
/// (n, p) of the coverage checks: points where the exact Wilson coverage is 94.8-95.1 % (it
/// dips to 93.7 % at n = 100, p = 0.3, too close to the band for 1,000 replications).
pub const COVERAGE_CASES: [(u64, f64); 4] = [(150, 0.2), (300, 0.4), (250, 0.15), (1000, 0.05)];

pub fn cases(quick: bool) -> Vec<Row> {
    let mut rows = Vec::new();
    let b = |case: &str| RowBuilder::new(GROUP, case, SRC, "host", "probability");
    rows.push(b("Wilson 95 % 0/10 upper").abs(0.27753, wilson(0, 10, 0.95).1, TOL_TABLE));
    rows.push(b("Clopper-Pearson 95 % 0/10 upper").abs(
        0.30850,
        clopper_pearson(0, 10, 0.95).1,
        TOL_TABLE,
    ));
    let w = wilson(10, 18, 0.95);
    rows.push(b("Wilson 95 % 10/18 lower").abs(0.33716, w.0, TOL_TABLE));
    rows.push(b("Wilson 95 % 10/18 upper").abs(0.75440, w.1, TOL_TABLE));
    let c = clopper_pearson(10, 18, 0.95);
    rows.push(b("Clopper-Pearson 95 % 10/18 lower").abs(0.30757, c.0, TOL_TABLE));
    rows.push(b("Clopper-Pearson 95 % 10/18 upper").abs(0.78470, c.1, TOL_TABLE));
    let c = clopper_pearson(500, 1000, 0.95);
    rows.push(b("Clopper-Pearson 95 % 500/1000 lower").abs(0.46855, c.0, TOL_TABLE));
    rows.push(b("Clopper-Pearson 95 % 500/1000 upper").abs(0.53145, c.1, TOL_TABLE));
    rows.push(
        RowBuilder::new(
            GROUP,
            "samples for 95 % half-width 0.001 at p = 0.5",
            SRC,
            "host",
            "trials",
        )
        .abs(
            960_365.0,
            samples_for_half_width(0.5, 0.001, 0.95) as f64,
            0.0,
        ),
    );
    let replications: u64 = if quick { 1_000 } else { 4_000 };
    for (i, (n, p)) in COVERAGE_CASES.into_iter().enumerate() {
        let (wc, cc) = coverage(n, p, replications, 0.95, 1000 + i as u64);
        let note = format!("{replications} replications of Binomial({n}, {p})");
        rows.push(
            RowBuilder::new(
                GROUP,
                format!("coverage of the 95 % Wilson interval, n = {n}, p = {p}"),
                "nominal 95 %",
                "host",
                "%",
            )
            .note(&note)
            .band(95.0, 100.0 * wc, WILSON_BAND.0, WILSON_BAND.1),
        );
        rows.push(
            RowBuilder::new(
                GROUP,
                format!("coverage of the 95 % Clopper-Pearson interval, n = {n}, p = {p}"),
                "nominal 95 % (conservative)",
                "host",
                "%",
            )
            .note(&note)
            .band(95.0, 100.0 * cc, CP_BAND.0, CP_BAND.1),
        );
    }
    rows
}
