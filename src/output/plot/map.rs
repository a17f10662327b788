//! `map.png` / `map.svg`: the map layers ([`MapLayers`]) on an equirectangular projection
//! (longitude and latitude as plane coordinates, the horizontal scale set by the cosine of the
//! middle latitude so that shapes near it keep their proportions), over the Natural Earth
//! 1:110m land outline.

use std::io;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::charts::{colour, draw_colour_bar, scale_colour};
use super::land::land_rings;
use super::{render, Chart, DrawResult, Figure, FONT_FAMILY};
use crate::output::geo::MapLayers;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const SEA: RGBColor = RGBColor(226, 238, 246);
const LAND: RGBColor = RGBColor(240, 236, 224);
const COAST: RGBColor = RGBColor(150, 150, 150);
const COVERAGE: RGBColor = RGBColor(230, 159, 0);
const LAUNCH: RGBColor = RGBColor(200, 30, 30);

/// The map chart.
pub struct MapChart<'a> {
    pub layers: &'a MapLayers,
}

/// The lon/lat box of everything on the map, padded and widened to the plot's aspect ratio.
fn bounds(m: &MapLayers, plot_w: f64, plot_h: f64) -> (f64, f64, f64, f64) {
    let mut pts: Vec<[f64; 2]> = Vec::new();
    pts.extend(m.sites.iter().map(|s| [s.lon_deg, s.lat_deg]));
    pts.extend(
        m.areas
            .iter()
            .flat_map(|a| a.rings.iter().flatten().copied()),
    );
    pts.extend(
        m.tracks
            .iter()
            .flat_map(|t| t.points.iter().map(|p| [p[0], p[1]])),
    );
    pts.extend(m.cells.iter().flat_map(|c| {
        [
            [c.lon_deg - c.half_lon_deg, c.lat_deg - c.half_lat_deg],
            [c.lon_deg + c.half_lon_deg, c.lat_deg + c.half_lat_deg],
        ]
    }));
    if pts.is_empty() {
        return (-180.0, 180.0, -90.0, 90.0);
    }
    let (mut x0, mut x1, mut y0, mut y1) = pts.iter().fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), p| (a.min(p[0]), b.max(p[0]), c.min(p[1]), d.max(p[1])),
    );
    let pad = ((x1 - x0).max(y1 - y0) * 0.06).max(1.0);
    x0 -= pad;
    x1 += pad;
    y0 -= pad;
    y1 += pad;
    // Degrees of longitude per pixel = degrees of latitude per pixel / cos(middle latitude).
    let k = ((y0 + y1) / 2.0).to_radians().cos().max(0.2);
    let (w, h) = ((x1 - x0) * k, y1 - y0);
    if w / h < plot_w / plot_h {
        let extra = (h * plot_w / plot_h - w) / k / 2.0;
        x0 -= extra;
        x1 += extra;
    } else {
        let extra = (w * plot_h / plot_w - h) / 2.0;
        y0 -= extra;
        y1 += extra;
    }
    (x0.max(-180.0), x1.min(180.0), y0.max(-90.0), y1.min(90.0))
}

fn font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().into()
}

impl Chart for MapChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1400, 1000)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let m = self.layers;
        let (w, h) = root.dim_in_pixel();
        let (main, bar) = if m.cells.is_empty() {
            (root.clone(), None)
        } else {
            let (a, b) = root.split_horizontally(w - 150);
            (a, Some(b))
        };
        let (mw, _) = main.dim_in_pixel();
        // Plot area: the drawing less margins (20), labels (60 below, 70 left) and caption (~40).
        let b = bounds(m, mw as f64 - 110.0, h as f64 - 140.0);
        // Plotters clamps the points outside a chart onto its border, and its bitmap
        // rasterizer fills polygons with edges along the border wrongly. So the land, cells and
        // areas are drawn on an outer chart, the same scale over a range 2 % wider on each
        // side, whose border is then painted over (white) around the visible chart; the title,
        // axes, trajectories, sites and legend are drawn on the visible chart on top.
        let mut chart = ChartBuilder::on(&main)
            .margin(20)
            .margin_top(60)
            .x_label_area_size(60)
            .y_label_area_size(70)
            .build_cartesian_2d(b.0..b.1, b.2..b.3)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let (mw, mh) = (mw as i32, h as i32);
        let (pw, ph) = (xr.end - xr.start, yr.end - yr.start);
        let (dx, dy) = ((pw / 50).max(2), (ph / 50).max(2));
        let outer_area = main.margin(
            yr.start - dy,
            mh - yr.end - dy,
            xr.start - dx,
            mw - xr.end - dx,
        );
        let (ex, ey) = (
            (b.1 - b.0) * dx as f64 / pw as f64,
            (b.3 - b.2) * dy as f64 / ph as f64,
        );
        let mut outer = ChartBuilder::on(&outer_area)
            .build_cartesian_2d((b.0 - ex)..(b.1 + ex), (b.2 - ey)..(b.3 + ey))?;
        outer.draw_series(std::iter::once(Rectangle::new(
            [(b.0 - ex, b.2 - ey), (b.1 + ex, b.3 + ey)],
            SEA.filled(),
        )))?;
        let visible = |r: &[[f64; 2]]| {
            let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
            for p in r {
                (x0, x1, y0, y1) = (x0.min(p[0]), x1.max(p[0]), y0.min(p[1]), y1.max(p[1]));
            }
            x1 >= b.0 - ex && x0 <= b.1 + ex && y1 >= b.2 - ey && y0 <= b.3 + ey
        };
        let land: Vec<Vec<[f64; 2]>> = land_rings().into_iter().filter(|r| visible(r)).collect();
        outer.draw_series(land.iter().map(|r| {
            Polygon::new(
                r.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
                LAND.filled(),
            )
        }))?;
        outer.draw_series(land.iter().map(|r| {
            PathElement::new(r.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(), COAST)
        }))?;
        for c in &m.cells {
            let (x0, x1) = (c.lon_deg - c.half_lon_deg, c.lon_deg + c.half_lon_deg);
            let (y0, y1) = (c.lat_deg - c.half_lat_deg, c.lat_deg + c.half_lat_deg);
            outer.draw_series(std::iter::once(Rectangle::new(
                [(x0, y0), (x1, y1)],
                scale_colour(c.p_kill).mix(0.8).filled(),
            )))?;
        }
        let mut first = [true; 3];
        let mut legend: Vec<(String, RGBColor)> = Vec::new();
        for a in &m.areas {
            let (c, k, label) = match a.layer {
                "envelope" => (
                    RGBColor(0, 114, 178),
                    0,
                    "interceptor envelope (ground range)".to_string(),
                ),
                "coverage" => (
                    COVERAGE,
                    1,
                    format!(
                        "radar coverage at {} km altitude (reference RCS)",
                        m.coverage_altitude_km
                    ),
                ),
                _ => (LAUNCH, 2, "launch area".to_string()),
            };
            for ring in a.rings.iter().filter(|r| visible(r)) {
                let pts: Vec<(f64, f64)> = ring.iter().map(|p| (p[0], p[1])).collect();
                outer.draw_series(std::iter::once(Polygon::new(
                    pts.clone(),
                    c.mix(0.07).filled(),
                )))?;
                outer.draw_series(std::iter::once(PathElement::new(pts, c.stroke_width(2))))?;
                if std::mem::take(&mut first[k]) {
                    legend.push((label.clone(), c));
                }
            }
        }
        for r in [
            [(0, 0), (mw, yr.start)],
            [(0, yr.end), (mw, mh)],
            [(0, 0), (xr.start, mh)],
            [(xr.end, 0), (mw, mh)],
        ] {
            main.draw(&Rectangle::new(r, WHITE.filled()))?;
        }
        main.draw(&Text::new(
            m.title.clone(),
            (mw / 2, 20),
            TextStyle::from((FONT_FAMILY, 24, FontStyle::Bold).into_font())
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        chart
            .configure_mesh()
            .x_desc("longitude (degrees east, WGS 84)")
            .y_desc("latitude (degrees north)")
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.08))
            .label_style(font(15))
            .axis_desc_style(font(17))
            .draw()?;
        // The areas' legend entries (they were drawn on the outer chart).
        for (label, c) in legend {
            chart
                .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 20, y + 6)], c.stroke_width(2))
                });
        }
        for (i, t) in m.tracks.iter().enumerate() {
            let c = colour(i + 3);
            for (j, part) in crate::output::geo::split_line(&t.points).iter().enumerate() {
                let s = chart.draw_series(LineSeries::new(
                    part.iter().map(|p| (p[0], p[1])),
                    c.stroke_width(3),
                ))?;
                if j == 0 {
                    s.label(format!("{} nominal trajectory ({})", t.threat, t.kind))
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3))
                        });
                }
            }
            for e in &t.events {
                let p = (e.lon_deg, e.lat_deg);
                if !(b.0..=b.1).contains(&p.0) || !(b.2..=b.3).contains(&p.1) {
                    continue;
                }
                chart.draw_series(std::iter::once(Circle::new(p, 4, c.filled())))?;
                // Labels on the events inside the flight only (the launch and aim points have
                // their own markers); the GeoJSON has every event with its time and altitude.
                if e.name != "launch" && e.name != "impact" {
                    chart.draw_series(std::iter::once(
                        EmptyElement::at(p)
                            + Text::new(
                                format!("{} {:.0} km", e.name, e.alt_km.max(0.0)),
                                (6, 4),
                                font(13).color(&c),
                            ),
                    ))?;
                }
            }
        }
        let mut seen = [false; 4];
        for s in &m.sites {
            let p = (s.lon_deg, s.lat_deg);
            let (k, c, label) = match s.layer {
                "battery" => (0, RGBColor(0, 60, 140), "battery"),
                "sensor" => (1, RGBColor(150, 90, 0), "radar"),
                "launch" => (2, LAUNCH, "launch point"),
                _ => (3, BLACK, "aim point"),
            };
            let series = match k {
                0 => chart.draw_series(std::iter::once(TriangleMarker::new(p, 9, c.filled())))?,
                1 => chart.draw_series(std::iter::once(Circle::new(p, 7, c.stroke_width(3))))?,
                2 => chart.draw_series(std::iter::once(Cross::new(p, 7, c.stroke_width(3))))?,
                _ => chart.draw_series(std::iter::once(Circle::new(p, 5, c.filled())))?,
            };
            if !std::mem::replace(&mut seen[k], true) {
                series
                    .label(label)
                    .legend(move |(x, y)| Circle::new((x + 10, y), 5, c.filled()));
            }
            if k < 2 {
                chart.draw_series(std::iter::once(
                    EmptyElement::at(p) + Text::new(s.name.clone(), (9, -18), font(14).color(&c)),
                ))?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(font(14))
            .draw()?;
        if let Some(bar) = bar {
            draw_colour_bar(&bar, "p_kill at the aim point (defended footprint)")?;
        }
        Ok(())
    }
}

/// Renders the map of `m` (`map.svg`, `map.png`).
pub fn map_figure(m: &MapLayers) -> io::Result<Figure> {
    render("map", "Map", &MapChart { layers: m })
}
