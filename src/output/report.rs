//! `report.html`: one self-contained page for a run, sweep or comparison directory: its
//! tables (`summary.csv`, `sweep.csv` or `compare.csv`, and `battery.csv` and `raid.csv` when
//! present), its plots and map as inline SVG, the manifest, and the model's main assumptions
//! (docs/model.md). No script, no style sheet or image from elsewhere, no URL: it opens
//! offline, from a file, in any browser.

use std::io;
use std::path::Path;

use super::plot::data::Table;
use super::plot::{DirKind, Figure};

/// The model's main assumptions, in short (docs/model.md sections 7 to 10).
pub const ASSUMPTIONS: [&str; 9] = [
    "Spherical Earth (R = 6371 km) with point-mass gravity, optionally rotating; exponential \
     atmosphere (1.225 exp(-h / 7.2 km) kg/m^3) or none (docs/model.md section 7).",
    "Threat flights are integrated with fourth-order Runge-Kutta at a fixed step (coarser above \
     100 km); ballistic missiles are aimed by the vacuum closed form, gliders fly at maximum \
     L/D with a weave, cruise missiles hold altitude and speed (sections 7 and 8).",
    "Radars see a target within a range scaled as the fourth root of its RCS, above a minimum \
     elevation and inside an optional sector; a firm track follows after a fixed delay and is \
     never lost (section 9).",
    "An intercept is feasible inside the interceptor's altitude band and ground range, when an \
     interceptor launched after track plus reaction time can fly the straight-line distance at \
     its average fly-out speed (section 9).",
    "Each shot kills independently with the single-shot kill probability, reduced against \
     manoeuvring targets by the 3:1 divert rule of thumb (section 10).",
    "Doctrine is a greedy allocation of salvos, shoot-look-shoot with kill assessment or \
     salvo, bounded by each battery's inventory and engagements (section 10).",
    "A raid's threats share the batteries' inventories; system reliability is one common-mode \
     draw per raid, track reliability an independent draw per threat (section 10).",
    "Every figure that imitates a real system is an illustrative, public and approximate value, \
     never data about a real system (section 6).",
    "Intervals are at the scenario's confidence level: Wilson (1927) for per-trial \
     proportions, the cluster (ratio-estimator) interval of Cochran (1977) for p_kill, whose \
     threats of one trial are not independent; paired differences by Newcombe (1998) or the \
     linearised paired interval (section 5).",
];

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// At most this many rows of a table are shown (the CSV has them all).
const MAX_ROWS: usize = 500;

fn table_html(t: &Table) -> String {
    let mut h = String::from("<div class=\"scroll\"><table>\n<thead><tr>");
    for c in &t.header {
        h.push_str(&format!("<th>{}</th>", escape(c)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for r in t.rows.iter().take(MAX_ROWS) {
        h.push_str("<tr>");
        for c in r {
            // Long floats shortened for reading; the CSV keeps every digit.
            let shown = match c.parse::<f64>() {
                Ok(v) if c.contains('.') && c.len() > 8 => format!("{v:.5}"),
                _ => c.clone(),
            };
            h.push_str(&format!("<td>{}</td>", escape(&shown)));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    if t.rows.len() > MAX_ROWS {
        h.push_str(&format!(
            "<p>First {MAX_ROWS} of {} rows; the CSV has them all.</p>\n",
            t.rows.len()
        ));
    }
    h
}

/// Removes an XML declaration or DOCTYPE before the `<svg` element (HTML takes the element
/// inline as it is).
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

fn section(id: &str, title: &str, body: &str) -> String {
    format!(
        "<section id=\"{id}\">\n<h2>{}</h2>\n{body}</section>\n",
        escape(title)
    )
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em;max-width:1500px;color:#222}\
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:2px 6px;\
text-align:right}th{background:#eef}td:first-child,th:first-child{text-align:left}\
.scroll{overflow-x:auto}figure{margin:1em 0}figure svg{max-width:100%;height:auto}\
pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}";

/// The report of `dir` (of kind `kind`) with `figures` (drawn from the same directory).
pub fn report_html(dir: &Path, kind: DirKind, figures: &[Figure]) -> io::Result<String> {
    let main_csv = match kind {
        DirKind::Run => "summary.csv",
        DirKind::Sweep => super::sweep::SWEEP_CSV,
        DirKind::Compare => "compare.csv",
    };
    let main = Table::read(&dir.join(main_csv))?.unwrap_or_default();
    let name = main
        .col("scenario")
        .or_else(|| main.col("layout"))
        .filter(|_| !main.rows.is_empty())
        .map(|c| main.text(0, c).to_string())
        .unwrap_or_else(|| {
            dir.file_name()
                .map_or("results".into(), |s| s.to_string_lossy().into_owned())
        });
    let title = format!("interceptmc {} report: {name}", kind.name());
    let mut body = format!(
        "<h1>{}</h1>\n<p>Directory <code>{}</code>; every table below is a CSV file of that \
         directory, every figure was drawn from them by <code>interceptmc plot</code>.</p>\n",
        escape(&title),
        escape(&dir.display().to_string())
    );
    body.push_str(&section(
        "summary",
        &format!("Results ({main_csv})"),
        &table_html(&main),
    ));
    for (file, id, t) in [
        ("battery.csv", "batteries", "Batteries (battery.csv)"),
        ("raid.csv", "raid", "Per raid (raid.csv)"),
    ] {
        if let Some(tab) = Table::read(&dir.join(file))? {
            body.push_str(&section(id, t, &table_html(&tab)));
        }
    }
    let (maps, plots): (Vec<&Figure>, Vec<&Figure>) = figures.iter().partition(|f| f.stem == "map");
    let fig_html = |fs: &[&Figure]| {
        fs.iter()
            .map(|f| {
                format!(
                    "<figure id=\"fig-{}\">\n{}\n<figcaption>{} ({}.svg, {}.png)</figcaption>\n</figure>\n",
                    escape(&f.stem),
                    inline_svg(&f.svg),
                    escape(&f.title),
                    escape(&f.stem),
                    escape(&f.stem)
                )
            })
            .collect::<String>()
    };
    body.push_str(&section("plots", "Plots", &fig_html(&plots)));
    if !maps.is_empty() {
        body.push_str(&section("map", "Map", &fig_html(&maps)));
    }
    let manifest = std::fs::read_to_string(dir.join("manifest.json"))
        .unwrap_or_else(|_| "(no manifest.json)".into());
    body.push_str(&section(
        "manifest",
        "Manifest (manifest.json)",
        &format!("<pre>{}</pre>\n", escape(&manifest)),
    ));
    let items: String = ASSUMPTIONS
        .iter()
        .map(|a| format!("<li>{}</li>\n", escape(a)))
        .collect();
    body.push_str(&section(
        "assumptions",
        "Model assumptions",
        &format!(
            "<ul>\n{items}</ul>\n<p>The model, its equations and its published sources: \
             docs/model.md in the interceptmc repository.</p>\n"
        ),
    ));
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(&title)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("a<b & \"c\">'"),
            "a&lt;b &amp; &quot;c&quot;&gt;&#39;"
        );
        assert_eq!(inline_svg("<?xml version=\"1.0\"?>\n<svg a>"), "<svg a>");
    }
}
