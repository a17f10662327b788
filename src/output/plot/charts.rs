//! The charts of runs, sweeps and comparisons, and the readers that build them from a
//! directory's CSV files.

use std::io;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::Table;
use super::{render, Chart, DrawResult, Figure, FONT_FAMILY};
use crate::output::tallies::{read_tallies, Tallies};

/// Series colours (Okabe & Ito, "Color Universal Design", 2008: distinguishable with colour
/// vision deficiencies).
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The colour of `v` in [0, 1] on a perceptually ordered scale (viridis, sampled at five
/// stops and interpolated linearly; van der Walt & Smith, matplotlib's viridis, 2015).
pub fn scale_colour(v: f64) -> RGBColor {
    const STOPS: [(f64, [f64; 3]); 5] = [
        (0.0, [68.0, 1.0, 84.0]),
        (0.25, [59.0, 82.0, 139.0]),
        (0.5, [33.0, 145.0, 140.0]),
        (0.75, [94.0, 201.0, 98.0]),
        (1.0, [253.0, 231.0, 37.0]),
    ];
    let v = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let i = STOPS.iter().rposition(|s| s.0 <= v).unwrap_or(0).min(3);
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let t = (v - a.0) / (b.0 - a.0);
    let c = |k: usize| (a.1[k] + t * (b.1[k] - a.1[k])).round() as u8;
    RGBColor(c(0), c(1), c(2))
}

fn font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().into()
}

fn title_font() -> TextStyle<'static> {
    (FONT_FAMILY, 24, FontStyle::Bold).into_font().into()
}

fn label_of(v: &SegmentValue<usize>, labels: &[String]) -> String {
    match v {
        SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// Estimates with intervals per category (p_kill per threat class; p_kill per sweep point).
pub struct IntervalChart {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub labels: Vec<String>,
    /// (estimate, lo, hi) per category.
    pub est: Vec<(f64, f64, f64)>,
    pub est_name: String,
    /// A second estimate without interval (p_engaged), drawn as a cross.
    pub second: Option<(String, Vec<f64>)>,
}

impl Chart for IntervalChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let n = self.labels.len().max(1);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, title_font())
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0f64..1.05)?;
        let labels = &self.labels;
        // At most about 20 labels along the axis.
        let step = n.div_ceil(20);
        let sparse = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) if i % step == 0 => label_of(v, labels),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(&self.x_desc)
            .y_desc(&self.y_desc)
            .x_labels(n + 1)
            .x_label_formatter(&sparse)
            .label_style(font(16))
            .axis_desc_style(font(18))
            .draw()?;
        let c = colour(0);
        chart
            .draw_series(self.est.iter().enumerate().map(|(i, &(p, lo, hi))| {
                ErrorBar::new_vertical(SegmentValue::CenterOf(i), lo, p, hi, c.stroke_width(3), 16)
            }))?
            .label(format!("{} with its interval", self.est_name))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y - 6), (x, y + 6)], c.stroke_width(3))
            });
        chart.draw_series(
            self.est
                .iter()
                .enumerate()
                .map(|(i, &(p, _, _))| Circle::new((SegmentValue::CenterOf(i), p), 6, c.filled())),
        )?;
        chart.draw_series(self.est.iter().enumerate().map(|(i, &(p, _, hi))| {
            Text::new(
                format!("{p:.3}"),
                (SegmentValue::CenterOf(i), (hi + 0.02).min(1.03)),
                font(15),
            )
        }))?;
        if let Some((name, v)) = &self.second {
            let c2 = colour(1);
            chart
                .draw_series(v.iter().enumerate().map(|(i, &p)| {
                    Cross::new((SegmentValue::CenterOf(i), p), 7, c2.stroke_width(2))
                }))?
                .label(name.clone())
                .legend(move |(x, y)| Cross::new((x, y), 6, c2.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(font(16))
            .draw()?;
        Ok(())
    }
}

/// One histogram panel: probability of each value.
pub struct Histogram {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    /// (value, probability); the last value may be an overflow bin.
    pub bins: Vec<(usize, f64)>,
}

fn draw_histogram<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, h: &Histogram) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = h.bins.last().map_or(1, |b| b.0 + 1);
    let ymax = h.bins.iter().map(|b| b.1).fold(0.0, f64::max).max(0.01) * 1.12;
    let mut chart = ChartBuilder::on(area)
        .caption(&h.title, (FONT_FAMILY, 20, FontStyle::Bold).into_font())
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0f64..ymax)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(&h.x_desc)
        .y_desc(&h.y_desc)
        .x_labels(n.min(16) + 1)
        .label_style(font(15))
        .axis_desc_style(font(17))
        .draw()?;
    let c = colour(0);
    chart.draw_series(h.bins.iter().map(|&(k, p)| {
        let mut r = Rectangle::new(
            [
                (SegmentValue::Exact(k), 0.0),
                (SegmentValue::Exact(k + 1), p),
            ],
            c.mix(0.8).filled(),
        );
        r.set_margin(0, 0, 2, 2);
        r
    }))?;
    Ok(())
}

/// Two histograms side by side (leakers and interceptors fired).
pub struct HistogramPair {
    pub title: String,
    pub left: Histogram,
    pub right: Histogram,
}

impl Chart for HistogramPair {
    fn size(&self) -> (u32, u32) {
        (1400, 700)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let root = root.titled(&self.title, title_font())?;
        let (a, b) = root.split_horizontally(700);
        draw_histogram(&a, &self.left)?;
        draw_histogram(&b, &self.right)?;
        Ok(())
    }
}

/// One line with its band.
pub struct Band {
    pub name: String,
    /// (x, estimate, lo, hi), sorted by x.
    pub points: Vec<(f64, f64, f64, f64)>,
}

/// Panels of lines with interval bands against one numeric axis.
pub struct BandChart {
    pub title: String,
    pub x_desc: String,
    /// Per panel: its title, y description and lines.
    pub panels: Vec<(String, String, Vec<Band>)>,
}

impl Chart for BandChart {
    fn size(&self) -> (u32, u32) {
        (1400, 700)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let root = root.titled(&self.title, title_font())?;
        let areas = root.split_evenly((1, self.panels.len().max(1)));
        let xs = self
            .panels
            .iter()
            .flat_map(|p| p.2.iter().flat_map(|b| b.points.iter().map(|q| q.0)));
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
        let pad = if hi > lo { (hi - lo) * 0.04 } else { 0.5 };
        let (x0, x1) = if lo.is_finite() {
            (lo - pad, hi + pad)
        } else {
            (0.0, 1.0)
        };
        for (area, (title, y_desc, bands)) in areas.iter().zip(&self.panels) {
            let mut chart = ChartBuilder::on(area)
                .caption(title, (FONT_FAMILY, 20, FontStyle::Bold).into_font())
                .margin(15)
                .x_label_area_size(50)
                .y_label_area_size(70)
                .build_cartesian_2d(x0..x1, 0f64..1.05)?;
            chart
                .configure_mesh()
                .x_desc(&self.x_desc)
                .y_desc(y_desc)
                .label_style(font(15))
                .axis_desc_style(font(17))
                .draw()?;
            for (i, b) in bands.iter().enumerate() {
                let c = colour(i);
                let mut poly: Vec<(f64, f64)> = b.points.iter().map(|q| (q.0, q.3)).collect();
                poly.extend(b.points.iter().rev().map(|q| (q.0, q.2)));
                chart.draw_series(std::iter::once(Polygon::new(poly, c.mix(0.18).filled())))?;
                chart
                    .draw_series(LineSeries::new(
                        b.points.iter().map(|q| (q.0, q.1)),
                        c.stroke_width(2),
                    ))?
                    .label(b.name.clone())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3))
                    });
                chart.draw_series(
                    b.points
                        .iter()
                        .map(|q| Circle::new((q.0, q.1), 4, c.filled())),
                )?;
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font(font(15))
                .draw()?;
        }
        Ok(())
    }
}

/// A vertical colour bar for [`scale_colour`] over [0, 1].
pub fn draw_colour_bar<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, desc: &str) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut chart = ChartBuilder::on(area)
        .margin_top(60)
        .margin_bottom(70)
        .margin_right(10)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..1.0, 0f64..1.0)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_desc(desc)
        .y_labels(6)
        .label_style(font(15))
        .axis_desc_style(font(17))
        .draw()?;
    const STEPS: usize = 100;
    chart.draw_series((0..STEPS).map(|i| {
        let (a, b) = (i as f64 / STEPS as f64, (i + 1) as f64 / STEPS as f64);
        Rectangle::new([(0.0, a), (1.0, b)], scale_colour((a + b) / 2.0).filled())
    }))?;
    Ok(())
}

/// A heat map of a probability over two axes (categorical, in value order), with its colour
/// bar.
pub struct HeatMap {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub value_desc: String,
    pub x_labels: Vec<String>,
    pub y_labels: Vec<String>,
    /// (x index, y index, value).
    pub cells: Vec<(usize, usize, f64)>,
}

impl Chart for HeatMap {
    fn size(&self) -> (u32, u32) {
        (1200, 900)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (w, _) = root.dim_in_pixel();
        let (main, bar) = root.split_horizontally(w - 150);
        let (nx, ny) = (self.x_labels.len().max(1), self.y_labels.len().max(1));
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, title_font())
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d((0..nx - 1).into_segmented(), (0..ny - 1).into_segmented())?;
        let (xl, yl) = (&self.x_labels, &self.y_labels);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(&self.x_desc)
            .y_desc(&self.y_desc)
            .x_labels(nx + 1)
            .y_labels(ny + 1)
            .x_label_formatter(&|v| label_of(v, xl))
            .y_label_formatter(&|v| label_of(v, yl))
            .label_style(font(15))
            .axis_desc_style(font(17))
            .draw()?;
        chart.draw_series(self.cells.iter().map(|&(i, j, v)| {
            Rectangle::new(
                [
                    (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                    (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                ],
                scale_colour(v).filled(),
            )
        }))?;
        if nx * ny <= 200 {
            chart.draw_series(self.cells.iter().map(|&(i, j, v)| {
                let c: &'static RGBColor = if v > 0.6 { &BLACK } else { &WHITE };
                Text::new(
                    format!("{v:.2}"),
                    (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)),
                    font(14)
                        .color(c)
                        .pos(plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        )),
                )
            }))?;
        }
        draw_colour_bar(&bar, &self.value_desc)?;
        Ok(())
    }
}

/// Differences with intervals, one horizontal bar per row, against a line at zero.
pub struct DifferenceChart {
    pub title: String,
    pub x_desc: String,
    pub labels: Vec<String>,
    /// (difference, lo, hi).
    pub est: Vec<(f64, f64, f64)>,
}

impl Chart for DifferenceChart {
    fn size(&self) -> (u32, u32) {
        (1200, (200 + 40 * self.labels.len() as u32).clamp(500, 2400))
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let n = self.labels.len().max(1);
        let m = self
            .est
            .iter()
            .flat_map(|e| [e.1.abs(), e.2.abs(), e.0.abs()])
            .filter(|v| v.is_finite())
            .fold(0.01, f64::max)
            * 1.15;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, title_font())
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(330)
            .build_cartesian_2d(-m..m, (0..n - 1).into_segmented())?;
        let labels = &self.labels;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(&self.x_desc)
            .y_labels(n + 1)
            .y_label_formatter(&|v| label_of(v, labels))
            .label_style(font(15))
            .axis_desc_style(font(17))
            .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(n))],
            BLACK.stroke_width(1),
        )))?;
        chart.draw_series(self.est.iter().enumerate().map(|(i, &(d, lo, hi))| {
            let c = if lo > 0.0 || hi < 0.0 {
                colour(1)
            } else {
                colour(0)
            };
            ErrorBar::new_horizontal(SegmentValue::CenterOf(i), lo, d, hi, c.stroke_width(3), 14)
        }))?;
        chart.draw_series(self.est.iter().enumerate().map(|(i, &(d, _, _))| {
            Circle::new((d, SegmentValue::CenterOf(i)), 6, colour(0).filled())
        }))?;
        Ok(())
    }
}

fn io_bad(path: &Path, msg: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: {msg}", path.display()),
    )
}

/// The confidence level of a table's rows (column `confidence`), as a percentage text.
fn confidence_text(t: &Table) -> String {
    t.col("confidence")
        .and_then(|c| (!t.rows.is_empty()).then(|| t.num(0, c).ok()).flatten())
        .filter(|v| v.is_finite())
        .map_or_else(|| "confidence".to_string(), |v| format!("{}%", v * 100.0))
}

/// The figures of a run directory.
pub fn run_figures(dir: &Path) -> io::Result<Vec<Figure>> {
    let mut figs = Vec::new();
    let path = dir.join("summary.csv");
    let t = Table::read(&path)?.ok_or_else(|| io_bad(&path, "missing".into()))?;
    let (ct, cp, clo, chi) = (
        t.need("threat")?,
        t.need("p_kill")?,
        t.need("p_kill_lo")?,
        t.need("p_kill_hi")?,
    );
    let ce = t.col("p_engaged");
    let mut labels = Vec::new();
    let mut est = Vec::new();
    let mut engaged = Vec::new();
    for r in 0..t.rows.len() {
        labels.push(t.text(r, ct).to_string());
        est.push((t.num(r, cp)?, t.num(r, clo)?, t.num(r, chi)?));
        if let Some(c) = ce {
            engaged.push(t.num(r, c)?);
        }
    }
    if labels.is_empty() {
        return Err(io_bad(&path, "no rows".into()));
    }
    let scenario = t.col("scenario").map(|c| t.text(0, c).to_string());
    // The `all` row's samples are the trials (a class's are the trials that drew it).
    let all_row = (0..t.rows.len())
        .find(|&r| t.text(r, ct) == "all")
        .unwrap_or(0);
    let samples = t.col("samples").map(|c| t.text(all_row, c).to_string());
    let conf = confidence_text(&t);
    let title = format!(
        "{}: p_kill per threat class ({} trials, {} interval)",
        scenario.unwrap_or_default(),
        samples.unwrap_or_default(),
        conf
    );
    figs.push(render(
        "p_kill",
        "p_kill per threat class",
        &IntervalChart {
            title,
            x_desc: "threat class (all: every threat of every trial)".into(),
            y_desc: "probability".into(),
            labels,
            est,
            est_name: "p_kill (share of threats killed)".into(),
            second: (!engaged.is_empty())
                .then(|| ("p_engaged (share of threats engaged)".to_string(), engaged)),
        },
    )?);
    if let Some(h) = per_raid(dir)? {
        figs.push(render("per_raid", "Leakers and interceptors per raid", &h)?);
    }
    Ok(figs)
}

/// Trims trailing empty bins (keeping at least `keep`).
fn trim(mut bins: Vec<(usize, f64)>, keep: usize) -> Vec<(usize, f64)> {
    while bins.len() > keep && bins.last().is_some_and(|b| b.1 == 0.0) {
        bins.pop();
    }
    bins
}

fn mean_of(bins: &[(usize, f64)]) -> f64 {
    bins.iter().map(|&(k, p)| k as f64 * p).sum()
}

type Bins = Vec<(usize, f64)>;

/// The distributions of `raid.csv` (`quantity, value, trials, probability`; an overflow value
/// such as `255+` counts as its number): (leakers, interceptors, raids).
fn raid_csv(t: &Table) -> io::Result<(Bins, Bins, u64)> {
    let (cq, cv, cp) = (
        t.need("quantity")?,
        t.need("value")?,
        t.need("probability")?,
    );
    let ctr = t.need("trials")?;
    let (mut l, mut f, mut n) = (Vec::new(), Vec::new(), 0.0);
    for r in 0..t.rows.len() {
        let v = t.num(r, cv)?;
        if !(v >= 0.0 && v.fract() == 0.0) {
            return Err(io_bad(&t.path, format!("line {}: bad value", r + 2)));
        }
        let bin = (v as usize, t.num(r, cp)?);
        match t.text(r, cq) {
            "leakers" => {
                n += t.num(r, ctr)?;
                l.push(bin)
            }
            "interceptors" => f.push(bin),
            _ => {}
        }
    }
    Ok((l, f, n as u64))
}

/// The per-raid distributions: from `raid.csv`, else (a run without raids, or a raid.csv of
/// another layout) from the histograms in `tallies.json`, per raid or per trial.
fn per_raid(dir: &Path) -> io::Result<Option<HistogramPair>> {
    let raid = Table::read(&dir.join("raid.csv"))?;
    let unit = if raid.is_some() { "raid" } else { "trial" };
    let from_csv = raid.as_ref().and_then(|t| raid_csv(t).ok());
    let (leakers, fired, n) = if let Some(d) = from_csv {
        d
    } else {
        let Ok(Tallies::Run(rt)) = read_tallies(dir) else {
            return Ok(None);
        };
        use crate::model::tally;
        let t = &rt.tallies;
        let n = rt.trials[1] - rt.trials[0];
        if t.len() < tally::COUNT || n == 0 {
            return Ok(None);
        }
        let p = |c: u64| c as f64 / n as f64;
        let l = (0..=crate::base::limits::MAX_RAID)
            .map(|k| (k, p(t[tally::LEAKER_HIST + k])))
            .collect();
        let f = (0..crate::base::limits::INTERCEPTOR_BINS)
            .map(|k| (k, p(t[tally::INTERCEPTOR_HIST + k])))
            .collect();
        (l, f, n)
    };
    let (leakers, fired) = (trim(leakers, 2), trim(fired, 2));
    Ok(Some(HistogramPair {
        title: format!("Per {unit} ({n} {unit}s)"),
        left: Histogram {
            title: format!("Leakers per {unit} (mean {:.3})", mean_of(&leakers)),
            x_desc: format!("threats not killed in the {unit}"),
            y_desc: format!("share of {unit}s"),
            bins: leakers,
        },
        right: Histogram {
            title: format!(
                "Interceptors fired per {unit} (mean {:.3})",
                mean_of(&fired)
            ),
            x_desc: format!("interceptors fired in the {unit}"),
            y_desc: format!("share of {unit}s"),
            bins: fired,
        },
    }))
}

/// Sanitises a threat name for a file stem.
fn stem_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Sorted distinct values of a column (numerically when they all parse).
fn distinct(t: &Table, c: usize) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for r in 0..t.rows.len() {
        let s = t.text(r, c).to_string();
        if !v.contains(&s) {
            v.push(s);
        }
    }
    if v.iter().all(|s| s.parse::<f64>().is_ok()) {
        v.sort_by(|a, b| {
            a.parse::<f64>()
                .unwrap()
                .total_cmp(&b.parse::<f64>().unwrap())
        });
    }
    v
}

/// The figures of a sweep directory.
pub fn sweep_figures(dir: &Path) -> io::Result<Vec<Figure>> {
    let path = dir.join(crate::output::sweep::SWEEP_CSV);
    let t = Table::read(&path)?.ok_or_else(|| io_bad(&path, "missing".into()))?;
    if t.rows.is_empty() {
        return Err(io_bad(&path, "no rows (no point has finished)".into()));
    }
    let axes: Vec<usize> = (0..t.header.len())
        .filter(|&c| t.header[c].starts_with("param_"))
        .collect();
    let layouts = t.col("layout").is_some();
    let ct = t.need("threat")?;
    let threats = distinct_in_order(&t, ct);
    let conf = confidence_text(&t);
    // The sweep's own name (tallies.json), else its base scenario's.
    let name = match read_tallies(dir) {
        Ok(Tallies::Sweep(s)) => s.name,
        _ => t
            .col("scenario")
            .map(|c| t.text(0, c).to_string())
            .unwrap_or_default(),
    };
    let numeric = |c: usize| (0..t.rows.len()).all(|r| t.text(r, c).parse::<f64>().is_ok());
    let mut figs = Vec::new();
    if axes.len() == 1 && !layouts && numeric(axes[0]) {
        let ax = axes[0];
        let path_name = t.header[ax].trim_start_matches("param_").to_string();
        let mut panels = Vec::new();
        for (metric, desc) in [
            ("p_kill", "p_kill (share of threats killed)"),
            (
                "p_zero_leakers",
                "p_zero_leakers (share of trials without a leaker)",
            ),
        ] {
            let (cp, clo, chi) = (
                t.need(metric)?,
                t.need(&format!("{metric}_lo"))?,
                t.need(&format!("{metric}_hi"))?,
            );
            let mut bands = Vec::new();
            for th in &threats {
                let mut pts = Vec::new();
                for r in (0..t.rows.len()).filter(|&r| t.text(r, ct) == th) {
                    pts.push((t.num(r, ax)?, t.num(r, cp)?, t.num(r, clo)?, t.num(r, chi)?));
                }
                pts.sort_by(|a, b| a.0.total_cmp(&b.0));
                bands.push(Band {
                    name: th.clone(),
                    points: pts,
                });
            }
            panels.push((
                format!("{metric} ({conf} interval band)"),
                desc.to_string(),
                bands,
            ));
        }
        figs.push(render(
            "sweep_lines",
            "Probabilities against the sweep axis",
            &BandChart {
                title: format!("{name}: probabilities against {path_name}"),
                x_desc: path_name,
                panels,
            },
        )?);
    } else if axes.len() == 2 && !layouts {
        let (ax, ay) = (axes[0], axes[1]);
        let (xs, ys) = (distinct(&t, ax), distinct(&t, ay));
        let (cp, clo, chi) = (
            t.need("p_kill")?,
            t.need("p_kill_lo")?,
            t.need("p_kill_hi")?,
        );
        let mut widest: f64 = 0.0;
        for th in &threats {
            let mut cells = Vec::new();
            for r in (0..t.rows.len()).filter(|&r| t.text(r, ct) == th) {
                let i = xs.iter().position(|v| v == t.text(r, ax)).unwrap_or(0);
                let j = ys.iter().position(|v| v == t.text(r, ay)).unwrap_or(0);
                widest = widest.max((t.num(r, chi)? - t.num(r, clo)?) / 2.0);
                cells.push((i, j, t.num(r, cp)?));
            }
            let (xn, yn) = (
                t.header[ax].trim_start_matches("param_").to_string(),
                t.header[ay].trim_start_matches("param_").to_string(),
            );
            figs.push(render(
                &format!("sweep_heatmap_{}", stem_part(th)),
                &format!("p_kill of {th} over the two axes"),
                &HeatMap {
                    title: format!(
                        "{name}: p_kill of {th} (interval half-width at most {widest:.3}, {conf})"
                    ),
                    x_desc: xn,
                    y_desc: yn,
                    value_desc: format!("p_kill of {th}"),
                    x_labels: xs.clone(),
                    y_labels: ys.clone(),
                    cells,
                },
            )?);
        }
    } else {
        // Layouts, non-numeric or more axes: p_kill of every point, threat `all`.
        let cpt = t.need("point")?;
        let (cp, clo, chi) = (
            t.need("p_kill")?,
            t.need("p_kill_lo")?,
            t.need("p_kill_hi")?,
        );
        let mut labels = Vec::new();
        let mut est = Vec::new();
        for r in (0..t.rows.len()).filter(|&r| t.text(r, ct) == "all") {
            let mut l = format!("#{}", t.text(r, cpt));
            if let Some(c) = t.col("layout") {
                l.push(' ');
                l.push_str(t.text(r, c));
            }
            for &a in &axes {
                l.push(' ');
                l.push_str(t.text(r, a));
            }
            labels.push(l);
            est.push((t.num(r, cp)?, t.num(r, clo)?, t.num(r, chi)?));
        }
        let axes_names: Vec<&str> = axes
            .iter()
            .map(|&a| t.header[a].trim_start_matches("param_"))
            .collect();
        figs.push(render(
            "sweep_points",
            "p_kill of every sweep point",
            &IntervalChart {
                title: format!("{name}: p_kill (all threats) of every point ({conf} interval)"),
                x_desc: format!(
                    "point{}{}",
                    if layouts { ", layout" } else { "" },
                    if axes_names.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", axes_names.join(", "))
                    }
                ),
                y_desc: "p_kill".into(),
                labels,
                est,
                est_name: "p_kill".into(),
                second: None,
            },
        )?);
    }
    Ok(figs)
}

fn distinct_in_order(t: &Table, c: usize) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for r in 0..t.rows.len() {
        let s = t.text(r, c);
        if !v.iter().any(|x| x == s) {
            v.push(s.to_string());
        }
    }
    v
}

/// The figures of a comparison directory: the paired differences of the probabilities.
pub fn compare_figures(dir: &Path) -> io::Result<Vec<Figure>> {
    let path = dir.join("compare.csv");
    let t = Table::read(&path)?.ok_or_else(|| io_bad(&path, "missing".into()))?;
    let (cl, ct, cm) = (t.need("layout")?, t.need("threat")?, t.need("metric")?);
    let (cd, clo, chi) = (
        t.need("difference")?,
        t.need("difference_lo")?,
        t.need("difference_hi")?,
    );
    let mut labels = Vec::new();
    let mut est = Vec::new();
    // The first layout's rows compare it with itself (0 in [0, 0]): left out.
    let first = (!t.rows.is_empty()).then(|| t.text(0, cl).to_string());
    for r in (0..t.rows.len()).rev() {
        let m = t.text(r, cm);
        if !matches!(m, "p_kill" | "p_zero_leakers" | "p_engaged")
            || first.as_deref() == Some(t.text(r, cl))
        {
            continue;
        }
        // In reverse: the chart's first category is at the bottom.
        labels.push(format!("{} / {} / {m}", t.text(r, cl), t.text(r, ct)));
        est.push((t.num(r, cd)?, t.num(r, clo)?, t.num(r, chi)?));
    }
    if labels.is_empty() {
        return Err(io_bad(&path, "no probability rows".into()));
    }
    Ok(vec![render(
        "compare",
        "Paired differences against the first layout",
        &DifferenceChart {
            title: format!(
                "Paired differences against the first layout, {} (orange: interval excludes 0)",
                first.unwrap_or_default()
            ),
            x_desc: "difference of probability (layout - first layout), with its paired interval"
                .into(),
            labels,
            est,
        },
    )?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_scale_hits_its_stops() {
        assert_eq!(scale_colour(0.0), RGBColor(68, 1, 84));
        assert_eq!(scale_colour(1.0), RGBColor(253, 231, 37));
        assert_eq!(scale_colour(0.5), RGBColor(33, 145, 140));
        // Halfway between the first two stops, by hand: (63.5, 41.5, 111.5) rounded.
        assert_eq!(scale_colour(0.125), RGBColor(64, 42, 112));
        assert_eq!(scale_colour(f64::NAN), RGBColor(68, 1, 84));
    }

    #[test]
    fn reads_raid_csv_with_or_without_the_overflow_mark() {
        let dir = tempfile::tempdir().unwrap();
        for last in ["2+", "2"] {
            let p = dir.path().join("raid.csv");
            std::fs::write(
                &p,
                format!(
                    "quantity,value,trials,probability\nleakers,0,3,0.75\nleakers,1,1,0.25\n\
                     interceptors,0,0,0\ninterceptors,1,3,0.75\ninterceptors,{last},1,0.25\n"
                ),
            )
            .unwrap();
            let (l, f, n) = raid_csv(&Table::read(&p).unwrap().unwrap()).unwrap();
            assert_eq!(n, 4);
            assert_eq!(l, vec![(0, 0.75), (1, 0.25)]);
            assert_eq!(f, vec![(0, 0.0), (1, 0.75), (2, 0.25)]);
            // Means by hand: 0.25 leakers and 1.25 interceptors per raid.
            assert!((mean_of(&l) - 0.25).abs() < 1e-12 && (mean_of(&f) - 1.25).abs() < 1e-12);
        }
    }

    #[test]
    fn trims_empty_tail_bins() {
        let b = trim(vec![(0, 0.5), (1, 0.5), (2, 0.0), (3, 0.0)], 2);
        assert_eq!(b.len(), 2);
        assert!((mean_of(&b) - 0.5).abs() < 1e-12);
    }
}
