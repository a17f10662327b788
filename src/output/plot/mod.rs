//! Plots (PNG and SVG, with the `plotters` crate) of a run, sweep or comparison directory, drawn
//! from its CSV files (README.md, "Plots, maps and the report"):
//!
//! - run: `p_kill.*` (p_kill per threat class with its interval, from `summary.csv`) and
//!   `per_raid.*` (the distributions of leakers and of interceptors fired per raid, or per
//!   trial without `[raid]`, from `raid.csv` or `tallies.json`);
//! - sweep: `sweep_lines.*` (each probability against the one axis, with its interval band),
//!   `sweep_heatmap_<threat>.*` (p_kill over two axes, with a colour bar) or `sweep_points.*`
//!   (p_kill of every point, for layouts or more axes), from `sweep.csv`;
//! - comparison: `compare.*` (the paired differences with their intervals, from `compare.csv`);
//! - with a scenario: `map.*` (`map.rs`).
//!
//! Text is drawn with the DejaVu Sans font embedded in the binary (`assets/fonts/`,
//! registered with plotters' `ab_glyph` backend): plotters is built without its `ttf` feature,
//! so no system font is ever looked up. PNGs are drawn into memory and encoded with the `png`
//! crate; both files are written atomically.

pub mod charts;
pub mod data;
pub mod land;
pub mod map;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::geo::MapLayers;
use super::write_atomic;

/// The embedded font (DejaVu Sans, `assets/fonts/LICENSE-DejaVu.txt`).
static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The font family every text style of the plots names.
pub const FONT_FAMILY: &str = "sans-serif";

/// Registers the embedded font under [`FONT_FAMILY`] (once per process).
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            if plotters::style::register_font(FONT_FAMILY, style, FONT).is_err() {
                panic!("the embedded font does not parse");
            }
        }
    });
}

/// What a chart's drawing returns.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A chart that draws itself on any plotters backend (SVG and bitmap).
pub trait Chart {
    /// Width and height, pixels.
    fn size(&self) -> (u32, u32) {
        (1200, 800)
    }
    /// Draws on `root` (already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// A rendered figure: its file stem, title, SVG text and PNG bytes.
#[derive(Clone, Debug)]
pub struct Figure {
    pub stem: String,
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
}

/// Renders `chart` as SVG and PNG.
pub fn render(stem: &str, title: &str, chart: &impl Chart) -> io::Result<Figure> {
    register_font();
    let (w, h) = chart.size();
    let fail = |e: Box<dyn std::error::Error>| io::Error::other(format!("drawing {stem}: {e}"));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        draw_on(&root, chart).map_err(fail)?;
    }
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw_on(&root, chart).map_err(fail)?;
    }
    Ok(Figure {
        stem: stem.to_string(),
        title: title.to_string(),
        svg,
        png: encode_png(&rgb, w, h)?,
    })
}

fn draw_on<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &impl Chart) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    chart.draw(root)?;
    root.present()?;
    Ok(())
}

/// Encodes 8-bit RGB pixels as PNG.
fn encode_png(rgb: &[u8], w: u32, h: u32) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Best);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut wr = enc.write_header().map_err(io::Error::other)?;
        wr.write_image_data(rgb).map_err(io::Error::other)?;
    }
    Ok(out)
}

/// Writes `<stem>.svg` and `<stem>.png` of each figure into `dir`, atomically. Returns the
/// paths written.
pub fn write_figures(dir: &Path, figures: &[Figure]) -> io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for f in figures {
        for (ext, bytes) in [("svg", f.svg.as_bytes()), ("png", f.png.as_slice())] {
            let path = dir.join(format!("{}.{ext}", f.stem));
            write_atomic(&path, bytes)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            written.push(path);
        }
    }
    Ok(written)
}

/// What a results directory holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirKind {
    /// `summary.csv` (a run).
    Run,
    /// `sweep.csv`.
    Sweep,
    /// `compare.csv`.
    Compare,
}

impl DirKind {
    pub fn name(self) -> &'static str {
        match self {
            DirKind::Run => "run",
            DirKind::Sweep => "sweep",
            DirKind::Compare => "comparison",
        }
    }
}

/// The kind of `dir` from the CSV it holds (`sweep.csv`, then `compare.csv`, then
/// `summary.csv`); `None` for a directory with none of them.
pub fn dir_kind(dir: &Path) -> Option<DirKind> {
    if dir.join(super::sweep::SWEEP_CSV).is_file() {
        Some(DirKind::Sweep)
    } else if dir.join("compare.csv").is_file() {
        Some(DirKind::Compare)
    } else if dir.join("summary.csv").is_file() {
        Some(DirKind::Run)
    } else {
        None
    }
}

/// The figures of `dir` (see the module documentation), and the map of `map` when given.
/// A CSV that does not parse is an `InvalidData` error naming the file.
pub fn figures_for_dir(dir: &Path, map: Option<&MapLayers>) -> io::Result<Vec<Figure>> {
    let mut figs = match dir_kind(dir) {
        None => {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{}: no summary.csv, sweep.csv or compare.csv (not a run, sweep or comparison \
                     directory)",
                    dir.display()
                ),
            ))
        }
        Some(DirKind::Run) => charts::run_figures(dir)?,
        Some(DirKind::Sweep) => charts::sweep_figures(dir)?,
        Some(DirKind::Compare) => charts::compare_figures(dir)?,
    };
    if let Some(m) = map {
        figs.push(map::map_figure(m)?);
    }
    Ok(figs)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TextOnly;
    impl Chart for TextOnly {
        fn size(&self) -> (u32, u32) {
            (200, 60)
        }
        fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
        where
            DB::ErrorType: 'static,
        {
            root.draw(&Text::new(
                "p_kill 0.95",
                (10, 20),
                (FONT_FAMILY, 20).into_font(),
            ))?;
            Ok(())
        }
    }

    #[test]
    fn text_renders_with_the_embedded_font_only() {
        // Plotters is built without its `ttf` feature (font-kit, the system font lookup): the
        // lock file holds no system font crate, so the embedded font is the only one.
        let lock = include_str!("../../../Cargo.lock");
        for sys in ["name = \"font-kit\"", "name = \"yeslogic-fontconfig-sys\""] {
            assert!(!lock.contains(sys), "{sys} in Cargo.lock");
        }
        let f = render("t", "t", &TextOnly).unwrap();
        // The PNG decodes to 200 x 60 with dark (text) pixels on white.
        let dec = png::Decoder::new(std::io::Cursor::new(&f.png));
        let mut r = dec.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size()];
        let info = r.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (200, 60));
        let dark = buf[..info.buffer_size()]
            .chunks(3)
            .filter(|p| p.iter().all(|&c| c < 128))
            .count();
        assert!(dark > 50, "{dark} dark pixels: the text did not render");
        assert!(f.svg.contains(">\np_kill 0.95\n</text>") || f.svg.contains("p_kill 0.95"));
    }
}
